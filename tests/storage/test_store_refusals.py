"""A database the store cannot use is refused with one clear line, and never touched."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from storage_support import add_action, fingerprint, start_child, stderr_of, texts

from zzreview.storage import migrations
from zzreview.storage.errors import StoreError
from zzreview.storage.store import Store


def refused(path: Path, **open_options) -> str:
    """Open `path`, expect a refusal that names it, and check that nothing was changed."""
    before = fingerprint(path)
    lock = {f"{path.name}.lock"}
    files_before = set(os.listdir(path.parent)) - lock
    with pytest.raises(StoreError) as error:
        Store.open(path, **open_options)
    message = str(error.value)
    assert str(path) in message
    assert "\n" not in message
    assert error.value.path is not None
    assert fingerprint(path) == before
    assert set(os.listdir(path.parent)) - lock == files_before
    return message


def test_missing_database(db_path: Path) -> None:
    with pytest.raises(StoreError) as error:
        Store.open(db_path)

    assert str(error.value) == f"no database at {db_path}: create one with `zzreview --db {db_path} init`"
    assert not db_path.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"meta": {"1": {"schema_version": 1,', "line 1, column 37"),
        (b'{\n  "meta": oops\n}', "line 2, column 11"),
        ('{"meta": "caf\u00e9"}'.encode("latin-1"), "not UTF-8"),
    ],
    ids=["cut-short", "garbage", "latin-1"],
)
def test_unreadable_json(db_path: Path, content: bytes, expected: str) -> None:
    db_path.write_bytes(content)

    message = refused(db_path)

    assert expected in message
    assert "init --force" in message


def test_empty_file_without_a_backup(db_path: Path) -> None:
    db_path.write_bytes(b"")

    message = refused(db_path)

    assert "0 bytes" in message
    assert f"zzreview --db {db_path} init --force" in message


def test_empty_file_names_the_newest_backup(db_path: Path) -> None:
    older = db_path.with_name("review.json.bak-v1-20240101T000000")
    newer = db_path.with_name("review.json.bak-replaced-20240301T000000")
    older.write_text("{}")
    newer.write_text("{}")
    os.utime(older, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    os.utime(newer, ns=(1_710_000_000_000_000_000, 1_710_000_000_000_000_000))
    db_path.write_bytes(b"")

    message = refused(db_path)

    assert f"restore it from {newer}" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([{"text": "a list"}], "top level is a list"),
        (
            {"meta": {"1": {"schema_version": 1, "db_id": "x", "journal_seq": 0}}, "actions": []},
            "'actions' is a list",
        ),
        ({"actions": {"1": {"text": "no meta"}}}, "no meta document"),
        (
            {"meta": {"1": {"schema_version": "1", "db_id": "x", "journal_seq": 0}}},
            "schema_version",
        ),
        (
            {"meta": {"1": {"schema_version": 1, "db_id": "x", "journal_seq": 0}}, "a": {"x": {}}},
            "'x'",
        ),
    ],
    ids=["list", "table-is-list", "no-meta", "text-version", "bad-doc-id"],
)
def test_wrong_shape(db_path: Path, data: object, expected: str) -> None:
    db_path.write_text(json.dumps(data), encoding="utf-8")

    message = refused(db_path)

    assert "not a zzreview database" in message
    assert expected in message


def test_newer_schema(db_path: Path) -> None:
    Store.create(db_path, {})
    data = json.loads(db_path.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema_version"] = migrations.SCHEMA_VERSION + 1
    db_path.write_text(json.dumps(data), encoding="utf-8")

    message = refused(db_path)

    assert f"newer zzreview (schema {migrations.SCHEMA_VERSION + 1}" in message
    assert "upgrade zzreview" in message


def test_newer_schema_is_named_whatever_else_its_meta_holds(db_path: Path) -> None:
    db_path.write_text('{"meta": {"1": {"schema_version": 999}}}', encoding="utf-8")

    assert "newer zzreview (schema 999" in refused(db_path)


HOLD_THE_LOCK = """
    import sys
    from zzreview.storage.lockfile import FileLock
    with FileLock(sys.argv[1], {"seat": "chair", "who": "李主任"}):
        print("held", flush=True)
        sys.stdin.readline()
