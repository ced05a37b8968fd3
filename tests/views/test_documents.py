"""What the view documents are made of: one page, nothing fetched, no HTML built from data."""

from __future__ import annotations

import re

import pytest

from app.views import RaceViews

#: Ways a script can turn a string into markup or code; the views build the DOM node by node.
MARKUP_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "setTimeout(\"", "DOMParser", "createContextualFragment")
#: Ways a page can reach the network.
NETWORK = ("fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "import(",
           "<link", "src=", "@import", "url(")


def _documents() -> dict[str, str]:
    views = RaceViews()
    return {binding.resource.uri: binding.resource.text  # type: ignore[attr-defined]
            for binding in views.apps.resources()}


@pytest.mark.parametrize("uri", sorted(_documents()))
def test_a_view_is_one_inline_document_that_never_parses_data_as_markup(uri: str) -> None:
    html = _documents()[uri]
    assert html.count("<script") == 1 and html.count("<style") == 1
    for sink in MARKUP_SINKS + NETWORK:
        assert sink not in html, f"{uri} uses {sink}"
    # The only URL is the SVG namespace (an identifier, never fetched).
    assert re.findall(r"https?://[^\s\"'`]+", html) == ["http://www.w3.org/2000/svg"]


def test_each_view_names_what_it_waits_for() -> None:
    documents = _documents()
    assert set(documents) == {"ui://tab-mcp/race-card.html", "ui://tab-mcp/market-movers.html"}
    assert 'data-view="race-card"' in documents["ui://tab-mcp/race-card.html"]
    assert 'data-view="market-movers"' in documents["ui://tab-mcp/market-movers.html"]
