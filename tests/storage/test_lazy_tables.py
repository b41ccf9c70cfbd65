"""A database file is written a table a line and read a table at a time: a command pays for
the tables it uses, and sees exactly what a whole read of the same file sees."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storage_support import add_action, texts
from tinydb import TinyDB

from zzreview.storage import durable
from zzreview.storage.errors import StoreError
from zzreview.storage.lazy import LazyTables, split_database
from zzreview.storage.store import Change, Store, StoreView, Writes


def seeded(db_path: Path, values: int = 30, actions: int = 5) -> Path:
    """A database with values and action items, folded into its file."""
    store = Store.create(
        db_path,
        {
            "meta": {"1": {"plan_id": "zz"}},
            "plan": {"1": {"id": "zz"}},
            "values": {str(n): {"indicator_id": f"1.1.{n % 3}", "value": n} for n in range(1, values + 1)},
        },
    )
    for n in range(actions):
        add_action(store, f"交办事项 {n}")
    store.checkpoint()
    store.close()
    return db_path


def add_value(store: Store, value: float) -> None:
    def mutate(view: StoreView) -> Writes:
        return Writes([Change("values", view.next_id("values"), {"indicator_id": "1.1.1", "value": value})])

    store.transact(mutate, who="王秘书", seat="cli", kind="values.record", summary="v")


def whole_read(path: Path) -> dict:
    """What the file holds, read whole by another program (the standard library)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["meta"]["1"].pop("layout", None)
    return data


def state(store: Store) -> dict:
    names = ("plan", "values", "actions", "events")
    return {name: dict(store.table(name)) for name in names}


def test_the_file_is_one_json_object_that_tinydb_reads_with_a_table_a_line(db_path: Path) -> None:
    seeded(db_path)
    raw = db_path.read_bytes()
    lines = raw.split(b"\n")
    assert [line[: line.index(b":")] for line in lines] == [
        b'{"meta"',
        b'"plan"',
        b'"values"',
        b'"actions"',
        b'"events"',
    ]
    db = TinyDB(db_path)
    assert len(db.table("values")) == 30 and len(db.table("actions")) == 5
    db.close()
    assert split_database(raw, durable.dumps) is not None


def test_a_write_that_only_adds_reads_neither_the_table_it_adds_to_nor_any_other(db_path: Path) -> None:
    seeded(db_path)
    store = Store.open(db_path)
    add_value(store, 42.0)
    tables = store._tables
    assert isinstance(tables, LazyTables)
    assert [name for name in ("plan", "values", "actions", "events") if tables.parsed(name)] == []
    # …and what it wrote is there when the table is read, after every document already there.
    values = store.table("values")
    assert list(values)[-2:] == ["30", "31"] and values["31"]["value"] == 42.0
    store.close()


def test_a_lazy_read_sees_what_a_whole_read_sees_after_saves_a_replay_and_a_fold(db_path: Path) -> None:
    seeded(db_path)
    writer = Store.open(db_path)
    add_value(writer, 1.5)
    add_action(writer, "新的交办事项")
    add_value(writer, 2.5)
    writer.close()  # not folded: the next open replays the journal into tables not read yet
    reader = Store.open(db_path)
    replayed = state(reader)
    assert texts(reader)["6"] == "新的交办事项"
    assert [doc["value"] for doc in replayed["values"].values()][-2:] == [1.5, 2.5]
    reader.checkpoint()
    reader.close()
    after_fold = whole_read(db_path)
    assert {name: after_fold[name] for name in replayed} == replayed
    assert Store.open(db_path).table("values") == replayed["values"]


