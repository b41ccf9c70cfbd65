"""`zzreview export`: the minutes (会议纪要) as Markdown or as a Word document."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem
from zzreview.i18n import t

FORMATS = ("md", "docx")


@cli.command()
@click.argument("meeting_id", required=False)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="The file to write; `-` for stdout (Markdown only).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="md: Markdown; docx: a Word document in 公文 layout (GB/T 9704). "
    "Default: docx for an output file named *.docx, else md.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--actions-only", is_flag=True, help="Only the action-item list (交办事项清单).")
@click.pass_context
def export(
    ctx: click.Context, meeting_id: str | None, output: str, fmt: str | None, force: bool, actions_only: bool
) -> None:
    """The minutes (会议纪要) of MEETING (default: the current meeting), as Markdown or as a
    Word document (`-o 纪要.docx`).

    A closed meeting's minutes come from the figures frozen when it closed, so they are the
    same bytes every time; an open meeting's use the latest data as of its date. The Word
    document says what the Markdown says, laid out as an office circulates it: A4, 仿宋 body,
    小标宋 title, 黑体 and 楷体 headings, tables with a header row on every page, page numbers
    at the foot; each chart is a table of its months.
    """
    from zzreview.meeting.minutes import (
        AlreadyExists,
        WriteError,
        minutes_document,
        minutes_markdown,
        write_minutes,
    )

    session = session_of(ctx)
    repo = session.repo()
    meeting = repo.meeting(meeting_id) if meeting_id else repo.current_meeting()
    if meeting is None:
        raise UsageProblem("no meeting in progress or planned; name one (`zzreview meetings list`)")
    lang = session.lang()
    fmt = fmt or ("docx" if output.lower().endswith(".docx") else "md")
    if fmt == "docx" and output == "-":
        raise UsageProblem("a Word document goes to a file: add -o FILE.docx")
    rules = session.settings.rules
    if fmt == "docx":
        content: str | bytes = minutes_document(
            repo, meeting.id, lang, actions_only=actions_only, rules=rules
        )
    else:
        content = minutes_markdown(repo, meeting.id, lang, actions_only=actions_only, rules=rules)
    if output == "-":
        assert isinstance(content, str)
        stream = sys.stdout.buffer  # bytes: the same UTF-8 whatever the terminal's encoding
        stream.write(content.encode("utf-8"))
        stream.flush()
        return
    path = Path(output)
    try:
        write_minutes(path, content, replace=force, database=repo.store.path)
    except AlreadyExists:
        raise UsageProblem(f"{path} already exists; add --force to replace it") from None
    except WriteError as error:
        raise UsageProblem(str(error)) from None
    click.echo(t("cli.minutes_written", lang, path=path), err=True)
