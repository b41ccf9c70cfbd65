"""`zzreview meetings`: plan a meeting, list them, show one, order its agenda, close one."""

from __future__ import annotations

import json
from typing import Any

import click

from zzreview.analysis import PlanStatus
from zzreview.cli.actions import ACTION_COLUMNS, action_row
from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem, clock_text, emit, format_option, problem_text
from zzreview.domain import Meeting, Plan
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.figures import status_at
from zzreview.meeting.view import meeting_document


@cli.group()
def meetings() -> None:
    """Meetings: plan one, list them, show one, start, edit and close one."""


@meetings.command("new")
@click.option("--date", "on", required=True, help="The meeting's date (the as-of date of its figures).")
@click.option("--title", default="", help="Title (default from the plan and the month).")
@click.option("--place", default="")
@click.option("--chair", default="")
@click.option("--secretary", default="")
@click.option("--number", default="", help="The minutes' issue number (期数), e.g. 第10期.")
@click.option("--issuer", default="", help="Who issues the minutes (印发机关), e.g. 市政府办公室.")
@click.option("--distribution", default="", help="Who the minutes are sent to (分送).")
@click.option(
    "--force",
    is_flag=True,
    help="Plan it even if that day already has a meeting; the second is told apart as DATE-2.",
)
@click.pass_context
def meetings_new(
    ctx: click.Context,
    on: str,
    title: str,
    place: str,
    chair: str,
    secretary: str,
    number: str,
    issuer: str,
    distribution: str,
    force: bool,
) -> None:
    """Plan a new meeting, with every focus area on its agenda.

    A day that already has a meeting is refused unless --force is given.
    """
    session = session_of(ctx)
    try:
        meeting = commands.new_meeting(
            session.repo(),
            on,
            title=title,
            place=place,
            chair=chair,
            secretary=secretary,
            number=number,
            issuer=issuer,
            distribution=distribution,
            force=force,
        ).value
    except commands.MeetingOnThatDay as error:
        raise UsageProblem(f"{problem_text(error)}: add --force") from None
    click.echo(t("cli.meeting_added", session.lang(), id=meeting.id, title=meeting.title))


def meeting_row(meeting: Meeting, raised: int) -> dict[str, Any]:
    """A meeting as a flat row."""
    return {
        "id": meeting.id,
        "date": meeting.date.isoformat(),
        "title": meeting.title,
        "place": meeting.place,
        "state": meeting.state.value,
        "actions": raised,
    }


def _raised_at(repo, meeting: Meeting) -> int:
    return sum(1 for a in repo.actions() if a.meeting_id == meeting.id)


@meetings.command("list")
@format_option
@click.pass_context
def meetings_list(ctx: click.Context, fmt: str) -> None:
    """List meetings by date."""
    session = session_of(ctx)
    repo = session.repo()
    rows = [meeting_row(m, _raised_at(repo, m)) for m in repo.meetings()]
    columns = [
        ("id", "col.id"),
        ("date", "col.date"),
        ("title", "col.title"),
        ("place", "col.place"),
        ("state", "col.state"),
    ]
    emit(rows, columns, fmt, session.lang())


