"""Recording an action item through the app's own save path: until it is durable and the form
closes, and how long the screen's event loop is blocked meanwhile.

The real app runs headless (`App.run_test`, driven by a Pilot) on a database file in a
temporary folder, so every save fsyncs its journal. On area 4 it opens the action form (`a`),
fills it in and presses `ctrl+s`, `--saves` times, and measures:

- ctrl+s → the form closed: the save acknowledged on the UI thread. The form saves through
  `Writer.run` in a thread worker, which records the item (`commands.add_action`, fsync'd) and
  then rebuilds the meeting's view from disk; the form closes only after both;
- ctrl+s → the meeting screen showing the view rebuilt after the save (`show_view`
  returned; the rebuild runs in a worker once the form has closed), and how long `show_view`
  itself holds the UI thread;
- the event loop's longest block while opening a form and in each save (ctrl+s → the screen
  settled), and anywhere in the run: a task on the app's loop asks to wake every 2 ms and notes
  how late it woke, in wall-clock time and in the UI thread's own CPU time; and Python's full
  garbage collections in the run (each holds every thread while it walks the whole heap).

On a second copy of the same database, outside the app, it times the parts as many times,
interleaved: `commands.add_action` alone (the save), `Writer.view` alone (the view rebuilt), and
`Writer.run(commands.add_action, …)` (both, as the form runs them). The floor, in the same run
and folder: `os.write` + `os.fsync` of one line the size of the save's journal entry.

Cases: the demo (10 action items: the demo's 8 and 2 more), the demo with 10,000 action items,
and the scale database of bench/make_scale_db.py (10,000 action items, 1,000 indicators × 60
points, 200 meetings). Goal (PRODUCT.md): durable before the form closes, ≤ 10 ms median at
scale; no key ever waits more than 50 ms.

    python bench/bench_forms.py [--saves 100] [--cases demo,actions,scale] [--profile] [--dir D]

`--profile` prints, per case, where `Writer.run` spends its time (cProfile, by cumulative time)
and what the UI thread was doing while the loop was blocked (its stack sampled every 2 ms).
Headless, Textual lays out and renders the widgets but writes no bytes to a terminal: the
terminal's own cost is in bench/run.py (the app in a real pty). The saves add items: a case ends `--saves` × 3
items larger than it starts (the app's copy by `--saves`).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import common  # noqa: F401  (the installed zzreview, or one line saying it is missing)
from bench_saves import AREA, FsyncFloor, add_one, open_repo
from make_scale_db import scale_db
from textual.widgets import Input

from zzreview.analysis import DEFAULT_PRESET
from zzreview.domain import ActionChange, ActionItem, ActionStatus
from zzreview.meeting import commands
from zzreview.plans.demo import shipped_demo
from zzreview.plans.loader import shipped_plan
from zzreview.storage.codec import to_doc
from zzreview.storage.seed import initial_tables
from zzreview.storage.store import Store
from zzreview.ui.forms.action import ActionForm
from zzreview.ui.forms.base import FormScreen
from zzreview.ui.launch import make_app
from zzreview.ui.screens.meeting import MeetingScreen
from zzreview.ui.writer import Writer

GOAL_SAVE_MS = 10.0
GOAL_STALL_MS = 50.0
TICK = 0.002
"""How often the watcher on the app's event loop asks to wake (seconds)."""
CASES = {
    "demo": "demo, 10 action items",
    "actions": "demo + 10,000 action items",
    "scale": "scale: 10,000 action items, 1,000 indicators × 60 points, 200 meetings",
}


# -- the databases ---------------------------------------------------------------------------


def demo_tables() -> dict[str, dict]:
    plan = shipped_plan()
    return initial_tables(plan, shipped_demo(plan), plan_source="shipped", rules=DEFAULT_PRESET)


