"""The shared facts: each validated type agrees with the table it names, and settings and
per-session configuration accept exactly what the registries hold."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.domain.jurisdictions import JURISDICTIONS, Jurisdiction
from app.domain.race_types import RACE_TYPES, RaceType
from app.domain.toolsets import DEFAULT_TOOLSETS, REGISTRY, TOOLSETS, ToolsetName
from app.domain.zones import SYDNEY, zone_for
from app.request_config.model import SessionConfig


def test_toolset_type_and_registry_name_the_same_toolsets() -> None:
    assert TOOLSETS == get_args(ToolsetName)
    assert all(name == toolset.name for name, toolset in REGISTRY.items())
    assert DEFAULT_TOOLSETS == ("racing", "sports", "results")


def test_race_type_and_jurisdiction_types_match_their_tables() -> None:
    assert tuple(RACE_TYPES) == get_args(RaceType)
    assert JURISDICTIONS == get_args(Jurisdiction)


def test_settings_default_to_the_default_toolsets_and_refuse_unknown_ones() -> None:
    assert Settings.model_validate({}).tab_mcp_toolsets == list(DEFAULT_TOOLSETS)
    with pytest.raises(ValidationError, match="allowed: racing, sports, results, footytab, raw, "
                       "account, betting"):
        Settings.model_validate({"tab_mcp_toolsets": "racing,wagering"})


@pytest.mark.parametrize("name", TOOLSETS)
def test_session_config_accepts_every_registered_toolset(name: str) -> None:
    assert SessionConfig.model_validate({"toolsets": [name]}).toolsets == [name]


def test_session_config_refuses_an_unregistered_toolset_and_jurisdiction() -> None:
    with pytest.raises(ValidationError):
        SessionConfig.model_validate({"toolsets": ["wagering"]})
    with pytest.raises(ValidationError):
        SessionConfig.model_validate({"jurisdiction": "WA"})


def test_zones_know_the_states_and_fall_back_to_utc() -> None:
    assert zone_for("nsw") == SYDNEY
    assert zone_for("WA").key == "Australia/Perth"
    assert zone_for(None).key == "UTC" and zone_for("XYZ").key == "UTC"
