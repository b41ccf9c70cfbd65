"""The browser seat's page loads only from the server that sent it, and its websocket carries the
meeting app: the screen it sends shows the meeting, keys typed reach the app, and the app ends
with the tab."""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import aiohttp

from tests.serve.seat import AppScreen, Served, wait_until
from zzreview.plans.loader import shipped_plan

MEETING_TITLE = "2024年下半年经济运行调度会"
"""The demo meetings' title, first on the top bar."""

REFERENCES = [
    re.compile(r"""\b(?:src|href|action|data-[\w-]*url)\s*=\s*["']([^"']*)["']""", re.I),
    re.compile(r"""url\(\s*["']?([^"')\s]+)""", re.I),
    re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""", re.I),
    re.compile(r"""\b((?:https?|wss?|ftp)://[^\s"'<>)]+)""", re.I),
]
"""Where a page names another address: attributes, CSS url() and @import, and any absolute URL
at all (comments included: a URL in the page is one the page could load)."""

CSS_REFERENCES = REFERENCES[1:3]
"""What a stylesheet loads (its comments may credit a web site; that loads nothing)."""


def referenced_urls(text: str, patterns: list[re.Pattern[str]] = REFERENCES) -> set[str]:
    return {match.group(1) for pattern in patterns for match in pattern.finditer(text)}


def foreign(urls: set[str], host: str, port: int) -> set[str]:
    """The URLs that are neither relative, nor data:, nor on host:port."""
    outside = set()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme == "data" or (not parts.scheme and not parts.netloc):
            continue
        if (parts.hostname, parts.port) != (host, port):
            outside.add(url)
    return outside


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_the_check_finds_the_outside_font_in_textual_serves_own_page() -> None:
    import textual_serve

    stock = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    outside = foreign(referenced_urls(stock.read_text(encoding="utf-8")), "127.0.0.1", 8000)
    assert any("fonts.googleapis.com" in url for url in outside), outside


def test_the_page_names_no_host_but_the_one_it_came_from(serve) -> None:
    served: Served = serve()
    assert served.host == "127.0.0.1" and served.token is None

    status, kind, body = fetch(served.url)
    page = body.decode("utf-8")

    assert status == 200 and kind.startswith("text/html")
    assert MEETING_TITLE in page  # the page's title names the meeting
    urls = referenced_urls(page)
    assert any(url.startswith("ws://") for url in urls), "the page names its app's websocket"
    assert any(url.endswith("/textual.js") for url in urls)
    assert any(url.endswith(".ttf") for url in urls), "the font comes from this server"
    assert foreign(urls, served.host, served.port) == set()
    for url in urls - {u for u in urls if u.startswith(("data:", "ws:"))}:  # the server has each
        status, _, body = fetch(urljoin(served.url, url))
        assert status == 200 and body, url
        if url.endswith(".css"):
            css = referenced_urls(body.decode("utf-8"), CSS_REFERENCES)
            assert foreign(css, served.host, served.port) == set(), url


async def read_until(
    websocket: aiohttp.ClientWebSocketResponse, screen: AppScreen, done, what: str, timeout: float
) -> float:
    """Feed the tab's frames into `screen` until `done()`; the seconds it took."""
    start = time.monotonic()
    while not done():
        left = timeout - (time.monotonic() - start)
        assert left > 0, f"no {what} after {timeout:.0f} s; the screen:\n{screen.text()}"
        try:
            message = await websocket.receive(timeout=left)
        except TimeoutError:
            continue
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        screen.feed(message.data)
    return time.monotonic() - start


async def test_the_websocket_carries_the_app_which_ends_with_the_tab(serve) -> None:
    served: Served = serve()
    page = fetch(served.url)[2].decode("utf-8")
    url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)
    assert urlsplit(url).hostname == "127.0.0.1"
    screen = AppScreen(120, 40)
    area_1 = shipped_plan().areas[0].title

    async with aiohttp.ClientSession() as session, session.ws_connect(f"{url}?width=120&height=40") as ws:
        await read_until(ws, screen, lambda: screen.shows(MEETING_TITLE), "meeting title", 20)
        await read_until(ws, screen, lambda: screen.shows("回头看"), "回头看, the first step", 10)
        assert len(served.apps()) == 1, "one app process for the one tab"

        await ws.send_str(json.dumps(["ping", "probe"]))
        await read_until(ws, screen, lambda: '["pong", "probe"]' in screen.texts, "pong", 10)
        await ws.send_str(json.dumps(["stdin", "1"]))  # the key for area 1
        await read_until(ws, screen, lambda: screen.shows(area_1), f"area 1 ({area_1})", 10)

    took = await asyncio.to_thread(wait_until, lambda: not served.apps(), "the tab's app to end", 8)
    assert took < 8
    assert served.process.poll() is None, "the server goes on serving"
