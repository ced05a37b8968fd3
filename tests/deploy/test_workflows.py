"""The GitHub workflows are well-formed, use only known actions, and run what CI runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO_ROOT / ".github" / "workflows"
CI_SCRIPT = REPO_ROOT / ".ci" / "run"

#: Actions a workflow may use: real, maintained ones, each pinned to a major version or a commit.
ALLOWED_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "astral-sh/setup-uv",
    "docker/setup-buildx-action",
}
VERSION = re.compile(r"^v\d+(\.\d+){0,2}$|^[0-9a-f]{40}$")
EXPECTED = {"test.yml", "lint.yml", "security.yml", "image.yml"}


def load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path.name} is not a YAML mapping"
    return document


def triggers(workflow: dict[Any, Any]) -> Any:
    # YAML 1.1 reads a bare `on` key as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_commands(workflow: dict[Any, Any]) -> list[str]:
    """Every shell line of every `run:` step, continuation lines joined."""
    text = "\n".join(step["run"] for step in steps(workflow) if "run" in step)
    return [line.strip() for line in text.replace("\\\n", " ").splitlines() if line.strip()]


def ci_commands(tool: str) -> list[str]:
    """The lines of .ci/run that invoke `tool` as a command word."""
    lines = CI_SCRIPT.read_text(encoding="utf-8").splitlines()
    return [
        line.strip() for line in lines
        if not line.lstrip().startswith(("#", "echo")) and tool in shlex.split(line, comments=True)
    ]


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.y*ml"))


def test_the_expected_workflows_exist() -> None:
    assert {path.name for path in workflow_files()} == EXPECTED


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_workflow_is_well_formed(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("name")
    assert triggers(workflow), f"{path.name} has no `on` triggers"
    jobs = workflow.get("jobs")
    assert isinstance(jobs, dict) and jobs, f"{path.name} has no jobs"
    for name, job in jobs.items():
        assert job.get("runs-on"), f"job {name} has no runs-on"
        assert job.get("steps"), f"job {name} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"step {step} needs one of uses/run"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_actions_are_known_and_versioned(path: Path) -> None:
    for step in steps(load(path)):
        if "uses" not in step:
            continue
        action, _, version = step["uses"].partition("@")
        assert action in ALLOWED_ACTIONS, f"{path.name}: unknown action {action}"
        assert VERSION.match(version), f"{path.name}: {action} is not pinned to a version"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_no_step_hides_a_failure(path: Path) -> None:
    assert "continue-on-error" not in path.read_text(encoding="utf-8")
    for command in run_commands(load(path)):
        assert not re.search(r"\|\|\s*(true|:)\s*($|;|\))", command), command


def readme_commands() -> list[str]:
    """The README's first code block: the serve command, then the test command."""
    block = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("```bash\n", 1)[1]
    lines = block.split("```", 1)[0].splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.strip()]


def test_the_readme_opens_with_a_serve_and_a_test_command() -> None:
    serve, test = readme_commands()
    assert serve.startswith("python3 scripts/dev.py serve")
    assert "--sandbox" in serve.split()
    assert test == "python3 scripts/dev.py test"


def test_ci_and_the_test_workflow_run_the_readme_test_command() -> None:
    test_command = readme_commands()[1]
    ci_lines = [line.strip() for line in CI_SCRIPT.read_text(encoding="utf-8").splitlines()]
    assert test_command in ci_lines
    workflow = load(WORKFLOWS / "test.yml")
    assert test_command in run_commands(workflow)
    versions = workflow["jobs"]["pytest"]["strategy"]["matrix"]["python-version"]
    assert versions == ["3.11", "3.12", "3.13"]


def test_ci_and_the_test_workflow_insist_on_redis() -> None:
    """The fleet tests skip without redis-server on a newcomer's machine; CI must run them."""
    assert "export TAB_MCP_REQUIRE_REDIS=1" in CI_SCRIPT.read_text(encoding="utf-8")
    steps = load(WORKFLOWS / "test.yml")["jobs"]["pytest"]["steps"]
    assert any("redis-server" in step.get("run", "") for step in steps)
    test_step = next(step for step in steps if step.get("run") == readme_commands()[1])
    assert test_step.get("env", {}).get("TAB_MCP_REQUIRE_REDIS") == "1"


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_lint_runs_the_ci_lint_commands(tool: str) -> None:
    expected = ci_commands(tool)
    assert expected, f".ci/run has no {tool} command"
    commands = run_commands(load(WORKFLOWS / "lint.yml"))
    for command in expected:
        assert command in commands


@pytest.mark.parametrize("check", ["bandit -r app -ll", "bash scripts/scan-secrets.sh"])
def test_security_runs_the_ci_security_checks(check: str) -> None:
    assert check in " ".join(run_commands(load(WORKFLOWS / "security.yml")))
    assert check in (REPO_ROOT / ".ci" / "run").read_text()
    scanner = (REPO_ROOT / "scripts" / "scan-secrets.sh").read_text()
    assert "detect-secrets-hook --baseline .secrets.baseline" in scanner
    assert 'exit "$status"' in scanner
    assert (REPO_ROOT / ".secrets.baseline").is_file()


def test_image_workflow_lints_builds_and_probes_the_image() -> None:
    commands = " ".join(run_commands(load(WORKFLOWS / "image.yml")))
    for fragment in ("hadolint Dockerfile", "docker build", "TAB_SANDBOX=true",
                     '"method":"tools/call"', "server_status", "docker stop"):
        assert fragment in commands, fragment
