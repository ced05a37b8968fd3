"""The account tools are listed only to a session that has an account to read: the server's
(it holds account credentials) or the session's own (it brought a password grant)."""

from __future__ import annotations

from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp_types import ListToolsResult

from app.request_config.model import session_config_of
from app.tools.account import session_account
from app.tools.calls import TOOLSET_META


def _account_tool(meta: Any) -> bool:
    return isinstance(meta, dict) and meta.get(TOOLSET_META) == "account"


class AccountVisibilityMiddleware(ServerMiddleware[Any]):
    """Hides the `account` toolset's tools from `tools/list` where there is no account (a call
    is refused by the tool itself, with the reason)."""

    def __init__(self, server_holds_account: bool) -> None:
        self._server_holds_account = server_holds_account

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        result = await call_next(ctx)
        if ctx.method != "tools/list" or self._server_holds_account or session_account(
                session_config_of(ctx.request)) is not None:
            return result
        # The SDK hands middleware the wire form (a dict) or, in-process, the model.
        if isinstance(result, ListToolsResult):
            return result.model_copy(update={"tools": [
                tool for tool in result.tools if not _account_tool(tool.meta)]})
        if isinstance(result, dict) and isinstance(result.get("tools"), list):
            return {**result, "tools": [tool for tool in result["tools"]
                                        if not _account_tool(tool.get("_meta"))]}
        return result
