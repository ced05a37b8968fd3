"""What every tool shares: annotations, the data-source block, compact results, error mapping."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, datetime
from typing import Annotated, Any, get_args, get_origin

from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict

from app.domain.toolsets import LOCAL_READ as LOCAL_READ_BEHAVIOUR
from app.domain.toolsets import ToolBehaviour
from app.jsonschema import compact_properties


def tool_annotations(behaviour: ToolBehaviour) -> ToolAnnotations:
    """The MCP annotations that declare `behaviour` to clients."""
    return ToolAnnotations(read_only_hint=behaviour.read_only,
                           destructive_hint=behaviour.destructive,
                           idempotent_hint=behaviour.idempotent,
                           open_world_hint=behaviour.open_world)


#: Tools answered by the server itself (they belong to no toolset).
LOCAL_READ = tool_annotations(LOCAL_READ_BEHAVIOUR)


def _compact_schema(schema: dict[str, Any]) -> None:
    """Shrink a model's JSON schema: no titles, `["x", "null"]` instead of anyOf, no null
    defaults. Every tool's output schema is sent with `tools/list` on every agent turn."""
    schema.pop("title", None)
    compact_properties(schema.get("properties", {}), optional="nullable")


def _described_once(schema: dict[str, Any]) -> None:
    """Publish the shape as a bare object: `SOURCE_NOTE` describes its fields once, in the
    server's instructions, instead of in every tool's output schema."""
    schema.clear()
    schema["type"] = "object"


class OutputModel(BaseModel):
    """Base of every tool output model: a compact published schema."""

    model_config = ConfigDict(json_schema_extra=_compact_schema)


class Source(OutputModel):
    """When the data was fetched (UTC), its age, sandbox (simulated) or real, cached or not.

    Every result carries it, so the server's instructions describe it once (`SOURCE_NOTE`)
    rather than every output schema."""

    model_config = ConfigDict(json_schema_extra=_described_once)

    fetched_at: str
    age_seconds: float
    sandbox: bool
    cached: bool


#: What every result's `source` block means, said once in the server's instructions.
SOURCE_NOTE = ("Every result carries `source`: {fetched_at (UTC), age_seconds, sandbox "
               "(simulated data), cached}.")


def build_tool(fn: Any, *, title: str, annotations: ToolAnnotations, name: str | None = None,
               meta: dict[str, Any] | None = None) -> Tool:
    """The SDK tool for `fn`, with a one-line description (the docstring with its indentation
    folded) and a compact input schema (no titles; an optional argument published as its own
    type): `tools/list` is paid for on every agent turn."""
    tool = Tool.from_function(fn, name=name, title=title, annotations=annotations, meta=meta,
                              description=" ".join((fn.__doc__ or "").split()))
    tool.parameters.pop("title", None)
    compact_properties(tool.parameters.get("properties", {}), optional="plain")
    if _returns_call_tool_result(fn):
        # The tool builds its `CallToolResult` by dumping the very model its output schema comes
        # from (`structured`, `ResultTemplate`); the SDK would validate it against that model
        # again on every call. The schema is still published (and clients check against it).
        tool.fn_metadata.output_model = None
    return tool


def _returns_call_tool_result(fn: Any) -> bool:
    returns = inspect.signature(fn, eval_str=True).return_annotation
    if get_origin(returns) is Annotated:
        returns = get_args(returns)[0]
    return returns is CallToolResult


def utc_iso(moment: datetime) -> str:
    """`2026-09-23T04:25:00Z` style UTC timestamp."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# One encoder for every call: `json.dumps` with options builds a new one each time.
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact_json(data: Any) -> str:
    """Compact JSON text: an agent pays for every byte of whitespace."""
    return _COMPACT.encode(data)


def structured(result: BaseModel) -> CallToolResult:
    """A tool result carrying `result` as structured content and as compact JSON text."""
    data = result.model_dump(mode="json", exclude_none=True)
    return CallToolResult(content=[TextContent(type="text", text=compact_json(data))],
                          structured_content=data)


def _member(key: str, value: Any) -> str:
    return f"{compact_json(key)}:{compact_json(value)}"


class ResultTemplate:
    """A structured result shaped once and re-issued per call with a few `volatile` fields
    renewed (e.g. the minutes to the jump and the data-source block).

    `render()` gives exactly what `structured()` gives for the same model with those fields
    set: the other members' JSON text is rendered once here. A volatile field must be set (not
    None) in `result`, which fixes its place; rendered as None it is left out, like None
    everywhere. Rendered results share the fixed members' values: they are never mutated.
    """

    __slots__ = ("_data", "_members")

    def __init__(self, result: BaseModel, volatile: tuple[str, ...]) -> None:
        self._data = result.model_dump(mode="json", exclude_none=True)
        missing = [key for key in volatile if key not in self._data]
        if missing:
            raise ValueError(f"volatile fields must be set in the template: {missing}")
        self._members = tuple((key, None if key in volatile else _member(key, value))
                              for key, value in self._data.items())

    def render(self, **volatile: Any) -> CallToolResult:
        """The result with `volatile` (JSON-ready values, by field name) filled in."""
        data = dict(self._data)
        parts = []
        for key, member in self._members:
            if member is None:
                value = volatile[key]
                if value is None:
                    del data[key]
                    continue
                data[key] = value
                member = _member(key, value)
            parts.append(member)
        return CallToolResult(content=[TextContent(type="text", text="{" + ",".join(parts) + "}")],
                              structured_content=data)
