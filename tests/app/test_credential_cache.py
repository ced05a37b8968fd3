"""The bounded per-credential cache: one object per credential set, keyed by a salted hash."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import SecretStr

from app.credential_cache import CredentialCache
from app.domain.credentials import Credentials
from app.request_config.model import SessionConfig


def config(client: str, secret: str, jurisdiction: str | None = None) -> Credentials:
    """The credentials of a session that brings its own client id and secret."""
    return SessionConfig.model_validate({
        "tabClientId": client, "tabClientSecret": SecretStr(secret),
        "jurisdiction": jurisdiction}).credentials


def test_one_object_per_credential_set() -> None:
    cache: CredentialCache[object] = CredentialCache()
    made: list[Credentials] = []

    def factory(session: Credentials) -> object:
        made.append(session)
        return object()

    first = cache.get_or_create(config("a", "s1"), factory)
    again = cache.get_or_create(config("a", "s1", jurisdiction="QLD"), factory)
    other = cache.get_or_create(config("a", "s2"), factory)
    assert first is again and first is not other
    assert len(made) == 2 and len(cache) == 2
    assert config("a", "s1") in cache and config("a", "s3") not in cache


@pytest.mark.anyio
async def test_least_recently_used_is_evicted_and_closed() -> None:
    closed: list[str] = []

    async def close(name: str) -> None:
        closed.append(name)

    cache: CredentialCache[str] = CredentialCache(max_entries=2, on_evict=close)
    cache.get_or_create(config("a", "1"), lambda _: "one")
    cache.get_or_create(config("b", "2"), lambda _: "two")
    cache.get_or_create(config("a", "1"), lambda _: "unused")  # "one" is now the most recent
    cache.get_or_create(config("c", "3"), lambda _: "three")
    await asyncio.sleep(0.01)
    assert closed == ["two"]
    assert len(cache) == 2 and config("b", "2") not in cache
    await cache.aclose()
    assert sorted(closed) == ["one", "three", "two"] and len(cache) == 0


@pytest.mark.anyio
async def test_delayed_close_waits_and_aclose_closes_at_once() -> None:
    closed: list[str] = []

    async def close(name: str) -> None:
        closed.append(name)

    cache: CredentialCache[str] = CredentialCache(max_entries=1, on_evict=close,
                                                        close_delay=60)
    cache.get_or_create(config("a", "1"), lambda _: "one")
    cache.get_or_create(config("b", "2"), lambda _: "two")
    cache.get_or_create(config("c", "3"), lambda _: "three")
    await asyncio.sleep(0.01)
    assert closed == []  # still within the delay: in-flight users may hold them
    await cache.aclose()
    assert sorted(closed) == ["one", "three", "two"]


@pytest.mark.anyio
async def test_a_failing_close_hook_does_not_break_the_cache() -> None:
    async def close(_: str) -> None:
        raise RuntimeError("boom")

    cache: CredentialCache[str] = CredentialCache(max_entries=1, on_evict=close)
    cache.get_or_create(config("a", "1"), lambda _: "one")
    assert cache.get_or_create(config("b", "2"), lambda _: "two") == "two"
    await asyncio.sleep(0.01)
    await cache.aclose()
