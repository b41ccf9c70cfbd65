"""Rich `Text` pieces the screens share: status labels in theme colours, values, sparklines.

Plan and user text only ever becomes `Text` (never markup), so `x [/] y` shows literally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text

from zzreview.analysis import IndicatorStatus
from zzreview.domain import DataPoint, State
from zzreview.i18n import format_number, state_word, t
from zzreview.rendering.status import indicator_unit

SPARK = "▁▂▃▄▅▆▇█"


def state_variable(state: State) -> str:
    """The theme variable that colours a state, e.g. `status-off-track`."""
    return "status-" + state.value.replace("_", "-")


def state_style(state: State, variables: Mapping[str, str]) -> Style:
    """The style of a state's label in the current theme."""
    colour = variables.get(state_variable(state))
    return Style(color=colour, bold=state in (State.OFF_TRACK, State.ATTENTION, State.ACHIEVED))


def state_text(state: State, lang: str, variables: Mapping[str, str], *, stale: bool = False) -> Text:
    """Mark and word in the state's colour: never colour alone."""
    word = t("state.stale", lang) if stale else state_word(state.value, lang)
    return Text(f"{state.mark} {word}", style=state_style(state, variables))


def value_text(value: float | None, status: IndicatorStatus, lang: str) -> str:
    """A value with its unit, e.g. "410亿元" / "410 100m yuan"."""
    if value is None:
        return "—"
    unit = indicator_unit(status.indicator, lang)
    return f"{format_number(value, lang)}{'' if lang == 'zh' else ' '}{unit}"


def sparkline(points: Sequence[DataPoint], width: int = 8) -> str:
    """A small trend of the latest values, scaled to their own range."""
    values = [p.value for p in points if p.value is not None][-width:]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK[3] * len(values)
    return "".join(SPARK[round((v - low) / (high - low) * (len(SPARK) - 1))] for v in values)


def plain(text: str, style: str | Style = "") -> Text:
    """Literal text (never parsed as markup)."""
    return Text(text, style=style)
