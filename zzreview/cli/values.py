"""`zzreview values`: record indicator values, milestone states and evidence; import a ledger."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem, emit, format_option
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.commands import ImportProblems

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
    """Record indicator values, milestone states and evidence; import a ledger (台账) and
    write its template."""


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
@click.option(
    "--sheet",
    metavar="NAME",
    help="The workbook's sheet to read (default: the first one that is not hidden). Not for a CSV file.",
)
@click.pass_context
def values_import(ctx: click.Context, file: Path, sheet: str | None) -> None:
    """Import the values of a ledger (台账): a CSV file or an Excel/WPS/LibreOffice workbook.

    \b
    Files: .csv in UTF-8 (with or without BOM), GB18030/GBK or UTF-16 (Excel's
      "Unicode text", tab-separated); .xlsx, .xlsm, .xlsb, .xls and .ods.
    Header (the first row naming them, among the first ten), Chinese or English:
      指标编号/indicator, 日期/date, 数值/value, and optional 来源/source,
      进展情况/evidence (or 佐证, 说明), 备注/note. Other columns are ignored.
    Values: 1,234.5; full-width digits; 3,500万 or 0.35亿元 (converted to the
      indicator's unit); 12.5% for a % indicator; (1,200) for -1200. A milestone's
      value is its state: 未开工/推进中/已完成/滞后 (or not_started, in_progress,
      done, slipped). Placeholders (—, -, /, 无) are refused, never read as 0.
      A unit in the value column's header (数值（万元）) applies to a cell
      that gives none. A cell Excel formats as a percentage holds the fraction
      (0.125 for 12.5%): type 12.5 or "12.5%" instead.
    Dates: 2024-10-31, 2024/10/31, 2024.10.31, 2024年10月31日, 20241031, a date
      cell or an Excel day number; empty: the current meeting's date.
    Ids are read as typed; an id Excel stored as a number (1.1) is the plan id
      that reads as it, so keep the id column as text (the template does).

    A row with no value (and no evidence) is skipped. All rows or none: every bad
    cell is reported by sheet, row and column (a CSV's by line and column).
    """
    from zzreview.meeting.ledger import LedgerError, import_ledger

    session = session_of(ctx)
    repo = session.repo()
    try:
        recorded, ledger = import_ledger(repo, file, sheet)
    except FileNotFoundError:
        raise UsageProblem(f"{file}: no such file") from None
    except LedgerError as error:
        hint = " (choose one with --sheet)" if error.sheets else ""
        raise UsageProblem(f"{file}: {error}{hint}") from None
    except ImportProblems as error:
        problems = error.problems
        shown = "; ".join(problems[:IMPORT_PROBLEMS_SHOWN])
        if len(problems) > IMPORT_PROBLEMS_SHOWN:
            shown += f"; and {len(problems) - IMPORT_PROBLEMS_SHOWN} more"
        raise UsageProblem(f"{file}: nothing imported: {shown}") from None
    lang = session.lang()
    click.echo(t("cli.values_imported", lang, count=len(recorded.value)))
    if ledger.skipped:
        click.echo(t("cli.ledger_skipped", lang, count=ledger.skipped))


@values.command("template")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: .csv (UTF-8 with BOM, opens right in Excel) or .xlsx.",
)
@click.option("--area", type=int, metavar="N", help="Only the indicators of area N.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), help="Language of the headers (default: the plan's)."
)
@click.pass_context
def values_template(
    ctx: click.Context, output: Path, area: int | None, force: bool, lang: str | None
) -> None:
    """Write a ledger (台账) for the lead units to fill in and `values import` back as it is.

    One row per target indicator and milestone: its id, name, unit, target (a
    milestone's due date), last value and its date, and empty cells for the new
    value, date, source and evidence. The informational columns are ignored on
    import; a row left without a value is skipped. In the .xlsx the id column is
    text, the header stays in view and a milestone's value is picked from a list.
    """
    from zzreview.meeting.ledger import LedgerError
    from zzreview.meeting.ledger_template import AlreadyExists, WriteError, write_template

    session = session_of(ctx)
    repo = session.repo()
    lang = lang or session.lang()
    try:
        count = write_template(repo, output, lang, area=area, replace=force)
    except AlreadyExists:
        raise UsageProblem(f"{output} already exists; add --force to replace it") from None
    except (LedgerError, WriteError) as error:
        raise UsageProblem(str(error)) from None
    click.echo(t("cli.template_written", lang, path=output, count=count), err=True)


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
