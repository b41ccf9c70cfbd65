"""What the room sees: SVG snapshots of the screens at fixed sizes and a fixed clock.

Update after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`,
and look at the new SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.ui.conftest import build_app
from zzreview.storage.repository import Repository


def test_overview_zh(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), press=["o"], terminal_size=(120, 40))


def test_overview_en(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo, lang="en"), press=["o"], terminal_size=(120, 40))


def test_review_zh(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), terminal_size=(120, 40))


def test_area_zh(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), press=["4", "down"], terminal_size=(120, 40))


def test_area_en(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo, lang="en"), press=["4", "down"], terminal_size=(120, 40))


def test_help(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), press=["1", "question_mark"], terminal_size=(120, 40))


@pytest.mark.parametrize("theme", ["projector-light", "projector-dark", "high-contrast"])
def test_each_theme(repo: Repository, snap_compare, theme: str) -> None:
    assert snap_compare(build_app(repo, theme=theme), press=["5"], terminal_size=(120, 40))


def test_small_terminal(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), press=["4"], terminal_size=(80, 24))


def test_projector_size(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), press=["6"], terminal_size=(200, 60))


def test_small_terminal_overview(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), press=["o"], terminal_size=(80, 24))


def test_help_small_terminal(repo: Repository, snap_compare) -> None:
    """The help box scrolls between its title and its closing line."""
    assert snap_compare(build_app(repo), press=["1", "question_mark"], terminal_size=(80, 24))


def test_review_projector_size(repo: Repository, snap_compare) -> None:
    """回头看 on a wall: owners and units whole, each item's text wrapped in its row."""
    assert snap_compare(build_app(repo), terminal_size=(200, 60))


async def _preview_laid_out(pilot) -> None:
    await pilot.press("4", "e")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_minutes_preview(repo: Repository, snap_compare, size: tuple[int, int]) -> None:
    """Every table cell in full: folded onto more lines, never cut."""
    assert snap_compare(build_app(repo), run_before=_preview_laid_out, terminal_size=size)