@meetings.command("show")
@click.argument("meeting_id", required=False)
@format_option
@click.pass_context
def meetings_show(ctx: click.Context, meeting_id: str | None, fmt: str) -> None:
    """Show a meeting (default: the current one): people, agenda, decisions, carried items."""
    session = session_of(ctx)
    repo = session.repo()
    lang = session.lang()
    meeting = repo.meeting(meeting_id) if meeting_id else repo.current_meeting()
    if meeting is None:
        raise UsageProblem("no meeting in progress or planned; name one (`zzreview meetings list`)")
    figures = repo.figures(meeting)  # a closed meeting: as frozen when it closed
    carried = figures.carried(meeting, repo.meetings())
    raised = [a for a in figures.actions if a.meeting_id == meeting.id]
    if fmt != "table":
        doc = meeting_document(meeting) | {
            "carried_over": [action_row(a, meeting.date) for a in carried],
            "actions": [action_row(a, meeting.date) for a in raised],
        }
        if fmt == "json":
            click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            emit(
                [meeting_row(meeting, _raised_at(repo, meeting))],
                [(k, k) for k in ("id", "date", "title", "place", "state", "actions")],
                "csv",
                lang,
            )
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    console.print(Text(meeting.title, style="bold"))
    facts = [
        (t("col.date", lang), meeting.date.isoformat()),
        (t("col.place", lang), meeting.place),
        (t("meeting.chair", lang), meeting.chair),
        (t("meeting.secretary", lang), meeting.secretary),
        (t("col.state", lang), t(f"meeting.{meeting.state.value}", lang)),
    ]
    facts += [
        (t(f"meeting.{name}", lang), getattr(meeting, name))
        for name in ("number", "issuer", "distribution")
        if getattr(meeting, name)
    ]
    for label, value in facts:
        console.print(Text(f"{label}: {value or '—'}"))
    if meeting.attendees:
        console.print(Text(t("meeting.attendees", lang), style="bold"))
        for person in meeting.attendees:
            extra = f" → {person.deputy}" if person.deputy else ""
            console.print(
                Text(f"  {person.name} ({person.unit}) {t('presence.' + person.presence.value, lang)}{extra}")
            )
    console.print(Text(t("meeting.agenda", lang), style="bold"))
    status = status_at(repo, meeting, session.settings.rules, figures)
    emit_agenda(agenda_rows(repo.plan(), meeting, status, lang), status, "table", lang)
    if meeting.decisions:
        console.print(Text(t("meeting.decisions", lang), style="bold"))
        for decision in meeting.decisions:
            console.print(Text(f"  {decision.id}. {decision.text}"))
    console.print(Text(t("meeting.carried", lang, count=len(carried)), style="bold"))
    emit([action_row(a, meeting.date) for a in carried], ACTION_COLUMNS, "table", lang)
    if raised:
        console.print(Text(t("meeting.actions", lang), style="bold"))
        emit([action_row(a, meeting.date) for a in raised], ACTION_COLUMNS, "table", lang)


REVIEW_AREA = 0
"""The area number of the 回头看 review in an agenda's times."""


def agenda_rows(plan: Plan, meeting: Meeting, status: PlanStatus, lang: str) -> list[dict[str, Any]]:
    """A meeting's agenda in order, as rows: area, title, light, timebox minutes and the seconds
    it took (None: not timed); 回头看 first when it was timed, and any other timed area last."""
    from zzreview.rendering.names import area_title

    lights = {a.area.number: a.state.value for a in status.areas}
    titles = {a.number: area_title(a, lang) for a in plan.areas}
    titles[REVIEW_AREA] = t("ui.review_short", lang)
    steps: list[tuple[int, int | None]] = [(a.area_number, a.timebox_minutes) for a in meeting.agenda]
    listed = {number for number, _ in steps}
    timed_elsewhere: list[tuple[int, int | None]] = [
        (n, None) for n in sorted(meeting.area_seconds) if n not in listed
    ]
    if timed_elsewhere and timed_elsewhere[0][0] == REVIEW_AREA:
        steps.insert(0, timed_elsewhere.pop(0))
    return [
        {
            "area": number,
            "title": titles.get(number, ""),
            "state": lights.get(number),
            "minutes": minutes,
            "seconds": meeting.area_seconds.get(number),
        }
        for number, minutes in [*steps, *timed_elsewhere]
    ]


def emit_agenda(rows: list[dict[str, Any]], status: PlanStatus, fmt: str, lang: str) -> None:
    """Print agenda rows as a table (lights as mark and word, times as a clock), JSON or CSV."""
    from zzreview.rendering.names import state_label

    columns = [
        ("area", "col.area"),
        ("title", "col.title"),
        ("state", "col.status"),
        ("minutes", "col.timebox"),
    ]
    if fmt != "table":
        emit(rows, [*columns, ("seconds", "col.time_taken")], fmt, lang)
        return
    labels = {a.area.number: state_label(a, lang) for a in status.areas}
    shown = [
        row
        | {
            "state": labels.get(row["area"]),
            "time_taken": None if row["seconds"] is None else clock_text(row["seconds"]),
        }
        for row in rows
    ]
    timed = any(row["seconds"] is not None for row in rows)
    emit(shown, [*columns, ("time_taken", "col.time_taken")] if timed else columns, "table", lang)


