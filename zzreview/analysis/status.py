"""The status of indicators, areas and a whole plan at an explicit as-of date.

Numbers first (completion, expected-to-date, gap), then a state with a short stable reason
key that screens, minutes and the CLI translate:

- target: ``no_data``, ``horizon_not_started``, ``achieved``, ``stale``, and by the rule
  preset's light ``ahead`` (green), ``behind`` (yellow), ``far_behind`` (red);
- milestone: ``milestone_done``, ``milestone_very_late``, ``milestone_late``,
  ``milestone_slipped``, ``milestone_on_plan``;
- qualitative: ``assessed``, ``not_assessed``.

Everything is a pure function of its arguments: no I/O and no wall clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from zzreview.analysis.forecast import (
    elapsed_days,
    forecast_from,
    horizon,
    horizon_days,
    required_per_month,
    valued_points,
)
from zzreview.analysis.rules import DEFAULT_PRESET, PRESETS, RulePreset
from zzreview.domain.model import (
    Accumulation,
    DataPoint,
    Direction,
    FocusArea,
    Indicator,
    IndicatorKind,
    Light,
    MilestoneState,
    Plan,
    State,
)

__all__ = [
    "AreaStatus",
    "IndicatorStatus",
    "PlanStatus",
    "StatusMemo",
    "area_status",
    "completion",
    "expected_to_date",
    "indicator_status",
    "months_late",
    "plan_status",
]

_STATE_BY_LIGHT: dict[Light, tuple[State, str]] = {
    Light.GREEN: (State.ON_TRACK, "ahead"),
    Light.YELLOW: (State.ATTENTION, "behind"),
    Light.RED: (State.OFF_TRACK, "far_behind"),
}
_MILESTONE_STATES = frozenset(MilestoneState)
_ASSESSED_STATES = frozenset(State)


def completion(indicator: Indicator, value: float) -> float:
    """The share of the way from baseline to target that `value` has covered, as a fraction.

    (value − baseline) / (target − baseline), floored at 0 and not capped, so 1.2 means 20%
    beyond the target. For `<=` indicators the distance is measured downwards, (baseline −
    value) / (baseline − target). When the target does not lie on the better side of the
    baseline (equal to it, or a `<=` target above it, as in "keep unemployment within 5.5%"),
    the indicator is a ceiling or floor to hold: 1.0 while the value meets the target in the
    indicator's direction, else 0.0.
    """
    if indicator.target is None:
        raise ValueError(f"indicator {indicator.id!r} has no target")
    target, baseline = indicator.target, indicator.baseline
    lower_is_better = indicator.direction == Direction.LOWER
    span = baseline - target if lower_is_better else target - baseline
    if span <= 0:
        meets = value <= target if lower_is_better else value >= target
        return 1.0 if meets else 0.0
    moved = baseline - value if lower_is_better else value - baseline
    return max(0.0, moved / span)


def expected_to_date(indicator: Indicator, as_of: date) -> float:
    """The share of the target expected by the end of `as_of` (序时进度), in [0, 1].

    Linear: the elapsed share of the horizon's days, as_of included (H2 2024 at 2024-10-31 is
    123/184). Phased: the planned value interpolated linearly from the baseline at the start
    through the phased points to the target at the end, turned into a share by completion().
    A level without a phased plan (800 projects under way) is due in full all along.
    """
    elapsed = elapsed_days(indicator, as_of)
    total = horizon_days(indicator)
    if elapsed >= total:
        # By the horizon's last day the whole target is due, whatever the phased plan says.
        return 1.0
    if not indicator.phased:
        if indicator.accumulation is Accumulation.LEVEL:
            return 1.0 if elapsed > 0 else 0.0
        return elapsed / total
    planned = _planned_value(indicator, elapsed, total)
    return min(1.0, max(0.0, completion(indicator, planned)))


def expected_path(indicator: Indicator) -> tuple[tuple[date, float], ...]:
    """The 序时进度 trajectory in the indicator's own units, as (date, value) anchors to join
    with straight lines: what expected_to_date measures against, for drawing."""
    start, end = indicator.horizon_start, indicator.horizon_end
    assert start is not None and end is not None and indicator.target is not None
    if indicator.accumulation is Accumulation.LEVEL and not indicator.phased:
        return ((start, indicator.target), (end, indicator.target))
    inner = [(p.on, p.value) for p in sorted(indicator.phased, key=lambda p: p.on) if start < p.on < end]
    return ((start, indicator.baseline), *inner, (end, indicator.target))


def _planned_value(indicator: Indicator, elapsed: int, total: int) -> float:
    assert indicator.target is not None
    anchors = [(0, indicator.baseline)]
    for phase in sorted(indicator.phased, key=lambda p: p.on):
        anchors.append((elapsed_days(indicator, phase.on), phase.value))
    anchors.append((total, indicator.target))
    prev_x, prev_y = anchors[0]
    for x, y in anchors[1:]:
        if elapsed <= x:
            if x == prev_x:
                return y
            return prev_y + (y - prev_y) * (elapsed - prev_x) / (x - prev_x)
        prev_x, prev_y = x, y
    return indicator.target


def months_late(due: date, as_of: date) -> int:
    """Whole calendar months from the due month to as_of's month (negative before it)."""
    return (as_of.year - due.year) * 12 + (as_of.month - due.month)


