"""Every change a person can make to a meeting's record, one function each.

The command line and the app write only through these. Each validates its input before
anything is written and raises `EntryError` naming the field (`owner`, `due`, `value` …, never
a command-line flag), so a form can show the message beside the field and the command line can
print it as one line. Each returns `Recorded`: what was recorded, and the event the store saved
(who, which seat, when, what) — the handle undo and the other seats need.

Dates may be given as `date` objects or as typed text in any accepted form (`2024-11-30`,
`+2w`, `月底` …); relative ones count from the meeting's date, never the wall clock.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Concatenate, Generic, ParamSpec, TypeVar

from zzreview.analysis import DEFAULT_PRESET, PRESETS, AreaStatus, PlanStatus, RulePreset
from zzreview.domain import (
    ActionChange,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    ChangeKind,
    DataPoint,
    Decision,
    IndicatorKind,
    Judgement,
    Measure,
    Meeting,
    MeetingState,
    Note,
    NoteKind,
    Presence,
    State,
    Verdict,
)
from zzreview.domain.entry import EntryError, parse_day, parse_reading, reading_problem
from zzreview.domain.text import clean_line, clean_text
from zzreview.meeting.figures import status_at
from zzreview.storage.repository import (
    Followed,
    MeetingOnThatDay,
    Repository,
    closed_meeting_error,
    same_day_error,
)
from zzreview.storage.store import Event, Saved

__all__ = [
    "ACTION_FIELDS",
    "MAX_AREA_SECONDS",
    "MIN_TIMEBOX_MINUTES",
    "TIMEBOX_WEIGHTS",
    "UNDOABLE",
    "Conflict",
    "EntryError",
    "Followed",
    "ImportProblems",
    "MeetingOnThatDay",
    "Recorded",
    "ValueLine",
    "add_action",
    "add_decision",
    "add_note",
    "close_action",
    "close_meeting",
    "drop_action",
    "edit_action",
    "edit_meeting",
    "import_values",
    "meeting_for",
    "new_meeting",
    "order_agenda",
    "publish_area",
    "record_area_time",
    "record_progress",
    "record_value",
    "reference_date",
    "review_action",
    "set_action_status",
    "set_attendance",
    "set_judgement",
    "split_minutes",
    "start_meeting",
    "undo",
    "update_action",
]

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

DateInput = date | str | None
"""A date as given: a `date`, typed text, or nothing."""


@dataclass(frozen=True)
class Recorded(Generic[T]):
    """What a command recorded, and the event that holds it (None: nothing had to change)."""

    value: T
    event: Event | None


P = ParamSpec("P")


def _command(
    function: Callable[Concatenate[Repository, P], Recorded[T]],
) -> Callable[Concatenate[Repository, P], Recorded[T]]:
    """A command checks its input against the data as it is now: another seat may have saved
    since this one last looked. What can still change between the check and the write is
    checked again by the repository under the lock."""

    @functools.wraps(function)
    def fresh(repo: Repository, *args: P.args, **kwargs: P.kwargs) -> Recorded[T]:
        repo.refresh()
        return function(repo, *args, **kwargs)

    return fresh


def _recorded(saved: Saved[T]) -> Recorded[T]:
    return Recorded(saved.result, saved.event)


# -- shared checks ---------------------------------------------------------------------------


def reference_date(repo: Repository) -> date:
    """The date relative dates count from: the current meeting's, else the last meeting's, else
    the plan's end."""
    meeting = repo.current_meeting()
    if meeting is not None:
        return meeting.date
    meetings = repo.meetings()
    return meetings[-1].date if meetings else repo.plan().end


