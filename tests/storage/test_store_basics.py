"""The store keeps what it is given: round trips, checkpoints, the event log, several stores."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from storage_support import add_action, texts
from tinydb import TinyDB

from zzreview.storage import durable, migrations
from zzreview.storage.durable import DurableJSONStorage
from zzreview.storage.errors import CheckpointError, StoreError
from zzreview.storage.store import Change, Store, StoreView, Writes

ACTION_TEXTS = [
    "推进郑州航空港区建设",
    "[bold]x[/] y | `code` <b>",
    "emoji 🚇 and \u200f bidi",
    "plain",
]


def everything(store: Store) -> dict[str, dict]:
    """Every table's documents, plus the event log, as plain data."""
    tables = {name: dict(store.table(name)) for name in ("meta", "actions", "notes", "events")}
    tables["meta"] = {
        k: {kk: vv for kk, vv in v.items() if kk != "journal_seq"} for k, v in tables["meta"].items()
    }
    return {**tables, "log": [event.seq for event in store.events()]}


def test_round_trip_through_close_and_open(db_path: Path) -> None:
    store = Store.create(db_path, {"meta": {"1": {"plan_id": "zz-2024h2"}}})
    for text in ACTION_TEXTS:
        add_action(store, text, owner="张三")
    store.close()

    reopened = Store.open(db_path)

    assert texts(reopened) == {str(n): text for n, text in enumerate(ACTION_TEXTS, start=1)}
    assert reopened.table("meta")["1"]["plan_id"] == "zz-2024h2"
    assert reopened.db_id == store.db_id
    assert [e.summary for e in reopened.events()] == ACTION_TEXTS


def test_stock_tinydb_reads_the_checkpoint(db_path: Path) -> None:
    store = Store.create(db_path, {})
    for text in ACTION_TEXTS:
        add_action(store, text)
    store.checkpoint()

    with TinyDB(db_path, access_mode="r") as db:
        stored = {doc.doc_id: doc["text"] for doc in db.table("actions").all()}
        meta = db.table("meta").get(doc_id=1)

    assert stored == {n: text for n, text in enumerate(ACTION_TEXTS, start=1)}
    assert meta["schema_version"] == migrations.SCHEMA_VERSION
    assert meta["journal_seq"] == len(ACTION_TEXTS)


def test_journal_alone_is_enough_for_another_store(db_path: Path) -> None:
    writer = Store.create(db_path, {})
    for text in ACTION_TEXTS:
        add_action(writer, text)

    # Nothing was checkpointed: the TinyDB file alone does not have the actions yet.
    assert "actions" not in json.loads(db_path.read_text(encoding="utf-8"))
    reader = Store.open(db_path)

    assert texts(reader) == texts(writer)
    assert reader.journal_length() == len(ACTION_TEXTS)


def test_checkpoint_then_open_gives_the_same_state(db_path: Path) -> None:
    store = Store.create(db_path, {})
    for text in ACTION_TEXTS:
        add_action(store, text)
    store.transact(
        lambda view: Writes(
            [
                Change("actions", "2", None),
                Change("notes", view.next_id("notes"), {"text": "n"}),
            ]
        ),
        who="chair",
        seat="chair",
        kind="mixed",
        summary="delete one, note one",
    )
    before_checkpoint = everything(store)

    store.checkpoint()
    after_checkpoint = everything(store)
    reopened = everything(Store.open(db_path))

    assert before_checkpoint == after_checkpoint == reopened
    assert db_path.with_name("review.json.journal").stat().st_size == 0


def test_checkpoint_leaves_no_temp_files(db_path: Path) -> None:
    store = Store.create(db_path, {})
    for round_ in range(3):
        add_action(store, f"round {round_}")
        store.checkpoint()

    assert sorted(os.listdir(db_path.parent)) == [
        "review.json",
        "review.json.journal",
        "review.json.lock",
    ]


def test_crash_between_checkpoint_and_emptying_the_journal_loses_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.create(db_path, {})
    for text in ACTION_TEXTS:
        add_action(store, text)

    def crash(self: Store) -> None:
        raise OSError("killed before the journal was emptied")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "_empty_journal", crash)
        with pytest.raises(CheckpointError, match="every saved change is safe"):
            store.checkpoint()

    # The checkpoint holds every event and the journal still does too: each applies once.
    after_crash = Store.open(db_path)
    assert texts(after_crash) == texts(store)
    assert [e.seq for e in after_crash.events()] == [1, 2, 3, 4]
    assert after_crash.journal_length() == 0

    add_action(after_crash, "after the crash")
    add_action(store, "from the first store")  # it re-reads the disk before saving
    final = Store.open(db_path)
    assert [e.seq for e in final.events()] == [1, 2, 3, 4, 5, 6]
    assert list(texts(final).values()) == [*ACTION_TEXTS, "after the crash", "from the first store"]


