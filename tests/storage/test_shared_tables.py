"""What a reader was handed stays as it was, however the store saves afterwards: a save writes
in place only into tables nobody holds. And the event log is read by seq: from a recent event
on, or from the newest back, with the same answers as reading all of it."""

from __future__ import annotations

import threading
from pathlib import Path

from storage_support import add_action

from zzreview.storage.store import Change, Store, StoreView, Writes


def save(store: Store, table: str, doc_id: str, doc: dict | None) -> None:
    def mutate(view: StoreView) -> Writes:
        return Writes([Change(table, doc_id, doc)])

    store.transact(mutate, who="王秘书", seat="secretary", kind="edit", summary=f"{table}/{doc_id}")


def test_a_table_handed_out_stays_as_it_was_after_later_saves() -> None:
    store = Store.memory({"actions": {"1": {"text": "first"}}})
    for n in range(3):
        add_action(store, f"unseen {n}")  # nobody holds the table: these may write in place
    held = store.table("actions")
    events = store.events()
    add_action(store, "after")
    save(store, "actions", "1", {"text": "changed"})
    save(store, "actions", "2", None)
    assert sorted(held) == ["1", "2", "3", "4"]
    assert held["1"] == {"text": "first"}
    assert [e.seq for e in events] == [1, 2, 3]
    now = store.table("actions")
    assert sorted(now) == ["1", "3", "4", "5"] and now["1"] == {"text": "changed"}
    assert [e.seq for e in store.events()] == [1, 2, 3, 4, 5, 6]


def test_a_tables_version_changes_with_every_save_to_it_and_only_then() -> None:
    store = Store.memory({"actions": {"1": {"text": "first"}}, "notes": {}})
    add_action(store, "nobody looked")
    actions, notes, log = (store.table_version(name) for name in ("actions", "notes", "events"))
    add_action(store, "looked at")
    assert store.table_version("actions") is not actions
    assert store.table_version("events") is not log
    assert store.table_version("notes") is notes
    again = store.table_version("actions")
    save(store, "notes", "1", {"text": "a note"})
    assert store.table_version("actions") is again


def test_a_reader_walking_a_table_never_sees_it_change_under_it() -> None:
    store = Store.memory({"values": {str(n): {"v": n} for n in range(1, 2001)}})
    stop, problems = threading.Event(), []

    def walk() -> None:
        while not stop.is_set():
            try:
                docs = store.table("values")
                count = len(docs)
                assert sum(1 for _ in docs.items()) == count
            except Exception as error:  # reported below
                problems.append(repr(error))
                return

    reader = threading.Thread(target=walk)
    reader.start()
    try:
        for n in range(2001, 2201):
            save(store, "values", str(n), {"v": n})
    finally:
        stop.set()
        reader.join()
    assert problems == []
    assert len(store.table("values")) == 2200


def test_a_long_journal_opens_to_what_was_saved(db_path: Path) -> None:
    writer = Store.create(db_path, {"actions": {}, "values": {}})
    for n in range(1, 301):
        add_action(writer, f"item {n}")
        save(writer, "values", str(n), {"v": n})
        if n % 3 == 0:
            save(writer, "actions", str(n // 3), {"text": f"item {n // 3}, edited"})
    expected = {name: dict(writer.table(name)) for name in ("actions", "values", "events")}
    writer.close()
    reader = Store.open(db_path)
    try:
        assert reader.journal_length() == 700
        assert {name: dict(reader.table(name)) for name in expected} == expected
        add_action(reader, "after the replay")
        assert [e.seq for e in reader.events(698)] == [699, 700, 701]
    finally:
        reader.close()


def test_events_since_a_seq_and_newest_first_match_the_whole_log(db_path: Path) -> None:
    log = {
        str(seq): {
            "seq": seq,
            "at": "",
            "who": "",
            "seat": "cli",
            "kind": "k",
            "summary": str(seq),
            "changes": [],
        }
        for seq in (1, 2, 5, 9, 10, 40)
    }
    store = Store.create(db_path, {"events": log})
    add_action(store, "one more")  # seq 41, in the journal
    whole = [e.seq for e in store.events()]
    assert whole == [1, 2, 5, 9, 10, 40, 41]
    for since in (-3, 0, 1, 4, 9, 39, 40, 41, 100):
        assert [e.seq for e in store.events(since)] == [s for s in whole if s > since], since
    assert [e.seq for e in store.events_newest_first()] == whole[::-1]
    store.close()
    assert list(Store.memory({}).events_newest_first()) == []
