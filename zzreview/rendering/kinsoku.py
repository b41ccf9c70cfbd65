"""Chinese line breaking (避头尾, kinsoku): no line starts with a closing mark (，。、；）…)
and none ends with an opening one (（《“…).

Text wraps in three places, all with the same greedy rule: this project's own table layout
(`rendering.terminal`), Rich's `Text.wrap`, and Textual's `Content.wrap`, which borrows Rich's.
`kept_together` turns such a rule into one that keeps the marks with their words: where a
break would put a closing mark first on a line (or leave an opening one last), the character
before it goes down to the next line with it, and the rest of the text is wrapped again from
there. Only breaks inside a run of text move; a break at a space is left as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’％…·,.;:?!)%")
"""Marks that never begin a line."""
NO_LINE_END = frozenset("（《「『【〔〈“‘(")
"""Marks that never end a line."""

Divide = Callable[..., list[int]]
"""A wrapping rule: (text, width, fold) -> the offsets where lines break."""


def _misplaced(text: str, offset: int) -> bool:
    return (
        0 < offset < len(text)
        and not text[offset - 1].isspace()
        and (text[offset] in NO_LINE_START or text[offset - 1] in NO_LINE_END)
    )


def kept_together(divide: Divide) -> Divide:
    """`divide` with the marks of NO_LINE_START / NO_LINE_END kept off the line edges."""

    def divide_kept_together(text: str, width: int, fold: bool = True) -> list[int]:
        offsets = divide(text, width, fold)
        first = next((i for i, offset in enumerate(offsets) if _misplaced(text, offset)), None)
        if first is None:
            return offsets
        # The lines before the first misplaced break stand as they are; from there on each
        # line is found again in a stretch of text a few lines long (so a long paragraph costs
        # what its length costs, not its length times its lines).
        kept = offsets[:first]
        start = kept[-1] if kept else 0
        window = 4 * max(1, width) + 64
        while True:
            stretch = text[start : start + window]
            rest = divide(stretch, width, fold)
            if not rest and start + window < len(text):
                rest = divide(text[start:], width, fold)  # one line longer than the stretch
            if not rest:
                return kept
            offset = start + rest[0]
            moved = offset
            while moved - 1 > start and _misplaced(text, moved):
                moved -= 1
            if _misplaced(text, moved):  # a line of nothing but marks: break where it fits
                moved = offset
            kept.append(moved)
            start = moved

    divide_kept_together.unkept = divide  # type: ignore[attr-defined]
    return divide_kept_together


def install_into(module: object) -> None:
    """Make `module`'s `divide_line` (Rich's wrapping rule, as Rich's Text and Textual's
    Content import it) keep the marks with their words; a module without one is left alone."""
    divide = getattr(module, "divide_line", None)
    if callable(divide) and not hasattr(divide, "unkept"):
        module.divide_line = kept_together(divide)  # type: ignore[attr-defined]


def install_in_rich() -> None:
    """Rich's Text (the minutes preview, the status table's Rich path) breaks lines this way."""
    import rich.text

    install_into(rich.text)


def installed_in(module_name: str) -> bool:
    """Whether the module of that name (imported) breaks lines this way."""
    module = sys.modules.get(module_name)
    return module is not None and hasattr(getattr(module, "divide_line", None), "unkept")
