"""Package arrows point down the layer table; the sandbox stays apart; no package cycle.

The graph comes from the source (`ast`), so a new import shows up here before anything runs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter

import pytest

from tests.architecture.imports import Edge, app_modules, component, import_edges

#: Bottom to top. A package may import its own layer (without a cycle) and any layer below it.
LAYERS: tuple[frozenset[str], ...] = (
    # Pure facts and helpers: nothing from app but what sits beside them.
    frozenset({"app", "app.domain", "app.primitives", "app.jsonschema", "app.http_paths",
               "app.http_headers", "app.mcp_path"}),
    # Settings, logs and metrics, secret files, the JSON-RPC rejection every inbound check sends,
    # the shared store (Redis) with its in-process fallback rule.
    frozenset({"app.config", "app.setting_rules", "app.observability", "app.secret_files",
               "app.rejections",
               "app.store"}),
    # The upstream client.
    frozenset({"app.tab"}),
    # What the tools stand on: shared services, per-request configuration, domain logic.
    frozenset({"app.services", "app.credential_cache", "app.venues", "app.wagering", "app.betting",
               "app.request_config", "app.warming"}),
    # The MCP surface.
    frozenset({"app.tools", "app.views"}),
    # The composition root: builds the app, wires the sandbox or the network, guards the door.
    frozenset({"app.landing", "app.security", "app.mcp_server", "app.asgi", "app.http_routes",
               "app.wiring", "app.drain", "app.serving", "app.workers", "app.__main__"}),
)
SANDBOX = "app.sandbox"
#: The one sandbox module the server may use, and only from the composition root.
SANDBOX_ENTRY = "app.sandbox.embedded"
COMPOSITION_ROOT = LAYERS[-1]

#: (importer package, imported package) edges that break the table today, each with the reason it
#: stays. The test fails when one of them disappears, so the list cannot go stale.
KNOWN_VIOLATIONS: frozenset[tuple[str, str]] = frozenset()

LAYER_OF = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def _between_packages(edges: Iterable[Edge]) -> list[Edge]:
    return [edge for edge in edges if component(edge.importer) != component(edge.imported)]


def breaches(edges: Iterable[Edge]) -> list[Edge]:
    """Edges that point up the table, into or out of the sandbox wrongly, or into no layer."""
    found = []
    for edge in _between_packages(edges):
        source, target = component(edge.importer), component(edge.imported)
        if SANDBOX in (source, target):
            allowed = (target == SANDBOX and edge.imported == SANDBOX_ENTRY
                       and source in COMPOSITION_ROOT)
        else:
            allowed = LAYER_OF.get(target, len(LAYERS)) <= LAYER_OF.get(source, -1)
        if not allowed:
            found.append(edge)
    return found


def package_cycle(edges: Iterable[Edge]) -> list[str] | None:
    """A cycle among packages (each node a package), or None."""
    graph: dict[str, set[str]] = {}
    for edge in _between_packages(edges):
        graph.setdefault(component(edge.importer), set()).add(component(edge.imported))
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return list(error.args[1])
    return None


def module_cycle(edges: Iterable[Edge], modules: set[str]) -> list[str] | None:
    """A cycle among modules (an import of a name counts as one of its module), or None."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        target = edge.imported
        while target not in modules and "." in target:
            target = target.rsplit(".", 1)[0]  # `app.x.y.Name` -> `app.x.y`
        if target != edge.importer:
            graph.setdefault(edge.importer, set()).add(target)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return list(error.args[1])
    return None


def _pair(edge: Edge) -> tuple[str, str]:
    return component(edge.importer), component(edge.imported)


def test_every_package_has_a_place_in_the_table() -> None:
    packages = {component(edge.importer) for edge in import_edges()} | {
        component(edge.imported) for edge in import_edges()}
    unplaced = sorted(packages - set(LAYER_OF) - {SANDBOX})
    assert not unplaced, f"add these packages to LAYERS: {unplaced}"


def test_arrows_point_down_and_the_sandbox_stays_apart() -> None:
    found = [edge for edge in breaches(import_edges()) if _pair(edge) not in KNOWN_VIOLATIONS]
    assert not found, "imports against the layer table:\n" + "\n".join(
        f"  {edge.importer} (line {edge.line}) imports {edge.imported}" for edge in found)


def test_known_violations_still_exist() -> None:
    present = {_pair(edge) for edge in breaches(import_edges())}
    gone = sorted(KNOWN_VIOLATIONS - present)
    assert not gone, f"fixed: remove from KNOWN_VIOLATIONS: {gone}"


def test_packages_import_each_other_without_a_cycle() -> None:
    assert package_cycle(import_edges()) is None


def test_modules_import_each_other_without_a_cycle() -> None:
    # Also through imports inside functions: a cycle there is a layering knot, not a fix.
    assert module_cycle(import_edges(), set(app_modules())) is None


@pytest.mark.parametrize(("importer", "imported"), [
    ("app.tab.client", "app.tools.calls"),             # upward
    ("app.domain.zones", "app.config"),                # pure layer reaching up
    ("app.sandbox.routes", "app.config"),              # sandbox reaching out
    ("app.wiring", "app.sandbox.world"),               # past the sandbox's entry point
    ("app.services", "app.sandbox.embedded"),          # entry point, but below the root
    ("app.newpackage", "app.domain"),                  # a package with no place in the table
])
def test_the_check_catches_a_bad_arrow(importer: str, imported: str) -> None:
    assert breaches([Edge(importer, imported, 1)]) == [Edge(importer, imported, 1)]


def test_the_check_allows_down_and_sideways_arrows() -> None:
    edges = [Edge("app.tools.racing", "app.tab.client", 1), Edge("app.services", "app.venues", 1),
             Edge("app.wiring", SANDBOX_ENTRY, 1), Edge("app.tab.client", "app.tab.paths", 1)]
    assert breaches(edges) == []


def test_the_check_finds_a_module_cycle_through_a_package() -> None:
    edges = [Edge("app.tab.client", "app.tab.paths.Route", 1), Edge("app.tab.paths", "app.tab", 1),
             Edge("app.tab", "app.tab.client", 1)]
    modules = {"app.tab", "app.tab.client", "app.tab.paths"}
    assert set(module_cycle(edges, modules) or ()) == modules


def test_the_check_finds_a_cycle() -> None:
    edges = [Edge("app.services", "app.venues.directory", 1), Edge("app.venues", "app.services", 2)]
    assert set(package_cycle(edges) or ()) == {"app.services", "app.venues"}


def test_the_graph_is_read_from_the_source() -> None:
    edges = set(import_edges())
    assert any(edge.importer == "app.asgi" and edge.imported == "app.mcp_server" for edge in edges)
    # `from package import module` is an import of that module.
    assert any(edge.importer == "app.sandbox.world.sports_world"
               and edge.imported == "app.sandbox.world.sports" for edge in edges)
    assert all(edge.imported.startswith("app") for edge in edges)
