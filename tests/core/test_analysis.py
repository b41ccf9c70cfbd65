"""Rules, status, forecast and ranking in zzreview.analysis, against hand-computed values."""

from __future__ import annotations

from datetime import date

import pytest

from zzreview.analysis import (
    DEFAULT_PRESET,
    PRESETS,
    AreaRank,
    RulePreset,
    area_status,
    completion,
    expected_to_date,
    forecast_at_end,
    indicator_status,
    months_late,
    plan_status,
    preset,
    rank_areas,
    rank_changes,
    rank_lead_units,
    required_per_month,
)
from zzreview.domain.model import (
    Accumulation,
    DataPoint,
    Direction,
    FocusArea,
    Indicator,
    IndicatorKind,
    Light,
    Measure,
    MilestoneState,
    PhasePoint,
    Plan,
    State,
)

H2_START, H2_END = date(2024, 7, 1), date(2024, 12, 31)
YEAR_START, YEAR_END = date(2024, 1, 1), date(2024, 12, 31)
# A ten-day horizon: at the end of its fifth day exactly half is expected.
TEN_START, TEN_END, TEN_HALF = date(2024, 1, 1), date(2024, 1, 10), date(2024, 1, 5)
MEETING = date(2024, 10, 31)
SANYA = PRESETS["sanya"]


def target(
    ind_id: str = "t",
    *,
    target: float = 100.0,
    baseline: float = 0.0,
    direction: Direction = Direction.HIGHER,
    start: date = H2_START,
    end: date = H2_END,
    accumulation: Accumulation = Accumulation.CUMULATIVE,
    phased: tuple[PhasePoint, ...] = (),
    measure_id: str = "1.1",
) -> Indicator:
    return Indicator(
        id=ind_id,
        measure_id=measure_id,
        kind=IndicatorKind.TARGET,
        name=ind_id,
        unit="u",
        target=target,
        baseline=baseline,
        direction=direction,
        horizon_start=start,
        horizon_end=end,
        accumulation=accumulation,
        phased=phased,
    )


def milestone(ind_id: str = "m", *, due: date = date(2024, 12, 31)) -> Indicator:
    return Indicator(id=ind_id, measure_id="1.1", kind=IndicatorKind.MILESTONE, name=ind_id, due=due)


def qualitative(ind_id: str = "q") -> Indicator:
    return Indicator(
        id=ind_id, measure_id="1.1", kind=IndicatorKind.QUALITATIVE, name=ind_id, checklist=("a",)
    )


def val(on: date, value: float, ind_id: str = "t", evidence: str = "") -> DataPoint:
    return DataPoint(indicator_id=ind_id, as_of=on, value=value, evidence=evidence)


def said(on: date, state: str, ind_id: str = "m", evidence: str = "") -> DataPoint:
    return DataPoint(indicator_id=ind_id, as_of=on, state=state, evidence=evidence)


def status_at(indicator: Indicator, points: list[DataPoint], as_of: date, **kwargs):
    return indicator_status(indicator, points, as_of, **kwargs)


# --- rules -------------------------------------------------------------------------------


def test_presets_and_lookup():
    assert DEFAULT_PRESET == "yinchuan"
    assert preset("yinchuan") == RulePreset("yinchuan", "points", -30.0)
    assert preset("sanya").basis == "ratio"
    assert preset("sanya").red_below == 0.5
    assert PRESETS["yinchuan"].stale_after_days_per_cadence_month == 31
    assert PRESETS["yinchuan"].milestone_red_months == 3


def test_unknown_preset_names_the_valid_ones():
    with pytest.raises(ValueError, match="sanya, yinchuan"):
        preset("haikou")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"basis": "points", "red_below": 10.0},
        {"basis": "ratio", "red_below": 1.5},
        {"basis": "percent", "red_below": -30.0},
        {"basis": "points", "red_below": -30.0, "milestone_red_months": 0},
    ],
)
def test_nonsense_preset_is_refused(kwargs):
    with pytest.raises(ValueError):
        RulePreset("x", **kwargs)


