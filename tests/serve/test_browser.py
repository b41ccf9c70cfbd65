"""A real browser at the seat: Debian's chromium, driven by playwright (no browser download),
opens the page, shows the meeting, is screenshotted, and asks no host but the server for
anything; when it goes, so does its tab's app (the leftover once seen after a headless browser
disconnected)."""

from __future__ import annotations

import struct
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.serve.seat import AppScreen, Served, wait_until

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless, and none of chromium's own calls home (updates, sync, field trials)."""

MEETING_TITLE = "2024年下半年经济运行调度会"
VIEWPORT = {"width": 1280, "height": 800}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; fails if `data` is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"no Debian chromium at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_a_browser_shows_the_meeting_and_asks_nothing_of_any_other_host(chromium, serve, tmp_path) -> None:
    served: Served = serve()
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    screen = AppScreen(columns=200, lines=60)

    with page.expect_websocket() as opened:
        page.goto(served.url)
    websocket = opened.value
    asked.append(websocket.url)
    websocket.on("framereceived", screen.feed)
    websocket.wait_for_event(
        "framereceived", predicate=lambda _frame: screen.shows(MEETING_TITLE), timeout=20_000
    )
    page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=10_000)
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    shot = tmp_path / "browser-seat.png"
    page.screenshot(path=str(shot))
    apps = served.apps()
    context.close()

    data = shot.read_bytes()
    assert png_size(data) == (VIEWPORT["width"], VIEWPORT["height"])
    assert len(data) > 40_000, "a screen full of text, not a blank page"
    assert asked and all(urlsplit(url).netloc == f"127.0.0.1:{served.port}" for url in asked), asked
    assert any(url.endswith(".ttf") for url in asked), "the font came from the server"
    assert len(apps) == 1
    wait_until(lambda: not served.apps(), "the tab's app to end once the browser closed it", 8)
