"""Chinese line breaking on every screen: no wrapped line begins with a closing mark (，。、；）…)
or ends with an opening one (（《“…), at every size, in both languages."""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import build_app
from tests.ui.test_keys import screen_text
from zzreview.meeting import commands
from zzreview.rendering.kinsoku import NO_LINE_END, NO_LINE_START
from zzreview.storage.repository import Repository

SIZES = [(80, 24), (120, 40), (200, 60)]
PUNCTUATED = "".join(f"第{n}项，" if n % 3 else f"第{n}项（示例）。" for n in range(1, 40))
SCREENS = {"review": (), "area": ("4",), "area-5": ("5",), "overview": ("o",), "help": ("4", "question_mark")}
_GAP = re.compile(r"\s{2,}|[│┃┊║|▏▕▌▐█▁▂▃▄▅▆▇▔▕╭╮╰╯┌┐└┘├┤┬┴┼─━]+")
"""What separates the texts side by side on a screen row: runs of spaces, rules and borders."""


CLOSING = {mark for mark in NO_LINE_START if not mark.isascii()} - {"…", "·"}
OPENING = {mark for mark in NO_LINE_END if not mark.isascii()}


def texts_of(row: str) -> list[str]:
    return [piece.strip() for piece in _GAP.split(row) if piece.strip()]


CASES = [(lang, size) for lang in ("zh", "en") for size in SIZES]
"""Each language at every size (an en screen shows the same Chinese records, in other widths)."""


@pytest.mark.parametrize(("lang", "size"), CASES, ids=[f"{lang}-{w}x{h}" for lang, (w, h) in CASES])
async def test_no_line_on_any_screen_begins_or_ends_with_the_wrong_mark(
    repo: Repository, lang: str, size: tuple[int, int]
) -> None:
    # Commas every third character: wherever a panel's width puts its breaks, some land on
    # one (the demo's own text may happen not to at a given size).
    commands.add_action(repo, PUNCTUATED, "某责任人", area=4, meeting_id="2024-10-31")
    commands.add_note(repo, 4, PUNCTUATED)
    app = build_app(repo, lang=lang)
    wrong = []
    async with app.run_test(size=size) as pilot:
        for name, keys in SCREENS.items():
            if keys:
                await pilot.press(*keys)
            await pilot.pause()
            for row in screen_text(app).splitlines():
                for text in texts_of(row):
                    # Chinese marks only: "?" and "!" start key names ("? 帮助"), "…" a cut.
                    if text[0] in CLOSING:
                        wrong.append((name, text))
                    if text[-1] in OPENING:
                        wrong.append((name, text))
            await pilot.press("escape")
    assert not wrong, wrong[:10]
