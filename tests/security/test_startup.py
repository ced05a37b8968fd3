"""Start-up over the real command line: fail closed, https-only upstream, secrets from files."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from mcp import Client
from mcp_types import CallToolResult

from app.config import load_settings
from app.observability.logging import REDACTOR
from app.sandbox.options import SandboxOptions
from app.sandbox.server import create_sandbox_app
from app.secret_files import credentials_reloader
from app.security.startup import startup_refusal
from tests.support.servers import free_port, serve

SECRET = "Startup-Canary-Secret-4f1e"
PASSWORD = "Startup-Canary-Password-93aa"
USERNAME = "Startup-Canary-User-7777"
API_KEY = "startup-api-key-0123456789abcdef"
ACCOUNT = {"TAB_CLIENT_ID": "acct-client", "TAB_CLIENT_SECRET": SECRET,
           "TAB_USERNAME": USERNAME, "TAB_PASSWORD": PASSWORD,
           # nothing listens there: nothing at start needs the upstream
           "TAB_BASE_URL": "http://127.0.0.1:9"}


def clean_env(env: dict[str, str]) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TAB_", "PORT", "HOST"))}
    return {**base, "PYTHONUNBUFFERED": "1", **env}


def run_app(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=clean_env(env),
                          capture_output=True, text=True, timeout=60)


@contextlib.contextmanager
def running_app(env: dict[str, str], *args: str, port: int) -> Iterator[tuple[str, Path]]:
    """Start `python -m app`, wait for /health, yield (base URL, stderr file), then stop it."""
    log_dir = Path(os.environ.get("TMPDIR", "/tmp"))
    stderr_path = log_dir / f"tab-mcp-startup-{port}.log"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--port", str(port), "--log-format", "json", *args],
            env=clean_env(env), stdout=subprocess.DEVNULL, stderr=stderr)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, stderr_path.read_text()
                try:
                    if httpx2.get(f"{url}/health", timeout=1).status_code == 200:
                        break
                except httpx2.TransportError:
                    pass
                assert time.monotonic() < deadline, "server did not become healthy"
                time.sleep(0.1)
            yield url, stderr_path
        finally:
            process.terminate()
            process.wait(timeout=20)
    stderr_path.unlink(missing_ok=True)


def assert_no_secret(text: str) -> None:
    for secret in (SECRET, PASSWORD, USERNAME, API_KEY):
        assert secret not in text


def test_account_server_on_a_public_address_without_keys_refuses_to_start() -> None:
    result = run_app(ACCOUNT, "--host", "0.0.0.0")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "refusing to start" in lines[0] and "TAB_MCP_API_KEYS" in lines[0]
    assert "TAB_MCP_ALLOW_INSECURE_BIND" in lines[0]
    assert_no_secret(result.stderr + result.stdout)


@pytest.mark.parametrize(("host", "extra", "refused"), [
    ("::", {}, True),
    ("192.0.2.10", {}, True),
    ("::1", {}, False),
    ("localhost", {}, False),
    ("0.0.0.0", {"tab_mcp_api_keys": API_KEY}, False),
    ("0.0.0.0", {"tab_mcp_allow_insecure_bind": True}, False),
    # client credentials only: no account to expose
    ("0.0.0.0", {"tab_username": None, "tab_password": None}, False),
])
def test_refusal_rule(host: str, extra: dict[str, object], refused: bool) -> None:
    values = {key.lower(): value for key, value in ACCOUNT.items()}
    settings = load_settings({}, **{**values, "host": host, **extra})
    assert (startup_refusal(settings) is not None) is refused


def test_plain_http_token_url_off_loopback_refuses_to_start() -> None:
    # (TAB_BASE_URL: tests/app/test_config.py)
    result = run_app({**ACCOUNT, "TAB_TOKEN_URL": "http://auth.example.com/oauth/token",
                      "TAB_MCP_API_KEYS": API_KEY})
    assert result.returncode != 0
    assert "TAB_TOKEN_URL" in result.stderr and "https" in result.stderr
    assert_no_secret(result.stderr + result.stdout)


def test_malformed_hashed_api_key_refuses_to_start() -> None:
    result = run_app({"TAB_MCP_API_KEYS": "sha256:nothex"})
    assert result.returncode != 0
    assert "TAB_MCP_API_KEYS" in result.stderr and "nothex" not in result.stderr


def test_account_server_with_keys_starts_on_all_interfaces_and_requires_them() -> None:
    env = {**ACCOUNT, "TAB_MCP_API_KEYS": API_KEY}
    with running_app(env, "--host", "0.0.0.0", port=free_port()) as (url, stderr):
        unauthenticated = httpx2.post(f"{url}/mcp", json={}, timeout=5, headers={
            "Accept": "application/json, text/event-stream"})
        output = stderr.read_text()
    assert unauthenticated.status_code == 401
    assert "INSECURE" not in output
    assert_no_secret(output)


def test_insecure_bind_opt_out_starts_with_a_loud_warning() -> None:
    env = {**ACCOUNT, "TAB_MCP_ALLOW_INSECURE_BIND": "true"}
    with running_app(env, "--host", "0.0.0.0", port=free_port()) as (_, stderr):
        output = stderr.read_text()
    warning = next(line for line in output.splitlines() if "INSECURE" in line)
    assert '"level": "warning"' in warning and "TAB_MCP_API_KEYS" in warning
    assert_no_secret(output)


def test_account_server_on_loopback_starts_with_secrets_read_from_files(tmp_path: Path) -> None:
    secret_file, password_file = tmp_path / "client_secret", tmp_path / "password"
    secret_file.write_text(SECRET + "\n")
    password_file.write_text(PASSWORD)
    options = SandboxOptions(clients={"acct-client": SECRET}, accounts={USERNAME: PASSWORD})
    sandbox = create_sandbox_app(options)
    with serve(sandbox, lifespan="off", access_log=False) as upstream:
        env = {**ACCOUNT, "TAB_BASE_URL": upstream, "TAB_CLIENT_SECRET_FILE": str(secret_file),
               "TAB_PASSWORD_FILE": str(password_file)}
        del env["TAB_CLIENT_SECRET"], env["TAB_PASSWORD"]
        with running_app(env, "--host", "127.0.0.1", port=free_port()) as (url, stderr):
            result = asyncio.run(_call_tool(f"{url}/mcp", "racing_dates"))
            ready = httpx2.get(f"{url}/ready", timeout=10)
            output = stderr.read_text()
    # a token was obtained with the password grant, so both files were read
    assert not result.is_error, result.content
    assert ready.status_code == 200, ready.text
    stats = sandbox.state.sandbox.stats.snapshot()
    assert stats["token_requests"]["password"] >= 1
    assert stats["token_failures"]["password"] == 0
    assert_no_secret(output)


async def _call_tool(url: str, tool: str) -> CallToolResult:
    async with Client(url) as client:
        return await client.call_tool(tool, {})


def test_unreadable_secret_file_stops_start_naming_the_variable(tmp_path: Path) -> None:
    result = run_app({"TAB_CLIENT_ID": "c", "TAB_CLIENT_SECRET_FILE": str(tmp_path / "absent")})
    assert result.returncode != 0
    assert "TAB_CLIENT_SECRET_FILE" in result.stderr


def test_reloader_rereads_rotated_files_and_falls_back(tmp_path: Path) -> None:
    secret_file, password_file = tmp_path / "secret", tmp_path / "password"
    secret_file.write_text("first-secret-value")
    password_file.write_text("first-password-value")
    env = {"TAB_CLIENT_SECRET_FILE": str(secret_file), "TAB_PASSWORD_FILE": str(password_file)}
    settings = load_settings(env, tab_client_id="cid", tab_username="user-name-1")
    reload = credentials_reloader(settings, env)
    assert reload() == settings.credentials
    assert settings.credentials.client_secret is not None
    assert settings.credentials.client_secret.get_secret_value() == "first-secret-value"
    secret_file.write_text("rotated-secret-value\n")
    password_file.unlink()  # unreadable now: the last good value stays
    values = reload()
    assert values.client_secret is not None and values.password is not None
    assert values.client_secret.get_secret_value() == "rotated-secret-value"
    assert values.password.get_secret_value() == "first-password-value"
    assert values.username is not None and values.username.get_secret_value() == "user-name-1"
    # the rotated value is redacted from logs from now on
    assert "rotated-secret-value" not in REDACTOR.text("said rotated-secret-value")
