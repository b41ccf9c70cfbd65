"""The repository: every query and every change zzreview makes to a database.

It is the only code above the durable store that knows documents exist. Reads return domain
objects; writes run inside `Store.transact`, so they validate against a fresh read under the
lock and land as one journalled event (who, seat, when, what).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, TypeVar

from zzreview.domain import (
    ActionChange,
    ActionItem,
    ActionStatus,
    AgendaItem,
    DataPoint,
    IndicatorKind,
    Meeting,
    MeetingState,
    MilestoneState,
    Plan,
    State,
)
from zzreview.domain.actions import carried_into
from zzreview.domain.text import clean_line, clean_text
from zzreview.storage.codec import CodecError, from_doc, to_doc
from zzreview.storage.errors import StoreError
from zzreview.storage.layout import ACTIONS_TABLE, MEETINGS_TABLE, META_TABLE, PLAN_TABLE, VALUES_TABLE
from zzreview.storage.store import Change, Event, Store, StoreView

T = TypeVar("T")


class RecordError(ValueError):
    """A change that cannot be made as asked (unknown id, bad value); nothing was written."""


@dataclass(frozen=True)
class ValueRow:
    """One value to record, as read from the command line or a CSV row."""

    indicator_id: str
    as_of: date
    value: float | None = None
    state: str = ""
    evidence: str = ""
    source: str = ""
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Figures:
    """What a meeting shows: for a closed meeting, as frozen when it closed; else, live."""

    as_of: date
    points: dict[str, list[DataPoint]]
    actions: list[ActionItem]
    next_meeting: Meeting | None
    reviewed: tuple[str, ...] | None = None
    """The ids of the items the meeting reviewed (回头看), frozen when it closed."""
    rules: str = ""
    """The rule preset the meeting was judged by, frozen when it closed."""

    def carried(self, meeting: Meeting, meetings: Sequence[Meeting]) -> list[ActionItem]:
        """The items this meeting reviews: as frozen, or by the 回头看 rule."""
        if self.reviewed is not None:
            wanted = set(self.reviewed)
            return [a for a in self.actions if a.id in wanted]
        return carried_into(meeting, meetings, self.actions)


def _now(clock) -> str:
    """Local time with its offset: the date part is the date people saw on the wall, which is
    what meeting dates are compared with."""
    return (clock() if clock else datetime.now().astimezone()).isoformat(timespec="seconds")


class Repository:
    """Queries and changes on one store, in domain terms."""

    def __init__(self, store: Store, *, who: str = "", seat: str = "cli", clock=None) -> None:
        self.store = store
        self.who = who
        self.seat = seat
        self._clock = clock
        self._plan_cache: tuple[Any, Plan] | None = None
        self._decoded: dict[str, dict[str, tuple[Any, Any]]] = {}
        self._listed: dict[str, tuple[int, list[Any]]] = {}
        self._points: dict[tuple[int, int | None], dict[str, list[DataPoint]]] = {}

    # -- reads -------------------------------------------------------------------------

    @property
    def meta(self) -> dict[str, Any]:
        """The database's meta document (schema version, plan id, demo flag)."""
        return dict(self.store.table(META_TABLE).get("1", {}))

    @property
    def illustrative(self) -> bool:
        """True when the figures are the shipped demo's, not official statistics."""
        return bool(self.meta.get("illustrative", False))

    def notice(self, lang: str) -> str:
        """The illustrative-data notice in `lang`, or "" when the figures are real."""
        if not self.illustrative:
            return ""
        meta = self.meta
        return str((meta.get("notice_en") if lang == "en" else meta.get("notice")) or "")

    def plan(self) -> Plan:
        """The plan this database reviews."""
        doc = self.store.table(PLAN_TABLE).get("1")
        if doc is None:
            raise StoreError(
                self.store.path, f"{self.store.path}: holds no plan; recreate it with `zzreview init --force`"
            )
        if self._plan_cache is None or self._plan_cache[0] is not doc:
            self._plan_cache = (doc, self._decode(Plan, doc, PLAN_TABLE))
        return self._plan_cache[1]

    def _decode(self, cls, doc, table: str):
        try:
            return from_doc(cls, doc, table)
        except CodecError as error:
            raise StoreError(
                self.store.path, f"{self.store.path}: {error}; run `zzreview check` for a full report"
            ) from None

    def _all(self, table: str, cls: type[T]) -> list[T]:
        """Every document of a table, decoded; unchanged documents are decoded only once.

        The store never changes a document in place, so a document that is the same object
        as last time decodes to the same value; while the store's generation stands still,
        nothing is looked at again.
        """
        generation = self.store.generation
        cached = self._listed.get(table)
        if cached is not None and cached[0] == generation:
            return cached[1]
        previous = self._decoded.get(table, {})
        current: dict[str, tuple[Any, Any]] = {}
        for key, doc in self.store.table(table).items():
            hit = previous.get(key)
            current[key] = hit if hit is not None and hit[0] is doc else (doc, self._decode(cls, doc, table))
        self._decoded[table] = current
        values = [value for _, value in current.values()]
        self._listed[table] = (generation, values)
        return values

    def data_points(self, upto: int | None = None) -> dict[str, list[DataPoint]]:
        """Every data point, by indicator id, oldest first: the latest version of each
        (indicator, date), or the latest recorded by document `upto` (a closed meeting's view)."""
        self._all(VALUES_TABLE, DataPoint)
        cache_key = (self.store.generation, upto)
        if cache_key in self._points:
            return {key: list(points) for key, points in self._points[cache_key].items()}
        # Documents come in the order they were added (ids only grow), so the last version of
        # an (indicator, date) seen is the latest.
        latest: dict[tuple[str, date], DataPoint] = {}
        for key, (_, point) in self._decoded[VALUES_TABLE].items():
            if upto is None or int(key) <= upto:
                latest[(point.indicator_id, point.as_of)] = point
        by_indicator: dict[str, list[DataPoint]] = defaultdict(list)
        for point in latest.values():
            by_indicator[point.indicator_id].append(point)
        for points in by_indicator.values():
            points.sort(key=lambda p: p.as_of)
        self._points = {cache_key: dict(by_indicator)}
        return {key: list(points) for key, points in by_indicator.items()}

    def meetings(self) -> list[Meeting]:
        """Every meeting, by date."""
        return sorted(self._all(MEETINGS_TABLE, Meeting), key=lambda m: (m.date, m.id))

    def meeting(self, meeting_id: str) -> Meeting:
        """The meeting with this id; RecordError lists the known ids if there is none."""
        for meeting in self.meetings():
            if meeting.id == meeting_id:
                return meeting
        known = ", ".join(m.id for m in self.meetings()) or "none yet"
        raise RecordError(f"no meeting {meeting_id!r}; known meetings: {known}")

    def current_meeting(self) -> Meeting | None:
        """The meeting in progress, or else the next planned one (the earliest planned)."""
        meetings = self.meetings()
        for state in (MeetingState.IN_PROGRESS, MeetingState.PLANNED):
            candidates = [m for m in meetings if m.state is state]
            if candidates:
                return candidates[0]
        return None

    def previous_meeting(self, meeting: Meeting) -> Meeting | None:
        """The latest meeting held before this one."""
        earlier = [m for m in self.meetings() if (m.date, m.id) < (meeting.date, meeting.id)]
        return earlier[-1] if earlier else None

    def figures(self, meeting: Meeting) -> Figures:
        """The figures, actions and next meeting a meeting shows, at its date.

        A closed meeting shows what was frozen when it closed, so its screens and minutes stay
        the same however the data changes later; an open one shows the live data.
        """
        for key, doc in self.store.table(MEETINGS_TABLE).items():
            if doc.get("id") == meeting.id and isinstance(doc.get("snapshot"), dict):
                frozen = doc["snapshot"]
                where = f"{MEETINGS_TABLE}[{key}].snapshot"
                try:
                    as_of = date.fromisoformat(frozen["as_of"])
                    upto = frozen["values_upto"]
                except (KeyError, TypeError, ValueError):
                    raise StoreError(
                        self.store.path, f"{self.store.path}: {where}: unreadable; run `zzreview check`"
                    ) from None
                actions = [self._decode(ActionItem, a, where) for a in frozen.get("actions", [])]
                following = frozen.get("next_meeting")
                next_meeting = self._decode(Meeting, following, where) if following else None
                reviewed = frozen.get("reviewed")
                return Figures(
                    as_of,
                    self.data_points(upto=upto),
                    actions,
                    next_meeting,
                    reviewed=tuple(reviewed) if isinstance(reviewed, list) else None,
                    rules=str(frozen.get("rules") or ""),
                )
        later = [m for m in self.meetings() if (m.date, m.id) > (meeting.date, meeting.id)]
        return Figures(meeting.date, self.data_points(), self.actions(), later[0] if later else None)

    def actions(self) -> list[ActionItem]:
        """Every action item, in the order they were raised."""
        return sorted(self._all(ACTIONS_TABLE, ActionItem), key=_action_order)

    def action(self, action_id: str) -> ActionItem:
        """The action item with this id (`A7` or `7`)."""
        wanted = normalise_action_id(action_id)
        for item in self.actions():
            if item.id == wanted:
                return item
        raise RecordError(f"no action item {action_id!r}; `zzreview actions list` shows the ids")

    def events(self) -> list[Event]:
        """The whole change log, oldest first."""
        return self.store.events()

    # -- writes ------------------------------------------------------------------------

    def _transact(self, mutate, kind: str, summary: str) -> Event | None:
        return self.store.transact(mutate, who=self.who, seat=self.seat, kind=kind, summary=summary)

    def check_values(self, rows: Sequence[ValueRow]) -> list[str]:
        """Every problem with these rows, one line each (by CSV line where there is one)."""
        indicators = {i.id: i for i in self.plan().indicators}
        problems = []
        seen: dict[tuple[str, date], int] = {}
        for row in rows:
            where = f"line {row.line}: " if row.line else ""
            indicator = indicators.get(row.indicator_id)
            if indicator is None:
                problems.append(f"{where}no indicator {row.indicator_id!r} in the plan")
                continue
            problem = _check_value_row(row, indicator.kind)
            if problem:
                problems.append(f"{where}{row.indicator_id}: {problem}")
            first = seen.setdefault((row.indicator_id, row.as_of), row.line)
            if first != row.line:
                problems.append(f"{where}{row.indicator_id} on {row.as_of} is already given on line {first}")
        return problems

    def record_values(self, rows: Sequence[ValueRow]) -> Event | None:
        """Record values (or milestone states, or evidence) in one change: all or nothing.

        A value for an indicator and date that already has one supersedes it (the earlier
        version is kept for the meetings closed before it).
        """
        problems = self.check_values(rows)
        if problems:
            raise RecordError("; ".join(problems))
        kinds = {i.id: i.kind for i in self.plan().indicators}
        docs = []
        for row in rows:
            kind = kinds[row.indicator_id]
            point = DataPoint(
                indicator_id=row.indicator_id,
                as_of=row.as_of,
                value=row.value if kind is IndicatorKind.TARGET else None,
                state=row.state,
                evidence=clean_text(row.evidence).strip(),
                source=clean_line(row.source),
                entered_by=clean_line(self.who),
                note=clean_text(row.note).strip(),
            )
            docs.append(to_doc(point) | {"entered_at": _now(self._clock)})
        if not docs:
            raise RecordError("no values to record")

        def mutate(view: StoreView) -> Iterable[Change]:
            # Values are never overwritten: a correction is a newer version of the same
            # (indicator, date), so a closed meeting can still see what it saw.
            return [Change(VALUES_TABLE, view.next_id(VALUES_TABLE), doc) for doc in docs]

        first = docs[0]
        summary = (
            f"value {first['indicator_id']} @ {first['as_of']}"
            if len(docs) == 1
            else f"{len(docs)} values imported"
        )
        return self._transact(mutate, "values.record", summary)

    def add_action(
        self,
        text: str,
        owner: str,
        *,
        due: date | None = None,
        area_number: int | None = None,
        measure_id: str = "",
        lead_unit: str = "",
        supporting_units: Sequence[str] = (),
        meeting_id: str | None = None,
    ) -> ActionItem:
        """Record a new action item; it belongs to the given meeting, else the current one."""
        text = clean_text(text).strip()
        owner = clean_line(owner)
        if not text:
            raise RecordError("the action item's text is empty")
        if not owner:
            raise RecordError("an action item needs an owner (--owner)")
        plan = self.plan()
        measures = {m.id: m for m in plan.measures}
        if measure_id:
            if measure_id not in measures:
                raise RecordError(f"no measure {measure_id!r} in the plan (ids look like 4.2)")
            measure_area = measures[measure_id].area_number
            if area_number is not None and area_number != measure_area:
                raise RecordError(f"measure {measure_id} belongs to area {measure_area}, not {area_number}")
            area_number = measure_area
        if area_number is not None and area_number not in {a.number for a in plan.areas}:
            raise RecordError(f"no area {area_number}; the plan has areas 1 to {len(plan.areas)}")
        if meeting_id is None:
            meeting = self.current_meeting()
            if meeting is None:
                raise RecordError(
                    "no meeting in progress or planned: create one with `zzreview meetings new`"
                )
            meeting_id = meeting.id
        elif self.meeting(meeting_id).state is MeetingState.CLOSED:
            raise RecordError(
                f"meeting {meeting_id} is closed and its minutes frozen; add the item to a later meeting"
            )
        now = _now(self._clock)
        item_fields = {
            "text": text,
            "owner": owner,
            "meeting_id": meeting_id,
            "lead_unit": clean_line(lead_unit),
            "supporting_units": tuple(u for u in (clean_line(s) for s in supporting_units) if u),
            "due": due,
            "measure_id": measure_id,
            "area_number": area_number,
            "history": (
                ActionChange(at=now, meeting_id=meeting_id, change="raised", who=clean_line(self.who)),
            ),
        }
        created: list[ActionItem] = []

        def mutate(view: StoreView) -> Iterable[Change]:
            numbers = [_action_number(d.get("id", "")) for d in view.table(ACTIONS_TABLE).values()]
            item = ActionItem(id=f"A{max(numbers, default=0) + 1}", **item_fields)
            created.append(item)
            return [Change(ACTIONS_TABLE, view.next_id(ACTIONS_TABLE), to_doc(item))]

        self._transact(mutate, "action.add", f"action added: {text[:60]}")
        return created[0]

    def update_action(
        self,
        action_id: str,
        *,
        status: ActionStatus | None = None,
        evidence: str = "",
        meeting_id: str = "",
    ) -> ActionItem:
        """Change an action item's status, with a line of evidence in its history.

        Closing it (done) needs evidence: 销号 is never silent.
        """
        wanted = normalise_action_id(action_id)
        evidence = clean_text(evidence).strip()
        if status is ActionStatus.DONE and not evidence:
            raise RecordError("closing an action item needs a line of evidence (--evidence)")
        if not meeting_id:
            current = self.current_meeting()
            meeting_id = current.id if current else ""
        updated: list[ActionItem] = []

        def mutate(view: StoreView) -> Iterable[Change]:
            for key, doc in view.table(ACTIONS_TABLE).items():
                if doc.get("id") == wanted:
                    item = self._decode(ActionItem, doc, ACTIONS_TABLE)
                    new_status = status or item.status
                    change = ActionChange(
                        at=_now(self._clock),
                        meeting_id=meeting_id,
                        change=f"status {item.status.value} -> {new_status.value}",
                        evidence=evidence,
                        who=clean_line(self.who),
                    )
                    new = replace(item, status=new_status, history=(*item.history, change))
                    updated.append(new)
                    return [Change(ACTIONS_TABLE, key, to_doc(new))]
            raise RecordError(f"no action item {action_id!r}; `zzreview actions list` shows the ids")

        self._transact(mutate, "action.update", f"action {wanted}: {status.value if status else 'note'}")
        return updated[0]

    def new_meeting(
        self,
        day: date,
        *,
        title: str = "",
        place: str = "",
        chair: str = "",
        secretary: str = "",
    ) -> Meeting:
        """Plan a new meeting on `day`, with every area on the agenda."""
        plan = self.plan()
        title = clean_line(title) or _default_meeting_title(plan, day)
        created: list[Meeting] = []

        def mutate(view: StoreView) -> Iterable[Change]:
            ids = {d.get("id") for d in view.table(MEETINGS_TABLE).values()}
            ident, n = day.isoformat(), 2
            while ident in ids:
                ident, n = f"{day.isoformat()}-{n}", n + 1
            meeting = Meeting(
                id=ident,
                title=title,
                date=day,
                place=clean_line(place),
                chair=clean_line(chair),
                secretary=clean_line(secretary),
                agenda=tuple(AgendaItem(a.number) for a in plan.areas),
            )
            created.append(meeting)
            return [Change(MEETINGS_TABLE, view.next_id(MEETINGS_TABLE), to_doc(meeting))]

        self._transact(mutate, "meeting.new", f"meeting planned for {day.isoformat()}")
        return created[0]

    def close_meeting(self, meeting_id: str, rules: str = "") -> Meeting:
        """Close a meeting and freeze what it saw: its figures (as a cut-off in the values'
        versions), the actions it showed as they stood on its date, the next meeting and the
        rule preset it was judged by."""
        closed: list[Meeting] = []

        def mutate(view: StoreView) -> Iterable[Change]:
            meetings = sorted(
                (self._decode(Meeting, d, MEETINGS_TABLE) for d in view.table(MEETINGS_TABLE).values()),
                key=lambda m: (m.date, m.id),
            )
            for key, doc in view.table(MEETINGS_TABLE).items():
                if doc.get("id") != meeting_id:
                    continue
                meeting = self._decode(Meeting, doc, MEETINGS_TABLE)
                if meeting.state is MeetingState.CLOSED:
                    raise RecordError(f"meeting {meeting_id} is already closed")
                items = [
                    self._decode(ActionItem, d, ACTIONS_TABLE).as_of(meeting.date)
                    for d in view.table(ACTIONS_TABLE).values()
                ]
                reviewed = carried_into(meeting, meetings, items)
                shown = sorted([a for a in items if a.meeting_id == meeting_id] + reviewed, key=_action_order)
                later = [m for m in meetings if (m.date, m.id) > (meeting.date, meeting.id)]
                values = view.table(VALUES_TABLE)
                new = replace(meeting, state=MeetingState.CLOSED)
                closed.append(new)
                snapshot = {
                    "as_of": meeting.date.isoformat(),
                    "values_upto": max((int(k) for k in values), default=0),
                    "actions": [to_doc(a) for a in shown],
                    "reviewed": [a.id for a in reviewed],
                    "next_meeting": to_doc(later[0]) if later else None,
                    "rules": rules,
                }
                return [Change(MEETINGS_TABLE, key, to_doc(new) | {"snapshot": snapshot})]
            raise RecordError(f"no meeting {meeting_id!r}")

        self._transact(mutate, "meeting.close", f"meeting {meeting_id} closed")
        return closed[0]


