"""The file grows with the edits, not with the items' size: an event records what changed."""

from __future__ import annotations

from pathlib import Path

from zzreview.meeting import commands
from zzreview.meeting.session import create_database
from zzreview.storage.repository import Repository
from zzreview.storage.store import Store

UPDATES = 300
BYTES_PER_UPDATE = 1_000
"""The issue's goal is 1,000 updates in ≤ 1 MB: the history entry, the event and its diff."""


def _size(path: Path) -> int:
    journal = Path(f"{path}.journal")
    return path.stat().st_size + (journal.stat().st_size if journal.exists() else 0)


def test_updates_to_one_item_grow_the_file_linearly(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    store = Store.open(path)
    repo = Repository(store, who="王秘书", seat="secretary")
    store.checkpoint()
    start = _size(path)
    sizes = []
    for n in range(UPDATES):
        status = "in_progress" if n % 2 == 0 else "open"
        commands.set_action_status(repo, "A1", status, evidence=f"第{n}次调度：进展说明")
        if n + 1 in (UPDATES // 3, UPDATES):
            store.checkpoint()
            sizes.append(_size(path) - start)
    store.close()
    first, last = sizes
    assert last <= UPDATES * BYTES_PER_UPDATE, f"{last:,} bytes for {UPDATES} updates"
    # Linear: the last two thirds cost about twice the first third, not eight times.
    assert last <= 3.6 * first, (first, last)
    assert len(Repository(Store.open(path)).action("A1").history) >= UPDATES
