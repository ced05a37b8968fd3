"""smithery.yaml publishes exactly the session-config schema the server validates against."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from app.request_config.model import SessionConfig, config_json_schema

REPO_ROOT = Path(__file__).resolve().parents[2]
REGENERATE = (
    "regenerate startCommand.configSchema from "
    "app.request_config.model.config_json_schema()"
)


@pytest.fixture(scope="module")
def smithery() -> dict[str, Any]:
    document = yaml.safe_load((REPO_ROOT / "smithery.yaml").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_container_runtime_builds_the_repository_dockerfile(smithery: dict[str, Any]) -> None:
    assert smithery["runtime"] == "container"
    build = smithery["build"]
    assert build == {"dockerfile": "Dockerfile", "dockerBuildPath": "."}
    assert (REPO_ROOT / build["dockerBuildPath"] / build["dockerfile"]).is_file()


def test_start_command_is_streamable_http(smithery: dict[str, Any]) -> None:
    start = smithery["startCommand"]
    assert start["type"] == "http"
    assert set(start) == {"type", "configSchema", "exampleConfig"}


def test_config_schema_is_the_session_config_schema(smithery: dict[str, Any]) -> None:
    assert smithery["startCommand"]["configSchema"] == config_json_schema(), REGENERATE


def test_example_config_is_a_valid_session_config(smithery: dict[str, Any]) -> None:
    example = smithery["startCommand"]["exampleConfig"]
    assert example, "exampleConfig should show at least one option"
    config = SessionConfig.model_validate(example)
    assert config.model_dump(by_alias=True, exclude_none=True) == example


def test_example_config_carries_no_credentials(smithery: dict[str, Any]) -> None:
    example = smithery["startCommand"]["exampleConfig"]
    secret_keys = {
        name for name, prop in config_json_schema()["properties"].items()
        if prop.get("writeOnly") or name == "tabClientId"
    }
    assert secret_keys, "the schema marks credential fields as writeOnly"
    assert not secret_keys & set(example)


def test_config_schema_rejects_what_session_config_rejects(smithery: dict[str, Any]) -> None:
    # The published schema forbids unknown keys; so must the model, or a gateway would accept
    # configs that the server then refuses.
    assert smithery["startCommand"]["configSchema"]["additionalProperties"] is False
    with pytest.raises(ValidationError):
        SessionConfig.model_validate({"baseUrl": "https://elsewhere.example"})