@pytest.mark.parametrize(
    ("value", "state", "reason"),
    [
        (60.0, State.ON_TRACK, "ahead"),
        (50.0, State.ON_TRACK, "ahead"),  # gap exactly 0
        (49.9, State.ATTENTION, "behind"),
        (20.0, State.ATTENTION, "behind"),  # gap exactly -30
        (19.9, State.OFF_TRACK, "far_behind"),  # just below -30
        (0.0, State.OFF_TRACK, "far_behind"),
    ],
)
def test_yinchuan_boundaries(value, state, reason):
    indicator = target(start=TEN_START, end=TEN_END)
    status = status_at(indicator, [val(TEN_HALF, value)], TEN_HALF)
    assert status.expected == 0.5
    assert (status.state, status.reason) == (state, reason)


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (50.0, State.ON_TRACK),  # ratio exactly 1
        (49.9, State.ATTENTION),
        (30.0, State.ATTENTION),  # gap -20
        (25.0, State.ATTENTION),  # ratio exactly 0.5
        (24.9, State.OFF_TRACK),  # just below 0.5
        (20.0, State.OFF_TRACK),  # gap -30: yellow under Yinchuan, red under Sanya
    ],
)
def test_sanya_boundaries(value, state):
    indicator = target(start=TEN_START, end=TEN_END)
    assert status_at(indicator, [val(TEN_HALF, value)], TEN_HALF, rules=SANYA).state == state


def test_rule_lights_directly():
    yinchuan = PRESETS["yinchuan"]
    assert yinchuan.light(0.2, 0.5) == Light.YELLOW  # -30 despite float rounding
    assert yinchuan.light(0.19, 0.5) == Light.RED
    assert SANYA.light(0.0, 0.0) == Light.GREEN  # nothing expected yet
    assert SANYA.light(0.3, 0.6) == Light.YELLOW  # ratio 0.5 despite float rounding


# --- completion ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [(50.0, 0.5), (0.0, 0.0), (-10.0, 0.0), (100.0, 1.0), (120.0, 1.2)]
)
def test_completion_higher_is_better(value, expected):
    assert completion(target(target=100.0), value) == pytest.approx(expected)


def test_completion_with_a_baseline():
    assert completion(target(target=120.0, baseline=20.0), 70.0) == pytest.approx(0.5)
    assert completion(target(target=120.0, baseline=20.0), 10.0) == 0.0


@pytest.mark.parametrize(("value", "expected"), [(7.0, 0.5), (8.0, 0.0), (9.0, 0.0), (5.0, 1.5)])
def test_completion_lower_is_better(value, expected):
    rate = target(target=6.0, baseline=8.0, direction=Direction.LOWER)
    assert completion(rate, value) == pytest.approx(expected)


def test_completion_target_equals_baseline():
    hold = target(target=5.0, baseline=5.0)
    assert completion(hold, 5.0) == 1.0
    assert completion(hold, 5.1) == 1.0
    assert completion(hold, 4.9) == 0.0
    cap = target(target=5.0, baseline=5.0, direction=Direction.LOWER)
    assert completion(cap, 4.9) == 1.0
    assert completion(cap, 5.1) == 0.0


def test_completion_ceiling_above_baseline():
    # "<=" with the target above the baseline: a ceiling to stay under, not a climb.
    ceiling = target(target=5.5, baseline=5.2, direction=Direction.LOWER)
    assert completion(ceiling, 5.4) == 1.0
    assert completion(ceiling, 5.5) == 1.0
    assert completion(ceiling, 5.6) == 0.0


def test_completion_needs_a_target():
    with pytest.raises(ValueError, match="no target"):
        completion(qualitative(), 1.0)


# --- expected to date ------------------------------------------------------------------


def test_expected_h2_and_full_year_at_meeting():
    assert expected_to_date(target(), MEETING) == 123 / 184
    assert expected_to_date(target(), MEETING) == pytest.approx(0.668, abs=5e-4)
    full_year = target(start=YEAR_START, end=YEAR_END)
    assert expected_to_date(full_year, MEETING) == 305 / 366
    assert expected_to_date(full_year, MEETING) == pytest.approx(0.833, abs=5e-4)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 6, 30), 0.0),
        (date(2024, 7, 1), 1 / 184),
        (date(2024, 12, 30), 183 / 184),
        (date(2024, 12, 31), 1.0),
        (date(2025, 3, 1), 1.0),
    ],
)
def test_expected_edges(as_of, expected):
    assert expected_to_date(target(), as_of) == pytest.approx(expected)


