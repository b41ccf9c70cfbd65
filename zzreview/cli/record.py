"""`zzreview decisions`, `notes`, `judgements`, `attendance`: what a meeting records besides its
action items, from scripts as from the app; and `zzreview undo` and `zzreview log`."""

from __future__ import annotations

from typing import Any

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import emit, format_option, names_fields
from zzreview.domain import Meeting, NoteKind, Presence, Verdict
from zzreview.domain.entry import parse_day
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.commands import reference_date

meeting_option = click.option(
    "--meeting", "meeting_id", help="The meeting (default: the one in progress, else the next planned)."
)


def _meeting(session, meeting_id: str | None) -> Meeting:
    """The named meeting, else the current one (closed ones too: their record can be listed)."""
    return commands.meeting_for(session.repo(), meeting_id, open_only=False)


# -- decisions -------------------------------------------------------------------------------


@cli.group()
def decisions() -> None:
    """Decisions (议定事项) of a meeting: add, list."""


@decisions.command("add")
@click.argument("text")
@click.option("--area", type=int, help="The focus area it is about (default: the whole meeting).")
@meeting_option
@click.pass_context
def decisions_add(ctx: click.Context, text: str, area: int | None, meeting_id: str | None) -> None:
    """Record a decision TEXT."""
    session = session_of(ctx)
    meeting = _meeting(session, meeting_id)
    decision = commands.add_decision(session.repo(), text, area=area, meeting_id=meeting.id).value
    click.echo(t("cli.decision_added", session.lang(), id=decision.id, meeting=meeting.id))


@decisions.command("list")
@meeting_option
@format_option
@click.pass_context
def decisions_list(ctx: click.Context, meeting_id: str | None, fmt: str) -> None:
    """List a meeting's decisions."""
    session = session_of(ctx)
    meeting = _meeting(session, meeting_id)
    rows = [
        {"id": d.id, "area": d.area_number, "text": d.text, "meeting": meeting.id} for d in meeting.decisions
    ]
    emit(rows, [("id", "col.id"), ("area", "col.area"), ("text", "col.text")], fmt, session.lang())


# -- notes -----------------------------------------------------------------------------------


@cli.group()
def notes() -> None:
    """Notes taken under an area during a meeting: add, list."""


@notes.command("add")
@click.argument("text")
@click.option("--area", type=int, required=True, help="The focus area the note is under (1–10).")
@click.option(
    "--as",
    "kind",
    type=click.Choice([k.value for k in NoteKind]),
    default=NoteKind.NOTE.value,
    show_default=True,
    help="What the meeting did: noted (会议指出), stressed (会议强调), required (会议要求); "
    "the minutes give those a section of their own.",
)
@meeting_option
@click.pass_context
def notes_add(ctx: click.Context, text: str, area: int, kind: str, meeting_id: str | None) -> None:
    """Record a note TEXT under an area."""
    session = session_of(ctx)
    meeting = _meeting(session, meeting_id)
    note = commands.add_note(session.repo(), area, text, meeting_id=meeting.id, kind=kind).value
    click.echo(t("cli.note_added", session.lang(), area=note.area_number, meeting=meeting.id))


@notes.command("list")
@click.option("--area", type=int, help="Only this area's notes.")
@meeting_option
@format_option
@click.pass_context
def notes_list(ctx: click.Context, area: int | None, meeting_id: str | None, fmt: str) -> None:
    """List a meeting's notes, by area."""
    session = session_of(ctx)
    meeting = _meeting(session, meeting_id)
    rows = [
        {
            "area": n.area_number,
            "kind": n.kind.value,
            "text": n.text,
            "author": n.author,
            "meeting": meeting.id,
        }
        for n in sorted(meeting.notes, key=lambda n: n.area_number)
        if area is None or n.area_number == area
    ]
    columns = [("area", "col.area"), ("kind", "col.kind"), ("text", "col.text"), ("author", "col.author")]
    emit(rows, columns, fmt, session.lang())


# -- judgements ------------------------------------------------------------------------------


@cli.group()
def judgements() -> None:
    """The chair's judgements of measures: set, list."""


@judgements.command("set")
@click.argument("measure")
@click.argument("verdict", type=click.Choice([v.value for v in Verdict]))
@click.option("--text", default="", help="A line on why.")
@meeting_option
@click.pass_context
def judgements_set(ctx: click.Context, measure: str, verdict: str, text: str, meeting_id: str | None) -> None:
    """Record the chair's VERDICT on MEASURE (e.g. `4.2 at_risk`), replacing an earlier one."""
    names_fields(ctx, measure="MEASURE")  # an argument here, not --measure
    session = session_of(ctx)
    meeting = _meeting(session, meeting_id)
    judgement = commands.set_judgement(
        session.repo(), measure, verdict, text=text, meeting_id=meeting.id
    ).value
    word = t(f"minutes.verdict.{judgement.verdict.value}", session.lang())
    click.echo(t("cli.judgement_set", session.lang(), measure=judgement.measure_id, verdict=word))


