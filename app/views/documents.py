"""The view documents: one self-contained HTML page each, styles and scripts inline."""

from __future__ import annotations

from functools import cache
from importlib import resources

#: Script files in load order: the host bridge, shared helpers, then the views and the entry.
_SCRIPTS = ("bridge.js", "dom.js", "chart.js", "form.js", "card.js", "movers.js", "main.js")

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<style>
{style}
</style>
</head>
<body data-view="{view}">
<main id="app" aria-live="polite"><p class="empty">{waiting}</p></main>
<script>
"use strict";
{script}
</script>
</body>
</html>
"""


def _static(name: str) -> str:
    return resources.files("app.views").joinpath("static", name).read_text(encoding="utf-8")


@cache
def view_document(view: str, title: str, waiting: str) -> str:
    """The HTML document of `view` ('race-card' or 'market-movers'): it shows `waiting` until
    the host hands it a tool result, then renders that result."""
    script = "\n".join(_static(name) for name in _SCRIPTS)
    return _PAGE.format(title=title, style=_static("view.css"), view=view, waiting=waiting,
                        script=script)
