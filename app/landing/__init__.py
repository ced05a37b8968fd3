"""For people and directories: the HTML page at `/`, the static server card, the start-up line.

`LandingMiddleware` answers `GET /` (and `GET /mcp` from a browser) with a self-contained page
and `/.well-known/mcp/server-card.json` with the server card; `startup_line` is what the
command line prints when it starts serving.
"""

from app.landing.middleware import LandingMiddleware
from app.landing.startup import startup_line

__all__ = ["LandingMiddleware", "startup_line"]
