"""Paragraphs and tables for a terminal, laid out cell for cell as Rich lays them out, without
Rich's Console and Table.

`zzreview status` prints a few paragraphs and tables. Importing Rich's console and table
machinery and laying them out costs ~40 ms, as much as the rest of the command; this module
does the same layout in a few milliseconds: Rich's word wrapping and folding, its column
widths (measured, collapsed and re-measured), its ellipses, its right alignment and its
cropping to the terminal's width, written with the same styles (bold, dim and the eight
standard colours; none at all when the output is not a terminal, colours left out under
NO_COLOR). Widths of characters are Rich's own (`rich.cells`, a small module apart from its
rendering), so CJK text aligns exactly as Rich aligns it.

It declines what it does not cover, by raising `Unsupported` (before anything is written):
a style it does not know, control characters, a terminal that Rich treats specially (dumb,
Windows, Jupyter, an encoding other than UTF-8), widths too small to lay out. The caller then
prints with Rich. Tests hold the two to the same output over generated text and widths.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, pairwise
from typing import Any, NamedTuple, TextIO

from rich.cells import cell_len, chop_cells, set_cell_size

from zzreview.rendering.kinsoku import kept_together

__all__ = [
    "Column",
    "Styled",
    "Terminal",
    "Unsupported",
    "paragraph_lines",
    "styled",
    "table_lines",
    "terminal_of",
    "write",
]


class Unsupported(Exception):
    """Something this module does not lay out as Rich would: print it with Rich instead."""


# -- styles ------------------------------------------------------------------------------

# A look (what a character looks like) is a tuple (bold, dim, colour); the colour is one of
# _COLOUR_CODES or "", and the last colour named wins, as in Rich.
_Look = tuple[bool, bool, str]
_PLAIN: _Look = (False, False, "")
_COLOUR_CODES = {
    "black": "30",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
    "white": "37",
}


def _over(look: _Look, style: str) -> _Look:
    """`look` with a style ("bold green") laid over it; Unsupported for any other word."""
    bold, dim, colour = look
    for word in style.split():
        if word == "bold":
            bold = True
        elif word == "dim":
            dim = True
        elif word in _COLOUR_CODES:
            colour = word
        else:
            raise Unsupported(f"style {word!r}")
    return bold, dim, colour


def _beneath(bottom: _Look, top: _Look) -> _Look:
    """`top` laid over `bottom`: the attributes of both, `top`'s colour if it has one."""
    return bottom[0] or top[0], bottom[1] or top[1], top[2] or bottom[2]


def _codes(look: _Look, colours: bool) -> str:
    """The SGR parameters that set a look ("1;32"), in Rich's order; "" for none."""
    codes = []
    if look[0]:
        codes.append("1")
    if look[1]:
        codes.append("2")
    if colours and look[2]:
        codes.append(_COLOUR_CODES[look[2]])
    return ";".join(codes)


# -- styled text -------------------------------------------------------------------------


class Styled:
    """Text with the look of each of its characters; `pad` is the look of any padding added
    to it (its base style, as Rich pads a Text)."""

    __slots__ = ("looks", "pad", "text")

    def __init__(self, text: str, looks: tuple[_Look, ...], pad: _Look = _PLAIN) -> None:
        self.text = text
        self.looks = looks
        self.pad = pad

    def __repr__(self) -> str:
        return f"Styled({self.text!r})"

    def cut(self, start: int, end: int) -> Styled:
        return Styled(self.text[start:end], self.looks[start:end], self.pad)

    def as_text(self, text: str) -> Styled:
        """The same characters' looks over `text`, which is this text cropped (never longer)."""
        if len(text) > len(self.text):
            raise Unsupported("a crop that lengthens the text")
        return Styled(text, self.looks[: len(text)], self.pad)

    def padded(self, left: int = 0, right: int = 0) -> Styled:
        if not left and not right:
            return self
        pad = self.pad
        return Styled(" " * left + self.text + " " * right, (pad,) * left + self.looks + (pad,) * right, pad)

    def under(self, style: str) -> Styled:
        """This text with `style` beneath its own styles (a table cell's style, say)."""
        if not style:
            return self
        bottom = _over(_PLAIN, style)
        return Styled(
            self.text, tuple(_beneath(bottom, look) for look in self.looks), _beneath(bottom, self.pad)
        )


def _joined(parts: Sequence[Styled]) -> Styled:
    return Styled(
        "".join(p.text for p in parts), tuple(chain.from_iterable(p.looks for p in parts)), parts[0].pad
    )


_FINE = set(map(chr, range(0x20, 0x7F))) | {"\n"}
"""Characters seen to be printable and at least a cell wide (grows as text is checked)."""


