"""Start-up with an invalid setting fails with one clear line and never prints a secret."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.config import SettingsError, load_settings

CANARY = "Canary-Secret-9f3a1c"


def run_app(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TAB_", "PORT"))}
    return subprocess.run([sys.executable, "-m", "app"], env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("env", "variable"), [
    ({"TAB_JURISDICTION": "WA"}, "TAB_JURISDICTION"),
    ({"TAB_JURISDICTION": "nowhere"}, "TAB_JURISDICTION"),
    ({"PORT": "99999"}, "PORT"),
    ({"TAB_MCP_LOG_FORMAT": "xml"}, "TAB_MCP_LOG_FORMAT"),
    ({"TAB_MCP_TOOLSETS": "racing,wagering"}, "TAB_MCP_TOOLSETS"),
    ({"TAB_BASE_URL": "http://api.example.com"}, "TAB_BASE_URL"),
])
def test_invalid_setting_stops_startup_with_one_line(env: dict[str, str], variable: str) -> None:
    result = run_app({**env, "TAB_CLIENT_ID": "client", "TAB_CLIENT_SECRET": CANARY})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert CANARY not in result.stderr + result.stdout


def test_allowed_values_are_named() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(tab_jurisdiction="WA")
    message = str(error.value)
    assert "TAB_JURISDICTION" in message and "NSW" in message and "'WA'" not in message


def test_secret_with_bad_companion_is_not_echoed() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(tab_client_secret=CANARY)
    assert CANARY not in str(error.value)
    assert "TAB_CLIENT_ID" in str(error.value)


def test_secrets_are_secret_values() -> None:
    settings = load_settings(tab_client_id="id", tab_client_secret=CANARY,
                             tab_username="1234", tab_password=CANARY + "pw")
    assert CANARY not in repr(settings) and CANARY not in str(settings.model_dump())
    assert settings.credentials.mode.value == "password"


def test_sandbox_flag_and_env_choose_the_embedded_or_a_standalone_sandbox(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.__main__ import parse_args, settings_from_args
    from app.sandbox.embedded import SANDBOX_BASE_URL

    for name in [n for n in os.environ if n.startswith("TAB_")]:
        monkeypatch.delenv(name)
    assert settings_from_args(parse_args(["--sandbox"])).tab_base_url == SANDBOX_BASE_URL
    monkeypatch.setenv("TAB_SANDBOX", "true")
    assert settings_from_args(parse_args([])).tab_base_url == SANDBOX_BASE_URL
    monkeypatch.setenv("TAB_BASE_URL", "http://127.0.0.1:8765")
    standalone = settings_from_args(parse_args([]))
    assert standalone.tab_base_url == "http://127.0.0.1:8765" and standalone.tab_sandbox
    assert settings_from_args(parse_args(["--sandbox"])).tab_base_url == SANDBOX_BASE_URL
