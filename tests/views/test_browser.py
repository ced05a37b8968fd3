"""The views in a real browser: headless Chromium loads a test host page that embeds each view
the way an MCP Apps host does (ext-apps AppBridge, sandboxed iframe, postMessage), hands it a
real tool result from tab-mcp over HTTP, and answers the view's own tools/call through tab-mcp.

Screenshots go to the test's temporary folder; UPDATE_SCREENSHOTS=1 writes them to docs/images
(the README shows those). TAB_MCP_REQUIRE_BROWSER=1 (CI) turns a missing browser into a failure.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio
import pytest
from mcp import Client

from app.sandbox.routes import SERVICE_ROOT
from tests.conftest import REPO_ROOT
from tests.support.stack import Stack, running_stack
from tests.views.cdp import Browser, CdpError, find_chromium, launch
from tests.views.host_server import PREFIX, WithHostPage, build_host, host_dependencies_missing

DOCS_IMAGES = REPO_ROOT / "docs" / "images"
VIEWER_TIME_ZONE = "Europe/London"  # far from every venue, so both clocks show


def _missing() -> str | None:
    if find_chromium() is None:
        return "Chromium is not installed (apt-get install chromium)"
    return host_dependencies_missing()


@pytest.fixture(scope="module")
def built_host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = _missing()
    if reason:
        if os.environ.get("TAB_MCP_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    return build_host(tmp_path_factory.mktemp("host"))


@pytest.fixture(scope="module")
def stack(built_host: Path) -> Iterator[Stack]:
    # One browser plays many hosts' worth of requests: the per-client rate limit is not what
    # this module tests.
    with running_stack(wrap=lambda app: WithHostPage(app, built_host),
                       tab_mcp_rate_limit=0) as running:
        yield running


@pytest.fixture(scope="module")
def browser(stack: Stack) -> Iterator[Browser]:
    """A browser that closes before the stack stops (its pages hold streams open)."""
    binary = find_chromium()
    assert binary
    with launch(binary) as running:
        running.command("Emulation.setTimezoneOverride", {"timezoneId": VIEWER_TIME_ZONE})
        yield running


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS"):
        return DOCS_IMAGES
    return tmp_path_factory.mktemp("screenshots")


async def _call(stack: Stack, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    async with Client(stack.mcp_url) as client:
        result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    return content


@pytest.fixture(scope="module")
def race(stack: Stack) -> dict[str, Any]:
    """Arguments of an open gallops race with a scratching and moving prices, and its card."""

    async def find() -> dict[str, Any]:
        upcoming = await _call(stack, "next_to_go", {"count": 20, "race_type": "R"})
        for entry in upcoming["races"]:
            # The row's own address: a race abroad may be filed under yesterday's date.
            args = {"venue": entry["venue_code"] or entry["venue"],
                    "race_number": entry["race_number"], "race_type": "R",
                    "date": entry["meeting_date"]}
            card = await _call(stack, "race_card", args)
            runners = card["runners"]
            if (card["status"] == "Normal" and any(r.get("scratched") for r in runners)
                    and sum(1 for r in runners if r.get("move_pct_first_open")) >= 3):
                return {"args": args, "card": card}
        raise AssertionError("the sandbox offers no open race with a scratching to show")

    return anyio.run(find)


def _open(browser: Browser, stack: Stack, tool: str, args: dict[str, Any], theme: str) -> int:
    """Load the host page for `tool`; wait until the view has rendered; the view's world."""
    query = urlencode({"tool": tool, "args": json.dumps(args), "theme": theme})
    browser.command("Page.navigate", {"url": f"{stack.url}{PREFIX}/host.html?{query}"})
    try:
        browser.wait_for("window.hostState && ['rendered', 'failed'].includes(hostState.phase)",
                         what="the host to hand the view its result")
    except CdpError as error:
        state = browser.evaluate("JSON.stringify(window.hostState || null)")
        raise AssertionError(f"{error}; host state: {state}") from None
    failure = browser.evaluate("hostState.error")
    assert failure is None, failure
    return browser.child_frame_world()


def _in_view(browser: Browser, world: int, expression: str) -> Any:
    return browser.evaluate(f"(() => {{ {expression} }})()", context=world)


def _click(browser: Browser, world: int, selector: str) -> None:
    """A real mouse click on the first `selector` in the view, scrolled into the viewport."""
    where = f"""
        const node = document.querySelector({json.dumps(selector)});
        if (!node) return null;
        const r = node.getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2];"""
    box = _in_view(browser, world, where)
    assert box, f"nothing matches {selector}"
    frame_top = "document.getElementById('frame').getBoundingClientRect().top"
    browser.evaluate(f"window.scrollBy(0, {frame_top} + {box[1]} - innerHeight / 2)")
    frame = browser.evaluate("(() => { const r = document.getElementById('frame')"
                             ".getBoundingClientRect(); return [r.left, r.top]; })()")
    box = _in_view(browser, world, where)
    browser.click(frame[0] + 1 + box[0], frame[1] + 1 + box[1])  # +1: the frame's border