def _check_value_row(row: ValueRow, kind: IndicatorKind) -> str:
    if kind is IndicatorKind.TARGET:
        if row.value is None:
            return "a target indicator needs a number"
        if row.value != row.value or row.value in (float("inf"), float("-inf")):
            return "the value must be a finite number"
    elif kind is IndicatorKind.MILESTONE:
        states = [s.value for s in MilestoneState]
        if row.state not in states:
            return f"a milestone needs a state: one of {', '.join(states)}"
    else:
        states = [s.value for s in (State.ACHIEVED, State.ON_TRACK, State.ATTENTION, State.OFF_TRACK)]
        if row.state and row.state not in states:
            return f"an assessment is one of {', '.join(states)}"
        if not row.state and not row.evidence.strip():
            return "a qualitative indicator needs evidence or an assessed state"
    return ""


def _default_meeting_title(plan: Plan, day: date) -> str:
    if plan.language == "zh":
        return f"{plan.short_title or plan.title}调度会（{day.year}年{day.month}月）"
    return f"{plan.title_en or plan.title} review ({day:%B %Y})"


def normalise_action_id(action_id: str) -> str:
    """`7`, `a7` and `A7` all name action item A7."""
    text = action_id.strip().upper()
    return f"A{text}" if text.isdigit() else text


def _action_number(action_id: str) -> int:
    digits = action_id[1:] if action_id[:1] == "A" else ""
    return int(digits) if digits.isdigit() else 0


def _action_order(item: ActionItem) -> tuple[int, str]:
    return (_action_number(item.id), item.id)
