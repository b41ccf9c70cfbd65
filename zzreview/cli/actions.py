"""`zzreview actions`: action items (交办事项) — add, list, update, close (销号), drop."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import FORMATS, UsageProblem, emit, format_option, names_fields
from zzreview.domain import ActionChange, ActionItem, ActionStatus, ChangeKind
from zzreview.domain.dates import ACCEPTED_FORMS
from zzreview.domain.entry import parse_day
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.commands import reference_date

ACTION_COLUMNS = [
    ("id", "col.id"),
    ("text", "col.text"),
    ("owner", "col.owner"),
    ("lead_unit", "col.lead_unit"),
    ("supporting_units", "col.supporting_units"),
    ("due", "col.due"),
    ("status", "col.state"),
    ("measure", "col.measure"),
    ("meeting", "col.meeting"),
]


def history_row(change: ActionChange) -> dict[str, Any]:
    """An entry of an item's history as plain data: when, at which meeting, who, what."""
    return {
        "at": change.at,
        "meeting": change.meeting_id or None,
        "kind": change.kind.value,
        "before": change.before.value if change.before else None,
        "after": change.after.value if change.after else None,
        "evidence": change.evidence,
        "who": change.who,
        "fields": list(change.fields),
    }


def latest_progress(item: ActionItem) -> str | None:
    """The item's latest progress line (进展), if it has one."""
    lines = [h.evidence for h in item.history if h.kind is ChangeKind.PROGRESS and h.evidence]
    return lines[-1] if lines else None


def action_row(item: ActionItem, as_of: date) -> dict[str, Any]:
    """An action item as a flat row, the same for table, JSON and CSV (JSON also carries its
    latest progress line and its whole history)."""
    return {
        "id": item.id,
        "text": item.text,
        "owner": item.owner,
        "lead_unit": item.lead_unit,
        "supporting_units": list(item.supporting_units),
        "due": item.due.isoformat() if item.due else None,
        "status": item.status.value,
        "overdue": item.is_overdue(as_of),
        "measure": item.measure_id or None,
        "area": item.area_number,
        "meeting": item.meeting_id,
        "progress": latest_progress(item),
        "history": [history_row(h) for h in item.history],
    }


@cli.group()
def actions() -> None:
    """Action items (交办事项): add, list, update, close (销号), drop."""


@actions.command("add")
@click.argument("text")
@click.option("--owner", required=True, help="Who answers for it (牵头领导 or person).")
@click.option("--due", help=f"When it is due: {ACCEPTED_FORMS}.")
@click.option("--area", type=int, help="The focus area (1–10).")
@click.option("--measure", default="", help="The linked measure, e.g. 4.2.")
@click.option("--lead-unit", default="", help="The lead unit (牵头单位).")
@click.option("--support", "supporting", multiple=True, help="A supporting unit (配合单位); repeat for more.")
@click.option(
    "--meeting", "meeting_id", help="The meeting it belongs to (default: in progress, else next planned)."
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", help="How to print the new item."
)
@click.pass_context
def actions_add(
    ctx: click.Context,
    text: str,
    owner: str,
    due: str | None,
    area: int | None,
    measure: str,
    lead_unit: str,
    supporting: tuple[str, ...],
    meeting_id: str | None,
    fmt: str,
) -> None:
    """Add an action item TEXT; it belongs to the meeting in progress, or else the next planned one."""
    session = session_of(ctx)
    repo = session.repo()
    item = commands.add_action(
        repo,
        text,
        owner,
        due=due,
        area=area,
        measure=measure,
        lead_unit=lead_unit,
        supporting=supporting,
        meeting_id=meeting_id,
    ).value
    if fmt == "table":
        click.echo(t("cli.action_added", session.lang(), id=item.id, meeting=item.meeting_id, text=item.text))
    else:
        emit([action_row(item, reference_date(repo))], ACTION_COLUMNS, fmt, session.lang())


