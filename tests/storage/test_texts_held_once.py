"""A long-lived process (the app) holds each text repeated through the values and the action
items once (storage.durable.hold_texts_once); the documents read the same. That the app asks
it and a command does not: tests/cli/test_run_holds_texts_once.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_support import add_action

from zzreview.storage import durable
from zzreview.storage.store import Store


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """This test's own choice of tables held once (the process's is left as it was)."""
    shared: set[str] = set()
    monkeypatch.setattr(durable, "_SHARED", shared)
    return shared


def written(db_path: Path) -> Path:
    store = Store.create(
        db_path,
        {
            "meta": {"1": {"plan_id": "zz"}},
            "plan": {"1": {"id": "zz"}},
            "values": {
                str(n): {
                    "indicator_id": f"1.1.{n % 3}",
                    "as_of": "2024-09-30",
                    "value": n,
                    "tags": ["县区", f"第{n % 2}"],
                }
                for n in range(1, 41)
            },
        },
    )
    for n in range(6):
        add_action(store, f"交办事项 {n % 2}", meeting_id="2024-10-31")
    store.checkpoint()
    store.close()
    return db_path


def read(path: Path, name: str) -> dict:
    store = Store.open(path)
    try:
        return dict(store.table(name))
    finally:
        store.close()


def texts_of(docs: dict) -> list[str]:
    found: list[str] = []
    stack = list(docs.values())
    while stack:
        node = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, str):
                found.append(child)
            elif isinstance(child, dict | list):
                stack.append(child)
    return found


def test_a_table_held_once_reads_the_same_with_each_text_one_object(db_path: Path, held: set[str]) -> None:
    path = written(db_path)
    as_read = read(path, "values")
    durable.hold_texts_once("values")
    shared = read(path, "values")
    assert shared == as_read
    texts = texts_of(shared)
    assert len({id(text) for text in texts}) == len(set(texts)) < len(texts)
    nested = [doc["tags"][0] for doc in shared.values()]
    assert all(tag is nested[0] for tag in nested)  # inside lists too


def test_a_table_not_asked_for_keeps_a_text_for_each_document(db_path: Path, held: set[str]) -> None:
    path = written(db_path)
    durable.hold_texts_once("values")
    actions = read(path, "actions")
    meetings = [doc["meeting_id"] for doc in actions.values()]
    assert len(set(meetings)) == 1
    assert len({id(meeting) for meeting in meetings}) == len(meetings)


def test_large_buffers_go_back_to_the_system_where_the_c_library_lets_it_be_asked() -> None:
    import platform
    import sys

    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert durable.give_back_large_buffers() is glibc
