"""League tables: focus areas and lead units ranked by their mean gap, and rank changes
between two meetings.

Best first (highest mean gap). Whoever has no gap to rank by (no numeric indicator with a
figure yet) has no rank at all, and is listed after the ranked, in plan order: every screen
shows it as "—", never as a place it did not earn. Ranks are 1-based positions; equal gaps
keep plan order rather than sharing a rank.
"""

from __future__ import annotations

from dataclasses import dataclass

from zzreview.analysis.status import PlanStatus
from zzreview.domain.model import IndicatorKind, State

__all__ = ["AreaRank", "UnitRank", "rank_areas", "rank_changes", "rank_lead_units"]


@dataclass(frozen=True)
class AreaRank:
    """A focus area's place in the league table."""

    area_number: int
    title: str
    rank: int | None
    """None without a mean gap: not ranked."""
    mean_gap: float | None
    state: State


@dataclass(frozen=True)
class UnitRank:
    """A lead unit's (牵头单位) place in the league table, from the target indicators it leads."""

    unit: str
    rank: int | None
    """None without a mean gap: not ranked."""
    mean_gap: float | None
    indicator_count: int
    """How many target indicators the unit leads (with or without a gap yet)."""


def _best_first(mean_gap: float | None) -> tuple[bool, float]:
    return (mean_gap is None, -mean_gap if mean_gap is not None else 0.0)


def rank_areas(plan_status: PlanStatus) -> list[AreaRank]:
    """The plan's areas ranked by mean gap, best first; areas without one last, by number,
    and unranked."""
    ordered = sorted(plan_status.areas, key=lambda a: (*_best_first(a.mean_gap), a.area.number))
    return [
        AreaRank(
            area_number=a.area.number,
            title=a.area.title,
            rank=position if a.mean_gap is not None else None,
            mean_gap=a.mean_gap,
            state=a.state,
        )
        for position, a in enumerate(ordered, start=1)
    ]


def rank_changes(now: list[AreaRank], before: list[AreaRank]) -> dict[int, int | None]:
    """Each area's move since `before` (positive = moved up), or None where it is not ranked
    now or was not then."""
    previous = {r.area_number: r.rank for r in before}
    changes: dict[int, int | None] = {}
    for r in now:
        then = previous.get(r.area_number)
        changes[r.area_number] = then - r.rank if then is not None and r.rank is not None else None
    return changes


def rank_lead_units(plan_status: PlanStatus) -> list[UnitRank]:
    """Lead units ranked by the mean gap of their measures' target indicators, best first.

    A measure's lead units all inherit its target indicators' gaps. Units leading no target
    indicator are left out; units whose indicators have no gap yet come last, in plan order,
    unranked.
    """
    gaps_by_unit: dict[str, list[float]] = {}
    count_by_unit: dict[str, int] = {}
    for measure in plan_status.plan.measures:
        targets = [i for i in measure.indicators if i.kind == IndicatorKind.TARGET]
        if not targets:
            continue
        gaps = [gap for i in targets if (gap := _gap_of(plan_status, i.id)) is not None]
        for unit in dict.fromkeys(measure.lead_units):
            gaps_by_unit.setdefault(unit, []).extend(gaps)
            count_by_unit[unit] = count_by_unit.get(unit, 0) + len(targets)

    plan_order = {unit: n for n, unit in enumerate(gaps_by_unit)}
    means = {unit: sum(g) / len(g) if g else None for unit, g in gaps_by_unit.items()}
    ordered = sorted(means, key=lambda u: (*_best_first(means[u]), plan_order[u]))
    return [
        UnitRank(
            unit=unit,
            rank=position if means[unit] is not None else None,
            mean_gap=means[unit],
            indicator_count=count_by_unit[unit],
        )
        for position, unit in enumerate(ordered, start=1)
    ]


def _gap_of(plan_status: PlanStatus, indicator_id: str) -> float | None:
    try:
        return plan_status.indicator(indicator_id).gap
    except KeyError:
        return None
