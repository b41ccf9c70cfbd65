"""`zzreview values`: record indicator values, milestone states and evidence; import a ledger."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem, emit, format_option
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.commands import ImportProblems, ValueLine

IMPORT_PROBLEMS_SHOWN = 5
"""A ledger's problems printed in full; the rest are counted."""


@cli.group()
def values() -> None:
    """Record indicator values, milestone states and evidence."""


@values.command("set")
@click.argument("indicator")
@click.argument("value")
@click.option("--date", "on", help="The date the value is for (default: the current meeting's date).")
@click.option("--source", default="", help="Where the figure comes from (e.g. 市统计局).")
@click.option("--evidence", default="", help="A line of evidence (milestones, qualitative measures).")
@click.option("--note", default="", help="A note kept with the value.")
@click.pass_context
def values_set(
    ctx: click.Context, indicator: str, value: str, on: str | None, source: str, evidence: str, note: str
) -> None:
    """Record VALUE for INDICATOR (e.g. `4.2.1 512.3`).

    VALUE is a number for a target indicator, a state for a milestone (not_started,
    in_progress, done, slipped), or an assessment for a qualitative one (achieved, on_track,
    attention, off_track).
    """
    session = session_of(ctx)
    recorded = commands.record_value(
        session.repo(), indicator, value, on=on, source=source, evidence=evidence, note=note
    )
    point = recorded.value
    click.echo(t("cli.value_recorded", session.lang(), indicator=indicator, date=point.as_of.isoformat()))


@values.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def values_import(ctx: click.Context, file: Path) -> None:
    """Import values from a CSV file with columns indicator,date,value,source
    (optional: evidence,note). All rows or none: a bad row is reported by line number."""
    session = session_of(ctx)
    repo = session.repo()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageProblem(f"{file}: no such file") from None
    except UnicodeDecodeError:
        raise UsageProblem(f"{file}: not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    required = {"indicator", "date", "value"}
    headers = {h.strip().lower() for h in reader.fieldnames or []}
    if not required <= headers:
        missing = ", ".join(sorted(required - headers))
        raise UsageProblem(
            f"{file}: line 1: the header lacks {missing}; expected indicator,date,value,source"
        )
    lines = []
    for record in reader:
        cells = {(k or "").strip().lower(): (v or "") for k, v in record.items() if k is not None}
        lines.append(
            ValueLine(
                indicator=cells["indicator"],
                reading=cells["value"],
                on=cells["date"],
                source=cells.get("source", ""),
                evidence=cells.get("evidence", ""),
                note=cells.get("note", ""),
                line=reader.line_num,
            )
        )
    if not lines:
        raise UsageProblem(f"{file}: no rows to import")
    try:
        recorded = commands.import_values(repo, lines)
    except ImportProblems as error:
        problems = error.problems
        shown = "; ".join(problems[:IMPORT_PROBLEMS_SHOWN])
        if len(problems) > IMPORT_PROBLEMS_SHOWN:
            shown += f"; and {len(problems) - IMPORT_PROBLEMS_SHOWN} more"
        raise UsageProblem(f"{file}: nothing imported: {shown}") from None
    click.echo(t("cli.values_imported", session.lang(), count=len(recorded.value)))


@values.command("list")
@click.option("--indicator", help="Only this indicator.")
@format_option
@click.pass_context
def values_list(ctx: click.Context, indicator: str | None, fmt: str) -> None:
    """List recorded values, oldest first."""
    session = session_of(ctx)
    repo = session.repo()
    rows = []
    for ident, points in sorted(repo.data_points().items()):
        if indicator and ident != indicator:
            continue
        for point in points:
            rows.append(
                {
                    "indicator": ident,
                    "date": point.as_of.isoformat(),
                    "value": point.value if point.value is not None else point.state,
                    "source": point.source,
                    "evidence": point.evidence,
                    "entered_by": point.entered_by,
                }
            )
    columns = [
        ("indicator", "col.indicator"),
        ("date", "col.date"),
        ("value", "col.value"),
        ("source", "col.source"),
        ("evidence", "col.evidence"),
    ]
    emit(rows, columns, fmt, session.lang())