PHASED = (PhasePoint(date(2024, 9, 30), 600.0),)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 6, 1), 0.0),
        (date(2024, 8, 15), 0.3),  # day 46 of 92 towards 600
        (date(2024, 9, 30), 0.6),
        (date(2024, 11, 15), 0.8),  # day 46 of 92 from 600 towards 1000
        (date(2024, 12, 31), 1.0),
        (date(2025, 1, 31), 1.0),
    ],
)
def test_expected_phased(as_of, expected):
    indicator = target(target=1000.0, phased=PHASED)
    assert expected_to_date(indicator, as_of) == pytest.approx(expected)


def test_expected_phased_lower_is_better():
    rate = target(
        target=6.0,
        baseline=8.0,
        direction=Direction.LOWER,
        phased=(PhasePoint(date(2024, 9, 30), 7.0),),
    )
    assert expected_to_date(rate, date(2024, 9, 30)) == pytest.approx(0.5)


def test_expected_phased_points_in_any_order():
    points = (PhasePoint(date(2024, 11, 30), 900.0), PhasePoint(date(2024, 8, 31), 300.0))
    indicator = target(target=1000.0, phased=points)
    assert expected_to_date(indicator, date(2024, 8, 31)) == pytest.approx(0.3)
    assert expected_to_date(indicator, date(2024, 11, 30)) == pytest.approx(0.9)


def test_expected_phased_is_whole_by_the_last_day():
    short = target(target=1000.0, phased=(PhasePoint(H2_END, 900.0),))
    assert expected_to_date(short, date(2024, 12, 30)) < 0.9
    assert expected_to_date(short, H2_END) == 1.0


def test_expected_needs_a_horizon():
    loose = Indicator(id="x", measure_id="1.1", kind=IndicatorKind.TARGET, name="x", target=1.0)
    with pytest.raises(ValueError, match="horizon"):
        expected_to_date(loose, MEETING)


# --- target status ---------------------------------------------------------------------


def test_no_data():
    status = status_at(target(), [], MEETING)
    assert (status.state, status.reason) == (State.NO_DATA, "no_data")
    assert status.current is None and status.gap is None and status.forecast is None
    assert status.expected == 123 / 184
    assert status.mark == "◌" and status.light == Light.GREY


def test_points_after_as_of_are_ignored():
    status = status_at(target(), [val(date(2024, 11, 30), 90.0)], MEETING)
    assert status.reason == "no_data"


def test_latest_value_is_current_whatever_the_order():
    points = [val(date(2024, 10, 31), 70.0), val(date(2024, 8, 31), 20.0), val(MEETING, 72.0)]
    status = status_at(target(), points, MEETING)
    assert status.current == 72.0  # same date: the one given last
    assert status.current_date == MEETING


def test_gap_in_points():
    status = status_at(target(), [val(MEETING, 50.0, evidence="统计局月报")], MEETING)
    assert status.completion == 0.5
    assert status.gap == pytest.approx((0.5 - 123 / 184) * 100)
    assert status.gap == pytest.approx(-16.85, abs=0.01)
    assert (status.state, status.reason) == (State.ATTENTION, "behind")
    assert status.mark == "▲" and status.light == Light.YELLOW
    assert status.evidence == "统计局月报"
    assert not status.stale


def test_target_reached_early_is_achieved():
    status = status_at(target(), [val(date(2024, 7, 10), 100.0)], date(2024, 7, 15))
    assert status.expected < 0.1
    assert (status.state, status.reason) == (State.ACHIEVED, "achieved")
    assert status.mark == "✓"
    assert status.required_per_month is None


def test_lower_is_better_status():
    rate = target(target=6.0, baseline=8.0, direction=Direction.LOWER)
    status = status_at(rate, [val(MEETING, 7.0)], MEETING)
    assert status.completion == pytest.approx(0.5)
    assert status.state == State.ATTENTION
    assert status_at(rate, [val(MEETING, 5.9)], MEETING).state == State.ACHIEVED


def test_zero_baseline_with_zero_value():
    status = status_at(target(), [val(MEETING, 0.0)], MEETING)
    assert status.completion == 0.0
    assert status.state == State.OFF_TRACK