@meetings.command("agenda")
@click.argument("meeting_id", required=False)
@click.option(
    "--red-first/--plan-order",
    "red_first",
    default=None,
    help="Worst light first (then the furthest behind), or the plan's order of areas.",
)
@click.option(
    "--weighted/--even",
    "weighted",
    default=None,
    help="Split the agenda's minutes by each area's light (off track most), or evenly.",
)
@format_option
@click.pass_context
def meetings_agenda(
    ctx: click.Context, meeting_id: str | None, red_first: bool | None, weighted: bool | None, fmt: str
) -> None:
    """Show a meeting's agenda (default: the current meeting), or put it in order.

    With --red-first/--plan-order or --weighted/--even, the open meeting's agenda is reordered
    and its timeboxes split again over the same total minutes (whole minutes, 2 at least); an
    option left out counts as --red-first and --even. Lights are judged at the meeting's date.
    Without either, the agenda is only shown.
    """
    session = session_of(ctx)
    repo = session.repo()
    rules = session.settings.rules
    if red_first is not None or weighted is not None:
        commands.order_agenda(
            repo, meeting_id, red_first=red_first is not False, weighted=bool(weighted), rules=rules
        )
    meeting = commands.meeting_for(repo, meeting_id, open_only=False)
    status = status_at(repo, meeting, rules)
    emit_agenda(agenda_rows(repo.plan(), meeting, status, session.lang()), status, fmt, session.lang())


@meetings.command("close")
@click.argument("meeting_id")
@click.pass_context
def meetings_close(ctx: click.Context, meeting_id: str) -> None:
    """Close a meeting: its figures and actions are frozen for the minutes."""
    session = session_of(ctx)
    meeting = commands.close_meeting(session.repo(), meeting_id, rules=session.settings.rules).value
    click.echo(t("cli.meeting_closed", session.lang(), id=meeting.id))


@meetings.command("start")
@click.argument("meeting_id", required=False)
@click.pass_context
def meetings_start(ctx: click.Context, meeting_id: str | None) -> None:
    """Start a meeting (default: the next planned one): it is the meeting in progress."""
    session = session_of(ctx)
    meeting = commands.start_meeting(session.repo(), meeting_id).value
    click.echo(t("cli.meeting_started", session.lang(), id=meeting.id))


@meetings.command("edit")
@click.argument("meeting_id", required=False)
@click.option("--title")
@click.option("--place")
@click.option("--chair")
@click.option("--secretary")
@click.option("--number", help="The minutes' issue number (期数), e.g. 第10期.")
@click.option("--issuer", help="Who issues the minutes (印发机关).")
@click.option("--distribution", help="Who the minutes are sent to (分送).")
@click.option("--date", "on", help="A new date (a planned meeting only).")
@click.pass_context
def meetings_edit(
    ctx: click.Context,
    meeting_id: str | None,
    title: str | None,
    place: str | None,
    chair: str | None,
    secretary: str | None,
    number: str | None,
    issuer: str | None,
    distribution: str | None,
    on: str | None,
) -> None:
    """Change a meeting's details (default: the current one); options left out stay as they are.

    A closed meeting is frozen, but for what its minutes are printed with: --number, --issuer
    and --distribution.
    """
    session = session_of(ctx)
    meeting = commands.edit_meeting(
        session.repo(),
        meeting_id,
        title=title,
        place=place,
        chair=chair,
        secretary=secretary,
        number=number,
        issuer=issuer,
        distribution=distribution,
        on=on,
    ).value
    click.echo(t("cli.meeting_edited", session.lang(), id=meeting.id))
