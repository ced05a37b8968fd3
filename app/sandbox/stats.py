"""Counters the sandbox keeps about what it was asked and what it did, for tests and benchmarks."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

GRANTS = ("client_credentials", "password", "refresh_token")


class SandboxStats:
    """Thread-safe counters behind `GET /_sandbox/stats`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._token_requests: Counter[str] = Counter()
        self._token_failures: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()
        self._by_jurisdiction: Counter[str] = Counter()
        self._by_client: Counter[str] = Counter()
        self._edge_resets = 0

    def count_request(self, path: str, *, jurisdiction: str | None = None,
                      client: str | None = None) -> None:
        """One request arrived for `path` (query not included), for `jurisdiction`, with a
        token issued to `client` (None: none, or not one this sandbox issued). Requests with
        neither (token requests) count by path only."""
        with self._lock:
            self._requests[path] += 1
            if jurisdiction is not None or client is not None:
                self._by_jurisdiction[jurisdiction or "none"] += 1
                self._by_client[client or "none"] += 1

    def count_token_request(self, grant: str, *, failed: bool) -> None:
        """One token request for `grant` (an unknown or missing grant counts as "other")."""
        key = grant if grant in GRANTS else "other"
        with self._lock:
            self._token_requests[key] += 1
            if failed:
                self._token_failures[key] += 1

    def count_fault(self, kind: str) -> None:
        """One injected fault of `kind` (latency, error, rate_limit, garbage, drop)."""
        with self._lock:
            self._faults[kind] += 1

    def count_edge_reset(self) -> None:
        """One connection reset by the edge protection."""
        with self._lock:
            self._edge_resets += 1

    def requests_for(self, path: str) -> int:
        """How many requests arrived for `path`."""
        with self._lock:
            return self._requests[path]

    def reset(self) -> None:
        """Zero every counter."""
        with self._lock:
            self._requests.clear()
            self._token_requests.clear()
            self._token_failures.clear()
            self._faults.clear()
            self._by_jurisdiction.clear()
            self._by_client.clear()
            self._edge_resets = 0

    def snapshot(self) -> dict[str, Any]:
        """Every counter as a JSON object."""
        with self._lock:
            token_requests = {grant: self._token_requests[grant] for grant in GRANTS}
            token_failures = {grant: self._token_failures[grant] for grant in GRANTS}
            if self._token_requests["other"]:
                token_requests["other"] = self._token_requests["other"]
                token_failures["other"] = self._token_failures["other"]
            return {
                "token_requests": token_requests,
                "token_failures": token_failures,
                "requests_total": sum(self._requests.values()),
                "requests": dict(self._requests),
                "requests_by_jurisdiction": dict(self._by_jurisdiction),
                "requests_by_client": dict(self._by_client),
                "edge_resets": self._edge_resets,
                "faults_injected": sum(self._faults.values()),
                "faults_by_kind": dict(self._faults),
            }