def test_stale_after_the_cadence():
    reported = date(2024, 9, 30)
    fresh = status_at(target(), [val(reported, 70.0)], date(2024, 10, 31))  # 31 days
    assert not fresh.stale and fresh.reason == "ahead"
    stale = status_at(target(), [val(reported, 70.0)], date(2024, 11, 1))  # 32 days
    assert stale.stale
    assert (stale.state, stale.reason) == (State.NO_DATA, "stale")
    assert stale.current == 70.0 and stale.completion == 0.7
    assert stale.gap == pytest.approx((0.7 - 124 / 184) * 100)


def test_stale_scales_with_cadence():
    status = status_at(target(), [val(date(2024, 9, 30), 60.0)], date(2024, 11, 30), cadence_months=2)
    assert not status.stale  # 61 days under a two-month cadence
    with pytest.raises(ValueError):
        status_at(target(), [], MEETING, cadence_months=0)


def test_achieved_beats_stale():
    status = status_at(target(), [val(date(2024, 8, 1), 100.0)], MEETING)
    assert status.state == State.ACHIEVED and status.stale


def test_horizon_not_started():
    as_of = date(2024, 6, 20)
    status = status_at(target(), [], as_of)
    assert (status.state, status.reason) == (State.NOT_STARTED, "horizon_not_started")
    assert status.expected == 0.0
    with_value = status_at(target(), [val(date(2024, 6, 15), 5.0)], as_of)
    assert with_value.state == State.NOT_STARTED and with_value.current == 5.0


def test_horizon_over_expects_everything():
    after = date(2025, 1, 15)
    status = status_at(target(), [val(H2_END, 80.0)], after)
    assert status.expected == 1.0
    assert status.gap == pytest.approx(-20.0)
    assert status.state == State.ATTENTION
    assert status.required_per_month is None
    assert status_at(target(), [val(H2_END, 60.0)], after).state == State.OFF_TRACK


def test_phased_status_uses_the_plan():
    indicator = target(target=1000.0, phased=PHASED)
    status = status_at(indicator, [val(date(2024, 9, 30), 600.0)], date(2024, 9, 30))
    assert status.expected == pytest.approx(0.6)
    assert status.gap == pytest.approx(0.0)
    assert status.state == State.ON_TRACK


# --- run-rate and forecast -------------------------------------------------------------


def test_required_per_month_higher():
    indicator = target(target=1000.0)
    status = status_at(indicator, [val(MEETING, 600.0)], MEETING)
    # 61 days left = 61 / 30.4375 months; 400 still needed.
    assert status.required_per_month == pytest.approx(400 * 30.4375 / 61)
    assert status.required_per_month == pytest.approx(199.59, abs=0.01)


def test_required_per_month_lower_is_a_positive_reduction():
    rate = target(target=6.0, baseline=8.0, direction=Direction.LOWER)
    assert required_per_month(rate, 7.0, MEETING) == pytest.approx(30.4375 / 61)


def test_required_per_month_level_indicator():
    level = target(target=60.0, baseline=50.0, accumulation=Accumulation.LEVEL)
    assert required_per_month(level, 54.0, MEETING) == pytest.approx(6 * 30.4375 / 61)


def test_required_per_month_none_when_met_over_or_unknown():
    indicator = target(target=1000.0)
    assert required_per_month(indicator, 1000.0, MEETING) is None
    assert required_per_month(indicator, 500.0, H2_END) is None
    assert required_per_month(indicator, 500.0, date(2025, 1, 2)) is None
    assert required_per_month(indicator, None, MEETING) is None


def test_forecast_least_squares_over_last_three():
    indicator = target(target=1000.0)
    points = [
        val(date(2024, 8, 1), 999.0),  # older than the last three: ignored
        val(date(2024, 10, 1), 100.0),
        val(date(2024, 10, 11), 250.0),
        val(date(2024, 10, 21), 300.0),
    ]
    # x = 0, 10, 20; mean y = 650/3; slope = (-10*(100-m) + 10*(300-m)) / 200 = 10 per day.
    # From 300 on 21 Oct, 71 days to 31 Dec: 300 + 710.
    status = status_at(indicator, points, MEETING)
    assert status.forecast == pytest.approx(1010.0)
    assert status.forecast_completion == pytest.approx(1.01)


def test_forecast_from_a_single_point_uses_the_pace_since_the_start():
    indicator = target(target=1000.0)
    # 1 Jul to 31 Aug is 62 days: 5 per day; 122 days left to 31 Dec.
    assert forecast_at_end(indicator, [val(date(2024, 8, 31), 310.0)], MEETING) == 920.0


