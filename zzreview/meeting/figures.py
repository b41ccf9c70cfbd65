"""What a meeting's figures are judged by, and when its reviewed items were raised.

Shared by the meeting's view (the screens) and its minutes, so the two never disagree: a
closed meeting is judged by the rule preset frozen when it closed, an open one by the preset
asked for; an item reviewed (回头看) is shown with the date of the meeting that raised it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from zzreview.analysis import DEFAULT_PRESET, PRESETS, PlanStatus, RulePreset, plan_status, preset
from zzreview.analysis.status import StatusMemo
from zzreview.domain import ActionItem, Meeting, Plan
from zzreview.rendering.minutes import CarriedAction
from zzreview.storage.layout import MEETINGS_TABLE, PLAN_TABLE, VALUES_TABLE
from zzreview.storage.repository import Figures, Repository

Rules = RulePreset | str | None
"""A rule preset, or its name; None for the default."""


def rules_for(figures: Figures, rules: Rules) -> RulePreset:
    """The preset a meeting is judged by: the one frozen when it closed, else `rules`."""
    if figures.rules:
        return preset(figures.rules)
    if isinstance(rules, RulePreset):
        return rules
    return preset(rules) if rules else PRESETS[DEFAULT_PRESET]


def status_at(repo: Repository, meeting: Meeting, rules: Rules, figures: Figures | None = None) -> PlanStatus:
    """The plan's status at a meeting's date, from the figures it shows."""
    figures = figures if figures is not None else repo.figures(meeting)
    judged_by = rules_for(figures, rules)
    # The status is derived from the values and, for a closed meeting, its snapshot: kept
    # until either table changes, so a saved action item does not recompute every light. When
    # the values did change (a value saved), only the indicators whose points changed are
    # judged again (`StatusMemo`, one per meeting): their tuples are new, the others' are not.
    key = (
        "status",
        meeting.id,
        figures.as_of,
        judged_by,
        repo.version(VALUES_TABLE, MEETINGS_TABLE, PLAN_TABLE),
    )
    points = figures.point_tuples if figures.point_tuples is not None else figures.points

    def compute() -> PlanStatus:
        return plan_status(repo.plan(), points, figures.as_of, judged_by, memo=status_memo(repo, meeting.id))

    return repo.remember(key, compute)


def status_memo(repo: Repository, meeting_id: str) -> StatusMemo:
    """The `StatusMemo` of a meeting's status on this repository (kept as long as it is)."""
    return repo.kept(("status", meeting_id), StatusMemo)


def raise_dates(meetings: Sequence[Meeting]) -> dict[str, date]:
    """The date of each meeting by id: when the items raised at it were raised."""
    return {m.id: m.date for m in meetings}


def reviewed_with_dates(
    items: Sequence[ActionItem], meetings: Sequence[Meeting]
) -> tuple[CarriedAction, ...]:
    """Each reviewed item with the date of the meeting it was raised at ("carried from")."""
    dates = raise_dates(meetings)
    return tuple(CarriedAction(item, dates.get(item.meeting_id)) for item in items)


REVIEW_TIMEBOX_MINUTES = 5
"""The timebox of the 回头看 step, which no agenda lists."""
DEFAULT_TIMEBOX_MINUTES = 8
"""Each area's timebox when the meeting has no agenda (every area in plan order)."""


def agenda_steps(plan: Plan, meeting: Meeting, *, reviewing: bool) -> list[tuple[int, int]]:
    """The meeting's steps as (area number, planned minutes): 回头看 (area 0) first when it
    reviews carried items, then its agenda's areas that the plan has (every area in plan order
    when it has none). The screens walk these steps and the minutes report against them."""
    known = {area.number for area in plan.areas}
    steps = [(item.area_number, item.timebox_minutes) for item in meeting.agenda if item.area_number in known]
    if not steps:
        steps = [(area.number, DEFAULT_TIMEBOX_MINUTES) for area in plan.areas]
    if reviewing:
        steps.insert(0, (0, REVIEW_TIMEBOX_MINUTES))
    return steps
