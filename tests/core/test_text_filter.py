"""The text filter as a property: whatever comes in, nothing dangerous goes out, and the rest is
kept exactly and in order.

Dangerous means what can rewrite a terminal, reorder what is shown, or make text that cannot be
written to a file: C0 controls but tab and newline, DEL, C1 controls, the bidi embeddings,
overrides and isolates (U+202A–U+202E, U+2066–U+2069), and surrogate code points — halves of a
UTF-16 pair, or the bytes a UTF-8 locale could not decode (Python's surrogateescape). Those
are not characters; each becomes U+FFFD, so the person sees where something was lost.
"""

from __future__ import annotations

import string

from hypothesis import example, given
from hypothesis import strategies as st

from zzreview.domain.text import clean_line, clean_text

REPLACEMENT = "\ufffd"
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r"]
REMOVED = frozenset(CONTROLS + BIDI)


def is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


def is_dangerous(char: str) -> bool:
    return char in REMOVED or char == "\r" or is_surrogate(char)


# Pieces of input, each with what the filter must make of it.
# Category Cs named outright: with exclude_characters alone, st.characters can pick a surrogate.
kept_chars = st.characters(exclude_categories=("Cs",), exclude_characters=REMOVED | {"\r"}).map(
    lambda c: (c, c)
)
kept_pieces = st.sampled_from(
    [
        "[bold]",
        "[/]",
        "[/bold]",
        "[link=https://example.org]x[/link]",
        "郑州市发展改革委",
        "🚇",
        "👩\u200d💻",  # a ZWJ sequence stays one emoji
        "e\u0301",  # a combining accent stays on its letter
        "\t",
        "\n",
        "<b>x</b> | `y` *z*",
    ]
).map(lambda s: (s, s))
removed_chars = st.sampled_from(sorted(REMOVED)).map(lambda c: (c, ""))
surrogates = st.integers(0xD800, 0xDFFF).map(lambda n: (chr(n), REPLACEMENT))
line_ends = st.sampled_from([("\r\n", "\n"), ("\rx", "\nx")])  # a lone CR, then not a newline
escapes = st.sampled_from([("\x1b[31m", "[31m"), ("\x1b]8;;http://x\x07", "]8;;http://x"), ("\x9b2J", "2J")])
pieces = st.lists(
    st.one_of(kept_chars, kept_pieces, removed_chars, surrogates, line_ends, escapes), max_size=40
)

# Any string at all, surrogates included (st.characters leaves category Cs out unless told, and
# then seldom picks one), weighted towards what the filter has to deal with.
any_text = st.text(
    st.one_of(
        st.characters(exclude_categories=()),
        st.integers(0xD800, 0xDFFF).map(chr),
        st.sampled_from([*sorted(REMOVED), "\r", "\n", "\t", " "]),
    ),
    max_size=200,
)


@given(pieces)
@example([("bad ", "bad "), ("\udcff", REPLACEMENT)])  # `actions add $'bad \xff'` in a UTF-8 locale
@example([("\ud83d", REPLACEMENT), ("\ude87", REPLACEMENT)])  # a UTF-16 pair split into halves
@example([("safe", "safe"), ("\u202e", ""), ("gnp.exe", "gnp.exe")])
def test_the_rest_is_kept_exactly_and_in_order(parts: list[tuple[str, str]]) -> None:
    text = "".join(given_ for given_, _ in parts)
    assert clean_text(text) == "".join(kept for _, kept in parts)


@given(any_text)
def test_nothing_dangerous_comes_out(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(is_dangerous(c) for c in cleaned)
    cleaned.encode("utf-8")  # a file, a terminal, the journal: all take it
    assert clean_text(cleaned) == cleaned


@given(any_text)
def test_one_line_fields_are_one_clean_line(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line and "\t" not in line
    assert line == line.strip()
    assert not any(is_dangerous(c) for c in line)
    line.encode("utf-8")
    assert clean_line(line) == line
    assert line == " ".join(clean_text(text).replace("\t", " ").split("\n")).strip()


def test_every_surrogate_becomes_one_visible_replacement() -> None:
    text = "".join(chr(n) for n in range(0xD800, 0xE000))
    assert clean_text(text) == REPLACEMENT * 0x800
    assert clean_line(" \udcff\udcfe ") == REPLACEMENT * 2


def test_printable_ascii_is_kept_whole() -> None:
    assert clean_text(string.printable.replace("\r", "").replace("\x0b", "").replace("\x0c", "")) == (
        string.printable.replace("\r", "").replace("\x0b", "").replace("\x0c", "")
    )
