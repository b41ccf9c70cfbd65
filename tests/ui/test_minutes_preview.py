"""`e`: the minutes previewed in the app, then written to a file, never over one silently."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ui.conftest import build_app
from zzreview.meeting.minutes import minutes_document, minutes_markdown
from zzreview.storage.repository import Repository
from zzreview.ui.screens.meeting import MeetingScreen
from zzreview.ui.screens.minutes import MinutesScreen, OverwriteScreen
from zzreview.ui.widgets.preview import RenderedLines


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
        assert "一、上次交办事项落实情况" in screen.query_one(RenderedLines).text
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


async def test_preview_writes_the_word_document_beside_it(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    monkeypatch.chdir(tmp_path)
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_preview(app, pilot)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = tmp_path / "纪要-2024-10-31.docx"
        assert written.read_bytes() == minutes_document(repo, "2024-10-31", "zh")
        assert docx.Document(str(written)).paragraphs[0].text == "2024年下半年经济运行调度会（10月）纪要"
        assert str(written) in str(screen.query_one("#minutes-hint").content)
        await pilot.press("d")  # there already: asked, never replaced unasked
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, OverwriteScreen)
        await pilot.press("n")
        assert written.read_bytes() == minutes_document(repo, "2024-10-31", "zh")


async def test_preview_in_english(repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = build_app(repo, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_preview(app, pilot)
        assert screen.markdown == minutes_markdown(repo, "2024-10-31", "en")
        await pilot.press("ctrl+s")
        assert (tmp_path / "minutes-2024-10-31.md").exists()


def shown_in_order(wanted: str, shown: str) -> bool:
    """Whether every character of `wanted` appears in `shown`, in order."""
    characters = iter(shown)
    return all(character in characters for character in wanted)


@pytest.mark.parametrize("size", [(120, 40), (200, 60), (80, 24)])
async def test_the_preview_shows_every_table_cell_in_full(repo: Repository, size: tuple[int, int]) -> None:
    """Proofreading needs every cell: long ones fold onto more lines, none is cut with "…",
    and a date is never broken where there is room for it (a date read "2024-1…" at 200
    columns; on 80 columns nine columns leave no room, and a date may fold too)."""
    app = build_app(repo)
    async with app.run_test(size=size) as pilot:
        screen = await _open_preview(app, pilot)
        shown = screen.query_one(RenderedLines).text
        source = screen.markdown
        assert source is not None
        assert shown.count("…") == source.count("…")
        dates = set(re.findall(r"\b20\d\d-\d\d-\d\d\b|20\d\d年\d{1,2}月\d{1,2}日", source))
        if size[0] >= 120:
            assert dates and all(day in shown for day in dates)
        # Every character of every cell is on screen, in order: a folded cell's lines are
        # interleaved with its neighbours', so each cell is looked for as a subsequence.
        flat = re.sub(r"\s+", "", shown)
        for line in source.splitlines():
            if line.startswith("| ") and not line.startswith("| ---"):
                for cell in line.strip("| ").split(" | "):
                    wanted = re.sub(r"\s+", "", cell.replace("<br>", "").replace("\\|", "|"))
                    assert shown_in_order(wanted, flat), cell
        # It scrolls with the usual keys.
        view = screen.query_one(RenderedLines)
        assert view.scroll_y == 0 and view.virtual_size.height > size[1]
        await pilot.press("pagedown")
        assert view.scroll_y > 0
        await pilot.press("end")
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        assert view.scroll_y == 0
