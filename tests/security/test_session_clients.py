"""The bounded per-credential cache: one object per credential set, keyed by a salted hash."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import SecretStr

from app.credential_cache import SessionScopedCache, credentials_fingerprint
from app.request_config.model import SessionConfig


def config(client: str, secret: str, username: str | None = None,
           password: str | None = None, jurisdiction: str | None = None) -> SessionConfig:
    return SessionConfig.model_validate({
        "tabClientId": client, "tabClientSecret": SecretStr(secret),
        "tabUsername": SecretStr(username) if username else None,
        "tabPassword": SecretStr(password) if password else None,
        "jurisdiction": jurisdiction})


def test_fingerprint_depends_on_every_credential_and_nothing_else() -> None:
    base = config("client-a", "secret-a", "user-a", "pass-a")
    variants = [config("client-b", "secret-a", "user-a", "pass-a"),
                config("client-a", "secret-b", "user-a", "pass-a"),
                config("client-a", "secret-a", "user-b", "pass-a"),
                config("client-a", "secret-a", "user-a", "pass-b"),
                # the boundary between fields cannot be shifted
                config("client-a", "secret-auser-a", None, None)]
    fingerprints = {credentials_fingerprint(item) for item in [base, *variants]}
    assert len(fingerprints) == 1 + len(variants)
    same = config("client-a", "secret-a", "user-a", "pass-a", jurisdiction="VIC")
    assert credentials_fingerprint(same) == credentials_fingerprint(base)
    fingerprint = credentials_fingerprint(base)
    for raw in ("client-a", "secret-a", "user-a", "pass-a"):
        assert raw not in fingerprint


def test_fingerprint_is_salted_per_process() -> None:
    import hashlib
    import json

    base = config("client-a", "secret-a")
    unsalted = hashlib.sha256(json.dumps(["client-a", "secret-a", "", ""]).encode()).hexdigest()
    assert credentials_fingerprint(base) != unsalted


def test_one_object_per_credential_set() -> None:
    cache: SessionScopedCache[object] = SessionScopedCache()
    made: list[SessionConfig] = []

    def factory(session: SessionConfig) -> object:
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

    cache: SessionScopedCache[str] = SessionScopedCache(max_entries=2, on_evict=close)
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

    cache: SessionScopedCache[str] = SessionScopedCache(max_entries=1, on_evict=close,
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

    cache: SessionScopedCache[str] = SessionScopedCache(max_entries=1, on_evict=close)
    cache.get_or_create(config("a", "1"), lambda _: "one")
    assert cache.get_or_create(config("b", "2"), lambda _: "two") == "two"
    await asyncio.sleep(0.01)
    await cache.aclose()
