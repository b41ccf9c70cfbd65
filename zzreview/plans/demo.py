"""The shipped illustrative demo data, read into domain objects.

The demo (data/demo.toml) holds values, milestone reports, evidence, meetings and action items
that are illustrative only (示例数据, not official statistics); the database records that, so
every output that shows them can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
    Meeting,
    MeetingState,
    MilestoneState,
    Note,
    NoteKind,
    Plan,
    Presence,
    State,
    Verdict,
)
from zzreview.plans.loader import SHIPPED_DEMO, PlanError, _Reader, parse_toml, shipped_text

DEMO_SOURCE = "示例数据"


@dataclass(frozen=True)
class DemoData:
    """The illustrative data set shipped beside the plan."""

    notice: str
    notice_en: str
    points: tuple[DataPoint, ...]
    meetings: tuple[Meeting, ...]
    actions: tuple[ActionItem, ...]


def shipped_demo(plan: Plan) -> DemoData:
    """The shipped demo data, checked against `plan`."""
    return demo_from_toml(shipped_text(SHIPPED_DEMO), SHIPPED_DEMO, plan)


def demo_from_toml(text: str, source: str, plan: Plan) -> DemoData:
    """Read demo data from TOML text and check every reference against the plan."""
    data = parse_toml(text, source)
    root = _Reader(source, "", data)
    root.check_fields({"demo", "values", "milestones", "evidence", "meetings", "actions"})
    head = _Reader(source, "demo", data.get("demo", {}))
    head.check_fields({"illustrative", "notice", "notice_en"})
    if head.table.get("illustrative") is not True:
        raise head.fail("illustrative", "demo data must say illustrative = true")
    kinds = {i.id: i.kind for i in plan.indicators}

    def indicator(reader: _Reader, kind: IndicatorKind) -> str:
        ident = reader.text("indicator")
        if kinds.get(ident) is not kind:
            raise reader.fail(
                "indicator", f"expected the id of a {kind} indicator of the plan, got {ident!r}"
            )
        return ident

    points: list[DataPoint] = []
    for reader in root.tables("values"):
        reader.check_fields({"indicator", "as_of", "value", "source"})
        points.append(
            DataPoint(
                indicator_id=indicator(reader, IndicatorKind.TARGET),
                as_of=_day(reader, "as_of"),
                value=reader.number("value"),
                source=reader.text("source", required=False) or DEMO_SOURCE,
            )
        )
    for reader in root.tables("milestones"):
        reader.check_fields({"indicator", "as_of", "state", "evidence"})
        points.append(
            DataPoint(
                indicator_id=indicator(reader, IndicatorKind.MILESTONE),
                as_of=_day(reader, "as_of"),
                state=reader.choice("state", [s.value for s in MilestoneState]),
                evidence=reader.text("evidence", required=False, multiline=True),
                source=DEMO_SOURCE,
            )
        )
    assessed = [s.value for s in (State.ACHIEVED, State.ON_TRACK, State.ATTENTION, State.OFF_TRACK)]
    for reader in root.tables("evidence"):
        reader.check_fields({"indicator", "as_of", "state", "evidence"})
        points.append(
            DataPoint(
                indicator_id=indicator(reader, IndicatorKind.QUALITATIVE),
                as_of=_day(reader, "as_of"),
                state=reader.choice("state", assessed),
                evidence=reader.text("evidence", multiline=True),
                source=DEMO_SOURCE,
            )
        )
    meetings = tuple(_meeting(reader, plan) for reader in root.tables("meetings"))
    meeting_dates = {m.id: m.date for m in meetings}
    if len(meeting_dates) != len(meetings):
        raise root.fail("meetings", "meeting ids must be unique")
    actions = tuple(_action(reader, plan, meeting_dates) for reader in root.tables("actions"))
    return DemoData(
        notice=head.text("notice"),
        notice_en=head.text("notice_en"),
        points=tuple(points),
        meetings=meetings,
        actions=actions,
    )


def _day(reader: _Reader, field: str) -> date:
    value = reader.day(field)
    assert value is not None
    return value


def _meeting(reader: _Reader, plan: Plan) -> Meeting:
    reader.check_fields(
        {"id", "title", "date", "place", "chair", "secretary", "state", "agenda"}
        | {"number", "issuer", "distribution"}
        | {"attendees", "decisions", "notes", "judgements"}
    )
    areas = {a.number for a in plan.areas}
    measures = {m.id for m in plan.measures}
    agenda = []
    for item in reader.tables("agenda"):
        item.check_fields({"area", "minutes"})
        if item.integer("area") not in areas:
            raise item.fail("area", f"no area {item.table['area']} in the plan")
        agenda.append(AgendaItem(item.integer("area"), item.integer("minutes", default=8)))
    attendees = []
    for item in reader.tables("attendees"):
        item.check_fields({"name", "unit", "presence", "deputy"})
        attendees.append(
            Attendee(
                name=item.text("name"),
                unit=item.text("unit", required=False),
                presence=Presence(item.choice("presence", [p.value for p in Presence], default="present")),
                deputy=item.text("deputy", required=False),
            )
        )
    decisions = []
    for number, item in enumerate(reader.tables("decisions"), start=1):
        item.check_fields({"area", "text"})
        area = item.table.get("area")
        if area is not None and area not in areas:
            raise item.fail("area", f"no area {area} in the plan")
        decisions.append(Decision(id=f"D{number}", text=item.text("text", multiline=True), area_number=area))
    notes = []
    for item in reader.tables("notes"):
        item.check_fields({"area", "text", "kind"})
        if item.integer("area") not in areas:
            raise item.fail("area", f"no area {item.table['area']} in the plan")
        kind = NoteKind(item.choice("kind", [k.value for k in NoteKind], default=NoteKind.NOTE.value))
        notes.append(
            Note(area_number=item.integer("area"), text=item.text("text", multiline=True), kind=kind)
        )
    judgements = []
    for item in reader.tables("judgements"):
        item.check_fields({"measure", "verdict", "text"})
        if item.text("measure") not in measures:
            raise item.fail("measure", f"no measure {item.table['measure']!r} in the plan")
        judgements.append(
            Judgement(
                measure_id=item.text("measure"),
                verdict=Verdict(item.choice("verdict", [v.value for v in Verdict])),
                text=item.text("text", required=False),
            )
        )
    return Meeting(
        id=reader.text("id"),
        title=reader.text("title"),
        date=_day(reader, "date"),
        place=reader.text("place", required=False),
        chair=reader.text("chair", required=False),
        secretary=reader.text("secretary", required=False),
        state=MeetingState(reader.choice("state", [s.value for s in MeetingState], default="planned")),
        attendees=tuple(attendees),
        agenda=tuple(agenda) or tuple(AgendaItem(a.number) for a in plan.areas),
        decisions=tuple(decisions),
        notes=tuple(notes),
        judgements=tuple(judgements),
        number=reader.text("number", required=False),
        issuer=reader.text("issuer", required=False),
        distribution=reader.text("distribution", required=False),
    )


def _action(reader: _Reader, plan: Plan, meeting_dates: dict[str, date]) -> ActionItem:
    reader.check_fields(
        {"id", "meeting", "text", "owner", "lead_unit", "supporting_units", "due"}
        | {"measure", "area", "status", "evidence", "changed_on"}
    )
    meeting_id = reader.text("meeting")
    if meeting_id not in meeting_dates:
        raise reader.fail("meeting", f"no meeting {meeting_id!r} in the demo")
    measure_id = reader.text("measure", required=False)
    measures = {m.id: m for m in plan.measures}
    if measure_id and measure_id not in measures:
        raise reader.fail("measure", f"no measure {measure_id!r} in the plan")
    area = reader.table.get("area")
    if measure_id and area is None:
        area = measures[measure_id].area_number
    status = ActionStatus(reader.choice("status", [s.value for s in ActionStatus], default="open"))
    raised_on = meeting_dates[meeting_id]
    history = [ActionChange(at=raised_on.isoformat(), meeting_id=meeting_id, kind=ChangeKind.RAISED)]
    if status is not ActionStatus.OPEN:
        changed_on = reader.day("changed_on", required=False) or raised_on
        history.append(
            ActionChange(
                at=changed_on.isoformat(),
                meeting_id="",
                kind=ChangeKind.STATUS,
                before=ActionStatus.OPEN,
                after=status,
                evidence=reader.text("evidence", required=False, multiline=True),
            )
        )
    return ActionItem(
        id=reader.text("id"),
        text=reader.text("text", multiline=True),
        owner=reader.text("owner"),
        meeting_id=meeting_id,
        lead_unit=reader.text("lead_unit", required=False),
        supporting_units=reader.texts("supporting_units"),
        due=reader.day("due", required=False),
        measure_id=measure_id,
        area_number=area,
        status=status,
        history=tuple(history),
    )


__all__ = ["DemoData", "PlanError", "demo_from_toml", "shipped_demo"]
