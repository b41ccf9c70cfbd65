"""The selected indicator's chart: big figures, the plotext chart and a legend around it.

The chart itself is a pure function of the data and the size (rendering.charts); this widget
re-renders it when its size or the theme changes and shows it with `Text.from_ansi`. Labels
in Chinese stay outside the plot, in Textual, where cell widths are measured correctly.
"""

from __future__ import annotations

import threading
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from zzreview.analysis import IndicatorStatus
from zzreview.domain import DataPoint, IndicatorKind
from zzreview.i18n import format_number, format_percent, t
from zzreview.i18n.quantity import quantity_parts, zh_scale
from zzreview.rendering.charts import (
    ChartData,
    ChartPalette,
    chart_data,
    legend_items,
    legend_sample,
    render_chart,
)
from zzreview.rendering.names import indicator_name, indicator_unit, value_with_unit
from zzreview.ui.labels import state_text
from zzreview.ui.widgets.figures import Figure

DIGITS_ALPHABET = set("0123456789.-+%, ")


NARROW_LEGEND = 48
"""Below this width the legend's samples are two cells long, so its first line still fits."""


def digits_for(value: float | None) -> str:
    """A value as Digits can draw it (digits and a few symbols only)."""
    if value is None:
        return "-"
    text = format_number(value, "en").replace(",", "")
    return text if set(text) <= DIGITS_ALPHABET else "-"


def _hex(value: str) -> str:
    red, green, blue = Color.parse(value).rgb
    return f"#{red:02x}{green:02x}{blue:02x}"