def _day(value: DateInput, reference: date, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    return parse_day(value, reference, field)


def meeting_for(repo: Repository, meeting_id: str | None, *, open_only: bool = True) -> Meeting:
    """The named meeting, else the current one; a closed one only when `open_only` is false."""
    if meeting_id:
        meeting = repo.meeting(meeting_id)
    else:
        current = repo.current_meeting()
        if current is None:
            raise EntryError("meeting", "no meeting in progress or planned: plan one first")
        meeting = current
    if open_only and meeting.state is MeetingState.CLOSED:
        raise closed_meeting_error(meeting.id)
    return meeting


def _within_the_plan(repo: Repository, day: date) -> None:
    """A meeting reviews the plan: its date falls within a year of the plan's period."""
    plan = repo.plan()
    if not plan.start.year - 1 <= day.year <= plan.end.year + 1:
        raise EntryError(
            "date",
            f"{day.isoformat()} is far from the plan's period ({plan.start.isoformat()} to "
            f"{plan.end.isoformat()}); check the year",
        )


def _at_meeting(repo: Repository, meeting_id: str | None) -> str:
    """The meeting a change to an item is recorded at: the named one (which must exist), else
    the current one, else none."""
    if meeting_id:
        return repo.meeting(meeting_id).id
    current = repo.current_meeting()
    return current.id if current else ""


def _area(repo: Repository, area: int | str | None, *, required: bool = False) -> int | None:
    plan = repo.plan()
    if area is None or (isinstance(area, str) and not area.strip()):
        if required:
            raise EntryError("area", f"name the focus area (1 to {len(plan.areas)})")
        return None
    try:
        number = int(area)
    except ValueError:
        raise EntryError("area", f"expected an area number (1 to {len(plan.areas)}), got {area!r}") from None
    if number not in {a.number for a in plan.areas}:
        raise EntryError("area", f"no area {number}; the plan has areas 1 to {len(plan.areas)}")
    return number


def _measure_and_area(repo: Repository, measure_id: str, area: int | str | None) -> tuple[str, int | None]:
    """A linked measure (and the area it belongs to), checked against the plan."""
    measure_id = measure_id.strip()
    area_number = _area(repo, area)
    if not measure_id:
        return "", area_number
    measure_area = _measure(repo, measure_id).area_number
    if area_number is not None and area_number != measure_area:
        raise EntryError("measure", f"measure {measure_id} belongs to area {measure_area}, not {area_number}")
    return measure_id, measure_area


def _owner(value: str) -> str:
    owner = clean_line(value)
    if not owner:
        raise EntryError("owner", "an action item needs an owner (牵头领导 or a person)")
    return owner


def _measure(repo: Repository, measure_id: str) -> Measure:
    measures = {m.id: m for m in repo.plan().measures}
    if measure_id not in measures:
        raise EntryError("measure", f"no measure {measure_id!r} in the plan (ids look like 4.2)")
    return measures[measure_id]


def _choice(kind: type[E], value: E | str, field: str) -> E:
    """`value` as a member of the enum `kind`; EntryError lists the choices."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise EntryError(field, f"expected one of {choices}, got {value!r}") from None


def _text(value: str, field: str, what: str) -> str:
    text = clean_text(value).strip()
    if not text:
        raise EntryError(field, f"{what} is empty")
    return text


def _units(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(u for u in (clean_line(v) for v in values) if u)


# -- action items ----------------------------------------------------------------------------


ACTION_FIELDS = ("text", "owner", "lead_unit", "supporting_units", "due", "measure_id", "area_number")
"""What an edit may change on an action item."""


@_command
def add_action(
    repo: Repository,
    text: str,
    owner: str,
    *,
    due: DateInput = None,
    area: int | str | None = None,
    measure: str = "",
    lead_unit: str = "",
    supporting: Sequence[str] = (),
    meeting_id: str | None = None,
) -> Recorded[ActionItem]:
    """Record a new action item (交办事项); it belongs to the named meeting, else the current one."""
    text = _text(text, "text", "the action item's text")
    owner = _owner(owner)
    meeting = meeting_for(repo, meeting_id)
    measure_id, area_number = _measure_and_area(repo, measure, area)
    item = ActionItem(
        id="",
        text=text,
        owner=owner,
        meeting_id=meeting.id,
        lead_unit=clean_line(lead_unit),
        supporting_units=_units(supporting),
        due=_day(due, meeting.date, "due"),
        measure_id=measure_id,
        area_number=area_number,
        history=(ActionChange(at=repo.now(), meeting_id=meeting.id, who=clean_line(repo.who)),),
    )
    return _recorded(repo.add_action(item))


def _edit(
    repo: Repository,
    *,
    text: str | None,
    owner: str | None,
    lead_unit: str | None,
    supporting: Sequence[str] | None,
    due: DateInput,
    clear_due: bool,
    measure: str | None,
    area: int | str | None,
    meeting_id: str | None,
) -> Callable[[ActionItem], ActionItem]:
    """An edit of an item's fields, checked now, as the change to apply to the item as it
    stands under the lock."""
    wanted: dict[str, object] = {}
    if text is not None:
        wanted["text"] = _text(text, "text", "the action item's text")
    if owner is not None:
        wanted["owner"] = _owner(owner)
    if lead_unit is not None:
        wanted["lead_unit"] = clean_line(lead_unit)
    if supporting is not None:
        wanted["supporting_units"] = _units(supporting)
    if clear_due:
        wanted["due"] = None
    else:
        day = _day(due, reference_date(repo), "due")
        if day is not None:
            wanted["due"] = day
    if measure is not None:
        measure = measure.strip()
        if measure:
            _measure(repo, measure)
    new_area = _area(repo, area)
    at_meeting = _at_meeting(repo, meeting_id)
    who = clean_line(repo.who)

    def change(item: ActionItem) -> ActionItem:
        fields = dict(wanted)
        if measure is not None or new_area is not None:
            # Decided on the item as it stands: a new area keeps the measure only if it is in it;
            # unlinking the measure keeps the area.
            linked = item.measure_id if measure is None else measure
            if measure is None and linked and _measure(repo, linked).area_number != new_area:
                linked = ""
            fields["measure_id"], fields["area_number"] = _measure_and_area(
                repo, linked, new_area if new_area is not None else (None if linked else item.area_number)
            )
        changed = tuple(
            name for name in ACTION_FIELDS if name in fields and getattr(item, name) != fields[name]
        )
        if not changed:
            return item
        entry = ActionChange(
            at=repo.now(), meeting_id=at_meeting, kind=ChangeKind.EDITED, who=who, fields=changed
        )
        return replace(item, **{name: fields[name] for name in changed}, history=(*item.history, entry))

    return change


def edit_action(
    repo: Repository,
    action_id: str,
    *,
    text: str | None = None,
    owner: str | None = None,
    lead_unit: str | None = None,
    supporting: Sequence[str] | None = None,
    due: DateInput = None,
    clear_due: bool = False,
    measure: str | None = None,
    area: int | str | None = None,
    meeting_id: str | None = None,
) -> Recorded[ActionItem]:
    """Change what an action item says; fields left as None stay as they are.

    Its history records which fields changed; an edit that changes nothing records nothing.
    """
    return update_action(
        repo,
        action_id,
        text=text,
        owner=owner,
        lead_unit=lead_unit,
        supporting=supporting,
        due=due,
        clear_due=clear_due,
        measure=measure,
        area=area,
        meeting_id=meeting_id,
    )


def _line_for(status: ActionStatus | None, line: str) -> None:
    """Closing an item (销号) needs a line of evidence and dropping it a reason: neither is ever
    silent."""
    if status is ActionStatus.DONE and not line:
        raise EntryError("evidence", "closing an action item (销号) needs a line of evidence")
    if status is ActionStatus.DROPPED and not line:
        raise EntryError("evidence", "dropping an action item needs a line giving the reason")


def _status_or_progress(
    repo: Repository,
    action_id: str,
    status: ActionStatus | None,
    line: str,
    meeting_id: str | None,
    *,
    line_required: bool,
) -> Recorded[ActionItem]:
    """One event on an item: a move to `status` with `line` as its evidence, or, when the item
    already has that status (or none is named), `line` as a progress entry (进展).

    Which of the two is decided on the item as it stands under the lock; the event's kind is
    named from the fresh read before it, so the two differ only if another seat moved the item
    in between. With nothing to say, nothing is recorded, or, if `line_required`, EntryError.
    """
    change, kind, summary = _review(repo, action_id, status, line, meeting_id, line_required=line_required)
    return _recorded(repo.update_action(action_id, change, kind=kind, summary=summary))


def _review(
    repo: Repository,
    action_id: str,
    status: ActionStatus | None,
    line: str,
    meeting_id: str | None,
    *,
    line_required: bool,
) -> tuple[Callable[[ActionItem], ActionItem], str, str]:
    """The change `_status_or_progress` applies, with the event's kind and summary."""
    looked = repo.current_action(action_id)
    at_meeting = _at_meeting(repo, meeting_id)
    who = clean_line(repo.who)

    def change(item: ActionItem) -> ActionItem:
        if status is not None and item.status is not status:
            entry = ActionChange(
                at=repo.now(),
                meeting_id=at_meeting,
                kind=ChangeKind.STATUS,
                before=item.status,
                after=status,
                evidence=line,
                who=who,
            )
            return replace(item, status=status, history=(*item.history, entry))
        if not line:
            if line_required:
                raise EntryError("progress", f"{item.id} is {item.status.value} already: say how it stands")
            return item  # nothing to say: no history entry, no event
        entry = ActionChange(
            at=repo.now(), meeting_id=at_meeting, kind=ChangeKind.PROGRESS, evidence=line, who=who
        )
        return replace(item, history=(*item.history, entry))

    if status is not None and looked.status is not status:
        return change, "action.status", status.value
    return change, "action.progress", f"progress: {line[:60]}"


@_command
def update_action(
    repo: Repository,
    action_id: str,
    *,
    text: str | None = None,
    owner: str | None = None,
    lead_unit: str | None = None,
    supporting: Sequence[str] | None = None,
    due: DateInput = None,
    clear_due: bool = False,
    measure: str | None = None,
    area: int | str | None = None,
    status: ActionStatus | str | None = None,
    line: str = "",
    meeting_id: str | None = None,
    expected: ActionItem | None = None,
) -> Recorded[ActionItem]:
    """An item's form saved as one change (one event, one undo): its fields edited, then its
    new status (with `line` as evidence or reason) or, with the status unchanged, `line` as
    progress. Everything is checked before anything is written.

    `expected` is the item as the form showed it: a field this save changes that another seat
    has changed since is refused with `Conflict` (both versions in it), checked under the lock;
    fields only the other seat changed are kept, so the two edits merge.
    """
    if isinstance(status, str) and not status.strip():
        status = None
    wanted = None if status is None else _choice(ActionStatus, status, "status")
    text_line = clean_text(line).strip()
    _line_for(wanted, text_line)
    edit = _edit(
        repo,
        text=text,
        owner=owner,
        lead_unit=lead_unit,
        supporting=supporting,
        due=due,
        clear_due=clear_due,
        measure=measure,
        area=area,
        meeting_id=meeting_id,
    )
    review, kind, summary = _review(repo, action_id, wanted, text_line, meeting_id, line_required=False)
    looked = repo.current_action(action_id)
    if (wanted is None or looked.status is wanted) and not text_line:
        kind, summary = "action.edit", "edited"

    def change(item: ActionItem) -> ActionItem:
        new = review(edit(item))
        if expected is not None:
            _refuse_conflicts(expected, item, new)
        return new

    return _recorded(repo.update_action(action_id, change, kind=kind, summary=summary))


class Conflict(EntryError):
    """Another seat changed a field since the form showed it, and this save changes it too."""

    def __init__(self, field: str, shown: object, theirs: object, mine: object) -> None:
        super().__init__(
            field,
            f"changed on another seat since you opened it: it now reads {_said(theirs)} "
            f"(you saw {_said(shown)}, you typed {_said(mine)})",
        )
        self.shown, self.theirs, self.mine = shown, theirs, mine


def _judged(judgement: Judgement | None) -> str:
    """A judgement as a conflict quotes it: its verdict and its line."""
    if judgement is None:
        return ""
    return f"{judgement.verdict.value} {judgement.text}".strip()


def _said(value: object) -> str:
    if isinstance(value, tuple):
        value = "、".join(str(v) for v in value)
    if isinstance(value, StrEnum):
        value = value.value
    return f"“{value}”" if value not in (None, "") else "nothing"


CONFLICT_FIELDS = {
    "text": "text",
    "owner": "owner",
    "lead_unit": "lead_unit",
    "supporting_units": "supporting",
    "due": "due",
    "measure_id": "measure",
    "status": "status",
}
"""An item's fields, by the name the form calls them."""


def _refuse_if_changed_since(field: str, seen: object, theirs: object, mine: object) -> None:
    """The one rule of a stale form: a value another seat changed since the form showed it
    (`seen` → `theirs`) that this save would make something else (`mine`) is a `Conflict`."""
    if theirs != seen and theirs != mine:
        raise Conflict(field, seen, theirs, mine)


def _refuse_conflicts(shown: ActionItem, current: ActionItem, new: ActionItem) -> None:
    """Refuse a field this save changes when another seat changed it since it was shown."""
    for name, field in CONFLICT_FIELDS.items():
        _refuse_if_changed_since(field, getattr(shown, name), getattr(current, name), getattr(new, name))


@_command
def set_action_status(
    repo: Repository,
    action_id: str,
    status: ActionStatus | str,
    *,
    evidence: str = "",
    meeting_id: str | None = None,
) -> Recorded[ActionItem]:
    """Move an action item to `status`, with a line in its history.

    Closing it (销号, done) needs a line of evidence and dropping it a reason. Saying the status
    it already has, with a line, records the line as progress (进展); without one, nothing.
    """
    status = _choice(ActionStatus, status, "status")
    evidence = clean_text(evidence).strip()
    _line_for(status, evidence)
    return _status_or_progress(repo, action_id, status, evidence, meeting_id, line_required=False)


def _progress_line(line: str) -> str:
    text = clean_text(line).strip()
    if not text:
        raise EntryError("progress", "the progress line is empty: say how the item stands")
    return text


@_command
def record_progress(
    repo: Repository, action_id: str, line: str, *, meeting_id: str | None = None
) -> Recorded[ActionItem]:
    """Record a line on how an action item stands (进展), whatever its status."""
    line = _progress_line(line)
    return _status_or_progress(repo, action_id, None, line, meeting_id, line_required=True)


@_command
def review_action(
    repo: Repository,
    action_id: str,
    *,
    status: ActionStatus | str | None = None,
    line: str = "",
    meeting_id: str | None = None,
) -> Recorded[ActionItem]:
    """What the 回头看 review records of a carried item, as one event: its new status (with
    `line` as the evidence: 销号 and dropping need one) or, with no new status, `line` as
    progress (required then)."""
    if isinstance(status, str) and not status.strip():
        status = None
    wanted = None if status is None else _choice(ActionStatus, status, "status")
    text = clean_text(line).strip()
    if wanted is None:
        text = _progress_line(text)
    _line_for(wanted, text)
    return _status_or_progress(repo, action_id, wanted, text, meeting_id, line_required=True)


def close_action(repo: Repository, action_id: str, evidence: str) -> Recorded[ActionItem]:
    """Close (销号) an action item with a line of evidence that it is done."""
    return set_action_status(repo, action_id, ActionStatus.DONE, evidence=evidence)


def drop_action(repo: Repository, action_id: str, reason: str) -> Recorded[ActionItem]:
    """Drop an action item that no longer applies, with the reason."""
    return set_action_status(repo, action_id, ActionStatus.DROPPED, evidence=reason)


# -- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueLine:
    """One value as typed: on the command line, in a form, or on a line of a ledger (台账)."""

    indicator: str
    reading: str
    """A number for a target, a state for a milestone, an assessment (or nothing) for a
    qualitative measure."""
    on: DateInput = None
    source: str = ""
    evidence: str = ""
    note: str = ""
    line: int = 0
    """The ledger's line number; 0 when typed."""


class ImportProblems(EntryError):
    """A ledger with problems: every one of them, by line; nothing was imported."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("", "; ".join(problems))
        self.problems = tuple(problems)


_kinds_of: tuple[object, dict[str, IndicatorKind]] = (None, {})


def _indicator_kinds(repo: Repository) -> dict[str, IndicatorKind]:
    """Each indicator's kind, by id: made once a plan (the repository hands out one Plan
    while its document is unchanged), not once a value (a plan may have 1,000 indicators)."""
    global _kinds_of
    plan = repo.plan()
    known, kinds = _kinds_of
    if known is not plan:
        kinds = {i.id: i.kind for i in plan.indicators}
        _kinds_of = (plan, kinds)
    return kinds


def _point(repo: Repository, entry: ValueLine, reference: date) -> DataPoint:
    as_of = _day(entry.on, reference, "date") or reference
    kinds = _indicator_kinds(repo)
    indicator = entry.indicator.strip()
    kind = kinds.get(indicator)
    if kind is None:
        raise EntryError(
            "indicator", f"no indicator {indicator!r} in the plan; `zzreview status` lists the ids"
        )
    field = "value" if kind is IndicatorKind.TARGET else "state"
    try:
        value, state = parse_reading(kind, entry.reading)
    except EntryError as error:
        raise EntryError(field, f"{indicator}: {error.message}") from None
    evidence = clean_text(entry.evidence).strip()
    problem = reading_problem(kind, value, state, evidence)
    if problem:
        raise EntryError(field, f"{indicator}: {problem}")
    return DataPoint(
        indicator_id=indicator,
        as_of=as_of,
        value=value,
        state=state,
        evidence=evidence,
        source=clean_line(entry.source),
        entered_by=clean_line(repo.who),
        note=clean_text(entry.note).strip(),
    )


@_command
def record_value(
    repo: Repository,
    indicator: str,
    reading: str,
    *,
    on: DateInput = None,
    source: str = "",
    evidence: str = "",
    note: str = "",
) -> Recorded[DataPoint]:
    """Record a value, a milestone's state or a measure's assessment and evidence.

    The date defaults to the current meeting's. A value for a date that already has one
    supersedes it; the earlier version stays for the meetings closed before.
    """
    point = _point(repo, ValueLine(indicator, reading, on, source, evidence, note), reference_date(repo))
    saved = repo.record_points([point])
    return Recorded(saved.result[0], saved.event)


@_command
def import_values(repo: Repository, entries: Sequence[ValueLine]) -> Recorded[tuple[DataPoint, ...]]:
    """Record a ledger's values all at once, or none: ImportProblems lists every bad line."""
    reference = reference_date(repo)
    points: list[DataPoint] = []
    problems: list[tuple[int, str]] = []
    seen: dict[tuple[str, date], ValueLine] = {}
    for entry in entries:
        where = f"line {entry.line}: " if entry.line else ""
        try:
            point = _point(repo, entry, reference)
        except EntryError as error:
            field = "date: " if error.field == "date" else ""
            problems.append((entry.line, f"{where}{field}{error.message}"))
            continue
        first = seen.setdefault((point.indicator_id, point.as_of), entry)
        if first is not entry:
            earlier = f"on line {first.line}" if first.line else "above"
            problems.append(
                (entry.line, f"{where}{point.indicator_id} on {point.as_of} is already given {earlier}")
            )
        points.append(point)
    if problems:
        raise ImportProblems([text for _, text in sorted(problems, key=lambda p: p[0])])
    if not points:
        raise EntryError("file", "no rows to import")
    return _recorded(repo.record_points(points))


