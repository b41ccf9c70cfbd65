"""rendering.terminal lays out paragraphs and tables as Rich does: the same characters in the
same cells, and on a terminal the same look for every character that shows (bold, dim,
colour), whatever the text and the width. Rich itself is the reference here."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segments
from rich.table import Table
from rich.text import Text

from tests.dose import examples
from zzreview.analysis import plan_status, preset
from zzreview.plans.demo import shipped_demo
from zzreview.plans.loader import shipped_plan
from zzreview.rendering.dashboard import _rich, dashboard_lines, dashboard_parts, render_dashboard
from zzreview.rendering.kinsoku import install_in_rich
from zzreview.rendering.terminal import (
    Column,
    Terminal,
    Unsupported,
    paragraph_lines,
    rendered,
    styled,
    table_lines,
    terminal_of,
)

# Rich breaks lines as the app has it break them (Chinese marks off the line edges), so the
# reference is what the app and the status table print.
install_in_rich()

STYLES = ["", "bold", "dim", "green", "bold green", "bold yellow", "bold red", "magenta", "dim magenta"]


def by_rich(renderable: object, width: int, *, terminal: bool, no_color: bool = False) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        highlight=False,
        force_terminal=terminal,
        color_system="standard" if terminal else None,
        no_color=no_color,
        _environ={},
    )
    console.print(renderable)
    return out.getvalue()


LOOKS = {
    "plain": {"terminal": False},
    "styled": {"terminal": True},
    "no colour": {"terminal": True, "no_color": True},
}
"""The three ways Rich prints: to a file, to a terminal, and to a terminal under NO_COLOR."""


def by_rich_every_way(renderable: object, width: int) -> dict[str, str]:
    """What Rich prints of `renderable` at `width` each way of LOOKS, from one layout: Rich lays
    out the same segments whatever it prints them to (test_one_rich_layout_prints_every_way
    holds it to that), so the costly layout is done once, not three times."""
    console = Console(
        file=io.StringIO(),
        width=width,
        highlight=False,
        force_terminal=True,
        color_system="standard",
        _environ={},
    )
    laid_out = Segments(list(console.render(renderable)))
    return {name: by_rich(laid_out, width, **how) for name, how in LOOKS.items()}


_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_RUN = re.compile(r" +|[^ ]+")


def what_shows(written: str) -> list[tuple[str, list[tuple[frozenset[str] | None, int]]]]:
    """Each line as its characters and the look of each, run-length encoded: (look, how many
    characters in a row have it). A space's look does not show, so it is None."""
    texts: list[list[str]] = [[]]
    runs: list[list[list]] = [[]]
    look: set[str] = set()
    position = 0
    for match in [*_SGR.finditer(written), None]:
        end = match.start() if match else len(written)
        shown = frozenset(look)
        for n, piece in enumerate(written[position:end].split("\n")):
            if n:
                texts.append([])
                runs.append([])
            texts[-1].append(piece)
            line = runs[-1]
            for run in _RUN.finditer(piece):
                this = None if run.group()[0] == " " else shown
                if line and line[-1][0] == this:
                    line[-1][1] += run.end() - run.start()
                else:
                    line.append([this, run.end() - run.start()])
        if match is None:
            break
        position = match.end()
        for code in match.group(1).split(";"):
            if code in ("", "0"):
                look.clear()
            elif code.startswith("3") and len(code) == 2:
                look -= {c for c in look if c.startswith("fg")}
                look.add(f"fg{code}")
            else:
                look.add(code)
    return [
        ("".join(text), [(this, count) for this, count in line])
        for text, line in zip(texts, runs, strict=True)
    ]


def assert_same(lines: list, renderable: object, width: int) -> None:
    reference = by_rich_every_way(renderable, width)
    assert rendered(lines, Terminal(width, styles=False)) == reference["plain"]
    coloured = rendered(lines, Terminal(width, styles=True))
    assert what_shows(coloured) == what_shows(reference["styled"])
    without = rendered(lines, Terminal(width, styles=True, colours=False))
    assert what_shows(without) == what_shows(reference["no colour"])


