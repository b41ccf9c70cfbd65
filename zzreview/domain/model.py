"""The domain of a progress review: plans, indicators, data, meetings and action items.

Frozen dataclasses and enums only: no I/O, no Textual, no TinyDB. Everything else in
zzreview builds these from storage and passes them to the analysis and rendering layers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

__all__ = [
    "STATE_LIGHTS",
    "STATE_MARKS",
    "STATE_SEVERITY",
    "Accumulation",
    "ActionChange",
    "ActionItem",
    "ActionStatus",
    "AgendaItem",
    "Attendee",
    "ChangeKind",
    "DataPoint",
    "Decision",
    "Direction",
    "FocusArea",
    "HorizonKind",
    "Indicator",
    "IndicatorKind",
    "Judgement",
    "Light",
    "Measure",
    "Meeting",
    "MeetingState",
    "MilestoneState",
    "Note",
    "NoteKind",
    "PhasePoint",
    "Plan",
    "Presence",
    "State",
    "Verdict",
]


class Direction(StrEnum):
    """Which way is better for a numeric indicator."""

    HIGHER = ">="
    LOWER = "<="


class IndicatorKind(StrEnum):
    """The three kinds of indicator a measure can carry."""

    TARGET = "target"
    MILESTONE = "milestone"
    QUALITATIVE = "qualitative"


class Accumulation(StrEnum):
    """Whether values add up over the horizon (investment to date) or are a level (a rate)."""

    CUMULATIVE = "cumulative"
    LEVEL = "level"


class HorizonKind(StrEnum):
    """The span a target is stated for: the plan period (下半年) or the calendar year (全年)."""

    PERIOD = "period"
    YEAR = "year"


class MilestoneState(StrEnum):
    """Where a dated deliverable stands, as last reported."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SLIPPED = "slipped"


class State(StrEnum):
    """The six states an indicator (or an area) can be in at an as-of date."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ATTENTION = "attention"
    OFF_TRACK = "off_track"
    NOT_STARTED = "not_started"
    NO_DATA = "no_data"

    @property
    def mark(self) -> str:
        """The symbol shown beside the word, so status is never colour alone."""
        return STATE_MARKS[self]

    @property
    def severity(self) -> int:
        """Higher is worse; an area takes the state of its weakest indicator."""
        return STATE_SEVERITY[self]

    @property
    def light(self) -> Light:
        """The traffic light this state shows as."""
        return STATE_LIGHTS[self]


class Light(StrEnum):
    """Traffic-light colour of a state; grey when there is nothing to judge."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"


STATE_MARKS: dict[State, str] = {
    State.ACHIEVED: "✓",
    State.ON_TRACK: "●",
    State.ATTENTION: "▲",
    State.OFF_TRACK: "■",
    State.NOT_STARTED: "○",
    State.NO_DATA: "◌",
}

STATE_SEVERITY: dict[State, int] = {
    State.ACHIEVED: 0,
    State.NOT_STARTED: 1,
    State.ON_TRACK: 2,
    State.NO_DATA: 3,
    State.ATTENTION: 4,
    State.OFF_TRACK: 5,
}

STATE_LIGHTS: dict[State, Light] = {
    State.ACHIEVED: Light.GREEN,
    State.ON_TRACK: Light.GREEN,
    State.ATTENTION: Light.YELLOW,
    State.OFF_TRACK: Light.RED,
    State.NOT_STARTED: Light.GREY,
    State.NO_DATA: Light.GREY,
}


@dataclass(frozen=True)
class PhasePoint:
    """A planned cumulative value at a date, for a phased (non-linear) trajectory."""

    on: date
    value: float


