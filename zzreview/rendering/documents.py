"""The status of a plan at an as-of date as data: the JSON document and the CSV rows of
`zzreview status --format json|csv`."""

from __future__ import annotations

from typing import Any

from zzreview.analysis import IndicatorStatus, PlanStatus
from zzreview.domain import IndicatorKind, State
from zzreview.rendering.names import (
    area_title,
    indicator_name,
    indicator_unit,
    plan_title,
    status_word,
)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else round(fraction * 100, 1)


def indicator_document(status: IndicatorStatus, lang: str) -> dict[str, Any]:
    """One indicator's status as JSON-able data; completion and expected in percent, gap in points."""
    ind = status.indicator
    doc: dict[str, Any] = {
        "id": ind.id,
        "measure": ind.measure_id,
        "kind": ind.kind.value,
        "name": indicator_name(ind, lang),
        "unit": indicator_unit(ind, lang),
        "target": ind.target,
        "direction": ind.direction.value if ind.kind is IndicatorKind.TARGET else None,
        "horizon": ind.horizon.value if ind.kind is IndicatorKind.TARGET else None,
        "current": status.current,
        "current_as_of": status.current_date.isoformat() if status.current_date else None,
        "completion": _pct(status.completion),
        "expected": _pct(status.expected),
        "gap": _round(status.gap),
        "state": status.state.value,
        "mark": status.state.mark,
        "word": status_word(status, lang),
        "stale": status.stale,
        "required_per_month": _round(status.required_per_month, 2),
        "forecast": _round(status.forecast, 2),
        "due": ind.due.isoformat() if ind.due else None,
        "milestone_state": status.milestone_state.value if status.milestone_state else None,
        "evidence": status.evidence,
    }
    return doc


def status_document(plan_status: PlanStatus, lang: str, notice: str = "") -> dict[str, Any]:
    """The whole dashboard as JSON-able data (what `zzreview status --format json` prints)."""
    plan = plan_status.plan
    return {
        "plan": {
            "id": plan.id,
            "title": plan_title(plan, lang),
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
        },
        "as_of": plan_status.as_of.isoformat(),
        "rules": plan_status.rules.name,
        "illustrative": bool(notice),
        "notice": notice,
        "areas": [
            {
                "number": area.area.number,
                "title": area_title(area.area, lang),
                "state": area.state.value,
                "mark": area.state.mark,
                "light": area.state.light.value,
                "word": status_word(area, lang),
                "mean_gap": _round(area.mean_gap),
                "counts": {state.value: area.counts.get(state, 0) for state in State},
                "indicators": [indicator_document(s, lang) for s in area.statuses],
            }
            for area in plan_status.areas
        ],
    }


STATUS_CSV_COLUMNS = (
    "area",
    "area_title",
    "id",
    "kind",
    "name",
    "unit",
    "target",
    "current",
    "current_as_of",
    "completion",
    "expected",
    "gap",
    "state",
    "mark",
    "word",
    "due",
    "evidence",
)


def status_rows(plan_status: PlanStatus, lang: str) -> list[dict[str, Any]]:
    """One flat row per indicator, for CSV."""
    rows = []
    for area in plan_status.areas:
        for status in area.statuses:
            doc = indicator_document(status, lang)
            doc["area"] = area.area.number
            doc["area_title"] = area_title(area.area, lang)
            rows.append({column: doc[column] for column in STATUS_CSV_COLUMNS})
    return rows
