"""One target indicator's trend chart as text: actual values, the target line, the
expected-to-date trajectory (序时进度) and the forecast, drawn with plotext.

`chart_data` turns domain objects into the series a chart shows; `render_chart` draws them
into exactly `width` × `height` terminal cells. Everything inside the plot is ASCII or
box-drawing/block glyphs one cell wide (plotext counts characters, not cells), so names,
units and the legend, which may be Chinese, are drawn by the caller around the plot.

Each call builds its own plotext figure, owned by a private plotext terminal object, so
nothing is shared between calls or with plotext's module-level `plotext.figure`.
"""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from rich.cells import cell_len

from zzreview.analysis.forecast import forecast_from, horizon, valued_points
from zzreview.analysis.status import expected_path
from zzreview.domain.dates import end_of_month
from zzreview.domain.model import DataPoint, Indicator, IndicatorKind
from zzreview.i18n import t

__all__ = [
    "LEGEND_KEYS",
    "SERIES_GLYPHS",
    "ChartData",
    "ChartPalette",
    "chart_data",
    "legend_items",
    "legend_sample",
    "render_chart",
]

LEGEND_KEYS = ("actual", "target", "expected", "forecast")
"""The series a chart shows, in legend order; each has a `chart.<key>` catalogue entry."""

SERIES_GLYPHS = {"actual": "●", "target": "═", "expected": "·", "forecast": "⠒"}
"""The glyph each series is drawn with: every series tells itself apart by its shape, in the
chart and in its legend, never by its colour alone."""

_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
_MONTH_STRIDES = (1, 2, 3, 4, 6, 12)
# Room a month label needs on the x axis: three letters and two spaces before the next one,
# or (as a number) two digits and two spaces.
_MONTH_LABEL_CELLS = 5
_MONTH_NUMBER_CELLS = 4
# Headroom above (and below, unless the axis starts at zero) the values, as a share of their span.
_HEADROOM = 0.08
# The axis starts at zero when the lowest value is at most this share of the highest one, so
# a cumulative series is seen growing from nothing; a level series near its target is not squashed.
_ZERO_ANCHOR_SHARE = 0.5
_COMPACT_SUFFIXES = ((1e9, "B"), (1e6, "M"), (1e3, "k"))
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
# Values beyond this are left out of the chart: no tick label or scale could show them.
_DRAWABLE_LIMIT = 1e15


@dataclass(frozen=True)
class ChartData:
    """What one target indicator's chart shows, in value terms, at an as-of date."""

    actual: tuple[tuple[date, float], ...]
    """Reported values on or before as_of, one per date, oldest first."""
    target: float
    """The target, drawn as a horizontal line."""
    expected: tuple[tuple[date, float], ...]
    """The expected-to-date trajectory: (start, baseline), the phased plan, (end, target)."""
    forecast: tuple[tuple[date, float], ...]
    """From the latest actual value to (end, forecast value); empty when there is none."""
    start: date
    """The horizon's first day."""
    end: date
    """The horizon's last day."""
    as_of: date
    """The meeting's date, marked by a vertical line when it falls inside the chart."""
    unit: str = ""
    """The indicator's unit, for the caller to show beside the chart (never inside it)."""


@dataclass(frozen=True)
class ChartPalette:
    """The colours of a chart, each as "#rrggbb"; no background leaves the terminal's own."""

    actual: str
    target: str
    expected: str
    forecast: str
    axes: str
    text: str
    background: str | None = None


def chart_data(indicator: Indicator, points: Sequence[DataPoint], as_of: date) -> ChartData:
    """The series of a target indicator's chart at `as_of`; ValueError for any other kind.

    Points dated after `as_of` are ignored, as everywhere a meeting's figures are computed.
    """
    if indicator.kind != IndicatorKind.TARGET or indicator.target is None:
        raise ValueError(f"indicator {indicator.id!r} is not a target indicator with a target")
    start, end = horizon(indicator)
    target = indicator.target
    actual = tuple(valued_points(points, as_of))

    expected = expected_path(indicator)

    forecast: tuple[tuple[date, float], ...] = ()
    projected = forecast_from(indicator, actual)
    if actual and projected is not None and actual[-1][0] < end:
        forecast = (actual[-1], (end, projected))

    return ChartData(
        actual=actual,
        target=target,
        expected=expected,
        forecast=forecast,
        start=start,
        end=end,
        as_of=as_of,
        unit=indicator.unit,
    )


