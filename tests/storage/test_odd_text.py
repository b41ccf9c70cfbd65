"""Lone surrogates in stored documents, and a sync tool's conflict copies beside the file.

A lone surrogate ("\\ud800") is valid in JSON as an escape and in a Python string, but it is not
a character: it cannot be encoded as UTF-8, so printing it, writing minutes with it or saving
the file with it fails. Another program (or an old bug) can put one in the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from storage_support import add_action, texts

from zzreview.domain import ActionItem, Plan
from zzreview.storage.codec import from_doc, to_doc
from zzreview.storage.durable import dumps
from zzreview.storage.siblings import conflict_copies
from zzreview.storage.snapshot import frozen_items, pack_items
from zzreview.storage.store import Store

REPLACEMENT = "\ufffd"


def demo_database(path: Path) -> Path:
    from zzreview.meeting.session import create_database

    create_database(path, demo=True)
    return path


# -- decoding ----------------------------------------------------------------------------


def test_decoding_replaces_lone_surrogates_wherever_text_is(db_path: Path) -> None:
    store = Store.open(demo_database(db_path))
    doc = dict(store.table("actions")["1"])
    doc["text"] = "梳理\ud800项目"
    doc["supporting_units"] = ["市\udcff局"]
    doc["history"] = [{**doc["history"][0], "who": "\udfff"}]
    item = from_doc(ActionItem, doc)
    assert item.text == f"梳理{REPLACEMENT}项目"
    assert item.supporting_units == (f"市{REPLACEMENT}局",)
    assert item.history[0].who == REPLACEMENT
    plan_json = json.dumps(store.table("plan")["1"], ensure_ascii=False)
    plan = from_doc(Plan, json.loads(plan_json.replace("郑州", "\\ud800")))
    assert plan.title.startswith(f"{REPLACEMENT}市")
    store.close()


def test_decoding_keeps_ordinary_text_exactly() -> None:
    store = Store.memory()
    text = "x [/] y 🚇 郑州\t\n e\u0301"
    doc = to_doc(ActionItem(id="A1", meeting_id="m", text=text, owner="o"))
    assert from_doc(ActionItem, doc).text == text
    store.close()


# -- writing ------------------------------------------------------------------------------


def test_dumps_never_fails_on_a_lone_surrogate_and_keeps_it() -> None:
    value = {"text": "郑州\ud800", "list": ["\udcff", "ok"], "\udfffkey": 1}
    text = dumps(value)
    text.encode("utf-8")  # what the store writes to disk
    assert json.loads(text) == value, "the data are kept exactly; decoding shows them replaced"
    assert "郑州" in text, "readable text stays readable: only what cannot be UTF-8 is escaped"
    assert dumps({"text": "郑州"}) == '{"text":"郑州"}'


def test_dumps_still_refuses_what_is_not_json() -> None:
    with pytest.raises(ValueError):
        dumps({"x": float("nan")})


def test_a_file_with_lone_surrogates_can_always_be_written_again(db_path: Path) -> None:
    # The wedge: a "\ud800" from another program, one more save, and no checkpoint could be
    # written; every later command failed until the journal was moved aside.
    demo_database(db_path)
    data = json.loads(db_path.read_text(encoding="utf-8"))
    data["actions"]["1"]["text"] = "x\ud800y"
    db_path.write_text(json.dumps(data), encoding="ascii")
    store = Store.open(db_path)
    add_action(store, "after \udcff")
    store.checkpoint()
    store.close()
    db_path.read_bytes().decode("utf-8")
    again = Store.open(db_path)
    assert texts(again)["1"] == "x\ud800y"
    assert texts(again)[max(texts(again), key=int)] == "after \udcff"
    add_action(again, "and again")
    again.checkpoint()
    again.close()


# -- check --------------------------------------------------------------------------------


def test_check_names_each_place_a_lone_surrogate_is(db_path: Path) -> None:
    from zzreview.storage.checks import check_repository
    from zzreview.storage.repository import Repository

    demo_database(db_path)
    data = json.loads(db_path.read_text(encoding="utf-8"))
    data["actions"]["3"]["history"][0]["who"] = "\ud800"
    frozen = data["meetings"]["1"]["snapshot"]
    items = frozen_items(frozen)
    items[0]["text"] = "a\udcffb"
    frozen["actions"] = pack_items(items)  # inside the packed items, as a closing writes them
    data["meta"]["1"]["notice"] = "\udfff"
    db_path.write_text(json.dumps(data), encoding="ascii")
    with Store.open(db_path) as store:
        problems = check_repository(Repository(store))
    assert len(problems) == 3, problems
    assert any(p.startswith("actions[3].history[0].who:") and "\\ud800" in p for p in problems)
    assert any(p.startswith("meetings[1].snapshot.actions[0].text:") and "\\udcff" in p for p in problems)
    assert any(p.startswith("meta[1].notice:") for p in problems)


def test_check_finds_nothing_in_ordinary_text(db_path: Path) -> None:
    from zzreview.meeting.commands import add_action as record_action
    from zzreview.storage.checks import check_repository
    from zzreview.storage.repository import Repository

    with Store.open(demo_database(db_path)) as store:
        repo = Repository(store, who="王秘书")
        record_action(repo, "x [/] y 🚇 \ufffd is a character", owner="市发展改革委")
        assert check_repository(repo) == []


# -- conflict copies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "review.sync-conflict-20241031-091203-ABCDEFG.json",
        "review.json.sync-conflict-20241031-091203-ABCDEFG",
        "review (王秘书's conflicted copy 2024-10-31).json",
        "review (Conflicted copy 2024-10-31).json",
        "review (conflicted copy 2024-10-31 091203).json",
        "review.json (conflicted copy 2024-10-31)",
        "review.json.sync-conflict-20241031-091203-ABCDEFG.journal",
        "review.json (Wang's conflicted copy 2024-10-31).journal",
    ],
)
def test_a_conflict_copy_is_found(db_path: Path, name: str) -> None:
    db_path.write_text("{}", encoding="utf-8")
    (db_path.parent / name).write_text("{}", encoding="utf-8")
    assert conflict_copies(db_path) == [db_path.parent / name]


@pytest.mark.parametrize(
    "name",
    [
        "review (1).json",
        "review.json.journal",
        "review.json.lock",
        "review.json.bak-v1-20241031T091203Z",
        "review.json.0123456789ab.tmp",
        "other.sync-conflict-20241031-091203-ABCDEFG.json",
        "review.sync-conflict-20241031-091203-ABCDEFG.toml",
        "reviews (conflicted copy 2024-10-31).json",
    ],
)
def test_other_files_are_not_conflict_copies(db_path: Path, name: str) -> None:
    db_path.write_text("{}", encoding="utf-8")
    (db_path.parent / name).write_text("{}", encoding="utf-8")
    assert conflict_copies(db_path) == []


def test_conflict_copies_are_listed_in_order_and_a_missing_folder_is_none(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    names = ["r.sync-conflict-2-B.json", "r (conflicted copy).json", "r.sync-conflict-1-A.json"]
    for name in names:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert conflict_copies(path) == sorted(tmp_path / name for name in names)
    assert conflict_copies(tmp_path / "missing" / "r.json") == []


def test_conflict_copies_beside_a_symlinks_target_count(tmp_path: Path) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    (synced / "r.json").write_text("{}", encoding="utf-8")
    (synced / "r.sync-conflict-20241031-091203-ABCDEFG.json").write_text("{}", encoding="utf-8")
    link = tmp_path / "here.json"
    link.symlink_to(synced / "r.json")
    assert conflict_copies(link) == [synced / "r.sync-conflict-20241031-091203-ABCDEFG.json"]