# -- the meeting's record ----------------------------------------------------------------------


@_command
def add_decision(
    repo: Repository, text: str, *, area: int | str | None = None, meeting_id: str | None = None
) -> Recorded[Decision]:
    """Record a decision (议定事项) of the meeting, under an area or for the whole meeting."""
    text = _text(text, "text", "the decision's text")
    meeting = meeting_for(repo, meeting_id)
    area_number = _area(repo, area)

    def change(current: Meeting) -> Meeting:
        numbers = [int(d.id[1:]) for d in current.decisions if d.id[1:].isdigit()]
        decision = Decision(id=f"D{max(numbers, default=0) + 1}", text=text, area_number=area_number)
        return replace(current, decisions=(*current.decisions, decision))

    saved = repo.update_meeting(meeting.id, change, kind="meeting.decision", summary="decision added")
    return Recorded(saved.result.decisions[-1], saved.event)


@_command
def add_note(
    repo: Repository,
    area: int | str | None,
    text: str,
    *,
    meeting_id: str | None = None,
    kind: NoteKind | str = NoteKind.NOTE,
) -> Recorded[Note]:
    """Record a note taken under an area; `kind` marks what the meeting pointed out, stressed
    or required (会议指出 / 会议强调 / 会议要求), which the minutes give a section of their own."""
    area_number = _area(repo, area, required=True)
    assert area_number is not None
    note = Note(
        area_number=area_number,
        text=_text(text, "text", "the note"),
        author=clean_line(repo.who),
        kind=_choice(NoteKind, kind, "kind"),
    )
    meeting = meeting_for(repo, meeting_id)
    saved = repo.update_meeting(
        meeting.id, lambda m: replace(m, notes=(*m.notes, note)), kind="meeting.note", summary="note added"
    )
    return Recorded(note, saved.event)


