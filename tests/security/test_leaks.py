"""No secret ever leaves the server: not in logs, tool results, HTTP responses or metrics.

Every secret - the server's (client secret, account username and password, API key, metrics
key) and a session's own (client secret, username, password, and a wrong password) - is a
canary. A workload covers every listed tool (the `WORKLOAD` table plus hostile values for every
string parameter, so tools added later are covered automatically), every resource and prompt,
the inbound error paths (401, 400, 403, 421, 413, 429), the token paths (revoked, expired,
rotated credentials, wrong session password) and upstream faults (5xx, 429, garbage, dropped
connections, token endpoint down). Then every captured byte is scanned for every canary, raw,
URL-encoded and base64-encoded. The upstream is an in-process sandbox that knows the canary
credentials, so authenticated paths really run.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import json
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlencode

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from app.asgi import create_app
from app.config import Settings
from app.observability.logging import configure_logging
from app.sandbox.embedded import SANDBOX_BASE_URL, SANDBOX_TOKEN_URL, sandbox_transport
from app.sandbox.options import FaultConfig, SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.state import SandboxState
from app.services import Services
from app.tab.pricing import PRICING_PATHS
from tests.sandbox.world_support import parse_time, race_paths
from tests.security.helpers import INITIALIZE, MCP_HEADERS, make_settings
from tests.support.servers import serve

SERVER_CLIENT_ID = "leak-server-client"
SESSION_CLIENT_ID = "leak-session-client"
CANARIES = {
    "server client secret": "LeakCanary-SrvSecret+/=&1",  # pragma: allowlist secret
    "server username": "804731962517",  # an account number: the account paths take digits
    "server password": "LeakCanary-SrvPass word%7",  # pragma: allowlist secret
    "api key": "LeakCanary-ApiKey-0123456789",
    "metrics key": "LeakCanary-MetricsKey-9876543",
    "session client secret": "LeakCanary-SessSecret;:@2",  # pragma: allowlist secret
    "session username": "593028461730",  # an account number too
    "session password": "LeakCanary-SessPass!#3",  # pragma: allowlist secret
    "wrong session password": "LeakCanary-WrongPass~*4",  # pragma: allowlist secret
}
API_KEY = CANARIES["api key"]
AUTH = {"Authorization": f"Bearer {API_KEY}"}
SESSION_HEADERS = {"X-TAB-Client-Id": SESSION_CLIENT_ID,
                   "X-TAB-Client-Secret": CANARIES["session client secret"],
                   "X-TAB-Username": CANARIES["session username"],
                   "X-TAB-Password": CANARIES["session password"],
                   "X-TAB-Jurisdiction": "VIC"}
SESSION_CONFIG = {"tabClientId": SESSION_CLIENT_ID,
                  "tabClientSecret": CANARIES["session client secret"],
                  "tabUsername": CANARIES["session username"],
                  "tabPassword": CANARIES["session password"]}

#: Values discovered from the sandbox at run time, referenced as "$name" in `WORKLOAD`.
DISCOVERED = ("venue", "race_type", "past_venue", "past_race_type", "sport", "competition",
              "match", "legs", "sgm_selections", "quote_id")

#: Realistic calls per tool ("$name" is replaced by a discovered value). Every listed tool must
#: succeed at least once, so a new tool that needs arguments needs an entry here; besides these,
#: every tool is called with no arguments and with hostile values for each string parameter.
WORKLOAD: dict[str, list[dict[str, Any]]] = {
    "server_status": [{}],
    "racing_dates": [{}],
    "racing_meetings": [{}, {"date": "tomorrow", "race_type": "G"}, {"date": "1999-01-01"},
                        {"date": "not-a-date"}],
    "meeting_races": [{"venue": "$venue", "race_type": "$race_type"},
                      {"venue": "Nowhere Park"}],
    "race_card": [{"venue": "$venue", "race_number": 1, "race_type": "$race_type"},
                  {"venue": "$venue", "race_number": 1, "detail": "full"},
                  {"venue": "$venue", "race_number": 99}],
    "next_to_go": [{"count": 3}, {"count": 0}],
    "race_form": [{"venue": "$venue", "race_number": 1, "race_type": "$race_type"}],
    "runner_form": [{"venue": "$venue", "race_number": 1, "runner_number": 1,
                     "race_type": "$race_type"},
                    {"venue": "$venue", "race_number": 1, "runner_number": 40}],
    "pool_approximates": [{"venue": "$venue", "race_number": 1, "product": "Quinella",
                           "race_type": "$race_type"},
                          {"venue": "$venue", "race_number": 1, "product": "Nonsense"}],
    "racing_jackpots": [{}, {"date": "today"}],
    "exotic_cost": [{"product": "Trifecta", "bet_type": "boxed", "legs": [[1, 2, 3]]},
                    {"product": "Quinella", "bet_type": "boxed", "legs": [[1, 2, 3]],
                     "venue": "$venue", "race_number": 1},
                    {"product": "Quaddie", "legs": [[1], [2]]}],
    "market_movers": [{"races": 2}, {"races": 2, "venue": "$venue", "min_move_pct": 0}],
    "sports_list": [{}],
    "sport_competitions": [{"sport": "$sport"}, {"sport": "Quidditch"}],
    "competition_matches": [{"sport": "$sport", "competition": "$competition"}],
    "match_markets": [{"sport": "$sport", "competition": "$competition", "match": "$match"},
                      {"sport": "$sport", "competition": "$competition", "match": "A v B"}],
    "sports_next_to_go": [{"limit": 3}, {"limit": 3, "within_hours": 12, "open_only": False}],
    "sgm_price": [{"sport": "$sport", "competition": "$competition", "match": "$match",
                   "legs": "$legs"}],
    "race_results": [{"venue": "$past_venue", "race_number": 1, "date": "yesterday",
                      "race_type": "$past_race_type"},
                     {"venue": "$venue", "race_number": 1, "race_type": "$race_type"}],
    "sports_results": [{}, {"sport": "$sport"},
                       {"sport": "$sport", "competition": "$competition"}],
    "footy_rounds": [{"sport": "$sport"}],
    "footy_round": [{"sport": "$sport", "round": 1}, {"sport": "$sport", "round": 1,
                                                      "series": "x"}],
    "tab_get": [{"path": "/v1/tab-info-service/racing/dates"},
                {"path": "/v1/tab-info-service/racing/dates",
                 "params": {"jurisdiction": "VIC", "client_secret": "x", "access_token": "y"}},
                {"path": "/v1/tab-info-service/../../oauth/token"},
                {"path": "/v1/tab-info-service/%2e%2e/%2e%2e/_sandbox/stats"},
                {"path": "/v1/tab-info-service/racing/dates?access_token=1#frag"},
                {"path": "https://evil.example/v1/tab-info-service/racing/dates"},
                {"path": "//evil.example/v1/tab-info-service/racing/dates"}],
    "account_balance": [{}],
    "account_bets": [{"status": "running"}, {"status": "settled", "count": 2}, {"count": 0}],
    "account_transactions": [{"count": 3}, {"count": 99}],
    "bet_quote": [{"venue": "$venue", "race_number": 1, "selections": [[1]], "stake": 5},
                  {"venue": "$venue", "race_number": 1, "selections": [[1]], "stake": 9999},
                  {"bet_type": "QUINELLA", "venue": "$venue", "race_number": 1,
                   "selections": [[1, 2, 3]], "stake": 1},
                  {"bet_type": "TRIFECTA", "venue": "$venue", "race_number": 1,
                   "selections": [[1], [2]], "stake": 1},
                  {"bet_type": "SAME_RACE_MULTI", "venue": "$venue", "race_number": 1,
                   "selections": [[1], [2]], "stake": 2},
                  {"bet_type": "SAME_GAME_MULTI", "sport": "$sport",
                   "competition": "$competition", "match": "$match",
                   "selections": "$sgm_selections", "stake": 2}],
    "bet_place": [{"quote_id": "$quote_id"}, {"quote_id": "$quote_id"},
                  {"quote_id": "q1.e30.AAAA"}],
    "no_such_tool": [{}],
}
INPUT_MARKER = "InputMarker-7c1d"  # not a secret: inputs may be echoed
HOSTILE = ["../../oauth/token", "..%2F..%2F_sandbox%2Fstats", "https://evil.example/oauth/token",
           "x" * 10_240, "Ünïcødé 🏇 \u202e\x00\r\nX-Injected: 1", INPUT_MARKER, ""]
#: Plausible values for resource-template variables and prompt arguments, by name.
PLAUSIBLE = {"date": "today", "race_type": "$race_type", "venue": "$venue", "race_number": "1",
             "sport": "$sport", "competition": "$competition", "match": "$match"}


def forms(secret: str) -> set[str]:
    """How a secret could appear: raw, URL-encoded (both styles) or base64 (both alphabets)."""
    raw = secret.encode()
    return {secret, quote(secret, safe=""), quote(secret), quote_plus(secret),
            base64.b64encode(raw).decode().rstrip("="),
            base64.urlsafe_b64encode(raw).decode().rstrip("=")}


class _TeeStream(httpx2.AsyncByteStream):
    def __init__(self, inner: Any, sink: list[bytes]) -> None:
        self._inner = inner
        self._sink = sink

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._sink.append(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class Capture:
    """Everything the server sent back, and every tool result the clients saw."""

    responses: list[tuple[str, list[bytes]]] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=lambda: {"ok": 0, "error": 0})
    succeeded: set[str] = field(default_factory=set)

    def transport(self) -> httpx2.AsyncHTTPTransport:
        capture = self

        class Recording(httpx2.AsyncHTTPTransport):
            async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
                response = await super().handle_async_request(request)
                chunks: list[bytes] = []
                head = f"{response.status_code}\n" + "\n".join(
                    f"{k}: {v}" for k, v in response.headers.multi_items())
                capture.responses.append((head, chunks))
                return httpx2.Response(response.status_code, headers=response.headers,
                                       stream=_TeeStream(response.stream, chunks),
                                       extensions=response.extensions)

        return Recording()

    def text(self) -> str:
        bodies = [head + "\n" + b"".join(chunks).decode("utf-8", "replace")
                  for head, chunks in self.responses]
        return "\n".join([*bodies, *self.results])


@dataclass
class Deployment:
    url: str
    sandbox: SandboxState
    settings: Settings
    transport: httpx2.AsyncBaseTransport


LOG = io.StringIO()


@contextlib.contextmanager
def deployment(faults: list[FaultConfig] | None = None, **overrides: Any) -> Iterator[Deployment]:
    """The server, over real HTTP, in front of an in-process sandbox with canary credentials."""
    options = SandboxOptions(
        clients={SERVER_CLIENT_ID: CANARIES["server client secret"],
                 SESSION_CLIENT_ID: CANARIES["session client secret"]},
        accounts={CANARIES["server username"]: CANARIES["server password"],
                  CANARIES["session username"]: CANARIES["session password"]},
        faults=faults or [])
    transport = sandbox_transport(options)
    values: dict[str, Any] = {
        "tab_sandbox": True, "tab_base_url": SANDBOX_BASE_URL, "tab_token_url": SANDBOX_TOKEN_URL,
        "tab_client_id": SERVER_CLIENT_ID, "tab_client_secret": CANARIES["server client secret"],
        "tab_username": CANARIES["server username"],
        "tab_password": CANARIES["server password"],
        "tab_mcp_api_keys": API_KEY, "tab_mcp_metrics_key": CANARIES["metrics key"],
        "tab_mcp_rate_limit": 0, "tab_cache_enabled": False, "tab_mcp_toolsets": "racing,"
        "sports,results,footytab,raw,account", "tab_mcp_betting": True,
        "tab_mcp_quote_secret": "leak-test-quote-secret-0123456789",
        "tab_mcp_bet_journal": str(Path(tempfile.mkdtemp()) / "bets.sqlite3")}
    settings = make_settings(**{**values, **overrides})
    app = create_app(settings, Services(settings, transport=transport))
    # After the MCPServer exists (it installs a root handler of its own).
    configure_logging("DEBUG", "json", secrets=settings.secret_values(), stream=LOG)
    with serve(app) as url:
        yield Deployment(url, transport.app.state.sandbox,  # type: ignore[attr-defined]
                         settings, transport)


@contextlib.asynccontextmanager
async def client(capture: Capture, url: str, *, headers: dict[str, str] | None = None,
                 query: str = "", mode: str = "auto") -> AsyncIterator[Client]:
    async with httpx2.AsyncClient(transport=capture.transport(), timeout=60,
                                  headers={**AUTH, **(headers or {})}) as http:
        target = f"{url}/mcp" + (f"?{query}" if query else "")
        async with Client(streamable_http_client(target, http_client=http),
                          mode=mode) as session:
            yield session


async def call(capture: Capture, session: Client, tool: str, arguments: dict[str, Any]) -> Any:
    try:
        result = await session.call_tool(tool, arguments)
    except Exception as exc:  # a protocol-level error is an outcome too
        capture.results.append(f"{type(exc).__name__}: {exc}")
        capture.outcomes["error"] += 1
        return None
    capture.results.append(result.model_dump_json())
    capture.outcomes["error" if result.is_error else "ok"] += 1
    if not result.is_error:
        capture.succeeded.add(tool)
    return result


def resolve(arguments: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    return {key: found.get(value[1:], value) if isinstance(value, str) and value.startswith("$")
            else value for key, value in arguments.items()}


def first(data: Any, path: list[str | int]) -> Any:
    for step in path:
        data = data[step]
    return data


async def open_selection(transport: httpx2.AsyncBaseTransport) -> dict[str, Any]:
    """Venue, race and runner numbers of a runner open for fixed odds in a race 30 min away."""
    async with httpx2.AsyncClient(transport=transport, base_url=SANDBOX_BASE_URL) as sandbox:
        meetings = (await sandbox.get(SERVICE_ROOT + "/racing/dates/today/meetings",
                                      params={"jurisdiction": "NSW"})).json()
        soon = datetime.now(UTC) + timedelta(minutes=30)
        for meeting, race, path in race_paths(meetings, "R"):
            if race["raceStatus"] != "Normal" or parse_time(race["raceStartTime"]) < soon:
                continue
            card = (await sandbox.get(SERVICE_ROOT + path, params={"jurisdiction": "NSW"})).json()
            for runner in card["runners"]:
                if runner["fixedOdds"]["bettingStatus"] == "Open":
                    return {"venue": meeting["meetingName"], "race_number": race["raceNumber"],
                            "selections": [[runner["runnerNumber"]]], "stake": 2}
    raise AssertionError("no open runner to quote")


async def discover(capture: Capture, session: Client,
                   transport: httpx2.AsyncBaseTransport) -> dict[str, str]:
    """Real names from the sandbox, so the workload's happy paths succeed."""
    meetings = await call(capture, session, "racing_meetings", {"date": "today"})
    past = await call(capture, session, "racing_meetings", {"date": "yesterday"})
    sports = await call(capture, session, "sports_list", {})
    found = {"venue": first(meetings.structured_content, ["meetings", 0, "venue"]),
             "race_type": first(meetings.structured_content, ["meetings", 0, "race_type"]),
             "past_venue": first(past.structured_content, ["meetings", 0, "venue"]),
             "past_race_type": first(past.structured_content, ["meetings", 0, "race_type"]),
             "sport": first(sports.structured_content, ["sports", 0, "name"]),
             "competition": first(sports.structured_content, ["sports", 0, "competitions", 0])}
    matches = await call(capture, session, "competition_matches",
                         {"sport": found["sport"], "competition": found["competition"]})
    # A match with two open same-game markets, so the same-game multi call can succeed.
    for match in first(matches.structured_content, ["matches"]):
        markets = await call(capture, session, "match_markets",
                             {"sport": found["sport"], "competition": found["competition"],
                              "match": match["name"]})
        legs = [open_legs[0]["id"]
                for market in first(markets.structured_content, ["match", "markets"])
                if market.get("same_game")
                and (open_legs := [p for p in market.get("propositions") or []
                                   if p.get("id") and p.get("status") in (None, "Open")])][:2]
        found["match"], found["legs"], found["sgm_selections"] = match["name"], legs, [legs]
        if len(legs) == 2:
            break
    quoted = await call(capture, session, "bet_quote", await open_selection(transport))
    found["quote_id"] = first(quoted.structured_content, ["quote_id"])
    # Placed here, by the session on the server's own account: the workload spreads its calls
    # over every session, and sessions with their own credentials may not bet.
    await call(capture, session, "bet_place", {"quote_id": found["quote_id"]})
    assert set(found) == set(DISCOVERED)
    return found


