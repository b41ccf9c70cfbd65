"""Properties of zzreview.analysis that must hold for any plan: monotone completion, monotone
expected-to-date, and lights that never reward a worse gap."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from zzreview.analysis import PRESETS, completion, expected_to_date, indicator_status
from zzreview.domain.model import (
    DataPoint,
    Direction,
    Indicator,
    IndicatorKind,
    Light,
    PhasePoint,
    State,
)

amounts = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
shares = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
directions = st.sampled_from(list(Direction))
presets = st.sampled_from(sorted(PRESETS.values(), key=lambda p: p.name))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
horizon_lengths = st.integers(min_value=0, max_value=800)

LIGHT_SEVERITY = {
    Light.GREEN: State.ON_TRACK.severity,
    Light.YELLOW: State.ATTENTION.severity,
    Light.RED: State.OFF_TRACK.severity,
}


def _indicator(
    target: float,
    baseline: float,
    direction: Direction,
    start: date = date(2024, 7, 1),
    end: date = date(2024, 12, 31),
    phased: tuple[PhasePoint, ...] = (),
) -> Indicator:
    return Indicator(
        id="t",
        measure_id="1.1",
        kind=IndicatorKind.TARGET,
        name="t",
        unit="u",
        target=target,
        baseline=baseline,
        direction=direction,
        horizon_start=start,
        horizon_end=end,
        phased=phased,
    )


@given(amounts, amounts, directions, amounts, amounts)
def test_completion_follows_the_direction_and_is_never_negative(target, baseline, direction, a, b):
    indicator = _indicator(target, baseline, direction)
    low, high = sorted((a, b))
    at_low, at_high = completion(indicator, low), completion(indicator, high)
    assert at_low >= 0 and at_high >= 0
    if direction == Direction.HIGHER:
        assert at_low <= at_high
    else:
        assert at_low >= at_high


@given(presets, shares, st.floats(0.0, 2.0), st.floats(0.0, 2.0))
def test_worse_completion_never_gets_a_better_light(rules, expected, a, b):
    worse, better = sorted((a, b))
    assert LIGHT_SEVERITY[rules.light(worse, expected)] >= LIGHT_SEVERITY[rules.light(better, expected)]


@given(presets, st.integers(0, 183), st.floats(0.0, 99.0), st.floats(0.0, 99.0))
def test_worse_value_never_gets_a_better_state(rules, elapsed, a, b):
    indicator = _indicator(100.0, 0.0, Direction.HIGHER)
    as_of = date(2024, 7, 1) + timedelta(days=elapsed)
    worse, better = sorted((a, b))

    def severity(value: float) -> int:
        point = DataPoint(indicator_id="t", as_of=as_of, value=value)
        return indicator_status(indicator, [point], as_of, rules).state.severity

    assert severity(worse) >= severity(better)


@given(days, horizon_lengths, days, days)
def test_expected_is_monotone_and_bounded(start, length, a, b):
    indicator = _indicator(100.0, 0.0, Direction.HIGHER, start, start + timedelta(days=length))
    early, late = sorted((a, b))
    at_early, at_late = expected_to_date(indicator, early), expected_to_date(indicator, late)
    assert 0.0 <= at_early <= at_late <= 1.0


@given(
    directions,
    st.lists(st.tuples(st.integers(0, 183), st.floats(0.0, 1.0)), max_size=5),
    days,
    days,
)
def test_phased_expected_is_monotone_and_bounded(direction, phases, a, b):
    # A sensible phased plan moves steadily from the baseline towards the target.
    start = date(2024, 7, 1)
    baseline, target = (0.0, 100.0) if direction == Direction.HIGHER else (100.0, 0.0)
    offsets = sorted(offset for offset, _ in phases)
    fractions = sorted(fraction for _, fraction in phases)
    phased = tuple(
        PhasePoint(start + timedelta(days=offset), baseline + (target - baseline) * fraction)
        for offset, fraction in zip(offsets, fractions, strict=True)
    )
    indicator = _indicator(target, baseline, direction, phased=phased)
    early, late = sorted((a, b))
    at_early, at_late = expected_to_date(indicator, early), expected_to_date(indicator, late)
    assert 0.0 <= at_early <= at_late + 1e-12 <= 1.0 + 1e-12
