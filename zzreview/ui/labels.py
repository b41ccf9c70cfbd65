"""Rich `Text` pieces the screens share: status labels in theme colours, values, sparklines.

Plan and user text only ever becomes `Text` (never markup), so `x [/] y` shows literally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import get_character_cell_size
from rich.style import Style
from rich.text import Text

from zzreview.analysis import AreaStatus, IndicatorStatus
from zzreview.domain import DataPoint, State
from zzreview.rendering.names import state_label

SPARK = "▁▂▃▄▅▆▇█"


def state_variable(state: State) -> str:
    """The theme variable that colours a state, e.g. `status-off-track`."""
    return "status-" + state.value.replace("_", "-")


def state_style(state: State, variables: Mapping[str, str]) -> Style:
    """The style of a state's label in the current theme."""
    colour = variables.get(state_variable(state))
    return Style(color=colour, bold=state in (State.OFF_TRACK, State.ATTENTION, State.ACHIEVED))


def state_text(status: IndicatorStatus | AreaStatus, lang: str, variables: Mapping[str, str]) -> Text:
    """Mark and word in the state's colour (never colour alone); a stale value says so."""
    return Text(state_label(status, lang), style=state_style(status.state, variables))


def sparkline(points: Sequence[DataPoint], width: int = 8) -> str:
    """A small trend of the latest values, scaled to their own range."""
    values = [p.value for p in points if p.value is not None][-width:]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK[3] * len(values)
    return "".join(SPARK[round((v - low) / (high - low) * (len(SPARK) - 1))] for v in values)


def labelled(label: str, text: str, *, label_style: str | Style = "bold") -> Text:
    """A label (an id such as `A1`, a bullet) and the user's text after it, as `Text`.

    Textual wraps at spaces only, so after "A1 " a line of Chinese, one long word to it, would
    jump whole to the next line: before wide (CJK) text the label goes without a space.
    """
    line = Text()
    line.append(label, style=label_style)
    if text and get_character_cell_size(text[0]) < 2:
        line.append(" ")
    line.append(text)
    return line
