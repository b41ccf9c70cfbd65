"""Control characters are stripped from typed text; everything else is kept exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zzreview.domain.text import clean_line, clean_text

KEPT = [
    "x [/] y",
    "[bold]不是粗体[/bold]",
    "[link=https://example.org]x[/link]",
    "a | b | c",
    "`code` *star* _u_ #h ~s~ <script>alert(1)</script>",
    "郑州 🚇 6号线",
    "tab\there\nnew line",
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_is_kept_exactly(text: str) -> None:
    assert clean_text(text) == text


def test_escapes_lose_their_escape_character_only() -> None:
    assert clean_text("\x1b[31mred\x1b[0m") == "[31mred[0m"
    assert clean_text("\x1b]8;;http://x\x07link\x1b]8;;\x07") == "]8;;http://xlink]8;;"


def test_c1_del_and_bidi_overrides_are_removed() -> None:
    assert clean_text("a\x7fb\x85c\x9bd") == "abcd"
    assert clean_text("safe\u202egnp.exe\u2066x\u2069") == "safegnp.exex"


def test_carriage_returns_become_newlines() -> None:
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


def test_one_line_fields_fold_newlines() -> None:
    assert clean_line("  市发展改革委\n主任\t ") == "市发展改革委 主任"


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_no_controls(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert not any(
        (ord(c) < 32 and c not in "\t\n")
        or 0x7F <= ord(c) <= 0x9F
        or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for c in cleaned
    )
