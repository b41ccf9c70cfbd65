"""The SIGKILL torture at full strength: what the store acknowledged, it kept, whatever the kill.

A database of the shipped demo padded with 1,500 action items (~1 MB); processes writing
through the meeting layer — action items added and moved on, values, decisions, notes, a fold
of the journal into the file every 10 changes — each SIGKILLed at a random moment (after 1-25
acknowledged changes, plus 0-15 ms). After every kill the file must open with stock TinyDB and
with the store, and every change acknowledged so far must be there exactly once. It prints:

    runs, acknowledged changes, lost, stored twice, invalid files, the database's size, elapsed

The same torture runs in the suite at a small dose (`tests/storage/test_torture.py`); the
engine is shared (`tests/storage/storage_support.py: kill_torture`). Run it from the
repository root::

    python bench/bench_torture.py            # 200 runs
    python bench/bench_torture.py --runs 50

Everything happens in a temporary directory that is removed afterwards.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import common  # the installed zzreview, or one line saying it is missing

sys.path.insert(0, str(common.REPO / "tests" / "storage"))
from storage_support import kill_torture, padded_demo  # (only found with the path above)


def start_installed(script: str, *args: str) -> subprocess.Popen[bytes]:
    """`script` in a fresh interpreter using the installed zzreview (-P: not the working folder)."""
    return subprocess.Popen(
        [sys.executable, "-P", "-c", textwrap.dedent(script), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="processes killed (default 200)")
    parser.add_argument(
        "--padding", type=int, default=1500, help="action items added to the demo (default 1500)"
    )
    parser.add_argument("--seed", type=int, default=20241031, help="the random seed (default 20241031)")
    options = parser.parse_args()
    common.prepare_interpreter()

    with tempfile.TemporaryDirectory(prefix="zzreview-torture-") as folder:
        db = Path(folder) / "review.json"
        padded_demo(db, options.padding)
        size_at_start = db.stat().st_size
        lost: set[str] = set()
        twice: set[str] = set()
        invalid: list[str] = []
        acknowledged = 0
        started = time.perf_counter()
        for run in kill_torture(db, options.runs, seed=options.seed, start=start_installed):
            acknowledged = run.acknowledged
            lost.update(run.lost)
            twice.update(run.duplicated)
            if run.invalid_file:
                invalid.append(f"{run.where}: {run.invalid_file}")
        elapsed = time.perf_counter() - started
        size_at_end = db.stat().st_size

    print(f"runs:                  {options.runs} (seed {options.seed})")
    print(f"acknowledged changes:  {acknowledged}")
    print(f"lost:                  {len(lost)}")
    print(f"stored twice:          {len(twice)}")
    print(f"invalid files:         {len(invalid)}")
    print(
        f"database size:         {size_at_start / 1e6:.2f} MB at the start, {size_at_end / 1e6:.2f} MB at the end"
    )
    print(f"elapsed:               {elapsed:.1f} s ({elapsed / options.runs * 1000:.0f} ms a run)")
    for line in [*sorted(lost)[:10], *sorted(twice)[:10], *invalid[:10]]:
        print(f"  {line}")
    if lost or twice or invalid:
        sys.exit(1)


if __name__ == "__main__":
    main()