@_command
def set_judgement(
    repo: Repository,
    measure: str,
    verdict: Verdict | str,
    *,
    text: str = "",
    meeting_id: str | None = None,
    expected: Judgement | bool | None = False,
) -> Recorded[Judgement]:
    """Record the chair's judgement of a measure (replacing an earlier one at this meeting).

    `expected` is the judgement the form showed (None: none yet); if another seat has recorded a
    different one since, the save is refused with `Conflict` (checked under the lock). Leave it
    out (False) to replace whatever is there."""
    measure_id = _measure(repo, measure.strip()).id
    verdict = _choice(Verdict, verdict, "verdict")
    judgement = Judgement(measure_id=measure_id, verdict=verdict, text=clean_line(text))
    meeting = meeting_for(repo, meeting_id)

    def change(current: Meeting) -> Meeting:
        if expected is not False:
            now = next((j for j in current.judgements if j.measure_id == measure_id), None)
            _refuse_if_changed_since("verdict", _judged(expected), _judged(now), _judged(judgement))  # type: ignore[arg-type]
        kept = tuple(j for j in current.judgements if j.measure_id != measure_id)
        return replace(current, judgements=(*kept, judgement))

    saved = repo.update_meeting(
        meeting.id, change, kind="meeting.judgement", summary=f"judgement {measure_id}"
    )
    return Recorded(judgement, saved.event)