@judgements.command("list")
@meeting_option
@format_option
@click.pass_context
def judgements_list(ctx: click.Context, meeting_id: str | None, fmt: str) -> None:
    """List a meeting's judgements, with whether each differs from the computed light."""
    from zzreview.analysis import judgement_differs
    from zzreview.meeting.figures import status_at

    session = session_of(ctx)
    repo = session.repo()
    meeting = _meeting(session, meeting_id)
    statuses = [s for area in status_at(repo, meeting, session.settings.rules).areas for s in area.statuses]
    rows = [
        {
            "measure_id": j.measure_id,
            "verdict": j.verdict.value,
            "text": j.text,
            "differs": judgement_differs(j, statuses),
            "meeting": meeting.id,
        }
        for j in meeting.judgements
    ]
    # Keyed measure_id, not measure: here the measure is what a row is about, never left out.
    columns = [("measure_id", "col.measure"), ("verdict", "col.verdict"), ("text", "col.text")]
    emit(rows, columns, fmt, session.lang())


# -- attendance ------------------------------------------------------------------------------


@cli.group()
def attendance() -> None:
    """Who came to a meeting: set, list."""


@attendance.command("set")
@click.argument("name")
@click.option(
    "--presence", type=click.Choice([p.value for p in Presence]), default="present", show_default=True
)
@click.option("--unit", help="Their unit (kept as it was if left out).")
@click.option("--deputy", default="", help="Who came in their place (with --presence deputised).")
@meeting_option
@click.pass_context
def attendance_set(
    ctx: click.Context, name: str, presence: str, unit: str | None, deputy: str, meeting_id: str | None
) -> None:
    """Record whether NAME came, or sent a deputy; adds them to the list if new."""
    session = session_of(ctx)
    meeting = _meeting(session, meeting_id)
    person = commands.set_attendance(
        session.repo(), name, presence, unit=unit, deputy=deputy, meeting_id=meeting.id
    ).value
    word = t(f"presence.{person.presence.value}", session.lang())
    click.echo(t("cli.attendance_set", session.lang(), name=person.name, presence=word))


@attendance.command("list")
@meeting_option
@format_option
@click.pass_context
def attendance_list(ctx: click.Context, meeting_id: str | None, fmt: str) -> None:
    """List a meeting's attendees and whether they came."""
    session = session_of(ctx)
    meeting = _meeting(session, meeting_id)
    rows = [
        {
            "name": a.name,
            "unit": a.unit,
            "presence": a.presence.value,
            "deputy": a.deputy or None,
            "meeting": meeting.id,
        }
        for a in meeting.attendees
    ]
    columns = [
        ("name", "col.name"),
        ("unit", "col.unit"),
        ("presence", "col.presence"),
        ("deputy", "col.deputy"),
    ]
    emit(rows, columns, fmt, session.lang())


# -- undo and the audit trail -----------------------------------------------------------------


@cli.command()
@click.option("--seat", help="Undo this seat's last change (default: cli, this command line's).")
@click.pass_context
def undo(ctx: click.Context, seat: str | None) -> None:
    """Take back the last change made on a seat that is not yet undone (refused if another seat has
    changed the same record since, or a meeting has closed since)."""
    session = session_of(ctx)
    event = commands.undo(session.repo(), seat).value
    click.echo(t("cli.undone", session.lang(), summary=event.summary, seat=event.seat, seq=event.seq))


@cli.command()
@click.option("--since", help="Only changes on or after this date.")
@click.option("--seat", help="Only this seat's changes (cli, chair, secretary, viewer, browser).")
@format_option
@click.pass_context
def log(ctx: click.Context, since: str | None, seat: str | None, fmt: str) -> None:
    """The audit trail: every change, oldest first — who, which seat, when, what."""
    session = session_of(ctx)
    repo = session.repo()
    day = parse_day(since, reference_date(repo), "since") if since else None
    rows: list[dict[str, Any]] = [
        {
            "seq": e.seq,
            "at": e.at,
            "who": e.who,
            "seat": e.seat,
            "kind": e.kind,
            "what": e.summary,
            "undoes": e.undoes,
        }
        for e in repo.events()
        if (seat is None or e.seat == seat) and (day is None or e.at[:10] >= day.isoformat())
    ]
    columns = [
        ("seq", "col.seq"),
        ("at", "col.at"),
        ("who", "col.who"),
        ("seat", "col.seat"),
        ("what", "col.what"),
    ]
    emit(rows, columns, fmt, session.lang())
