"""A sync tool's conflict copy beside the database is said at start, by every command and the app."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run


def _conflict_copy(db: Path) -> Path:
    copy = db.with_name(f"{db.stem}.sync-conflict-20241031-091203-ABCDEFG{db.suffix}")
    copy.write_bytes(db.read_bytes())
    return copy


def test_a_command_warns_of_a_conflict_copy_in_one_line(run: Run, demo_db: Path) -> None:
    copy = _conflict_copy(demo_db)
    result = run("--db", str(demo_db), "status")
    assert result.returncode == 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and copy.name in lines[0] and "merge" in lines[0]
    assert "示例数据" in result.stdout  # the command itself ran as ever


async def test_the_app_shows_the_warning_on_its_screen(demo_db: Path) -> None:
    from tests.ui.conftest import build_app
    from zzreview.meeting.session import Seat

    copy = _conflict_copy(demo_db)
    warnings: list[str] = []
    seat = Seat(demo_db, seat="chair", who="李主任", warn=warnings.append)
    app = build_app(seat.repo())
    app.opening_notices = warnings
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any(copy.name in n.message for n in app._notifications)
    seat.close()
