"""Chinese line breaking: no line begins with a closing mark or ends with an opening one."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.cells import cell_len

from tests.dose import examples
from zzreview.rendering.kinsoku import NO_LINE_END, NO_LINE_START, kept_together

CJK = "郑州市推进项目建设工业投资物流企业数据"
MARKS = "，。、；：？！）》”（《“"
kinsoku_divide = kept_together(divide_line)


def lines_of(text: str, offsets: list[int]) -> list[str]:
    bounds = [0, *offsets, len(text)]
    return [text[a:b] for a, b in pairwise(bounds)]


def bad_break(text: str, offset: int) -> bool:
    """A break that would begin a line with a closing mark or end one with an opening mark."""
    return not text[offset - 1].isspace() and (
        text[offset] in NO_LINE_START or text[offset - 1] in NO_LINE_END
    )


@settings(max_examples=examples(400), deadline=None)
@given(
    text=st.text(alphabet=CJK + MARKS + "A1 ", min_size=1, max_size=60),
    width=st.integers(min_value=3, max_value=30),
)
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(text: str, width: int) -> None:
    """Unless the line before has no better place to break (one character, or the rest of it
    marks that cannot begin a line either)."""
    offsets = kinsoku_divide(text, width, fold=True)
    lines = lines_of(text, offsets)
    assert "".join(lines) == text
    assert offsets == sorted(set(offsets))
    starts = [0, *offsets]
    for line_start, offset in zip(starts, offsets, strict=False):
        if bad_break(text, offset):
            assert all(bad_break(text, earlier) for earlier in range(line_start + 1, offset)), lines
    for line in lines:
        assert cell_len(line.rstrip()) <= width or len(line.rstrip()) == 1, (lines, width)


def test_the_marks_go_down_with_the_character_before_them() -> None:
    text = "补报9月物流豫军企业和A级物流企业培育数据，建立按月报送机制。"
    plain = lines_of(text, divide_line(text, 14, fold=True))
    kept = lines_of(text, kinsoku_divide(text, 14, fold=True))
    assert any(line.startswith("，") for line in plain)  # where the plain rule breaks
    assert not any(line.startswith(("，", "。")) for line in kept)
    assert "".join(kept) == text


def test_text_with_nothing_to_keep_together_breaks_as_before() -> None:
    for text in ("The quick brown fox jumps over the lazy dog", "郑州市推进项目建设工业投资"):
        for width in (5, 9, 14):
            assert kinsoku_divide(text, width, fold=True) == divide_line(text, width, fold=True)


def reference(text: str, width: int, fold: bool) -> list[int]:
    """The rule worked out the slow way: Rich's breaks up to the first misplaced one, then every
    line found again from the whole rest of the text."""
    offsets = divide_line(text, width, fold=fold)
    first = next((i for i, offset in enumerate(offsets) if bad_break(text, offset)), None)
    if first is None:
        return offsets
    kept = offsets[:first]
    start = kept[-1] if kept else 0
    while rest := divide_line(text[start:], width, fold=fold):
        offset = start + rest[0]
        moved = offset
        while moved - 1 > start and bad_break(text, moved):
            moved -= 1
        if bad_break(text, moved):
            moved = offset
        kept.append(moved)
        start = moved
    return kept


@settings(max_examples=examples(400), deadline=None)
@given(
    text=st.text(alphabet=CJK + MARKS + "A1 ", min_size=1, max_size=400),
    width=st.integers(min_value=3, max_value=12),
    fold=st.booleans(),
)
def test_a_long_text_breaks_where_the_slow_way_breaks_it(text: str, width: int, fold: bool) -> None:
    """Lines are found in a stretch of text a few lines long, not in the whole rest of it:
    the same breaks, at the cost of the text's length rather than its length times its lines."""
    assert kinsoku_divide(text, width, fold=fold) == reference(text, width, fold)


def test_the_work_follows_the_length_of_the_text() -> None:
    seen: list[int] = []

    def counting(text: str, width: int, fold: bool = True) -> list[int]:
        seen.append(len(text))
        return divide_line(text, width, fold=fold)

    text = "第一项，第二项（示例）。" * 2000
    offsets = kept_together(counting)(text, 20, fold=True)
    assert len(offsets) > 1000
    assert sum(seen) < 200 * len(text), "each line looks at a few lines of text, not at all the rest"
