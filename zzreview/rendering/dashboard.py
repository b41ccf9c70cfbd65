"""The printed dashboard of `zzreview status`: its lines and tables, printed without Rich's
Console and Table where `rendering.terminal` lays them out as Rich would, with Rich otherwise.

User and plan text reaches Rich only as `Text`, never as markup. Kept apart from the data
functions so that `--format json` and `csv` never import any of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from zzreview.analysis import AreaStatus, IndicatorStatus, PlanStatus
from zzreview.domain import IndicatorKind, State
from zzreview.i18n import format_percent, format_points, t
from zzreview.rendering.names import (
    area_title,
    indicator_name,
    plan_title,
    state_label,
    value_with_unit,
)
from zzreview.rendering.terminal import Column, Styled

if TYPE_CHECKING:
    from rich.console import RenderableType

STATE_STYLES: dict[State, str] = {
    State.ACHIEVED: "bold green",
    State.ON_TRACK: "green",
    State.ATTENTION: "bold yellow",
    State.OFF_TRACK: "bold red",
    State.NOT_STARTED: "dim",
    State.NO_DATA: "magenta",
}


class Line(NamedTuple):
    """A paragraph: (text, style) pieces over a base style (Rich's `Text.assemble`)."""

    pieces: tuple[tuple[str, str], ...]
    style: str = ""


class Grid(NamedTuple):
    """A table: its columns, and rows of (text, style) cells."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[tuple[str, str], ...], ...]


Part = Line | Grid

# Names and quantities wrap on a narrow terminal; percentages and marks never do.
_TARGET_COLUMNS = (
    ("col.indicator", "left", True, 10),
    ("col.target", "right", True, 8),
    ("col.current", "right", True, 8),
    ("col.completion", "right", False, 4),
    ("col.expected", "right", False, 4),
    ("col.gap_pp", "right", False, 4),
    ("col.status", "left", True, 6),
)


def _label(status: IndicatorStatus | AreaStatus, lang: str) -> tuple[str, str]:
    return state_label(status, lang), STATE_STYLES[status.state]


def dashboard_parts(plan_status: PlanStatus, lang: str, notice: str = "") -> list[Part]:
    """The dashboard, part by part: per area its light, and every indicator's figures and mark."""
    plan = plan_status.plan
    title = t("status.title", lang, plan=plan_title(plan, lang), as_of=plan_status.as_of.isoformat())
    parts: list[Part] = [Line(((title, ""),), style="bold")]
    if notice:
        parts.append(Line(((f"⚠ {notice}", ""),), style="bold yellow"))
    for area in plan_status.areas:
        parts.append(Line(()))
        area_heading = t("status.area", lang, number=area.area.number, title=area_title(area.area, lang))
        parts.append(Line((_label(area, lang), ("  ", ""), (area_heading, "bold"))))
        targets = [s for s in area.statuses if s.indicator.kind is IndicatorKind.TARGET]
        if targets:
            columns = tuple(
                Column(t(key, lang), justify=justify, no_wrap=not wraps, min_width=least)
                for key, justify, wraps, least in _TARGET_COLUMNS
            )
            rows = []
            for status in targets:
                ind = status.indicator
                horizon = t(f"horizon.{ind.horizon.value}", lang)
                rows.append(
                    (
                        (f"{ind.id} {indicator_name(ind, lang)}", ""),
                        (f"{value_with_unit(ind.target, ind, lang)} ({horizon})", ""),
                        (value_with_unit(status.current, ind, lang), ""),
                        (format_percent(status.completion), ""),
                        (format_percent(status.expected), ""),
                        (format_points(status.gap, lang, short=True), ""),
                        _label(status, lang),
                    )
                )
            parts.append(Grid(columns, tuple(rows)))
        for status in area.statuses:
            if status.indicator.kind is IndicatorKind.TARGET:
                continue
            ind = status.indicator
            pieces = [("  ", ""), _label(status, lang), (f"  {ind.id} {indicator_name(ind, lang)}", "")]
            if ind.due:
                pieces.append((f"  ({t('col.due', lang)} {ind.due.isoformat()})", "dim"))
            if status.evidence:
                pieces.append(("\n      " + status.evidence.replace("\n", "\n      "), "dim"))
            parts.append(Line(tuple(pieces)))
    return parts


def render_dashboard(plan_status: PlanStatus, lang: str, notice: str = "") -> RenderableType:
    """The dashboard as a Rich renderable."""
    return _rich(dashboard_parts(plan_status, lang, notice))


def _rich(parts: Sequence[Part]) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    renderables: list[RenderableType] = []
    for part in parts:
        if isinstance(part, Line):
            renderables.append(Text.assemble(*part.pieces, style=part.style))
            continue
        table = Table(show_edge=False, pad_edge=False, expand=False)
        for column in part.columns:
            table.add_column(
                column.header, justify=column.justify, no_wrap=column.no_wrap, min_width=column.min_width
            )  # type: ignore[arg-type]
        for row in part.rows:
            table.add_row(*(Text(text, style=style) for text, style in row))
        renderables.append(table)
    return Group(*renderables)


def dashboard_lines(parts: Sequence[Part], width: int) -> list[Styled]:
    """The dashboard's lines in `width` cells, as Rich would print them; Unsupported for
    anything `rendering.terminal` leaves to Rich."""
    from zzreview.rendering.terminal import paragraph_lines, styled, table_lines

    lines: list[Styled] = []
    for part in parts:
        if isinstance(part, Line):
            lines += paragraph_lines(styled(part.pieces, part.style), width)
        else:
            rows = [[styled([(text, "")], style) for text, style in row] for row in part.rows]
            lines += table_lines(part.columns, rows, width)
    return lines


def print_dashboard(plan_status: PlanStatus, lang: str, notice: str = "") -> None:
    """Print the dashboard to standard output, as Rich's Console(highlight=False) prints it."""
    from zzreview.rendering.terminal import Unsupported, terminal_of, write

    parts = dashboard_parts(plan_status, lang, notice)
    try:
        terminal = terminal_of()
        lines = dashboard_lines(parts, terminal.width)
    except Unsupported:
        from rich.console import Console

        from zzreview.rendering.kinsoku import install_in_rich

        install_in_rich()  # the same line breaks as the table's own layout
        Console(highlight=False).print(_rich(parts))
        return
    write(lines, terminal)
