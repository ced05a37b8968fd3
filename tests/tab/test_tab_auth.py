"""Upstream authentication end to end against the sandbox (real socket and in-process)."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import SecretStr

from app.domain.credentials import AuthMode, Credentials
from app.observability.metrics import REGISTRY
from app.sandbox.options import DEFAULT_CLIENT_ID, DEFAULT_PASSWORD, DEFAULT_USERNAME
from app.tab.client import TabClient
from app.tab.errors import Unauthorised
from tests.tab.conftest import SERVICE_ROOT, Sandbox

pytestmark = pytest.mark.anyio

DATA_PATH = SERVICE_ROOT + "/racing/dates/2026-09-23/meetings/R/WFM/races/2/form/1"
BODY = {"runnerNumber": 1, "runnerName": "DE ARMAS"}


async def call(client: TabClient, n: int = 0) -> object:
    """One uncached read; distinct `n` gives distinct cache keys for the same upstream path."""
    return (await client.get_raw(DATA_PATH, {"n": n})).data


def sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.parametrize("mode", ["anonymous", "client_credentials", "password"])
async def test_each_auth_mode_end_to_end(sandbox: Sandbox, mode: str) -> None:
    await sandbox.override(DATA_PATH, BODY)
    client = sandbox.client(mode)
    assert client.auth_mode is AuthMode(mode)
    for n in range(3):
        assert await call(client, n) == BODY
    tokens = await sandbox.token_requests()
    data = sandbox.recorder.data_requests()
    assert len(data) == 3
    if mode == "anonymous":
        assert sum(tokens.values()) == 0
        # No Authorization header at all: an empty one turns a 200 into a 401 upstream.
        assert all("authorization" not in seen.headers for seen in data)
    else:
        assert tokens[mode] == 1 and sum(tokens.values()) == 1
        assert all(seen.headers["authorization"].startswith("Bearer ") for seen in data)
        assert len({seen.headers["authorization"] for seen in data}) == 1
    ready, reason = await client.check_ready()
    assert ready, reason


async def test_fifty_calls_at_token_expiry_make_one_token_request(sandbox: Sandbox) -> None:
    await sandbox.override(DATA_PATH, BODY)
    await sandbox.admin("PUT", "/config", {"expires_in": 2})
    client = sandbox.client("password")
    await call(client)
    await sandbox.admin("PUT", "/config", {"expires_in": 10800})
    await asyncio.sleep(1.1)  # 2 s lifetime, 1 s leeway: the client now renews before use
    results = await asyncio.gather(*(call(client, n) for n in range(1, 51)))
    assert results == [BODY] * 50
    assert await sandbox.token_requests() == {"client_credentials": 0, "password": 1,
                                              "refresh_token": 1}
    assert len({seen.headers["authorization"] for seen in sandbox.recorder.data_requests()}) == 2


async def test_fifty_calls_with_a_server_expired_token_reauthenticate_once(
        sandbox: Sandbox) -> None:
    await sandbox.override(DATA_PATH, BODY)
    client = sandbox.client("client_credentials")
    await call(client)
    await sandbox.admin("POST", "/tokens/expire")
    results = await asyncio.gather(*(call(client, n) for n in range(1, 51)))
    assert results == [BODY] * 50
    assert (await sandbox.token_requests())["client_credentials"] == 2
    # Calls that drew a 401 were retried once; calls sent after the renewal went through.
    assert 1 + 50 + 1 <= await sandbox.requests_for(DATA_PATH) <= 1 + 50 + 50


async def test_revoked_refresh_token_falls_back_to_the_password_grant(sandbox: Sandbox) -> None:
    await sandbox.override(DATA_PATH, BODY)
    client = sandbox.client("password")
    await call(client)
    await sandbox.admin("POST", "/tokens/revoke", {"all": True})  # access and refresh tokens
    results = await asyncio.gather(*(call(client, n) for n in range(1, 51)))
    assert results == [BODY] * 50
    stats = await sandbox.stats()
    assert stats["token_requests"] == {"client_credentials": 0, "password": 2,
                                       "refresh_token": 1}
    assert stats["token_failures"]["refresh_token"] == 1
    assert stats["token_failures"]["password"] == 0


async def test_token_revoked_mid_flight_costs_one_401_and_one_reauth(sandbox: Sandbox) -> None:
    await sandbox.override(DATA_PATH, BODY)
    client = sandbox.client("client_credentials")
    await call(client)
    before = sample("tabmcp_upstream_requests_total", {"endpoint": "/raw", "status": "401"})
    await sandbox.admin("POST", "/tokens/revoke", {"all": True})
    assert await call(client, 1) == BODY
    assert sample("tabmcp_upstream_requests_total",
                  {"endpoint": "/raw", "status": "401"}) - before == 1
    assert (await sandbox.token_requests())["client_credentials"] == 2
    assert await sandbox.requests_for(DATA_PATH) == 3


async def test_short_token_lifetimes_do_not_renew_on_every_request(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(DATA_PATH, BODY)
    await asgi_sandbox.admin("PUT", "/config", {"expires_in": 30})  # shorter than a 60 s leeway
    client = asgi_sandbox.client("client_credentials")
    for n in range(5):
        await call(client, n)
    assert (await asgi_sandbox.token_requests())["client_credentials"] == 1


async def test_rotated_client_secret_is_reloaded_once(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(DATA_PATH, BODY)
    await asgi_sandbox.admin("PUT", "/clients", {"client_id": "rotating",
                                                 "client_secret": "first-secret-value"})
    current = {"secret": "first-secret-value"}

    def reload() -> Credentials:
        return Credentials(client_id="rotating", client_secret=SecretStr(current["secret"]))

    client = TabClient(asgi_sandbox.settings(), transport=asgi_sandbox.transport,
                       credentials=reload(), reload_credentials=reload)
    try:
        await call(client)
        await asgi_sandbox.admin("PUT", "/clients", {"client_id": "rotating",
                                                     "client_secret": "second-secret-value"})
        current["secret"] = "second-secret-value"
        await asgi_sandbox.admin("POST", "/tokens/expire")
        assert await call(client, 1) == BODY
    finally:
        await client.aclose()
    stats = await asgi_sandbox.stats()
    assert stats["token_requests"]["client_credentials"] == 3
    assert stats["token_failures"]["client_credentials"] == 1


async def test_rejected_credentials_raise_unauthorised_without_echoing_them(
        sandbox: Sandbox) -> None:
    await sandbox.override(DATA_PATH, BODY)
    wrong_password = Credentials(client_id=DEFAULT_CLIENT_ID,
                                 client_secret=SecretStr("not-the-secret-9f8e7d"),
                                 username=SecretStr(DEFAULT_USERNAME),
                                 password=SecretStr(DEFAULT_PASSWORD))
    wrong_account = Credentials(client_id=DEFAULT_CLIENT_ID,
                                client_secret=SecretStr("sandbox-secret"),
                                username=SecretStr(DEFAULT_USERNAME),
                                password=SecretStr("wrong-password-4c3b2a"))
    for credentials, hint in ((wrong_password, "TAB_CLIENT_SECRET"),
                              (wrong_account, "TAB_PASSWORD")):
        client = sandbox.client("anonymous", credentials=credentials)
        with pytest.raises(Unauthorised) as caught:
            await call(client)
        assert hint in caught.value.message
        for secret in ("not-the-secret-9f8e7d", "wrong-password-4c3b2a", DEFAULT_USERNAME):
            assert secret not in caught.value.message
            assert secret not in repr(credentials)
        ready, reason = await client.check_ready()
        assert not ready and hint in reason
    assert sandbox.recorder.data_requests() == []  # nothing was sent without a token