@dataclass(frozen=True)
class Indicator:
    """Something the plan asks for that the meeting can judge.

    `target` indicators carry unit, target, direction, baseline and horizon; `milestone`
    indicators carry a due date; `qualitative` ones carry a checklist of what the plan asks.
    """

    id: str
    measure_id: str
    kind: IndicatorKind
    name: str
    source_text: str = ""
    name_en: str = ""
    unit: str = ""
    unit_en: str = ""
    target: float | None = None
    direction: Direction = Direction.HIGHER
    baseline: float = 0.0
    horizon: HorizonKind = HorizonKind.PERIOD
    horizon_start: date | None = None
    horizon_end: date | None = None
    accumulation: Accumulation = Accumulation.CUMULATIVE
    phased: tuple[PhasePoint, ...] = ()
    due: date | None = None
    checklist: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Measure:
    """A measure (举措) of a focus area, with the plan's own words."""

    id: str
    area_number: int
    title: str
    text: str
    title_en: str = ""
    lead_units: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class FocusArea:
    """A focus area (重点工作) of the plan."""

    number: int
    title: str
    title_en: str = ""
    measures: tuple[Measure, ...] = ()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator of every measure, in plan order."""
        return tuple(ind for m in self.measures for ind in m.indicators)


@dataclass(frozen=True)
class Plan:
    """A plan: what the meetings review."""

    id: str
    title: str
    start: date
    end: date
    language: str = "zh"
    title_en: str = ""
    short_title: str = ""
    cadence_months: int = 1
    source: str = ""
    areas: tuple[FocusArea, ...] = ()

    def area(self, number: int) -> FocusArea:
        """The area with this number; KeyError if the plan has none."""
        for area in self.areas:
            if area.number == number:
                return area
        raise KeyError(number)

    @property
    def measures(self) -> tuple[Measure, ...]:
        """Every measure, in plan order."""
        return tuple(m for a in self.areas for m in a.measures)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in plan order."""
        return tuple(i for a in self.areas for i in a.indicators)


@dataclass(frozen=True, slots=True)
class DataPoint:
    """One reported observation of an indicator at an as-of date.

    Numeric indicators carry `value`; milestones carry `state`; qualitative indicators carry
    `evidence` and, optionally, an assessed `state` (one of State's values).
    """

    indicator_id: str
    as_of: date
    value: float | None = None
    state: str = ""
    evidence: str = ""
    source: str = ""
    entered_by: str = ""
    note: str = ""


class Presence(StrEnum):
    """Whether an invited attendee came."""

    PRESENT = "present"
    ABSENT = "absent"
    DEPUTISED = "deputised"
    OBSERVING = "observing"
    """Attending without being a member (列席)."""


@dataclass(frozen=True)
class Attendee:
    """Someone invited to a meeting, and whether they came (or sent a deputy)."""

    name: str
    unit: str = ""
    presence: Presence = Presence.PRESENT
    deputy: str = ""


@dataclass(frozen=True)
class AgendaItem:
    """One step of the agenda: a focus area and its timebox."""

    area_number: int
    timebox_minutes: int = 8


class NoteKind(StrEnum):
    """What a note is: a plain record, or what the meeting pointed out, stressed or required
    (会议指出 / 会议强调 / 会议要求), which the minutes give a section of their own."""

    NOTE = "note"
    NOTED = "noted"
    STRESSED = "stressed"
    REQUIRED = "required"


@dataclass(frozen=True)
class Note:
    """A note taken under an area during a meeting."""

    area_number: int
    text: str
    author: str = ""
    kind: NoteKind = NoteKind.NOTE


@dataclass(frozen=True)
class Decision:
    """A decision (议定事项) reached at a meeting."""

    id: str
    text: str
    area_number: int | None = None


class Verdict(StrEnum):
    """The chair's judgement of a measure."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


@dataclass(frozen=True)
class Judgement:
    """The chair's judgement of a measure at a meeting, shown beside the computed light."""

    measure_id: str
    verdict: Verdict
    text: str = ""


