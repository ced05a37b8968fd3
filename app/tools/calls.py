"""Per-call plumbing shared by the tools: the right client, errors an agent can act on."""

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from app.request_config.model import SessionConfig, session_config_of
from app.services import Services
from app.tab.client import Fetched, TabClient
from app.tab.errors import (
    BadRequest,
    BadResponse,
    InvalidInput,
    NotFound,
    RateLimited,
    TabError,
    Unauthorised,
    Unavailable,
)
from app.tools.base import UPSTREAM_READ, Source, utc_iso
from app.tools.timezones import DateError
from app.tools.venue_directory import VenueDirectory

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


def session_config(ctx: Context) -> SessionConfig | None:
    """The gateway's per-session config for this request, if it sent any."""
    return session_config_of(ctx.request_context.request)


def call_for(services: Services, ctx: Context) -> Call:
    """The client and jurisdiction for this request (server-held or the session's own)."""
    session = session_config(ctx)
    return Call(services.client_for(session), services.jurisdiction_for(session),
                services.venues)


def source(*fetched: Fetched) -> Source:
    """The data-source block for results built from `fetched` (the oldest one counts)."""
    oldest = min(fetched, key=lambda item: item.fetched_at)
    now = datetime.now(UTC)
    return Source(fetched_at=utc_iso(oldest.fetched_at),
                  age_seconds=round(oldest.age_seconds(now), 1),
                  sandbox=any(item.sandbox for item in fetched),
                  cached=all(item.cached for item in fetched))


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
        case Unavailable():
            return ("Tabcorp is temporarily unavailable (timeouts or server errors); "
                    "try again in a minute.")
    return error.message


def tool_errors(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Turn input and upstream errors into tool errors (`isError`) with actionable text."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await fn(*args, **kwargs)
        except DateError as exc:
            raise ToolError(str(exc)) from None
        except TabError as exc:
            raise ToolError(describe(exc)) from None

    return wrapper


def upstream_tool(server: MCPServer, *, toolset: str, title: str, name: str | None = None
                  ) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Register a read-only upstream tool of `toolset` with actionable errors and a one-line
    description (the docstring with its indentation folded: descriptions are paid for on every
    turn). The toolset travels in the tool's `_meta`, where per-session toolsets read it."""

    def decorate(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        wrapped = tool_errors(fn)
        server.add_tool(wrapped, name=name, title=title, annotations=UPSTREAM_READ,
                        description=" ".join((fn.__doc__ or "").split()),
                        meta={TOOLSET_META: toolset})
        return wrapped

    return decorate


def as_list(value: Any) -> list[Any]:
    """`value` if it is a list, else an empty list (upstream bodies are not trusted)."""
    return value if isinstance(value, list) else []
