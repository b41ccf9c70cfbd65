"""A durable save through the meeting layer at 10,000 action items, against an fsync'd append.

On a copy of the scale database (bench/make_scale_db.py: 10,000 action items, 1,000
indicators × 60 values, 200 meetings), its current meeting started, this process records
action items one after the other with `zzreview.meeting.commands.add_action` — what a form's
save or `zzreview actions add` runs: the lock, the journal line fsync'd, the acknowledgement —
and times each. Interleaved with each save, the floor: `os.write` + `os.fsync` of a line of
the same size (~200 bytes) appended to a file in the same folder. Nothing else runs in this
process (no app, no emulator), so its heap is the meeting layer's own.

Prints the median, p90, p99 and max of both. Goal (issue 11): ≤ 3 ms median, p99 ≤ 15 ms.

    python bench/bench_saves.py [--saves 1000] [--dir D] [--json]

`--json` prints the samples (ms) as one JSON object instead: bench/run.py runs it that way.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import prepare_interpreter
from make_scale_db import scale_db

from zzreview.meeting import commands
from zzreview.storage.repository import Repository
from zzreview.storage.store import Store

WHO, SEAT = "王秘书", "secretary"
AREA = 4
GOAL_MEDIAN_MS, GOAL_P99_MS = 3.0, 15.0
WARM_UP = 5


def open_repo(path: Path) -> Repository:
    return Repository(Store.open(path), who=WHO, seat=SEAT)


def add_one(repo: Repository, meeting_id: str, n: int) -> commands.Recorded:
    """One action item recorded as a form's save records it (`commands.add_action`)."""
    return commands.add_action(
        repo, f"测时交办事项 第{n}项：督促推进", "张三", due="+2w", area=AREA, meeting_id=meeting_id
    )


def timed_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


class FsyncFloor:
    """Appends `line` to a file and fsyncs it: the least a durable save can cost here."""

    def __init__(self, folder: Path, line: bytes) -> None:
        self.line = line
        self.fd = os.open(folder / "floor.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def __call__(self) -> None:
        os.write(self.fd, self.line)
        os.fsync(self.fd)

    def close(self) -> None:
        os.close(self.fd)


def durable_saves(path: Path, saves: int) -> dict[str, list[float]]:
    """`saves` items recorded on the database at `path` (its current meeting started first),
    each interleaved with the floor; their times in ms, and the journal line's size."""
    repo = open_repo(path)
    meeting = repo.current_meeting()
    assert meeting is not None, f"{path} has no current meeting"
    commands.start_meeting(repo, meeting.id)
    for n in range(WARM_UP):  # the first saves read the file in and open the journal
        add_one(repo, meeting.id, -n)
    line = Path(f"{path}.journal").read_bytes().splitlines()[-1] + b"\n"
    floor = FsyncFloor(path.parent, line)
    figures: dict[str, list[float]] = {"save": [], "floor": []}
    try:
        for n in range(saves):
            figures["floor"].append(timed_ms(floor))
            figures["save"].append(timed_ms(lambda n=n: add_one(repo, meeting.id, n)))
    finally:
        floor.close()
        repo.store.close()
    figures["line_bytes"] = [float(len(line))]
    return figures


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--dir", type=Path, help="folder for the database (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print the samples as JSON")
    args = parser.parse_args()
    prepare_interpreter()
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        db = scale_db(1, Path(name))
        figures = durable_saves(db, args.saves)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{args.saves} saves at 10,000 action items; journal line {figures['line_bytes'][0]:.0f} bytes")
    print(f"{'':34} {'median':>8} {'p90':>8} {'p99':>8} {'max':>8}  ms")
    for key, label in (("floor", "floor: os.write + os.fsync"), ("save", "commands.add_action")):
        values = figures[key]
        print(
            f"{label:34} {statistics.median(values):8.2f} {nearest_rank(values, 0.9):8.2f} "
            f"{nearest_rank(values, 0.99):8.2f} {max(values):8.2f}"
        )
    median, p99 = statistics.median(figures["save"]), nearest_rank(figures["save"], 0.99)
    met = median <= GOAL_MEDIAN_MS and p99 <= GOAL_P99_MS
    print(f"goal ≤ {GOAL_MEDIAN_MS:g} ms median, p99 ≤ {GOAL_P99_MS:g} ms: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
