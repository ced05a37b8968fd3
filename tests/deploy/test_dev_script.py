"""scripts/dev.py, the README's two commands: what it refuses, in one line, and what it runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "dev.py"


@pytest.fixture(scope="module")
def dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_old_python_is_told_which_version_it_needs(dev: ModuleType) -> None:
    with pytest.raises(dev.Missing) as missing:
        dev.preflight(version=(3, 10, 12), has_ensurepip=True)
    message = str(missing.value)
    assert "3.11 or newer" in message and "3.10.12" in message
    assert "\n" not in message


def test_a_python_without_venv_is_told_what_to_install(dev: ModuleType) -> None:
    with pytest.raises(dev.Missing) as missing:
        dev.preflight(version=(3, 12, 3), has_ensurepip=False)
    assert "apt install python3-venv" in str(missing.value)
    assert "\n" not in str(missing.value)


def test_a_usable_python_passes(dev: ModuleType) -> None:
    dev.preflight(version=(3, 11, 2), has_ensurepip=True)
    dev.preflight()  # the Python running this suite


@pytest.mark.parametrize(("command", "expected"), [
    ("serve", ["run", "--frozen", "--no-dev", "tab-mcp", "--sandbox", "--port", "9"]),
    ("test", ["run", "--frozen", "pytest", "--sandbox", "--port", "9"]),
])
def test_serving_leaves_out_dev_tools_and_extra_arguments_pass_through(
        dev: ModuleType, command: str, expected: list[str]) -> None:
    args = dev.uv_command("/x/uv", command, ["--sandbox", "--port", "9"])
    assert args == ["/x/uv", *expected]


@pytest.mark.parametrize("argv", [[], ["deploy"]])
def test_an_unknown_command_prints_the_usage(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), *argv], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: python3 scripts/dev.py {serve|test|uv}")
