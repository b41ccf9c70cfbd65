"""A closed meeting's frozen items are kept packed in the file, read the same as a plain list
(a file from before, or written by hand), and a damaged pack is named by `check`."""

from __future__ import annotations

import json
from pathlib import Path

from zzreview.meeting.session import create_database
from zzreview.storage.checks import check_repository
from zzreview.storage.repository import Repository
from zzreview.storage.snapshot import PACKED, frozen_items
from zzreview.storage.store import Store


def _closed_key(data: dict) -> str:
    return next(k for k, d in data["meetings"].items() if d["state"] == "closed")


def _figures(path: Path, meeting_id: str):
    with Store.open(path) as store:
        repo = Repository(store)
        figures = repo.figures(repo.meeting(meeting_id))
        return figures.actions, figures.reviewed, figures.as_of


def test_the_items_are_packed_and_read_back_as_they_were_frozen(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = data["meetings"][_closed_key(data)]
    packed = doc["snapshot"]["actions"]
    assert isinstance(packed, str) and packed.startswith(PACKED) and packed.isascii()
    items = frozen_items(doc["snapshot"])
    assert items and all(isinstance(item, dict) and item["id"].startswith("A") for item in items)
    assert len(packed) < len(json.dumps(items, ensure_ascii=False).encode("utf-8"))

    packed_figures = _figures(path, doc["id"])
    doc["snapshot"]["actions"] = items  # the plain form a file written before holds
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert _figures(path, doc["id"]) == packed_figures
    assert [a.id for a in packed_figures[0]] == [item["id"] for item in items]


def test_a_damaged_pack_is_named_by_check(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    key = _closed_key(data)
    data["meetings"][key]["snapshot"]["actions"] = PACKED + "not base64 at all!"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with Store.open(path) as store:
        problems = check_repository(Repository(store))
    assert any(f"meetings[{key}]" in p and "snapshot.actions: packed items unreadable" in p for p in problems)
