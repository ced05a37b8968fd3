"""What each toolset of the registry (`app.domain.toolsets`) adds to a server: its tools, and
the resources and prompts that lead to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools import Tool

from app.domain.toolsets import REGISTRY, ToolsetName
from app.services import Services
from app.tools import (
    account,
    betting,
    care,
    exotics,
    market_movers,
    racing_cards,
    racing_form,
    racing_futures,
    resources,
    sgm,
    sports,
)
from app.tools.calls import UpstreamTool

#: Adds resources or prompts to a server.
Registrar = Callable[[MCPServer, Services], None]


@dataclass(frozen=True, slots=True)
class ToolsetContents:
    """A toolset's tools, the registrars of the resources and prompts that go with them, and
    the names (prompt names, resource URIs and URI templates) those registrars add."""

    tools: tuple[UpstreamTool, ...]
    extras: tuple[Registrar, ...] = ()
    surface: frozenset[str] = frozenset()


CONTENTS: dict[ToolsetName, ToolsetContents] = {
    "racing": ToolsetContents(
        (racing_cards.racing_dates, racing_cards.racing_meetings, racing_cards.meeting_races,
         racing_cards.race_card_tool, racing_cards.next_to_go, racing_form.race_form,
         racing_form.runner_form_tool, racing_form.pool_approximates,
         racing_form.racing_jackpots, market_movers.market_movers, exotics.exotic_cost,
         racing_futures.racing_futures),
        (resources.register_resources, resources.register_racing_prompts),
        resources.RACING_SURFACE),
    "sports": ToolsetContents(
        (sports.sports_list, sports.sport_competitions, sports.competition_matches,
         sports.match_markets, sports.sports_next_to_go, sgm.sgm_price),
        (resources.register_sports_prompts,), resources.SPORTS_SURFACE),
    "results": ToolsetContents((racing_cards.race_results, sports.sports_results)),
    "footytab": ToolsetContents((sports.footy_rounds, sports.footy_round)),
    "raw": ToolsetContents((sports.tab_get,)),
    "account": ToolsetContents(
        (account.account_balance, account.account_bets, account.account_transactions),
        (care.register_care,)),
    "betting": ToolsetContents((betting.bet_quote, betting.bet_place), (care.register_care,)),
}


def surface_toolsets() -> dict[str, str]:
    """The toolset of every prompt name, resource URI and URI template a toolset adds."""
    return {name: toolset for toolset, contents in CONTENTS.items()
            for name in contents.surface}


def toolset_tools(services: Services, name: ToolsetName) -> list[Tool]:
    """Toolset `name`'s tools, bound to `services`."""
    return [tool.build(services, REGISTRY[name]) for tool in CONTENTS[name].tools]


def register_toolset_extras(server: MCPServer, services: Services, name: ToolsetName) -> None:
    """Add toolset `name`'s resources and prompts to `server`."""
    for register in CONTENTS[name].extras:
        register(server, services)
