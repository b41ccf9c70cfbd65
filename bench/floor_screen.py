"""The area-switch floor: a bare Textual app whose key replaces every cell of the screen.

One Static widget fills the terminal (120 × 40 in bench/run.py) with mixed Chinese and ASCII
text, in runs of six characters in eight styles (bold, italic, colours, a background,
reverse, plain), as a screen of figures in status colours is; every key of `n`, `p` and 0-9
draws the next page, in which every cell holds another character than before (the same
layout of wide and narrow characters, each character moved on in its cycle) and every run
another style. That is about the least a Textual app can do to repaint a whole screen of such
text, which is what zzreview does when it changes area. (The same text without styles repaints
~4× faster: a quarter of the bytes, and no style changes for Rich and Textual to render.) bench/run.py times key → the last
byte of the repaint written to the pty, interleaved with zzreview's area switches.

The first line begins with `P00000` and the last one ends with `E00000` (the page's number):
the page is on screen when both are. `q` or ctrl+q quits.

    python bench/floor_screen.py
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

WIDE = "规模测试领域指标举措交办事项推进重点项目建设按月报送进展情况强化创新驱动发展提升产业链群能级"
NARROW = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PATTERN = (2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1)
"""Cells per character along a line: runs of Chinese between runs of ASCII."""
KEYS = ("n", "p", *"0123456789")
STYLES = ("bold", "red", "green on #202020", "#ffaa00", "italic", "blue", "reverse", "")
RUN = 6
"""Characters per styled run."""


def first_marker(page: int) -> str:
    return f"P{page:05d}"


def last_marker(page: int) -> str:
    return f"E{page:05d}"


def page_text(page: int, columns: int, lines: int) -> str:
    """Page `page`: `lines` lines of exactly `columns` cells each."""
    rows = []
    for y in range(lines):
        head = first_marker(page) + " " if y == 0 else ""
        tail = " " + last_marker(page) if y == lines - 1 else ""
        width = columns - len(head) - len(tail)
        cells, parts, t = 0, [], 0
        while cells < width:
            wide = PATTERN[(t + y) % len(PATTERN)] == 2 and cells + 2 <= width
            cycle = WIDE if wide else NARROW
            parts.append(cycle[(t + 3 * y + page) % len(cycle)])
            cells += 2 if wide else 1
            t += 1
        rows.append(head + "".join(parts) + tail)
    return "\n".join(rows)


def styled_page(page: int, columns: int, lines: int) -> Text:
    """`page_text` in runs of RUN characters, each run in the next of STYLES."""
    text = Text(no_wrap=True, overflow="crop")
    for y, line in enumerate(page_text(page, columns, lines).split("\n")):
        if y:
            text.append("\n")
        for start in range(0, len(line), RUN):
            text.append(line[start : start + RUN], STYLES[(start // RUN + y + page) % len(STYLES)])
    return text


class FullScreen(App[None]):
    CSS = "Screen { overflow: hidden; } #page { width: 100%; height: 100%; }"
    BINDINGS = [
        ("q", "quit", "quit"),
        ("ctrl+q", "quit", "quit"),
        *((key, "turn", "next page") for key in KEYS),
    ]

    page = 0

    def compose(self) -> ComposeResult:
        yield Static(id="page", markup=False)

    def on_mount(self) -> None:
        self.draw()

    def draw(self) -> None:
        size = self.size
        self.query_one("#page", Static).update(styled_page(self.page, size.width, size.height))

    def action_turn(self) -> None:
        self.page += 1
        self.draw()


if __name__ == "__main__":
    FullScreen().run()