@_command
def set_attendance(
    repo: Repository,
    name: str,
    presence: Presence | str = Presence.PRESENT,
    *,
    unit: str | None = None,
    deputy: str = "",
    meeting_id: str | None = None,
) -> Recorded[Attendee]:
    """Record whether someone came (or sent a deputy); adds them to the list if new."""
    name = clean_line(name)
    if not name:
        raise EntryError("name", "the attendee's name is empty")
    presence = _choice(Presence, presence, "presence")
    deputy = clean_line(deputy)
    if presence is Presence.DEPUTISED and not deputy:
        raise EntryError("deputy", "a deputised attendee needs the deputy's name")
    if presence is not Presence.DEPUTISED:
        deputy = ""
    meeting = meeting_for(repo, meeting_id)

    def change(current: Meeting) -> Meeting:
        people = list(current.attendees)
        for index, person in enumerate(people):
            if person.name == name:
                people[index] = Attendee(
                    name, person.unit if unit is None else clean_line(unit), presence, deputy
                )
                break
        else:
            people.append(Attendee(name, clean_line(unit or ""), presence, deputy))
        return replace(current, attendees=tuple(people))

    saved = repo.update_meeting(meeting.id, change, kind="meeting.attendance", summary=f"attendance {name}")
    return Recorded(next(p for p in saved.result.attendees if p.name == name), saved.event)


