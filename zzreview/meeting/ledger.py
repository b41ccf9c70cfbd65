"""Ledgers (台账): the figures a lead unit keeps in a spreadsheet, read cell by cell into values,
checked and recorded all at once (the template to fill in is `ledger_template`).

What is read:

- **Files.** CSV in UTF-8 (with or without a BOM), GB18030 (which covers GBK: Excel on Chinese
  Windows saves "CSV" so) or UTF-16 (Excel's "Unicode text", tab-separated); the delimiter is a
  tab or a comma, whichever finds the header. Workbooks .xlsx, .xlsm, .xlsb, .xls and .ods,
  recognised by their content whatever their name ends in; one sheet of them (the first visible
  one unless named).
- **The header** is the first row, among the first ten, that names the indicator and value
  columns (a title above it is fine). Columns by name, in Chinese or English (`COLUMN_NAMES`),
  compared without spaces or case, full-width forms folded; a trailing "（…）" is taken off the
  name. Other columns (指标名称, 单位, 目标, the template's "上次…" columns …) are ignored.
- **Indicator ids** are text as typed, never normalised. A spreadsheet cell that Excel stored as a
  number (1.1) is matched to the one plan id that reads as that number ("1.10" or "1.1"); when two
  could, it is a problem: only a text cell keeps the id as typed.
- **Numbers** (NFKC first, so full-width digits and ％ read as typed): thousand separators
  (`1,234.5`), `万`/`亿` (and 十万, 百万, 千万, 万亿) converted to the indicator's own unit
  (`3,500万` for 亿元 is 0.35, `12000人` for 万人 is 1.2), a trailing `%` when the unit is one,
  accounting negatives `(1,200)`; placeholders (—, -, /, 无 …) are a problem, never a guess. A
  unit in the value column's header (数值（万元）) applies to a cell that gives none. Spreadsheet
  floats are rounded to 15 significant digits, so 0.16399999999999998 is the 0.164 typed. A cell
  formatted as a percentage holds the fraction (12.5% is stored as 0.125): type 12.5 or "12.5%".
- **Dates**: 2024-10-31, 2024/10/31, 2024.10.31, 2024年10月31日, 20241031, a spreadsheet date
  cell, an Excel serial day number (45596 is 2024-10-31; from 1950 on, so a year typed alone is
  not taken for a day in 1905), and the relative forms a person may type anywhere (月底 …),
  counted from the meeting's date. An empty date is the meeting's date.

A row is skipped when its value and evidence cells are empty (a template row a lead unit did not
fill). Everything else is checked before anything is written, and every problem is reported by
its place (`sheet 台账, row 7, column 数值: …`, or `line 7, column value: …` in a CSV).

This module has no click: the command line calls `import_ledger`.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from zzreview.domain import DataPoint, Indicator, IndicatorKind, MilestoneState
from zzreview.domain.entry import ASSESSED_STATES, EntryError, parse_day, parse_number
from zzreview.i18n import t
from zzreview.i18n.quantity import zh_scale
from zzreview.meeting import commands
from zzreview.meeting.commands import ImportProblems, Recorded, ValueLine
from zzreview.storage.repository import Repository

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

__all__ = [
    "COLUMN_NAMES",
    "PLACEHOLDERS",
    "Ledger",
    "LedgerError",
    "Table",
    "UnknownSheet",
    "decode_text",
    "import_ledger",
    "ledger_lines",
    "read_date",
    "read_indicator_id",
    "read_number",
    "read_table",
    "spreadsheet_float",
]

Cell = str | float | int | bool | date | datetime | time | timedelta
"""What a cell holds: text (every CSV cell), or what a workbook stored."""

COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "indicator": ("指标编号", "指标代码", "indicator", "indicator id", "id"),
    "date": ("日期", "截至日期", "date", "as of"),
    "value": ("数值", "完成值", "value"),
    "source": ("来源", "数据来源", "source"),
    "evidence": ("进展情况", "佐证", "佐证材料", "说明", "evidence"),
    "note": ("备注", "note"),
}
"""The columns read, each with the header names it goes by; the first is the one written."""

REQUIRED_COLUMNS = ("indicator", "date", "value")
"""The columns a ledger cannot do without."""

HEADER_SEARCH_ROWS = 10
"""How far down the header row is looked for (a title or a note may stand above it)."""

PLACEHOLDERS = frozenset(["-", "--", "—", "——", "–", "/", "\\", "无", "暂无", "n/a", "na", "null", "×"])
"""What people write in a cell that has no figure (after NFKC, so － is -): a problem, never 0."""

SCALE_WORDS: tuple[tuple[str, int], ...] = (
    ("万亿", 10**12),
    ("千万", 10**7),
    ("百万", 10**6),
    ("十万", 10**5),
    ("亿", 10**8),
    ("万", 10**4),
)
"""The scale words a number may carry, longest first."""

EXCEL_EPOCH = date(1899, 12, 30)
"""Day 0 of Excel's serial day numbers (as Excel counts from 1900-03-01 on)."""

