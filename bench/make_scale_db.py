"""Generate a scale database, with a history that looks like years of weekly review meetings.

Size 1 (the "scale" database): a synthetic plan of 10 areas × 10 measures × 10 target
indicators (1,000 indicators), 60 monthly values each, 200 meetings and 10,000 action items.
Size 2 ("double scale"): 10 areas × 20 measures × 10 indicators (2,000), 60 values each, 400
meetings (two a week over the same years) and 20,000 action items.

What makes it look like a real history rather than a pile of documents:

- the plan runs 2020-2025; a month's values are reported between the 3rd and the 20th of the
  next month, and the value documents are written in the order they were reported, so a
  document id is a point in time (a closed meeting's `values_upto` is the last document
  reported by its date, as `Repository.close_meeting` would have recorded it then);
- every meeting but the last two is closed, each WITH its snapshot, made by the product's own
  builder `zzreview.storage.snapshot.freeze` with the meetings as they stood when it closed
  (the next one still planned) and the action items as they stood then;
- about 50 action items are raised at each closed meeting; most are closed (销号, with
  evidence) at the next meeting or the one after, some moved to 推进中 first, some take up to
  six meetings, some are dropped with a reason, a few run for months with progress lines (one
  in a hundred for a year or more); every change is recorded at a
  meeting, so a meeting shows (and freezes) its own items and its 回头看, not every item ever.

The last value is reported on 2025-01-20; the current meeting (planned) is on 2025-01-24.

    python bench/make_scale_db.py OUT.json [--size 2] [--seed 7]

`scale_db(size, folder)` is what the benches use: it builds each size once into a cache in
the system's temporary folder, keyed on this file's hash and the installed storage code's, and
gives every caller a fresh copy (a bench that writes never touches the cached file).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import os
import random
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import common  # noqa: F401  (the installed zzreview, or one line saying it is missing)

from zzreview.analysis import DEFAULT_PRESET
from zzreview.domain import (
    ActionChange,
    ActionItem,
    ActionStatus,
    AgendaItem,
    ChangeKind,
    DataPoint,
    FocusArea,
    Indicator,
    IndicatorKind,
    Measure,
    Meeting,
    MeetingState,
    Plan,
)
from zzreview.domain.dates import add_months, end_of_month
from zzreview.storage.codec import to_doc
from zzreview.storage.snapshot import freeze
from zzreview.storage.store import Store

START, END = date(2020, 1, 1), date(2025, 12, 31)
MONTHS = 60
"""Monthly values from January 2020 to December 2024."""
LAST_MEETING = date(2025, 1, 31)
"""The last (planned) meeting; the current one, also planned, is the one before it."""
UNITS = ("亿元", "家", "个", "万人", "列")
SECRETARY = "王秘书"


@dataclass(frozen=True)
class Shape:
    """How big a generated database is."""

    measures_per_area: int
    meetings: int
    actions: int
    cadence: tuple[int, ...]
    """Days between meetings, cycled backwards from LAST_MEETING."""
    areas: int = 10
    indicators_per_measure: int = 10

    @property
    def indicators(self) -> int:
        return self.areas * self.measures_per_area * self.indicators_per_measure


SHAPES = {
    1: Shape(measures_per_area=10, meetings=200, actions=10_000, cadence=(7,)),
    2: Shape(measures_per_area=20, meetings=400, actions=20_000, cadence=(4, 3)),
}
"""Size 1: the scale database; size 2: double scale, the same years with twice the plan,
meetings (Mondays and Fridays) and items."""


# -- the plan --------------------------------------------------------------------------------


def build_plan(shape: Shape = SHAPES[1]) -> Plan:
    areas = []
    for a in range(1, shape.areas + 1):
        measures = []
        for m in range(1, shape.measures_per_area + 1):
            measure_id = f"{a}.{m}"
            indicators = tuple(
                Indicator(
                    id=f"{measure_id}.{i}",
                    measure_id=measure_id,
                    kind=IndicatorKind.TARGET,
                    name=f"规模测试指标 {a}-{m}-{i}",
                    name_en=f"Scale indicator {a}-{m}-{i}",
                    unit=UNITS[i % len(UNITS)],
                    target=float(100 * (i + 1)),
                    horizon_start=START,
                    horizon_end=END,
                )
                for i in range(1, shape.indicators_per_measure + 1)
            )
            measures.append(
                Measure(
                    id=measure_id,
                    area_number=a,
                    title=f"规模测试举措 {measure_id}",
                    text="规模测试用的合成举措。",
                    lead_units=(f"测试单位{m}",),
                    indicators=indicators,
                )
            )
        areas.append(
            FocusArea(
                number=a, title=f"规模测试领域{a}", title_en=f"Scale area {a}", measures=tuple(measures)
            )
        )
    return Plan(
        id="scale",
        title="规模测试计划",
        title_en="Scale test plan",
        start=START,
        end=END,
        areas=tuple(areas),
    )


# -- values, in the order they were reported -------------------------------------------------


def build_values(plan: Plan, rng: random.Random) -> tuple[list[DataPoint], list[date]]:
    """Every indicator's monthly values, in the order they were reported, and the day each
    was reported (never decreasing)."""
    indicators = plan.indicators
    paces = []
    totals = [0.0] * len(indicators)
    for indicator in indicators:
        assert indicator.target is not None
        # 72 months in the plan: some indicators on course, some behind, a few ahead.
        paces.append(indicator.target / 72 * rng.uniform(0.6, 1.3))
    points: list[DataPoint] = []
    reported: list[date] = []
    for month in range(MONTHS):
        as_of = end_of_month(add_months(START, month))
        batch = []
        for n, indicator in enumerate(indicators):
            totals[n] += paces[n] * rng.uniform(0.6, 1.4)
            day = as_of + timedelta(days=rng.randint(3, 20))
            point = DataPoint(
                indicator_id=indicator.id,
                as_of=as_of,
                value=round(totals[n], 2),
                source=f"测试单位{n % 10 + 1}",
                entered_by=SECRETARY,
            )
            batch.append((day, n, point))
        batch.sort(key=lambda entry: (entry[0], entry[1]))
        points.extend(point for _, _, point in batch)
        reported.extend(day for day, _, _ in batch)
    return points, reported


def values_upto(reported: Sequence[date], day: date) -> int:
    """The id of the last value document reported by the end of `day` (documents are numbered
    from 1 in the order they were reported); 0 if none was."""
    return bisect.bisect_right(reported, day)


# -- meetings --------------------------------------------------------------------------------


def meeting_dates(shape: Shape) -> list[date]:
    days = [LAST_MEETING]
    for k in range(shape.meetings - 1):
        days.append(days[-1] - timedelta(days=shape.cadence[k % len(shape.cadence)]))
    return days[::-1]


def planned_meetings(plan: Plan, shape: Shape) -> list[Meeting]:
    return [
        Meeting(
            id=day.isoformat(),
            title=f"规模测试调度会 {k}",
            date=day,
            chair="常务副市长",
            secretary=SECRETARY,
            state=MeetingState.PLANNED,
            agenda=tuple(AgendaItem(a.number) for a in plan.areas),
        )
        for k, day in enumerate(meeting_dates(shape), start=1)
    ]


# -- action items and what happens to them ---------------------------------------------------


@dataclass(frozen=True)
class Fate:
    """What happens to an item, counted in meetings after the one that raised it (what would
    happen after the last closed meeting has not happened yet)."""

    started: int | None
    """Moved to 推进中 (in progress)."""
    ended: int
    """Closed (销号) or dropped."""
    dropped: bool = False
    progress_every: int | None = None
    """A progress line every so many meetings while it runs."""


def draw_fate(rng: random.Random) -> Fate:
    """Most items are closed at the next meeting or the one after; some take a month or so;
    a few run for months with progress lines, one in a hundred for a year or more."""
    u = rng.random()
    if u < 0.70:
        ended = rng.randint(1, 2)
        started = 1 if ended > 1 and rng.random() < 0.3 else None
        return Fate(started, ended)
    if u < 0.85:
        ended = rng.randint(3, 6)
        started = rng.randint(1, 2) if rng.random() < 0.8 else None
        return Fate(started, ended, progress_every=rng.choice((None, 3)))
    if u < 0.93:
        return Fate(None, rng.randint(1, 4), dropped=True)
    if u < 0.99:
        return Fate(rng.randint(1, 2), rng.randint(7, 16), progress_every=6)
    return Fate(rng.randint(1, 5), rng.randint(30, 80), progress_every=12)


def stamp(day: date, minute: int) -> str:
    """When a change was typed at a meeting: during it, in the meeting's time zone."""
    return f"{day.isoformat()}T10:{minute % 60:02d}:00+08:00"