def _check_characters(text: str) -> None:
    """Refuse what Rich strips, expands or splits lines at on its own terms (control and
    format characters, line and paragraph separators, tabs) and characters of no width
    (combining marks, joiners, variation selectors), which it attaches to their neighbours."""
    unknown = set(text)
    unknown -= _FINE
    for char in unknown:
        if not char.isprintable() and unicodedata.category(char) != "Zs":
            raise Unsupported(f"character {char!r}")
        if cell_len(char) == 0:
            raise Unsupported(f"character {char!r} of no width")
        _FINE.add(char)


def styled(pieces: Iterable[tuple[str, str]], style: str = "") -> Styled:
    """Text made of (text, style) pieces over a base `style`, as `Text.assemble(*pieces,
    style=style)` makes it."""
    base = _over(_PLAIN, style) if style else _PLAIN
    texts: list[str] = []
    looks: list[_Look] = []
    for piece, piece_style in pieces:
        _check_characters(piece)
        look = _over(base, piece_style) if piece_style else base
        texts.append(piece)
        looks.extend([look] * len(piece))
    return Styled("".join(texts), tuple(looks), base)


# -- wrapping ----------------------------------------------------------------------------

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


def _greedy_break_offsets(text: str, width: int, fold: bool = True) -> list[int]:
    """Where a line of `text` breaks to fit `width` cells: before each word that does not fit
    on the line it would end, and (folding) inside a word longer than a line."""
    offsets: list[int] = []
    used = 0
    position = 0
    while (match := _WORD.match(text, position)) is not None:
        start, position = match.span()
        word = match.group()
        needed = cell_len(word.rstrip())
        if width - used >= needed:
            used += cell_len(word)
        elif needed > width:
            if fold:
                pieces = chop_cells(word, width)
                for index, piece in enumerate(pieces):
                    if start:
                        offsets.append(start)
                    if index == len(pieces) - 1:
                        used = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    offsets.append(start)
                used = cell_len(word)
        elif used and start:
            offsets.append(start)
            used = cell_len(word)
    return offsets


_break_offsets = kept_together(_greedy_break_offsets)
"""Where a line breaks: greedily, as Rich does, with Chinese marks kept off the line edges
(Rich's own wrapping gets the same rule, `kinsoku.install_in_rich`)."""


def _truncated(line: Styled, width: int, overflow: str, *, pad: bool = False) -> Styled:
    length = cell_len(line.text)
    if length > width:
        if overflow == "ellipsis":
            if width < 1:
                raise Unsupported("no room for an ellipsis")
            line = line.as_text(set_cell_size(line.text, width - 1) + "…")
        elif overflow in ("fold", "crop"):
            line = line.as_text(set_cell_size(line.text, width))
        else:
            raise Unsupported(f"overflow {overflow!r}")
    if pad and length < width:
        line = line.padded(right=width - length)
    return line


def _justified(line: Styled, width: int, justify: str, overflow: str) -> Styled:
    if justify == "default":
        return line
    if justify == "left":
        return _truncated(line, width, overflow, pad=True)
    if justify == "right":
        line = line.as_text(line.text.rstrip())
        line = _truncated(line, width, overflow)
        room = width - cell_len(line.text)
        if room < 0:
            raise Unsupported("a line wider than its column")
        return line.padded(left=room)
    raise Unsupported(f"justify {justify!r}")


def wrapped(
    text: Styled, width: int, *, justify: str = "default", overflow: str = "fold", no_wrap: bool = False
) -> list[Styled]:
    """The lines of `text` in `width` cells, as Rich wraps, justifies and truncates a Text."""
    if width < 1:
        raise Unsupported("a width under one cell")
    lines: list[Styled] = []
    start = 0
    for part in text.text.split("\n"):
        line = text.cut(start, start + len(part))
        start += len(part) + 1
        if no_wrap:
            pieces = [line]
        else:
            offsets = _break_offsets(line.text, width, fold=overflow == "fold")
            bounds = [0, *offsets, len(line.text)] if offsets else [0, len(line.text)]
            pieces = [line.cut(a, b) for a, b in pairwise(bounds)]
            pieces = [_without_spaces_beyond(piece, width) for piece in pieces]
        pieces = [_justified(piece, width, justify, overflow) for piece in pieces]
        lines.extend(_truncated(piece, width, overflow) for piece in pieces)
    return lines


def _without_spaces_beyond(line: Styled, width: int) -> Styled:
    """Rich drops trailing whitespace past the end of a line (counting characters, as it does)."""
    excess = len(line.text) - width
    if excess > 0 and (spaces := _TRAILING_SPACE.search(line.text)) is not None:
        return line.cut(0, len(line.text) - min(len(spaces.group()), excess))
    return line


def paragraph_lines(text: Styled, width: int) -> list[Styled]:
    """A paragraph printed on its own: wrapped at the terminal's width, long words folded."""
    return wrapped(text, width)


# -- tables ------------------------------------------------------------------------------


