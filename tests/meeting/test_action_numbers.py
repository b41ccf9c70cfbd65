"""Action item numbers: each new item gets the next number never given (A1, A2 …), kept in the
database, so an item taken back keeps its number, a reopened database counts on, and a
database from before the number was kept, or an item a script added, numbers on correctly."""

from __future__ import annotations

import copy
from pathlib import Path

from tinydb import TinyDB

from tests.meeting.conftest import MEETING, _demo_tables
from zzreview.meeting import commands
from zzreview.meeting.session import Seat, create_database
from zzreview.storage.repository import LAST_ACTION_KEY, Repository
from zzreview.storage.store import Store


def add(repo: Repository, text: str = "会上交办") -> str:
    return commands.add_action(repo, text, "张三", meeting_id=MEETING).value.id


def ids(repo: Repository) -> list[str]:
    return [item.id for item in repo.actions()]


def test_numbers_go_on_after_an_undo_and_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    seat = Seat(path, seat="secretary", who="王秘书")
    repo = seat.repo()
    assert add(repo) == "A9"
    commands.undo(repo)
    assert "A9" not in ids(repo)
    assert add(repo) == "A10", "A9 named the item taken back: it is never given again"
    seat.close()
    again = Seat(path, seat="cli", who="王秘书")
    repo = again.repo()
    assert add(repo) == "A11"
    commands.undo(repo)
    again.close()
    last = Seat(path, seat="cli")
    assert add(last.repo()) == "A12", "the number taken back stays given across a reopen"
    last.close()


def test_a_database_from_before_the_number_was_kept_numbers_on_from_its_items() -> None:
    tables = copy.deepcopy(_demo_tables())
    assert LAST_ACTION_KEY not in tables["meta"]["1"]
    tables["actions"]["9"] = {**tables["actions"]["8"], "id": "A20"}  # numbers need not be dense
    repo = Repository(Store.memory(tables), who="王秘书", seat="secretary")
    assert add(repo) == "A21"
    assert add(repo) == "A22"
    assert repo.meta[LAST_ACTION_KEY] == 22


def test_an_item_a_script_added_without_counting_it_is_not_numbered_again(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    seat = Seat(path, seat="cli")
    assert add(seat.repo()) == "A9"
    seat.close()
    with TinyDB(path) as db:  # a user's own script, which knows nothing of the counter
        actions = db.table("actions")
        actions.insert({**actions.get(doc_id=1), "id": "A15"})
    seat = Seat(path, seat="cli")
    repo = seat.repo()
    assert add(repo) == "A16"
    assert ids(repo)[-3:] == ["A9", "A15", "A16"]
    seat.close()


def test_the_numbers_of_two_seats_never_collide(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    secretary, chair = Seat(path, seat="secretary"), Seat(path, seat="chair")
    given = [add(secretary.repo()), add(chair.repo()), add(secretary.repo()), add(chair.repo())]
    assert given == ["A9", "A10", "A11", "A12"]
    secretary.close()
    chair.close()


def test_a_change_finds_the_item_among_many_and_after_another_seat_added_some(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    mine, other = Seat(path, seat="secretary"), Seat(path, seat="chair")
    repo = mine.repo()
    made = [add(repo, f"第{n}项") for n in range(30)]
    theirs = add(other.repo(), "另一席位交办")
    commands.record_progress(repo, made[3], "已推进")
    commands.record_progress(repo, theirs, "已对接")
    assert repo.current_action(made[3]).history[-1].evidence == "已推进"
    assert repo.current_action(theirs.lower()).history[-1].evidence == "已对接"
    assert repo.action(theirs) == repo.current_action(theirs)
    mine.close()
    other.close()