def test_crash_while_writing_the_checkpoint_keeps_the_old_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.create(db_path, {})
    add_action(store, "saved in the journal")
    checkpoint_bytes = db_path.read_bytes()

    with monkeypatch.context() as patch:

        def crash(source, target):
            raise OSError("killed before the rename")

        patch.setattr(durable.os, "replace", crash)
        with pytest.raises(CheckpointError):
            store.checkpoint()

    assert db_path.read_bytes() == checkpoint_bytes
    assert not [name for name in os.listdir(db_path.parent) if name.endswith(".tmp")]
    assert texts(Store.open(db_path)) == {"1": "saved in the journal"}


def test_every_change_is_an_event_with_before_and_after(db_path: Path, fixed_clock) -> None:
    store = Store.create(db_path, {}, clock=fixed_clock)
    add_action(store, "draft")
    store.transact(
        lambda view: Writes([Change("actions", "1", {"text": "final"})]),
        who="李主任",
        seat="chair",
        kind="action.edit",
        summary="reworded",
    )
    store.transact(
        lambda view: Writes([Change("actions", "1", None)]),
        who="李主任",
        seat="chair",
        kind="action.drop",
        summary="dropped",
    )

    log = Store.open(db_path).events()

    assert [(e.seq, e.kind, e.who, e.seat) for e in log] == [
        (1, "action.add", "王秘书", "secretary"),
        (2, "action.edit", "李主任", "chair"),
        (3, "action.drop", "李主任", "chair"),
    ]
    assert log[0].at == "2024-10-31T09:12:03.123456+00:00"
    # Each event records what changed, not the whole document.
    assert [{k: v for k, v in c.items() if k not in ("table", "doc_id")} for e in log for c in e.changes] == [
        {"op": "insert", "doc": {"text": "draft"}},
        {"op": "update", "set": {"text": "final"}, "was": {"text": "draft"}},
        {"op": "delete", "was": {"text": "final"}},
    ]
    assert [e.seq for e in store.events(since=1)] == [2, 3]


def test_next_id_hands_out_a_new_id_each_call(db_path: Path) -> None:
    store = Store.create(db_path, {"actions": {"7": {"text": "old"}}})

    event = store.transact(
        lambda view: Writes([Change("actions", view.next_id("actions"), {"text": t}) for t in ("a", "b")]),
        who="w",
        seat="cli",
        kind="action.add",
        summary="two",
    ).event

    assert [c["doc_id"] for c in event.changes] == ["8", "9"]
    assert texts(store) == {"7": "old", "8": "a", "9": "b"}


def test_nothing_to_change_writes_nothing(db_path: Path) -> None:
    store = Store.create(db_path, {"actions": {"1": {"text": "same"}}})
    journal = db_path.with_name("review.json.journal")

    assert (
        store.transact(lambda view: Writes([]), who="w", seat="cli", kind="none", summary="none").event
        is None
    )
    unchanged = store.transact(
        lambda view: Writes([Change("actions", "1", {"text": "same"}), Change("actions", "2", None)]),
        who="w",
        seat="cli",
        kind="same",
        summary="same",
    ).event

    assert unchanged is None
    assert not journal.exists()
    assert store.events() == []


def test_a_stored_document_changed_in_place_is_refused(db_path: Path) -> None:
    store = Store.create(db_path, {"actions": {"1": {"text": "as saved"}}})

    def mutate(view: StoreView) -> Writes:
        doc = view.table("actions")["1"]
        doc["text"] = "edited in place"  # the mistake: documents are read-only
        return Writes([Change("actions", "1", doc)])

    with pytest.raises(ValueError, match="in place"):
        store.transact(mutate, who="w", seat="cli", kind="edit", summary="edit")
    assert store.events() == []


def test_meta_keys_of_the_store_cannot_be_overwritten(db_path: Path) -> None:
    store = Store.create(db_path, {})
    meta = dict(store.table("meta")["1"])

    store.transact(
        lambda view: Writes([Change("meta", "1", {"title": "2024 H2", "schema_version": 99, "db_id": "x"})]),
        who="w",
        seat="cli",
        kind="meta",
        summary="title",
    )
    store.checkpoint()
    reopened = Store.open(db_path).table("meta")["1"]

    assert reopened["title"] == "2024 H2"
    assert reopened["schema_version"] == meta["schema_version"]
    assert reopened["db_id"] == meta["db_id"]


