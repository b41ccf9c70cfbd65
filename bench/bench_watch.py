"""What watching the database for other processes' changes costs, and how soon it notices.

An open seat calls ``Store.changed_on_disk()`` every 100 ms on its UI thread (two stats, no
lock, no read) and, when it says so, ``Store.catch_up()`` in a worker. In one run on one
machine this measures:

- the check: ``changed_on_disk()`` over 100,000 calls, median and p99 in µs, against a bare
  ``os.stat`` of the file and a stat of the file and the journal, in the same loop;
- detection delay: another process saves (a journal append) or, every fourth time, folds the
  journal into the file (the file replaced) at random moments while this one polls every
  100 ms; from the save (or fold) done in that process to the poll that notices it, median and
  max, against the same run with a bare stat of the two files as the check (the floor: the
  poll's cadence itself); and from the save to its event in this store's memory (catch_up
  done, in a worker as the app does it). A poll may notice a line during the save's fsync,
  before the save returns: such a delay is negative;
- idle CPU of a seat polling every 100 ms with nothing changing, against the same loop without
  the check;
- catch_up's own cost on the demo database (``--scale``: the scale database too): after an
  append, and after another process's checkpoint, split into reading the file again and
  telling what happened (the comparison with what the events explain);
- ``ConflictWatch``: a poll that is not due, and a listing of a folder of 10, 1,000 and 10,000
  other files.

Run it from the repository root (the installed zzreview is timed, see bench/common.py)::

    python bench/bench_watch.py [--saves 60] [--calls 100000] [--scale]

Everything happens in a temporary directory that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import common  # the installed zzreview, or one line saying it is missing

from zzreview.storage.durable import stat_key
from zzreview.storage.store import Change, Store, Writes
from zzreview.storage.watch import ConflictWatch

POLL_SECONDS = 0.1  # what the app uses (zzreview.ui.live.WATCH_SECONDS)

SAVER = """
    import sys, time
    from zzreview.storage.store import Change, Store, Writes

    store = Store.open(sys.argv[1])
    print("ready", flush=True)
    for n, line in enumerate(sys.stdin):
        start, seq = time.monotonic_ns(), 0
        if line.strip() == "fold":
            store.checkpoint()
        else:
            doc = {"text": f"第{n}项：推进重点项目建设，按时限销号", "owner": "张三"}
            seq = store.transact(
                lambda view: Writes([Change("actions", view.next_id("actions"), doc)]),
                who="王秘书", seat="secretary", kind="action.add", summary=f"save {n}",
            ).event.seq
        print(start, time.monotonic_ns(), seq, flush=True)