def test_forecast_lower_is_better():
    rate = target(target=6.0, baseline=8.0, direction=Direction.LOWER)
    points = [val(date(2024, 10, 11), 7.5), val(date(2024, 10, 21), 7.4)]
    forecast = forecast_at_end(rate, points, MEETING)
    assert forecast == pytest.approx(7.4 - 0.01 * 71)
    status = status_at(rate, points, MEETING)
    assert status.forecast_completion == pytest.approx((8.0 - forecast) / 2.0)


def test_forecast_none_without_values():
    assert forecast_at_end(target(), [], MEETING) is None


# --- milestones ------------------------------------------------------------------------


def test_milestone_done():
    status = status_at(milestone(), [said(date(2024, 9, 1), "done", evidence="已通车")], MEETING)
    assert (status.state, status.reason) == (State.ACHIEVED, "milestone_done")
    assert status.milestone_state == MilestoneState.DONE
    assert status.evidence == "已通车"


def test_milestone_on_plan():
    not_started = status_at(milestone(), [], MEETING)
    assert (not_started.state, not_started.reason) == (State.NOT_STARTED, "milestone_on_plan")
    assert not_started.milestone_state == MilestoneState.NOT_STARTED
    in_progress = status_at(milestone(), [said(date(2024, 10, 1), "in_progress")], MEETING)
    assert (in_progress.state, in_progress.reason) == (State.ON_TRACK, "milestone_on_plan")
    assert in_progress.current_date == date(2024, 10, 1)


def test_milestone_slipped_before_due():
    status = status_at(milestone(), [said(date(2024, 10, 1), "slipped")], MEETING)
    assert (status.state, status.reason) == (State.ATTENTION, "milestone_slipped")


@pytest.mark.parametrize(
    ("as_of", "state", "reason"),
    [
        (date(2024, 12, 31), State.ON_TRACK, "milestone_on_plan"),  # due today
        (date(2025, 1, 15), State.ATTENTION, "milestone_late"),  # 1 month late
        (date(2025, 2, 28), State.ATTENTION, "milestone_late"),  # 2 months late
        (date(2025, 3, 1), State.OFF_TRACK, "milestone_very_late"),  # 3 months late
    ],
)
def test_milestone_lateness(as_of, state, reason):
    status = status_at(milestone(), [said(date(2024, 10, 1), "in_progress")], as_of)
    assert (status.state, status.reason) == (state, reason)


def test_milestone_done_late_is_still_done():
    points = [said(date(2025, 4, 1), "done")]
    assert status_at(milestone(), points, date(2025, 5, 1)).state == State.ACHIEVED


def test_milestone_red_months_comes_from_the_preset():
    strict = RulePreset("strict", "points", -30.0, milestone_red_months=2)
    status = status_at(milestone(), [], date(2025, 2, 1), rules=strict)
    assert status.state == State.OFF_TRACK


def test_milestone_evidence_only_update_keeps_the_state():
    points = [
        said(date(2024, 9, 1), "in_progress"),
        said(date(2024, 10, 1), "", evidence="主体完工"),
        said(date(2024, 11, 15), "done"),  # after the meeting
    ]
    status = status_at(milestone(), points, MEETING)
    assert status.milestone_state == MilestoneState.IN_PROGRESS
    assert status.evidence == "主体完工"


def test_months_late():
    assert months_late(date(2024, 12, 31), date(2025, 1, 15)) == 1
    assert months_late(date(2024, 12, 31), date(2025, 3, 31)) == 3
    assert months_late(date(2024, 12, 31), date(2024, 11, 30)) == -1


# --- qualitative -----------------------------------------------------------------------


def test_qualitative_assessed():
    points = [
        said(date(2024, 9, 1), "on_track", "q", evidence="old"),
        said(date(2024, 10, 20), "attention", "q", evidence="联席会议尚未召开"),
    ]
    status = status_at(qualitative(), points, MEETING)
    assert (status.state, status.reason) == (State.ATTENTION, "assessed")
    assert status.evidence == "联席会议尚未召开"
    assert status.completion is None and status.gap is None