def test_a_file_another_program_rewrote_is_read_whole(db_path: Path) -> None:
    seeded(db_path)
    data = json.loads(db_path.read_text(encoding="utf-8"))
    data["values"]["31"] = {"indicator_id": "1.1.1", "value": 7}
    # Rewritten with its table-a-line layout kept but one table's length changed…
    text = db_path.read_text(encoding="utf-8").replace(
        '"30":{', '"31":{"indicator_id":"1.1.1","value":7},"30":{'
    )
    db_path.write_text(text, encoding="utf-8")
    assert split_database(db_path.read_bytes(), durable.dumps) is None
    assert Store.open(db_path).table("values")["31"]["value"] == 7
    # …or the way TinyDB writes it, on one line (the stale layout in meta is not data).
    db_path.write_text(json.dumps(data), encoding="utf-8")
    store = Store.open(db_path)
    assert not isinstance(store._tables, LazyTables)
    assert "layout" not in store.table("meta")["1"]
    assert store.table("values")["31"]["value"] == 7


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        ('"2":{"text":"交办事项 1"', "is not valid JSON"),  # a brace gone
        ('"x":{"text":"交办事项 1"}', "has a document id 'x' that is not a whole number"),
    ],
)
def test_a_broken_table_is_refused_when_read_as_a_whole_read_refuses_it(
    db_path: Path, broken: str, said: str, monkeypatch
) -> None:
    seeded(db_path)
    raw = db_path.read_text(encoding="utf-8")
    intact = '"2":{"text":"交办事项 1"}'
    assert intact in raw
    # The same length, so the file still looks laid out: only reading the table tells.
    assert len(broken) <= len(intact)
    damaged = raw.replace(intact, broken.ljust(len(intact)))
    db_path.write_text(damaged, encoding="utf-8")
    store = Store.open(db_path)
    with pytest.raises(StoreError) as lazily:
        store.table("actions")
    monkeypatch.setattr(durable, "split_database", lambda raw, dumps: None)  # the same file, read whole
    with pytest.raises(StoreError) as whole:
        Store.open(db_path)
    assert said in str(lazily.value)
    assert str(lazily.value) == str(whole.value)


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(["values", "actions", "events_like"])),
        st.tuples(st.just("change"), st.sampled_from(["values", "actions"])),
        st.tuples(st.just("delete"), st.sampled_from(["values", "actions"])),
        st.tuples(st.just("reopen"), st.booleans()),
    ),
    max_size=12,
)


def apply_ops(path: Path, ops: list[tuple[str, object]]) -> dict:
    store = Store.open(path)
    counter = 0
    for op, arg in ops:
        counter += 1
        if op == "reopen":
            if arg:
                store.checkpoint()
            store.close()
            store = Store.open(path)
            continue
        table = "notes" if arg == "events_like" else str(arg)

        def mutate(view: StoreView, op=op, table=table, counter=counter) -> Writes:
            ids = list(view.table(table)) if op != "add" else []
            if op == "add":
                return Writes([Change(table, view.next_id(table), {"n": counter})])
            if not ids:
                return Writes([])
            target = ids[counter % len(ids)]
            return Writes([Change(table, target, None if op == "delete" else {"n": -counter})])

        store.transact(mutate, who="王秘书", seat="cli", kind="edit", summary=op)
    result = {name: dict(store.table(name)) for name in ("plan", "values", "actions", "notes", "events")}
    store.close()
    return result


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_any_run_of_saves_reads_back_the_same_lazily_or_whole(tmp_path: Path, ops) -> None:
    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    lazy = seeded(folder / "lazy.json", values=6, actions=3)
    whole = seeded(folder / "whole.json", values=6, actions=3)
    seen_lazily = apply_ops(lazy, ops)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(durable, "split_database", lambda raw, dumps: None)
        seen_whole = apply_ops(whole, ops)
    for table in ("plan", "values", "actions", "notes"):
        assert seen_lazily[table] == seen_whole[table], table
    strip = lambda events: [(e["seq"], e["changes"]) for e in events.values()]  # noqa: E731
    assert strip(seen_lazily["events"]) == strip(seen_whole["events"])


def test_a_table_edited_by_hand_to_the_same_length_is_read_before_anything_is_added(db_path: Path) -> None:
    seeded(db_path)
    text = db_path.read_text(encoding="utf-8")
    # Document 29 renamed 31: the layout's largest id (30) no longer holds, the length does.
    edited = text.replace('"29":{"indicator_id"', '"31":{"indicator_id"')
    assert len(edited) == len(text) and edited != text
    db_path.write_text(edited, encoding="utf-8")
    store = Store.open(db_path)
    add_value(store, 42.0)
    values = store.table("values")
    assert values["31"]["value"] == 29 and values["32"]["value"] == 42.0  # nothing written over
    store.close()


