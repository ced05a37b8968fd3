"""Compact JSON schemas: what pydantic generates, without what clients never read.

Every tool's output schema travels with `tools/list` on every agent turn, and gateway config
forms expect optional fields as their plain type, so both are published compacted. This module
imports nothing from the rest of `app`.
"""

from __future__ import annotations

from typing import Any, Literal

_NULL = {"type": "null"}


def compact_properties(properties: dict[str, Any], *,
                       optional: Literal["nullable", "plain"] = "nullable") -> None:
    """Compact each property schema of `properties` in place: no titles, no null defaults,
    and an optional field (`anyOf` with null) published as `optional` says:

    - `"nullable"`: `{"type": ["x", "null"]}`, when the other branch is a plain typed schema
      (a reference or a union of several types keeps its `anyOf`);
    - `"plain"`: the field's own schema, as if it were required (how config forms want it).
    """
    for prop in properties.values():
        prop.pop("title", None)
        if prop.get("default", ...) is None:
            del prop["default"]
        branches = prop.get("anyOf")
        if not isinstance(branches, list) or _NULL not in branches:
            continue
        others = [branch for branch in branches if branch != _NULL]
        if optional == "plain" and others:
            del prop["anyOf"]
            prop.update(others[0])
        elif len(others) == 1 and "type" in others[0] and "$ref" not in others[0]:
            del prop["anyOf"]
            prop.update(others[0])
            prop["type"] = [others[0]["type"], "null"]