def _rows(browser: Browser, world: int) -> list[dict[str, Any]]:
    return list(_in_view(browser, world, """
        return [...document.querySelectorAll('tr.runner')].map((row) => ({
          number: Number(row.dataset.number),
          name: row.querySelector('.runner-link').textContent,
          fixed: row.querySelector('.fixed').textContent,
          tote: row.querySelector('.tote').textContent,
          barrier: row.querySelector('.barrier').textContent,
          scratched: row.classList.contains('scratched'),
          struck: getComputedStyle(row.querySelector('.runner-link')).textDecorationLine,
          chart: row.querySelectorAll('.spark polyline').length,
        }));"""))


def test_race_card_view_renders_sorts_and_opens_form(
        browser: Browser, stack: Stack, race: dict[str, Any], shots: Path) -> None:
    card = race["card"]
    browser.resize(900, 700)
    world = _open(browser, stack, "race_card", race["args"], "light")
    rows = browser.wait_for("true", context=world) and _rows(browser, world)
    assert [row["number"] for row in rows] == sorted(r["number"] for r in card["runners"])
    by_number = {r["number"]: r for r in card["runners"]}
    for row in rows:
        runner = by_number[row["number"]]
        assert row["name"] == runner["name"]
        assert row["barrier"] == str(runner["barrier"])
        if runner.get("scratched"):
            assert row["scratched"] and row["struck"] == "line-through" and row["fixed"] == "–"
        else:
            assert not row["scratched"] and "line-through" not in row["struck"]
            assert row["fixed"] == (f"${runner['fixed_win']:.2f}" if runner.get("fixed_win")
                                    else "–")
            assert row["tote"] == (f"${runner['tote_win']:.2f}" if runner.get("tote_win")
                                   else "–")
        assert row["chart"] == (1 if runner.get("first_open") or runner["flucs"] else 0)
    header = _in_view(browser, world, "return document.querySelector('header.race').innerText;")
    assert card["venue"] in header and f"R{card['race_number']}" in header
    assert f"Market {card['market_pct']:.1f}%" in header
    assert f"Favourite No. {card['favourite']}" in header
    assert "your time" in header and card["timezone"] in header
    countdown = "return document.querySelector('.countdown').textContent;"
    first = _in_view(browser, world, countdown)
    assert re.fullmatch(r"Jumps in (\d+:\d\d|\d+h \d\dm)", first), first
    if ":" in first:  # under an hour to go: the seconds tick
        browser.wait_for(f"document.querySelector('.countdown').textContent !== {first!r}",
                         context=world, timeout=3, what="the countdown to tick")

    _click(browser, world, "button[data-sort=price]")
    by_price = [row["number"] for row in _rows(browser, world)]
    priced = sorted((r for r in card["runners"] if not r.get("scratched") and r.get("fixed_win")),
                    key=lambda r: (r["fixed_win"], r["number"]))
    assert by_price[:len(priced)] == [r["number"] for r in priced]
    _click(browser, world, "button[data-sort=barrier]")
    barriers = [int(row["barrier"]) for row in _rows(browser, world) if row["barrier"] != "–"]
    assert barriers == sorted(barriers)
    _click(browser, world, "button[data-sort=number]")

    runner = next(r for r in card["runners"] if not r.get("scratched"))
    _click(browser, world, f"tr.runner[data-number='{runner['number']}'] .runner-link")
    form = browser.wait_for(
        f"document.querySelector('.form[data-runner=\"{runner['number']}\"]')?.innerText",
        context=world, what="the runner's form")
    assert runner["name"] in form and "Career" in form
    calls = browser.evaluate("hostState.calls")
    assert calls == [{"name": "runner_form", "arguments": {
        "venue": card["venue_code"], "race_number": card["race_number"],
        "runner_number": runner["number"], "date": card["date"], "race_type": "R"}}]
    browser.screenshot(shots / "race-card-light.png")


def _background(browser: Browser, world: int) -> float:
    color = _in_view(browser, world, "return getComputedStyle(document.body).backgroundColor;")
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", color)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue  # relative luminance


def test_the_view_follows_the_host_theme(
        browser: Browser, stack: Stack, race: dict[str, Any], shots: Path) -> None:
    browser.resize(900, 700)
    world = _open(browser, stack, "race_card", race["args"], "dark")
    assert _background(browser, world) < 0.2
    browser.screenshot(shots / "race-card-dark.png")
    browser.evaluate("hostState.setTheme('light')")  # ui/notifications/host-context-changed
    browser.wait_for("document.documentElement.dataset.theme === 'light'", context=world,
                     what="the view to take the host's new theme")
    assert _background(browser, world) > 0.8


