"""Responsible gambling: the line every account and betting result carries, and the resource
with the support services and how to set deposit limits."""

from __future__ import annotations

from weakref import WeakSet

from mcp.server.mcpserver import MCPServer

from app.services import Services

CARE_URI = "tab://care/support"
#: The short line on every account and betting result.
CARE_LINE = ("Gamble responsibly. Free, confidential support: Gambling Help Online 1800 858 858; "
             "self-exclude with BetStop (betstop.gov.au). More: " + CARE_URI)

_REGISTERED: WeakSet[MCPServer] = WeakSet()

SUPPORT_TEXT = """\
# Gambling support

- Gambling Help Online: 1800 858 858, 24/7, free and confidential;
  chat and email at https://www.gamblinghelponline.org.au
- BetStop, the National Self-Exclusion Register: https://www.betstop.gov.au
  (one registration excludes you from every licensed Australian online and phone wagering
  provider)
- Deposit limits: every licensed Australian wagering provider must let you set one. With TAB,
  sign in at tab.com.au or in the TAB app and open the responsible-gambling settings of your
  account to set a deposit limit.
- This server also caps each bet and each day's total; the operator sets those caps and a
  session can only lower them.
"""


def register_care(server: MCPServer, services: Services) -> None:
    """The support-services resource (once per server: two toolsets bring it)."""
    del services
    if server in _REGISTERED:
        return
    _REGISTERED.add(server)

    def support() -> str:
        return SUPPORT_TEXT

    server.resource(CARE_URI, name="gambling_support", mime_type="text/markdown",
                    title="Gambling support",
                    description="Support services (Gambling Help Online, BetStop) and how to "
                                "set a deposit limit")(support)
