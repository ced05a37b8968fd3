"""The /_sandbox admin routes, the X-Tab-Sandbox label, the composition and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest

from app.sandbox.__main__ import options_from_args, parse_args
from app.sandbox.options import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from app.sandbox.routes import SERVICE_ROOT
from tests.conftest import REPO_ROOT
from tests.sandbox.conftest import SandboxServer
from tests.support.servers import free_port

DATES = SERVICE_ROOT + "/racing/dates"
MATCH = SERVICE_ROOT + "/sports/AFL Football/competitions/AFL/matches/Adelaide v Geelong"


@pytest.fixture
def client(sandbox_server: SandboxServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=sandbox_server.base_url, timeout=5) as c:
        yield c


def token(client: httpx2.Client, client_id: str = DEFAULT_CLIENT_ID,
          secret: str = DEFAULT_CLIENT_SECRET, **extra: str) -> httpx2.Response:
    form = {"grant_type": "client_credentials", "client_id": client_id,
            "client_secret": secret, **extra}
    return client.post("/oauth/token", data=form)


def password_tokens(client: httpx2.Client) -> dict[str, Any]:
    response = client.post("/oauth/token", data={
        "grant_type": "password", "username": "12345678", "password": "sandbox-password",
        "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET})
    return response.json()  # type: ignore[no-any-return]


def authorized(client: httpx2.Client, access_token: str) -> int:
    response = client.get(DATES, headers={"Authorization": f"Bearer {access_token}"})
    return response.status_code


def test_every_kind_of_response_is_labelled(client: httpx2.Client) -> None:
    responses = [
        client.get("/_sandbox/stats"),
        client.get(DATES),  # data route: jurisdiction missing
        client.get("/no/such/path"),
        client.get("/oauth/token"),
        token(client),
        token(client, secret="wrong"),
        client.get(DATES, headers={"Authorization": "Bearer nope"}),
    ]
    assert [r.status_code for r in responses] == [200, 400, 404, 405, 200, 401, 401]
    assert all(r.headers.get("x-tab-sandbox") == "1" for r in responses)


def test_data_routes_are_mounted_with_the_upstream_errors(client: httpx2.Client) -> None:
    missing = client.get(DATES)
    assert missing.json()["error"]["code"] == "INVALID_SYNTAX_ERROR"
    wa = client.get(DATES, params={"jurisdiction": "WA"})
    assert (wa.status_code, wa.json()["error"]["code"]) == (400, "INVALID_SYNTAX_ERROR")
    unknown = client.get("/v1/tab-info-service/nothing-here")
    assert unknown.json()["error"]["code"] == "RESOURCE_NOT_FOUND_ERROR"


def test_stats_count_requests_by_path_and_reset(client: httpx2.Client) -> None:
    for _ in range(3):
        client.get(DATES)
    token(client)
    client.get("/_sandbox/config")
    stats = client.get("/_sandbox/stats").json()
    assert stats["requests"] == {DATES: 3, "/oauth/token": 1}
    assert stats["requests_total"] == 4
    assert stats["token_requests"]["client_credentials"] == 1
    assert stats["edge_resets"] == 0 and stats["faults_injected"] == 0
    zeroed = client.post("/_sandbox/stats/reset").json()
    assert zeroed["requests_total"] == 0 and zeroed["requests"] == {}
    assert zeroed["token_requests"] == {"client_credentials": 0, "password": 0,
                                        "refresh_token": 0}


def test_clock_can_be_read_set_and_advanced(
    client: httpx2.Client, sandbox_server: SandboxServer
) -> None:
    now = datetime.fromisoformat(client.get("/_sandbox/clock").json()["now"])
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)
    moved = client.post("/_sandbox/clock", json={"set": "2026-09-23T04:25:00Z"}).json()
    assert datetime.fromisoformat(moved["now"]) - datetime(2026, 9, 23, 4, 25, tzinfo=UTC) < \
        timedelta(seconds=5)
    advanced = client.post("/_sandbox/clock", json={"advance": 3600}).json()
    delta = datetime.fromisoformat(advanced["now"]) - datetime.fromisoformat(moved["now"])
    assert timedelta(hours=1) <= delta < timedelta(hours=1, seconds=5)
    assert sandbox_server.options.clock.now() - datetime.fromisoformat(advanced["now"]) < \
        timedelta(seconds=5)
    for bad in ({"set": "not a date"}, {"advance": "soon"}, {}, ["advance"]):
        response = client.post("/_sandbox/clock", json=bad)
        assert response.status_code == 400
        assert response.json()["error"]["message"]


def test_faults_are_replaced_listed_validated_and_cleared(client: httpx2.Client) -> None:
    one = client.put("/_sandbox/faults", json={"latency_ms": 5}).json()["faults"]
    assert len(one) == 1 and one[0]["latency_ms"] == 5 and one[0]["error_rate"] == 0
    rules = [{"error_rate": 0.5, "path_prefix": "/sports"}, {"drop_rate": 0.1, "count": 3}]
    listed = client.put("/_sandbox/faults", json=rules).json()["faults"]
    assert [(r["error_rate"], r["drop_rate"], r["count"]) for r in listed] == [
        (0.5, 0, None), (0, 0.1, 3)]
    for bad in ([{"error_rate": 2}], [{"colour": "red"}], [{"garbage_kind": "soup"}],
                [{"error_rate": 0.6, "drop_rate": 0.6}], [{"error_status": 404}],
                [{"path_prefix": "racing"}], "[", [{"latency_ms": "slow"}]):
        kwargs = {"content": bad} if isinstance(bad, str) else {"json": bad}
        response = client.put("/_sandbox/faults", **kwargs)
        assert response.status_code == 400, bad
    assert len(client.get("/_sandbox/faults").json()["faults"]) == 2  # unchanged by bad puts
    assert client.delete("/_sandbox/faults").json() == {"faults": []}


def test_revoke_one_refresh_token(client: httpx2.Client) -> None:
    issued = password_tokens(client)
    revoked = client.post("/_sandbox/tokens/revoke",
                          json={"refresh_token": issued["refresh_token"]}).json()
    assert revoked == {"revoked": 1}
    refresh = client.post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": issued["refresh_token"],
        "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET})
    assert (refresh.status_code, refresh.json()["error"]) == (400, "invalid_grant")
    assert authorized(client, issued["access_token"]) != 401


def test_revoke_all_and_bad_revoke_bodies(client: httpx2.Client) -> None:
    first, second = token(client).json(), password_tokens(client)
    assert client.post("/_sandbox/tokens/revoke", json={"all": True}).json() == {"revoked": 3}
    assert authorized(client, first["access_token"]) == 401
    assert authorized(client, second["access_token"]) == 401
    assert client.post("/_sandbox/tokens/revoke", json={"access_token": "never"}).json() == {
        "revoked": 0}
    assert client.post("/_sandbox/tokens/revoke", json={"all": "yes"}).status_code == 400


def test_expire_all_then_new_tokens_work(client: httpx2.Client) -> None:
    old = token(client).json()["access_token"]
    assert client.post("/_sandbox/tokens/expire").json() == {"expired": 1}
    refused = client.get(DATES, headers={"Authorization": f"Bearer {old}"})
    assert refused.status_code == 401 and "expired" in refused.json()["error"]["message"]
    assert authorized(client, token(client).json()["access_token"]) != 401


def test_config_changes_the_token_lifetime(client: httpx2.Client) -> None:
    assert client.put("/_sandbox/config", json={"expires_in": 60}).json()["expires_in"] == 60
    issued = token(client).json()
    assert issued["expires_in"] == 60
    client.post("/_sandbox/clock", json={"advance": 61})
    assert authorized(client, issued["access_token"]) == 401
    for bad in ({"expires_in": 0}, {"expires_in": "1h"}, {"lifetime": 5},
                {"edge_rate": -1}, {"edge_protection": "on"}):
        assert client.put("/_sandbox/config", json=bad).status_code == 400, bad
    assert client.get("/_sandbox/config").json()["expires_in"] == 60


def test_clients_can_be_added_and_rotated(client: httpx2.Client) -> None:
    listed = client.put("/_sandbox/clients",
                        json={"client_id": "bench", "client_secret": "first"}).json()
    assert listed == {"clients": ["bench", DEFAULT_CLIENT_ID]}
    assert token(client, "bench", "first").status_code == 200
    client.put("/_sandbox/clients", json={"client_id": "bench", "client_secret": "second"})
    assert token(client, "bench", "first").status_code == 401
    assert token(client, "bench", "second").status_code == 200
    assert "first" not in client.get("/_sandbox/clients").text
    assert client.put("/_sandbox/clients", json={"client_id": "x"}).status_code == 400


def test_override_replays_a_recorded_body_for_one_path(client: httpx2.Client) -> None:
    recorded = {"dates": [{"meetingDate": "2026-09-23"}]}
    listed = client.put("/_sandbox/overrides", json={"path": DATES, "body": recorded}).json()
    assert listed == {"paths": [DATES]}
    response = client.get(DATES, params={"jurisdiction": "VIC", "extra": "1"})
    assert (response.status_code, response.json()) == (200, recorded)
    assert response.headers["x-tab-sandbox"] == "1"
    assert client.get(DATES + "/today/meetings").status_code == 400  # other paths untouched
    client.delete("/_sandbox/overrides")
    assert client.get(DATES).status_code == 400


def test_override_with_text_body_status_and_encoded_path(client: httpx2.Client) -> None:
    encoded = MATCH.replace(" ", "%20")
    client.put("/_sandbox/overrides", json={
        "path": encoded, "status": 503, "body": "<html>down</html>", "content_type": "text/html"})
    response = client.get(encoded)
    assert response.status_code == 503
    assert response.headers["content-type"] == "text/html"
    assert response.text == "<html>down</html>"
    bad_overrides: list[Any] = [
        {"body": {}}, {"path": DATES}, {"path": "/_sandbox/stats", "body": 1},
        {"path": DATES, "body": 1, "status": 99}, [DATES]]
    for bad in bad_overrides:
        assert client.put("/_sandbox/overrides", json=bad).status_code == 400, bad


def test_full_reset(client: httpx2.Client) -> None:
    issued = token(client).json()
    client.put("/_sandbox/faults", json=[{"error_rate": 1}])
    client.put("/_sandbox/overrides", json={"path": DATES, "body": {}})
    client.put("/_sandbox/config", json={"expires_in": 5})
    client.put("/_sandbox/clients", json={"client_id": "bench", "client_secret": "s"})
    assert client.post("/_sandbox/reset").json() == {"reset": True}
    assert client.get("/_sandbox/faults").json() == {"faults": []}
    assert client.get("/_sandbox/overrides").json() == {"paths": []}
    assert client.get("/_sandbox/config").json()["expires_in"] == 10800
    assert client.get("/_sandbox/clients").json() == {"clients": [DEFAULT_CLIENT_ID]}
    assert authorized(client, issued["access_token"]) == 401
    assert client.get("/_sandbox/stats").json()["requests_total"] == 1


def test_cli_options() -> None:
    args = parse_args(["--port", "9000", "--seed", "7", "--latency-ms", "20",
                       "--fault-rate", "0.1", "--edge-protection", "--expires-in", "600"])
    options = options_from_args(args)
    assert (args.host, args.port) == ("127.0.0.1", 9000)
    assert (options.seed, options.expires_in, options.edge_protection) == (7, 600, True)
    assert [(f.latency_ms, f.error_rate) for f in options.faults] == [(20, 0.1)]
    assert options_from_args(parse_args([])).faults == []
    with pytest.raises(ValueError, match="error_rate: Input should be less than or equal to 1"):
        options_from_args(parse_args(["--fault-rate", "2"]))


def test_cli_serves_and_prints_the_base_url() -> None:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.sandbox", "--port", str(port), "--seed", "3"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline() for _ in range(6)]
        assert f"http://127.0.0.1:{port}" in banner[0]
        assert "not real" in banner[0]
        assert any("client_secret=sandbox-secret" in line for line in banner)
        deadline = time.monotonic() + 15
        while True:
            try:
                response = httpx2.get(f"http://127.0.0.1:{port}/_sandbox/stats")
                break
            except httpx2.ConnectError:
                assert time.monotonic() < deadline, "the sandbox did not start"
                time.sleep(0.05)
        assert response.status_code == 200
        assert response.headers["x-tab-sandbox"] == "1"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


FAULTS, CONFIG = "/_sandbox/faults", "/_sandbox/config"


@pytest.mark.parametrize(("route", "method", "body", "says"), [
    (FAULTS, "PUT", {"after_handler": "yes"}, "after_handler: Input should be a valid boolean"),
    (FAULTS, "PUT", {"after_handler": 1}, "after_handler: Input should be a valid boolean"),
    (FAULTS, "PUT", {"colour": "red"}, "unknown setting 'colour'"),
    (FAULTS, "PUT", {"garbage_kind": "soup"}, "'truncated', 'not_json', 'html_block' or 'mixed'"),
    (FAULTS, "PUT", {"path_prefix": "racing"}, "path_prefix: must start with '/'"),
    (FAULTS, "PUT", {"error_rate": 0.6, "drop_rate": 0.6}, "must not add up to more than 1"),
    (CONFIG, "PUT", {"edge_burst": 0}, "edge_burst: Input should be greater than or equal to 1"),
    (CONFIG, "PUT", {"expires_in": True}, "expires_in: Input should be a valid integer"),
    ("/_sandbox/clock", "POST", {"set": "2026-01-01", "advance": 5}, 'send {"set"'),
    ("/_sandbox/clients", "PUT", {"client_id": "a:b", "client_secret": "s"}, "client_id"),
    ("/_sandbox/tokens/revoke", "POST", {"everything": True}, "unknown setting 'everything'"),
])
def test_bad_admin_bodies_say_what_is_allowed(client: httpx2.Client, route: str, method: str,
                                              body: Any, says: str) -> None:
    response = client.request(method, route, json=body)
    assert response.status_code == 400
    assert says in response.json()["error"]["message"]