@dataclass(frozen=True)
class IndicatorStatus:
    """Where one indicator stands at an as-of date, with the numbers behind its state."""

    indicator: Indicator
    as_of: date
    state: State
    reason: str
    """A short stable English key explaining the state (see the module docstring)."""
    current: float | None = None
    """The latest value on or before as_of."""
    current_date: date | None = None
    """The date of the latest value (or milestone state, or assessment)."""
    completion: float | None = None
    """Fraction of the way from baseline to target; may exceed 1."""
    expected: float | None = None
    """Fraction expected by as_of (序时进度), in [0, 1]."""
    gap: float | None = None
    """completion − expected, in percentage points."""
    stale: bool = False
    """The latest value is older than the reporting cadence allows."""
    required_per_month: float | None = None
    """Move per month still needed in the better direction to reach the target."""
    forecast: float | None = None
    """The value projected to the horizon's end from the recent trend."""
    forecast_completion: float | None = None
    """completion() of the forecast."""
    milestone_state: MilestoneState | None = None
    """For milestones: the state as last reported."""
    evidence: str = ""
    """The latest evidence reported for the indicator."""

    @property
    def light(self) -> Light:
        """The traffic light of the state."""
        return self.state.light

    @property
    def mark(self) -> str:
        """The symbol of the state (✓ ● ▲ ■ ○ ◌)."""
        return self.state.mark


def indicator_status(
    indicator: Indicator,
    points: Sequence[DataPoint],
    as_of: date,
    rules: RulePreset = PRESETS[DEFAULT_PRESET],
    cadence_months: int = 1,
) -> IndicatorStatus:
    """The status of one indicator at `as_of` from its data points (later ones ignored)."""
    if cadence_months < 1:
        raise ValueError(f"cadence_months must be at least 1, not {cadence_months}")
    if indicator.kind == IndicatorKind.MILESTONE:
        return _milestone_status(indicator, points, as_of, rules)
    if indicator.kind == IndicatorKind.QUALITATIVE:
        return _qualitative_status(indicator, points, as_of)
    return _target_status(indicator, points, as_of, rules, cadence_months)


def _target_status(
    indicator: Indicator,
    points: Sequence[DataPoint],
    as_of: date,
    rules: RulePreset,
    cadence_months: int,
) -> IndicatorStatus:
    if indicator.target is None:
        raise ValueError(f"target indicator {indicator.id!r} has no target")
    start, _ = horizon(indicator)
    expected = expected_to_date(indicator, as_of)
    values = valued_points(points, as_of)
    forecast = forecast_from(indicator, values)
    forecast_share = None if forecast is None else completion(indicator, forecast)
    if not values:
        state, reason = (
            (State.NOT_STARTED, "horizon_not_started") if as_of < start else (State.NO_DATA, "no_data")
        )
        return IndicatorStatus(indicator, as_of, state, reason, expected=expected)

    current_date, current = values[-1]
    share = completion(indicator, current)
    stale = (as_of - current_date).days > cadence_months * rules.stale_after_days_per_cadence_month
    if as_of < start:
        state, reason = State.NOT_STARTED, "horizon_not_started"
    elif share >= 1:
        state, reason = State.ACHIEVED, "achieved"
    elif stale:
        state, reason = State.NO_DATA, "stale"
    else:
        state, reason = _STATE_BY_LIGHT[rules.light(share, expected)]
    return IndicatorStatus(
        indicator,
        as_of,
        state,
        reason,
        current=current,
        current_date=current_date,
        completion=share,
        expected=expected,
        gap=(share - expected) * 100,
        stale=stale,
        required_per_month=None if share >= 1 else required_per_month(indicator, current, as_of),
        forecast=forecast,
        forecast_completion=forecast_share,
        evidence=_evidence_on(points, current_date),
    )