@pytest.mark.parametrize(
    "change",
    [
        Change("events", "1", {}),
        Change("meta", "2", {}),
        Change("meta", "1", None),
        Change("a", "01", {}),
    ],
    ids=["events-table", "second-meta-doc", "delete-meta", "leading-zero-id"],
)
def test_changes_the_store_cannot_keep_are_refused(db_path: Path, change: Change) -> None:
    store = Store.create(db_path, {})

    with pytest.raises(ValueError):
        store.transact(lambda view: Writes([change]), who="w", seat="cli", kind="bad", summary="bad")
    assert store.events() == []


def test_another_store_sees_changes_on_refresh(db_path: Path) -> None:
    chair = Store.create(db_path, {})
    secretary = Store.open(db_path)

    add_action(secretary, "typed by the secretary")
    assert chair.refresh() is True
    assert texts(chair) == {"1": "typed by the secretary"}
    assert chair.refresh() is False

    secretary.checkpoint()
    assert chair.refresh() is False  # folded into the file, but nothing new to show
    add_action(secretary, "after the checkpoint")
    assert chair.refresh() is True
    assert texts(chair) == {"1": "typed by the secretary", "2": "after the checkpoint"}


def test_refresh_reads_only_the_journal_when_only_the_journal_grew(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chair = Store.create(db_path, {})
    secretary = Store.open(db_path)
    reads = []
    original = DurableJSONStorage.read

    def counting_read(self):
        reads.append(self.path)
        return original(self)

    monkeypatch.setattr(DurableJSONStorage, "read", counting_read)
    for n in range(3):
        add_action(secretary, f"item {n}")
        chair.refresh()

    assert reads == []
    assert len(texts(chair)) == 3


def test_a_snapshot_from_table_does_not_move(db_path: Path) -> None:
    store = Store.create(db_path, {})
    add_action(store, "first")
    snapshot = store.table("actions")

    add_action(store, "second")

    assert dict(snapshot) == {"1": {"text": "first"}}
    assert len(store.table("actions")) == 2
    with pytest.raises(TypeError):
        snapshot["3"] = {"text": "not allowed"}  # type: ignore[index]


def test_create_refuses_an_existing_file(db_path: Path) -> None:
    Store.create(db_path, {"actions": {"1": {"text": "keep me"}}})
    before = db_path.read_bytes()

    with pytest.raises(StoreError, match="--force") as refused:
        Store.create(db_path, {})

    assert str(db_path) in str(refused.value)
    assert db_path.read_bytes() == before


def test_create_force_keeps_the_old_database_as_a_backup(db_path: Path, fixed_clock) -> None:
    old = Store.create(db_path, {"actions": {"1": {"text": "checkpointed"}}})
    add_action(old, "only in the journal")
    old_bytes = db_path.read_bytes()

    new = Store.create(db_path, {"meta": {"1": {"plan_id": "new"}}}, force=True, clock=fixed_clock)

    backup = db_path.with_name("review.json.bak-replaced-20241031T091203")
    assert backup.read_bytes() == old_bytes
    assert texts(Store.open(backup)) == {"1": "checkpointed", "2": "only in the journal"}
    assert new.db_id != old.db_id
    assert texts(Store.open(db_path)) == {}
    assert Store.open(db_path).table("meta")["1"]["plan_id"] == "new"


def test_memory_store_has_the_same_api_and_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store.memory({"actions": {"1": {"text": "seeded"}}})

    add_action(store, "added")
    store.checkpoint()
    add_action(store, "after checkpoint")

    assert store.path is None
    assert texts(store) == {"1": "seeded", "2": "added", "3": "after checkpoint"}
    assert [e.seq for e in store.events()] == [1, 2]
    assert store.journal_length() == 1
    assert store.refresh() is False
    assert os.listdir(tmp_path) == []


def test_checkpoints_in_a_worker_thread_while_saving(db_path: Path) -> None:
    store = Store.create(db_path, {})
    done = threading.Event()
    failures: list[BaseException] = []

    def checkpoint_until_done() -> None:
        try:
            while not done.is_set():
                store.checkpoint()
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    worker = threading.Thread(target=checkpoint_until_done)
    worker.start()
    try:
        for n in range(150):
            add_action(store, f"item {n}")
    finally:
        done.set()
        worker.join()

    assert failures == []
    expected = {str(n + 1): f"item {n}" for n in range(150)}
    assert texts(store) == expected
    assert texts(Store.open(db_path)) == expected
    assert [e.seq for e in Store.open(db_path).events()] == list(range(1, 151))