def with_actions(tables: dict[str, dict], total: int, meeting_id: str, seed: int = 7) -> dict[str, dict]:
    """`tables` with action items added until there are `total`, raised at `meeting_id`, in
    every status (the open ones are carried over into the next meeting)."""
    rng = random.Random(seed)
    plan_doc = next(iter(tables["plan"].values()))
    measures = [(area["number"], m["id"]) for area in plan_doc["areas"] for m in area["measures"]]
    actions = tables["actions"]
    raised = date.fromisoformat(meeting_id)
    key = max(map(int, actions), default=0)
    for number in range(len(actions) + 1, total + 1):
        area, measure = rng.choice(measures)
        item = ActionItem(
            id=f"A{number}",
            text=f"测时交办事项 {number}：推进重点项目建设，按月报送进展情况。",
            owner=f"责任人{rng.randint(1, 60)}",
            meeting_id=meeting_id,
            lead_unit=f"测试单位{rng.randint(1, 10)}",
            supporting_units=(f"测试单位{rng.randint(1, 10)}",),
            due=raised + timedelta(days=rng.randint(7, 60)),
            measure_id=measure,
            area_number=area,
            status=rng.choice(list(ActionStatus)),
            history=(ActionChange(at=meeting_id, meeting_id=meeting_id),),
        )
        key += 1
        actions[str(key)] = to_doc(item)
    return tables


def make_case(name: str, folder: Path) -> tuple[Path, Path]:
    """Two copies of the case's database (one for the app, one for the parts), its meeting
    started and holding at least 10 action items."""
    app_copy = folder / f"{name}-app.json"
    if name == "scale":
        scale_db(1, folder, name=app_copy.name)
    else:
        tables = demo_tables() if name == "demo" else with_actions(demo_tables(), 10_000, "2024-09-30")
        Store.create(app_copy, tables).close()
    repo = open_repo(app_copy)
    meeting = repo.current_meeting()
    assert meeting is not None
    commands.start_meeting(repo, meeting.id)
    while len(repo.actions()) < 10:
        commands.add_action(repo, "补足到10项的交办事项", "张三", area=AREA, meeting_id=meeting.id)
    repo.store.checkpoint()
    repo.store.close()
    parts_copy = folder / f"{name}-parts.json"
    shutil.copyfile(app_copy, parts_copy)
    return app_copy, parts_copy


# -- figures ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """Named series of milliseconds."""

    series: dict[str, list[float]] = field(default_factory=dict)
    line_bytes: int = 0
    """The size of one save's journal entry, which the floor writes."""

    def add(self, name: str, ms: float) -> None:
        self.series.setdefault(name, []).append(ms)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


# -- the parts, outside the app --------------------------------------------------------------


def measure_parts(path: Path, saves: int, figures: Figures, profile: bool) -> str:
    """Time the save, the rebuild and both, and the fsync floor; returns the profile's text."""
    repo = open_repo(path)
    meeting = repo.current_meeting()
    assert meeting is not None
    writer = Writer(repo, meeting.id, repo.plan().language, DEFAULT_PRESET)
    add_one(repo, meeting.id, 0)  # warm: the first save and view read the file in
    writer.view()
    line = Path(f"{path}.journal").read_bytes().splitlines()[-1] + b"\n"
    figures.line_bytes = len(line)
    floor = FsyncFloor(path.parent, line)
    try:
        for n in range(1, saves + 1):  # interleaved: drift in the disk or the load hits each alike
            figures.add("floor", timed(floor))
            figures.add("save", timed(lambda n=n: add_one(repo, meeting.id, n)))
            figures.add("view", timed(writer.view))
            figures.add("run", timed(lambda n=n: writer.run(add_one, meeting.id, saves + n)))
    finally:
        floor.close()
    text = ""
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(10):
            writer.run(add_one, meeting.id, 2 * saves + n)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
            r"zzreview|fsync|ftruncate", 20
        )
        text = out.getvalue()
    repo.store.close()
    return text


# -- the app ---------------------------------------------------------------------------------