@dataclass(frozen=True)
class MonthRow:
    """One month of a chart as a table row: the last value reported in it (None: none was)
    and where 序时进度 stood at its end (or at the as-of date, in the as-of month)."""

    month: date
    """The month's first day."""
    actual: float | None
    expected: float | None


def monthly_rows(data: ChartData) -> list[MonthRow]:
    """The chart's months from the first with a reported value to the as-of date's (within the
    horizon), for a table where a text chart will not do (a Word document)."""
    if not data.actual:
        return []
    last_day = min(data.as_of, data.end)
    month = data.actual[0][0].replace(day=1)
    anchors = [(day.toordinal(), value) for day, value in data.expected]
    by_month: dict[date, float] = {}
    for day, value in data.actual:
        by_month[day.replace(day=1)] = value  # oldest first: the month's last one stays
    rows = []
    while month <= last_day:
        end = min(end_of_month(month), last_day)
        expected = _interpolate(anchors, end.toordinal()) if anchors else None
        rows.append(MonthRow(month, by_month.get(month), expected))
        month = end_of_month(month) + timedelta(days=1)
    return rows


def legend_items(lang: str) -> list[tuple[str, str]]:
    """(series key, word) for each series in legend order, e.g. ("expected", "序时进度")."""
    return [(key, t(f"chart.{key}", lang)) for key in LEGEND_KEYS]


def legend_sample(key: str) -> str:
    """A short stretch of series `key` as the chart draws it, for a legend: "─●─", "═══"…"""
    glyph = SERIES_GLYPHS[key]
    return f"─{glyph}─" if key == "actual" else glyph * 3


def render_chart(
    data: ChartData, width: int, height: int, *, palette: ChartPalette | None = None, lang: str = "en"
) -> str:
    """The chart drawn into exactly `height` lines of exactly `width` terminal cells.

    Without a palette the text is plain (no escape codes), for the minutes and golden files;
    with one it carries ANSI colours, for `Text.from_ansi`. The same input gives the same text.
    In "zh" the axes read as a Chinese reader writes them, still in ASCII: months as numbers
    (7 8 9 … 12, the caller puts "月" beside the plot) and values in full in the plan's own
    unit (3500, not 3.5k); in "en", month names and 1.3k.
    """
    width, height = max(0, int(width)), max(0, int(height))
    if width == 0 or height == 0:
        return "\n".join("" for _ in range(height))

    layout = _Layout.of(data, width, height, plain_numbers=lang == "zh")
    figure = _new_figure(width, height)
    colours = _Colours.of(palette)
    figure.theme("colorless")
    if colours.background is not None:
        figure.canvas(colours.background)
    figure.axes(pixel=colours.pixel(colours.axes))
    figure.ruler(["x", "y"]).pixel(colours.pixel(colours.text))

    figure.ruler("x").lim(layout.x_low, layout.x_high)
    figure.ruler("x").ticks(layout.x_ticks, labels=layout.x_labels)
    figure.ruler("y").lim(layout.y_low, layout.y_high)
    figure.ruler("y").ticks(layout.y_ticks, labels=layout.y_labels)

    if _drawable(data.target):
        figure.line(data.target, orientation=0, style="double", pixel=colours.pixel(colours.target))
    if layout.x_low < layout.as_of_x < layout.x_high:
        figure.line(layout.as_of_x, orientation=1, style="dotted", pixel=colours.pixel(colours.axes))

    _draw_expected(figure, layout, data, colours)
    if len(data.forecast) >= 2:
        xs, ys = layout.series(data.forecast)
        figure.draw(figure.signal(xs, ys, marker=colours.marker("braille", colours.forecast)).lines(True))
    if data.actual:
        xs, ys = layout.series(data.actual)
        if len(xs) > 1:
            figure.draw(figure.signal(xs, ys, marker=colours.marker("hd", colours.actual)).lines(True))
        figure.draw(figure.signal(xs, ys, marker=colours.marker("●", colours.actual)))

    text = figure.build().string(colorless=palette is None)
    if palette is None:
        return _fit_plain(text, width, height)
    text = text.removesuffix("\n")
    return text if colours.background is not None else _drop_backgrounds(text)


