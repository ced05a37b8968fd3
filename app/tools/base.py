"""What every tool shares: annotations, the data-source block, compact results, error mapping."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

#: Tools that read the upstream: no side effects, the upstream's world is open.
UPSTREAM_READ = ToolAnnotations(read_only_hint=True, destructive_hint=False,
                                idempotent_hint=True, open_world_hint=True)
#: Tools answered by the server itself.
LOCAL_READ = ToolAnnotations(read_only_hint=True, destructive_hint=False,
                             idempotent_hint=True, open_world_hint=False)


class Source(BaseModel):
    """Where and when a result's data came from."""

    fetched_at: str = Field(description="When the data was fetched from the upstream (UTC ISO).")
    age_seconds: float = Field(description="Age of the data when this result was built.")
    sandbox: bool = Field(description="True when the data is simulated sandbox data, not real.")
    cached: bool = Field(description="True when served from the server's cache.")


def utc_iso(moment: datetime) -> str:
    """`2026-09-23T04:25:00Z` style UTC timestamp."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def compact_json(data: Any) -> str:
    """Compact JSON text: an agent pays for every byte of whitespace."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def structured(result: BaseModel) -> CallToolResult:
    """A tool result carrying `result` as structured content and as compact JSON text."""
    data = result.model_dump(mode="json", exclude_none=True)
    return CallToolResult(content=[TextContent(type="text", text=compact_json(data))],
                          structured_content=data)


def fail(message: str) -> ToolError:
    """A tool error the model reads (`isError`); `message` must say what to change."""
    return ToolError(message)
