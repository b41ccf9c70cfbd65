"""The app tests' painting (tests/ui/conftest.py: painted_when_looked_at): a test's app paints
its screen when the test looks, and a screen that cannot be drawn still fails the test."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.ui.test_keys import screen_text


class _Undrawable(Static):
    """Drawn fine until it is told to break. Of a set size, so that laying the screen out
    never asks for its content: only painting it does."""

    DEFAULT_CSS = "_Undrawable { width: 20; height: 1; }"
    broken = False

    def render(self):
        if self.broken:
            raise RuntimeError("this widget cannot be drawn")
        return super().render()


class _App(App[None]):
    def compose(self) -> ComposeResult:
        yield _Undrawable("drawn", id="undrawable")

    def key_b(self) -> None:
        widget = self.query_one(_Undrawable)
        widget.broken = True
        widget.refresh()


async def test_a_screen_left_undrawable_fails_the_test_that_left_it() -> None:
    """As it fails when each refresh is painted (in a terminal, the app ends on it)."""
    app = _App()
    with pytest.raises(RuntimeError, match="cannot be drawn"):
        async with app.run_test(size=(40, 5)) as pilot:
            assert "drawn" in screen_text(app)
            await pilot.press("b")  # the screen is never read after this


async def test_what_a_test_reads_is_the_screen_as_it_is_now() -> None:
    app = _App()
    async with app.run_test(size=(40, 5)) as pilot:
        assert "drawn" in screen_text(app)
        app.query_one(_Undrawable).update("changed")
        await pilot.pause()
        assert "changed" in screen_text(app) and "drawn" not in screen_text(app)