@pytest.fixture(scope="module")
def demo_status():
    plan = shipped_plan()
    demo = shipped_demo(plan)
    points: dict[str, list] = {}
    for point in demo.points:
        points.setdefault(point.indicator_id, []).append(point)
    return plan_status(plan, points, date(2024, 10, 31), preset("yinchuan"))


DASHBOARD_WIDTHS = {
    "zh": [*range(12, 41), *range(41, 241, 7)],
    "en": [*range(12, 30, 2), *range(30, 241, 11)],
}
"""Every narrow width, where the columns give way one by one, then a spread of wider ones
(zh and en on different steps, so between them most widths are tried)."""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_demo_dashboard_at_every_width(demo_status, lang: str) -> None:
    parts = dashboard_parts(demo_status, lang, "示例数据，非官方统计")
    reference = render_dashboard(demo_status, lang, "示例数据，非官方统计")
    declined = []
    for width in DASHBOARD_WIDTHS[lang]:
        try:
            lines = dashboard_lines(parts, width)
        except Unsupported:
            declined.append(width)
            continue
        assert_same(lines, reference, width)
    assert declined == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_rich_layout_prints_every_way(demo_status, lang: str) -> None:
    """The reference lays out once and prints that three ways (by_rich_every_way): each is what
    Rich prints when asked that way outright."""
    reference = render_dashboard(demo_status, lang, "示例数据，非官方统计")
    table = rich_table(
        [Column("名称 [b]"), Column("value", justify="right", no_wrap=True, overflow="fold")],
        [[("新增高新技术企业 万亿元", "bold red"), ("1234567890%", "dim magenta")]],
    )
    for renderable in (reference, table, Text.assemble(("调度会 ", "bold"), ("on track", "green"))):
        for width in (12, 17, 40, 61, 96, 131, 240):
            every_way = by_rich_every_way(renderable, width)
            for name, how in LOOKS.items():
                assert every_way[name] == by_rich(renderable, width, **how), (name, width)


def test_what_shows_tells_looks_apart_but_not_a_spaces() -> None:
    assert what_shows("\x1b[1mab\x1b[0m c") == what_shows("\x1b[1ma\x1b[0m\x1b[1mb \x1b[0mc")
    assert what_shows("\x1b[1mab\x1b[0m") != what_shows("\x1b[1ma\x1b[0mb")
    assert what_shows("\x1b[31ma\x1b[32mb") == what_shows("\x1b[31ma\x1b[0m\x1b[32mb")
    assert what_shows("a\nb") != what_shows("ab") != what_shows("ba")
    assert what_shows("\x1b[1m\u3000\x1b[0m") != what_shows("\u3000")


# -- generated text ----------------------------------------------------------------------

WORD = st.text(
    alphabet=st.sampled_from(list("abcdefgXYZ0123456789.%()—·、，。") + list("新增高新技术企业万亿元调度会")),
    min_size=1,
    max_size=14,
)
SPACE = st.sampled_from([" ", " ", "  ", "\u3000", "\n", " \n "])


@st.composite
def texts(draw: st.DrawFn, max_words: int = 8) -> str:
    words = draw(st.lists(WORD, min_size=0, max_size=max_words))
    text = ""
    for word in words:
        text += word + draw(SPACE)
    if draw(st.booleans()):
        text = text.rstrip()
    return draw(st.sampled_from(["", " ", "  "])) + text


@st.composite
def pieces(draw: st.DrawFn) -> tuple[tuple[str, str], ...]:
    count = draw(st.integers(min_value=1, max_value=4))
    return tuple((draw(texts(4)), draw(st.sampled_from(STYLES))) for _ in range(count))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=pieces(), style=st.sampled_from(STYLES), width=st.integers(min_value=1, max_value=60))
def test_a_paragraph_wraps_and_folds_as_rich_does(
    parts: tuple[tuple[str, str], ...], style: str, width: int
) -> None:
    lines = paragraph_lines(styled(parts, style), width)
    assert_same(lines, Text.assemble(*parts, style=style), width)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Column], list[list[tuple[str, str]]]]:
    count = draw(st.integers(min_value=1, max_value=5))
    columns = [
        Column(
            draw(texts(3)).replace("\n", " "),
            justify=draw(st.sampled_from(["left", "right"])),
            no_wrap=draw(st.booleans()),
            min_width=draw(st.sampled_from([None, 2, 4, 8, 10])),
            overflow=draw(st.sampled_from(["ellipsis", "fold"])),
        )
        for _ in range(count)
    ]
    rows = draw(
        st.lists(
            st.lists(st.tuples(texts(5), st.sampled_from(STYLES)), min_size=count, max_size=count),
            min_size=1,
            max_size=4,
        )
    )
    return columns, rows


