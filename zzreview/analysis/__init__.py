"""Analysis: completion, expected-to-date, gap, status, forecast and league tables.

Pure functions of the domain objects and an explicit as-of date: no I/O, no Textual and no
wall clock.
"""

from zzreview.analysis.forecast import (
    DAYS_PER_MONTH,
    elapsed_days,
    forecast_at_end,
    horizon,
    horizon_days,
    required_per_month,
    valued_points,
)
from zzreview.analysis.judgement import VERDICT_STATES, judgement_differs, measure_state
from zzreview.analysis.ranking import (
    AreaRank,
    UnitRank,
    rank_areas,
    rank_changes,
    rank_lead_units,
)
from zzreview.analysis.rules import DEFAULT_PRESET, PRESETS, RulePreset, preset
from zzreview.analysis.status import (
    AreaStatus,
    IndicatorStatus,
    PlanStatus,
    area_status,
    completion,
    expected_path,
    expected_to_date,
    indicator_status,
    months_late,
    plan_status,
    weakest_state,
)

__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_PRESET",
    "PRESETS",
    "VERDICT_STATES",
    "AreaRank",
    "AreaStatus",
    "IndicatorStatus",
    "PlanStatus",
    "RulePreset",
    "UnitRank",
    "area_status",
    "completion",
    "elapsed_days",
    "expected_path",
    "expected_to_date",
    "forecast_at_end",
    "horizon",
    "horizon_days",
    "indicator_status",
    "judgement_differs",
    "measure_state",
    "months_late",
    "plan_status",
    "preset",
    "rank_areas",
    "rank_changes",
    "rank_lead_units",
    "required_per_month",
    "valued_points",
    "weakest_state",
]
