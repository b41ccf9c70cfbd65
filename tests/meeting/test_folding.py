"""When the journal is folded into the database file: a command at a large database only
appends its line (the file is rewritten once the journal has grown to a share of it), a small
one is folded after every command, and the meeting app folds whatever the journal holds when it
quits. However it goes, every save is durable and the next open shows it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from tinydb import TinyDB

from tests.meeting.conftest import _demo_tables
from zzreview.meeting import commands
from zzreview.meeting.session import Seat, create_database
from zzreview.storage import store as store_module
from zzreview.storage.durable import DurableJSONStorage
from zzreview.storage.layout import EVENTS_TABLE
from zzreview.storage.store import Store

INDICATOR = "1.3.1"
"""A target indicator of the shipped plan."""
DAY = "2024-10-25"
"""A day the demo holds no value of the indicator for."""


def journal(path: Path) -> Path:
    return Path(f"{path}.journal")


def journal_size(path: Path) -> int:
    return journal(path).stat().st_size if journal(path).exists() else 0


@pytest.fixture
def large_db(tmp_path: Path) -> Path:
    """The demo with a long history of the chair's moves behind it: a file well past the size
    that is folded after every command."""
    tables = copy.deepcopy(_demo_tables())
    tables[EVENTS_TABLE] = {
        str(seq): {
            "seq": seq,
            "at": "2024-09-30T02:00:00.000000+00:00",
            "who": "李主任",
            "seat": "chair",
            "kind": "meeting.follow",
            "summary": f"meeting 2024-09-30: area {seq % 10}",
            "changes": [
                {
                    "table": "follow",
                    "doc_id": "1",
                    "before": {"meeting_id": "2024-09-30", "area": (seq - 1) % 10, "note": "往" * 40},
                    "after": {"meeting_id": "2024-09-30", "area": seq % 10, "note": "往" * 40},
                }
            ],
        }
        for seq in range(1, 801)
    }
    path = tmp_path / "review.json"
    Store.create(path, tables).close()
    assert path.stat().st_size > store_module.FOLD_ALWAYS_UP_TO * 3 // 2
    return path


def record(path: Path, reading: str, *, seat: str = "cli") -> str:
    """One `values set` as a command runs it: open as a seat, record, close."""
    session = Seat(path, seat=seat, who="王秘书")
    commands.record_value(session.repo(), INDICATOR, reading, on=DAY)
    return session.close()


def shown(path: Path) -> float | None:
    """The value the next open shows for the indicator on the day."""
    session = Seat(path, seat="cli")
    try:
        points = session.repo().data_points().get(INDICATOR, [])
        return next((p.value for p in reversed(points) if p.as_of.isoformat() == DAY), None)
    finally:
        session.close()


def in_the_file_alone(path: Path) -> list[float]:
    """The indicator's values on the day as a script reading the file with TinyDB sees them."""
    with TinyDB(path) as db:
        docs = db.table("values").all()
    return [d["value"] for d in docs if d["indicator_id"] == INDICATOR and d["as_of"] == DAY]


def test_a_command_at_a_large_database_appends_a_line_and_the_next_open_shows_it(large_db: Path) -> None:
    before = large_db.read_bytes()
    assert record(large_db, "431") == ""
    assert large_db.read_bytes() == before, "the file is not rewritten for one command"
    assert journal_size(large_db) > 0, "the save is in the journal"
    assert shown(large_db) == 431.0


def test_once_the_journal_reaches_its_share_of_the_file_a_command_folds_it(large_db: Path) -> None:
    size = large_db.stat().st_size
    sizes: list[int] = []
    for n in range(200):
        assert record(large_db, str(500 + n)) == ""
        if journal_size(large_db) == 0:
            break
        sizes.append(journal_size(large_db))
    else:
        pytest.fail("200 commands and the journal was never folded")
    assert len(sizes) >= 5, "folding waited for the journal to grow"
    assert max(sizes) * store_module.FOLD_FRACTION < size, "and no longer than its share of the file"
    # Folded: a script reading the file alone sees every value, and the app the latest.
    assert in_the_file_alone(large_db) == [float(500 + k) for k in range(len(sizes) + 1)]
    assert shown(large_db) == float(500 + len(sizes))


