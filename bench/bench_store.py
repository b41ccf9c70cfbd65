"""How long a durable save takes, against stock TinyDB, as the database grows.

For N = 10, 1,000 and 10,000 existing action items (~300-byte documents with Chinese text)
this measures, in one run on one machine:

- store save: one ``Store.transact`` inserting one action item — fsync'd to the journal and
  acknowledged, which is what the app waits for before a form closes;
- TinyDB insert: ``TinyDB(path).table("actions").insert(doc)`` on a file holding the same
  documents (stock TinyDB parses and rewrites the whole file on every insert, and fsyncs it);

each over 50 saves after a short warm-up, as median and 95th percentile, with the ratio of the
medians. It also times, at 10,000 items, a checkpoint (folding the journal into the TinyDB
file) and an open (load plus journal replay). The goal is a durable save of at most 10 ms
median at 10,000 items.

Run it from the repository root::

    python bench/bench_store.py

Everything happens in a temporary directory that is removed afterwards.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import common  # noqa: F401  (the installed zzreview, or one line saying it is missing)
from tinydb import TinyDB

from zzreview.storage.store import Change, Store, StoreView, Writes

SIZES = (10, 1_000, 10_000)
SAVES = 50
WARM_UP = 5
GOAL_MS = 10.0


def action_doc(n: int) -> dict:
    """An action item as the app stores it: about 300 bytes of JSON, mostly Chinese."""
    return {
        "id": f"A{n:05d}",
        "text": "督促推进航空港区重点项目建设，确保按序时进度完成",
        "owner": "张三",
        "lead_unit": "市发展改革委",
        "supporting_units": ["市财政局", "市自然资源和规划局"],
        "due": "2024-12-31",
        "measure_id": "4.2",
        "area_number": 4,
        "status": "open",
    }


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Run `action` `repeat` times; the durations in milliseconds."""
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def bench_store(folder: Path, size: int) -> tuple[list[float], Store, Path]:
    path = folder / f"store-{size}.json"
    docs = {str(n): action_doc(n) for n in range(1, size + 1)}
    store = Store.create(path, {"actions": docs})
    counter = iter(range(size + 1, size + 1 + WARM_UP + SAVES + 100))

    def save() -> None:
        doc = action_doc(next(counter))

        def mutate(view: StoreView) -> Writes[None]:
            return Writes([Change("actions", view.next_id("actions"), doc)])

        store.transact(mutate, who="秘书", seat="secretary", kind="action.add", summary="bench")

    timed(save, WARM_UP)
    return timed(save, SAVES), store, path


def bench_tinydb(folder: Path, size: int) -> list[float]:
    path = folder / f"tinydb-{size}.json"
    docs = {str(n): action_doc(n) for n in range(1, size + 1)}
    path.write_text(json.dumps({"actions": docs}), encoding="utf-8")
    counter = iter(range(size + 1, size + 1 + WARM_UP + SAVES))
    with TinyDB(path) as db:
        actions = db.table("actions")
        timed(lambda: actions.insert(action_doc(next(counter))), WARM_UP)
        return timed(lambda: actions.insert(action_doc(next(counter))), SAVES)


def main() -> int:
    doc_bytes = len(json.dumps(action_doc(1), ensure_ascii=False).encode("utf-8"))
    print(f"durable save vs stock TinyDB insert: {SAVES} saves each, items of {doc_bytes} bytes")
    print()
    columns = [("items", 7), ("store median", 12), ("store p95", 9)]
    columns += [("tinydb median", 13), ("tinydb p95", 10), ("ratio", 6)]
    header = "  ".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    results = {}
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        for size in SIZES:
            store_times, store, path = bench_store(folder, size)
            tinydb_times = bench_tinydb(folder, size)
            results[size] = (store, path, store_times)
            store_median, tinydb_median = (
                statistics.median(store_times),
                statistics.median(tinydb_times),
            )
            print(
                f"{size:>7,}  {store_median:>9.2f} ms  {p95(store_times):>6.2f} ms  "
                f"{tinydb_median:>10.2f} ms  {p95(tinydb_times):>7.2f} ms  "
                f"{store_median / tinydb_median:>6.3f}"
            )

        store, path, store_times = results[SIZES[-1]]
        checkpoints = []
        for _ in range(5):
            store.transact(
                lambda view: Writes([Change("actions", view.next_id("actions"), action_doc(0))]),
                who="秘书",
                seat="secretary",
                kind="action.add",
                summary="bench",
            )
            checkpoints.extend(timed(store.checkpoint, 1))
        opens = timed(lambda: Store.open(path).close(), 5)
        size_mb = path.stat().st_size / 1e6
        print()
        print(f"at {SIZES[-1]:,} items ({size_mb:.1f} MB file):")
        print(f"  checkpoint  median {statistics.median(checkpoints):.1f} ms over {len(checkpoints)}")
        print(f"  open        median {statistics.median(opens):.1f} ms over {len(opens)}")
        median = statistics.median(store_times)
        verdict = "met" if median <= GOAL_MS else "NOT met"
        print(f"  goal: durable save <= {GOAL_MS:g} ms median: {median:.2f} ms, {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
