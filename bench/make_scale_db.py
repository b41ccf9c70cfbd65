"""Generate a scale database: 1,000 indicators × 60 points, 10,000 actions, 200 meetings.

The plan is synthetic (10 areas × 10 measures × 10 target indicators, over five years) so
that every screen and command can be timed at a size far beyond a real city plan.

    python bench/make_scale_db.py OUT.json [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

import common  # noqa: F401  (the installed zzreview, or one line saying it is missing)

from zzreview.domain import (
    ActionChange,
    ActionItem,
    ActionStatus,
    AgendaItem,
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
from zzreview.storage.store import Store

START, END = date(2020, 1, 1), date(2024, 12, 31)
UNITS = ("亿元", "家", "个", "万人", "列")


def build_plan() -> Plan:
    areas = []
    for a in range(1, 11):
        measures = []
        for m in range(1, 11):
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
                for i in range(1, 11)
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


def build_tables(seed: int) -> dict[str, dict[str, dict]]:
    rng = random.Random(seed)
    plan = build_plan()
    months = [end_of_month(add_months(START, k)) for k in range(60)]
    values = {}
    key = 1
    for indicator in plan.indicators:
        assert indicator.target is not None
        pace = indicator.target / 60 * rng.uniform(0.5, 1.3)
        total = 0.0
        for month in months:
            total += pace * rng.uniform(0.6, 1.4)
            point = DataPoint(indicator_id=indicator.id, as_of=month, value=round(total, 2), source="scale")
            values[str(key)] = to_doc(point)
            key += 1
    meetings = {}
    first = date(2021, 1, 8)
    meeting_dates = [first + timedelta(weeks=k) for k in range(200)]
    for k, day in enumerate(meeting_dates, start=1):
        meeting = Meeting(
            id=day.isoformat(),
            title=f"规模测试调度会 {k}",
            date=day,
            state=MeetingState.CLOSED if k < 199 else MeetingState.PLANNED,
            agenda=tuple(AgendaItem(a.number) for a in plan.areas),
        )
        meetings[str(k)] = to_doc(meeting)
    actions = {}
    statuses = list(ActionStatus)
    for k in range(1, 10_001):
        day = meeting_dates[min(k * 200 // 10_001, 198)]
        area = rng.randint(1, 10)
        item = ActionItem(
            id=f"A{k}",
            text=f"规模测试交办事项 {k}：推进重点项目建设，按月报送进展情况。",
            owner=f"责任人{rng.randint(1, 60)}",
            meeting_id=day.isoformat(),
            lead_unit=f"测试单位{rng.randint(1, 10)}",
            supporting_units=(f"测试单位{rng.randint(1, 10)}",),
            due=day + timedelta(days=rng.randint(7, 60)),
            measure_id=f"{area}.{rng.randint(1, 10)}",
            area_number=area,
            status=rng.choice(statuses),
            history=(ActionChange(at=day.isoformat(), meeting_id=day.isoformat()),),
        )
        actions[str(k)] = to_doc(item)
    return {
        "meta": {"1": {"plan_id": plan.id, "plan_source": "scale", "illustrative": False}},
        "plan": {"1": to_doc(plan)},
        "values": values,
        "meetings": meetings,
        "actions": actions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    Store.create(args.out, build_tables(args.seed), force=True).close()
    print(args.out)


if __name__ == "__main__":
    main()
