"""The ledger template (台账模板): one row per target indicator and milestone, with what the
meeting knows of each, and empty cells for the lead unit to fill in; `values import` reads it
back unchanged (its columns are named as `ledger.COLUMN_NAMES` reads them). Written as CSV (UTF-8
with a BOM, so Excel on Windows opens the Chinese right) or as .xlsx (XlsxWriter, imported only
here): the id column text, the header in view, a milestone's value picked from a list.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from zzreview.domain import DataPoint, Indicator, IndicatorKind, MilestoneState, Plan
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.ledger import LedgerError, plain_number, spreadsheet_float
from zzreview.rendering.names import indicator_name, indicator_unit
from zzreview.storage.durable import AlreadyExists, WriteError, write_new_file
from zzreview.storage.repository import Repository

__all__ = [
    "AlreadyExists",
    "TemplateRow",
    "WriteError",
    "template_csv",
    "template_headers",
    "template_rows",
    "template_xlsx",
    "write_template",
]

TEMPLATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("指标编号", "indicator"),
    ("指标名称", "name"),
    ("单位", "unit"),
    ("目标", "target"),
    ("上次数值", "last value"),
    ("上次日期", "last date"),
    ("数值", "value"),
    ("日期", "date"),
    ("来源", "source"),
    ("进展情况", "evidence"),
    ("填报提示", "hint"),
)
"""The template's header, in zh and en: the id, what the lead unit reads (name, unit, target, the
last value and its date), what it fills in (value, date, source, evidence), and a hint. The id
and the columns filled in are named as `COLUMN_NAMES` reads them; the others are not read."""

TEMPLATE_VALUE_COLUMN = 6
"""Where the new value goes."""

TEMPLATE_INPUT_COLUMNS = range(TEMPLATE_VALUE_COLUMN, TEMPLATE_VALUE_COLUMN + 4)
"""The columns a lead unit fills in (value, date, source, evidence)."""


def template_headers(lang: str) -> tuple[str, ...]:
    """The template's header row in `lang`."""
    return tuple(en if lang == "en" else zh for zh, en in TEMPLATE_COLUMNS)


@dataclass(frozen=True)
class TemplateRow:
    """One row of the template: an indicator to report on, with what the meeting knows of it."""

    indicator: Indicator
    name: str
    unit: str
    target: float | str | None
    """The target figure, or a milestone's due date."""
    last_value: float | str | None
    """The latest value, or a milestone's latest state as a word."""
    last_date: date | None
    hint: str
    choices: tuple[str, ...] = ()
    """The words a milestone's value cell takes (a list to pick from in the workbook)."""

    def cells(self) -> tuple[str | float | None, ...]:
        """The row's cells, column by column (None: left empty)."""
        last_date = self.last_date.isoformat() if self.last_date else None
        informational = (self.indicator.id, self.name, self.unit, self.target, self.last_value, last_date)
        return (*informational, None, None, None, None, self.hint)


def template_rows(
    plan: Plan, points: Mapping[str, Sequence[DataPoint]], lang: str, area: int | None = None
) -> list[TemplateRow]:
    """The template's rows: each target indicator and milestone of the plan (or of `area`), in
    plan order, with its latest value from `points`.

    Raises LedgerError for an area the plan does not have, or one with nothing to report.
    """
    areas = plan.areas
    if area is not None:
        areas = tuple(a for a in plan.areas if a.number == area)
        if not areas:
            numbers = ", ".join(str(a.number) for a in plan.areas)
            raise LedgerError(f"no area {area} in the plan; its areas: {numbers}")
    states = tuple(s.value for s in MilestoneState)
    state_words = tuple(t(f"milestone.{v}", lang) for v in states)
    rows: list[TemplateRow] = []
    for indicator in (i for a in areas for i in a.indicators):
        history = points.get(indicator.id, ())
        last = history[-1] if history else None
        if indicator.kind is IndicatorKind.TARGET:
            target: float | str | None = indicator.target
            last_value: float | str | None = last.value if last else None
            hint, choices = _number_hint(indicator, lang), ()
        elif indicator.kind is IndicatorKind.MILESTONE:
            target = indicator.due.isoformat() if indicator.due else None
            last_value = state_words[states.index(last.state)] if last and last.state in states else None
            hint, choices = " / ".join(state_words), state_words
        else:
            continue
        rows.append(
            TemplateRow(
                indicator,
                indicator_name(indicator, lang),
                indicator_unit(indicator, lang),
                target,
                last_value,
                last.as_of if last else None,
                hint,
                choices,
            )
        )
    if not rows:
        which = f"area {area} has" if area is not None else "the plan has"
        raise LedgerError(f"{which} no target indicator or milestone to report on")
    return rows


