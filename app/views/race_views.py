"""The race card and market movers views, and which tools they render."""

from __future__ import annotations

from mcp.server.apps import Apps, ResourceCsp

from app.views.documents import view_document
from app.views.links import ViewLinks

RACE_CARD_VIEW = "ui://tab-mcp/race-card.html"
MARKET_MOVERS_VIEW = "ui://tab-mcp/market-movers.html"

#: No network access of any kind: the views render only the tool results the host hands them.
_NO_DOMAINS = ResourceCsp(connect_domains=[], resource_domains=[], frame_domains=[],
                          base_uri_domains=[])


class RaceViews:
    """The views as an MCP Apps extension (their `ui://` resources) plus the middleware that
    links `race_card` and `market_movers` to them for clients that render apps.

    Pass `extensions=[views.apps]` and `middleware=[..., views.links]` to `MCPServer`.
    """

    def __init__(self) -> None:
        self.apps = Apps()
        self.apps.add_html_resource(
            RACE_CARD_VIEW,
            view_document("race-card", "Race card", "Waiting for the race card…"),
            name="race_card_view", title="Race card view", csp=_NO_DOMAINS,
            description="Interactive race card: sortable runners, prices, movement, countdown.")
        self.apps.add_html_resource(
            MARKET_MOVERS_VIEW,
            view_document("market-movers", "Market movers", "Waiting for the market movers…"),
            name="market_movers_view", title="Market movers view", csp=_NO_DOMAINS,
            description="Firmers and drifters charted per race, each opening its race card.")
        self.links = ViewLinks({"race_card": RACE_CARD_VIEW,
                                "market_movers": MARKET_MOVERS_VIEW})
