"""Every toolset of the registry has contents, and every declared tool belongs to one."""

from __future__ import annotations

import importlib
import pkgutil

import app.tools
from app.domain.toolsets import TOOLSETS
from app.tools.calls import UpstreamTool
from app.tools.toolsets import CONTENTS


def test_every_registered_toolset_has_contents_and_no_other_does() -> None:
    assert tuple(CONTENTS) == TOOLSETS
    assert all(contents.tools for contents in CONTENTS.values())


def test_every_declared_tool_is_in_exactly_one_toolset() -> None:
    modules = [importlib.import_module(f"app.tools.{info.name}")
               for info in pkgutil.iter_modules(app.tools.__path__)]
    declared = [value for module in modules
                for value in vars(module).values() if isinstance(value, UpstreamTool)]
    listed = [tool for contents in CONTENTS.values() for tool in contents.tools]
    assert len(listed) == len(set(map(id, listed)))
    assert {id(tool) for tool in declared} == {id(tool) for tool in listed}
