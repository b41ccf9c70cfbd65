"""Printing for the command line: one-line problems, and rows as a table, JSON or CSV."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from zzreview.i18n import MESSAGES, format_clock, t

FORMATS = ("table", "json", "csv")

NARROW_CONSOLE = 110
"""Below this width printed tables leave out their secondary columns."""

SECONDARY = {"lead_unit", "supporting_units", "measure", "meeting", "source", "evidence", "place"}
"""Columns a narrow printed table leaves out."""

UNBROKEN = {
    "id",
    "date",
    "due",
    "status",
    "state",
    "measure",
    "meeting",
    "indicator",
    "value",
    "area",
    "minutes",
    "time_taken",
}
"""Columns a printed table never wraps."""

WORDS = {"status": "action", "state": "meeting", "verdict": "minutes.verdict", "presence": "presence"}
"""Columns whose machine values (open, in_progress …) read as words in a printed table."""

FLAGS = {
    "owner": "--owner",
    "due": "--due",
    "area": "--area",
    "measure": "--measure",
    "evidence": "--evidence",
    "date": "--date",
    "as-of": "--as-of",
    "since": "--since",
    "progress": "--progress",
    "text": "TEXT",
}
"""The flag a command-line user types for a field the meeting layer names; a problem with any
other field (an id, a value given as an argument) reads well as the message alone."""


def clock_text(seconds: int) -> str:
    """A duration as a clock reads it: 5:05, or 1:02:03 past the hour."""
    return format_clock(seconds, padded=False)


class UsageProblem(click.ClickException):
    """Bad usage or unusable input: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"zzreview: {self.format_message()}", err=True)


FIELD_NAMES = "zzreview.field_names"
"""Where a command keeps, in click's shared `ctx.meta`, how it names fields its own way."""


def names_fields(ctx: click.Context, **names: str) -> None:
    """Say how this command names a field the meeting layer reports (e.g. evidence="--reason",
    or measure="MEASURE" where the measure is an argument): its problems then read that way."""
    ctx.meta[FIELD_NAMES] = names


def problem_text(error: Exception, names: dict[str, str] | None = None) -> str:
    """A meeting-layer error as the command line says it: the field as the command's flag."""
    field = getattr(error, "field", "")
    message = getattr(error, "message", None)
    if message is None:
        return str(error)
    label = (names or {}).get(field) or FLAGS.get(field)
    return f"{label}: {message}" if label else message


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)


def json_text(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, written about twice as fast.

    Python's json writes indented text with its pure-Python encoder (only compact text gets
    the C one): a status at scale spent ~25 ms there. This writes the same text from the same
    pieces (json's own string escaping, float and int forms) for what the commands print:
    dicts, lists and tuples of strings, numbers, booleans and None. Anything else it hands
    to json.dumps, so the text is always what json.dumps gives.
    """
    out: list[str] = []
    try:
        _json_into(out, value, "\n")
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(out)


class _NotPlain(Exception):
    """A value `json_text` leaves to json.dumps."""


_json_string = json.encoder.encode_basestring  # json's own (C) string escaping
_FLOAT_REPR = float.__repr__
_INT_REPR = int.__repr__


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return _FLOAT_REPR(value)


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return _INT_REPR(key)
    if isinstance(key, float):
        return _json_float(key)
    raise _NotPlain


def _json_bool(value: bool) -> str:
    return "true" if value else "false"


def _json_null(value: None) -> str:
    return "null"


_JSON_SCALARS: dict[type, Any] = {
    str: _json_string,
    int: _INT_REPR,
    float: _json_float,
    bool: _json_bool,
    type(None): _json_null,
}
"""How json writes a value of each exact scalar type (subclasses take the general way)."""
_JSON_KEYS: dict[str, str] = {}
"""Keys as written, kept: the rows of a document repeat the same keys."""


def _json_into(out: list[str], value: Any, newline: str) -> None:
    """Append `value`'s JSON to `out`; `newline` is a line break and this value's indent."""
    scalar = _JSON_SCALARS.get(value.__class__)
    if scalar is not None:
        out.append(scalar(value))
    elif isinstance(value, str):
        out.append(_json_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(_INT_REPR(value))
    elif isinstance(value, float):
        out.append(_json_float(value))
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            scalar = _JSON_SCALARS.get(item.__class__)
            if scalar is not None:
                out.append(separator + scalar(item))
            else:
                out.append(separator)
                _json_into(out, item, inner)
            separator = "," + inner
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        keys = _JSON_KEYS
        for key, item in value.items():
            written = keys.get(key) if key.__class__ is str else None
            if written is None:
                written = _json_string(_json_key(key)) + ": "
                if key.__class__ is str:
                    keys[key] = written
            scalar = _JSON_SCALARS.get(item.__class__)
            if scalar is not None:
                out.append(separator + written + scalar(item))
            else:
                out.append(separator + written)
                _json_into(out, item, inner)
            separator = "," + inner
        out.append(newline + "}")
    else:
        raise _NotPlain


def _text_cell(value: Any) -> Any:
    from rich.text import Text

    if value is None:
        return Text("—")
    if isinstance(value, list | tuple):
        return Text("、".join(str(v) for v in value))
    return Text(str(value))


def _word(column: str, value: Any, lang: str) -> Any:
    prefix = WORDS.get(column)
    key = f"{prefix}.{value}"
    return t(key, lang) if prefix and isinstance(value, str) and key in MESSAGES else value


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str, lang: str) -> None:
    """Print rows as a table (Rich, literal text), JSON (a list of objects) or CSV."""
    if fmt == "json":
        click.echo(json_text(list(rows)))
        return
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([key for key, _ in columns])
        for row in rows:
            writer.writerow(
                [
                    "|".join(row[k]) if isinstance(row[k], list) else ("" if row[k] is None else row[k])
                    for k, _ in columns
                ]
            )
        click.echo(buffer.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    if not rows:
        click.echo(t("cli.nothing", lang))
        return
    console = Console(highlight=False)
    if console.width < NARROW_CONSOLE:
        # A narrow terminal keeps what identifies and schedules an item; --format shows the rest.
        columns = [(key, heading) for key, heading in columns if key not in SECONDARY] or columns
    table = Table(show_edge=False, pad_edge=False)
    for key, heading in columns:
        # Ids, dates and states stay whole; text wraps.
        table.add_column(
            t(heading, lang), no_wrap=key in UNBROKEN, overflow="fold", ratio=3 if key == "text" else None
        )
    for row in rows:
        table.add_row(*(_text_cell(_word(key, row[key], lang)) for key, _ in columns))
    console.print(table)
