"""`zzreview export`: the minutes (会议纪要) as Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem
from zzreview.i18n import t


@cli.command()
@click.argument("meeting_id", required=False)
@click.option(
    "-o", "--output", default="-", show_default=True, help="The Markdown file to write; `-` for stdout."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--actions-only", is_flag=True, help="Only the action-item list (交办事项清单).")
@click.pass_context
def export(ctx: click.Context, meeting_id: str | None, output: str, force: bool, actions_only: bool) -> None:
    """The minutes (会议纪要) of MEETING as Markdown (default: the current meeting).

    A closed meeting's minutes come from the figures frozen when it closed, so they are the
    same bytes every time; an open meeting's use the latest data as of its date.
    """
    from zzreview.meeting.minutes import AlreadyExists, WriteError, minutes_markdown, write_minutes

    session = session_of(ctx)
    repo = session.repo()
    meeting = repo.meeting(meeting_id) if meeting_id else repo.current_meeting()
    if meeting is None:
        raise UsageProblem("no meeting in progress or planned; name one (`zzreview meetings list`)")
    lang = session.lang()
    text = minutes_markdown(repo, meeting.id, lang, actions_only=actions_only, rules=session.settings.rules)
    if output == "-":
        stream = sys.stdout.buffer  # bytes: the same UTF-8 whatever the terminal's encoding
        stream.write(text.encode("utf-8"))
        stream.flush()
        return
    path = Path(output)
    try:
        write_minutes(path, text, replace=force, database=repo.store.path)
    except AlreadyExists:
        raise UsageProblem(f"{path} already exists; add --force to replace it") from None
    except WriteError as error:
        raise UsageProblem(str(error)) from None
    click.echo(t("cli.minutes_written", lang, path=path), err=True)