"""


def test_locked_by_another_process(db_path: Path) -> None:
    add_action(Store.create(db_path, {}), "before the lock")
    already_open = Store.open(db_path, lock_timeout=0.2)
    holder = start_child(HOLD_THE_LOCK, f"{db_path}.lock")
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"held\n", stderr_of(holder)

        message = refused(db_path, lock_timeout=0.2)
        with pytest.raises(StoreError, match=r"locked by zzreview pid \d+ \(chair, 李主任\)") as saving:
            add_action(already_open, "while locked")
    finally:
        holder.communicate(b"\n", timeout=10)

    # It names who holds the lock: the process, its seat and who, the host and since when.
    assert re.search(
        rf"locked by zzreview pid {holder.pid} \(chair, 李主任\) on \S+ since \d\d:\d\d:\d\d \({re.escape(str(db_path))}\.lock\)",
        message,
    ), message
    assert str(db_path) in str(saving.value)
    # Once the other process lets go, everything works again and nothing was half-saved.
    assert texts(Store.open(db_path, lock_timeout=5)) == {"1": "before the lock"}


def test_lock_timeout_comes_from_the_environment(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.create(db_path, {})
    holder = start_child(HOLD_THE_LOCK, f"{db_path}.lock")
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"held\n", stderr_of(holder)
        monkeypatch.setenv("ZZREVIEW_LOCK_TIMEOUT", "0.1")
        message = refused(db_path)
    finally:
        holder.communicate(b"\n", timeout=10)

    assert "waited 0.1 s" in message


def check_read_only(store: Store, db_path: Path) -> None:
    before = fingerprint(db_path)
    assert store.readonly
    assert texts(store) == {"1": "saved"}
    with pytest.raises(StoreError, match="read-only") as error:
        add_action(store, "not allowed")
    with pytest.raises(StoreError, match="read-only"):
        store.checkpoint()
    assert str(db_path) in str(error.value)
    assert fingerprint(db_path) == before
    assert texts(store) == {"1": "saved"}


def test_read_only_file(db_path: Path) -> None:
    store = Store.create(db_path, {"actions": {"1": {"text": "saved"}}})
    store.close()
    db_path.chmod(0o444)
    try:
        # As root, access() calls every file writable: then ask for read-only explicitly.
        as_root = os.access(db_path, os.W_OK)
        check_read_only(Store.open(db_path, readonly=as_root), db_path)
    finally:
        db_path.chmod(0o644)


def test_not_writable_according_to_access(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.create(db_path, {"actions": {"1": {"text": "saved"}}}).close()
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: False if Path(p) == db_path and mode & os.W_OK else real_access(p, mode, **kw),
    )

    check_read_only(Store.open(db_path), db_path)


def test_folder_not_writable_loads_without_the_lock(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.create(db_path, {"actions": {"1": {"text": "saved"}}}).close()
    (db_path.parent / "review.json.lock").unlink()
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: (
            False if Path(p) == db_path.parent and mode & os.W_OK else real_access(p, mode, **kw)
        ),
    )

    store = Store.open(db_path)

    check_read_only(store, db_path)
    assert not (db_path.parent / "review.json.lock").exists()


NOW = migrations.SCHEMA_VERSION
"""The schema a new database is written in; the example migration goes one past it."""


def v1_to_v2(tables: dict) -> dict:
    """An example migration from NOW to NOW + 1: action items' "text" becomes "title"."""
    actions = {doc_id: {"title": doc["text"]} for doc_id, doc in tables.get("actions", {}).items()}
    return {**tables, "actions": actions}


