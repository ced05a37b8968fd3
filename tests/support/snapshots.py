"""Committed snapshots of a tool surface: compared, or rewritten with UPDATE_SNAPSHOTS=1."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

#: The tools/list fields a snapshot keeps.
TOOL_FIELDS = ("name", "title", "description", "inputSchema", "outputSchema", "annotations",
               "_meta")


def surface(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The snapshot fields of `tools`, sorted by name."""
    return sorted(({key: tool.get(key) for key in TOOL_FIELDS} for tool in tools),
                  key=lambda tool: str(tool["name"]))


def assert_snapshot(path: Path, data: Any) -> None:
    """`data` equals the committed snapshot at `path` (rewritten first with UPDATE_SNAPSHOTS)."""
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        "tools/list changed; if deliberate, rerun with UPDATE_SNAPSHOTS=1 and commit the snapshot")
