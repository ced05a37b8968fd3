"""The import graph of `app/`, read from the source with `ast` (nothing is imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[2] / "app"


@dataclass(frozen=True)
class Edge:
    """`importer` (a module) imports `imported` (a module or package), at `line`."""

    importer: str
    imported: str
    line: int


def module_name(path: Path) -> str:
    """`app/tab/client.py` -> `app.tab.client`; a package's `__init__.py` names the package."""
    parts = list(path.relative_to(APP_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_modules() -> dict[str, Path]:
    """Every module under `app/`, by dotted name."""
    return {module_name(path): path for path in sorted(APP_DIR.rglob("*.py"))}


def _imported_names(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool,
                    modules: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = importer.split(".") if is_package else importer.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    # `from package import module` depends on the module, not only on the package.
    return [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
            for alias in node.names]


def import_edges() -> Iterator[Edge]:
    """Every import of an `app` module by an `app` module, wherever it sits (also in functions)."""
    modules = app_modules()
    names = set(modules)
    for importer, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _imported_names(node, importer, is_package, names):
                    if name == "app" or name.startswith("app."):
                        yield Edge(importer, name, node.lineno)


def component(module: str) -> str:
    """The top-level part of `app` a module belongs to: `app.tab.client` -> `app.tab`."""
    return ".".join(module.split(".")[:2])
