"""A shaped result re-issued with renewed volatile fields is exactly a freshly shaped one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.tab.client import Fetched
from app.tools.base import ResultTemplate, Source, structured
from app.tools.calls import source, source_data
from app.tools.racing import card_summary
from app.tools.shaping.racing import race_card
from tests.conftest import any_sample

VOLATILE = ("minutes_to_jump", "source")


@pytest.fixture(scope="module")
def body() -> dict[str, Any]:
    data: dict[str, Any] = any_sample("race-detail.json")
    return data


def _source(age: float, cached: bool) -> Source:
    return Source(fetched_at="2026-09-23T04:00:00Z", age_seconds=age, sandbox=False,
                  cached=cached)


@pytest.mark.parametrize(("minutes", "age"), [(12.3, 0.0), (-4.1, 61.5), (0.0, 3600.0)])
def test_render_equals_a_freshly_structured_result(body: dict[str, Any], minutes: float,
                                                   age: float) -> None:
    template_card = race_card(body)
    template_card.source = _source(0.0, False)
    template = ResultTemplate(template_card, VOLATILE)

    fresh = race_card(body)
    fresh.minutes_to_jump = minutes
    fresh.source = _source(age, True)
    expected = structured(fresh)

    got = template.render(minutes_to_jump=minutes, source=fresh.source.model_dump(mode="json"))
    assert got.content[0].text == expected.content[0].text  # type: ignore[union-attr]
    assert got.structured_content == expected.structured_content
    assert list(got.structured_content or {}) == list(expected.structured_content or {})


def test_a_volatile_field_rendered_as_none_is_left_out(body: dict[str, Any]) -> None:
    card = race_card(body)
    card.source = _source(1.0, True)
    template = ResultTemplate(card, VOLATILE)
    card.minutes_to_jump = None
    got = template.render(minutes_to_jump=None, source=card.source.model_dump(mode="json"))
    assert got.content[0].text == structured(card).content[0].text  # type: ignore[union-attr]
    assert "minutes_to_jump" not in (got.structured_content or {})


def test_renders_do_not_share_their_volatile_values(body: dict[str, Any]) -> None:
    card = race_card(body)
    card.source = _source(1.0, True)
    template = ResultTemplate(card, VOLATILE)
    first = template.render(minutes_to_jump=1.0, source={"age_seconds": 1.0})
    second = template.render(minutes_to_jump=2.0, source={"age_seconds": 2.0})
    assert (first.structured_content or {})["minutes_to_jump"] == 1.0
    assert (second.structured_content or {})["minutes_to_jump"] == 2.0


def test_a_volatile_field_must_be_set_in_the_template(body: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="source"):
        ResultTemplate(race_card(body), VOLATILE)


def _expected_now(body: dict[str, Any], fetched: Fetched) -> dict[str, Any]:
    card = race_card(body)
    card.source = Source(fetched_at="", age_seconds=0, sandbox=False, cached=fetched.cached)
    data = structured(card).structured_content or {}
    return {key: value for key, value in data.items() if key not in VOLATILE}


def test_card_summary_shapes_a_fetch_once(body: dict[str, Any]) -> None:
    fetched_at = datetime.now(UTC) - timedelta(seconds=30)
    fetched = Fetched(data=body, fetched_at=fetched_at, sandbox=False, cached=True)
    first = card_summary(fetched, body)
    memo = dict(fetched.memo)
    second = card_summary(fetched, body)
    assert memo and fetched.memo == memo  # the second call reused the first's shaping
    for result in (first, second):
        data = result.structured_content or {}
        assert {k: v for k, v in data.items() if k not in VOLATILE} == _expected_now(body, fetched)
        assert json.loads(result.content[0].text) == data  # type: ignore[union-attr]
        assert data["source"]["cached"] is True and data["source"]["age_seconds"] >= 30
        start = datetime.fromisoformat(body["raceStartTime"].replace("Z", "+00:00"))
        minutes = (start - datetime.now(UTC)).total_seconds() / 60
        assert data["minutes_to_jump"] == pytest.approx(minutes, abs=0.2)


def test_card_summary_of_a_fresh_fetch_says_so(body: dict[str, Any]) -> None:
    fetched = Fetched(data=body, fetched_at=datetime.now(UTC), sandbox=True, cached=False)
    first = card_summary(fetched, body).structured_content or {}
    second = card_summary(fetched, body).structured_content or {}  # a coalesced caller
    for data in (first, second):
        assert data["source"]["cached"] is False and data["source"]["sandbox"] is True
        assert {k: v for k, v in data.items() if k not in VOLATILE} == _expected_now(body, fetched)


def test_source_data_is_the_source_block_as_data(body: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    older = Fetched(data=body, fetched_at=now - timedelta(seconds=90), sandbox=False,
                    cached=True)
    newer = Fetched(data=body, fetched_at=now, sandbox=True, cached=False)
    for fetched in [(older,), (newer,), (newer, older)]:
        data = source_data(*fetched)
        model = source(*fetched).model_dump(mode="json")
        assert list(data) == list(model)
        assert data == model | {"age_seconds": data["age_seconds"]}
        assert type(data["age_seconds"]) is type(model["age_seconds"])
        assert abs(data["age_seconds"] - model["age_seconds"]) <= 0.2
