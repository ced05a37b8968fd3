"""The composition root's one decision: embedded sandbox, standalone sandbox or the network."""

from __future__ import annotations

from typing import Any

import pytest

from app.config import Settings
from app.sandbox.embedded import SANDBOX_BASE_URL, SandboxTransport
from app.wiring import embedded_sandbox, upstream_transport


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize(("values", "embedded"), [
    ({}, False),
    ({"tab_base_url": SANDBOX_BASE_URL}, False),  # the address alone is not a sandbox
    ({"tab_sandbox": True, "tab_base_url": SANDBOX_BASE_URL}, True),
    ({"tab_sandbox": True}, True),  # never the real upstream when a sandbox was asked for
    ({"tab_sandbox": True, "tab_base_url": "http://127.0.0.1:8765"}, False),  # standalone
])
def test_one_rule_picks_the_transport(values: dict[str, object], embedded: bool) -> None:
    config = settings(**values)
    assert embedded_sandbox(config) is embedded
    transport = upstream_transport(config)
    assert isinstance(transport, SandboxTransport) if embedded else transport is None


def test_the_command_line_flag_always_means_the_embedded_sandbox() -> None:
    assert embedded_sandbox(settings(), requested=True)
    assert embedded_sandbox(settings(tab_sandbox=True, tab_base_url="http://127.0.0.1:8765"),
                            requested=True)