class ChartCanvas(Widget):
    """The plotext chart, sized to the widget and coloured by the theme."""

    DEFAULT_CSS = """
    ChartCanvas { height: 1fr; min-height: 4; }
    """

    data: reactive[ChartData | None] = reactive(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cache: tuple[object, Text] | None = None
        self.lang = "zh"
        """The language the axes read in (see `render_chart`)."""

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self._cache = None
        self.refresh()

    def palette(self) -> ChartPalette:
        variables = self.app.theme_variables
        return ChartPalette(
            actual=variables["chart-actual"],
            target=variables["chart-target"],
            expected=variables["chart-expected"],
            forecast=variables["chart-forecast"],
            axes=_hex(variables["foreground"]),
            text=_hex(variables["foreground"]),
        )

    def render(self) -> Text:
        data = self.data
        width, height = self.size
        if data is None or width < 10 or height < 4:
            return Text("")
        key = (data, width, height, self.app.theme, self.lang)
        if self._cache is None or self._cache[0] != key:
            drawn = render_chart(data, width, height, palette=self.palette(), lang=self.lang)
            self._cache = (key, Text.from_ansi(drawn))
        return self._cache[1]


_WARMING: list[threading.Thread] = []


def warm_charts() -> None:
    """Draw one small chart in a background thread, once a process, while the first screen
    is up: importing plotext and its first figure cost ~0.25 s, which would otherwise land on
    the first area the chair opens (with the other modules only an area needs)."""
    if _WARMING:
        return
    sample = ChartData(
        actual=((date(2024, 3, 31), 1.0), (date(2024, 6, 30), 2.0)),
        target=4.0,
        expected=((date(2024, 1, 1), 0.0), (date(2024, 12, 31), 4.0)),
        forecast=((date(2024, 6, 30), 2.0), (date(2024, 12, 31), 4.0)),
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        as_of=date(2024, 6, 30),
    )
    palette = ChartPalette(
        actual="#ffffff",
        target="#ffffff",
        expected="#ffffff",
        forecast="#ffffff",
        axes="#ffffff",
        text="#ffffff",
    )

    def warm() -> None:
        Text.from_ansi(render_chart(sample, 40, 12, palette=palette))
        import textual.scrollbar  # noqa: F401  (the first scrolling panel shown needs it)

    thread = threading.Thread(target=warm, name="warm-charts", daemon=True)
    _WARMING.append(thread)
    thread.start()


class ChartPanel(Vertical):
    """The selected indicator: name, big current value and completion, chart, legend."""

    def compose(self) -> ComposeResult:
        yield Static(id="chart-title")
        with Horizontal(id="chart-figures"):
            yield Figure(id="chart-value")
            with Vertical(id="chart-facts"):
                yield Static(id="chart-unit")
                yield Static(id="chart-state")
            yield Figure(id="chart-completion")
            yield Static(id="chart-completion-label")
        yield ChartCanvas(id="chart-canvas")
        yield Static(id="chart-legend")
        yield Static(id="chart-detail")

    _shown: tuple | None = None
    _legend_narrow: bool | None = None

    def on_resize(self) -> None:
        # The legend's samples shorten on a narrow panel: lay it out again when that changes.
        if self._shown is not None and self._legend_narrow not in (None, self._narrow_legend()):
            self.show(*self._shown)

    def _narrow_legend(self) -> bool:
        # Before its first layout the panel has no size yet: it takes 3/5 of the screen.
        return (self.size.width or self.app.size.width * 3 // 5) < NARROW_LEGEND

    def show(self, status: IndicatorStatus | None, points: list[DataPoint], lang: str) -> None:
        """Show this indicator (or a hint when nothing numeric is selected)."""
        self._shown = (status, points, lang)
        title = self.query_one("#chart-title", Static)
        detail = self.query_one("#chart-detail", Static)
        canvas = self.query_one(ChartCanvas)
        numeric = status is not None and status.indicator.kind is IndicatorKind.TARGET
        # Toggling `display` directly: a class change would restyle the whole panel (5 ms).
        for part in ("#chart-canvas", "#chart-legend"):
            self.query_one(part).display = numeric
        # A short screen gives the big figures' rows to the table.
        self.query_one("#chart-figures").display = numeric and not self.screen.has_class("-short")
        detail.display = not numeric
        if status is None:
            title.update(Text(t("ui.no_chart", lang)))
            canvas.data = None
            detail.update("")
            return
        indicator = status.indicator
        title.update(Text(f"{indicator.id}  {indicator_name(indicator, lang)}", style="bold"))
        variables = self.app.theme_variables
        self.query_one("#chart-state", Static).update(state_text(status, lang, variables))
        if not numeric:
            canvas.data = None
            lines = Text()
            if indicator.due:
                lines.append(f"{t('col.due', lang)} {indicator.due.isoformat()}\n", style="bold")
            lines.append_text(state_text(status, lang, variables))
            lines.append("\n")
            if status.evidence:
                lines.append(status.evidence + "\n")
            for item in indicator.checklist:
                lines.append(f"· {item}\n")
            if indicator.source_text:
                lines.append(f"\n{indicator.source_text}", style="italic")
            detail.update(lines)
            return
        unit = indicator_unit(indicator, lang)
        shown = digits_for(status.current)
        if lang == "en" and status.current is not None:
            # English scales the number out of 万 / 亿 units: 760亿元 shows as 76.0 bn yuan.
            number, unit = quantity_parts(status.current, indicator.unit, indicator.unit_en, lang)
            shown = number.replace(",", "") if set(number.replace(",", "")) <= DIGITS_ALPHABET else shown
        self.query_one("#chart-value", Figure).update(shown)
        self.query_one("#chart-completion", Figure).update(
            format_percent(status.completion) if status.completion is not None else "-"
        )
        self.query_one("#chart-completion-label", Static).update(Text(t("col.completion", lang), style="dim"))
        facts = Text(unit, style="bold")
        if status.current_date:
            facts.append(f"  {t('ui.data_as_of', lang, date=status.current_date.isoformat())}", style="dim")
        self.query_one("#chart-unit", Static).update(facts)
        canvas.lang = lang
        canvas.data = chart_data(indicator, points, status.as_of)
        # Two lines, so neither wraps: what each series looks like, then where it stands.
        legend = Text()
        narrow = self._legend_narrow = self._narrow_legend()
        for key, word in legend_items(lang):
            sample = legend_sample(key)
            legend.append((sample[1:] if narrow else sample) + " ", style=variables[f"chart-{key}"])
            legend.append(word + (" " if narrow else "  "))
        legend.rstrip()
        legend.append("\n")
        legend.append(t("ui.expected", lang, value=format_percent(status.expected)), style="bold")
        if status.required_per_month is not None:
            amount = value_with_unit(status.required_per_month, indicator, lang, estimate=True)
            legend.append("   " + t("ui.run_rate", lang, amount=amount))
        # What the axes count in, where the figures above do not say it: the months are
        # numbers in zh, and an English figure scaled out of 亿 / 万 leaves the axis in the plan's unit.
        plan_unit = indicator_unit(indicator, lang)
        if lang != "en":
            legend.append("   " + t("ui.chart_axes", lang), style="dim")
        elif plan_unit and zh_scale(indicator.unit)[0] > 1:
            legend.append("   " + t("ui.chart_axes", lang, unit=plan_unit), style="dim")
        self.query_one("#chart-legend", Static).update(legend)
        detail.update("")
