"""`e`, `w`: the preview never writes the minutes over the database's own files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.conftest import build_app
from zzreview.meeting.session import Seat, create_database
from zzreview.ui.screens.minutes import MinutesScreen, OverwriteScreen


async def test_writing_where_the_database_is_shows_why_and_keeps_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # A database whose name is the preview's default file name in this folder.
    database = tmp_path / "纪要-2024-10-31.md"
    create_database(database, demo=True)
    seat = Seat(database, seat="chair", who="测试员")
    try:
        app = build_app(seat.repo())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("e")
            assert isinstance(app.screen, MinutesScreen)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen.markdown is not None
            await pilot.press("w")
            await pilot.pause()
            assert not isinstance(app.screen, OverwriteScreen)
            await pilot.press("y")  # what a chair might press if asked to replace it
            await pilot.pause()
            assert isinstance(app.screen, MinutesScreen)
            shown = [n for n in app._notifications if n.severity == "error"]
            assert len(shown) == 1
            assert str(database) in shown[0].message
            assert "database" in shown[0].message
            assert json.loads(database.read_text(encoding="utf-8"))
    finally:
        seat.close()
    assert json.loads(database.read_text(encoding="utf-8"))
