"""Build the meeting app on an in-memory demo database, with a fixed clock."""

from __future__ import annotations

from datetime import datetime

import pytest

from zzreview.meeting.session import demo_in_memory
from zzreview.storage.repository import Repository
from zzreview.ui.app import ReviewApp
from zzreview.ui.launch import make_app

MEETING = "2024-10-31"
FIXED_CLOCK = datetime(2024, 10, 31, 9, 30)


class FakeMonotonic:
    """A clock the tests move by hand, for the agenda timer."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True, scope="session")
def stylesheets_parsed_once_a_session():
    """Each app the tests build parses the same stylesheets (the app's and every widget's
    DEFAULT_CSS) with the same theme variables: parsed once a session here and shared, as a
    long-running app parses them once. Textual's rules are built by the parse and only read
    after; a theme's variables are part of the key, so a theme switch parses anew."""
    from textual.css.stylesheet import Stylesheet

    original = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    Stylesheet._parse_rules = parse_rules
    yield
    Stylesheet._parse_rules = original


@pytest.fixture(autouse=True)
def painted_when_looked_at(request, monkeypatch) -> None:
    """A test's app paints its screen when the test looks at it, not on every refresh.

    Under Pilot the app runs headless: each refresh paints every changed line of the screen,
    then Textual throws the painting away, for there is no terminal to write it to. That
    painting was half the CPU time of the app tests. Here a refresh of the headless app's
    screen paints nothing; what a test reads is painted whole, as it reads it
    (`screen_text` paints the whole screen; a snapshot, its whole screen). As the test's app
    session ends, each widget showing on the screen it is left on says what it shows (its
    `render()`, made into what Textual draws, markup and all), so a widget that cannot say
    what it shows fails the test that left it there even if the test never read the screen.
    That is where the app's own drawing code and the text a user typed meet Textual; painting
    the whole screen there as well, cell by cell, cost ~32 ms a test (5.6 s of CPU over the
    suite's 174 app sessions, against 0.7 s for this), for lines the tests that read the
    screen paint anyway.

    A test about what each repaint draws (tests/ui/test_steady_widgets.py) is marked
    `painted_each_refresh` and has every refresh painted, as the app in a terminal does."""
    if request.node.get_closest_marker("painted_each_refresh") is not None:
        return
    from contextlib import asynccontextmanager

    from textual.app import App
    from textual.screen import Screen

    refresh = Screen._compositor_refresh
    run_test = App.run_test

    def refresh_unpainted(screen: Screen) -> None:
        app = screen.app
        if not (app.is_headless and screen is app.screen and not app.is_inline):
            refresh(screen)
            return
        screen._dirty_widgets.clear()
        screen._compositor._dirty_regions.clear()
        app._update_mouse_over(screen)

    @asynccontextmanager
    async def run_test_drawable_at_the_end(app: App, *args, **kwargs):
        async with run_test(app, *args, **kwargs) as pilot:
            yield pilot
            if app.is_running:
                for widget in app.screen._compositor.visible_widgets:
                    widget._render()

    monkeypatch.setattr(Screen, "_compositor_refresh", refresh_unpainted)
    monkeypatch.setattr(App, "run_test", run_test_drawable_at_the_end)


@pytest.fixture(autouse=True)
def views_built_when_first_shown(request, monkeypatch) -> None:
    """The app's tests build each step's view when it is first shown (the path a key takes
    when it comes before the view's turn), not all of them after the first screen: a test
    pays for the views it walks to. tests/ui/test_speed_guards.py holds the app to building
    them all."""
    from zzreview.ui.screens.meeting import MeetingScreen

    if request.node.get_closest_marker("prebuilt_views") is None:
        monkeypatch.setattr(MeetingScreen, "PREBUILD_VIEWS", False)


@pytest.fixture
def repo() -> Repository:
    """A fresh demo database in memory."""
    return demo_in_memory(who="测试员", seat="chair")


def build_app(repo: Repository, **options) -> ReviewApp:
    """The app on the demo's next meeting (2024-10-31), at a fixed wall-clock time."""
    return make_app(repo, options.pop("meeting", MEETING), clock=lambda: FIXED_CLOCK, **options)


@pytest.fixture
def app(repo: Repository) -> ReviewApp:
    return build_app(repo)