@actions.command("list")
@click.option("--owner", help="Only this owner's items.")
@click.option(
    "--status", "status_", type=click.Choice([s.value for s in ActionStatus]), help="Only this status."
)
@click.option("--overdue", is_flag=True, help="Only open items past their due date.")
@click.option("--meeting", "meeting_id", help="Only items raised at this meeting.")
@click.option("--area", type=int, help="Only this focus area.")
@click.option("--as-of", "as_of", help="The date overdue is judged at (default: the current meeting's date).")
@format_option
@click.pass_context
def actions_list(
    ctx: click.Context,
    owner: str | None,
    status_: str | None,
    overdue: bool,
    meeting_id: str | None,
    area: int | None,
    as_of: str | None,
    fmt: str,
) -> None:
    """List action items, in the order they were raised."""
    session = session_of(ctx)
    repo = session.repo()
    reference = reference_date(repo)
    day = parse_day(as_of, reference, "as-of") if as_of else reference
    items = [
        a
        for a in repo.actions()
        if (owner is None or a.owner == owner)
        and (status_ is None or a.status.value == status_)
        and (not overdue or a.is_overdue(day))
        and (meeting_id is None or a.meeting_id == meeting_id)
        and (area is None or a.area_number == area)
    ]
    emit([action_row(a, day) for a in items], ACTION_COLUMNS, fmt, session.lang())


@actions.command("done")
@click.argument("action_id")
@click.option("--evidence", required=True, help="A line of evidence that it is done (销号依据).")
@click.pass_context
def actions_done(ctx: click.Context, action_id: str, evidence: str) -> None:
    """Close (销号) an action item, with a line of evidence."""
    session = session_of(ctx)
    item = commands.close_action(session.repo(), action_id, evidence).value
    click.echo(t("cli.action_done", session.lang(), id=item.id))


@actions.command("update")
@click.argument("action_id")
@click.option(
    "--status", "status_", type=click.Choice([s.value for s in ActionStatus]), help="Its new status."
)
@click.option("--evidence", default="", help="A line on what changed (done needs one, dropped a reason).")
@click.option(
    "--progress",
    default="",
    help="A line on how it stands (进展), kept in its history; with --status, the line that "
    "goes with the change (instead of --evidence).",
)
@click.option("--meeting", "meeting_id", help="The meeting it is said at (default: the current one).")
@click.pass_context
def actions_update(
    ctx: click.Context,
    action_id: str,
    status_: str | None,
    evidence: str,
    progress: str,
    meeting_id: str | None,
) -> None:
    """Change an action item's status (open, in_progress, done, dropped), or record a line of
    progress (进展) on it: one change either way, taken back by one `zzreview undo`.

    The status it already has, with a line, records the line as progress.
    """
    if not status_ and not progress:
        raise UsageProblem("nothing to update: give --status, --progress or both")
    if evidence and progress:
        raise UsageProblem("give the line once: --evidence or --progress, not both")
    session = session_of(ctx)
    repo = session.repo()
    if progress:
        names_fields(ctx, evidence="--progress")  # the line goes with the change as its evidence
        item = commands.review_action(
            repo, action_id, status=status_, line=progress, meeting_id=meeting_id
        ).value
    else:
        assert status_ is not None
        item = commands.set_action_status(
            repo, action_id, status_, evidence=evidence, meeting_id=meeting_id
        ).value
    said = f"{item.id}: {t('action.' + item.status.value, session.lang())}"
    last = item.history[-1] if item.history else None
    if progress and last is not None and last.kind is ChangeKind.PROGRESS:
        said += f" · {t('history.progress', session.lang())}: {last.evidence}"
    click.echo(said)


@actions.command("drop")
@click.argument("action_id")
@click.option("--reason", required=True, help="Why it no longer applies (kept in its history).")
@click.pass_context
def actions_drop(ctx: click.Context, action_id: str, reason: str) -> None:
    """Drop an action item that no longer applies; it stays on record, with the reason."""
    names_fields(ctx, evidence="--reason")  # the reason is kept as the item's evidence
    session = session_of(ctx)
    item = commands.drop_action(session.repo(), action_id, reason).value
    click.echo(t("cli.action_dropped", session.lang(), id=item.id))