@_command
def new_meeting(
    repo: Repository,
    on: DateInput,
    *,
    title: str = "",
    place: str = "",
    chair: str = "",
    secretary: str = "",
    number: str = "",
    issuer: str = "",
    distribution: str = "",
    force: bool = False,
) -> Recorded[Meeting]:
    """Plan a new meeting, with every focus area on its agenda. `number`, `issuer` and
    `distribution` are what its minutes are printed with (期数, 印发机关, 分送).

    A day that already has a meeting is refused (`MeetingOnThatDay`, on the date) unless
    `force`: then the new one is told apart by a suffix (`2024-10-31-2`).
    """
    day = _day(on, reference_date(repo), "date")
    if day is None:
        raise EntryError("date", "a meeting needs a date (the as-of date of its figures)")
    _within_the_plan(repo, day)
    that_day = [m.id for m in repo.meetings() if m.date == day]
    if that_day and not force:
        raise same_day_error(day, that_day)
    return _recorded(
        repo.new_meeting(
            day,
            title=clean_line(title),
            place=clean_line(place),
            chair=clean_line(chair),
            secretary=clean_line(secretary),
            force=force,
            **_issue_details(number=number, issuer=issuer, distribution=distribution),
        )
    )


def _issue_details(**given: str | None) -> dict[str, str]:
    """The minutes' issue details (期数, 印发机关, 分送) given, each on one line."""
    return {name: clean_line(value) for name, value in given.items() if value is not None}


@_command
def edit_meeting(
    repo: Repository,
    meeting_id: str | None = None,
    *,
    title: str | None = None,
    place: str | None = None,
    chair: str | None = None,
    secretary: str | None = None,
    number: str | None = None,
    issuer: str | None = None,
    distribution: str | None = None,
    on: DateInput = None,
    expected: Meeting | None = None,
) -> Recorded[Meeting]:
    """Change a meeting's details; a planned meeting's date too. Fields left as None stay.
    The minutes' issue details (`number`, `issuer`, `distribution`) may change after it closed.

    `expected` is the meeting as the form showed it: a field this edit changes that another seat
    changed since is refused with `Conflict` (checked under the lock)."""
    issue_only = all(v is None for v in (title, place, chair, secretary, on))
    meeting = meeting_for(repo, meeting_id, open_only=not issue_only)
    wanted: dict[str, object] = {
        name: clean_line(value)
        for name, value in (("place", place), ("chair", chair), ("secretary", secretary))
        if value is not None
    }
    wanted |= _issue_details(number=number, issuer=issuer, distribution=distribution)
    if title is not None:
        wanted["title"] = clean_line(title)
        if not wanted["title"]:
            raise EntryError("title", "the meeting's title is empty")
    day = _day(on, meeting.date, "date")
    if day is not None:
        _within_the_plan(repo, day)

    def change(current: Meeting) -> Meeting:
        fields = dict(wanted)
        if day is not None and day != current.date:
            # Checked on the meeting as it stands: another seat may have started it meanwhile.
            if current.state is not MeetingState.PLANNED:
                raise EntryError("date", "only a planned meeting can move to another date")
            fields["date"] = day
        if expected is not None:
            for name, value in fields.items():
                _refuse_if_changed_since(name, getattr(expected, name), getattr(current, name), value)
        return replace(current, **fields)  # type: ignore[arg-type]

    if issue_only:  # the one change a closed meeting takes
        return _recorded(
            repo.update_issue_details(meeting.id, change, kind="meeting.edit", summary="issue details")
        )
    return _recorded(repo.update_meeting(meeting.id, change, kind="meeting.edit", summary="details"))


