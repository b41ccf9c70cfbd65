"""`zzreview values`: record indicator values, milestone states and evidence; import a ledger."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem, emit, format_option
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.commands import ImportProblems, ValueLine

IMPORT_PROBLEMS_SHOWN = 5
"""A ledger's problems printed in full; the rest are counted."""


NEGATIVE_NUMBER = re.compile(r"-\d")
"""A word that starts like a negative number (`-5`, `-5.25`, `-1,234.5`): a value, never an
option, since no option's name starts with a digit."""

_SHIELD = "\ue000"
"""A private-use character put before such a word while click parses, so click reads it as an
argument; taken off again before the command sees it."""


def _unshield(value: Any) -> Any:
    if isinstance(value, str):
        return value.removeprefix(_SHIELD)
    if isinstance(value, tuple | list):
        return type(value)(_unshield(v) for v in value)
    return value


class NegativeNumbers(click.Command):
    """A command whose arguments and option values may be negative numbers.

    click takes every word that starts with `-` for an option, so `values set 4.2.2 -5` would
    say "No such option '-5'". Here a word that is `-` and a digit is a value wherever it
    stands; any other word with a leading `-` is still an option, and an unknown one is still
    click's usage error (exit 2). `--` works as ever.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        shielded = [_SHIELD + arg if NEGATIVE_NUMBER.match(arg) else arg for arg in args]
        try:
            rest = super().parse_args(ctx, shielded)
        except click.UsageError as error:
            error.message = error.message.replace(_SHIELD, "")
            raise
        ctx.params = {name: _unshield(value) for name, value in ctx.params.items()}
        ctx.args = _unshield(rest)
        return ctx.args


@cli.group()
def values() -> None:
    """Record indicator values, milestone states and evidence."""


@values.command("set", cls=NegativeNumbers)
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

    VALUE is a number for a target indicator (a negative one as it is, e.g. -5), a state for
    a milestone (not_started, in_progress, done, slipped), or an assessment for a
    qualitative one (achieved, on_track, attention, off_track).
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