DONE_LINE = "已完成，佐证材料见台账。"
DROPPED_LINE = "情况变化，不再单独督办，并入年度计划。"


def lived(
    fate: Fate, meetings: Sequence[Meeting], raised: int, closed: int, n: int
) -> tuple[list[ActionChange], ActionStatus, int | None]:
    """What happened to item `n`, raised at meeting `raised`, by the end of the last of the
    first `closed` meetings: its history, its status, and the meeting it ended at (None: it
    is still open)."""
    meeting = meetings[raised]
    history = [ActionChange(at=stamp(meeting.date, n), meeting_id=meeting.id, who=SECRETARY)]
    status = ActionStatus.OPEN
    last = closed - 1 - raised  # the last meeting (as an offset) a change can be recorded at
    end = fate.ended if fate.ended <= last else None
    for offset in range(1, (end or last) + 1):
        at = meetings[raised + offset]
        if offset == fate.started:
            kind, after, line = ChangeKind.STATUS, ActionStatus.IN_PROGRESS, ""
        elif offset == end:
            after, line = (
                (ActionStatus.DROPPED, DROPPED_LINE) if fate.dropped else (ActionStatus.DONE, DONE_LINE)
            )
            kind = ChangeKind.STATUS
        elif fate.progress_every and offset % fate.progress_every == 0:
            kind, after, line = ChangeKind.PROGRESS, None, f"第{offset}次调度：按周推进，进度见台账。"
        else:
            continue
        history.append(
            ActionChange(
                at=stamp(at.date, n + offset),
                meeting_id=at.id,
                kind=kind,
                before=status if after is not None else None,
                after=after,
                evidence=line,
                who=SECRETARY,
            )
        )
        status = after or status
    return history, status, None if end is None else raised + end