def test_qualitative_not_assessed():
    points = [said(date(2024, 10, 1), "", "q", evidence="材料已报送"), said(MEETING, "bogus", "q")]
    status = status_at(qualitative(), points, MEETING)
    assert (status.state, status.reason) == (State.NO_DATA, "not_assessed")
    assert status.evidence == "材料已报送"


# --- areas and the plan ----------------------------------------------------------------


def _statuses(*pairs):
    return [status_at(indicator, points, MEETING) for indicator, points in pairs]


def _area(number: int = 1, *indicators: Indicator, lead_units=()) -> FocusArea:
    measure = Measure(
        id=f"{number}.1",
        area_number=number,
        title=f"measure {number}",
        text="",
        lead_units=lead_units,
        indicators=indicators,
    )
    return FocusArea(number=number, title=f"area {number}", measures=(measure,))


def test_area_takes_the_weakest_state():
    on_track, late = target("a"), milestone("b", due=date(2024, 7, 31))
    statuses = _statuses((on_track, [val(MEETING, 90.0, "a")]), (late, []))
    area = area_status(_area(1, on_track, late), statuses)
    assert statuses[1].state == State.OFF_TRACK  # three months after July
    assert area.state == State.OFF_TRACK
    assert area.counts[State.ON_TRACK] == 1 and area.counts[State.OFF_TRACK] == 1
    assert area.counts[State.ACHIEVED] == 0
    assert sum(area.counts.values()) == 2


def test_unassessed_qualitative_does_not_drag_the_area_down():
    good, unknown = target("a"), qualitative("q")
    statuses = _statuses((good, [val(MEETING, 90.0, "a")]), (unknown, []))
    area = area_status(_area(1, good, unknown), statuses)
    assert area.state == State.ON_TRACK
    assert area.counts[State.NO_DATA] == 1


def test_assessed_qualitative_counts():
    good, judged = target("a"), qualitative("q")
    statuses = _statuses((good, [val(MEETING, 90.0, "a")]), (judged, [said(MEETING, "off_track", "q")]))
    assert area_status(_area(1, good, judged), statuses).state == State.OFF_TRACK


def test_area_with_nothing_to_judge():
    only_text = qualitative("q")
    assert area_status(_area(1, only_text), _statuses((only_text, []))).state == State.NO_DATA
    assert area_status(_area(1), []).state == State.NO_DATA


def test_area_mean_gap_and_behind():
    a, b, c = target("a"), target("b"), target("c")
    statuses = _statuses((a, [val(MEETING, 50.0, "a")]), (b, [val(MEETING, 30.0, "b")]), (c, []))
    area = area_status(_area(1, a, b, c), statuses)
    expected = 123 / 184
    assert area.mean_gap == pytest.approx(((0.5 - expected) + (0.3 - expected)) * 50)
    assert [s.indicator.id for s in area.behind] == ["b", "a", "c"]
    assert [s.indicator.id for s in area.statuses] == ["a", "b", "c"]


def _plan(cadence_months: int = 1) -> Plan:
    return Plan(
        id="p",
        title="plan",
        start=H2_START,
        end=H2_END,
        cadence_months=cadence_months,
        areas=(
            _area(1, target("1a", measure_id="1.1"), lead_units=("发改委", "科技局")),
            _area(2, target("2a", measure_id="2.1"), milestone("2m"), lead_units=("科技局",)),
            _area(3, qualitative("3q"), lead_units=("文旅局",)),
            _area(4, target("4a", measure_id="4.1"), lead_units=("商务局",)),
        ),
    )


POINTS = {
    "1a": [val(MEETING, 80.0, "1a")],  # gap ≈ +13.15
    "2a": [val(MEETING, 40.0, "2a")],  # gap ≈ -26.85
    "2m": [said(date(2024, 10, 1), "in_progress", "2m")],
    "4a": [val(MEETING, 10.0, "4a")],  # gap ≈ -56.85
}


def test_plan_status():
    status = plan_status(_plan(), POINTS, MEETING)
    assert status.as_of == MEETING and status.rules == PRESETS[DEFAULT_PRESET]
    assert [a.state for a in status.areas] == [
        State.ON_TRACK,
        State.ATTENTION,
        State.NO_DATA,
        State.OFF_TRACK,
    ]
    assert status.indicator("2m").milestone_state == MilestoneState.IN_PROGRESS
    assert status.area(4).area.title == "area 4"
    assert [s.indicator.id for s in status.most_behind(2)] == ["4a", "2a"]
    assert [s.indicator.id for s in status.most_behind(10)] == ["4a", "2a", "1a"]
    with pytest.raises(KeyError):
        status.indicator("nope")
    with pytest.raises(KeyError):
        status.area(11)