@_command
def start_meeting(repo: Repository, meeting_id: str | None = None) -> Recorded[Meeting]:
    """Start a planned meeting: it is now the meeting in progress (one at a time)."""
    return _recorded(repo.start_meeting(meeting_for(repo, meeting_id).id))


def _rules(rules: RulePreset | str) -> RulePreset:
    if isinstance(rules, RulePreset):
        return rules
    if rules not in PRESETS:
        raise EntryError("rules", f"expected one of {', '.join(PRESETS)}, got {rules!r}")
    return PRESETS[rules]


@_command
def close_meeting(repo: Repository, meeting_id: str, *, rules: str) -> Recorded[Meeting]:
    """Close a meeting and freeze what it saw, judged by the preset `rules`, for its minutes."""
    _rules(rules)
    meeting = repo.meeting(meeting_id)
    if meeting.state is MeetingState.CLOSED:
        raise EntryError("meeting", f"meeting {meeting.id} is already closed")
    return _recorded(repo.close_meeting(meeting.id, rules=rules))


@_command
def publish_area(
    repo: Repository,
    area: int | None,
    *,
    indicator: str = "",
    zoom: bool = False,
    blank: bool = False,
    meeting_id: str | None = None,
) -> Recorded[int | None]:
    """Say what the chair's seat shows now, so other seats can follow: the area (0: 回头看,
    None: the overview), the selected indicator, a zoomed chart, a blanked projector. Saying
    the same again records nothing."""
    area_number = 0 if area == 0 and not isinstance(area, bool) else _area(repo, area)
    indicator = indicator.strip()
    if indicator and indicator not in _indicator_kinds(repo):
        raise EntryError("indicator", f"no indicator {indicator!r} in the plan")
    meeting = meeting_for(repo, meeting_id)
    return _recorded(
        repo.publish_area(meeting.id, area_number, indicator=indicator, zoom=bool(zoom), blank=bool(blank))
    )


# -- the agenda and its clock ---------------------------------------------------------------


TIMEBOX_WEIGHTS: dict[State, float] = {
    State.OFF_TRACK: 1.5,
    State.ATTENTION: 1.2,
    State.NO_DATA: 1.0,
    State.NOT_STARTED: 0.8,
    State.ON_TRACK: 0.8,
    State.ACHIEVED: 0.8,
}
"""How much of the agenda's time an area gets by its light, when timeboxes are weighted:
the room spends its minutes where the plan is behind, and no data is worth asking about."""

MIN_TIMEBOX_MINUTES = 2
"""No area on a weighted agenda gets less than this."""


def _worst_first(status: AreaStatus) -> tuple[int, bool, float, float]:
    """Worst light first, then the furthest behind: the lowest mean gap, then the lowest gap."""
    gaps = [s.gap for s in status.behind if s.gap is not None]
    return (
        -status.state.severity,
        status.mean_gap is None,
        status.mean_gap if status.mean_gap is not None else 0.0,
        min(gaps, default=0.0),
    )