def rich_table(columns: list[Column], rows: list[list[tuple[str, str]]]) -> Table:
    table = Table(show_edge=False, pad_edge=False, expand=False)
    for column in columns:
        table.add_column(
            column.header,
            justify=column.justify,  # type: ignore[arg-type]
            no_wrap=column.no_wrap,
            min_width=column.min_width,
            overflow=column.overflow,  # type: ignore[arg-type]
        )
    for row in rows:
        table.add_row(*(Text(text, style=style) for text, style in row))
    return table


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), width=st.integers(min_value=4, max_value=120))
def test_a_table_is_measured_collapsed_and_filled_as_rich_does(
    table: tuple[list[Column], list[list[tuple[str, str]]]], width: int
) -> None:
    columns, rows = table
    lines = table_lines(
        columns, [[styled([(text, "")], style) for text, style in row] for row in rows], width
    )
    assert_same(lines, rich_table(columns, rows), width)


def test_what_is_left_to_rich() -> None:
    with pytest.raises(Unsupported):
        styled([("a\tb", "")])
    with pytest.raises(Unsupported):
        styled([("bell\x07", "")])
    with pytest.raises(Unsupported):
        styled([("x", "italic")])
    with pytest.raises(Unsupported):
        table_lines([Column("[b]x")], [[styled([("y", "")])]], 40)
    assert styled([("全角\u3000空格", "")]).text == "全角\u3000空格"


# -- the terminal ------------------------------------------------------------------------


class Stream(io.StringIO):
    def __init__(self, tty: bool, encoding: str = "utf-8") -> None:
        super().__init__()
        self._tty, self._encoding = tty, encoding

    def isatty(self) -> bool:
        return self._tty

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


ENVIRONMENTS = [
    {"COLUMNS": "100"},
    {"COLUMNS": "100", "LINES": "30"},
    {"COLUMNS": "57", "NO_COLOR": "1"},
    {"COLUMNS": "90", "FORCE_COLOR": "1"},
    {"COLUMNS": "90", "FORCE_COLOR": ""},
    {"COLUMNS": "90", "TTY_COMPATIBLE": "1"},
    {"COLUMNS": "90", "TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"COLUMNS": "80", "TERM": "xterm-256color", "COLORTERM": "truecolor"},
]


@pytest.mark.parametrize("environ", ENVIRONMENTS)
@pytest.mark.parametrize("tty", [True, False])
def test_the_terminal_is_seen_as_rich_sees_it(environ: dict[str, str], tty: bool) -> None:
    stream = Stream(tty)
    console = Console(file=stream, highlight=False, _environ=environ)
    terminal = terminal_of(stream, environ)

    assert terminal.width == console.width
    assert terminal.styles == (console.color_system is not None)
    assert terminal.colours == (not console.no_color)


@pytest.mark.parametrize(
    ("environ", "stream"),
    [
        ({"TERM": "dumb"}, Stream(True)),
        ({}, Stream(True, encoding="latin-1")),
        ({"COLUMNS": "0"}, Stream(False)),
    ],
)
def test_a_terminal_rich_treats_its_own_way_is_left_to_rich(environ: dict[str, str], stream: Stream) -> None:
    with pytest.raises(Unsupported):
        terminal_of(stream, environ)


def test_printing_the_dashboard_without_rich_prints_what_rich_printed(demo_status, monkeypatch) -> None:
    from zzreview.rendering import dashboard

    out = Stream(True)
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setenv("COLUMNS", "132")
    dashboard.print_dashboard(demo_status, "zh", "示例数据")

    reference = by_rich(_rich(dashboard_parts(demo_status, "zh", "示例数据")), 132, terminal=True)
    assert what_shows(out.getvalue()) == what_shows(reference)
