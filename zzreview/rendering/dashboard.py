"""The printed dashboard of `zzreview status`, with Rich.

User and plan text reaches Rich only as `Text`, never as markup. Kept apart from the data
functions so that `--format json` and `csv` never import Rich's rendering.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

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

STATE_STYLES: dict[State, str] = {
    State.ACHIEVED: "bold green",
    State.ON_TRACK: "green",
    State.ATTENTION: "bold yellow",
    State.OFF_TRACK: "bold red",
    State.NOT_STARTED: "dim",
    State.NO_DATA: "magenta",
}


def _styled(status: IndicatorStatus | AreaStatus, lang: str) -> Text:
    return Text(state_label(status, lang), style=STATE_STYLES[status.state])


def render_dashboard(plan_status: PlanStatus, lang: str, notice: str = "") -> RenderableType:
    """The printed dashboard: per area its light, and every indicator's figures and mark."""
    plan = plan_status.plan
    parts: list[RenderableType] = [
        Text(
            t("status.title", lang, plan=plan_title(plan, lang), as_of=plan_status.as_of.isoformat()),
            style="bold",
        )
    ]
    if notice:
        parts.append(Text(f"⚠ {notice}", style="bold yellow"))
    for area in plan_status.areas:
        parts.append(Text(""))
        heading = Text.assemble(
            _styled(area, lang),
            "  ",
            Text(
                t("status.area", lang, number=area.area.number, title=area_title(area.area, lang)),
                style="bold",
            ),
        )
        parts.append(heading)
        targets = [s for s in area.statuses if s.indicator.kind is IndicatorKind.TARGET]
        if targets:
            table = Table(show_edge=False, pad_edge=False, expand=False)
            # Names and quantities wrap on a narrow terminal; percentages and marks never do.
            for key, justify, wraps, least in (
                ("col.indicator", "left", True, 10),
                ("col.target", "right", True, 8),
                ("col.current", "right", True, 8),
                ("col.completion", "right", False, 4),
                ("col.expected", "right", False, 4),
                ("col.gap_pp", "right", False, 4),
                ("col.status", "left", True, 6),
            ):
                table.add_column(t(key, lang), justify=justify, no_wrap=not wraps, min_width=least)
            for status in targets:
                ind = status.indicator
                horizon = t(f"horizon.{ind.horizon.value}", lang)
                table.add_row(
                    Text(f"{ind.id} {indicator_name(ind, lang)}"),
                    Text(f"{value_with_unit(ind.target, ind, lang)} ({horizon})"),
                    Text(value_with_unit(status.current, ind, lang)),
                    Text(format_percent(status.completion)),
                    Text(format_percent(status.expected)),
                    Text(format_points(status.gap, lang, short=True)),
                    _styled(status, lang),
                )
            parts.append(table)
        others = [s for s in area.statuses if s.indicator.kind is not IndicatorKind.TARGET]
        for status in others:
            ind = status.indicator
            line = Text("  ")
            line.append_text(_styled(status, lang))
            line.append(f"  {ind.id} {indicator_name(ind, lang)}")
            if ind.due:
                line.append(f"  ({t('col.due', lang)} {ind.due.isoformat()})", style="dim")
            if status.evidence:
                line.append("\n      " + status.evidence.replace("\n", "\n      "), style="dim")
            parts.append(line)
    return Group(*parts)
