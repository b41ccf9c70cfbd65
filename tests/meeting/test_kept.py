"""The plan's status and the minutes are kept between commands for the database exactly as
read: a second `status` or `export` on the same data gives the kept answer, anything saved
meanwhile gives a new one, and a cache that cannot be read or written changes nothing but the
time taken."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zzreview.analysis import PRESETS, plan_status
from zzreview.meeting import commands, kept
from zzreview.meeting.kept import kept_status
from zzreview.meeting.session import Seat, create_database

DAY = date(2024, 10, 31)
RULES = PRESETS["yinchuan"]


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> Path:
    """The demo, kept as a city-scale database is (the demo itself is judged afresh each time)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(kept, "WORTH_FROM", 0)
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    return path


def status_of(path: Path, computed: list[int]):
    seat = Seat(path)
    repo = seat.repo()

    def compute():
        computed.append(1)
        return plan_status(repo.plan(), repo.data_points(), DAY, RULES)

    try:
        return kept_status(repo, DAY, RULES, compute)
    finally:
        seat.close()


def current(status, indicator: str):
    return next(s for s in status.statuses if s.indicator.id == indicator).current


def test_the_same_data_gives_the_kept_answer_and_a_save_a_new_one(db: Path) -> None:
    computed: list[int] = []
    first = status_of(db, computed)
    again = status_of(db, computed)
    assert len(computed) == 1
    assert again == first
    seat = Seat(db)
    commands.record_value(seat.repo(), "1.3.1", "777", on=DAY)
    seat.close()
    after = status_of(db, computed)
    assert len(computed) == 2
    assert current(after, "1.3.1") == 777 != current(first, "1.3.1")


def test_a_cache_that_cannot_be_read_or_written_only_costs_time(db: Path, tmp_path: Path) -> None:
    computed: list[int] = []
    first = status_of(db, computed)
    kept = list((tmp_path / "cache").rglob("*.pickle"))
    assert len(kept) == 1
    kept[0].write_bytes(b"\x80\x05not a pickle")  # cut short, or written by other code
    assert status_of(db, computed) == first and len(computed) == 2
    folder = kept[0].parent
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.write_text("a file where the cache's folder would be")  # nothing can be kept there
    assert status_of(db, computed) == first and len(computed) == 3
    assert status_of(db, computed) == first and len(computed) == 4


def test_a_small_database_is_judged_afresh_and_nothing_kept(db: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(kept, "WORTH_FROM", db.stat().st_size + 1)
    computed: list[int] = []
    assert status_of(db, computed) == status_of(db, computed)
    assert len(computed) == 2
    assert not (tmp_path / "cache").exists()


def test_the_minutes_are_kept_until_something_is_saved(db: Path, monkeypatch) -> None:
    from zzreview.meeting import minutes

    gathered: list[int] = []
    original = minutes.minutes_input

    def counted(*args, **kwargs):
        gathered.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(minutes, "minutes_input", counted)

    def markdown() -> str:
        seat = Seat(db)
        try:
            return minutes.minutes_markdown(seat.repo(), "2024-10-31", "zh")
        finally:
            seat.close()

    first = markdown()
    assert markdown() == first and len(gathered) == 1
    seat = Seat(db)
    commands.add_action(
        seat.repo(), "核对第四季度用地指标", "张三", area=4, due="+2w", meeting_id="2024-10-31"
    )
    seat.close()
    after = markdown()
    assert len(gathered) == 2 and "核对第四季度用地指标" in after and "核对第四季度用地指标" not in first


def review_of(path: Path, parsed: list[str]) -> tuple:
    """The 回头看 items of the demo's next meeting as the meeting app's first screen gets them
    (its view), in a process's fresh repository; `parsed` gets the tables read meanwhile."""
    from zzreview.meeting.view import build_meeting_view

    seat = Seat(path)
    try:
        view = build_meeting_view(seat.repo(), "2024-10-31", "zh", RULES)
        return tuple((c.item.id, c.item.status, c.item.history) for c in view.carried)
    finally:
        seat.close()


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    from zzreview.storage import durable

    tables: list[str] = []
    parse_table = durable.parse_table

    def recorded(name: str, raw, **options):
        tables.append(name)
        return parse_table(name, raw, **options)

    monkeypatch.setattr(durable, "parse_table", recorded)
    return tables


def test_the_first_screens_review_is_kept_and_reads_no_item_until_something_is_saved(
    db: Path, parsed: list[str]
) -> None:
    first = review_of(db, parsed)
    assert first and "actions" in parsed
    parsed.clear()
    assert review_of(db, parsed) == first
    assert "actions" not in parsed  # the 10,000 items of a city wait for the first screen
    reviewed = first[0][0]
    seat = Seat(db)
    commands.set_action_status(seat.repo(), reviewed, "done", evidence="已完成验收")
    seat.close()
    parsed.clear()
    after = review_of(db, parsed)
    assert "actions" in parsed
    assert [i for i, *_ in after] == [i for i, *_ in first]
    status = {i: s for i, s, _ in after}
    assert status[reviewed].value == "done" and first[0][1].value != "done"


def test_a_small_databases_review_is_worked_out_afresh(db: Path, parsed: list[str], monkeypatch) -> None:
    monkeypatch.setattr(kept, "WORTH_FROM", db.stat().st_size + 1)
    assert review_of(db, parsed) == review_of(db, parsed)
    assert parsed.count("actions") == 2


def test_a_view_rebuilt_after_a_save_in_the_same_process_keeps_nothing_on_disk(
    db: Path, tmp_path: Path
) -> None:
    from zzreview.meeting.view import build_meeting_view

    seat = Seat(db)
    try:
        repo = seat.repo()
        build_meeting_view(repo, "2024-10-31", "zh", RULES)  # the launch: kept
        assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 1
        commands.record_progress(
            repo, build_meeting_view(repo, "2024-10-31", "zh", RULES).carried[0].item.id, "已召开协调会"
        )
        view = build_meeting_view(repo, "2024-10-31", "zh", RULES)
        assert "已召开协调会" in str(view.carried[0].item.history)
    finally:
        seat.close()
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 1