class Column:
    """A column of a table as Rich's `Table.add_column` describes it."""

    __slots__ = ("header", "justify", "min_width", "no_wrap", "overflow")

    def __init__(
        self,
        header: str,
        justify: str = "left",
        no_wrap: bool = False,
        min_width: int | None = None,
        overflow: str = "ellipsis",
    ) -> None:
        self.header = header
        self.justify = justify
        self.no_wrap = no_wrap
        self.min_width = min_width
        self.overflow = overflow

    def __repr__(self) -> str:
        return (
            f"Column({self.header!r}, justify={self.justify!r}, no_wrap={self.no_wrap!r}, "
            f"min_width={self.min_width!r}, overflow={self.overflow!r})"
        )


_HEADER_STYLE = "bold"
"""Rich's default header style (its theme's table.header)."""
_HEAD_DIVIDER, _DIVIDER, _RULE, _RULE_CROSS = "┃", "│", "━", "╇"
"""Rich's HEAVY_HEAD box without its outer edge."""


def _text_measure(text: str, width: int) -> tuple[int, int]:
    """The narrowest and widest a text can be laid out in at most `width` cells."""
    if width < 1:
        return 0, 0
    lines = text.splitlines()
    widest = max((cell_len(line) for line in lines), default=0)
    words = text.split()
    narrowest = max((cell_len(word) for word in words), default=widest)
    low, high = _bounded(_normal(narrowest, widest), width)
    return (0, 0) if high < 1 else _normal(low, high)


def _normal(low: int, high: int) -> tuple[int, int]:
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def _bounded(measure: tuple[int, int], width: int) -> tuple[int, int]:
    return min(measure[0], width), min(measure[1], width)


def _cell_measure(text: str, width: int, padding: int) -> tuple[int, int]:
    """A padded cell's narrowest and widest in at most `width` cells."""
    if width < 1:
        return 0, 0
    if width - padding < 1:
        measure = (width, width)
    else:
        low, high = _text_measure(text, width)
        measure = _bounded((low + padding, high + padding), width)
    low, high = _bounded(_normal(*measure), width)
    return (0, 0) if high < 1 else _normal(low, high)


def _reduced(total: int, ratios: Sequence[int], maximums: Sequence[int], values: Sequence[int]) -> list[int]:
    """`values` less `total` in all, taken in proportion to `ratios`, each at most its maximum
    (rounded as Rich rounds, so the same columns lose the same cells)."""
    weights = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    weight_left = sum(weights)
    if not weight_left:
        return list(values)
    left = total
    result = []
    for weight, maximum, value in zip(weights, maximums, values, strict=True):
        if weight and weight_left > 0:
            taken = min(maximum, round(weight * left / weight_left))
            result.append(value - taken)
            left -= taken
            weight_left -= weight
        else:
            result.append(value)
    return result


def _collapsed(widths: list[int], wrapping: Sequence[bool], room: int) -> list[int]:
    """Narrow the widest wrapping columns, step by step, until the table fits `room`."""
    total = sum(widths)
    excess = total - room
    if not any(wrapping):
        return widths
    while total and excess > 0:
        widest = max(w for w, wraps in zip(widths, wrapping, strict=True) if wraps)
        runner_up = max(
            (w if wraps and w != widest else 0) for w, wraps in zip(widths, wrapping, strict=True)
        )
        gap = widest - runner_up
        ratios = [1 if (w == widest and wraps) else 0 for w, wraps in zip(widths, wrapping, strict=True)]
        if not any(ratios) or not gap:
            break
        widths = _reduced(excess, ratios, [min(excess, gap)] * len(widths), widths)
        total = sum(widths)
        excess = total - room
    return widths


