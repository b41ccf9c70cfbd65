"""What the room sees: SVG snapshots of the screens at fixed sizes and a fixed clock.

Update after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`,
and look at the new SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.ui.conftest import build_app
from zzreview.storage.repository import Repository

SIZES = {"80x24": (80, 24), "120x40": (120, 40), "200x60": (200, 60)}

SCREENS = {
    "overview": ["o"],
    "review": [],  # the meeting opens on 回头看
    "area": ["4", "down"],  # area 4, its second indicator selected: a chart
    "help": ["1", "question_mark"],
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", SCREENS)
def test_each_screen_at_each_size(repo: Repository, snap_compare, screen: str, lang: str, size: str) -> None:
    """The overview, 回头看, an area with its chart and help, in both languages, from a
    laptop's 80×24 to a wall's 200×60."""
    assert snap_compare(build_app(repo, lang=lang), press=SCREENS[screen], terminal_size=SIZES[size])


async def _preview_laid_out(pilot) -> None:
    await pilot.press("4", "e")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_minutes_preview(repo: Repository, snap_compare, lang: str, size: str) -> None:
    """Every table cell in full: folded onto more lines, never cut."""
    app = build_app(repo, lang=lang)
    assert snap_compare(app, run_before=_preview_laid_out, terminal_size=SIZES[size])


@pytest.mark.parametrize("theme", ["projector-light", "projector-dark", "high-contrast"])
def test_each_theme(repo: Repository, snap_compare, theme: str) -> None:
    assert snap_compare(build_app(repo, theme=theme), press=["5"], terminal_size=(120, 40))


def test_a_wall_shows_the_selected_indicators_figures_five_rows_high(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), press=["6"], terminal_size=(200, 60))