@dataclass(frozen=True)
class _Layout:
    """Where things go: x as days from the chart's first day, the y range, ticks and labels."""

    origin: date
    x_low: float
    x_high: float
    x_ticks: list[float]
    x_labels: list[str]
    y_low: float
    y_high: float
    y_ticks: list[float]
    y_labels: list[str]
    canvas_columns: int
    as_of_x: float

    @classmethod
    def of(cls, data: ChartData, width: int, height: int, *, plain_numbers: bool = False) -> _Layout:
        dates = [data.start, data.end, *(day for day, _ in data.actual)]
        first, last = min(dates), max(dates)
        if last <= first:
            last = first + timedelta(days=1)
        label = _plain_tick if plain_numbers else _compact
        y_low, y_high, y_ticks, y_labels = _y_axis(_drawable_values(data), height, data.target, label)
        label_cells = max((len(label) for label in y_labels), default=0)
        # Two columns for the left and right frame; what is left is the canvas.
        canvas_columns = max(1, width - label_cells - 2)
        x_ticks, x_labels = _month_ticks(first, last, canvas_columns, numbers=plain_numbers)
        return cls(
            origin=first,
            x_low=0.0,
            x_high=float((last - first).days),
            x_ticks=[float((day - first).days) for day in x_ticks],
            x_labels=x_labels,
            y_low=y_low,
            y_high=y_high,
            y_ticks=y_ticks,
            y_labels=y_labels,
            canvas_columns=canvas_columns,
            as_of_x=float((data.as_of - first).days),
        )

    def x(self, day: date) -> float:
        return float((day - self.origin).days)

    def series(self, pairs: Sequence[tuple[date, float]]) -> tuple[list[float], list[float]]:
        kept = [(self.x(day), value) for day, value in pairs if _drawable(value)]
        return [x for x, _ in kept], [y for _, y in kept]


def _plotext_package_on_demand() -> None:
    """Register the plotext package without running its `__init__` yet.

    `import plotext` builds plotext's whole public API and its documentation objects
    (plotext._doc): ~100 ms, where the modules that draw a figure take ~25 ms. So when
    plotext is not imported yet, its package module is made and registered as the import
    system would, but its `__init__` runs only when something first asks the package for a
    name that the drawing modules did not set (`import plotext; plotext.figure` elsewhere
    still gets all of plotext).
    """
    if "plotext" in sys.modules:
        return
    spec = importlib.util.find_spec("plotext")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not a plain package: a plain import will do
    package = importlib.util.module_from_spec(spec)

    def complete(name: str) -> Any:
        del package.__dict__["__getattr__"]
        spec.loader.exec_module(package)  # type: ignore[union-attr]
        return getattr(package, name)

    package.__dict__["__getattr__"] = complete
    sys.modules.setdefault("plotext", package)  # a thread that got there first keeps its own


def _new_figure(width: int, height: int) -> Any:
    """A fresh plotext figure of exactly width × height cells, sharing nothing with other calls."""
    # Imported here, and only the drawing modules: headless commands that draw nothing need
    # not pay for plotext at all, and those that do need not pay for its whole API.
    _plotext_package_on_demand()
    from plotext._kernel.terminal import terminal as plotext_terminal

    # plotext 6 hangs every figure under a terminal object; plotext.figure is the master
    # figure of one module-level terminal. A terminal of our own gives a master figure of our
    # own, and lifting its size limit keeps the figure from being clamped to the real terminal.
    host = plotext_terminal()
    host.limit(False, False)
    figure = host._master
    figure.plot_size(width, height)
    return figure


def _draw_expected(figure: Any, layout: _Layout, data: ChartData, colours: _Colours) -> None:
    """The expected trajectory as a dotted line: one dot every other canvas column."""
    anchors = [(layout.x(day), value) for day, value in data.expected if _drawable(value)]
    if not anchors:
        return
    columns = max(2, layout.canvas_columns)
    xs: list[float] = []
    ys: list[float] = []
    for column in range(0, columns, 2):
        x = layout.x_low + (layout.x_high - layout.x_low) * column / (columns - 1)
        y = _interpolate(anchors, x)
        if y is not None:
            xs.append(x)
            ys.append(y)
    if xs:
        figure.draw(figure.signal(xs, ys, marker=colours.marker("·", colours.expected)))


