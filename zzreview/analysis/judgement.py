"""The chair's judgement beside the computed light: when the two disagree.

One rule for the area screen and the minutes: a measure's computed state is the weakest of
its indicators that are findings (an unassessed qualitative indicator is not one), and a
judgement differs only from a light that says something — grey (no data, not started)
never disagrees with anybody.
"""

from __future__ import annotations

from collections.abc import Sequence

from zzreview.analysis.status import IndicatorStatus, weakest_state
from zzreview.domain import Judgement, Light, State, Verdict

VERDICT_STATES: dict[Verdict, State] = {
    Verdict.ON_TRACK: State.ON_TRACK,
    Verdict.AT_RISK: State.ATTENTION,
    Verdict.OFF_TRACK: State.OFF_TRACK,
}
"""The state whose mark, word and colour show a verdict."""


def measure_state(statuses: Sequence[IndicatorStatus], measure_id: str) -> State:
    """The computed state of one measure: the weakest finding among its indicators."""
    return weakest_state([s for s in statuses if s.indicator.measure_id == measure_id])


def judgement_differs(judgement: Judgement, statuses: Sequence[IndicatorStatus]) -> bool:
    """True when the chair's verdict and the measure's computed light disagree."""
    light = measure_state(statuses, judgement.measure_id).light
    return light is not Light.GREY and light is not VERDICT_STATES[judgement.verdict].light
