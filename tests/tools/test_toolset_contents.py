"""Every toolset of the registry has contents, and every declared tool belongs to one."""

from __future__ import annotations

from app.domain.toolsets import TOOLSETS
from app.tools import market_movers, racing_cards, racing_form, sports
from app.tools.calls import UpstreamTool
from app.tools.toolsets import CONTENTS


def test_every_registered_toolset_has_contents_and_no_other_does() -> None:
    assert tuple(CONTENTS) == TOOLSETS
    assert all(contents.tools for contents in CONTENTS.values())


def test_every_declared_tool_is_in_exactly_one_toolset() -> None:
    declared = [value for module in (racing_cards, racing_form, market_movers, sports)
                for value in vars(module).values() if isinstance(value, UpstreamTool)]
    listed = [tool for contents in CONTENTS.values() for tool in contents.tools]
    assert len(listed) == len(set(map(id, listed)))
    assert {id(tool) for tool in declared} == {id(tool) for tool in listed}
