"""What a meeting shows, computed once from the repository: the figures at the meeting's date,
the agenda steps, the league table and the action items per area.

No Textual here: the app's screens read this object, and tests can check it headless.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from zzreview.analysis import AreaRank, IndicatorStatus, PlanStatus, rank_areas, rank_changes
from zzreview.domain import ActionItem, DataPoint, Decision, Judgement, Meeting, MeetingState, Note, Plan
from zzreview.meeting.figures import Rules, agenda_steps, raise_dates, reviewed_with_dates, status_at
from zzreview.meeting.kept import kept_review
from zzreview.rendering.minutes import CarriedAction
from zzreview.storage.layout import ACTIONS_TABLE, MEETINGS_TABLE, PLAN_TABLE
from zzreview.storage.repository import Once, Repository

REVIEW_STEP = 0
"""The agenda step number used for 回头看 (areas use their own numbers 1…)."""


@dataclass(frozen=True)
class Step:
    """One agenda step: the 回头看 review (area 0) or a focus area, with its timebox."""

    area_number: int
    timebox_minutes: int

    @property
    def is_review(self) -> bool:
        return self.area_number == REVIEW_STEP


@dataclass
class MeetingView:
    """Everything the meeting screens show, at the meeting's date."""

    plan: Plan
    meeting: Meeting
    lang: str
    notice: str
    figures: Callable[[], tuple[PlanStatus, Mapping[str, list[DataPoint]]]]
    """The plan's status at the meeting and the points its charts draw, worked out on first
    use (`status`, `points`, `ranks`): 回头看, the first screen, shows none of them, so the app
    is up before 60,000 values are decoded at city scale."""
    steps: list[Step]
    carried: tuple[CarriedAction, ...]
    """The items reviewed (回头看), each with the date it was raised."""
    previous_ranks: Callable[[], list[AreaRank] | None] = lambda: None
    """The league table at the previous meeting (None if there was none), computed when the
    rank changes are first asked for: the first screen never waits for last meeting's figures."""
    area_actions: Callable[[], dict[int | None, list[ActionItem]]] = dict
    """The items each area lists (`actions_by_area`), sorted out on first use: 回头看 lists
    only the items it reviews, so a launch decodes no other."""
    notes_by_area: dict[int, list[Note]] = field(default_factory=dict)
    decisions_by_area: dict[int | None, list[Decision]] = field(default_factory=dict)
    judgements: dict[str, Judgement] = field(default_factory=dict)
    raise_dates: dict[str, date] = field(default_factory=dict)
    names: Callable[[], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = lambda: ((), (), ())
    """(owners, units, people) for the forms' completions, counted when a form first asks."""
    next_planned: Meeting | None = None
    """The first planned meeting after this one, if any."""

    _rank_change: dict[int, int | None] | None = field(default=None, init=False, repr=False, compare=False)
    _lazy_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)
    _worked_out: tuple[PlanStatus, Mapping[str, list[DataPoint]], list[AreaRank]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _figures_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def work_out(self) -> tuple[PlanStatus, Mapping[str, list[DataPoint]], list[AreaRank]]:
        """The status, points and league table, worked out once (any thread may ask first)."""
        done = self._worked_out
        if done is None:
            with self._figures_lock:
                done = self._worked_out
                if done is None:
                    status, points = self.figures()
                    ranks = rank_areas(status)
                    self._areas_items()  # the areas' items too: every item is decoded here,
                    self._named()  # and the forms' completions counted
                    done = self._worked_out = (status, points, ranks)
        return done

    @property
    def figures_ready(self) -> bool:
        """Whether `status`, `points` and `ranks` are worked out yet."""
        return self._worked_out is not None

    @property
    def status(self) -> PlanStatus:
        return self.work_out()[0]

    @property
    def points(self) -> Mapping[str, list[DataPoint]]:
        return self.work_out()[1]

    @property
    def ranks(self) -> list[AreaRank]:
        """The league table at the meeting."""
        return self.work_out()[2]

    @property
    def as_of(self) -> date:
        return self.meeting.date

    _names: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _by_area: dict[int | None, list[ActionItem]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _items_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @property
    def actions_by_area(self) -> dict[int | None, list[ActionItem]]:
        """Each area's items (None: no area): those raised at this meeting, and those raised
        before it that are still open. Sorted out with the figures (`work_out`)."""
        return self._areas_items()

    def _areas_items(self) -> dict[int | None, list[ActionItem]]:
        # Not the lazy lock: `work_out` asks for this (and for `_named`) holding the figures'
        # lock, and `rank_change` asks for the figures holding the lazy lock.
        with self._items_lock:
            if self._by_area is None:
                self._by_area = self.area_actions()
            return self._by_area

    def _named(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        with self._items_lock:  # not the lazy lock: see `_areas_items`
            if self._names is None:
                self._names = self.names()
            return self._names

    @property
    def owners(self) -> tuple[str, ...]:
        """Every owner named on an action item so far, most used first: a form's completions."""
        return self._named()[0]

    @property
    def units(self) -> tuple[str, ...]:
        """Every unit named so far (the plan's lead units, the items' lead and supporting units)."""
        return self._named()[1]

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone on any meeting's attendance list so far."""
        return self._named()[2]

    @property
    def rank_change(self) -> dict[int, int | None]:
        """How far each area moved in the league table since the previous meeting (None: not
        ranked then), worked out once on first use (the app asks for it off-screen first)."""
        with self._lazy_lock:
            if self._rank_change is None:
                before = self.previous_ranks()
                if before is None:
                    self._rank_change = {rank.area_number: None for rank in self.ranks}
                else:
                    self._rank_change = rank_changes(self.ranks, before)
            return self._rank_change

    def step_index(self, area_number: int) -> int | None:
        """Where an area (or 回头看, 0) sits in the agenda; None if it is not on it."""
        for index, step in enumerate(self.steps):
            if step.area_number == area_number:
                return index
        return None

    def open_actions(self, area_number: int) -> list[ActionItem]:
        """Open items in an area, carried over or new."""
        return [a for a in self.actions_by_area.get(area_number, []) if a.status.is_open]

    def overdue_actions(self, area_number: int) -> list[ActionItem]:
        """Open items in an area past their due date at the meeting's date."""
        return [a for a in self.open_actions(area_number) if a.is_overdue(self.as_of)]

    def carried_from(self, item: ActionItem) -> str:
        """The date of the meeting an item was raised at, for "carried from …"."""
        raised = self.raise_dates.get(item.meeting_id)
        return raised.isoformat() if raised else item.meeting_id

    def action_item(self, action_id: str) -> ActionItem | None:
        """An item this meeting shows (in 回头看 or in an area's list), by id."""
        carried = next((c.item for c in self.carried if c.item.id == action_id), None)
        if carried is not None:
            return carried
        for items in self.actions_by_area.values():
            for item in items:
                if item.id == action_id:
                    return item
        return None

    def indicator_points(self, status: IndicatorStatus) -> list[DataPoint]:
        """The points the chart of this indicator draws (up to the meeting's date)."""
        return [p for p in self.points.get(status.indicator.id, []) if p.as_of <= self.as_of]


def _by_use(counts: Counter) -> list[str]:
    return [name for name, _ in counts.most_common()]


def build_meeting_view(repo: Repository, meeting_id: str, lang: str, rules: Rules) -> MeetingView:
    """Compute the view of one meeting: its figures frozen if closed, live if not."""
    plan = repo.plan()
    meeting = repo.meeting(meeting_id)
    meetings = repo.meetings()
    figures = repo.figures(meeting)
    previous = repo.previous_meeting(meeting)

    def worked_out() -> tuple[PlanStatus, Mapping[str, list[DataPoint]]]:
        return status_at(repo, meeting, rules, figures), figures.points

    def previous_ranks() -> list[AreaRank] | None:
        return rank_areas(status_at(repo, previous, rules)) if previous is not None else None

    # What is worked out from the items and the meetings is kept by the repository until one of
    # their tables changes: a value saved rebuilds the view without going through 10,000 items
    # again. The tables' tokens are taken when first needed, as taking them reads the items.
    items_as_of = Once(lambda: repo.version(ACTIONS_TABLE, MEETINGS_TABLE))

    def work_out_carried() -> tuple[ActionItem, ...]:
        return repo.remember(
            ("carried", meeting.id, *items_as_of()), lambda: tuple(figures.carried(meeting, meetings))
        )

    # 回头看, the first screen, kept between launches too: at city scale a launch then reads
    # none of the 10,000 items (7 MB) before its first screen, only the ones it shows.
    carried = kept_review(repo, meeting.id, work_out_carried)

    def by_area() -> dict[int | None, tuple[ActionItem, ...]]:
        raised_here_or_before = {m.id for m in meetings if (m.date, m.id) <= (meeting.date, meeting.id)}
        items: dict[int | None, list[ActionItem]] = defaultdict(list)
        for item in figures.actions:
            if item.meeting_id == meeting.id or (
                item.meeting_id in raised_here_or_before and item.status.is_open
            ):
                items[item.area_number].append(item)
        return {area: tuple(listed) for area, listed in items.items()}

    def area_actions() -> dict[int | None, list[ActionItem]]:
        kept = repo.remember(("area items", meeting.id, *items_as_of()), by_area)
        return {area: list(items) for area, items in kept.items()}

    notes_by_area: dict[int, list[Note]] = defaultdict(list)
    for note in meeting.notes:
        notes_by_area[note.area_number].append(note)
    decisions_by_area: dict[int | None, list[Decision]] = defaultdict(list)
    for decision in meeting.decisions:
        decisions_by_area[decision.area_number].append(decision)

    def count_names() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        owners = Counter(item.owner for item in figures.actions)
        units = Counter(unit for m in plan.measures for unit in m.lead_units)
        units.update(u for item in figures.actions for u in (item.lead_unit, *item.supporting_units) if u)
        people = Counter(p.name for m in meetings for p in m.attendees)
        return tuple(_by_use(owners)), tuple(_by_use(units)), tuple(_by_use(people))

    plan_as_of = repo.version(PLAN_TABLE)

    def names() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return repo.remember(("names", meeting.id, *items_as_of(), *plan_as_of), count_names)

    steps = [
        Step(number, minutes) for number, minutes in agenda_steps(plan, meeting, reviewing=bool(carried))
    ]
    return MeetingView(
        plan=plan,
        meeting=meeting,
        lang=lang,
        notice=repo.notice(lang),
        figures=worked_out,
        steps=steps,
        carried=reviewed_with_dates(carried, meetings),
        previous_ranks=previous_ranks,
        area_actions=area_actions,
        notes_by_area=dict(notes_by_area),
        decisions_by_area=dict(decisions_by_area),
        judgements={j.measure_id: j for j in meeting.judgements},
        raise_dates=raise_dates(meetings),
        names=names,
        next_planned=next(
            (
                m
                for m in meetings
                if m.state is MeetingState.PLANNED and (m.date, m.id) > (meeting.date, meeting.id)
            ),
            None,
        ),
    )


def meeting_document(meeting: Meeting) -> dict:
    """A meeting as JSON-able data, the same shape the database keeps it in."""
    from zzreview.storage.codec import to_doc

    return to_doc(meeting)