FIRST_SERIAL_DATE = date(1950, 1, 1)
"""The earliest date a bare number in a date cell is taken to be: below it, a number is more
likely a year or a figure in the wrong column than a day."""

_MINUSES = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-"})
_NUMBER_WITH_SUFFIX = re.compile(r"([+-]?)\s*(\d[\d,]*(?:\.\d+)?)\s*(.*)")
_WHOLE_PARENTHESES = re.compile(r"\((.*)\)")
_TRAILING_PARENTHESES = re.compile(r"\(([^()]*)\)$")
_NUMERIC_ID = re.compile(r"\d+(?:\.\d+)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_WITH_TIME = re.compile(r"(.+?)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")
"""Control characters no text ledger holds: a file with them in its start is not text."""
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
"""How a workbook starts: a zip (.xlsx, .xlsm, .xlsb, .ods) or an OLE file (.xls)."""

DATE_FORMS = "2024-10-31, 2024/10/31, 2024.10.31, 2024年10月31日 or 20241031"


class LedgerError(ValueError):
    """A file that cannot be read as a ledger at all (not text, no header, no such sheet …);
    the message says why and what to do. Nothing was imported."""

    def __init__(self, message: str, sheets: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.sheets = tuple(sheets)
        """The workbook's sheets, when choosing another one may be the fix."""


class UnknownSheet(LedgerError):
    """The sheet asked for is not in the workbook; `sheets` are the ones it has."""

    def __init__(self, name: str, sheets: Sequence[str]) -> None:
        super().__init__(f"no sheet named {name!r}; its sheets: {', '.join(sheets)}", sheets)


class CellProblem(ValueError):
    """A cell whose content cannot be read as asked; the message says what it holds."""


# -- reading a file into rows ----------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """The rows of a CSV file or of one sheet, each with its number as the file counts it
    (a CSV's line, a sheet's row)."""

    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    sheet: str | None = None
    """The sheet's name; None for a CSV file."""
    sheets: tuple[str, ...] = ()
    """Every sheet of the workbook (none for a CSV file)."""

    def place(self, row: int, column: str = "") -> str:
        """Where a cell is, as a person finds it: "sheet 台账, row 7, column 数值" or "line 7"."""
        where = f"line {row}" if self.sheet is None else f"sheet {self.sheet}, row {row}"
        return f"{where}, column {column}" if column else where


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The rows of the ledger at `path`: a workbook's sheet (`sheet`, default the first visible
    one) or a CSV file's lines.

    Raises LedgerError (or UnknownSheet) when the file cannot be read; OSError when it cannot be
    opened.
    """
    with path.open("rb") as file:
        start = file.read(8)
    if start.startswith(_SPREADSHEET_MAGIC):
        return _workbook_table(path, sheet)
    if sheet is not None:
        raise LedgerError("a CSV file has no sheets to choose from")
    text = decode_text(path.read_bytes())
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html", "<table")):
        raise LedgerError("this is a web page saved under a spreadsheet's name; open it and save it as .xlsx")
    return csv_table(text)


def decode_text(data: bytes) -> str:
    """A CSV file's text: by its BOM (UTF-8 or UTF-16), else UTF-16 if it is full of NUL bytes,
    else strict UTF-8, else GB18030 (a superset of GBK).

    Raises LedgerError when it is none of them, or decodes to control characters (a binary file).
    """
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif b"\x00" in data[:4096]:
        head = data[:4096]
        encodings = ["utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _BINARY.search(text, 0, 4096):
            return text
        break
    raise LedgerError(
        "not text in UTF-8, GB18030 (GBK) or UTF-16; save it from Excel as CSV or as a workbook"
    )


def csv_table(text: str) -> Table:
    """The rows of a CSV text, tab- or comma-separated (whichever finds a header row), each
    numbered by the line it starts on."""
    head = text[:4096]
    delimiters = ["\t", ","] if head.count("\t") >= head.count(",") else [",", "\t"]
    tables = [_split(text, delimiter) for delimiter in delimiters]
    for table in tables:
        if _find_header(table) is not None:
            return table
    return tables[0]


def _split(text: str, delimiter: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as error:
        raise LedgerError(f"line {start}: {error}") from None
    return Table(tuple(rows))


def _workbook_table(path: Path, sheet: str | None) -> Table:
    # Imported here: only an import of a workbook pays for the reader (~1-2 ms and its library).
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        with path.open("rb") as file:
            book = CalamineWorkbook.from_filelike(file)
    except PasswordError:
        raise LedgerError("the workbook is password-protected; save a copy without a password") from None
    except CalamineError as error:
        raise LedgerError(f"cannot read it as a workbook ({error})") from None
    with book:
        names = tuple(book.sheet_names)
        if not names:
            raise LedgerError("the workbook has no sheets")
        name = _sheet_name(sheet, names) if sheet is not None else _first_visible(book, names)
        try:
            cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except CalamineError as error:
            raise LedgerError(f"sheet {name}: cannot read it ({error})") from None
    rows = tuple((number, tuple(row)) for number, row in enumerate(cells, start=1))
    return Table(rows, sheet=name, sheets=names)


def _sheet_name(asked: str, names: tuple[str, ...]) -> str:
    if asked in names:
        return asked
    folded = [n for n in names if _fold(n) == _fold(asked)]
    if len(folded) == 1:
        return folded[0]
    raise UnknownSheet(asked, names)


def _first_visible(book: CalamineWorkbook, names: tuple[str, ...]) -> str:
    """The first sheet a person sees on opening the workbook: a worksheet, not hidden."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    for sheet in book.sheets_metadata:
        if sheet.visible == SheetVisibleEnum.Visible and sheet.typ == SheetTypeEnum.WorkSheet:
            return sheet.name
    return names[0]


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


# -- the header --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """A ledger's header row: which column holds what, and what each column is called there."""

    row: int
    columns: Mapping[str, int]
    """The column index of each field read (indicator, date, value …)."""
    titles: Mapping[str, str]
    """Each field's header as the file writes it, to name the column in a problem."""
    value_unit: str = ""
    """A unit written in the value column's header (数值（万元） → 万元)."""


_ALIASES = {_fold(name): field for field, names in COLUMN_NAMES.items() for name in names}


def header_field(title: str) -> tuple[str | None, str]:
    """The field a header names (None: a column that is not read) and the text of a trailing
    parenthesis, e.g. "数值（亿元）" -> ("value", "亿元"), "指标名称" -> (None, "")."""
    text = unicodedata.normalize("NFKC", title).strip().strip("*:").strip()
    aside = ""
    if match := _TRAILING_PARENTHESES.search(text):
        aside = match.group(1).strip()
        text = text[: match.start()]
    return _ALIASES.get(_fold(text)), aside


def _find_header(table: Table) -> Header | None:
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        columns: dict[str, int] = {}
        titles: dict[str, str] = {}
        unit = ""
        for index, cell in enumerate(cells):
            title = cell_text(cell).strip()
            field, aside = header_field(title)
            if field is None:
                continue
            if field in columns:
                raise LedgerError(
                    f"{table.place(number)}: two columns are {field} ({titles[field]!r} and {title!r}); "
                    "keep one"
                )
            columns[field] = index
            titles[field] = title
            if field == "value":
                unit = aside
        if "indicator" in columns and "value" in columns:
            return Header(number, columns, titles, unit)
    return None


def _header(table: Table) -> Header:
    header = _find_header(table)
    if header is None:
        expected = ", ".join(f"{COLUMN_NAMES[f][0]}/{f}" for f in REQUIRED_COLUMNS)
        where = f"sheet {table.sheet}: " if table.sheet is not None else ""
        others = f" (the workbook's sheets: {', '.join(table.sheets)})" if len(table.sheets) > 1 else ""
        raise LedgerError(
            f"{where}no header row with the columns {expected} in the first {HEADER_SEARCH_ROWS} rows{others}",
            table.sheets if len(table.sheets) > 1 else (),
        )
    missing = [f for f in REQUIRED_COLUMNS if f not in header.columns]
    if missing:
        names = ", ".join(f"{COLUMN_NAMES[f][0]}/{f}" for f in missing)
        raise LedgerError(f"{table.place(header.row)}: the header lacks {names}")
    return header


# -- cells -------------------------------------------------------------------------------------


def spreadsheet_float(number: float) -> float:
    """A workbook's binary float as it was typed: rounded to 15 significant digits, the most a
    spreadsheet keeps (0.16399999999999998 -> 0.164)."""
    return float(f"{number:.15g}")


def plain_number(number: Decimal | float) -> str:
    """A number as digits, with no exponent and no trailing zeros: 1200, 0.35, -3.5."""
    if isinstance(number, float):
        number = Decimal(repr(spreadsheet_float(number)))
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


def cell_text(cell: Cell) -> str:
    """A cell as text: text as it is, a number as typed, a date in ISO form."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int | float):
        return plain_number(float(cell)) if math.isfinite(cell) else str(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(sep=" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell)


def is_empty(cell: Cell) -> bool:
    """Whether a cell holds nothing (calamine gives '' for an empty cell)."""
    return isinstance(cell, str) and not cell.strip()


def read_indicator_id(cell: Cell, numeric_ids: Mapping[float, Sequence[str]]) -> str:
    """The indicator id a cell holds, as typed. A number (a workbook cell Excel stored as one)
    becomes the one plan id that reads as that number; `numeric_ids` maps each number to the
    plan ids that read as it.

    Raises CellProblem for a date or a number two plan ids could be.
    """
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool | date | time | timedelta):
        raise CellProblem(
            f"holds {cell_text(cell)!r}, not an id; format the id column as text and type the id again"
        )
    number = spreadsheet_float(float(cell))
    candidates = numeric_ids.get(number, ())
    if len(candidates) > 1:
        raise CellProblem(
            f"holds the number {plain_number(number)}, which could be {' or '.join(candidates)}; "
            "format the id column as text and type the id again"
        )
    return candidates[0] if candidates else plain_number(number)


def read_number(cell: Cell, unit: str, default_suffix: str = "") -> Decimal:
    """The number a cell gives, in `unit` (the indicator's own, e.g. 亿元).

    `default_suffix` is the unit a cell without one is in (from the column's header); "" means
    the indicator's unit.

    Raises CellProblem naming what the cell holds and how to put it right.
    """
    if isinstance(cell, bool | date | time | timedelta):
        raise CellProblem(f"expected a number, got {cell_text(cell)!r}")
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            raise CellProblem(f"expected a number, got {cell!r}")
        number = Decimal(repr(spreadsheet_float(float(cell))))
        return number * _scale_factor(default_suffix, unit, cell_text(cell)) if default_suffix else number
    typed = cell.strip()
    text = unicodedata.normalize("NFKC", typed).translate(_MINUSES).strip()
    if text.casefold() in PLACEHOLDERS:
        raise CellProblem(f"{typed!r} is a placeholder, not a number; leave the row out or give a figure")
    negative = False
    if match := _WHOLE_PARENTHESES.fullmatch(text):
        negative, text = True, match.group(1).strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
        if _normal_unit(unit) != "%":
            raise CellProblem(
                f"{typed!r} is a percentage, but the indicator is counted in {unit or 'plain numbers'}"
            )
    match = _NUMBER_WITH_SUFFIX.fullmatch(text)
    if not match or (negative and match.group(1)):
        raise CellProblem(f"cannot read {typed!r} as a number")
    sign, digits, suffix = match.groups()
    if (percent and suffix) or (suffix and not suffix[0].isalpha()):
        raise CellProblem(f"cannot read {typed!r} as a number")
    try:
        parse_number(digits)
    except EntryError:
        raise CellProblem(
            f"cannot read {typed!r} as a number (commas go between groups of three digits)"
        ) from None
    number = Decimal(digits.replace(",", ""))
    if sign == "-" or negative:
        number = -number
    suffix = suffix or default_suffix
    return number * _scale_factor(suffix, unit, typed) if suffix else number


def _normal_unit(unit: str) -> str:
    return unicodedata.normalize("NFKC", unit).strip()


def _scale_factor(suffix: str, unit: str, typed: str) -> Decimal:
    """What a number written with `suffix` (万, 万元, 人, 亿元 …) is multiplied by to be in
    `unit`; CellProblem when the suffix is another unit altogether."""
    suffix, unit = _normal_unit(suffix), _normal_unit(unit)
    if suffix == unit:
        return Decimal(1)
    unit_scale, unit_base = zh_scale(unit)
    if unit in (word for word, _ in SCALE_WORDS):
        unit_scale, unit_base = dict(SCALE_WORDS)[unit], ""
    scale, rest = 1, suffix
    for word, size in SCALE_WORDS:
        if suffix.startswith(word):
            scale, rest = size, suffix[len(word) :].strip()
            break
    if rest and rest != unit_base:
        shown = unit or "plain numbers"
        raise CellProblem(f"{typed!r} is in {suffix}, but the indicator is counted in {shown}")
    return Decimal(scale) / Decimal(unit_scale)


def read_date(cell: Cell, reference: date) -> date | None:
    """The date a cell gives (None: empty); relative forms (月底 …) count from `reference`.

    Raises CellProblem naming what the cell holds and the forms accepted.
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool | time | timedelta):
        raise CellProblem(f"expected a date, got {cell_text(cell)!r}; write it as {DATE_FORMS}")
    if isinstance(cell, int | float):
        return _date_from_number(float(cell), cell_text(cell))
    typed = cell.strip()
    text = unicodedata.normalize("NFKC", typed).strip()
    if not text:
        return None
    if match := _WITH_TIME.fullmatch(text):
        text = match.group(1)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _date_from_number(float(text), typed)
    if match := _COMPACT_DATE.fullmatch(text):
        text = "-".join(match.groups())
    try:
        return parse_day(text, reference, "date")
    except EntryError:
        raise CellProblem(f"cannot read {typed!r} as a date; write it as {DATE_FORMS}") from None


def _date_from_number(number: float, typed: str) -> date:
    """A number in a date cell: 20241031 as year, month and day, else an Excel serial day."""
    if number.is_integer() and (match := _COMPACT_DATE.fullmatch(str(int(number)))):
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise CellProblem(f"{typed!r} is not a real date") from None
    try:
        day = EXCEL_EPOCH + timedelta(days=math.floor(number))
    except (OverflowError, ValueError):
        day = date.min
    if not FIRST_SERIAL_DATE <= day < date.max:
        raise CellProblem(f"cannot read the number {typed} as a date; write it as {DATE_FORMS}")
    return day


# -- rows into values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    """A ledger read and checked: the values to record, and how many rows were left unfilled."""

    lines: tuple[ValueLine, ...]
    skipped: int
    """Rows with an indicator id and no value or evidence (a template row not filled in)."""


def _state_words(kind: IndicatorKind) -> dict[str, str]:
    """The words a milestone's state or a qualitative assessment may be written as (its value,
    and its word in zh and en), each to the value recorded."""
    if kind is IndicatorKind.MILESTONE:
        values, key = tuple(s.value for s in MilestoneState), "milestone"
    else:
        values, key = ASSESSED_STATES, "state"
    words: dict[str, str] = {}
    for value in values:
        for word in (value, value.replace("_", " "), t(f"{key}.{value}", "zh"), t(f"{key}.{value}", "en")):
            words[_fold(word)] = value
    return words


def read_state(cell: Cell, kind: IndicatorKind) -> str:
    """A milestone's state or a qualitative assessment as recorded (in_progress …), from the value
    or the word a person writes (推进中, in progress); "" for an empty cell.

    Raises CellProblem listing the words accepted.
    """
    typed = cell_text(cell).strip()
    if not typed:
        return ""
    if (state := _state_words(kind).get(_fold(typed))) is not None:
        return state
    raise CellProblem(f"{typed!r}: {_state_choices(kind)}")


def _state_choices(kind: IndicatorKind) -> str:
    """What a milestone's (or a qualitative indicator's) value cell takes, in words."""
    if kind is IndicatorKind.MILESTONE:
        values, key, what = (
            tuple(s.value for s in MilestoneState),
            "milestone",
            "a milestone's value is its state",
        )
    else:
        values, key, what = ASSESSED_STATES, "state", "an assessment is"
    words = " / ".join(t(f"{key}.{v}", "zh") for v in values)
    return f"{what}: {words} (or {', '.join(values)})"


def _numeric_ids(indicators: Mapping[str, Indicator]) -> dict[float, list[str]]:
    numeric: dict[float, list[str]] = {}
    for ident in indicators:
        if _NUMERIC_ID.fullmatch(ident):
            numeric.setdefault(float(ident), []).append(ident)
    return numeric


def ledger_lines(table: Table, indicators: Mapping[str, Indicator], reference: date) -> Ledger:
    """The values a ledger's rows give, every cell checked; `indicators` are the plan's by id and
    `reference` is the date an empty date cell stands for (and relative dates count from).

    Raises LedgerError when the table has no usable header or no row with a value, and
    ImportProblems listing every bad cell by its place.
    """
    header = _header(table)
    rows = _RowReader(table, header, indicators, _numeric_ids(indicators), reference)
    problems: list[str] = []
    lines: list[ValueLine] = []
    first_row: dict[tuple[str, date], int] = {}
    skipped = 0
    for number, cells in table.rows:
        if number <= header.row:
            continue
        if rows.unfilled(cells):
            skipped += not is_empty(rows.cell(cells, "indicator"))
            continue
        line, found = rows.line(number, cells)
        problems.extend(found)
        if line is None:
            continue
        assert isinstance(line.on, date)
        key = (line.indicator, line.on)
        earlier = first_row.setdefault(key, number)
        if earlier != number:
            row_word = "line" if table.sheet is None else "row"
            problems.append(
                f"{table.place(number)}: {line.indicator} on {line.on} is already given on {row_word} {earlier}"
            )
            continue
        lines.append(line)
    if problems:
        raise ImportProblems(problems)
    if not lines:
        raise LedgerError("nothing to import: no row has a value")
    return Ledger(tuple(lines), skipped)


@dataclass(frozen=True)
class _RowReader:
    """Reads a ledger's rows under its header, cell by cell."""

    table: Table
    header: Header
    indicators: Mapping[str, Indicator]
    numeric_ids: Mapping[float, Sequence[str]]
    """The plan's ids that read as a number, by that number (for an id Excel stored as one)."""
    reference: date

    def cell(self, cells: tuple[Cell, ...], field: str) -> Cell:
        """The row's cell in the column of `field` ("" when the file has no such column)."""
        index = self.header.columns.get(field)
        return cells[index] if index is not None and index < len(cells) else ""

    def unfilled(self, cells: tuple[Cell, ...]) -> bool:
        """A row with no value and no evidence: left out, as a lead unit left it."""
        return is_empty(self.cell(cells, "value")) and is_empty(self.cell(cells, "evidence"))

    def place(self, number: int, field: str) -> str:
        return self.table.place(number, self.header.titles.get(field, ""))

    def line(self, number: int, cells: tuple[Cell, ...]) -> tuple[ValueLine | None, list[str]]:
        """The value row `number` gives, or None and the problems of its cells."""
        problems: list[str] = []
        try:
            ident = read_indicator_id(self.cell(cells, "indicator"), self.numeric_ids)
        except CellProblem as error:
            return None, [f"{self.place(number, 'indicator')}: {error}"]
        indicator = self.indicators.get(ident)
        if indicator is None:
            why = (
                f"no indicator {ident!r} in the plan"
                if ident
                else "no indicator id on a row that has a value"
            )
            return None, [f"{self.place(number, 'indicator')}: {why}"]
        reading: str | None = None
        on: date | None = None
        try:
            reading = _reading(self.cell(cells, "value"), indicator, self.header.value_unit)
        except CellProblem as error:
            problems.append(f"{self.place(number, 'value')}: {ident}: {error}")
        try:
            on = read_date(self.cell(cells, "date"), self.reference) or self.reference
        except CellProblem as error:
            problems.append(f"{self.place(number, 'date')}: {ident}: {error}")
        if reading is None or on is None:
            return None, problems
        line = ValueLine(
            indicator=ident,
            reading=reading,
            on=on,
            source=cell_text(self.cell(cells, "source")),
            evidence=cell_text(self.cell(cells, "evidence")).strip(),
            note=cell_text(self.cell(cells, "note")),
            line=number,
        )
        return line, problems


def _reading(cell: Cell, indicator: Indicator, header_unit: str) -> str:
    """The reading of a value cell as the meeting layer takes it: a plain number for a target,
    a state for a milestone or an assessment."""
    if indicator.kind is IndicatorKind.TARGET:
        if is_empty(cell):
            raise CellProblem("a target indicator needs a number")
        return plain_number(read_number(cell, indicator.unit, _header_suffix(header_unit, indicator)))
    state = read_state(cell, indicator.kind)
    if indicator.kind is IndicatorKind.MILESTONE and not state:
        raise CellProblem(_state_choices(indicator.kind))
    return state


def _header_suffix(header_unit: str, indicator: Indicator) -> str:
    """The unit the value column's header gives for a cell that gives none: "" when the header
    gives none, or gives a remark rather than a unit (数值（必填）)."""
    if not header_unit:
        return ""
    text = _normal_unit(header_unit)
    if text == "%" or text.startswith(tuple(word for word, _ in SCALE_WORDS)):
        return text
    base = zh_scale(_normal_unit(indicator.unit))[1]
    return text if text in (base, _normal_unit(indicator.unit)) else ""


def import_ledger(
    repo: Repository, path: Path, sheet: str | None = None
) -> tuple[Recorded[tuple[DataPoint, ...]], Ledger]:
    """Read the ledger at `path` (a CSV file or a workbook's sheet) and record all its values at
    once, or none.

    Raises LedgerError (the file cannot be read as a ledger), ImportProblems (every bad cell, by
    its place), OSError (the file cannot be opened).
    """
    table = read_table(path, sheet)
    indicators = {i.id: i for i in repo.plan().indicators}
    ledger = ledger_lines(table, indicators, commands.reference_date(repo))
    return commands.import_values(repo, ledger.lines), ledger