def _number_hint(indicator: Indicator, lang: str) -> str:
    unit = indicator_unit(indicator, lang)
    if lang == "en":
        return f"a number in {unit}" if unit else "a number"
    return f"填数字，单位{unit}" if unit else "填数字"


def _cell_text(value: str | float | None) -> str:
    return "" if value is None else plain_number(value) if isinstance(value, float) else value


def template_csv(rows: Sequence[TemplateRow], lang: str) -> bytes:
    """The template as CSV: UTF-8 with a BOM (so Excel on Windows reads the Chinese right) and
    CRLF line ends, as Excel writes it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(template_headers(lang))
    writer.writerows([_cell_text(cell) for cell in row.cells()] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(rows: Sequence[TemplateRow], lang: str, created: date) -> bytes:
    """The template as an .xlsx workbook: the id column stored as text, the header bold and
    frozen, the columns to fill in marked, a milestone's value picked from a list. `created` is
    the date the workbook's properties give, so the same rows make the same file."""
    # Imported here: only writing a workbook template pays for the writer (~20 ms measured).
    import xlsxwriter

    headers = template_headers(lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": datetime.combine(created, time())})
    sheet = book.add_worksheet("ledger" if lang == "en" else "台账")
    as_text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True, "border": 1, "bg_color": "#D9D9D9"})
    bold_input = book.add_format({"bold": True, "border": 1, "bg_color": "#FFF2CC"})
    for column, title in enumerate(headers):
        sheet.write_string(0, column, title, bold_input if column in TEMPLATE_INPUT_COLUMNS else bold)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row.cells()):
            if value is None:
                continue
            if column == 0 or isinstance(value, str):
                sheet.write_string(number, column, str(value), as_text if column == 0 else None)
            else:
                sheet.write_number(number, column, spreadsheet_float(value))
        if row.choices:
            column = TEMPLATE_VALUE_COLUMN
            sheet.data_validation(
                number, column, number, column, {"validate": "list", "source": list(row.choices)}
            )
    widths = [_display_width(title) for title in headers]
    for row in rows:
        for column, value in enumerate(row.cells()):
            widths[column] = max(widths[column], _display_width(_cell_text(value)))
    for column, width in enumerate(widths):
        low = 12 if column in TEMPLATE_INPUT_COLUMNS else 6
        sheet.set_column(column, column, min(max(width + 2, low), 48), as_text if column == 0 else None)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    book.close()
    return buffer.getvalue()


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


TEMPLATE_FORMATS = (".csv", ".xlsx")
"""What a template can be written as, by the file's name."""


def write_template(
    repo: Repository, path: Path, lang: str, *, area: int | None = None, replace: bool = False
) -> int:
    """Write the ledger template for `repo`'s plan to `path` (.csv or .xlsx, by its name); an
    existing file only with `replace`, never one of the database's own files. Returns the
    number of rows written.

    Raises LedgerError (an unknown format or area, nothing to report), AlreadyExists, or
    WriteError naming the file and why.
    """
    from zzreview.meeting.minutes import DatabaseFile, database_file_role

    database = repo.store.path
    if database is not None and (role := database_file_role(path, database)):
        which = "" if str(path) == str(database) else f" ({database})"
        raise DatabaseFile(f"{path} is {role}{which}; choose another file for the template")
    suffix = path.suffix.lower()
    if suffix not in TEMPLATE_FORMATS:
        raise LedgerError(f"{path}: a template is written as .csv or .xlsx; name the file so")
    rows = template_rows(repo.plan(), repo.data_points(), lang, area)
    if suffix == ".csv":
        data = template_csv(rows, lang)
    else:
        data = template_xlsx(rows, lang, commands.reference_date(repo))
    write_new_file(path, data, replace=replace)
    return len(rows)
