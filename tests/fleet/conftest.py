"""Fixtures of the fleet tests: a real redis-server per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.redis_server import RedisServer, redis_server


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    """A redis-server of this module's own (tests use distinct key namespaces)."""
    with redis_server() as server:
        yield server