def build_actions(
    shape: Shape, meetings: Sequence[Meeting], closed: int, rng: random.Random
) -> tuple[list[ActionItem], list[int | None]]:
    """The items raised at the first `closed` meetings, their history up to the last closed
    meeting; and, per item, the index of the meeting it was closed or dropped at (None: still
    open)."""
    items: list[ActionItem] = []
    ended_at: list[int | None] = []
    for n in range(1, shape.actions + 1):
        raised = (n - 1) * closed // shape.actions
        meeting = meetings[raised]
        history, status, ended = lived(draw_fate(rng), meetings, raised, closed, n)
        area = rng.randint(1, shape.areas)
        items.append(
            ActionItem(
                id=f"A{n}",
                text=f"规模测试交办事项 {n}：推进重点项目建设，按月报送进展情况。",
                owner=f"责任人{rng.randint(1, 60)}",
                meeting_id=meeting.id,
                lead_unit=f"测试单位{rng.randint(1, 10)}",
                supporting_units=(f"测试单位{rng.randint(1, 10)}",),
                due=meeting.date + timedelta(days=rng.randint(7, 60)),
                measure_id=f"{area}.{rng.randint(1, shape.measures_per_area)}",
                area_number=area,
                status=status,
                history=tuple(history),
            )
        )
        ended_at.append(ended)
    return items, ended_at


# -- the tables ------------------------------------------------------------------------------


