"""The one JSON-schema compactor, on the schemas pydantic actually generates."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.jsonschema import compact_properties


class Inner(BaseModel):
    value: int


class Sample(BaseModel):
    name: str
    note: str | None = None
    inner: Inner | None = None
    either: int | str | None = None
    tags: list[str] | None = None


def properties() -> dict[str, Any]:
    props: dict[str, Any] = Sample.model_json_schema()["properties"]
    return props


def test_nullable_mode_folds_plain_optionals_and_keeps_refs_and_unions() -> None:
    props = properties()
    compact_properties(props, optional="nullable")
    assert props["name"] == {"type": "string"}
    assert props["note"] == {"type": ["string", "null"]}
    assert props["tags"] == {"type": ["array", "null"], "items": {"type": "string"}}
    assert props["inner"] == {"anyOf": [{"$ref": "#/$defs/Inner"}, {"type": "null"}]}
    assert {"type": "null"} in props["either"]["anyOf"] and len(props["either"]["anyOf"]) == 3


def test_plain_mode_publishes_optionals_as_their_own_type() -> None:
    props = properties()
    compact_properties(props, optional="plain")
    assert props["note"] == {"type": "string"}
    assert props["inner"] == {"$ref": "#/$defs/Inner"}
    assert props["either"] == {"type": "integer"}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}


def test_defaults_other_than_null_are_kept() -> None:
    props = {"count": {"type": "integer", "default": 5, "title": "Count"}}
    compact_properties(props)
    assert props == {"count": {"type": "integer", "default": 5}}
