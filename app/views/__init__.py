"""Interactive views of tool results for hosts that render MCP Apps (io.modelcontextprotocol/ui)."""

from app.views.links import ViewLinks
from app.views.race_views import RaceViews

__all__ = ["RaceViews", "ViewLinks"]