def table_lines(columns: Sequence[Column], rows: Sequence[Sequence[Styled]], width: int) -> list[Styled]:
    """A table without its outer edge and without padding at its left and right ends (Rich's
    `Table(show_edge=False, pad_edge=False)`), in at most `width` cells: a bold header, a heavy
    rule, then the rows."""
    if not columns:
        raise Unsupported("a table without columns")
    for column in columns:
        if "[" in column.header or ":" in column.header:
            raise Unsupported("a header Rich would read as markup or emoji")
    headers = [styled([(column.header, "")]) for column in columns]
    grid = [headers, *rows]
    last = len(columns) - 1
    paddings = [(0 if i == 0 else 1, 0 if i == last else 1) for i in range(len(columns))]
    texts = [[row[i].text for row in grid] for i in range(len(columns))]

    def column_measure(index: int, room: int) -> tuple[int, int]:
        if room < 1:
            return 0, 0
        padding = sum(paddings[index])
        measures = [_cell_measure(text, room, padding) for text in texts[index]]
        low, high = _bounded((max(m[0] for m in measures), max(m[1] for m in measures)), room)
        least = columns[index].min_width
        if least is not None:
            least = max(0, least + padding)
            low, high = max(low, least), max(high, least)
        return low, high

    room = width - last
    widths = [column_measure(i, room)[1] or 1 for i in range(len(columns))]
    if sum(widths) > room:
        widths = _collapsed(widths, [not column.no_wrap for column in columns], room)
        if sum(widths) > room:
            widths = _reduced(sum(widths) - room, [1] * len(widths), widths, widths)
        widths = [column_measure(i, w)[1] or 0 for i, w in enumerate(widths)]

    lines: list[Styled] = []
    for number, row in enumerate(grid):
        header = number == 0
        cells: list[list[Styled]] = []
        for index, (column, cell) in enumerate(zip(columns, row, strict=True)):
            left, right = paddings[index]
            inner = widths[index] - left - right
            # A column too narrow for its padding shows nothing (Rich renders nothing into no room).
            cell_lines = (
                wrapped(cell, inner, justify=column.justify, overflow=column.overflow, no_wrap=column.no_wrap)
                if inner >= 1
                else []
            )
            cells.append(
                [
                    _truncated(line, inner, "crop", pad=True)
                    .padded(left, right)
                    .under(_HEADER_STYLE if header else "")
                    for line in cell_lines
                ]
            )
        height = max(1, *(len(cell) for cell in cells))
        for index, cell in enumerate(cells):
            blank = styled([(" " * widths[index], "")])
            missing = [blank] * (height - len(cell))
            cells[index] = missing + cell if header else cell + missing  # headers sit at the bottom
        divider = styled([(_HEAD_DIVIDER if header else _DIVIDER, "")])
        for line_number in range(height):
            pieces = [cells[0][line_number]]
            for cell in cells[1:]:
                pieces += (divider, cell[line_number])
            lines.append(_joined(pieces))
        if header:
            lines.append(styled([(_RULE_CROSS.join(_RULE * w for w in widths), "")]))
    return lines


# -- the terminal ------------------------------------------------------------------------


class Terminal(NamedTuple):
    """Where the text goes, as Rich's Console would see it: how wide, and whether styles are
    written (only to a terminal) and with their colours (not under NO_COLOR)."""

    width: int
    styles: bool
    colours: bool = True


def _in_jupyter() -> bool:
    return hasattr(builtins, "get_ipython") or bool(os.environ.get("DATABRICKS_RUNTIME_VERSION"))


def terminal_of(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> Terminal:
    """The terminal a Rich Console with default settings would write to on `stream`
    (default: sys.stdout), or Unsupported where Rich has a way of its own."""
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    if stream is None or sys.platform == "win32" or _in_jupyter():
        raise Unsupported("a console Rich handles in a way of its own")
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        raise Unsupported("IDLE")
    encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):
        raise Unsupported("an encoding Rich draws ASCII boxes for")
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        is_terminal = compatible == "1"
    elif environ.get("FORCE_COLOR") is not None:
        is_terminal = environ["FORCE_COLOR"] != ""
    else:
        isatty = getattr(stream, "isatty", None)
        try:
            is_terminal = bool(isatty()) if isatty is not None else False
        except ValueError:
            is_terminal = False
    if is_terminal and environ.get("TERM", "").lower() in ("dumb", "unknown"):
        raise Unsupported("a dumb terminal")
    return Terminal(_width(environ), styles=is_terminal, colours=environ.get("NO_COLOR", "") == "")


def _width(environ: Mapping[str, str]) -> int:
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    else:
        width = 0
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):
                continue
            break
        width = width or 80
    if width < 1:
        raise Unsupported("a terminal without width")
    return width


def rendered(lines: Iterable[Styled], terminal: Terminal) -> str:
    """The lines as written: each cropped to the terminal's width, styled when it is a terminal."""
    out: list[str] = []
    for line in lines:
        if cell_len(line.text) > terminal.width:
            line = line.as_text(set_cell_size(line.text, terminal.width))
        if not terminal.styles:
            out.append(line.text)
        else:
            out.append(_with_codes(line, terminal.colours))
        out.append("\n")
    return "".join(out)


def _with_codes(line: Styled, colours: bool) -> str:
    parts: list[str] = []
    start = 0
    text, looks = line.text, line.looks
    while start < len(text):
        end = start + 1
        while end < len(text) and looks[end] == looks[start]:
            end += 1
        codes = _codes(looks[start], colours)
        chunk = text[start:end]
        parts.append(f"\x1b[{codes}m{chunk}\x1b[0m" if codes else chunk)
        start = end
    return "".join(parts)


def write(lines: Iterable[Styled], terminal: Terminal, stream: Any = None) -> None:
    """Write the lines to `stream` (default: sys.stdout) as Rich's Console.print would."""
    stream = sys.stdout if stream is None else stream
    stream.write(rendered(lines, terminal))
    stream.flush()