def test_migration_backs_up_then_migrates(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, fixed_clock
) -> None:
    store = Store.create(db_path, {"actions": {"1": {"text": "checkpointed"}}})
    add_action(store, "in the journal")
    store.close()
    v1_bytes = db_path.read_bytes()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NOW + 1)
    monkeypatch.setattr(migrations, "MIGRATIONS", {NOW: v1_to_v2})

    migrated = Store.open(db_path, clock=fixed_clock)

    backup = db_path.with_name(f"review.json.bak-v{NOW}-20241031T091203")
    assert backup.read_bytes() == v1_bytes
    assert dict(migrated.table("actions")) == {
        "1": {"title": "checkpointed"},
        "2": {"title": "in the journal"},
    }
    on_disk = json.loads(db_path.read_text(encoding="utf-8"))
    assert on_disk["meta"]["1"]["schema_version"] == NOW + 1
    assert on_disk["actions"]["2"] == {"title": "in the journal"}
    assert Store.open(db_path).table("meta")["1"]["schema_version"] == NOW + 1
    # The backup is complete, journal included, for the zzreview that wrote it.
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NOW)
    assert texts(Store.open(backup, readonly=True)) == {"1": "checkpointed", "2": "in the journal"}


def test_missing_migration_refuses_and_touches_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.create(db_path, {"actions": {"1": {"text": "v1"}}}).close()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NOW + 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", {NOW: v1_to_v2})

    message = refused(db_path)

    assert f"schema {NOW}" in message
    assert f"no step from schema {NOW + 1}" in message


def test_read_only_old_schema_migrates_in_memory_only(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.create(db_path, {"actions": {"1": {"text": "v1"}}}).close()
    before = fingerprint(db_path)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NOW + 1)
    monkeypatch.setattr(migrations, "MIGRATIONS", {NOW: v1_to_v2})

    store = Store.open(db_path, readonly=True)

    assert dict(store.table("actions")) == {"1": {"title": "v1"}}
    assert fingerprint(db_path) == before
    assert sorted(os.listdir(db_path.parent)) == ["review.json", "review.json.lock"]


# -- the journal -------------------------------------------------------------------------


def journal_of(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".journal")


@pytest.mark.parametrize(
    "torn",
    [b'{"db":"x","seq":3,"at":"2024', b"\x00\x00\x00\x00", b"{not json}\n"],
    ids=["cut", "zeros", "garbage"],
)
def test_a_torn_last_line_is_ignored_then_cleaned_up(db_path: Path, torn: bytes) -> None:
    store = Store.create(db_path, {})
    add_action(store, "one")
    add_action(store, "two")
    store.close()
    with journal_of(db_path).open("ab") as journal:
        journal.write(torn)

    reopened = Store.open(db_path)
    assert texts(reopened) == {"1": "one", "2": "two"}
    add_action(reopened, "three")

    lines = journal_of(db_path).read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert [json.loads(line)["seq"] for line in lines[:-1]] == [1, 2, 3]
    assert texts(Store.open(db_path)) == {"1": "one", "2": "two", "3": "three"}


def test_a_corrupt_line_before_the_end_is_refused(db_path: Path) -> None:
    store = Store.create(db_path, {})
    for text in ("one", "two", "three"):
        add_action(store, text)
    store.close()
    journal = journal_of(db_path)
    lines = journal.read_bytes().split(b"\n")
    lines[1] = lines[1][:40]
    journal.write_bytes(b"\n".join(lines))
    journal_before = fingerprint(journal)

    message = refused(db_path)

    assert f"{journal} is corrupt (line 2" in message
    assert fingerprint(journal) == journal_before


def test_a_journal_from_another_database_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    add_action(Store.create(first, {}), "belongs to first")
    Store.create(second, {})
    journal_of(second).write_bytes(journal_of(first).read_bytes())

    message = refused(second)

    assert "belongs to another database" in message


def test_a_journal_that_does_not_continue_the_file_is_refused(db_path: Path) -> None:
    store = Store.create(db_path, {})
    old_checkpoint = db_path.read_bytes()
    add_action(store, "one")
    store.checkpoint()
    add_action(store, "two")
    db_path.write_bytes(old_checkpoint)  # someone restored an old copy by hand

    message = refused(db_path)

    assert "does not continue" in message
    assert "event 2" in message