"""
"""For each line read, saves one action item (a journal append), or for "fold" folds the
journal into the file (the file replaced); prints the monotonic times (system-wide on Linux)
at which it started and was done, and the seq saved (0 for a fold)."""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def per_call_ns(action: Callable[[], object], calls: int) -> list[int]:
    clock = time.perf_counter_ns
    durations = []
    for _ in range(calls):
        start = clock()
        action()
        durations.append(clock() - start)
    return durations


def demo_database(path: Path) -> None:
    from zzreview.meeting.session import create_database

    create_database(path, demo=True)


def scale_database(path: Path) -> None:
    from make_scale_db import scale_db

    scale_db(1, path.parent, name=path.name)


def save_one(store: Store, n: int) -> None:
    doc = {"text": f"第{n}项", "owner": "李四"}
    store.transact(
        lambda view: Writes([Change("actions", view.next_id("actions"), doc)]),
        who="李主任",
        seat="chair",
        kind="action.add",
        summary=f"{n}",
    )


# -- the check ---------------------------------------------------------------------------------


def bench_check(path: Path, calls: int) -> None:
    store = Store.open(path)
    save_one(store, 0)  # a journal beside the file, as in a meeting
    journal = Path(f"{path}.journal")
    assert not store.changed_on_disk()
    cases = {
        "bare os.stat(file)": lambda: os.stat(path),
        "os.stat(file) + os.stat(journal)": lambda: (os.stat(path), os.stat(journal)),
        "changed_on_disk()": store.changed_on_disk,
    }
    print(f"The check, {calls:,} calls each (µs a call)")
    for name, action in cases.items():
        per_call_ns(action, calls // 10)  # warm up
        durations = per_call_ns(action, calls)
        print(
            f"  {name:<34} median {statistics.median(durations) / 1000:6.2f}   "
            f"p99 {percentile(durations, 0.99) / 1000:6.2f}   max {max(durations) / 1000:8.1f}"
        )
    store.close()


# -- detection delay ---------------------------------------------------------------------------


class Saver:
    """Another process saving on demand."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-c", textwrap.dedent(SAVER), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stdin is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("the saving process did not start")

    def save(self, fold: bool) -> tuple[int, int, int]:
        """Have it save (or fold): when it started and was done (monotonic ns), and its seq."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("fold\n" if fold else "save\n")
        self.proc.stdin.flush()
        start, acked, seq = map(int, self.proc.stdout.readline().split())
        return start, acked, seq

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def detection_run(path: Path, saves: int, use_store: bool, seed: int) -> dict[str, list[float]]:
    """Poll every 100 ms while another process saves at random moments; delays in ms."""
    store = Store.open(path)
    journal = Path(f"{path}.journal")

    def bare_key() -> tuple:
        keys = []
        for file in (path, journal):
            try:
                keys.append(stat_key(os.stat(file)))
            except FileNotFoundError:
                keys.append(None)
        return tuple(keys)

    seen_key = bare_key()
    saver = Saver(path)
    rng = random.Random(seed)
    saves_made: list[tuple[int, int, int, bool]] = []
    noticed: list[int] = []
    in_memory: list[tuple[int, int]] = []  # (when a catch_up ended, the last seq it had)
    done = threading.Event()
    catching_up = threading.Lock()

    def drive() -> None:
        for n in range(saves):
            time.sleep(rng.uniform(0.15, 0.45))  # a random moment against the poll's phase
            fold = n % 4 == 3
            saves_made.append((*saver.save(fold), fold))
        time.sleep(0.3)  # let the last one be noticed
        done.set()

    def catch_up() -> None:
        with catching_up:
            store.catch_up()
            in_memory.append((time.monotonic_ns(), store.last_seq))

    driver = threading.Thread(target=drive)
    driver.start()
    tick = time.monotonic()
    while not done.is_set():
        tick += POLL_SECONDS
        time.sleep(max(0.0, tick - time.monotonic()))
        if use_store:
            if not catching_up.locked() and store.changed_on_disk():
                noticed.append(time.monotonic_ns())
                threading.Thread(target=catch_up).start()
        else:
            key = bare_key()
            if key != seen_key:
                seen_key = key
                noticed.append(time.monotonic_ns())
    driver.join()
    saver.close()
    with catching_up:
        store.close()
    # From the save acknowledged: the first poll after it started that noticed (a poll can
    # notice the line during the save's fsync, before it returns), and the event in memory.
    delays: dict[str, list[float]] = {"append": [], "replace": [], "in memory": []}
    for started, acked, seq, fold in saves_made:
        after = [moment for moment in noticed if moment >= started]
        if after:
            delays["replace" if fold else "append"].append((after[0] - acked) / 1e6)
        ready = [moment for moment, last in in_memory if last >= seq]
        if seq and ready:
            delays["in memory"].append((ready[0] - acked) / 1e6)
    if not use_store:
        del delays["in memory"]
    missed = len(saves_made) - len(delays["append"]) - len(delays["replace"])
    if missed:
        print(f"  ({missed} saves never noticed)")
    return delays


def bench_detection(path: Path, saves: int) -> None:
    print(
        f"\nDetection delay, another process writing {saves} times, a poll every {POLL_SECONDS * 1000:.0f} ms (ms)"
    )
    for name, use_store in (("floor: bare stat of the 2 files", False), ("changed_on_disk()", True)):
        delays = detection_run(path, saves, use_store, seed=7)
        for kind, values in delays.items():
            if values:
                print(
                    f"  {name:<32} {kind:<10} n={len(values):<3} median {statistics.median(values):6.1f}"
                    f"   max {max(values):6.1f}"
                )


# -- idle CPU ----------------------------------------------------------------------------------


def bench_idle(path: Path, seconds: float) -> None:
    store = Store.open(path)
    print(f"\nIdle CPU, polling every {POLL_SECONDS * 1000:.0f} ms for {seconds:g} s")
    for name, check in (("the loop alone", lambda: False), ("changed_on_disk()", store.changed_on_disk)):
        cpu, wall = time.process_time(), time.monotonic()
        tick = wall
        while time.monotonic() - wall < seconds:
            tick += POLL_SECONDS
            time.sleep(max(0.0, tick - time.monotonic()))
            assert not check()
        share = (time.process_time() - cpu) / (time.monotonic() - wall) * 100
        print(f"  {name:<34} {share:.3f} % of a core")
    store.close()


# -- catch_up's own cost -----------------------------------------------------------------------


def bench_catch_up(path: Path, label: str, repeat: int = 10) -> None:
    """catch_up after another store's append, and after its checkpoint against refresh alone
    (which reads the file again as catch_up does, without telling what happened)."""
    seat = Store.open(path)
    other = Store.open(path)
    appended: list[float] = []
    timings: dict[str, list[float]] = {"refresh": [], "catch_up": []}
    for n in range(repeat):
        save_one(other, n)
        start = time.perf_counter()
        seat.catch_up()
        appended.append((time.perf_counter() - start) * 1000)
        for name in ("refresh", "catch_up"):
            save_one(other, n)
            other.checkpoint()
            start = time.perf_counter()
            if name == "refresh":
                seat.refresh()
            else:
                outside = seat.catch_up()
                assert outside.kind == "writes", outside.message
            timings[name].append((time.perf_counter() - start) * 1000)
            seat.catch_up()  # nothing left to tell
    size = path.stat().st_size / 1e6
    print(f"  {label} ({size:.1f} MB), ms, median of {repeat}")
    print(f"    after an append: catch_up                       {statistics.median(appended):8.2f}")
    print(f"    after a checkpoint: refresh (no telling)        {statistics.median(timings['refresh']):8.2f}")
    print(
        f"    after a checkpoint: catch_up (telling)          {statistics.median(timings['catch_up']):8.2f}"
    )
    seat.close()
    other.close()


# -- conflict copies ---------------------------------------------------------------------------


def bench_conflicts(folder: Path) -> None:
    print("\nConflictWatch (µs)")
    for others in (10, 1_000, 10_000):
        place = folder / f"folder-{others}"
        place.mkdir()
        path = place / "review.json"
        path.write_text("{}", encoding="utf-8")
        for n in range(others):
            (place / f"file-{n:05d}.txt").touch()
        watch = ConflictWatch(path)
        not_due = per_call_ns(watch.poll, 10_000)
        listing = per_call_ns(watch.check, 50 if others >= 10_000 else 200)
        print(
            f"  folder of {others:>6,} files: poll not due median {statistics.median(not_due) / 1000:5.2f};"
            f"  listing median {statistics.median(listing) / 1000:9.1f}   max {max(listing) / 1000:9.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=60, help="saves by the other process, per run")
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle polling")
    parser.add_argument("--scale", action="store_true", help="catch_up on the scale database too")
    args = parser.parse_args()
    common.prepare_interpreter()
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as temp:
        folder = Path(temp)
        demo = folder / "demo.json"
        demo_database(demo)
        print(f"{sys.platform}, Python {sys.version.split()[0]}, {folder}")
        bench_check(demo, args.calls)
        bench_detection(demo, args.saves)
        bench_idle(demo, args.idle)
        print("\ncatch_up's own cost (off the UI thread)")
        bench_catch_up(demo, "demo")
        if args.scale:
            scale = folder / "scale.json"
            scale_database(scale)
            bench_catch_up(scale, "scale")
        bench_conflicts(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
