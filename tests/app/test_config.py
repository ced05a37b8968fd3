"""Start-up with an invalid setting fails with one clear line and never prints a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def clear_tab_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("TAB_")]:
        monkeypatch.delenv(name)


def test_a_file_secret_set_in_dotenv_is_read(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    clear_tab_environment(monkeypatch)
    secret = tmp_path / "client-secret"
    secret.write_text(CANARY + "\n", encoding="utf-8")
    (tmp_path / ".env").write_text(
        f"TAB_CLIENT_ID=from-dotenv\nTAB_CLIENT_SECRET_FILE={secret}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.tab_client_id == "from-dotenv"
    assert settings.tab_client_secret is not None
    assert settings.tab_client_secret.get_secret_value() == CANARY


def test_the_environment_wins_over_dotenv_and_the_file_over_a_plain_value(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clear_tab_environment(monkeypatch)
    in_dotenv, in_env = tmp_path / "a", tmp_path / "b"
    in_dotenv.write_text("from-dotenv-file", encoding="utf-8")
    in_env.write_text("from-env-file", encoding="utf-8")
    (tmp_path / ".env").write_text(f"TAB_MCP_METRICS_KEY_FILE={in_dotenv}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from_dotenv = load_settings().tab_mcp_metrics_key
    assert from_dotenv is not None and from_dotenv.get_secret_value() == "from-dotenv-file"
    monkeypatch.setenv("TAB_MCP_METRICS_KEY", "plain-value")
    monkeypatch.setenv("TAB_MCP_METRICS_KEY_FILE", str(in_env))
    key = load_settings().tab_mcp_metrics_key
    assert key is not None and key.get_secret_value() == "from-env-file"
    # An explicit value (the command line's) still wins over every file.
    explicit = load_settings(tab_mcp_metrics_key="explicit").tab_mcp_metrics_key
    assert explicit is not None and explicit.get_secret_value() == "explicit"


def test_an_unreadable_file_from_dotenv_is_named(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    clear_tab_environment(monkeypatch)
    (tmp_path / ".env").write_text(f"TAB_MCP_API_KEYS_FILE={tmp_path}/missing\n",
                                   encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match="TAB_MCP_API_KEYS_FILE: cannot read"):
        load_settings()


def test_rotation_rereads_a_file_named_in_dotenv(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from app.secret_files import credentials_reloader

    clear_tab_environment(monkeypatch)
    secret = tmp_path / "client-secret"
    secret.write_text("first-secret", encoding="utf-8")
    (tmp_path / ".env").write_text(
        f"TAB_CLIENT_ID=id\nTAB_CLIENT_SECRET_FILE={secret}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    reload = credentials_reloader(load_settings())
    secret.write_text("rotated-secret", encoding="utf-8")
    rotated = reload().client_secret
    assert rotated is not None and rotated.get_secret_value() == "rotated-secret"