def string_parameters(schema: dict[str, Any]) -> list[str]:
    names = []
    for name, prop in schema.get("properties", {}).items():
        branches = [prop, *prop.get("anyOf", [])]
        if any(b.get("type") == "string" for b in branches) and not any(
                "enum" in b for b in branches):
            names.append(name)
    return names


def calls_for(tools: list[Any], found: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every WORKLOAD entry, each listed tool with no arguments, and hostile string values."""
    planned = [(name, resolve(args, found)) for name, entries in WORKLOAD.items()
               for args in entries]
    for tool in tools:
        base = resolve(WORKLOAD.get(tool.name, [{}])[0], found)
        planned.append((tool.name, {}))
        for parameter in string_parameters(tool.input_schema):
            planned += [(tool.name, {**base, parameter: value}) for value in HOSTILE]
    return planned


async def run_all(capture: Capture, sessions: list[Client],
                  planned: list[tuple[str, dict[str, Any]]], batch: int = 8) -> None:
    for start in range(0, len(planned), batch):
        await asyncio.gather(*(
            call(capture, sessions[(start + offset) % len(sessions)], name, args)
            for offset, (name, args) in enumerate(planned[start:start + batch])))


async def resources_and_prompts(capture: Capture, session: Client, found: dict[str, Any]) -> None:
    plausible = resolve(PLAUSIBLE, found)
    for resource in (await session.list_resources()).resources:
        with contextlib.suppress(Exception):
            capture.results.append((await session.read_resource(resource.uri)).model_dump_json())
    for template in (await session.list_resource_templates()).resource_templates:
        variables = [part.split("}")[0] for part in template.uri_template.split("{")[1:]]
        for hostile in [None, *HOSTILE[:3]]:
            uri = template.uri_template
            for variable in variables:
                value = plausible.get(variable, "x") if hostile is None else hostile
                uri = uri.replace("{" + variable + "}", quote(value, safe=""))
            with contextlib.suppress(Exception):
                capture.results.append((await session.read_resource(uri)).model_dump_json())
    for prompt in (await session.list_prompts()).prompts:
        for hostile in [None, *HOSTILE]:
            arguments = {arg.name: (plausible.get(arg.name, "x") if hostile is None else hostile)
                         for arg in prompt.arguments or []}
            with contextlib.suppress(Exception):
                capture.results.append(
                    (await session.get_prompt(prompt.name, arguments)).model_dump_json())


async def inbound_errors(capture: Capture, url: str) -> list[int]:
    """Requests the inbound checks refuse, several carrying canaries."""
    secret = CANARIES["session client secret"]
    bad_config = base64.b64encode(json.dumps(
        {**SESSION_CONFIG, "tabBaseUrl": "https://evil.example"}).encode()).decode()
    attempts: list[tuple[str, str, dict[str, str], bytes]] = [
        ("POST", "/mcp", {}, b""),
        ("POST", "/mcp", {"Authorization": f"Bearer {secret}"}, b""),
        ("POST", "/mcp?" + urlencode({"tabClientSecret": secret}), AUTH, b""),
        ("POST", "/mcp?" + urlencode({"baseUrl": "https://evil.example",
                                      "tabClientId": "x", "tabClientSecret": secret}), AUTH, b""),
        ("POST", "/mcp?config=" + quote(bad_config, safe=""), AUTH, b""),
        ("POST", "/mcp", {**AUTH, "X-TAB-Password": CANARIES["session password"]}, b""),
        ("POST", "/mcp", {**AUTH, "X-TAB-Client-Id": "x", "X-TAB-Client-Secret": secret * 40},
         b""),
        ("POST", "/mcp", {**AUTH, "Origin": "https://evil.example"}, b""),
        ("POST", "/mcp", {**AUTH, "Host": "evil.example"}, b""),
        ("POST", "/mcp", AUTH, b"{" + b" " * 2_000_000 + b"}"),
        ("GET", "/metrics", {}, b""),
        ("GET", "/metrics", AUTH, b""),
        ("GET", "/metrics", {"Authorization": f"Bearer {CANARIES['metrics key']}"}, b""),
        ("GET", "/ready", {}, b""),
        ("GET", "/health", {}, b""),
    ]
    statuses = []
    async with httpx2.AsyncClient(transport=capture.transport(), timeout=30) as http:
        for method, path, headers, body in attempts:
            response = await http.request(method, url + path, headers={**MCP_HEADERS, **headers},
                                          content=body or json.dumps(INITIALIZE).encode())
            await response.aread()
            statuses.append(response.status_code)
    return statuses


@pytest.fixture
def restore_logging() -> Iterator[None]:
    LOG.seek(0)
    LOG.truncate()
    yield
    configure_logging("WARNING", "json")


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.anyio
async def test_no_secret_leaves_the_server() -> None:
    capture = Capture()
    with deployment() as dep:
        # The header carrier first: the session's secrets are known to the redactor before
        # the query carriers put them in URLs that this test's own client logs.
        async with (client(capture, dep.url, headers=SESSION_HEADERS) as by_header,
                    client(capture, dep.url) as server_held,
                    client(capture, dep.url, mode="legacy", query="config=" + quote(
                        base64.b64encode(json.dumps(SESSION_CONFIG).encode()).decode(),
                        safe="")) as by_config,
                    client(capture, dep.url, query=urlencode(SESSION_CONFIG)) as by_query):
            sessions = [server_held, by_header, by_config, by_query]
            found = await discover(capture, server_held, dep.transport)
            tools = (await server_held.list_tools()).tools
            assert {tool.name for tool in tools} >= {"server_status", "race_card"}
            await run_all(capture, sessions, calls_for(tools, found))
            untested = {tool.name for tool in tools} - capture.succeeded
            assert not untested, f"no call succeeded; add a WORKLOAD entry for {untested}"
            await resources_and_prompts(capture, by_header, found)

            # token paths: revoked, expired, then the server's secret rotated upstream
            dep.sandbox.tokens.revoke_all()
            await run_all(capture, sessions, [("racing_dates", {})] * 4)
            dep.sandbox.tokens.expire_all()
            await run_all(capture, sessions, [("sports_list", {})] * 4)
            dep.sandbox.credentials.set_client(SERVER_CLIENT_ID, "rotated-elsewhere")
            dep.sandbox.tokens.expire_all()
            await run_all(capture, [server_held], [("racing_dates", {}), ("sports_list", {})])
            await call(capture, server_held, "server_status", {})

        wrong = {**SESSION_HEADERS, "X-TAB-Password": CANARIES["wrong session password"]}
        async with client(capture, dep.url, headers=wrong) as wrong_password:
            await run_all(capture, [wrong_password], [("racing_dates", {}), ("sports_list", {})])
        statuses = await inbound_errors(capture, dep.url)
        stats = dep.sandbox.stats.snapshot()

    with deployment(tab_mcp_rate_limit=0.01, tab_mcp_rate_burst=1) as limited:
        async with httpx2.AsyncClient(transport=capture.transport(), timeout=30) as http:
            for _ in range(2):
                response = await http.post(f"{limited.url}/mcp", headers={**MCP_HEADERS, **AUTH},
                                           content=json.dumps(INITIALIZE))
                statuses.append(response.status_code)

    faults = [
        [FaultConfig(error_rate=1.0)],
        [FaultConfig(rate_limit_rate=1.0, retry_after=0.05)],
        [FaultConfig(garbage_rate=1.0)],
        [FaultConfig(drop_rate=1.0)],
        [FaultConfig(error_rate=1.0, path_prefix="/oauth/token")],
        [FaultConfig(error_rate=0.3, garbage_rate=0.3, drop_rate=0.2, latency_ms=5)],
    ]
    faults_injected = 0
    for rules in faults:
        with deployment(faults=rules, tab_call_deadline=1.0) as faulty:
            async with (client(capture, faulty.url) as server_held,
                        client(capture, faulty.url, headers=SESSION_HEADERS) as by_header):
                await run_all(capture, [server_held, by_header],
                              [(name, resolve(entries[0], found))
                               for name, entries in WORKLOAD.items()], batch=20)
            faults_injected += faulty.sandbox.stats.snapshot()["faults_injected"]

    # The workload really ran: successes, errors, every refusal, tokens and faults.
    assert capture.outcomes["ok"] > 50 and capture.outcomes["error"] > 50, capture.outcomes
    assert {401, 400, 403, 421, 413, 429, 200} <= set(statuses), statuses
    assert stats["token_requests"]["password"] >= 2 and stats["token_failures"]["password"] >= 1
    assert faults_injected > 10
    # Hostile inputs never steer a request off the information service and its fixed paths
    # (or, for the account tools, off the server's own account and the sessions' own).
    own = (SERVICE_ROOT + "/", *(
        f"{root}/accounts/{CANARIES[account]}/"
        for account in ("server username", "session username")
        for root in ("/v1/account-service/tab", "/v1/pricing-service",
                     "/v1/tab-betting-service")))
    fixed = {"/oauth/token", *PRICING_PATHS.values()}
    assert all(path.startswith(own) or path in fixed
               for path in stats["requests"]), sorted(stats["requests"])

    logs = LOG.getvalue()
    assert "POST /mcp" in logs and "upstream request" in logs
    surfaces = {"logs": logs, "responses and tool results": capture.text()}
    for surface, text in surfaces.items():
        for name, canary in CANARIES.items():
            for form in forms(canary):
                assert form not in text, f"{name} leaked into {surface} as {form!r}"
