"""Updates to one item: how much the database grows, and what a save costs after many.

On a fresh copy of the demo, one action item gets N status updates with a line of evidence
each (the way a long-running 督办 item is updated meeting after meeting), through the meeting
layer, one durable save each. It prints, for N = 1,000 by default:

- the bytes the file (checkpointed) and the event log grew by, in all and per update;
- the median and p95 of a save (``commands.set_action_status``) over the first 50 updates on
  the demo and over the last 50, and their ratio.

Goals (issue 8): 1,000 updates add at most 1 MB; a save after them — a whole `zzreview actions
add`, a process of its own, the journal folded on exit — costs what it costs on the demo, within
±50 %. The in-process saves of the one item are printed beside: they grow with its history
(each decodes and checks the item as it stands), and stay far below the 10 ms a key may wait.

Run it from the repository root::

    python bench/bench_growth.py [--updates 1000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import ZZREVIEW, prepare_interpreter

from zzreview.meeting import commands
from zzreview.meeting.session import create_database
from zzreview.storage.repository import Repository
from zzreview.storage.store import Store

WINDOW = 50
GOAL_BYTES = 1_000_000
GOAL_RATIO = 1.5


def _size(path: Path) -> int:
    journal = Path(f"{path}.journal")
    return path.stat().st_size + (journal.stat().st_size if journal.exists() else 0)


def _command_ms(path: Path, runs: int = 7) -> float:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [*ZZREVIEW, "--db", str(path), "actions", "add", f"测时事项{n}", "--owner", "张三"],
            check=True,
            capture_output=True,
        )
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1_000, help="updates to the one item (default 1,000)")
    args = parser.parse_args()
    prepare_interpreter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.json"
        create_database(path, demo=True)
        demo_command = _command_ms(path)
        store = Store.open(path)
        repo = Repository(store, who="王秘书", seat="secretary")
        store.checkpoint()
        start_size = _size(path)
        times = []
        for n in range(args.updates):
            status = "in_progress" if n % 2 == 0 else "open"
            began = time.perf_counter()
            commands.set_action_status(repo, "A1", status, evidence=f"第{n + 1}次调度：按周调度，进展见台账")
            times.append((time.perf_counter() - began) * 1000)
        store.checkpoint()
        grown = _size(path) - start_size
        events = len(store.events())
        store.close()
        grown_command = _command_ms(path)
        first, last = times[:WINDOW], times[-WINDOW:]
        ratio = statistics.median(last) / statistics.median(first)
        print(f"{args.updates:,} updates to one item; the database file, checkpointed:")
        print(f"  grew by   {grown:>12,} bytes ({grown / args.updates:,.0f} per update), {events:,} events")
        print(f"  save, first {WINDOW}: median {statistics.median(first):6.2f} ms  p95 {_p95(first):6.2f} ms")
        print(f"  save, last  {WINDOW}: median {statistics.median(last):6.2f} ms  p95 {_p95(last):6.2f} ms")
        print(f"  ratio last/first: {ratio:.2f}")
        print(
            f"  `zzreview actions add`: {demo_command:.0f} ms on the demo, {grown_command:.0f} ms after "
            f"({grown_command / demo_command:.2f}×)"
        )
        scaled = GOAL_BYTES * args.updates / 1_000
        command_ratio = grown_command / demo_command
        print(
            f"goal: ≤ {scaled:,.0f} bytes: {'met' if grown <= scaled else 'MISSED'}; "
            f"a save (`actions add`) within ±50 % of the demo's: "
            f"{'met' if abs(command_ratio - 1) <= GOAL_RATIO - 1 else 'MISSED'} ({command_ratio:.2f}×)"
        )
    return 0


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


if __name__ == "__main__":
    raise SystemExit(main())