class MeetingState(StrEnum):
    """Lifecycle of a meeting; closing freezes its snapshot."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


@dataclass(frozen=True)
class Meeting:
    """A review meeting; its date is the as-of date for every figure it shows."""

    id: str
    title: str
    date: date
    place: str = ""
    chair: str = ""
    secretary: str = ""
    state: MeetingState = MeetingState.PLANNED
    attendees: tuple[Attendee, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    notes: tuple[Note, ...] = ()
    decisions: tuple[Decision, ...] = ()
    judgements: tuple[Judgement, ...] = ()
    area_seconds: dict[int, int] = field(default_factory=dict)
    number: str = ""
    """The minutes' issue number (期数), as the office writes it: 第10期."""
    issuer: str = ""
    """Who issues the minutes (印发机关), e.g. 市政府办公室."""
    distribution: str = ""
    """Who the minutes are sent to (分送)."""


class ActionStatus(StrEnum):
    """Where an action item stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        """Open and in-progress items are carried over to the next meeting."""
        return self in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ChangeKind(StrEnum):
    """What an entry in an action item's history records."""

    RAISED = "raised"
    STATUS = "status"
    EDITED = "edited"
    PROGRESS = "progress"
    """A line on how the item stands, recorded at a meeting (its status unchanged)."""


@dataclass(frozen=True, slots=True)
class ActionChange:
    """One entry in an action item's history: when, at which meeting, by whom, and what.

    A status change carries the status before and after (and, for 销号, its evidence); an
    edit names the fields it changed; a progress entry carries its line in `evidence`.
    """

    at: str
    meeting_id: str
    kind: ChangeKind = ChangeKind.RAISED
    before: ActionStatus | None = None
    after: ActionStatus | None = None
    evidence: str = ""
    who: str = ""
    fields: tuple[str, ...] = ()


OPEN_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})
"""The statuses an item is carried over in; as text they are the same (`"open" in OPEN_STATUSES`)."""


def status_after(
    latest_first: Iterable[tuple[str, str, str, str | None]], day: str, meeting_id: str = ""
) -> str:
    """An item's status at the end of `day` (ISO): the last status change made by then, or at
    the meeting `meeting_id` whenever typed; open if none. Its history's entries come as (at,
    meeting id, kind, status after), the latest first, and are read only until that change is
    found. They may be an item's changes or a stored document's, as text: the enums here are
    text too."""
    for at, made_at, kind, after in latest_first:
        if (
            kind == ChangeKind.STATUS
            and after is not None
            and (at[:10] <= day or (meeting_id and made_at == meeting_id))
        ):
            return after
    return ActionStatus.OPEN


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An action item (交办事项): who does what by when, raised at a meeting."""

    id: str
    text: str
    owner: str
    meeting_id: str
    lead_unit: str = ""
    supporting_units: tuple[str, ...] = ()
    due: date | None = None
    measure_id: str = ""
    area_number: int | None = None
    status: ActionStatus = ActionStatus.OPEN
    history: tuple[ActionChange, ...] = ()

    def is_overdue(self, as_of: date) -> bool:
        """Still open after its due date."""
        return self.status.is_open and self.due is not None and self.due < as_of

    def status_on(self, day: date, meeting_id: str = "") -> ActionStatus:
        """The status `as_of(day, meeting_id)` would give, without building the item."""
        latest_first = ((c.at, c.meeting_id, c.kind, c.after) for c in reversed(self.history))
        return ActionStatus(status_after(latest_first, day.isoformat(), meeting_id))

    def as_of(self, day: date, meeting_id: str = "") -> ActionItem:
        """The item as it stood at the end of `day`: later history undone — except what was
        recorded at the meeting `meeting_id`, whenever it was typed (the minutes of a meeting
        held on an earlier day may be written up later, or the demo's meeting typed today)."""
        history = tuple(
            h
            for h in self.history
            if h.at[:10] <= day.isoformat() or (meeting_id and h.meeting_id == meeting_id)
        )
        status = ActionStatus.OPEN
        for change in history:
            if change.kind is ChangeKind.STATUS and change.after is not None:
                status = change.after
        return replace(self, history=history, status=status)