def test_a_small_database_is_folded_after_every_command(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    assert path.stat().st_size <= store_module.FOLD_ALWAYS_UP_TO
    for reading in ("431", "432"):
        assert record(path, reading) == ""
        assert journal_size(path) == 0
    assert in_the_file_alone(path) == [431.0, 432.0]


def test_quitting_the_app_folds_what_the_journal_holds_whoever_wrote_it_once_that_is_due(
    large_db: Path,
) -> None:
    record(large_db, "431")  # a secretary's script, before the meeting
    assert journal_size(large_db) > 0
    chair = Seat(large_db, seat="chair", who="李主任")
    chair.repo()
    assert chair.close() == ""  # the app quits having saved nothing itself
    assert journal_size(large_db) > 0, "a short journal of a large file is left for later"
    assert shown(large_db) == 431.0

    store = Store.open(large_db)
    reading = 500
    while journal_size(large_db) * store_module.FOLD_FRACTION <= large_db.stat().st_size:
        reading += 1
        commands.record_value(_repo(store), INDICATOR, str(reading), on=DAY)
    store.close()
    chair = Seat(large_db, seat="chair", who="李主任")
    chair.repo()
    assert chair.close() == ""
    assert journal_size(large_db) == 0
    assert in_the_file_alone(large_db)[-1] == reading


def test_the_app_quitting_on_a_small_database_always_folds(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    store = Store.open(path)
    commands.record_value(_repo(store), INDICATOR, "432", on=DAY)
    store.close()  # a writer that left without folding
    assert journal_size(path) > 0
    viewer = Seat(path, seat="viewer")
    viewer.repo()
    assert viewer.close() == ""
    assert journal_size(path) == 0
    assert in_the_file_alone(path)[-1] == 432.0


def test_a_command_that_saved_nothing_leaves_the_journal_however_long(large_db: Path) -> None:
    store = Store.open(large_db)
    reading = 600
    while journal_size(large_db) * store_module.FOLD_FRACTION <= large_db.stat().st_size:
        reading += 1  # saved and never folded: past the journal's share of the file
        commands.record_value(_repo(store), INDICATOR, str(reading), on=DAY)
    store.close()
    before = (large_db.read_bytes(), journal(large_db).read_bytes())
    assert shown(large_db) == reading  # a read: it neither pays for folding nor changes a file
    assert (large_db.read_bytes(), journal(large_db).read_bytes()) == before
    assert record(large_db, "700") == ""  # the next write does
    assert journal_size(large_db) == 0
    assert in_the_file_alone(large_db)[-2:] == [reading, 700.0]


def test_a_journal_at_its_share_of_the_file_opens_to_the_same_data(large_db: Path) -> None:
    writer = Store.open(large_db)
    repo = _repo(writer)
    for n in range(30):
        commands.record_value(repo, INDICATOR, str(800 + n), on=DAY)
        commands.add_action(repo, f"会上交办 {n}", "张三")
        commands.record_progress(repo, "A1", f"第{n}次调度：已推进")
    expected = {name: dict(writer.table(name)) for name in ("values", "actions", "meta", EVENTS_TABLE)}
    writer.close()
    assert journal_size(large_db) > 0
    reader = Store.open(large_db)
    try:
        assert {name: dict(reader.table(name)) for name in expected} == expected
        assert reader.journal_length() == 90
    finally:
        reader.close()


def _repo(store: Store):
    from zzreview.storage.repository import Repository

    return Repository(store, who="王秘书", seat="secretary")


def test_a_seat_quitting_after_another_folded_does_not_read_the_database_again(
    large_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(large_db, "431")
    chair, viewer = Seat(large_db, seat="chair"), Seat(large_db, seat="viewer")
    chair.repo()
    viewer.repo()
    assert chair.close(fold=True) == ""
    assert journal_size(large_db) == 0
    reads: list[Path] = []
    real_read = DurableJSONStorage.read

    def counted(storage: DurableJSONStorage):
        reads.append(storage.path)
        return real_read(storage)

    monkeypatch.setattr(DurableJSONStorage, "read", counted)
    assert viewer.close() == ""
    assert reads == [], "nothing left to fold: the file is not loaded again to find that out"
    assert in_the_file_alone(large_db) == [431.0]
