"""Sports mistakes an agent makes, each answered with an isError result that names what to
send instead (never a bare "not found")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.stack import Stack, running_stack

#: Stands for the first open NRL match's name, filled in at run time.
MATCH = "<first NRL match>"
NRL = {"sport": "Rugby League", "competition": "NRL"}

# (tool, arguments, words the error must contain)
CATALOGUE: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("sport_competitions", {"sport": "Quidditch"},
     ("no sport 'Quidditch'", "AFL Football", "Rugby League", "Soccer")),
    ("sports_next_to_go", {"sport": "Curling"}, ("no sport 'Curling'", "Basketball")),
    ("competition_matches", {"sport": "Footy", "competition": "AFL"},
     ("no sport 'Footy'", "closest first", "AFL Football")),
    ("competition_matches", {"sport": "Soccer", "competition": "Premier Leage"},
     ("no competition 'Premier Leage' in Soccer", "English Premier League")),
    ("competition_matches", {"sport": "soccer", "competition": "league"},
     ("could mean", "English Premier League", "A League Men", "send one")),
    ("competition_matches", {"sport": "Basketball", "competition": "WNBA"},
     ("no competition 'WNBA' in Basketball", "NBA", "NBL")),
    ("competition_matches", {**NRL, "tournament": "Grand Final"},
     ("NRL has no tournaments", "leave tournament out")),
    ("competition_matches", {"sport": "Tennis", "competition": "ATP Tour",
                             "tournament": "Wimbledon"},
     ("no tournament 'Wimbledon' in ATP Tour", "closest first")),
    ("competition_matches", {**NRL, "date": "next friday"}, ("YYYY-MM-DD", "today")),
    ("competition_matches", {**NRL, "date": "2026-12-10", "to_date": "2026-12-01"},
     ("before date", "later to_date")),
    ("match_markets", {**NRL, "match": "Bears v Jets"},
     ("no match 'Bears v Jets' in NRL", " v ")),
    ("match_markets", {"sport": "Rugby League", "competition": "Super League",
                       "match": "Leeds v Wigan"}, ("no competition 'Super League'", "NRL")),
    ("sgm_price", {**NRL, "match": MATCH, "legs": [1, 2]},
     ("legs [1, 2] are not propositions of", "match_markets")),
    ("sgm_price", {**NRL, "match": MATCH, "legs": [7]}, ("legs", "at least 2")),
    ("sgm_price", {**NRL, "match": "Bears v Jets", "legs": [1, 2]},
     ("no match 'Bears v Jets' in NRL",)),
]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="sports") as running:
        yield running


@pytest.fixture(scope="module")
def first_match(stack: Stack) -> str:
    body = stack.upstream("/sports/Rugby%20League/competitions/NRL")
    name: str = body["matches"][0]["name"]
    return name


@pytest.mark.anyio
@pytest.mark.parametrize(("tool", "arguments", "words"), CATALOGUE,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(CATALOGUE)])
async def test_mistake_names_what_to_send(stack: Stack, first_match: str, tool: str,
                                          arguments: dict[str, Any],
                                          words: tuple[str, ...]) -> None:
    sent = {key: first_match if value == MATCH else value for key, value in arguments.items()}
    text = await stack.call_error(tool, **sent)
    for word in words:
        assert word in text, (word, text)
    assert "nothing for that request" not in text
