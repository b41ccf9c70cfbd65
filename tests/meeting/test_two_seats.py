"""Two seats on one database file: every command checks against the data as it is on disk,
and what could still change between the check and the write is checked again under the lock."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zzreview.meeting import commands
from zzreview.meeting.minutes import minutes_markdown
from zzreview.meeting.session import check_database, create_database
from zzreview.storage.repository import Repository
from zzreview.storage.store import Store


@pytest.fixture
def seats(tmp_path: Path) -> tuple[Repository, Repository]:
    """The chair's and the secretary's seats, each with its own store on one file."""
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    chair = Repository(Store.open(path), who="李主任", seat="chair")
    secretary = Repository(Store.open(path), who="王秘书", seat="secretary")
    yield chair, secretary
    chair.store.close()
    secretary.store.close()


def test_undo_never_changes_a_meeting_another_seat_closed_since(seats) -> None:
    chair, secretary = seats
    commands.record_value(chair, "4.2.2", "99999")
    commands.close_meeting(secretary, "2024-10-31", rules="yinchuan")
    frozen = minutes_markdown(secretary, "2024-10-31", "zh")
    with pytest.raises(commands.EntryError, match="closed since"):
        commands.undo(chair)
    secretary.refresh()
    assert minutes_markdown(secretary, "2024-10-31", "zh") == frozen


def test_a_new_meeting_with_records_of_its_own_is_not_undone(seats) -> None:
    chair, secretary = seats
    commands.new_meeting(chair, date(2025, 1, 31))
    commands.add_action(secretary, "新会议的事项", "张三", meeting_id="2025-01-31")
    chair.refresh()
    before = len(chair.events())
    with pytest.raises(commands.EntryError, match="records of its own"):
        commands.undo(chair)
    assert len(chair.events()) == before
    assert check_database(chair) == []


def test_only_one_meeting_is_ever_in_progress(seats) -> None:
    chair, secretary = seats
    commands.start_meeting(chair, "2024-10-31")
    with pytest.raises(commands.EntryError, match="2024-10-31 is in progress") as caught:
        commands.start_meeting(secretary, "2024-11-29")
    assert caught.value.field == "meeting"


def test_a_meeting_started_elsewhere_no_longer_moves(seats) -> None:
    chair, secretary = seats
    secretary.meeting("2024-10-31")  # the secretary's seat has looked at it, planned
    commands.start_meeting(chair, "2024-10-31")
    with pytest.raises(commands.EntryError, match="only a planned meeting") as caught:
        commands.edit_meeting(secretary, "2024-10-31", on="2024-11-05")
    assert caught.value.field == "date"


def test_a_meeting_planned_on_another_seat_takes_items_at_once(seats) -> None:
    chair, secretary = seats
    secretary.meetings()  # looked before the chair planned the next one
    commands.new_meeting(chair, date(2025, 1, 31))
    item = commands.add_action(secretary, "下次会议的事项", "张三", meeting_id="2025-01-31").value
    assert item.meeting_id == "2025-01-31"


def test_a_meeting_planned_on_another_seat_meanwhile_is_seen_under_the_lock(seats) -> None:
    chair, secretary = seats
    assert all(m.date != date(2025, 1, 31) for m in secretary.meetings())  # looked: none that day
    commands.new_meeting(chair, date(2025, 1, 31))
    with pytest.raises(commands.MeetingOnThatDay, match=r"2025-01-31 already exists \(2025-01-31\)"):
        secretary.new_meeting(date(2025, 1, 31))  # the check under the lock, past the layer's
    assert [m.id for m in secretary.meetings() if m.date == date(2025, 1, 31)] == ["2025-01-31"]
    assert secretary.new_meeting(date(2025, 1, 31), force=True).result.id == "2025-01-31-2"


def test_a_status_change_names_a_meeting_that_exists(seats) -> None:
    chair, _ = seats
    with pytest.raises(commands.EntryError) as caught:
        commands.set_action_status(chair, "A3", "done", evidence="e", meeting_id="no-such-meeting")
    assert caught.value.field == "meeting"
    assert all(h.meeting_id != "no-such-meeting" for h in chair.action("A3").history)


def test_a_meeting_far_from_the_plan_is_refused(seats) -> None:
    chair, _ = seats
    for typed in ("0001-01-01", "2031-06-30"):
        with pytest.raises(commands.EntryError, match="far from the plan") as caught:
            commands.new_meeting(chair, typed)
        assert caught.value.field == "date"
    assert commands.new_meeting(chair, "2025-01-31").value.id == "2025-01-31"


def test_an_undone_item_keeps_its_number_and_undo_works_across_seats_and_checkpoints(seats) -> None:
    chair, secretary = seats
    first = commands.add_action(secretary, "秘书记的事项", "张三").value
    second = commands.add_action(chair, "主持人记的事项", "李四").value
    secretary.store.checkpoint()
    commands.undo(secretary)  # the secretary's own item goes, the chair's stays
    third = commands.add_action(secretary, "再记一项", "王五").value
    chair.refresh()
    assert (first.id, second.id, third.id) == ("A9", "A10", "A11")
    assert [a.id for a in chair.actions()][-2:] == ["A10", "A11"]
    ids = [
        change["doc"]["id"]
        for event in chair.events()
        for change in event.changes
        if event.kind == "action.add" and change["table"] == "actions"
    ]
    assert len(ids) == len(set(ids)), "one id names one item in the audit trail"


def test_check_finds_the_chairs_area_at_a_meeting_that_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    store = Store.open(path)
    commands.publish_area(Repository(store, seat="chair"), 4)
    store.checkpoint()
    store.close()
    data = path.read_text(encoding="utf-8").replace(
        '"meeting_id":"2024-10-31","area":4', '"meeting_id":"gone","area":4'
    )
    path.write_text(data, encoding="utf-8")
    problems = check_database(Repository(Store.open(path)))
    assert problems == ["follow[1]: the chair's area at unknown meeting 'gone'"]