def test_plan_status_uses_the_plan_cadence():
    points = {"1a": [val(date(2024, 9, 1), 60.0, "1a")]}  # 60 days old
    assert plan_status(_plan(1), points, MEETING).indicator("1a").stale
    assert not plan_status(_plan(2), points, MEETING).indicator("1a").stale


def test_plan_status_with_sanya_rules():
    status = plan_status(_plan(), POINTS, MEETING, rules=SANYA)
    assert status.area(2).state == State.ATTENTION  # ratio 0.4 / 0.668 ≈ 0.60


# --- ranking ---------------------------------------------------------------------------


def test_rank_areas():
    ranks = rank_areas(plan_status(_plan(), POINTS, MEETING))
    assert [(r.area_number, r.rank) for r in ranks] == [(1, 1), (2, 2), (4, 3), (3, None)]
    assert ranks[3].mean_gap is None and ranks[3].state == State.NO_DATA
    assert ranks[0].title == "area 1"


def test_rank_areas_ties_keep_plan_order():
    tied = {"1a": [val(MEETING, 50.0, "1a")], "4a": [val(MEETING, 50.0, "4a")]}
    ranks = rank_areas(plan_status(_plan(), tied, MEETING))
    assert [r.area_number for r in ranks] == [1, 4, 2, 3]


def test_rank_changes():
    before = [AreaRank(4, "d", 1, 5.0, State.ON_TRACK), AreaRank(1, "a", 2, 0.0, State.ON_TRACK)]
    now = rank_areas(plan_status(_plan(), POINTS, MEETING))
    assert rank_changes(now, before) == {1: 1, 2: None, 4: -2, 3: None}


def test_an_area_without_a_gap_has_no_rank_and_no_rank_change() -> None:
    """Unranked now, or unranked then: no place and no move is claimed for it."""
    before = [AreaRank(3, "c", 1, 5.0, State.ON_TRACK), AreaRank(4, "d", None, None, State.NO_DATA)]
    now = rank_areas(plan_status(_plan(), POINTS, MEETING))
    assert [r.rank for r in now if r.mean_gap is None] == [None]
    changes = rank_changes(now, before)
    assert changes[3] is None  # ranked then, not now
    assert changes[4] is None  # ranked now, not then


def test_rank_lead_units():
    units = rank_lead_units(plan_status(_plan(), POINTS, MEETING))
    gap_1a = (0.8 - 123 / 184) * 100
    gap_2a = (0.4 - 123 / 184) * 100
    assert [(u.unit, u.rank, u.indicator_count) for u in units] == [
        ("发改委", 1, 1),
        ("科技局", 2, 2),
        ("商务局", 3, 1),
    ]
    assert units[0].mean_gap == pytest.approx(gap_1a)
    assert units[1].mean_gap == pytest.approx((gap_1a + gap_2a) / 2)


def test_rank_lead_units_without_gaps_come_last():
    units = rank_lead_units(plan_status(_plan(), {"2a": POINTS["2a"]}, MEETING))
    assert [(u.unit, u.mean_gap is None, u.rank) for u in units] == [
        ("科技局", False, 1),
        ("发改委", True, None),
        ("商务局", True, None),
    ]


def test_a_level_is_due_in_full_all_along_unless_phased():
    level = target(target=800.0, baseline=0.0, accumulation=Accumulation.LEVEL)
    assert expected_to_date(level, date(2024, 7, 1)) == 1.0
    assert expected_to_date(level, MEETING) == 1.0
    assert expected_to_date(level, date(2024, 6, 30)) == 0.0  # before the horizon
    status = status_at(level, [val(MEETING, 540.0)], MEETING)
    assert status.state is State.OFF_TRACK  # 540 of 800 under way is 32 points short
    phased = target(
        target=800.0, accumulation=Accumulation.LEVEL, phased=(PhasePoint(date(2024, 9, 30), 400.0),)
    )
    assert expected_to_date(phased, date(2024, 9, 30)) == pytest.approx(0.5)
