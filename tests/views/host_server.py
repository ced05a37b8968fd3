"""The test host page beside tab-mcp, on one origin: `/test-host/*` serves the host page and
its bundled AppBridge, everything else goes to tab-mcp (so the page's MCP client is same-origin).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

HOST_DIR = Path(__file__).parent / "host"
PREFIX = "/test-host"


def host_dependencies_missing() -> str | None:
    """Why the host page cannot be built here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (HOST_DIR / "node_modules" / "@modelcontextprotocol" / "ext-apps").is_dir():
        return f"run `npm ci --prefix {HOST_DIR}` to install the test host's packages"
    return None


def build_host(out: Path) -> Path:
    """Bundle the host's npm packages for the browser and copy the page beside the bundle."""
    out.mkdir(parents=True, exist_ok=True)
    esbuild = HOST_DIR / "node_modules" / "esbuild" / "bin" / "esbuild"
    subprocess.run(
        [str(esbuild), str(HOST_DIR / "entry.js"), "--bundle", "--format=esm",
         "--platform=browser", "--minify", "--log-level=warning",
         f"--outfile={out / 'bridge.js'}"],
        check=True, cwd=HOST_DIR, timeout=60)
    for name in ("host.html", "host.js"):
        shutil.copy(HOST_DIR / name, out / name)
    return out


class WithHostPage:
    """ASGI: the built host page under `/test-host/`, tab-mcp for every other path (and its
    lifespan)."""

    def __init__(self, app: ASGIApp, built: Path) -> None:
        self.app = app
        self.files = StaticFiles(directory=built)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(PREFIX + "/"):
            inner: dict[str, Any] = {**scope, "path": path[len(PREFIX):], "root_path": ""}
            await self.files(inner, receive, send)
            return
        await self.app(scope, receive, send)
