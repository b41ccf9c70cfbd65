"""The trend chart: its series from domain objects, and its text at any size, plain or coloured."""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from tests.dose import examples
from zzreview.analysis import forecast_at_end
from zzreview.domain.model import (
    DataPoint,
    Direction,
    HorizonKind,
    Indicator,
    IndicatorKind,
    PhasePoint,
)
from zzreview.plans.demo import shipped_demo
from zzreview.plans.loader import shipped_plan
from zzreview.rendering.charts import (
    ChartData,
    ChartPalette,
    chart_data,
    legend_items,
    render_chart,
)

GOLDEN = Path(__file__).parent / "golden"
H2_START, H2_END = date(2024, 7, 1), date(2024, 12, 31)
AS_OF = date(2024, 10, 31)
PALETTE = ChartPalette(
    actual="#3b82f6",
    target="#d93636",
    expected="#c88a00",
    forecast="#888888",
    axes="#9a9a9a",
    text="#eeeeee",
)


def investment(**changes: object) -> Indicator:
    """A cumulative H2 target indicator with Chinese name and unit, like 新增工业投资."""
    fields: dict[str, object] = {
        "id": "4.2.2",
        "measure_id": "4.2",
        "kind": IndicatorKind.TARGET,
        "name": "新增工业投资",
        "unit": "亿元",
        "target": 760.0,
        "baseline": 0.0,
        "horizon": HorizonKind.PERIOD,
        "horizon_start": H2_START,
        "horizon_end": H2_END,
    }
    fields.update(changes)
    return Indicator(**fields)  # type: ignore[arg-type]


def values(*pairs: tuple[date, float], indicator_id: str = "4.2.2") -> list[DataPoint]:
    return [DataPoint(indicator_id, day, value) for day, value in pairs]


MONTHLY = values(
    (date(2024, 7, 31), 98.0),
    (date(2024, 8, 31), 205.0),
    (date(2024, 9, 30), 318.0),
    (date(2024, 10, 31), 410.0),
    (date(2024, 11, 30), 520.0),  # after the meeting: never shown
)


def assert_shape(text: str, width: int, height: int) -> None:
    lines = text.split("\n")
    assert len(lines) == height, (len(lines), height)
    for line in lines:
        assert cell_len(line) == width, (cell_len(line), width, line)


def assert_no_wide_characters(text: str) -> None:
    wide = [ch for ch in text if unicodedata.east_asian_width(ch) in ("W", "F")]
    assert not wide, wide


# chart_data


def test_chart_data_for_a_cumulative_h2_indicator() -> None:
    data = chart_data(investment(), MONTHLY, AS_OF)

    assert data.actual == (
        (date(2024, 7, 31), 98.0),
        (date(2024, 8, 31), 205.0),
        (date(2024, 9, 30), 318.0),
        (date(2024, 10, 31), 410.0),
    )
    assert data.target == 760.0
    assert data.expected == ((H2_START, 0.0), (H2_END, 760.0))
    assert (data.start, data.end, data.as_of, data.unit) == (H2_START, H2_END, AS_OF, "亿元")
    assert data.forecast[0] == (date(2024, 10, 31), 410.0)
    assert data.forecast[-1][0] == H2_END
    assert data.forecast[-1][1] == pytest.approx(forecast_at_end(investment(), MONTHLY, AS_OF))


def test_chart_data_follows_a_phased_plan_in_date_order() -> None:
    phased = (
        PhasePoint(date(2024, 11, 30), 600.0),
        PhasePoint(date(2024, 9, 30), 300.0),
        PhasePoint(date(2024, 3, 31), 50.0),  # outside the horizon: ignored
    )
    data = chart_data(investment(phased=phased), MONTHLY, AS_OF)

    assert data.expected == (
        (H2_START, 0.0),
        (date(2024, 9, 30), 300.0),
        (date(2024, 11, 30), 600.0),
        (H2_END, 760.0),
    )


def test_chart_data_starts_from_the_baseline() -> None:
    data = chart_data(investment(baseline=120.0), MONTHLY, AS_OF)
    assert data.expected[0] == (H2_START, 120.0)


def test_no_values_means_no_actual_and_no_forecast() -> None:
    data = chart_data(investment(), [], AS_OF)
    assert data.actual == ()
    assert data.forecast == ()
    assert data.expected == ((H2_START, 0.0), (H2_END, 760.0))


def test_no_forecast_once_the_horizon_has_ended() -> None:
    points = values((date(2024, 12, 31), 700.0), (date(2024, 11, 30), 600.0))
    data = chart_data(investment(), points, date(2025, 1, 15))
    assert data.actual[-1] == (date(2024, 12, 31), 700.0)
    assert data.forecast == ()


@pytest.mark.parametrize("kind", [IndicatorKind.MILESTONE, IndicatorKind.QUALITATIVE])
def test_chart_data_refuses_indicators_without_a_numeric_target(kind: IndicatorKind) -> None:
    with pytest.raises(ValueError, match=r"4\.2\.2"):
        chart_data(investment(kind=kind, target=None), [], AS_OF)


