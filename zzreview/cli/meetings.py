"""`zzreview meetings`: plan a meeting, list them, show one, close one."""

from __future__ import annotations

import json
from typing import Any

import click

from zzreview.cli.actions import ACTION_COLUMNS, action_row
from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem, emit, format_option
from zzreview.domain import Meeting
from zzreview.i18n import t
from zzreview.meeting import commands
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
@click.pass_context
def meetings_new(ctx: click.Context, on: str, title: str, place: str, chair: str, secretary: str) -> None:
    """Plan a new meeting, with every focus area on its agenda."""
    session = session_of(ctx)
    meeting = commands.new_meeting(
        session.repo(), on, title=title, place=place, chair=chair, secretary=secretary
    ).value
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
    for label, value in facts:
        console.print(Text(f"{label}: {value or '—'}"))
    if meeting.attendees:
        console.print(Text(t("meeting.attendees", lang), style="bold"))
        for person in meeting.attendees:
            extra = f" → {person.deputy}" if person.deputy else ""
            console.print(
                Text(f"  {person.name} ({person.unit}) {t('presence.' + person.presence.value, lang)}{extra}")
            )
    if meeting.decisions:
        console.print(Text(t("meeting.decisions", lang), style="bold"))
        for decision in meeting.decisions:
            console.print(Text(f"  {decision.id}. {decision.text}"))
    console.print(Text(t("meeting.carried", lang, count=len(carried)), style="bold"))
    emit([action_row(a, meeting.date) for a in carried], ACTION_COLUMNS, "table", lang)
    if raised:
        console.print(Text(t("meeting.actions", lang), style="bold"))
        emit([action_row(a, meeting.date) for a in raised], ACTION_COLUMNS, "table", lang)


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
@click.option("--date", "on", help="A new date (a planned meeting only).")
@click.pass_context
def meetings_edit(
    ctx: click.Context,
    meeting_id: str | None,
    title: str | None,
    place: str | None,
    chair: str | None,
    secretary: str | None,
    on: str | None,
) -> None:
    """Change a meeting's details (default: the current one); options left out stay as they are."""
    session = session_of(ctx)
    meeting = commands.edit_meeting(
        session.repo(), meeting_id, title=title, place=place, chair=chair, secretary=secretary, on=on
    ).value
    click.echo(t("cli.meeting_edited", session.lang(), id=meeting.id))
