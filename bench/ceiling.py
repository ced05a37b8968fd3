"""The ceiling: a bare `MCPServer` whose one tool answers a race card from memory.

It is served exactly like tab-mcp (stateless Streamable HTTP with SSE responses from the SDK's
own Starlette app, whose lifespan runs the session manager; the same uvicorn HTTP parser,
httptools; the same logging pipeline at the same level), but has no middleware, no upstream,
no cache and no shaping per call:
`race_card` takes the same arguments as tab-mcp's and returns a `CallToolResult` built once at
start-up from the real captured Warwick Farm card (`race-detail.json`), shaped by tab-mcp's own
`race_card` summary. It publishes no output schema, so the SDK does not validate its result:
this is the least work the SDK can do to answer the call.

    python -m bench.ceiling --port 8090
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult
from pydantic import Field
from starlette.applications import Starlette

from app.observability.logging import configure_logging
from app.tools.base import Source, structured, utc_iso
from app.tools.racing import DateArg, RaceNumber, RaceTypeArg, Venue
from app.tools.shaping.racing import race_card

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT.parent / "shared" / "tabcorp-samples"
RACE_DETAIL = SAMPLES / "race-detail.json"


def card_result(race_detail: Path = RACE_DETAIL) -> CallToolResult:
    """The race card summary of a captured race detail body, as tab-mcp's tool returns it."""
    body = json.loads(race_detail.read_text(encoding="utf-8"))
    card = race_card(body)
    card.source = Source(fetched_at=utc_iso(datetime.now(UTC)), age_seconds=0.0,
                         sandbox=False, cached=True)
    return structured(card)


def create_ceiling_app(result: CallToolResult) -> Starlette:
    """The Starlette app serving the ceiling's `/mcp`."""
    server = MCPServer("tab-mcp-ceiling", version="1")

    @server.tool(name="race_card")
    async def race_card_tool(
        venue: Venue, race_number: RaceNumber, date: DateArg = "today",
        race_type: RaceTypeArg = None,
        detail: Annotated[Literal["summary", "full"], Field()] = "summary",
    ) -> CallToolResult:
        """The same race card, whatever is asked."""
        return result

    # The SDK's own app as it is (its lifespan runs the session manager), like tab-mcp's.
    return server.streamable_http_app(stateless_http=True, json_response=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the ceiling under uvicorn with tab-mcp's own settings."""
    parser = argparse.ArgumentParser(prog="python -m bench.ceiling", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--log-level", default="WARNING",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--race-detail", type=Path, default=RACE_DETAIL,
                        help="a captured race detail body (default: the Warwick Farm sample)")
    parser.add_argument("--result", type=Path,
                        help="answer with this tool result (JSON, as tab-mcp returned it) instead")
    args = parser.parse_args(argv)
    result = (CallToolResult.model_validate_json(args.result.read_bytes()) if args.result
              else card_result(args.race_detail))
    app = create_ceiling_app(result)
    configure_logging(args.log_level, "json")
    # The same uvicorn settings as `python -m app` (app/serving.py) with no trusted proxy.
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=True,
                proxy_headers=False, timeout_graceful_shutdown=10, server_header=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