def build_tables(seed: int = 7, size: int = 1, *, shape: Shape | None = None) -> dict[str, dict[str, dict]]:
    """The database's tables for size 1 (scale) or 2 (double scale), or of `shape`."""
    shape = shape or SHAPES[size]
    rng = random.Random(seed)
    plan = build_plan(shape)
    points, reported = build_values(plan, rng)
    planned = planned_meetings(plan, shape)
    closed = shape.meetings - 2
    items, ended_at = build_actions(shape, planned, closed, rng)
    raised_at = {m.id: n for n, m in enumerate(planned)}

    # Walk the meetings in order, keeping the items that may still show (raised, not closed
    # before the previous meeting), and close each as the app would have on its day.
    meeting_docs = {}
    held: list[Meeting] = []
    live: dict[str, tuple[ActionItem, int | None]] = {}
    raised_by: dict[int, list[int]] = {}
    for n, item in enumerate(items):
        raised_by.setdefault(raised_at[item.meeting_id], []).append(n)
    for index, meeting in enumerate(planned):
        if index >= closed:
            meeting_docs[str(index + 1)] = to_doc(meeting)
            continue
        for n in raised_by.get(index, ()):
            live[items[n].id] = (items[n], ended_at[n])
        in_progress = replace(meeting, state=MeetingState.IN_PROGRESS)
        # The store at that moment: the meetings held, this one, and the next one planned.
        then = [*held, in_progress, planned[index + 1]]
        snapshot = freeze(
            in_progress,
            then,
            [item for item, _ in live.values()],
            values_upto=values_upto(reported, meeting.date),
            rules=DEFAULT_PRESET,
        )
        done = replace(meeting, state=MeetingState.CLOSED)
        held.append(done)
        meeting_docs[str(index + 1)] = to_doc(done) | {"snapshot": snapshot}
        for action_id in [a for a, (_, ended) in live.items() if ended == index]:
            del live[action_id]
    return {
        "meta": {"1": {"plan_id": plan.id, "plan_source": "scale", "illustrative": False}},
        "plan": {"1": to_doc(plan)},
        "values": {str(k): to_doc(p) for k, p in enumerate(points, start=1)},
        "meetings": meeting_docs,
        "actions": {str(k): to_doc(a) for k, a in enumerate(items, start=1)},
    }


def write_db(out: Path, seed: int = 7, size: int = 1) -> None:
    """The database of `size` at `out` (an existing one is replaced, a backup kept beside it)."""
    Store.create(out, build_tables(seed, size), force=out.exists()).close()


# -- the cache the benches use ---------------------------------------------------------------


def cache_key(seed: int, size: int) -> str:
    """This file's hash and the installed storage code's, which decides the bytes written."""
    import zzreview

    package = Path(zzreview.__file__).parent
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for part in (
        "storage/codec.py",
        "storage/snapshot.py",
        "storage/store.py",
        "storage/durable.py",
        "storage/lazy.py",
        "domain/model.py",
    ):
        source = package / part
        digest.update(source.read_bytes() if source.exists() else b"-")
    return f"scale{size}-seed{seed}-{digest.hexdigest()[:16]}"


def scale_db(size: int, folder: Path, *, seed: int = 7, name: str | None = None) -> Path:
    """A fresh copy, in `folder`, of the generated database of `size`, built once a version."""
    cache = Path(tempfile.gettempdir()) / "zzreview-bench-cache"
    cache.mkdir(exist_ok=True)
    cached = cache / f"{cache_key(seed, size)}.json"
    if not cached.exists():
        building = cache / f"{cached.stem}.{os.getpid()}.building.json"
        write_db(building, seed, size)
        assert not Path(f"{building}.journal").exists(), "a new database has no journal"
        Path(f"{building}.lock").unlink(missing_ok=True)
        os.replace(building, cached)
        for stale in cache.glob(f"scale{size}-seed{seed}-*.json"):  # built by older code
            if stale != cached and "building" not in stale.name:
                stale.unlink(missing_ok=True)
    copy = folder / (name or f"scale{size}.json")
    shutil.copyfile(cached, copy)
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, choices=sorted(SHAPES), default=1, help="1: scale, 2: double")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    start = time.perf_counter()
    write_db(args.out, args.seed, args.size)
    megabytes = args.out.stat().st_size / 1e6
    print(f"{args.out}: {megabytes:.1f} MB in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
