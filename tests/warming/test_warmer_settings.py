"""When the warmer runs: `TAB_MCP_WARMER` and what `auto` makes of the upstream."""

from __future__ import annotations

import pytest

from app.config import Settings, SettingsError, load_settings


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize(("values", "runs"), [
    ({}, True),  # the real service
    ({"tab_base_url": "http://127.0.0.1:8090"}, False),  # a sandbox on loopback
    ({"tab_sandbox": True}, False),  # the embedded sandbox
    ({"tab_sandbox": True, "tab_mcp_warmer": "on"}, True),
    ({"tab_mcp_warmer": "off"}, False),
])
def test_auto_warms_the_real_service_only(values: dict[str, object], runs: bool) -> None:
    assert settings(**values).warmer_enabled is runs


@pytest.mark.parametrize(("name", "value"), [
    ("tab_mcp_warmer_share", 0), ("tab_mcp_warmer_share", 1.5), ("tab_mcp_warmer_races", 0),
    ("tab_mcp_warmer", "sometimes")])
def test_out_of_range_warmer_settings_are_refused_by_name(name: str, value: object) -> None:
    with pytest.raises(SettingsError, match=name.upper()):
        load_settings(None, **{name: value})