class Stamps:
    """Moments the app reaches, recorded from inside it: the methods are wrapped, not changed."""

    def __init__(self) -> None:
        self.mounted = self.acknowledged = self.shown = self.handing_ms = 0.0
        self.shown_event = asyncio.Event()

    def install(self) -> Callable[[], None]:
        """Wrap the form's mount and save acknowledgement and the screen's `show_view`;
        returns what puts them back."""
        on_mount, saved, after_write = FormScreen.on_mount, FormScreen._saved, MeetingScreen.show_view
        stamps = self

        def timed_on_mount(form):  # type: ignore[no-untyped-def]
            on_mount(form)
            stamps.mounted = time.perf_counter()

        def timed_saved(form, recorded):  # type: ignore[no-untyped-def]
            stamps.acknowledged = time.perf_counter()
            return saved(form, recorded)

        def timed_after_write(screen, view):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            after_write(screen, view)
            stamps.shown = time.perf_counter()
            stamps.handing_ms = (stamps.shown - began) * 1000
            stamps.shown_event.set()

        FormScreen.on_mount = timed_on_mount  # type: ignore[method-assign]
        FormScreen._saved = timed_saved  # type: ignore[method-assign]
        MeetingScreen.show_view = timed_after_write  # type: ignore[method-assign]

        def restore() -> None:
            FormScreen.on_mount = on_mount  # type: ignore[method-assign]
            FormScreen._saved = saved  # type: ignore[method-assign]
            MeetingScreen.show_view = after_write  # type: ignore[method-assign]

        return restore


@dataclass
class LoopWatch:
    """A task on the app's event loop that asks to wake every TICK and notes how late it woke,
    in wall-clock time and in the UI thread's own CPU time (which other processes on a busy
    machine cannot inflate)."""

    wakes: list[tuple[float, float, float]] = field(default_factory=list)
    """(asked at, woke at, the UI thread's CPU seconds in between)."""
    heartbeat: float = 0.0
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        while not self.stop.is_set():
            asked, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(TICK)
            self.heartbeat = time.perf_counter()
            self.wakes.append((asked, self.heartbeat, time.thread_time() - cpu))

    def longest(self, start: float, end: float) -> tuple[float, float]:
        """The longest lateness (ms) of a wake whose sleep overlapped [start, end]; and the
        most CPU time the UI thread spent in one such sleep (ms)."""
        inside = [
            (woke - asked - TICK, cpu) for asked, woke, cpu in self.wakes if woke > start and asked < end
        ]
        wall = max((late for late, _ in inside), default=0.0)
        cpu = max((spent for _, spent in inside), default=0.0)
        return wall * 1000, cpu * 1000


class Collections:
    """Python's cyclic garbage collections during the run: a full (generation 2) collection
    walks every object the process holds, and holds the GIL (every thread) while it does."""

    def __init__(self) -> None:
        self.ui_thread = threading.get_ident()
        self.started: dict[int, float] = {}
        self.full: list[tuple[float, bool]] = []
        """(ms, on the UI thread) per generation-2 collection."""

    def __call__(self, phase: str, info: dict) -> None:
        thread = threading.get_ident()
        if phase == "start":
            self.started[thread] = time.perf_counter()
        elif thread in self.started and info.get("generation") == 2:
            self.full.append(
                ((time.perf_counter() - self.started.pop(thread)) * 1000, thread == self.ui_thread)
            )

    def summary(self) -> str:
        if not self.full:
            return "no full collection"
        on_ui = [ms for ms, ui in self.full if ui]
        longest = max(ms for ms, _ in self.full)
        return (
            f"{len(self.full)} full collections (gc generation 2), longest {longest:.1f} ms, "
            f"median {statistics.median(ms for ms, _ in self.full):.1f} ms; {len(on_ui)} on the UI thread"
        )


