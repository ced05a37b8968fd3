"""The client and account secrets the sandbox's token endpoint accepts."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Mapping


def _same_secret(given: str, expected: str) -> bool:
    # bytes, because compare_digest refuses non-ASCII str
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Credentials:
    """The registered clients (id → secret) and accounts (username → password)."""

    def __init__(self, clients: Mapping[str, str], accounts: Mapping[str, str]) -> None:
        self._lock = threading.Lock()
        self._clients = dict(clients)
        self._accounts = dict(accounts)

    def set_client(self, client_id: str, client_secret: str) -> None:
        """Add a client or rotate its secret."""
        with self._lock:
            self._clients[client_id] = client_secret

    def replace(self, clients: Mapping[str, str], accounts: Mapping[str, str]) -> None:
        """Replace every client and account."""
        with self._lock:
            self._clients = dict(clients)
            self._accounts = dict(accounts)

    def client_ids(self) -> list[str]:
        """The registered client ids (never the secrets)."""
        with self._lock:
            return sorted(self._clients)

    def verify_client(self, client_id: str, secret: str) -> bool:
        """Whether `secret` is the secret of `client_id`."""
        with self._lock:
            expected = self._clients.get(client_id)
        if expected is None:
            _same_secret(secret, secret)  # keep the timing of unknown and known ids alike
            return False
        return _same_secret(secret, expected)

    def verify_account(self, username: str, password: str) -> bool:
        """Whether `password` is the password of account `username`."""
        with self._lock:
            expected = self._accounts.get(username)
        if expected is None:
            _same_secret(password, password)
            return False
        return _same_secret(password, expected)
