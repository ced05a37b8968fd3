"""The sandbox's token endpoint and bearer check, over real HTTP."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from urllib.parse import quote

import httpx2
import pytest
from authlib.integrations.httpx_client import AsyncOAuth2Client

from app.sandbox.options import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PASSWORD,
    DEFAULT_USERNAME,
    SandboxOptions,
)
from app.sandbox.routes import SERVICE_ROOT
from tests.sandbox.conftest import SandboxFactory, SandboxServer

PROBE = "/racing/dates"
PROBE_BODY = {"dates": ["2026-09-23"]}
SPECIAL_SECRET = "p@ss:w/rd&=%"


@pytest.fixture
def client(sandbox_server: SandboxServer) -> Iterator[httpx2.Client]:
    """A client of the sandbox whose probe path answers 200 to anyone let through."""
    with httpx2.Client(base_url=sandbox_server.base_url, timeout=5) as c:
        override = {"path": SERVICE_ROOT + PROBE, "body": PROBE_BODY}
        c.put("/_sandbox/overrides", json=override).raise_for_status()
        yield c


def probe(client: httpx2.Client, authorization: str | None) -> httpx2.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return client.get(f"{SERVICE_ROOT}{PROBE}?jurisdiction=NSW", headers=headers)


def client_credentials(client: httpx2.Client, **extra: str) -> httpx2.Response:
    form = {"grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET, **extra}
    return client.post("/oauth/token", data=form)


def password_grant(client: httpx2.Client) -> httpx2.Response:
    return client.post("/oauth/token", data={
        "grant_type": "password", "username": DEFAULT_USERNAME, "password": DEFAULT_PASSWORD,
        "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET})


def refresh_grant(client: httpx2.Client, refresh_token: str) -> httpx2.Response:
    return client.post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": refresh_token,
        "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET})


def assert_unauthorized(response: httpx2.Response) -> None:
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "UNAUTHORIZED"
    assert error["message"]
    assert isinstance(error["details"], list)


def test_client_credentials_issues_a_working_bearer_without_refresh(client: httpx2.Client) -> None:
    response = client_credentials(client)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 10800
    assert "refresh_token" not in body
    assert len(body["access_token"]) >= 32
    assert probe(client, f"Bearer {body['access_token']}").json() == PROBE_BODY


def test_tokens_are_random(client: httpx2.Client) -> None:
    tokens = {client_credentials(client).json()["access_token"] for _ in range(5)}
    assert len(tokens) == 5


def test_scope_is_echoed_when_asked_for(client: httpx2.Client) -> None:
    assert client_credentials(client, scope="read").json()["scope"] == "read"


def test_http_basic_client_authentication(client: httpx2.Client) -> None:
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))
    assert response.status_code == 200
    assert probe(client, f"Bearer {response.json()['access_token']}").status_code == 200


def test_password_grant_issues_refresh_token(client: httpx2.Client) -> None:
    response = password_grant(client)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["refresh_token"] and body["refresh_token"] != body["access_token"]
    assert probe(client, f"Bearer {body['access_token']}").status_code == 200


def test_wrong_password_is_invalid_grant(client: httpx2.Client) -> None:
    response = client.post("/oauth/token", data={
        "grant_type": "password", "username": DEFAULT_USERNAME, "password": "nope",
        "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_refresh_rotates_and_the_old_token_is_refused(client: httpx2.Client) -> None:
    first = password_grant(client).json()
    second = refresh_grant(client, first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["access_token"] != first["access_token"]
    assert probe(client, f"Bearer {rotated['access_token']}").status_code == 200

    replay = refresh_grant(client, first["refresh_token"])
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert refresh_grant(client, rotated["refresh_token"]).status_code == 200


def test_refresh_token_of_another_client_is_invalid_grant(
    client: httpx2.Client, sandbox_server: SandboxServer
) -> None:
    sandbox_server.state.credentials.set_client("other", "other-secret")
    refresh = password_grant(client).json()["refresh_token"]
    response = client.post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": refresh,
        "client_id": "other", "client_secret": "other-secret"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert refresh_grant(client, refresh).status_code == 200  # not used up by the foreign try


def test_expired_bearer_is_refused_after_the_clock_moves(client: httpx2.Client) -> None:
    body = client_credentials(client).json()
    bearer = f"Bearer {body['access_token']}"
    client.post("/_sandbox/clock", json={"advance": body["expires_in"] - 60})
    assert probe(client, bearer).status_code == 200
    client.post("/_sandbox/clock", json={"advance": 120})
    response = probe(client, bearer)
    assert_unauthorized(response)
    assert "expired" in response.json()["error"]["message"]


def test_revoked_bearer_is_refused(client: httpx2.Client) -> None:
    token = client_credentials(client).json()["access_token"]
    other = client_credentials(client).json()["access_token"]
    revoked = client.post("/_sandbox/tokens/revoke", json={"access_token": token})
    assert revoked.json() == {"revoked": 1}
    assert_unauthorized(probe(client, f"Bearer {token}"))
    assert probe(client, f"Bearer {other}").status_code == 200


@pytest.mark.parametrize("authorization", ["Bearer", "", "Bearer not-issued", "Basic eDp5"])
def test_present_but_bad_authorization_is_refused(
    client: httpx2.Client, authorization: str
) -> None:
    assert_unauthorized(probe(client, authorization))


def test_no_authorization_is_anonymous_and_allowed(client: httpx2.Client) -> None:
    assert probe(client, None).json() == PROBE_BODY


def test_json_body_is_rejected(client: httpx2.Client) -> None:
    response = client.post("/oauth/token", json={
        "grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(("client_id", "secret"), [
    (DEFAULT_CLIENT_ID, "wrong"), ("unknown-client", DEFAULT_CLIENT_SECRET),
    (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET.upper())])
def test_bad_client_credentials_are_invalid_client(
    client: httpx2.Client, client_id: str, secret: str
) -> None:
    for kwargs in (
        {"data": {"grant_type": "client_credentials", "client_id": client_id,
                  "client_secret": secret}},
        {"data": {"grant_type": "client_credentials"}, "auth": (client_id, secret)},
    ):
        response = client.post("/oauth/token", **kwargs)
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert response.json()["error_description"]
        assert secret not in response.text


def test_missing_and_unsupported_grants(client: httpx2.Client) -> None:
    creds = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}
    missing = client.post("/oauth/token", data=creds)
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    unsupported = client.post("/oauth/token", data={**creds, "grant_type": "implicit"})
    assert (unsupported.status_code, unsupported.json()["error"]) == (400,
                                                                      "unsupported_grant_type")
    no_token = client.post("/oauth/token", data={**creds, "grant_type": "refresh_token"})
    assert (no_token.status_code, no_token.json()["error"]) == (400, "invalid_request")


def test_repeated_parameter_is_invalid_request(client: httpx2.Client) -> None:
    body = (f"grant_type=client_credentials&client_id={DEFAULT_CLIENT_ID}"
            f"&client_secret={DEFAULT_CLIENT_SECRET}&client_secret=again")
    response = client.post("/oauth/token", content=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


def test_only_post_is_allowed(client: httpx2.Client) -> None:
    assert client.get("/oauth/token").status_code == 405


def test_secret_with_special_characters(sandbox_factory: SandboxFactory) -> None:
    server = sandbox_factory(SandboxOptions(clients={"special": SPECIAL_SECRET}))
    with httpx2.Client(base_url=server.base_url, timeout=5) as c:
        post = c.post("/oauth/token", data={"grant_type": "client_credentials",
                                            "client_id": "special",
                                            "client_secret": SPECIAL_SECRET})
        assert post.status_code == 200, post.text
        raw_basic = c.post("/oauth/token", data={"grant_type": "client_credentials"},
                           auth=("special", SPECIAL_SECRET))
        assert raw_basic.status_code == 200
        encoded = base64.b64encode(f"special:{quote(SPECIAL_SECRET, safe='')}".encode()).decode()
        rfc_basic = c.post("/oauth/token", data={"grant_type": "client_credentials"},
                           headers={"Authorization": f"Basic {encoded}"})
        assert rfc_basic.status_code == 200
        near_miss = c.post("/oauth/token", data={"grant_type": "client_credentials",
                                                 "client_id": "special",
                                                 "client_secret": SPECIAL_SECRET[:-1]})
        assert near_miss.status_code == 401


def test_token_counters_by_grant(client: httpx2.Client) -> None:
    client_credentials(client)
    client_credentials(client, client_secret="wrong")
    refresh = password_grant(client).json()["refresh_token"]
    refresh_grant(client, refresh)
    refresh_grant(client, refresh)
    stats = client.get("/_sandbox/stats").json()
    assert stats["token_requests"] == {"client_credentials": 2, "password": 1, "refresh_token": 2}
    assert stats["token_failures"] == {"client_credentials": 1, "password": 0, "refresh_token": 1}


@pytest.mark.anyio
@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic"])
async def test_authlib_client_fetches_and_refreshes(
    sandbox_server: SandboxServer, method: str
) -> None:
    async with AsyncOAuth2Client(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
                                 token_endpoint_auth_method=method) as oauth:
        token = await oauth.fetch_token(sandbox_server.token_url, grant_type="password",
                                        username=DEFAULT_USERNAME, password=DEFAULT_PASSWORD)
        assert token["token_type"] == "Bearer"
        refreshed = await oauth.refresh_token(sandbox_server.token_url,
                                              refresh_token=token["refresh_token"])
        assert refreshed["access_token"] != token["access_token"]
    assert sandbox_server.state.stats.snapshot()["token_failures"]["refresh_token"] == 0