class StallSampler(threading.Thread):
    """While the loop is blocked over 10 ms, samples the UI thread's stack every 2 ms and counts
    the zzreview and Textual functions on it (for --profile)."""

    SKIP = ("message_pump.py", "_callback.py", "pilot.py", "_context.py")

    def __init__(self, watch: LoopWatch) -> None:
        super().__init__(daemon=True)
        self.watch = watch
        self.ui_thread = threading.get_ident()
        self.done = threading.Event()
        self.samples = 0
        self.counts: Counter[str] = Counter()

    def run(self) -> None:
        while not self.done.wait(0.002):
            if not self.watch.heartbeat or time.perf_counter() - self.watch.heartbeat < 0.010:
                continue
            frame = sys._current_frames().get(self.ui_thread)
            seen = set()
            while frame is not None:
                path = frame.f_code.co_filename
                if ("zzreview" in path or "textual" in path) and not path.endswith(self.SKIP):
                    package = "zzreview" if "zzreview" in path else "textual"
                    seen.add(f"{package}/{Path(path).name}:{frame.f_code.co_name}")
                frame = frame.f_back
            self.samples += 1
            self.counts.update(seen)

    def summary(self, top: int = 14) -> str:
        """The functions most often on the stack: Textual's and, apart, zzreview's own."""
        lines = [f"  the UI thread while the loop was blocked: {self.samples} stack samples, 2 ms apart"]
        for package in ("textual", "zzreview"):
            ranked = [(name, count) for name, count in self.counts.most_common() if name.startswith(package)]
            for name, count in ranked[:top]:
                lines.append(f"    {100 * count / max(self.samples, 1):5.1f} %  {name}")
        return "\n".join(lines)


async def until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


async def drive_app(path: Path, saves: int, figures: Figures, profile: bool) -> tuple[float, float, str, str]:
    """`saves` action items through the form on area 4; returns the longest stall anywhere in
    the run (wall ms, CPU ms), the garbage collections in it, and, with `profile`, what the UI
    thread did while the loop was blocked."""
    repo = open_repo(path)
    meeting = repo.current_meeting()
    assert meeting is not None
    before = len(repo.actions())
    app = make_app(repo, meeting.id)
    stamps = Stamps()
    restore = stamps.install()
    watch = LoopWatch()
    sampler = StallSampler(watch) if profile else None
    collections = Collections()
    gc.callbacks.append(collections)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press(str(AREA))
            await pilot.pause()
            watcher = asyncio.create_task(watch.run())
            if sampler:
                sampler.start()
            run_start = time.perf_counter()
            for n in range(saves):
                stamps.mounted = 0.0
                pressed = time.perf_counter()
                await pilot.press("a")
                await until(lambda: isinstance(app.screen, ActionForm) and stamps.mounted > 0)
                await pilot.pause()  # the form drawn: its layout and paint count in the stall
                figures.add("open", (stamps.mounted - pressed) * 1000)
                wall, cpu = watch.longest(pressed, time.perf_counter())
                figures.add("open stall", wall)
                figures.add("open stall cpu", cpu)
                form = app.screen
                for name, value in (
                    ("text", f"表单测时事项 第{n}项：督促推进"),
                    ("owner", "张三"),
                    ("due", "+2w"),
                ):
                    form.query_one(f"#field-{name}", Input).value = value
                await pilot.pause()
                stamps.shown_event.clear()
                pressed = time.perf_counter()
                await pilot.press("ctrl+s")
                await asyncio.wait_for(stamps.shown_event.wait(), 120)
                await pilot.pause()  # the screen settled: its layout and paint count in the stall
                wall, cpu = watch.longest(pressed, time.perf_counter())
                figures.add("ack", (stamps.acknowledged - pressed) * 1000)
                figures.add("shown", (stamps.shown - pressed) * 1000)
                figures.add("handing", stamps.handing_ms)
                figures.add("stall", wall)
                figures.add("stall cpu", cpu)
            run_end = time.perf_counter()
            watch.stop.set()
            await watcher
    finally:
        gc.callbacks.remove(collections)
        restore()
        if sampler:
            sampler.done.set()
            sampler.join()
    added = len(repo.actions()) - before
    repo.store.close()
    assert added == saves, f"{added} action items recorded of {saves}"
    wall, cpu = watch.longest(run_start, run_end)
    return wall, cpu, collections.summary(), sampler.summary() if sampler else ""


# -- the report ------------------------------------------------------------------------------

