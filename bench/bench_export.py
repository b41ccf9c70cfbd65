"""`zzreview export` time against headless `zzreview status` on the same database, same run.

Runs interleaved so machine noise hits every case alike:

- `status --as-of 2024-10-31` and `export 2024-10-31` (the planned demo meeting: live figures,
  the 回头看 of eight items, eleven charts) and `export 2024-09-30` (the closed one, from its
  snapshot) on the demo database;
- with `--scale`, `status --format json` and `export` of the current meeting on the scale
  database of `make_scale_db.py` (1,000 indicators × 60 points, 10,000 actions, 200 meetings
  with their snapshots).

Prints median and p90 wall times and each export's ratio to `status` on the same database.
Goal: demo export ≤ 2× demo status. (bench/run.py times `export` against the import floor, for
issue 11's goals; this is the closer look: which minutes cost what, next to `status`.)

    python bench/bench_export.py [--runs 15] [--scale]
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import tempfile
from pathlib import Path

from common import ZZREVIEW, prepare_interpreter, timed
from make_scale_db import scale_db


def main() -> None:
    prepare_interpreter()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scale", action="store_true", help="also time a generated scale database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.json"
        subprocess.run(
            [*ZZREVIEW, "--db", str(demo), "init", "--demo"], check=True, stdout=subprocess.DEVNULL
        )
        cases = {
            "status (demo)": [*ZZREVIEW, "--db", str(demo), "status", "--as-of", "2024-10-31"],
            "export planned (demo)": [*ZZREVIEW, "--db", str(demo), "export", "2024-10-31"],
            "export closed (demo)": [*ZZREVIEW, "--db", str(demo), "export", "2024-09-30"],
            "export --actions-only (demo)": [*ZZREVIEW, "--db", str(demo), "export", "--actions-only"],
        }
        baselines = {name: "status (demo)" for name in cases if name.startswith("export")}
        if args.scale:
            scale = scale_db(1, Path(folder))
            cases["status --format json (scale)"] = [
                *ZZREVIEW,
                "--db",
                str(scale),
                "status",
                "--format",
                "json",
            ]
            cases["export current (scale)"] = [*ZZREVIEW, "--db", str(scale), "export"]
            baselines["export current (scale)"] = "status --format json (scale)"
        for command in cases.values():
            timed(command)  # warm the file cache
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, command in cases.items():
                samples[name].append(timed(command))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{'case':32} {'median ms':>10} {'p90 ms':>8} {'× status':>9}")
    for name, values in samples.items():
        values.sort()
        p90 = values[max(0, math.ceil(0.9 * len(values)) - 1)]  # nearest rank
        ratio = f"{medians[name] / medians[baselines[name]]:9.2f}" if name in baselines else f"{'':9}"
        print(f"{name:32} {medians[name] * 1000:10.1f} {p90 * 1000:8.1f} {ratio}")
    print(f"goal: export (demo) ≤ 2.00 × status (demo); runs per case: {args.runs}")


if __name__ == "__main__":
    main()