def _milestone_status(
    indicator: Indicator, points: Sequence[DataPoint], as_of: date, rules: RulePreset
) -> IndicatorStatus:
    reported = _latest(points, as_of, lambda p: p.state in _MILESTONE_STATES)
    milestone = MilestoneState(reported.state) if reported else MilestoneState.NOT_STARTED
    late = months_late(indicator.due, as_of) if indicator.due else 0
    if milestone == MilestoneState.DONE:
        state, reason = State.ACHIEVED, "milestone_done"
    elif late >= rules.milestone_red_months:
        state, reason = State.OFF_TRACK, "milestone_very_late"
    elif late >= 1:
        state, reason = State.ATTENTION, "milestone_late"
    elif milestone == MilestoneState.SLIPPED:
        state, reason = State.ATTENTION, "milestone_slipped"
    elif milestone == MilestoneState.IN_PROGRESS:
        state, reason = State.ON_TRACK, "milestone_on_plan"
    else:
        state, reason = State.NOT_STARTED, "milestone_on_plan"
    return IndicatorStatus(
        indicator,
        as_of,
        state,
        reason,
        current_date=reported.as_of if reported else None,
        milestone_state=milestone,
        evidence=_evidence(points, as_of),
    )


def _qualitative_status(indicator: Indicator, points: Sequence[DataPoint], as_of: date) -> IndicatorStatus:
    assessment = _latest(points, as_of, lambda p: p.state in _ASSESSED_STATES)
    if assessment is None:
        return IndicatorStatus(
            indicator, as_of, State.NO_DATA, "not_assessed", evidence=_evidence(points, as_of)
        )
    return IndicatorStatus(
        indicator,
        as_of,
        State(assessment.state),
        "assessed",
        current_date=assessment.as_of,
        evidence=assessment.evidence,
    )


def _latest(points: Sequence[DataPoint], as_of: date, keep: Callable[[DataPoint], bool]) -> DataPoint | None:
    """The latest point on or before as_of that `keep` accepts; the last given wins a tie."""
    found: DataPoint | None = None
    for point in points:
        if point.as_of <= as_of and keep(point) and (found is None or point.as_of >= found.as_of):
            found = point
    return found


def _evidence_on(points: Sequence[DataPoint], day: date) -> str:
    """The evidence of the last point dated `day` that has any (`_evidence` kept to one day)."""
    found = ""
    for point in points:
        if point.as_of == day and point.evidence:
            found = point.evidence
    return found


def _evidence(
    points: Sequence[DataPoint],
    as_of: date,
    keep: Callable[[DataPoint], bool] = lambda _: True,
) -> str:
    point = _latest(points, as_of, lambda p: bool(p.evidence) and keep(p))
    return point.evidence if point else ""


@dataclass(frozen=True)
class AreaStatus:
    """A focus area at an as-of date: its weakest state and what its indicators add up to."""

    area: FocusArea
    state: State
    """The weakest (most severe) state over its target and milestone indicators and its
    assessed qualitative ones; NO_DATA when it has nothing to judge."""
    statuses: tuple[IndicatorStatus, ...]
    """Every indicator's status, all kinds, in plan order."""
    counts: dict[State, int]
    """How many of its indicators are in each state (every state present, zero or more)."""
    mean_gap: float | None
    """The mean gap over its target indicators that have one; None if none has."""
    behind: tuple[IndicatorStatus, ...]
    """Its target indicators by gap ascending (most behind first; those without a gap last)."""


def area_status(area: FocusArea, statuses: Sequence[IndicatorStatus]) -> AreaStatus:
    """Summarise an area from its indicators' statuses, given in plan order."""
    state = weakest_state(statuses)
    counts = dict.fromkeys(State, 0)
    for status in statuses:
        counts[status.state] += 1
    targets = [s for s in statuses if s.indicator.kind == IndicatorKind.TARGET]
    gaps = [s.gap for s in targets if s.gap is not None]
    return AreaStatus(
        area=area,
        state=state,
        statuses=tuple(statuses),
        counts=counts,
        mean_gap=sum(gaps) / len(gaps) if gaps else None,
        behind=tuple(sorted(targets, key=_gap_order)),
    )


def weakest_state(statuses: Sequence[IndicatorStatus]) -> State:
    """The most severe state over the statuses that are findings (targets, milestones and
    assessed qualitative indicators); NO_DATA when none is."""
    judged = [s for s in statuses if _counts_for_area(s)]
    return max((s.state for s in judged), key=lambda st: st.severity, default=State.NO_DATA)


