"""Real processes: killed at any instant, or writing at once, the store loses nothing.

These are slow (marker `slow`). A plain run gives them a small dose: the first 20 of the 60
seeded kill runs, two writers of 100 saves each. The full dose, before a storage change lands:

    ZZREVIEW_TORTURE=full python -m pytest -m slow
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from storage_support import LineReader, start_child, stderr_of, torture_dose
from tinydb import TinyDB

from zzreview.storage.store import Store

# Saves one action item after another and prints each id once it is acknowledged.
SAVE_UNTIL_KILLED = """
    import sys
    from zzreview.storage.store import Change, Store, Writes

    path, run = sys.argv[1], sys.argv[2]
    store = Store.open(path)
    n = 0
    while True:
        n += 1
        tag = f"{run}-{n}"
        doc = {"tag": tag, "text": f"第{n}项：推进重点项目建设，按时限销号", "owner": "张三"}
        event = store.transact(
            lambda view: Writes([Change("actions", view.next_id("actions"), doc)]),
            who="secretary", seat="secretary", kind="action.add", summary=tag,
        ).event
        print(event.changes[0]["doc_id"], tag, flush=True)
        if n % 20 == 0:
            store.checkpoint()
"""


class Dose(NamedTuple):
    """How hard the processes are pushed."""

    kill_runs: int
    """Children killed at a random instant, one after another, on one database."""

    saves_per_writer: int
    """Action items each of the two concurrent writers saves."""


DOSES = {"small": Dose(kill_runs=20, saves_per_writer=100), "full": Dose(kill_runs=60, saves_per_writer=200)}
DOSE = torture_dose(DOSES)
SEED = 20241031

pytestmark = pytest.mark.slow


def test_killed_at_any_instant_nothing_acknowledged_is_lost(db_path: Path) -> None:
    Store.create(db_path, {}).close()
    rng = random.Random(SEED)
    acknowledged: dict[str, str] = {}
    for run in range(DOSE.kill_runs):
        acks_before_kill = rng.randint(1, 45)
        extra_delay = rng.uniform(0, 0.01)
        child = start_child(SAVE_UNTIL_KILLED, str(db_path), str(run))
        reader = LineReader(child)
        lines = []
        for _ in range(acks_before_kill):
            line = reader.readline()
            assert line is not None, f"run {run}: the child died on its own: {stderr_of(child)}"
            lines.append(line)
        time.sleep(extra_delay)  # a random instant, not a synchronisation
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        lines += reader.rest()  # everything it printed before dying was acknowledged too
        for line in lines:
            doc_id, tag = line.split()
            acknowledged[doc_id] = tag

        where = f"run {run} (seed {SEED}, {acks_before_kill} acks, +{extra_delay * 1000:.1f} ms)"
        store = Store.open(db_path)
        stored = {doc_id: doc["tag"] for doc_id, doc in store.table("actions").items()}
        store.close()
        missing = {doc_id: tag for doc_id, tag in acknowledged.items() if stored.get(doc_id) != tag}
        assert not missing, f"{where}: acknowledged but lost: {missing}"
        # The TinyDB file itself stays valid JSON that stock TinyDB reads.
        json.loads(db_path.read_text(encoding="utf-8"))
    assert len(acknowledged) >= DOSE.kill_runs
    # The next checkpoint clears what killed checkpoints left behind; stock TinyDB reads it.
    Store.open(db_path).checkpoint()
    assert not [name for name in os.listdir(db_path.parent) if name.endswith(".tmp")]
    with TinyDB(db_path, access_mode="r") as db:
        stored = {str(doc.doc_id): doc["tag"] for doc in db.table("actions").all()}
    assert all(stored[doc_id] == tag for doc_id, tag in acknowledged.items())


# Waits for "go", saves COUNT action items as fast as it can, checkpointing now and then.
SAVE_MANY = """
    import sys
    from zzreview.storage.store import Change, Store, Writes

    path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store.open(path)
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(count):
        doc = {"tag": f"{name}-{n}", "text": "并发写入"}
        event = store.transact(
            lambda view: Writes([Change("actions", view.next_id("actions"), doc)]),
            who=name, seat=name, kind="action.add", summary=doc["tag"],
        ).event
        print(event.changes[0]["doc_id"], doc["tag"], flush=True)
        if n % 50 == 49:
            store.checkpoint()
"""


def test_two_processes_writing_at_once_lose_nothing(db_path: Path) -> None:
    Store.create(db_path, {}).close()
    saves = DOSE.saves_per_writer
    children = [start_child(SAVE_MANY, str(db_path), name, str(saves)) for name in ("chair", "secretary")]
    readers = [LineReader(child) for child in children]
    for child, reader in zip(children, readers, strict=True):
        assert reader.readline() == "ready", stderr_of(child)
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"go\n")
        child.stdin.flush()
    acknowledged: dict[str, str] = {}
    for child, reader in zip(children, readers, strict=True):
        lines = reader.rest()
        assert child.wait(timeout=30) == 0, stderr_of(child)
        assert len(lines) == saves
        for line in lines:
            doc_id, tag = line.split()
            assert doc_id not in acknowledged, f"id {doc_id} handed out twice"
            acknowledged[doc_id] = tag

    store = Store.open(db_path)
    stored = {doc_id: doc["tag"] for doc_id, doc in store.table("actions").items()}

    assert stored == acknowledged
    assert sorted(map(int, stored)) == list(range(1, 2 * saves + 1))
    assert [e.seq for e in store.events()] == list(range(1, 2 * saves + 1))
    assert {e.who for e in store.events()} == {"chair", "secretary"}
