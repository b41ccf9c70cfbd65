"""Backups rotate without ever losing a good one to a bad one; a file of every past schema opens
and migrates; a kill during migration leaves the old file or the new one, never neither."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest
from storage_support import start_child

from zzreview.domain import ActionStatus, ChangeKind
from zzreview.meeting import commands
from zzreview.meeting.session import check_database, create_database
from zzreview.storage import migrations
from zzreview.storage.hints import BACKUPS_KEPT
from zzreview.storage.repository import Repository
from zzreview.storage.store import Store

HERE = Path(__file__).parent


def _backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("review.json.bak-*") if not p.name.endswith(".journal"))


def test_backups_rotate_and_a_corrupt_file_never_pushes_out_a_good_one(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    for _ in range(BACKUPS_KEPT + 3):
        create_database(path, demo=True, force=True)
    assert len(_backups(tmp_path)) == BACKUPS_KEPT
    good = set(_backups(tmp_path))
    path.write_text('{"meta": {"1": {"schema_version": 3', encoding="utf-8")  # cut short
    create_database(path, demo=True, force=True)
    after = set(_backups(tmp_path))
    assert good < after and len(after) == BACKUPS_KEPT + 1, "the corrupt copy is kept; no good one went"


def _copy_fixture(schema: int, folder: Path) -> Path:
    for name in ("review.json", "review.json.journal"):
        (folder / name).write_bytes((HERE / f"schema{schema}" / name).read_bytes())
    return folder / "review.json"


@pytest.mark.parametrize("schema", [1, 2])
def test_a_file_of_every_past_schema_opens_and_migrates(schema: int, tmp_path: Path) -> None:
    assert set(range(1, migrations.SCHEMA_VERSION)) == {1, 2}, "add a fixture for the new past schema"
    path = _copy_fixture(schema, tmp_path)
    repo = Repository(Store.open(path), seat="cli")
    assert repo.meta["schema_version"] == migrations.SCHEMA_VERSION
    assert check_database(repo) == []
    assert repo.action("A9").status is ActionStatus.IN_PROGRESS
    assert repo.action("A9").history[-1].kind is ChangeKind.STATUS
    assert repo.action("A2").status is ActionStatus.DONE
    assert len(_backups(tmp_path)) == 1
    for event in repo.events():
        assert all("op" in change for change in event.changes), event.kind
    repo.store.close()


def test_undo_works_on_a_change_made_before_the_migration(tmp_path: Path) -> None:
    path = _copy_fixture(2, tmp_path)
    repo = Repository(Store.open(path), who="王秘书", seat="secretary")
    undone = commands.undo(repo).value
    assert undone.kind == "meeting.decision"
    assert repo.meeting("2024-10-31").decisions == ()
    commands.undo(repo)
    assert repo.action("A9").status is ActionStatus.OPEN


MIGRATE = """
import sys
from zzreview.storage.store import Store
Store.open(sys.argv[1]).close()
print("done", flush=True)
"""


@pytest.mark.slow
def test_a_kill_during_migration_leaves_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    rng = random.Random(8)
    old = (HERE / "schema1" / "review.json").read_bytes()
    for run in range(8):
        folder = tmp_path / str(run)
        folder.mkdir()
        path = _copy_fixture(1, folder)
        child = start_child(MIGRATE, str(path))
        time.sleep(rng.uniform(0.0, 0.25))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        data = path.read_bytes()
        schema = json.loads(data)["meta"]["1"]["schema_version"]
        assert data == old or schema == migrations.SCHEMA_VERSION, f"run {run}: schema {schema}"
        repo = Repository(Store.open(path))  # opens either way, migrating what is left to do
        assert repo.action("A9").status is ActionStatus.IN_PROGRESS
        assert check_database(repo) == []
        repo.store.close()