def test_legend_items_in_both_languages() -> None:
    assert legend_items("zh") == [
        ("actual", "实际"),
        ("target", "目标"),
        ("expected", "序时进度"),
        ("forecast", "预测"),
    ]
    assert legend_items("en") == [
        ("actual", "actual"),
        ("target", "target"),
        ("expected", "expected"),
        ("forecast", "forecast"),
    ]


# render_chart


def test_plain_chart_is_exactly_the_size_asked_with_no_escapes_and_no_cjk() -> None:
    text = render_chart(chart_data(investment(), MONTHLY, AS_OF), 72, 16)

    assert_shape(text, 72, 16)
    assert "\x1b" not in text
    assert_no_wide_characters(text)


def test_plain_chart_shows_month_ticks_target_value_and_every_series() -> None:
    text = render_chart(chart_data(investment(), MONTHLY, AS_OF), 72, 16)

    for month in ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec"):
        assert month in text
    target_row = next(line for line in text.split("\n") if "═" in line)
    assert target_row.startswith("760")
    assert "●" in text  # actual values
    assert "·" in text  # expected trajectory
    assert re.search("[\u2801-\u28ff]", text)  # forecast, in braille
    assert "┊" in text  # the as-of date


def test_coloured_chart_has_ansi_colours_and_the_same_shape() -> None:
    data = chart_data(investment(), MONTHLY, AS_OF)
    text = render_chart(data, 72, 16, palette=PALETTE)

    assert "\x1b[" in text
    assert "38;2;217;54;54" in text  # the target colour, as given
    assert "\x1b[48;" not in text  # no background: the terminal's own shows through
    assert_shape(Text.from_ansi(text).plain, 72, 16)
    assert Text.from_ansi(text).plain == render_chart(data, 72, 16)


def test_coloured_chart_paints_the_background_given() -> None:
    palette = ChartPalette(**{**PALETTE.__dict__, "background": "#101820"})
    text = render_chart(chart_data(investment(), MONTHLY, AS_OF), 40, 12, palette=palette)

    assert "48;2;16;24;32" in text
    assert "48;5;15" not in text  # never plotext's default white
    assert_shape(Text.from_ansi(text).plain, 40, 12)


def test_a_bad_palette_colour_is_refused() -> None:
    palette = ChartPalette(**{**PALETTE.__dict__, "actual": "blue"})
    with pytest.raises(ValueError, match="blue"):
        render_chart(chart_data(investment(), MONTHLY, AS_OF), 40, 12, palette=palette)


def test_rendering_is_deterministic_and_leaves_plotext_global_figure_alone() -> None:
    import plotext

    before = plotext.figure.build().string(colorless=True)
    data = chart_data(investment(), MONTHLY, AS_OF)
    first = render_chart(data, 72, 16)
    render_chart(chart_data(investment(target=5.0), values((AS_OF, 1.0)), AS_OF), 30, 8)
    second = render_chart(data, 72, 16)

    assert first == second
    assert render_chart(data, 72, 16, palette=PALETTE) == render_chart(data, 72, 16, palette=PALETTE)
    assert plotext.figure.build().string(colorless=True) == before


EDGE_CASES = {
    "single value": (investment(), values((date(2024, 8, 31), 205.0))),
    "no values": (investment(), []),
    "far above target": (investment(), values((date(2024, 8, 31), 5000.0), (date(2024, 9, 30), 9000.0))),
    "falling, lower is better": (
        investment(target=4.5, baseline=6.0, direction=Direction.LOWER, unit="%"),
        values((date(2024, 7, 31), 5.8), (date(2024, 8, 31), 5.5), (date(2024, 9, 30), 5.1)),
    ),
    "a ceiling to hold": (
        investment(target=5.5, baseline=5.5, direction=Direction.LOWER),
        values((date(2024, 7, 31), 5.2), (date(2024, 9, 30), 5.3)),
    ),
    "flat at zero": (investment(target=0.0), values((date(2024, 8, 31), 0.0))),
    "negative values": (investment(target=-50.0), values((date(2024, 8, 31), -20.0))),
    "values no chart can show": (
        investment(target=float("nan")),
        values((date(2024, 7, 31), float("inf")), (date(2024, 8, 31), 1e300), (date(2024, 9, 30), 5.0)),
    ),
    "tiny numbers": (investment(target=0.003), values((date(2024, 8, 31), 0.001))),
    "huge numbers": (investment(target=3.2e9), values((date(2024, 8, 31), 1.1e9))),
    "values before the horizon": (investment(), values((date(2024, 5, 31), 10.0), (AS_OF, 300.0))),
    "one-day horizon": (investment(horizon_start=AS_OF, horizon_end=AS_OF), values((AS_OF, 10.0))),
    "full year": (
        investment(horizon_start=date(2024, 1, 1), horizon=HorizonKind.YEAR),
        values((date(2024, 3, 31), 90.0), (date(2024, 6, 30), 300.0)),
    ),
}
SIZES = [(20, 6), (24, 7), (40, 12), (72, 16), (200, 60), (1, 1), (5, 3), (20, 1), (3, 60)]


