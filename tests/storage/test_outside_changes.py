"""Files changed behind an open store's back: noticed cheaply, said what they were, never overwritten.

Two `Store` objects on one file stand for two processes (each has its own lock handle and its
own idea of the files); one test uses a real child process. Hand edits go through json.load
and json.dump, restores and replacements through file copies, as a person would make them.
"""

from __future__ import annotations

import json
import shutil
from contextlib import suppress
from pathlib import Path

import pytest
from storage_support import add_action, start_child, stderr_of, texts

from zzreview.storage.errors import StoreError
from zzreview.storage.siblings import conflict_copies
from zzreview.storage.store import Change, Store, StoreView, Writes
from zzreview.storage.watch import ConflictWatch, OutsideKind


def journal_of(path: Path) -> Path:
    return Path(f"{path}.journal")


def edit_by_hand(path: Path, edit) -> None:
    """Load the JSON, let `edit` change it, dump it back in place, as an editor or a script would."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    edit(data)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)


@pytest.fixture
def two_seats(db_path: Path):
    chair = Store.create(db_path, {"actions": {"1": {"text": "seeded"}}})
    secretary = Store.open(db_path)
    yield chair, secretary
    chair.close()
    secretary.close()


# -- the cheap check --------------------------------------------------------------------------


def test_own_saves_and_checkpoints_are_not_changes(two_seats) -> None:
    chair, _ = two_seats
    assert chair.changed_on_disk() is False

    add_action(chair, "typed here")
    assert chair.changed_on_disk() is False
    chair.checkpoint()
    assert chair.changed_on_disk() is False
    assert chair.catch_up().kind is OutsideKind.NONE


def test_another_seats_append_is_noticed_without_the_lock(two_seats) -> None:
    chair, secretary = two_seats
    add_action(secretary, "typed on the other seat")

    # The other seat holds the lock: the check neither waits for it nor takes it.
    with secretary._locked():
        assert chair.changed_on_disk() is True
    assert texts(chair) == {"1": "seeded"}  # nothing was read


def test_a_check_during_this_stores_own_save_waits_for_the_next_one(two_seats) -> None:
    chair, secretary = two_seats
    add_action(secretary, "typed on the other seat")
    seen_during = []

    def mutate(view: StoreView) -> Writes:
        seen_during.append(chair.changed_on_disk())
        return Writes([Change("actions", view.next_id("actions"), {"text": "typed here"})])

    chair.transact(mutate, who="张主任", seat="chair", kind="action.add", summary="typed here")
    assert seen_during == [False]
    # The save picked the other seat's change up: the next check says there is news.
    assert chair.changed_on_disk() is True
    outside = chair.catch_up()
    assert outside.kind is OutsideKind.WRITES
    assert [e.summary for e in outside.events] == ["typed on the other seat"]  # not its own
    assert chair.changed_on_disk() is False


def test_a_refresh_keeps_the_news_for_catch_up(two_seats) -> None:
    chair, secretary = two_seats
    add_action(secretary, "typed on the other seat")

    assert chair.refresh() is True
    assert chair.changed_on_disk() is True
    assert chair.catch_up().kind is OutsideKind.WRITES
    assert chair.changed_on_disk() is False
    assert chair.catch_up().kind is OutsideKind.NONE


def test_a_memory_store_never_changes_on_disk() -> None:
    store = Store.memory()
    add_action(store, "x")
    assert store.changed_on_disk() is False
    assert store.catch_up().changed is False


def test_another_processs_save_is_noticed(db_path: Path) -> None:
    chair = Store.create(db_path, {})
    child = start_child(
        """
        import sys
        from zzreview.storage.store import Change, Store, Writes

        with Store.open(sys.argv[1]) as store:
            store.transact(
                lambda view: Writes([Change("actions", view.next_id("actions"), {"text": "from the CLI"})]),
                who="李科员", seat="cli", kind="action.add", summary="from the CLI",
            )
        print("saved", flush=True)
        """,
        str(db_path),
    )
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 0, stderr_of(child)
    assert out.decode().split() == ["saved"]

    assert chair.changed_on_disk() is True
    outside = chair.catch_up()
    assert outside.kind is OutsideKind.WRITES
    assert outside.seats == ("cli",)
    assert str(db_path) in outside.message and "cli 李科员" in outside.message
    assert texts(chair) == {"1": "from the CLI"}


# -- (a) other seats' writes ------------------------------------------------------------------


def test_journal_appends_are_other_seats_writes(two_seats, db_path: Path) -> None:
    chair, secretary = two_seats
    first = add_action(secretary, "督办一")
    second = add_action(secretary, "督办二")

    assert chair.changed_on_disk() is True
    outside = chair.catch_up()

    assert outside.kind is OutsideKind.WRITES
    assert not outside.unusual
    assert outside.since == 0
    assert [e.seq for e in outside.events] == [first.seq, second.seq]
    assert outside.seats == ("secretary",)
    assert outside.message.startswith(f"{db_path}: 2 changes saved by secretary 王秘书")
    assert "督办一" in outside.message
    assert texts(chair) == {"1": "seeded", "2": "督办一", "3": "督办二"}


def test_a_checkpoint_by_another_process_is_other_seats_writes(two_seats) -> None:
    chair, secretary = two_seats
    add_action(secretary, "folded at once")
    secretary.checkpoint()  # the file replaced: same db_id, journal_seq forward

    outside = chair.catch_up()
    assert outside.kind is OutsideKind.WRITES
    assert [e.summary for e in outside.events] == ["folded at once"]

    secretary.checkpoint()
    add_action(chair, "mine")
    secretary.refresh()
    secretary.checkpoint()  # replaced again, with only the chair's own save in it
    assert chair.changed_on_disk() is True
    assert chair.catch_up().kind is OutsideKind.NONE


def test_a_file_saved_again_unchanged_is_no_change(two_seats, db_path: Path) -> None:
    chair, secretary = two_seats
    add_action(secretary, "x")
    secretary.checkpoint()
    chair.catch_up()

    edit_by_hand(db_path, lambda data: None)  # re-indented, nothing else

    assert chair.changed_on_disk() is True
    assert chair.catch_up().kind is OutsideKind.NONE
    assert chair.changed_on_disk() is False


# -- (b) replaced by another database ---------------------------------------------------------


def test_init_force_while_open_is_a_replacement(two_seats, db_path: Path) -> None:
    chair, secretary = two_seats
    add_action(secretary, "in the old journal")
    chair.refresh()
    chair.catch_up()
    old_id = chair.db_id
    old_journal = journal_of(db_path).read_bytes()

    new = Store.create(db_path, {"actions": {"1": {"text": "the new plan's"}}}, force=True)
    # The tidying-up of a forced init may fail and leave the old journal beside the new file.
    journal_of(db_path).write_bytes(old_journal)

    # A save built on the old database is refused until the seat has been told.
    with pytest.raises(StoreError, match="replaced by another database since this seat last looked"):
        add_action(chair, "meant for the old database")
    assert texts(chair) == {"1": "the new plan's"}
    assert journal_of(db_path).read_bytes() == old_journal

    outside = chair.catch_up()
    assert outside.kind is OutsideKind.REPLACED
    assert outside.unusual
    assert (outside.previous_db_id, outside.db_id) == (old_id, new.db_id)
    assert outside.events == ()
    backup = next(db_path.parent.glob("review.json.bak-replaced-*[0-9]"))
    assert f"{db_path} was replaced by another database" in outside.message
    assert f"copy {backup} back over review.json" in outside.message
    # The old journal is not applied to the new database.
    assert texts(chair) == {"1": "the new plan's"}

    add_action(chair, "after the replacement")
    with Store.open(db_path) as reopened:
        assert texts(reopened) == {"1": "the new plan's", "2": "after the replacement"}
        assert [e.summary for e in reopened.events()] == ["after the replacement"]
    assert texts(Store.open(backup)) == {"1": "seeded", "2": "in the old journal"}
    new.close()


def test_another_database_copied_over_it_is_a_replacement(two_seats, db_path: Path, tmp_path: Path) -> None:
    chair, _ = two_seats
    other_path = tmp_path / "other.json"
    with Store.create(other_path, {"actions": {"7": {"text": "someone else's"}}}) as other:
        other_id = other.db_id

    shutil.copyfile(other_path, db_path)  # like `cp other.json review.json`

    outside = chair.catch_up()
    assert outside.kind is OutsideKind.REPLACED
    assert outside.db_id == other_id
    assert "no backup of it is beside review.json" in outside.message
    assert texts(chair) == {"7": "someone else's"}


def test_a_copy_over_it_beside_the_old_journal_is_refused_until_the_journal_moves(
    two_seats, db_path: Path, tmp_path: Path
) -> None:
    chair, secretary = two_seats
    add_action(secretary, "only in the old journal")
    other_path = tmp_path / "other.json"
    Store.create(other_path, {"actions": {"7": {"text": "someone else's"}}}).close()
    shutil.copyfile(other_path, db_path)
    on_disk = db_path.read_bytes(), journal_of(db_path).read_bytes()

    with pytest.raises(StoreError, match="belongs to another database"):
        chair.catch_up()
    with pytest.raises(StoreError, match="belongs to another database"):
        add_action(chair, "never written")
    assert (db_path.read_bytes(), journal_of(db_path).read_bytes()) == on_disk
    assert texts(chair) == {"1": "seeded"}  # what it had, until the files can be used
    # No re-reading the same broken files every poll: quiet until they change.
    assert chair.changed_on_disk() is False

    aside = tmp_path / "old.journal"
    journal_of(db_path).rename(aside)
    assert chair.changed_on_disk() is True
    assert chair.catch_up().kind is OutsideKind.REPLACED
    assert texts(chair) == {"7": "someone else's"}
    assert b"only in the old journal" in aside.read_bytes()


# -- (c) restored from a backup -----------------------------------------------------------


def backed_up(two_seats, db_path: Path, backup: Path, *later: str) -> None:
    """The secretary saves "kept" and folds it in; the file is copied to `backup`; then the
    secretary saves each of `later` and folds them in; the chair has seen it all."""
    chair, secretary = two_seats
    add_action(secretary, "kept")
    secretary.checkpoint()
    shutil.copyfile(db_path, backup)
    for text in later:
        add_action(secretary, text)
    secretary.checkpoint()
    chair.catch_up()


def test_a_backup_copied_over_it_is_a_rewind(two_seats, db_path: Path, tmp_path: Path) -> None:
    chair, _ = two_seats
    backup = tmp_path / "backup.json"
    backed_up(two_seats, db_path, backup, "after the backup, one", "after the backup, two")
    assert chair.last_seq == 3

    shutil.copyfile(backup, db_path)  # restored: same db_id, events 2 and 3 gone

    outside = chair.catch_up()
    assert outside.kind is OutsideKind.REWOUND
    assert outside.since == 1
    assert [e.summary for e in outside.dropped] == ["after the backup, one", "after the backup, two"]
    assert outside.events == ()
    assert outside.message.startswith(f"{db_path} went back from event 3 to event 1 while open")
    assert "2 changes it had shown (after the backup, one; after the backup, two)" in outside.message
    assert texts(chair) == {"1": "seeded", "2": "kept"}

    # Saving after it builds on the restored file: the seat's old state is not written back.
    restored = json.loads(backup.read_text(encoding="utf-8"))
    add_action(chair, "after the restore")
    chair.checkpoint()
    with Store.open(db_path) as reopened:
        assert texts(reopened) == {"1": "seeded", "2": "kept", "3": "after the restore"}
        assert [e.summary for e in reopened.events()] == ["kept", "after the restore"]
    assert json.loads(db_path.read_text(encoding="utf-8"))["actions"] == {
        **restored["actions"],
        "3": {"text": "after the restore"},
    }


def test_a_restore_others_wrote_on_since_is_a_rewind(two_seats, db_path: Path, tmp_path: Path) -> None:
    chair, secretary = two_seats
    backup = tmp_path / "backup.json"
    backed_up(two_seats, db_path, backup, "lost one", "lost two")

    shutil.copyfile(backup, db_path)
    add_action(secretary, "new two")
    add_action(secretary, "new three")
    add_action(secretary, "new four")  # the log is longer than before, but not the same log

    outside = chair.catch_up()
    assert outside.kind is OutsideKind.REWOUND
    assert [e.summary for e in outside.dropped] == ["lost one", "lost two"]
    assert [e.summary for e in outside.events] == ["new two", "new three", "new four"]
    assert "no longer holds events 2–3 as this seat saw them" in outside.message


def test_a_restore_beside_a_journal_that_does_not_follow_is_refused(
    two_seats, db_path: Path, tmp_path: Path
) -> None:
    chair, secretary = two_seats
    backup = tmp_path / "backup.json"
    backed_up(two_seats, db_path, backup, "folded")
    add_action(secretary, "in the journal")
    chair.catch_up()

    shutil.copyfile(backup, db_path)
    on_disk = db_path.read_bytes(), journal_of(db_path).read_bytes()

    with pytest.raises(StoreError, match="restored from a backup, move the journal aside"):
        chair.catch_up()
    with pytest.raises(StoreError):
        add_action(chair, "never written")
    assert (db_path.read_bytes(), journal_of(db_path).read_bytes()) == on_disk


# -- (d) edited by hand ------------------------------------------------------------------------


def rename_seeded(data: dict) -> None:
    data["actions"]["1"]["text"] = "seeded, corrected by hand in an editor"


def test_a_hand_edit_is_an_edit_and_is_kept(two_seats, db_path: Path) -> None:
    chair, _ = two_seats

    edit_by_hand(db_path, rename_seeded)

    assert chair.changed_on_disk() is True
    outside = chair.catch_up()
    assert outside.kind is OutsideKind.EDITED
    assert outside.tables == ("actions",)
    assert outside.events == ()
    assert outside.message.startswith(
        f"{db_path} was edited outside zzreview (actions (1 document) differ from what its event log records)"
    )
    assert f"run `zzreview --db {db_path} check`" in outside.message
    assert texts(chair) == {"1": "seeded, corrected by hand in an editor"}


def test_a_save_after_a_hand_edit_keeps_the_edit(two_seats, db_path: Path) -> None:
    chair, secretary = two_seats
    add_action(secretary, "before the edit")
    chair.refresh()
    chair.catch_up()

    edit_by_hand(db_path, rename_seeded)
    # No refresh first: the save reads the file afresh under the lock and builds on it.
    add_action(chair, "after the edit")
    chair.checkpoint()

    on_disk = json.loads(db_path.read_text(encoding="utf-8"))["actions"]
    assert {key: doc["text"] for key, doc in on_disk.items()} == {
        "1": "seeded, corrected by hand in an editor",
        "2": "before the edit",
        "3": "after the edit",
    }
    outside = chair.catch_up()  # what the save picked up is still reported
    assert outside.kind is OutsideKind.EDITED
    assert outside.events == ()  # its own save is not another seat's


def test_a_hand_edit_with_other_seats_saves_names_both(two_seats, db_path: Path) -> None:
    chair, secretary = two_seats
    add_action(secretary, "folded")
    secretary.checkpoint()
    chair.catch_up()

    edit_by_hand(db_path, rename_seeded)
    add_action(secretary, "after the edit")

    outside = chair.catch_up()
    assert outside.kind is OutsideKind.EDITED
    assert [e.summary for e in outside.events] == ["after the edit"]
    assert texts(chair) == {
        "1": "seeded, corrected by hand in an editor",
        "2": "folded",
        "3": "after the edit",
    }


def test_an_event_changed_by_hand_is_an_edit(two_seats, db_path: Path) -> None:
    chair, secretary = two_seats
    add_action(secretary, "as typed")
    secretary.checkpoint()
    chair.catch_up()

    def reword(data: dict) -> None:
        data["events"]["1"]["summary"] = "as typed, reworded in the log"

    edit_by_hand(db_path, reword)

    outside = chair.catch_up()
    assert outside.kind is OutsideKind.EDITED
    assert outside.tables == ("events",)
    assert "event 1 of its log was changed" in outside.message


def test_a_half_written_file_is_said_and_then_picked_up_once_whole(two_seats, db_path: Path) -> None:
    chair, _ = two_seats
    whole = db_path.read_bytes()
    db_path.write_bytes(whole[: len(whole) // 2])  # an editor caught mid-save

    with pytest.raises(StoreError, match="is not valid JSON"):
        chair.catch_up()
    assert chair.changed_on_disk() is False

    edit_by_hand_text = json.loads(whole)
    rename_seeded(edit_by_hand_text)
    db_path.write_text(json.dumps(edit_by_hand_text, ensure_ascii=False), encoding="utf-8")
    assert chair.changed_on_disk() is True
    assert chair.catch_up().kind is OutsideKind.EDITED


def test_a_database_moved_away_is_said(two_seats, db_path: Path, tmp_path: Path) -> None:
    chair, _ = two_seats
    db_path.rename(tmp_path / "moved.json")

    assert chair.changed_on_disk() is True
    with pytest.raises(StoreError, match="moved or deleted while open"):
        chair.catch_up()
    assert chair.changed_on_disk() is False


# -- conflict copies appearing -----------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_conflict_copy_appearing_is_noticed_once(db_path: Path) -> None:
    Store.create(db_path, {}).close()
    already = db_path.parent / "review.sync-conflict-20241030-080000-AAAAAAA.json"
    already.write_text("{}", encoding="utf-8")
    clock = FakeClock()
    watch = ConflictWatch(db_path, clock=clock)
    assert watch.copies == (already,)

    appeared = db_path.parent / "review (王秘书's conflicted copy 2024-10-31).json"
    appeared.write_text("{}", encoding="utf-8")
    assert watch.poll() is None  # not due yet: no listing
    assert not watch.due()
    clock.now += 2.0
    assert watch.due()
    found = watch.poll()

    assert found is not None
    assert found.new == (appeared,)
    assert set(found.copies) == {already, appeared}
    assert found.message == (
        f"{db_path}: a sync tool's conflict copy appeared beside it ({appeared.name}) may hold "
        f"changes it lacks: merge them by hand, then remove the copies "
        f"(`zzreview --db {db_path} check` lists them)"
    )
    clock.now += 2.0
    assert watch.poll() is None  # already told


def test_a_conflict_copy_removed_and_made_again_is_new_again(db_path: Path) -> None:
    Store.create(db_path, {}).close()
    watch = ConflictWatch(db_path, report_existing=True, clock=FakeClock())
    assert watch.check() is None
    copy = db_path.parent / "review.json.~1~"
    copy.write_text("{}", encoding="utf-8")
    assert watch.check().new == (copy,)
    copy.unlink()
    assert watch.check() is None
    assert watch.copies == ()
    copy.write_text("{}", encoding="utf-8")
    assert watch.check().new == (copy,)


def test_existing_copies_are_reported_when_asked(db_path: Path) -> None:
    Store.create(db_path, {}).close()
    copy = db_path.parent / "review.json.journal.sync-conflict-20241031-091203-ABCDEFG"
    copy.write_text("", encoding="utf-8")
    found = ConflictWatch(db_path, report_existing=True, clock=FakeClock()).poll()
    assert found is not None and found.new == (copy,)


@pytest.mark.parametrize("name", ["review.json.~1~", "review.json.~2~", "review.json.journal.~1~"])
def test_numbered_backups_are_conflict_copies(db_path: Path, name: str) -> None:
    db_path.write_text("{}", encoding="utf-8")
    (db_path.parent / name).write_text("{}", encoding="utf-8")
    assert conflict_copies(db_path) == [db_path.parent / name]


@pytest.mark.parametrize("name", [".~lock.review.json#", "review.json~", "review.~1~.toml"])
def test_editor_locks_and_plain_backups_are_not(db_path: Path, name: str) -> None:
    db_path.write_text("{}", encoding="utf-8")
    (db_path.parent / name).write_text("{}", encoding="utf-8")
    assert conflict_copies(db_path) == []


# -- no false alarms ---------------------------------------------------------------------------


def test_real_meeting_work_on_two_seats_is_only_ever_writes(db_path: Path) -> None:
    """Every kind of command, undo, folding by either seat at any point: never 'edited',
    'rewound' or 'replaced', and each seat hears exactly the other's events."""
    import random

    from zzreview.meeting import commands
    from zzreview.meeting.session import create_database
    from zzreview.storage.repository import Repository

    create_database(db_path, demo=True)
    seats = [
        Repository(Store.open(db_path), who="李主任", seat="chair"),
        Repository(Store.open(db_path), who="王秘书", seat="secretary"),
    ]
    heard: dict[str, list[int]] = {"chair": [], "secretary": []}
    saved: dict[str, list[int]] = {"chair": [], "secretary": []}
    rng = random.Random(20241031)
    targets = [item.id for item in seats[0].actions()[:10]]
    for n in range(80):
        repo = rng.choice(seats)
        step = rng.choice(("add", "status", "value", "decision", "note", "undo", "fold", "time"))
        recorded = None
        if step == "add":
            recorded = commands.add_action(repo, f"交办{n}", "张三")
        elif step == "status":
            status = rng.choice(("open", "in_progress", "done"))
            recorded = commands.set_action_status(repo, rng.choice(targets), status, evidence=f"进展{n}")
        elif step == "value":
            recorded = commands.record_value(repo, "1.3.1", str(600 + n), source=f"来源{n}")
        elif step == "decision":
            recorded = commands.add_decision(repo, f"议定{n}")
        elif step == "note":
            recorded = commands.add_note(repo, rng.randint(1, 10), f"记录{n}")
        elif step == "time":
            recorded = commands.record_area_time(repo, rng.randint(1, 10), rng.randint(1, 600))
        elif step == "undo":
            with suppress(commands.EntryError):  # nothing of this seat's left to undo
                recorded = commands.undo(repo)
        else:
            repo.store.checkpoint()
        if recorded is not None and recorded.event is not None:
            saved[repo.seat].append(recorded.event.seq)
        for listener in seats:
            if rng.random() < 0.5:
                outside = listener.store.catch_up()
                assert not outside.unusual, (n, step, outside.message)
                heard[listener.seat] += [event.seq for event in outside.events]
    for listener in seats:
        outside = listener.store.catch_up()
        assert not outside.unusual, outside.message
        heard[listener.seat] += [event.seq for event in outside.events]
    assert heard["chair"] == saved["secretary"]
    assert heard["secretary"] == saved["chair"]
    for repo in seats:
        repo.store.close()
