"""Upstream credentials: the one type every layer passes around, its grant rule and fingerprint.

The server's own credentials (settings, rotated `*_FILE` secrets) and a session's own (sent with
each request) are the same `Credentials`, built by keyword or with `Credentials.of`, so no two
secrets can be swapped by position.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pydantic import SecretStr

# Fingerprints are keyed with a random per-process salt: useless outside this process.
_PROCESS_SALT = secrets.token_bytes(32)


class AuthMode(StrEnum):
    """How the server authenticates to the upstream."""

    ANONYMOUS = "anonymous"
    CLIENT_CREDENTIALS = "client_credentials"
    PASSWORD = "password"  # noqa: S105 - a grant type name, not a secret


class CredentialFields(Protocol):
    """Anything holding the four credential parts as `tab_*` attributes (settings, a session)."""

    @property
    def tab_client_id(self) -> str | None: ...
    @property
    def tab_client_secret(self) -> SecretStr | None: ...
    @property
    def tab_username(self) -> SecretStr | None: ...
    @property
    def tab_password(self) -> SecretStr | None: ...


@dataclass(frozen=True, slots=True)
class Credentials:
    """One set of upstream credentials. Secret parts are `SecretStr` (never shown in a repr)."""

    client_id: str | None = None
    client_secret: SecretStr | None = None
    username: SecretStr | None = None
    password: SecretStr | None = None

    @classmethod
    def of(cls, source: CredentialFields) -> Credentials:
        """The credentials held in `source`'s `tab_client_id`, `tab_client_secret`, ... fields."""
        return cls(client_id=source.tab_client_id, client_secret=source.tab_client_secret,
                   username=source.tab_username, password=source.tab_password)

    @property
    def mode(self) -> AuthMode:
        """The grant these credentials allow.

        The password grant always names its client (TAB's token endpoint takes `client_id`
        with the account's username and password; a client without a secret is a public
        client), so a username and password without a client id allow no grant at all.
        """
        if self.client_id and self.username and self.password:
            return AuthMode.PASSWORD
        if self.client_id and self.client_secret:
            return AuthMode.CLIENT_CREDENTIALS
        return AuthMode.ANONYMOUS

    def check_complete(self, names: tuple[str, str, str, str]) -> None:
        """Raise `ValueError` unless the parts form a usable set: client id and secret
        together, username and password together, and a password grant with its client.
        `names` are what the message calls the four parts, in field order."""
        client_id, client_secret, username, password = names
        if bool(self.client_id) != bool(self.client_secret):
            raise ValueError(f"{client_id} and {client_secret} must be set together")
        if bool(self.username) != bool(self.password):
            raise ValueError(f"{username} and {password} must be set together")
        if self.username and not self.client_id:
            raise ValueError(f"the password grant ({username}/{password}) also needs "
                             f"{client_id} and {client_secret}")

    def secret_values(self) -> list[str]:
        """The secret parts' values (for log redaction)."""
        return [value.get_secret_value() for value in
                (self.client_secret, self.username, self.password) if value is not None]

    def fingerprint(self, key: bytes | None = None) -> str:
        """A hex HMAC-SHA256 of all four parts under a random per-process salt, or under `key`.

        Equal credentials give equal fingerprints within this process, so it keys
        per-credential state; nothing about the values can be learnt from it, and it differs
        from one process to the next. With `key` (a fleet-wide secret, see `app.store`) every
        process holding that key computes the same fingerprint.
        """
        parts = [self.client_id or ""] + [
            value.get_secret_value() if value is not None else ""
            for value in (self.client_secret, self.username, self.password)]
        return hmac.new(key or _PROCESS_SALT, json.dumps(parts).encode("utf-8"),
                        hashlib.sha256).hexdigest()