def _counts_for_area(status: IndicatorStatus) -> bool:
    # An unassessed qualitative indicator is not a finding about the area, so it must not
    # drag the area's light down to "no data".
    return status.indicator.kind != IndicatorKind.QUALITATIVE or status.reason == "assessed"


def _gap_order(status: IndicatorStatus) -> tuple[bool, float]:
    return (status.gap is None, status.gap if status.gap is not None else 0.0)


@dataclass(frozen=True)
class PlanStatus:
    """A whole plan at an as-of date under a rule preset."""

    plan: Plan
    as_of: date
    rules: RulePreset
    areas: tuple[AreaStatus, ...]

    @property
    def statuses(self) -> tuple[IndicatorStatus, ...]:
        """Every indicator's status, in plan order."""
        return tuple(s for area in self.areas for s in area.statuses)

    @cached_property
    def _by_indicator_id(self) -> dict[str, IndicatorStatus]:
        return {s.indicator.id: s for s in self.statuses}

    def area(self, number: int) -> AreaStatus:
        """The status of the area with this number; KeyError if the plan has none."""
        for area in self.areas:
            if area.area.number == number:
                return area
        raise KeyError(number)

    def indicator(self, indicator_id: str) -> IndicatorStatus:
        """The status of the indicator with this id; KeyError if the plan has none."""
        return self._by_indicator_id[indicator_id]

    def most_behind(self, n: int) -> tuple[IndicatorStatus, ...]:
        """The `n` target indicators with the lowest gap across the plan, most behind first."""
        with_gap = [
            s for s in self.statuses if s.indicator.kind == IndicatorKind.TARGET and s.gap is not None
        ]
        return tuple(sorted(with_gap, key=_gap_order)[: max(0, n)])


class StatusMemo:
    """What `plan_status` worked out last time, for the next call to start from.

    An indicator whose points are the very same tuple as last time (tuples never change) is
    judged the same at the same date, by the same rules, on the same plan: it keeps its
    IndicatorStatus object, and an area whose every status was kept keeps its AreaStatus.
    Only the indicators whose points changed are worked out again (a value saved: one). Any
    other input (a list of points, another date, rules or plan) is worked out in full.

    Safe to share between threads: a call reads the last answer once and replaces it whole.
    """

    __slots__ = ("_last", "computed")

    def __init__(self) -> None:
        self._last: (
            tuple[Plan, date, RulePreset, dict[str, tuple[object, IndicatorStatus]], dict[int, AreaStatus]]
            | None
        ) = None
        self.computed = 0
        """How many indicators the last call worked out (the rest were kept)."""


def plan_status(
    plan: Plan,
    points_by_indicator: Mapping[str, Sequence[DataPoint]],
    as_of: date,
    rules: RulePreset = PRESETS[DEFAULT_PRESET],
    memo: StatusMemo | None = None,
) -> PlanStatus:
    """The status of every area and indicator of `plan` at `as_of`, at the plan's cadence.

    With a `memo`, what did not change since its last call is kept rather than worked out
    again (see `StatusMemo`); the answer is the same either way.
    """
    last = memo._last if memo is not None else None
    if last is not None and (last[0] is not plan or last[1] != as_of or last[2] != rules):
        last = None
    kept_statuses = last[3] if last is not None else {}
    kept_areas = last[4] if last is not None else {}
    statuses_now: dict[str, tuple[object, IndicatorStatus]] = {}
    areas_now: dict[int, AreaStatus] = {}
    computed = 0
    areas = []
    for area in plan.areas:
        statuses = []
        all_kept = True
        for indicator in area.indicators:
            points = points_by_indicator.get(indicator.id, ())
            hit = kept_statuses.get(indicator.id)
            if hit is not None and hit[0] is points and isinstance(points, tuple):
                status = hit[1]
            else:
                status = indicator_status(indicator, points, as_of, rules, plan.cadence_months)
                computed += 1
                all_kept = False
            statuses.append(status)
            statuses_now[indicator.id] = (points, status)
        before = kept_areas.get(area.number) if all_kept else None
        summary = before if before is not None and before.area is area else area_status(area, statuses)
        areas.append(summary)
        areas_now[area.number] = summary
    if memo is not None:
        memo._last = (plan, as_of, rules, statuses_now, areas_now)
        memo.computed = computed
    return PlanStatus(plan=plan, as_of=as_of, rules=rules, areas=tuple(areas))
