"""`e`: the minutes previewed in the app, then written to a file, never over one silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import MarkdownViewer

from tests.ui.conftest import build_app
from zzreview.meeting.minutes import minutes_markdown
from zzreview.storage.repository import Repository
from zzreview.ui.screens.meeting import MeetingScreen
from zzreview.ui.screens.minutes import MinutesScreen, OverwriteScreen


async def _open_preview(app, pilot) -> MinutesScreen:
    await pilot.press("4", "e")
    screen = app.screen
    assert isinstance(screen, MinutesScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_preview_shows_the_minutes_and_writes_them(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_preview(app, pilot)
        expected = minutes_markdown(repo, "2024-10-31", "zh")
        assert screen.markdown == expected
        assert "一、上次交办事项落实情况" in screen.query_one(MarkdownViewer).document.source
        await pilot.press("w")
        written = tmp_path / "纪要-2024-10-31.md"
        assert written.read_text(encoding="utf-8") == expected
        assert str(written) in str(screen.query_one("#minutes-hint").content)

        written.write_text("hand-edited", encoding="utf-8")
        await pilot.press("w")
        assert isinstance(app.screen, OverwriteScreen)
        await pilot.press("n")  # keep it
        assert written.read_text(encoding="utf-8") == "hand-edited"
        await pilot.press("w")
        await pilot.press("y")  # replace it
        assert written.read_text(encoding="utf-8") == expected
        await pilot.press("escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_preview_in_english(repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = build_app(repo, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_preview(app, pilot)
        assert screen.markdown == minutes_markdown(repo, "2024-10-31", "en")
        await pilot.press("ctrl+s")
        assert (tmp_path / "minutes-2024-10-31.md").exists()
