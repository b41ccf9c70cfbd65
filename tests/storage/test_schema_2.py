"""Schema 2: a database written when action history was a sentence opens with it in fields,
after a backup, and reads exactly as before."""

from __future__ import annotations

import json
import re
from pathlib import Path

from zzreview.domain import ActionStatus, ChangeKind
from zzreview.meeting import commands
from zzreview.meeting.minutes import minutes_markdown
from zzreview.meeting.session import check_database, create_database
from zzreview.storage import migrations
from zzreview.storage.repository import Repository
from zzreview.storage.snapshot import frozen_items
from zzreview.storage.store import Store


def _as_schema_1(entry: dict) -> dict:
    """A schema-2 history entry written the way schema 1 wrote it."""
    old = {k: v for k, v in entry.items() if k not in ("kind", "before", "after", "fields")}
    old["change"] = "raised" if entry["kind"] == "raised" else f"status {entry['before']} -> {entry['after']}"
    return old


def _downgrade(item: dict) -> dict:
    return {**item, "history": [_as_schema_1(e) for e in item["history"]]}


def _write_schema_1(path: Path) -> None:
    """Turn the database at `path` (checkpointed, schema 2) into what schema 1 wrote."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema_version"] = 1
    data["actions"] = {k: _downgrade(d) for k, d in data["actions"].items()}
    for meeting in data["meetings"].values():
        if "snapshot" in meeting:
            meeting["snapshot"]["actions"] = [_downgrade(a) for a in frozen_items(meeting["snapshot"])]
    data["events"] = {}  # a real schema-1 event log is tests/storage/schema1's
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_schema_1_database_opens_with_structured_history_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    store = Store.open(path)
    repo = Repository(store, who="王秘书")
    commands.close_action(repo, "A2", "计划已报送")
    store.checkpoint()
    store.close()
    expected_minutes = {
        m: minutes_markdown(Repository(Store.open(path)), m, "zh") for m in ("2024-09-30", "2024-10-31")
    }
    _write_schema_1(path)
    assert '"change": "status open -> done"' in path.read_text(encoding="utf-8")

    migrated = Repository(Store.open(path))
    backups = list(tmp_path.glob("review.json.bak-v1-*"))
    assert (
        len(backups) == 1
        and json.loads(backups[0].read_text(encoding="utf-8"))["meta"]["1"]["schema_version"] == 1
    )
    assert migrated.meta["schema_version"] == migrations.SCHEMA_VERSION
    closed = migrated.action("A2").history[-1]
    assert (closed.kind, closed.before, closed.after, closed.evidence) == (
        ChangeKind.STATUS,
        ActionStatus.OPEN,
        ActionStatus.DONE,
        "计划已报送",
    )
    assert migrated.action("A2").history[0].kind is ChangeKind.RAISED
    for meeting, text in expected_minutes.items():
        assert minutes_markdown(migrated, meeting, "zh") == text
    on_disk = path.read_text(encoding="utf-8")
    assert not re.search(r'"change":', on_disk), "the file itself is rewritten in schema 2"


def test_a_sentence_no_writer_made_is_kept_as_evidence() -> None:
    tables = {
        "actions": {
            "1": {"id": "A1", "history": [{"at": "2024-10-01", "meeting_id": "m", "change": "merged"}]}
        },
        "meetings": {},
    }
    entry = migrations.structured_history(tables)["actions"]["1"]["history"][0]
    assert entry == {"at": "2024-10-01", "meeting_id": "m", "kind": "edited", "evidence": "merged"}


SCHEMA_1 = Path(__file__).parent / "schema1"
"""A database written by the zzreview of schema 1: the demo, one change folded into the file
(A2 closed) and four left in the journal (an item added, a value, A9 in progress, 2024-10-31
closed), as a killed or unfolded session leaves them."""


def test_a_real_schema_1_database_with_a_journal_migrates_everywhere(tmp_path: Path) -> None:
    for name in ("review.json", "review.json.journal"):
        (tmp_path / name).write_bytes((SCHEMA_1 / name).read_bytes())
    path = tmp_path / "review.json"
    store = Store.open(path)
    repo = Repository(store)
    backups = sorted(p.name for p in tmp_path.glob("review.json.bak-v1-*"))
    assert len(backups) == 2 and backups[1] == backups[0] + ".journal", backups  # the file and its journal
    assert check_database(repo) == []
    assert repo.action("A9").status is ActionStatus.IN_PROGRESS
    assert repo.action("A9").history[-1].kind is ChangeKind.STATUS
    assert repo.action("A2").history[-1].after is ActionStatus.DONE
    closed = minutes_markdown(repo, "2024-10-31", "zh")
    assert "会上交办事项" in closed and "纪要稿" not in closed
    store.close()
    on_disk = path.read_text(encoding="utf-8")
    assert '"change":' not in on_disk, "history is in fields everywhere: items, snapshots, the event log"
    assert '"current_area"' not in on_disk
    assert json.loads(on_disk)["meta"]["1"]["schema_version"] == migrations.SCHEMA_VERSION
    assert Path(f"{path}.journal").stat().st_size == 0