def test_two_threads_reading_a_table_first_both_see_what_the_journal_added(
    db_path: Path, monkeypatch
) -> None:
    seeded(db_path)
    writer = Store.open(db_path)
    add_value(writer, 42.0)
    writer.close()  # in the journal only: replayed beside the unread table
    store = Store.open(db_path)
    inside, release = threading.Event(), threading.Event()
    original = durable.parse_table

    def slow_parse(name, raw, **options):
        if name == "values" and not inside.is_set():
            inside.set()
            release.wait(10)
        return original(name, raw, **options)

    monkeypatch.setattr(durable, "parse_table", slow_parse)
    seen: list[dict] = []
    first = threading.Thread(target=lambda: seen.append(dict(store._tables["values"])))
    second = threading.Thread(target=lambda: seen.append(dict(store._tables["values"])))
    first.start()
    assert inside.wait(10)
    second.start()
    second.join(0.2)
    release.set()
    first.join(10)
    second.join(10)
    assert [table["31"]["value"] for table in seen] == [42.0, 42.0]


def test_check_reads_every_table_another_programs_too(db_path: Path) -> None:
    seeded(db_path)
    store = Store.open(db_path)

    def mutate(view: StoreView) -> Writes:
        return Writes([Change("their_table", "1", {"kept": "as it is"})])

    store.transact(mutate, who="他人", seat="cli", kind="edit", summary="theirs")
    store.checkpoint()
    store.close()
    text = db_path.read_text(encoding="utf-8")
    # Their table is the file's last line (the event log above holds the same text).
    head, _, tail = text.rpartition('{"kept":"as it is"}')
    broken = head + '{"kept" "as it is"}' + tail  # the same length, not JSON
    assert len(broken) == len(text)
    db_path.write_text(broken, encoding="utf-8")
    store = Store.open(db_path)  # opens: nothing asked for that table yet…
    with pytest.raises(StoreError, match="is not valid JSON"):
        store.read_every_table()  # …but a check reads it, as a whole read would


def test_a_table_name_that_no_utf_8_can_hold_is_written_and_read_back(db_path: Path) -> None:
    seeded(db_path)
    store = Store.open(db_path)

    def mutate(view: StoreView) -> Writes:
        return Writes([Change("notes\ud800", "1", {"x": 1})])

    store.transact(mutate, who="他人", seat="cli", kind="edit", summary="odd name")
    store.checkpoint()
    store.close()
    assert Store.open(db_path).table("notes\ud800") == {"1": {"x": 1}}


def _holders_of_unread(store: Store) -> dict[str, int]:
    """The size of the buffer each table not read yet is a view of."""
    return {name: len(view.obj) for name, view in store._tables._segments._raw.items()}


def test_once_most_of_the_file_is_read_the_tables_left_no_longer_hold_it(db_path: Path) -> None:
    seeded(db_path, values=400, actions=3)
    size = db_path.stat().st_size
    store = Store.open(db_path)
    store.table("plan")
    assert set(_holders_of_unread(store).values()) == {size}  # most of it unread: the file's bytes
    store.table("values")
    left = _holders_of_unread(store)
    assert "actions" in left and all(held < size / 2 for held in left.values())
    assert state(store) == {name: whole_read(db_path).get(name, {}) for name in state(store)}
    store.close()


def test_a_table_left_that_is_not_as_written_keeps_the_file_for_a_whole_read(
    db_path: Path, monkeypatch
) -> None:
    seeded(db_path, values=400, actions=3)
    raw = db_path.read_text(encoding="utf-8")
    intact = '"2":{"text":"交办事项 1"}'
    damaged = raw.replace(intact, '"2":{"text":"交办事项 1"'.ljust(len(intact)))
    db_path.write_text(damaged, encoding="utf-8")
    store = Store.open(db_path)
    store.table("values")  # the rest is small now, but the action items are not as written
    assert set(_holders_of_unread(store).values()) == {db_path.stat().st_size}
    with pytest.raises(StoreError) as lazily:
        store.table("actions")
    monkeypatch.setattr(durable, "split_database", lambda raw, dumps: None)
    with pytest.raises(StoreError) as whole:
        Store.open(db_path)
    assert str(lazily.value) == str(whole.value)