def split_minutes(total: int, weights: Sequence[float], minimum: int = MIN_TIMEBOX_MINUTES) -> list[int]:
    """`total` whole minutes shared by `weights`, none below `minimum`, adding up to `total`
    exactly: largest remainder first, earlier ones first on a tie.

    An area whose share would fall below the minimum gets the minimum, and the rest is shared
    again among the others. EntryError if the total cannot give everyone the minimum.
    """
    count = len(weights)
    if count == 0:
        return []
    if total < minimum * count:
        raise EntryError(
            "agenda", f"{total} minutes cannot give {count} areas {minimum} minutes each; lengthen the agenda"
        )
    fixed: set[int] = set()
    while True:
        free = [i for i in range(count) if i not in fixed]
        left = total - minimum * len(fixed)
        weight = sum(weights[i] for i in free)
        shares = {i: left * weights[i] / weight if weight > 0 else left / len(free) for i in free}
        short = {i for i, share in shares.items() if share < minimum}
        if not short:
            break
        fixed |= short
    minutes = [minimum] * count
    for i, share in shares.items():
        minutes[i] = int(share)
    spare = total - sum(minutes)
    by_remainder = sorted(free, key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_remainder[:spare]:
        minutes[i] += 1
    return minutes


def _arranged(
    agenda: Sequence[AgendaItem], status: PlanStatus, *, red_first: bool, weighted: bool
) -> tuple[AgendaItem, ...]:
    """The agenda's areas in the order asked for, their timeboxes re-split over its total."""
    plan_order = {area.area.number: index for index, area in enumerate(status.areas)}
    by_number = {area.area.number: area for area in status.areas}
    known = sorted(
        (a for a in agenda if a.area_number in plan_order), key=lambda a: plan_order[a.area_number]
    )
    if red_first:
        known.sort(key=lambda a: _worst_first(by_number[a.area_number]))  # stable: plan order on a tie
    # An area the plan no longer has keeps its place at the end, and its share of the time.
    items = [*known, *(a for a in agenda if a.area_number not in plan_order)]
    weights = [
        TIMEBOX_WEIGHTS[by_number[a.area_number].state] if weighted and a.area_number in by_number else 1.0
        for a in items
    ]
    minutes = split_minutes(sum(a.timebox_minutes for a in agenda), weights)
    return tuple(AgendaItem(a.area_number, m) for a, m in zip(items, minutes, strict=True))


@_command
def order_agenda(
    repo: Repository,
    meeting_id: str | None = None,
    *,
    red_first: bool = True,
    weighted: bool = False,
    rules: RulePreset | str = DEFAULT_PRESET,
) -> Recorded[tuple[AgendaItem, ...]]:
    """Put an open meeting's agenda in order: worst light first (`red_first`) or the plan's
    order, with its total minutes split by each area's light (`weighted`, `TIMEBOX_WEIGHTS`) or
    evenly. Lights are judged at the meeting's date by `rules`; the total stays the same."""
    preset = _rules(rules)
    meeting = meeting_for(repo, meeting_id)
    status = status_at(repo, meeting, preset)
    plan_agenda = tuple(AgendaItem(a.number) for a in repo.plan().areas)

    def change(current: Meeting) -> Meeting:
        agenda = _arranged(current.agenda or plan_agenda, status, red_first=red_first, weighted=weighted)
        return replace(current, agenda=agenda)

    how = f"{'red first' if red_first else 'plan order'}, {'weighted' if weighted else 'even'}"
    saved = repo.update_meeting(meeting.id, change, kind="meeting.agenda", summary=f"agenda {how}")
    return Recorded(saved.result.agenda, saved.event)


MAX_AREA_SECONDS = 24 * 60 * 60
"""An area's time is under a day: anything longer is a clock left running."""

TIME_KIND = "meeting.time"
"""The event kind of the time an area took: housekeeping, never undone."""


def _seconds(value: int | str) -> int:
    if isinstance(value, bool):
        raise EntryError("seconds", f"expected whole seconds, got {value!r}")
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise EntryError("seconds", f"expected whole seconds, got {value!r}") from None
    if not isinstance(value, int):
        raise EntryError("seconds", f"expected whole seconds, got {value!r}")
    if not 0 <= value < MAX_AREA_SECONDS:
        raise EntryError("seconds", f"{value} seconds is not a time an area took (0 to under a day)")
    return value


@_command
def record_area_time(
    repo: Repository, area: int | str, seconds: int | str, *, meeting_id: str | None = None
) -> Recorded[int]:
    """Say how long an area (0: 回头看) has taken at an open meeting in all: the total, not an
    addition; 0 clears it. Saying the same total again records nothing."""
    if isinstance(area, bool):
        raise EntryError("area", f"expected an area number, got {area!r}")
    number = 0 if str(area).strip() == "0" else _area(repo, area, required=True)
    assert number is not None
    total = _seconds(seconds)
    meeting = meeting_for(repo, meeting_id)

    def change(current: Meeting) -> Meeting:
        times = {key: value for key, value in current.area_seconds.items() if key != number}
        if total:
            times[number] = total
        return replace(current, area_seconds=dict(sorted(times.items())))

    saved = repo.update_meeting(meeting.id, change, kind=TIME_KIND, summary=f"area {number} took {total} s")
    return Recorded(total, saved.event)


UNDOABLE = frozenset(
    {
        "values.record",
        "action.add",
        "action.edit",
        "action.status",
        "action.progress",
        "meeting.new",
        "meeting.edit",
        "meeting.decision",
        "meeting.note",
        "meeting.judgement",
        "meeting.attendance",
        "meeting.start",
        "meeting.agenda",
    }
)
"""The kinds of change undo takes back: what a person recorded. Closing a meeting is final
(its minutes may have gone out); following the chair and the clock of each area are not
records."""


@_command
def undo(repo: Repository, seat: str | None = None) -> Recorded[Event]:
    """Take back the last change made on `seat` (default: this seat) that is not yet undone.

    Refused, with nothing written, if another seat has since changed the same record.
    """
    seat = seat or repo.seat
    event = repo.last_undoable(seat, UNDOABLE)
    if event is None:
        raise EntryError("seat", f"nothing to undo on seat {seat!r}")
    return _recorded(repo.undo(event))