def _interpolate(anchors: Sequence[tuple[float, float]], x: float) -> float | None:
    """The polyline through `anchors` (sorted by x) at x; None outside it."""
    if x < anchors[0][0] or x > anchors[-1][0]:
        return None
    for (x0, y0), (x1, y1) in pairwise(anchors):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return anchors[-1][1]


def _drawable_values(data: ChartData) -> list[float]:
    values = [data.target]
    values += [value for _, value in data.actual + data.expected + data.forecast]
    return [value for value in values if _drawable(value)]


def _drawable(value: float) -> bool:
    return math.isfinite(value) and abs(value) < _DRAWABLE_LIMIT


def _y_axis(
    values: list[float], height: int, target: float, label: Callable[[float, float], str]
) -> tuple[float, float, list[float], list[str]]:
    """The y range (zero or the lowest value to the highest, with headroom) and its ticks.

    The target always gets a tick of its own, so its line is labelled with its value; round
    ticks too close to it to keep a row between the labels give way.
    """
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if 0 <= low <= high * _ZERO_ANCHOR_SHARE:
        low = 0.0
    elif low <= high <= 0 and high >= low * _ZERO_ANCHOR_SHARE:
        high = 0.0
    span = high - low
    if span <= max(abs(high), abs(low), 1.0) * 1e-9:
        # A flat series, or one whose spread is below what a tick step can show (5e-324 once
        # divided a step to zero): centre it in a span of its own size.
        span = max(abs(high), 1.0)
        low, high = low - span / 2, high + span / 2
    high += span * _HEADROOM
    if low != 0:
        low -= span * _HEADROOM

    # Frame (2 rows) and month labels (1 row) leave the rest to the canvas; one tick per ~3 rows.
    canvas_rows = max(1, height - 3)
    tick_count = max(2, min(6, canvas_rows // 3 + 1))
    step = _nice_step((high - low) / (tick_count - 1))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    labelled = {k * step: label(k * step, step) for k in range(first, last + 1)}
    if _drawable(target) and low <= target <= high:
        rows_per_unit = max(1, canvas_rows - 1) / (high - low)
        labelled = {
            tick: label for tick, label in labelled.items() if abs(tick - target) * rows_per_unit >= 2
        }
        labelled[target] = label(target, step / 10)
    ticks = sorted(labelled)
    return low, high, ticks, [labelled[tick] for tick in ticks]


def _nice_step(raw: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at least `raw`."""
    if not math.isfinite(raw) or raw <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for nice in _NICE_STEPS:
        if nice * magnitude >= raw * (1 - 1e-9):
            return nice * magnitude
    return 10 * magnitude


def _compact(value: float, step: float, *, suffixes: bool = True) -> str:
    """A tick label short enough for a narrow axis: 1.2k, 760, 0.5, 3M (without `suffixes`,
    in full: 3500, 760, 0.5).

    Each label takes the decimals needed to tell it from its neighbours `step` apart, in the
    scale (k, M, B) its own size calls for, with trailing zeros dropped.
    """
    if abs(value) < step * 1e-6:
        return "0"
    divisor, suffix = 1.0, ""
    for size, word in _COMPACT_SUFFIXES if suffixes else ():
        if abs(value) >= size:
            divisor, suffix = size, word
            break
    scaled_step = step / divisor
    decimals = max(0, min(6, -math.floor(math.log10(scaled_step) + 1e-9)))
    text = f"{value / divisor:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{suffix}"


def _plain_tick(value: float, step: float) -> str:
    """A tick label in full, in the plan's own unit: 3500, 760, 0.5 (never 3.5k)."""
    return _compact(value, step, suffixes=False)


def _month_ticks(
    first: date, last: date, canvas_columns: int, *, numbers: bool = False
) -> tuple[list[date], list[str]]:
    """Month starts within [first, last], every n-th month so that labels never crowd; as
    numbers (7 8 … 12) or names (Jul Aug … Dec).

    A chart spanning less than two month starts is labelled at its ends as MM-DD instead.
    """
    starts = []
    day = date(first.year, first.month, 1)
    if day < first:
        day = _next_month(day)
    while day <= last:
        starts.append(day)
        day = _next_month(day)
    if len(starts) < 2:
        ends = [first, last] if canvas_columns >= 2 * _MONTH_LABEL_CELLS + 2 else [first]
        return ends, [f"{d.month:02d}-{d.day:02d}" for d in ends]

    columns_per_month = canvas_columns * 30.44 / max(1, (last - first).days)
    label_cells = _MONTH_NUMBER_CELLS if numbers else _MONTH_LABEL_CELLS
    stride = next(
        (s for s in _MONTH_STRIDES if s * columns_per_month >= label_cells),
        _MONTH_STRIDES[-1],
    )
    # Keep the months a stride apart counted from January, so a year reads Jan Apr Jul Oct.
    offset = next((i for i, d in enumerate(starts) if (d.month - 1) % stride == 0), 0)
    kept = starts[offset::stride]
    if numbers:
        return kept, [str(d.month) for d in kept]
    return kept, [_MONTH_ABBREVIATIONS[d.month - 1] for d in kept]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class _Colours:
    """The palette as RGB triples, and the plotext pixels and markers made from them."""

    actual: tuple[int, int, int] | None = None
    target: tuple[int, int, int] | None = None
    expected: tuple[int, int, int] | None = None
    forecast: tuple[int, int, int] | None = None
    axes: tuple[int, int, int] | None = None
    text: tuple[int, int, int] | None = None
    background: tuple[int, int, int] | None = None

    @classmethod
    def of(cls, palette: ChartPalette | None) -> _Colours:
        if palette is None:
            return cls()
        return cls(
            actual=_rgb(palette.actual),
            target=_rgb(palette.target),
            expected=_rgb(palette.expected),
            forecast=_rgb(palette.forecast),
            axes=_rgb(palette.axes),
            text=_rgb(palette.text),
            background=None if palette.background is None else _rgb(palette.background),
        )

    def pixel(self, foreground: tuple[int, int, int] | None) -> Any:
        _plotext_package_on_demand()
        from plotext._primitives.pixel import pixel

        return pixel(foreground=foreground, background=self.background)

    def marker(self, symbol: str, foreground: tuple[int, int, int] | None) -> Any:
        _plotext_package_on_demand()
        from plotext._primitives.marker import marker

        return marker(symbol, pixel=self.pixel(foreground))


def _rgb(colour: str) -> tuple[int, int, int]:
    """ "#rrggbb" as an (r, g, b) triple; ValueError for anything else."""
    match = re.fullmatch(r"#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})", colour.strip())
    if match is None:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    red, green, blue = (int(part, 16) for part in match.groups())
    return red, green, blue


def _drop_backgrounds(text: str) -> str:
    """Remove background colours from ANSI text, so the terminal's own background shows.

    plotext paints every frame pixel on its default white background unless told another
    colour; with no palette background, the chart must sit on whatever the screen has.
    """

    def keep_foreground(match: re.Match[str]) -> str:
        params = match.group(1).split(";") if match.group(1) else ["0"]
        kept: list[str] = []
        i = 0
        while i < len(params):
            code = params[i]
            if code in ("38", "48"):
                length = 3 if params[i + 1 : i + 2] == ["5"] else 5
                if code == "38":
                    kept += params[i : i + length]
                i += length
                continue
            if not (code.isdigit() and (40 <= int(code) <= 49 or 100 <= int(code) <= 107)):
                kept.append(code)
            i += 1
        return f"\x1b[{';'.join(kept)}m" if kept else ""

    return _SGR.sub(keep_foreground, text)


def _fit_plain(text: str, width: int, height: int) -> str:
    """Exactly `height` lines of exactly `width` cells, padding or trimming what plotext gave."""
    lines = text.removesuffix("\n").split("\n")[:height]
    lines += [""] * (height - len(lines))
    fitted = []
    for line in lines:
        while cell_len(line) > width:
            line = line[:-1]
        fitted.append(line + " " * (width - cell_len(line)))
    return "\n".join(fitted)
