"""Headless Chromium driven over the Chrome DevTools Protocol, on a pipe (no websocket, no
extra dependency): `--remote-debugging-pipe` reads commands on fd 3 and answers on fd 4, each
message JSON terminated by a NUL byte."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find_chromium() -> str | None:
    """The Chromium binary on PATH (or CHROMIUM), if any."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


class CdpError(RuntimeError):
    """A DevTools command failed, or the browser stopped answering."""


class Browser:
    """One Chromium process and one page target, with a blocking command API."""

    def __init__(self, process: subprocess.Popen[bytes], to_browser: int, from_browser: int
                 ) -> None:
        self.process = process
        self._out = to_browser
        self._in = from_browser
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _send(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise CdpError("the browser did not answer in time")
            chunk = os.read(self._in, 1 << 16)
            if not chunk:
                raise CdpError("the browser closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def command(self, method: str, params: dict[str, Any] | None = None, *,
                browser_level: bool = False, timeout: float = 15) -> dict[str, Any]:
        """Send `method` (to the page unless `browser_level`) and wait for its result."""
        ident = self._send(method, params, None if browser_level else self.session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == ident:
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self.events.append(message)

    def open_page(self, width: int, height: int) -> None:
        """Create a page target and attach to it (flattened session)."""
        target = self.command("Target.createTarget", {"url": "about:blank"}, browser_level=True)
        attached = self.command("Target.attachToTarget",
                                {"targetId": target["targetId"], "flatten": True},
                                browser_level=True)
        self.session = attached["sessionId"]
        self.command("Page.enable")
        self.command("Runtime.enable")
        self.resize(width, height)

    def resize(self, width: int, height: int, *, mobile: bool = False) -> None:
        self.command("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def evaluate(self, expression: str, *, context: int | None = None) -> Any:
        """The value of a JavaScript expression (awaited if it is a promise)."""
        params: dict[str, Any] = {"expression": expression, "returnByValue": True,
                                  "awaitPromise": True}
        if context is not None:
            params["contextId"] = context
        reply = self.command("Runtime.evaluate", params)
        if "exceptionDetails" in reply:
            raise CdpError(f"{expression[:80]}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, *, context: int | None = None, timeout: float = 15,
                 what: str = "") -> Any:
        """Poll `expression` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression, context=context)
            if value:
                return value
            if time.monotonic() > deadline:
                raise CdpError(f"timed out waiting for {what or expression}")
            time.sleep(0.05)

    def child_frame_world(self) -> int:
        """An isolated world in the page's first child frame: it sees that frame's DOM, even
        when the frame is a sandboxed (opaque-origin) iframe the page's own script cannot read."""
        tree = self.command("Page.getFrameTree")["frameTree"]
        children = tree.get("childFrames") or []
        if not children:
            raise CdpError("the page has no child frame")
        world = self.command("Page.createIsolatedWorld", {
            "frameId": children[0]["frame"]["id"], "worldName": "test-probe"})
        return int(world["executionContextId"])

    def click(self, x: float, y: float) -> None:
        """A real mouse click at page coordinates."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.command("Input.dispatchMouseEvent", {
                "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def screenshot(self, path: Path) -> None:
        """A PNG of the whole page, beyond the viewport if it is taller."""
        metrics = self.command("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.command("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": metrics["width"], "height": metrics["height"],
                     "scale": 1}})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))


def _pipe_fds(to_child: int, from_child: int) -> None:  # runs in the child, before exec
    # Move both out of the way first, so that placing one cannot clobber the other.
    commands, replies = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child))
    os.dup2(commands, 3)
    os.dup2(replies, 4)


@contextlib.contextmanager
def launch(binary: str, *, width: int = 900, height: int = 700) -> Iterator[Browser]:
    """Start headless Chromium with DevTools on a pipe; yields a `Browser` with a page open."""
    command_read, command_write = os.pipe()
    reply_read, reply_write = os.pipe()
    profile = tempfile.mkdtemp(prefix="tab-mcp-chromium-")
    args = [
        binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
        # Keep the sandboxed view iframe in the page's process, where the frame tree reaches
        # it; and no back/forward cache, which would keep each left page's MCP streams open
        # until the browser's six connections per host are used up.
        "--disable-site-isolation-trials",
        "--disable-features=IsolateSandboxedIframes,site-per-process,Translate,BackForwardCache",
        f"--user-data-dir={profile}", "about:blank",
    ]
    process = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        # Only inheritable descriptors survive exec (PEP 446): 0-2 and the two placed at 3 and 4.
        close_fds=False, preexec_fn=lambda: _pipe_fds(command_read, reply_write))
    os.close(command_read)
    os.close(reply_write)
    browser = Browser(process, command_write, reply_read)
    try:
        browser.open_page(width, height)
        yield browser
    finally:
        with contextlib.suppress(Exception):
            browser.command("Browser.close", browser_level=True, timeout=5)
        os.close(command_write)
        os.close(reply_read)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        shutil.rmtree(profile, ignore_errors=True)
