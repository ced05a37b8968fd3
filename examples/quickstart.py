"""Quickstart: connect to tab-mcp with the official MCP SDK, take the next race to jump and read
its card. Works on any day: the race comes from `next_to_go`, not from a venue named in advance.

    python3 scripts/dev.py serve --sandbox                  # in one terminal
    .venv/bin/python examples/quickstart.py [MCP URL]       # in another

The URL defaults to http://127.0.0.1:8081/mcp.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from mcp import Client

DEFAULT_URL = "http://127.0.0.1:8081/mcp"


async def structured(client: Client, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Call `tool` and return its structured content; a tool error stops the script."""
    result = await client.call_tool(tool, arguments)
    content = result.structured_content
    if result.is_error or not isinstance(content, dict):
        raise SystemExit(f"{tool} failed: {result.content}")
    return content


async def main(url: str) -> None:
    """Print the next race to jump and its runners by price."""
    async with Client(url) as client:
        next_up = await structured(client, "next_to_go", {"count": 10})
        # Australian meetings have a venue code; fixed-odds-only meetings abroad may not.
        race = next((r for r in next_up["races"] if r.get("venue_code")), next_up["races"][0])
        card = await structured(client, "race_card", {
            "venue": race.get("venue_code") or race["venue"],
            "race_number": race["race_number"], "race_type": race["race_type"],
            "date": race["start_local"][:10]})
    simulated = " (sandbox: simulated data)" if card["source"]["sandbox"] else ""
    print(f"{card['venue']} R{card['race_number']} {card['name']}{simulated}")
    print(f"  jumps {card['start_local']}, {card['minutes_to_jump']:.0f} min; "
          f"market {card['market_pct']}%, favourite #{card['favourite']}")
    runners = [r for r in card["runners"] if not r["scratched"]]
    for runner in sorted(runners, key=lambda r: r.get("fixed_win") or 999.0):
        move = runner.get("move_pct")
        trend = "" if move is None else f" ({'firming' if move < 0 else 'drifting'} {abs(move)}%)"
        print(f"  #{runner['number']:<2} {runner['name']:<24} {runner.get('fixed_win')}{trend}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL))
