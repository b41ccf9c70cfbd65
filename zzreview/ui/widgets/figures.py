"""Big figures that grow with the wall: Textual's three-row digits, five rows on a tall screen.

On a projector at 200×60 the three-row digits of the selected indicator are a small mark in a
large panel. A screen at least `TALL_HEIGHT` rows high carries the class `-tall`, and there a
`Figure` draws its value in a five-row block font instead, read from the back of the room.
"""

from __future__ import annotations

from typing import cast

from rich.align import Align, AlignMethod
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widgets import Digits

TALL_HEIGHT = 50
"""From this many rows the screen is 'tall' and its big figures are five rows high."""

LARGE_ROWS = 5

_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("▄██▄", "█  █", "█  █", "█  █", "▀██▀"),
    "1": (" ▄█ ", "▀ █ ", "  █ ", "  █ ", " ▄█▄"),
    "2": ("▄██▄", "   █", " ▄█▀", "█▀  ", "████"),
    "3": ("▄██▄", "   █", " ██ ", "   █", "▀██▀"),
    "4": ("█  █", "█  █", "████", "   █", "   █"),
    "5": ("████", "█   ", "███▄", "   █", "▀██▀"),
    "6": ("▄██▄", "█   ", "███▄", "█  █", "▀██▀"),
    "7": ("████", "   █", "  █ ", " █  ", " █  "),
    "8": ("▄██▄", "█  █", " ██ ", "█  █", "▀██▀"),
    "9": ("▄██▄", "█  █", "▀███", "   █", "▀██▀"),
    ".": (" ", " ", " ", " ", "█"),
    ",": (" ", " ", " ", "█", "▀"),
    "-": ("   ", "   ", "███", "   ", "   "),
    "+": ("   ", " █ ", "███", " █ ", "   "),
    "%": ("█  █", "   █", "  █ ", " █  ", "█  █"),
    " ": ("  ", "  ", "  ", "  ", "  "),
}
"""A five-row block font for what `Figure` shows: digits, a sign, a point, a comma and %."""


def large_lines(value: str) -> list[str]:
    """`value` in the five-row font, one string per row (a character it has no glyph for
    reads as a blank, as in Textual's digits)."""
    glyphs = [_GLYPHS.get(character, _GLYPHS[" "]) for character in value]
    return [" ".join(glyph[row] for glyph in glyphs) for row in range(LARGE_ROWS)]


def large_width(value: str) -> int:
    return len(large_lines(value)[0]) if value else 0


class Figure(Digits):
    """Digits that are five rows high on a tall screen (see `TALL_HEIGHT`)."""

    @property
    def large(self) -> bool:
        return self.is_attached and self.screen.has_class("-tall")

    def update(self, value: str) -> None:
        changed = large_width(value) != large_width(self.value)
        super().update(value)
        if changed and self.large:
            self.refresh(layout=True)

    def render(self) -> RenderResult:
        if not self.large:
            return super().render()
        style = self.rich_style
        text = Text("\n".join(large_lines(self.value)), style=style, no_wrap=True, end="")
        align = self.styles.text_align
        return Align(
            text, cast(AlignMethod, align if align in {"left", "center", "right"} else "left"), style
        )

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if not self.large:
            return super().get_content_width(container, viewport)
        return large_width(self.value)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return LARGE_ROWS if self.large else super().get_content_height(container, viewport, width)