@pytest.mark.parametrize("case", EDGE_CASES)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_edge_cases_render_at_any_size(case: str, width: int, height: int) -> None:
    indicator, points = EDGE_CASES[case]
    for as_of in (date(2024, 6, 1), AS_OF, date(2025, 2, 1)):
        data = chart_data(indicator, points, as_of)
        text = render_chart(data, width, height)
        assert_shape(text, width, height)
        assert "\x1b" not in text
        coloured = render_chart(data, width, height, palette=PALETTE)
        assert_shape(Text.from_ansi(coloured).plain, width, height)


def test_a_tiny_chart_still_shows_the_target_line() -> None:
    text = render_chart(chart_data(investment(), MONTHLY, AS_OF), 20, 6)
    assert_shape(text, 20, 6)
    assert "═" in text


def test_nothing_to_draw_into_gives_empty_lines() -> None:
    data = chart_data(investment(), MONTHLY, AS_OF)
    assert render_chart(data, 0, 3) == "\n\n"
    assert render_chart(data, 10, 0) == ""


finite = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)


@st.composite
def charts(draw: st.DrawFn) -> ChartData:
    start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    end = start + timedelta(days=draw(st.integers(0, 400)))
    as_of = start + timedelta(days=draw(st.integers(-30, 450)))
    days = draw(st.lists(st.integers(-60, 450), max_size=12, unique=True))
    points = [(start + timedelta(days=d), draw(finite)) for d in sorted(days)]
    indicator = investment(
        target=draw(finite),
        baseline=draw(finite),
        direction=draw(st.sampled_from(list(Direction))),
        horizon_start=start,
        horizon_end=end,
        phased=tuple(
            PhasePoint(start + timedelta(days=d), draw(finite))
            for d in draw(st.lists(st.integers(0, 400), max_size=3))
        ),
    )
    return chart_data(indicator, values(*points), as_of)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=charts(), width=st.integers(20, 200), height=st.integers(6, 60))
@example(
    # A spread of one denormal (5e-324) once divided the tick step to zero.
    data=ChartData(
        actual=(),
        target=0.0,
        expected=((date(2024, 1, 1), 5e-324), (date(2024, 1, 1), 0.0)),
        forecast=(),
        start=date(2024, 1, 1),
        end=date(2024, 1, 1),
        as_of=date(2024, 1, 1),
        unit="亿元",
    ),
    width=20,
    height=6,
)
def test_any_chart_has_the_exact_shape(data: ChartData, width: int, height: int) -> None:
    text = render_chart(data, width, height)
    assert_shape(text, width, height)
    assert "\x1b" not in text
    assert_no_wide_characters(text)


# golden files, from the shipped demo data


@pytest.mark.parametrize(
    ("indicator_id", "width", "height", "lang"),
    [
        ("4.2.2", 72, 16, "en"),  # behind, H2 horizon
        ("6.2.2", 72, 16, "en"),  # stale: no value since August, full-year horizon
        ("1.4.4", 48, 12, "en"),  # achieved, above its target
        ("6.1.2", 72, 16, "zh"),  # thousands of trains: 3500, not 3.5k; months 1-12
        ("4.2.2", 72, 16, "zh"),  # 亿元 in the plan's own scale; months 7-12
    ],
)
def test_golden_charts_from_the_shipped_demo(indicator_id: str, width: int, height: int, lang: str) -> None:
    plan = shipped_plan()
    demo = shipped_demo(plan)
    indicator = next(i for i in plan.indicators if i.id == indicator_id)
    points = [p for p in demo.points if p.indicator_id == indicator_id]
    text = render_chart(chart_data(indicator, points, AS_OF), width, height, lang=lang) + "\n"

    suffix = "" if lang == "en" else f"-{lang}"
    golden = GOLDEN / f"chart-{indicator_id}-{width}x{height}{suffix}.txt"
    if os.environ.get("ZZREVIEW_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert text.encode("utf-8") == golden.read_bytes()


def test_zh_axes_read_months_as_numbers_and_values_in_full() -> None:
    """The axes stay ASCII (plotext counts characters, not cells), but read as a Chinese reader
    writes them: no "Jan", no "3.5k"."""
    plan = shipped_plan()
    demo = shipped_demo(plan)
    indicator = next(i for i in plan.indicators if i.id == "6.1.2")
    data = chart_data(indicator, [p for p in demo.points if p.indicator_id == "6.1.2"], AS_OF)
    zh = render_chart(data, 72, 16, lang="zh")
    en = render_chart(data, 72, 16, lang="en")
    assert zh.splitlines()[-1].split() == [str(month) for month in range(1, 13)]
    assert not any(name in zh for name in ("Jan", "Jul", "Dec"))
    assert not re.search(r"\d(?:k|M|B)\b", zh) and "3500" in zh
    assert "Jul" in en and re.search(r"\dk\b", en)
    assert all(unicodedata.east_asian_width(ch) not in "WF" for ch in zh)  # nothing wide in the plot
