"""The toolsets: the groups of tools a deployment or a session switches on and off.

One registry: each toolset's name, what it offers, whether it is on by default, and the
behaviour its tools declare to clients (their MCP annotations). Settings, per-session
configuration, the server builder and the tools all derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: A toolset name, for validated fields (kept equal to the registry's keys by a test).
ToolsetName = Literal["racing", "sports", "results", "footytab", "raw", "account", "betting"]


@dataclass(frozen=True, slots=True)
class ToolBehaviour:
    """What a toolset's tools declare about themselves (the MCP tool annotations)."""

    read_only: bool
    destructive: bool
    idempotent: bool
    open_world: bool


#: Reads of the upstream: no side effects, and the upstream's world is open.
UPSTREAM_READ = ToolBehaviour(read_only=True, destructive=False, idempotent=True,
                              open_world=True)
#: Reads answered by the server itself.
LOCAL_READ = ToolBehaviour(read_only=True, destructive=False, idempotent=True, open_world=False)
#: Reads of the account: private, but no side effects.
ACCOUNT_READ = ToolBehaviour(read_only=True, destructive=False, idempotent=True,
                             open_world=True)
#: Placing a bet: spends money, once per quote however often it is called.
BET_PLACEMENT = ToolBehaviour(read_only=False, destructive=True, idempotent=True,
                              open_world=True)


@dataclass(frozen=True, slots=True)
class Toolset:
    """One toolset: its name, what it offers, whether it is on by default, how its tools act."""

    name: ToolsetName
    description: str
    default: bool
    behaviour: ToolBehaviour = UPSTREAM_READ


#: Every toolset, in the order they are registered and listed. FootyTAB and the generic read
#: are opt-in: niche, and their surface costs every agent turn.
REGISTRY: dict[ToolsetName, Toolset] = {toolset.name: toolset for toolset in (
    Toolset("racing", "Racing dates, meetings, race cards, form, pools, jackpots, next to go "
            "and market movers", default=True),
    Toolset("sports", "Sports, competitions, matches, markets, same-game multi prices and "
            "sports next to go",
            default=True),
    Toolset("results", "Race results and sports results", default=True),
    Toolset("footytab", "FootyTAB rounds", default=False),
    Toolset("raw", "A generic read of any Tabcorp info-service path", default=False),
    Toolset("account", "The TAB account's balance, bets and transactions (needs the server's "
            "account credentials)", default=False, behaviour=ACCOUNT_READ),
    Toolset("betting", "Quote and place fixed-odds bets with a person's approval (off unless "
            "switched on with API keys and account credentials)", default=False,
            behaviour=BET_PLACEMENT),
)}

#: All toolset names, in registry order.
TOOLSETS: tuple[ToolsetName, ...] = tuple(REGISTRY)
#: The toolsets a server exposes when its configuration names none.
DEFAULT_TOOLSETS: tuple[ToolsetName, ...] = tuple(
    name for name, toolset in REGISTRY.items() if toolset.default)
