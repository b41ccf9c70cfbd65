"""The minutes as a reader proofreads them: their Markdown laid out by Rich in a worker thread,
every table cell in full (folded onto more lines, never cut with "…"), then shown line by line,
so even long minutes scroll at once."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console
from rich.markdown import Markdown, TableElement
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from zzreview.rendering.kinsoku import install_in_rich

SHORT_CELL = 14
"""A column whose cells are all this short (a date as the minutes write it, 2024年10月20日; a
number; an id) is kept on one line."""


class _FoldedTable(TableElement):
    """A Markdown table whose cells fold onto more lines instead of being cut with "…", but
    whose dates, numbers and ids are never broken: the long text gives way first."""

    def __rich_console__(self, console, options):
        for table in super().__rich_console__(console, options):
            table.expand = True
            for column in table.columns:
                column.overflow = "fold"
                widest = max((cell_len(str(cell)) for cell in column.cells), default=0)
                if 0 < widest <= SHORT_CELL:
                    column.min_width = widest
                else:  # the longer a column's text, the more of the width it gets
                    column.ratio = max(1, min(4, widest // 6))
                    column.min_width = min(widest, SHORT_CELL)
            if options.max_width < WIDE_TABLE and _kept_whole(table) > options.max_width:
                # Too narrow a screen for every short cell whole: the table is laid out wider
                # and scrolls sideways (the lines are never cropped to the screen).
                yield from console.render(table, options.update(width=WIDE_TABLE, max_width=WIDE_TABLE))
                continue
            yield table


WIDE_TABLE = 100
"""The narrowest a table is laid out: on a narrower screen it scrolls sideways."""


def _kept_whole(table) -> int:
    """The width the table needs with each short column whole and two cells for each other."""
    widths = [column.min_width or 2 for column in table.columns]
    return sum(widths) + 2 * len(widths)


class _Minutes(Markdown):
    elements = {**Markdown.elements, "table_open": _FoldedTable}


def laid_out(markdown: str, width: int) -> list[list[Segment]]:
    """`markdown` laid out `width` cells wide, as lines of styled segments (safe off the UI
    thread: a console of its own, writing nowhere)."""
    install_in_rich()
    console = Console(
        width=max(20, width),
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
    )
    # Textual's and Rich's Markdown drop raw HTML: show the exporter's in-cell line breaks.
    document = _Minutes(markdown.replace("<br>", " ⏎ "), code_theme="ansi_dark", hyperlinks=False)
    # Split, never cropped to the width: a table laid out wider than the screen keeps its lines.
    return list(Segment.split_lines(console.render(document, console.options)))


class RenderedLines(ScrollView, can_focus=True):
    """Lines laid out beforehand, scrolled with the usual keys."""

    def __init__(self, placeholder: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Strip] = [Strip([Segment(placeholder)])] if placeholder else []
        self.laid_out_width = 0
        """The width the lines were laid out for (0: not yet)."""

    def show(self, lines: list[list[Segment]], width: int) -> None:
        self._lines = [Strip(line) for line in lines]
        self.laid_out_width = width
        widest = max((strip.cell_length for strip in self._lines), default=0)
        self.virtual_size = Size(widest, len(self._lines))
        self.refresh()

    @property
    def text(self) -> str:
        """Everything shown, as plain text (for tests and for a reader's search)."""
        return "\n".join(strip.text.rstrip() for strip in self._lines)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return (
            self._lines[index]
            .crop_extend(scroll_x, scroll_x + width, self.rich_style)
            .apply_style(
                self.rich_style  # under the text's own styles: the screen's colours where it has none
            )
        )