def test_without_a_host_theme_the_view_follows_the_system_scheme(
        browser: Browser, stack: Stack, race: dict[str, Any]) -> None:
    browser.resize(900, 700)
    browser.command("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        world = _open(browser, stack, "race_card", race["args"], "none")
        assert _background(browser, world) < 0.2
    finally:
        browser.command("Emulation.setEmulatedMedia", {"features": []})
    world = _open(browser, stack, "race_card", race["args"], "none")
    assert _background(browser, world) > 0.8


def test_phone_width(browser: Browser, stack: Stack, race: dict[str, Any], shots: Path) -> None:
    browser.resize(390, 844, mobile=True)
    try:
        world = _open(browser, stack, "race_card", race["args"], "light")
        fits = _in_view(browser, world, """
            const page = document.documentElement;
            const table = document.querySelector('table.runners').parentElement;
            return {overflow: page.scrollWidth - page.clientWidth,
                    table_overflow: table.scrollWidth - table.clientWidth,
                    place: getComputedStyle(document.querySelector('td.wide')).display,
                    fixed: getComputedStyle(document.querySelector('td.fixed')).display};""")
        browser.screenshot(shots / "race-card-phone.png")
    finally:
        browser.resize(900, 700)
    assert fits == {"overflow": 0, "table_overflow": 0, "place": "none", "fixed": "table-cell"
                    }, fits


def test_a_tool_error_is_shown_in_the_view(browser: Browser, stack: Stack) -> None:
    world = _open(browser, stack, "race_card", {"venue": "Nowhere Park", "race_number": 1},
                  "light")
    shown = browser.wait_for("document.querySelector('.notice.error')?.textContent",
                             context=world, what="the error notice")
    assert "Nowhere Park" in shown or "venue" in shown.lower(), shown


def test_market_movers_view_links_to_race_cards(
        browser: Browser, stack: Stack, shots: Path) -> None:
    browser.resize(900, 700)
    args = {"races": 4, "min_move_pct": 15}
    world = _open(browser, stack, "market_movers", args, "light")
    sections = _in_view(browser, world, """
        return [...document.querySelectorAll('section.movers-race')].map((s) => ({
          race: s.dataset.race, movers: s.querySelectorAll('li.mover').length,
          bars: s.querySelectorAll('svg.bar rect').length}));""")
    assert sections and all(s["movers"] and s["bars"] == s["movers"] for s in sections), sections
    browser.screenshot(shots / "market-movers.png")
    _click(browser, world, "section.movers-race .open-card")
    venue, number = sections[0]["race"].rsplit(" R", 1)
    browser.wait_for("document.querySelectorAll('tr.runner').length", context=world,
                     what="the race card opened from the movers view")
    header = _in_view(browser, world, "return document.querySelector('header.race').innerText;")
    assert venue in header and f"R{number}" in header
    # The card is opened by the row's exact address: code, race type and meeting date.
    [call] = browser.evaluate("hostState.calls")
    assert call["name"] == "race_card"
    assert set(call["arguments"]) == {"venue", "race_type", "date", "race_number"}
    assert call["arguments"]["race_number"] == int(number)
    assert call["arguments"]["race_type"] in ("R", "H", "G")
    assert call["arguments"]["venue"].isupper() and len(call["arguments"]["venue"]) <= 4
    _click(browser, world, "button.back")
    back = "return document.querySelectorAll('section.movers-race').length;"
    assert _in_view(browser, world, back) == len(sections)


HOSTILE = '<img src=x onerror="window.parent.postMessage(1, \'*\'); document.title=\'owned\'">'


def test_data_is_shown_as_text_never_as_markup(browser: Browser, stack: Stack) -> None:
    """Names from upstream that look like markup are rendered as the characters they are."""

    async def untouched_race() -> dict[str, Any]:
        # The last race of a greyhound meeting still to run: no other test has fetched it
        # (they look at the next races only), so tab-mcp has not cached it.
        listed = await _call(stack, "racing_meetings", {"race_type": "G"})
        meeting = next(m for m in listed["meetings"] if m["venue_code"] and m.get("next_race")
                       and m["races"] - m["next_race"] >= 3)
        return {"venue": meeting["venue_code"], "race_number": meeting["races"],
                "race_type": "G", "date": listed["date"]}

    args = anyio.run(untouched_race)
    path = (f"/racing/dates/{args['date']}/meetings/G/{args['venue']}/races/"
            f"{args['race_number']}")
    body = stack.upstream(path)
    body["raceName"] = "<b>Cup</b>"
    body["runners"][0]["runnerName"] = HOSTILE
    stack.admin("PUT", "/_sandbox/overrides", {"path": SERVICE_ROOT + path, "body": body})
    try:
        browser.resize(900, 700)
        world = _open(browser, stack, "race_card", args, "light")
        shown = _in_view(browser, world, """
            return {name: document.querySelector('tr.runner .runner-link').textContent,
                    header: document.querySelector('header.race h1').textContent,
                    images: document.querySelectorAll('img, b').length,
                    title: document.title};""")
    finally:
        stack.admin("DELETE", "/_sandbox/overrides")
    assert shown["name"] == HOSTILE and "<b>Cup</b>" in shown["header"]
    assert shown["images"] == 0 and shown["title"] == "Race card"
