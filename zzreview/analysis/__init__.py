"""Analysis: completion, expected-to-date, gap, status, forecast and league tables.

Pure functions of the domain objects and an explicit as-of date: no I/O, no Textual and no
wall clock.

Each name is loaded from its submodule when first asked for, so a caller that needs only the
rule presets (the settings) or only the status (`zzreview status`) does not import the league
tables as well.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_SUBMODULES = {
    "forecast": (
        "DAYS_PER_MONTH",
        "elapsed_days",
        "forecast_at_end",
        "horizon",
        "horizon_days",
        "required_per_month",
        "valued_points",
    ),
    "judgement": ("VERDICT_STATES", "judgement_differs", "measure_state"),
    "ranking": ("AreaRank", "UnitRank", "rank_areas", "rank_changes", "rank_lead_units"),
    "rules": ("DEFAULT_PRESET", "PRESETS", "RulePreset", "preset"),
    "status": (
        "AreaStatus",
        "IndicatorStatus",
        "PlanStatus",
        "area_status",
        "completion",
        "expected_path",
        "expected_to_date",
        "indicator_status",
        "months_late",
        "plan_status",
        "weakest_state",
    ),
}
_HOME = {name: module for module, names in _SUBMODULES.items() for name in names}
"""The submodule each public name lives in."""

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


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once: later lookups find it directly
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))
