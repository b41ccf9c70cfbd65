"""The names and labels every output shares — titles, indicator names and units, a value with
its unit, a state as mark and word — in the plan's words or in English."""

from __future__ import annotations

from zzreview.analysis import AreaStatus, IndicatorStatus
from zzreview.domain import FocusArea, Indicator, Measure, Plan
from zzreview.i18n import state_word, t
from zzreview.i18n.quantity import format_quantity


def area_title(area: FocusArea, lang: str) -> str:
    """The area's title in `lang`, falling back to the plan's own words."""
    return area.title_en if lang == "en" and area.title_en else area.title


def measure_title(measure: Measure, lang: str) -> str:
    """The measure's title in `lang`, falling back to the plan's own words."""
    return measure.title_en if lang == "en" and measure.title_en else measure.title


def indicator_name(indicator: Indicator, lang: str) -> str:
    """The indicator's name in `lang`, falling back to the plan's own words."""
    return indicator.name_en if lang == "en" and indicator.name_en else indicator.name


def indicator_unit(indicator: Indicator, lang: str) -> str:
    """The indicator's unit in `lang`, falling back to the plan's own unit."""
    return indicator.unit_en if lang == "en" and indicator.unit_en else indicator.unit


def plan_title(plan: Plan, lang: str) -> str:
    """The plan's title in `lang`."""
    return plan.title_en if lang == "en" and plan.title_en else plan.title


def value_with_unit(value: float | None, indicator: Indicator, lang: str, *, estimate: bool = False) -> str:
    """A value with its unit as a person writes it, e.g. "410亿元" / "41.0 bn yuan", an
    estimate in a counted unit whole ("约1个" / "about 1 product"); "—" for nothing."""
    return format_quantity(value, indicator.unit, indicator.unit_en, lang, estimate=estimate)


def status_word(status: IndicatorStatus | AreaStatus, lang: str) -> str:
    """The word for a status, the same on every screen and in every file: "落后"; a value too
    old to judge by says so ("数据过期", not "无数据")."""
    if isinstance(status, IndicatorStatus) and status.stale:
        return t("state.stale", lang)
    return state_word(status.state.value, lang)


def state_label(status: IndicatorStatus | AreaStatus, lang: str) -> str:
    """Mark and word, e.g. "■ 落后"; a stale value says so."""
    return f"{status.state.mark} {status_word(status, lang)}"