ROWS = (
    ("floor", "floor: os.write + os.fsync of one line"),
    ("save", "commands.add_action alone (the save)"),
    ("view", "Writer.view alone (the view rebuilt)"),
    ("run", "Writer.run(add_action): save + rebuild"),
    ("open", "app: a → the form mounted"),
    ("open stall", "app: longest loop stall opening a form"),
    ("open stall cpu", "  … the UI thread's CPU in that stall"),
    ("ack", "app: ctrl+s → form closed (acknowledged)"),
    ("shown", "app: ctrl+s → the screen has the new view"),
    ("handing", "app: show_view on the UI thread"),
    ("stall", "app: longest loop stall in a save"),
    ("stall cpu", "  … the UI thread's CPU in that stall"),
)


def report(
    name: str, path: Path, figures: Figures, anywhere: tuple[float, float], collected: str, saves: int
) -> None:
    series = figures.series
    floor = statistics.median(series["floor"])
    size = path.stat().st_size / 1e6
    print(f"\n{CASES[name]} — {saves} saves; file {size:.1f} MB; journal line {figures.line_bytes} bytes")
    print(f"  {'':44} {'median':>8} {'p95':>8} {'max':>8} {'× floor':>8}")
    for key, label in ROWS:
        values = series[key]
        median = statistics.median(values)
        print(f"  {label:44} {median:8.2f} {p95(values):8.2f} {max(values):8.2f} {median / floor:8.1f}")
    wall, cpu = anywhere
    print(f"  {'app: longest loop stall anywhere in the run':44} {wall:8.2f}  (UI thread CPU {cpu:.2f})")
    print(f"  app: {collected}")
    if name != "demo":
        ack = statistics.median(series["ack"])
        worst = max(wall, max(series["stall"]), max(series["open stall"]))
        save_verdict = "met" if ack <= GOAL_SAVE_MS else f"MISSED by {ack - GOAL_SAVE_MS:.1f} ms"
        stall_verdict = "met" if worst <= GOAL_STALL_MS else f"MISSED by {worst - GOAL_STALL_MS:.1f} ms"
        print(f"  goal: ≤ {GOAL_SAVE_MS:g} ms median to a closed form: {ack:.1f} ms, {save_verdict}")
        print(f"  goal: no stall > {GOAL_STALL_MS:g} ms: longest {worst:.1f} ms, {stall_verdict}")


def filesystem(path: Path) -> str:
    """The type of the filesystem holding `path` (fsync on tmpfs proves nothing)."""
    best, kind = "", "?"
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for entry in mounts:
                _, mount_point, fs_type, *_ = entry.split()
                if str(path.resolve()).startswith(mount_point) and len(mount_point) > len(best):
                    best, kind = mount_point, fs_type
    except OSError:
        pass
    return kind


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--cases", default="demo,actions,scale", help=f"of {', '.join(CASES)}")
    parser.add_argument(
        "--profile", action="store_true", help="where the save and the stalls spend their time"
    )
    parser.add_argument(
        "--dir", type=Path, help="folder for the databases (default: the system's temporary one)"
    )
    args = parser.parse_args()
    names = [n.strip() for n in args.cases.split(",") if n.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; the cases are {', '.join(CASES)}")
    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        folder = Path(temp)
        kind = filesystem(folder)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"action form saves through the app, in {folder} ({kind}); times in ms")
        print(f"  {os.cpu_count()} CPUs, load average {load} (wall-clock figures grow with the load)")
        if kind in ("tmpfs", "ramfs"):
            print("  warning: this filesystem makes fsync free; pass --dir on a disk")
        for name in names:
            app_copy, parts_copy = make_case(name, folder)
            figures = Figures()
            profile = measure_parts(parts_copy, args.saves, figures, args.profile)
            wall, cpu, collected, stalls = asyncio.run(drive_app(app_copy, args.saves, figures, args.profile))
            report(name, app_copy, figures, (wall, cpu), collected, args.saves)
            if args.profile:
                print("  Writer.run, 10 saves, by cumulative time:")
                print(profile)
                print(stalls)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
