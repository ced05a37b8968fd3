"""Per-call plumbing shared by the tools: the right client, errors an agent can act on."""

import contextlib
import functools
import inspect
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult

from app.domain.toolsets import ToolBehaviour, Toolset
from app.request_config.model import SessionConfig, session_config_of
from app.services import Services
from app.tab.caller import use_caller
from app.tab.client import Fetched, TabClient
from app.tab.deadline import call_deadline
from app.tab.errors import (
    BadRequest,
    BadResponse,
    CircuitOpen,
    InvalidInput,
    NotFound,
    RateLimited,
    TabError,
    Unauthorised,
    Unavailable,
)
from app.tab.shapes import SHAPE_FAULTS, unreadable
from app.tools.base import Source, build_tool, tool_annotations, utc_iso
from app.tools.racing_args import LocationError
from app.tools.timezones import DateError
from app.venues.directory import VenueDirectory

P = ParamSpec("P")
#: The `_meta` key naming a tool's toolset.
TOOLSET_META = "toolset"
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Call:
    """What one tool call works with: its client and jurisdiction."""

    client: TabClient
    jurisdiction: str
    venues: VenueDirectory


#: The HTTP request of the MCP request being handled, for handlers the SDK gives no `Context`
#: (static resources, completions); set around every request by the session middleware.
CURRENT_REQUEST: ContextVar[Any] = ContextVar("mcp_http_request", default=None)


def _request(ctx: Context | None) -> Any:
    return ctx.request_context.request if ctx is not None else CURRENT_REQUEST.get()


def session_config(ctx: Context | None = None) -> SessionConfig | None:
    """The gateway's per-session config for this request, if it sent any."""
    return session_config_of(_request(ctx))


def call_for(services: Services, ctx: Context | None = None) -> Call:
    """The client and jurisdiction for this request (server-held or the session's own); the
    caller it names shares the upstream budget fairly with the others."""
    request = _request(ctx)
    session = session_config_of(request)
    use_caller(caller_of(request, session))
    return Call(services.client_for(session), services.jurisdiction_for(session),
                services.venues)


def caller_of(request: Any, session: SessionConfig | None) -> str:
    """Who a request is for: its API key, else its credential set, else its address."""
    scope = getattr(request, "scope", None) or {}
    key_id = (scope.get("state") or {}).get("api_key_id")
    if isinstance(key_id, str):
        return key_id
    if session is not None and session.has_credentials:
        return "credentials:" + session.credentials.fingerprint()
    client = scope.get("client")
    return f"address:{client[0]}" if client else "anonymous"


def source(*fetched: Fetched) -> Source:
    """The data-source block for results built from `fetched` (the oldest one counts)."""
    return Source(**source_data(*fetched))


def source_data(*fetched: Fetched) -> dict[str, Any]:
    """`source(*fetched)` as JSON-ready data, for a result renewing only that block."""
    oldest = min(fetched, key=lambda item: item.fetched_at)
    return {"fetched_at": utc_iso(oldest.fetched_at),
            "age_seconds": round(oldest.age_seconds(datetime.now(UTC)), 1),
            "sandbox": any(item.sandbox for item in fetched),
            "cached": all(item.cached for item in fetched)}


def describe(error: TabError) -> str:
    """An actionable message for an upstream or input error (never credentials or a body)."""
    match error:
        case InvalidInput():
            return error.message
        case NotFound():
            return f"Tabcorp has no such item: {error.message}"
        case BadRequest():
            return f"Tabcorp rejected the request: {error.message}"
        case Unauthorised():
            return ("Tabcorp rejected the configured credentials; ask the server operator to "
                    "check them (public data works without credentials).")
        case RateLimited():
            wait = f" in {error.retry_after:.0f} s" if error.retry_after else " shortly"
            return f"Tabcorp is rate limiting requests; try again{wait}."
        case BadResponse():
            kind = error.content_type or "unknown type"
            return (f"Tabcorp returned an unreadable response ({kind}); this is usually "
                    "temporary, try again in a minute.")
        case CircuitOpen():  # its own message says when to try again
            return error.message
        case Unavailable():
            return ("Tabcorp is temporarily unavailable (timeouts or server errors); "
                    "try again in a minute.")
    return error.message


def tool_errors(fn: Callable[P, Awaitable[R]], deadline: float | None = None
                ) -> Callable[P, Awaitable[R]]:
    """Turn input and upstream errors into tool errors (`isError`) with actionable text; with
    `deadline`, every upstream fetch of the call ends within that many seconds of its start."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with call_deadline(deadline) if deadline else contextlib.nullcontext():
                return await fn(*args, **kwargs)
        except (DateError, LocationError) as exc:
            raise ToolError(str(exc)) from None
        except TabError as exc:
            raise ToolError(describe(exc)) from None
        except ToolError:
            raise
        except SHAPE_FAULTS as exc:  # a nested part of an upstream body was not as expected
            raise ToolError(describe(unreadable(fn.__name__, exc))) from None

    return wrapper


@dataclass(frozen=True, slots=True)
class UpstreamTool:
    """A tool that reads the upstream: its body `fn` (services first, then the tool's own
    parameters), its title and, when it differs from the function's name, its tool name."""

    fn: Callable[..., Awaitable[CallToolResult]]
    title: str
    name: str | None = None
    behaviour: ToolBehaviour | None = None  # None: the toolset's

    def build(self, services: Services, toolset: Toolset) -> Tool:
        """This tool, bound to `services`, as part of `toolset`, with actionable errors. The
        toolset travels in the tool's `_meta`, where per-session toolsets read it."""
        return build_tool(tool_errors(bind_services(self.fn, services),
                                      services.settings.tab_call_deadline), name=self.name,
                          title=self.title,
                          annotations=tool_annotations(self.behaviour or toolset.behaviour),
                          meta={TOOLSET_META: toolset.name})


def upstream_tool(*, title: str, name: str | None = None, behaviour: ToolBehaviour | None = None
                  ) -> Callable[[Callable[..., Awaitable[CallToolResult]]], UpstreamTool]:
    """Declare a module-level function as an upstream tool (registered with its toolset);
    `behaviour` overrides the toolset's annotations for this tool."""

    def declare(fn: Callable[..., Awaitable[CallToolResult]]) -> UpstreamTool:
        return UpstreamTool(fn, title, name, behaviour)

    return declare


def bind_services(fn: Callable[..., Awaitable[R]], services: Services
                  ) -> Callable[..., Awaitable[R]]:
    """`fn` with its first parameter (the services) bound, keeping the rest of its signature
    and annotations: the SDK builds the tool's input schema and finds its `Context` there."""
    signature = inspect.signature(fn, eval_str=True)
    first, *rest = signature.parameters.values()

    @functools.wraps(fn)
    async def bound(*args: Any, **kwargs: Any) -> R:
        return await fn(services, *args, **kwargs)

    bound.__signature__ = signature.replace(parameters=rest)  # type: ignore[attr-defined]
    bound.__annotations__ = {key: value for key, value in fn.__annotations__.items()
                             if key != first.name}
    return bound
