"""Headless `zzreview status` time against the floor of importing its storage and CLI libraries.

Runs, in the same session and interleaved so machine noise hits both alike:

- the floor: `python -c "import tinydb, click"` (what any TinyDB + click tool pays to start);
- `zzreview --db DEMO status` (and `--format json`) on the demo database;
- the same on a scale database (1,000 indicators × 60 points, 10,000 actions, 200 meetings)
  when `--scale` is given.

Prints median and p90 wall times and the ratio to the floor. Goal: demo status ≤ 2× floor.

    python bench/bench_status.py [--runs 15] [--scale]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ZZREVIEW, prepare_interpreter, timed


def main() -> None:
    prepare_interpreter()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scale", action="store_true", help="also time a generated scale database")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.json"
        subprocess.run(
            [*ZZREVIEW, "--db", str(demo), "init", "--demo"], check=True, stdout=subprocess.DEVNULL
        )
        cases = {
            "floor: import tinydb, click": [python, "-c", "import tinydb, click"],
            "status (demo)": [*ZZREVIEW, "--db", str(demo), "status", "--as-of", "2024-10-31"],
            "status --format json (demo)": [*ZZREVIEW, "--db", str(demo), "status", "--format", "json"],
        }
        if args.scale:
            scale = Path(folder) / "scale.json"
            subprocess.run(
                [python, str(Path(__file__).with_name("make_scale_db.py")), str(scale)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            cases["status (scale)"] = [*ZZREVIEW, "--db", str(scale), "status", "--format", "json"]
        for command in cases.values():
            timed(command)  # warm the file cache
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, command in cases.items():
                samples[name].append(timed(command))
    floor = statistics.median(samples["floor: import tinydb, click"])
    print(f"{'case':34} {'median ms':>10} {'p90 ms':>8} {'× floor':>8}")
    for name, values in samples.items():
        values.sort()
        median = statistics.median(values)
        p90 = values[int(0.9 * (len(values) - 1))]
        print(f"{name:34} {median * 1000:10.1f} {p90 * 1000:8.1f} {median / floor:8.2f}")
    print(f"goal: status (demo) ≤ 2.00 × floor; runs per case: {args.runs}")


if __name__ == "__main__":
    main()
