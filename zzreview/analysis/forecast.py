"""Where a target indicator is heading: the horizon's day count, the run-rate still needed
and a forecast of the value at the horizon's end from the recent trend.

Days are counted inclusively: a value dated `d` is the value at the end of day `d`, so by the
end of the horizon's first day one day has elapsed, and by the end of its last day all of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from zzreview.domain.model import DataPoint, Direction, Indicator

__all__ = [
    "DAYS_PER_MONTH",
    "elapsed_days",
    "forecast_at_end",
    "forecast_from",
    "horizon",
    "horizon_days",
    "required_per_month",
    "valued_points",
]

DAYS_PER_MONTH = 365.25 / 12
"""The average month, for turning days remaining into months remaining."""

# The trend behind a forecast is fitted over at most this many of the latest values.
_TREND_POINTS = 3


def horizon(indicator: Indicator) -> tuple[date, date]:
    """The first and last day of the indicator's horizon; ValueError if either is missing."""
    if indicator.horizon_start is None or indicator.horizon_end is None:
        raise ValueError(f"indicator {indicator.id!r} has no horizon start and end")
    return indicator.horizon_start, indicator.horizon_end


def horizon_days(indicator: Indicator) -> int:
    """The number of days in the indicator's horizon, first and last day included."""
    start, end = horizon(indicator)
    return max(1, (end - start).days + 1)


def elapsed_days(indicator: Indicator, day: date) -> int:
    """Days of the horizon elapsed by the end of `day`, from 0 (before it) to horizon_days."""
    start, _ = horizon(indicator)
    return min(max((day - start).days + 1, 0), horizon_days(indicator))


def valued_points(points: Sequence[DataPoint], as_of: date) -> list[tuple[date, float]]:
    """The (date, value) pairs dated on or before `as_of`, one per date, oldest first.

    Where several points share a date, the one given last wins.
    """
    latest_by_date: dict[date, float] = {}
    for point in points:
        value, day = point.value, point.as_of
        if value is not None and day <= as_of:
            latest_by_date[day] = value
    return sorted(latest_by_date.items())


def required_per_month(indicator: Indicator, current: float | None, as_of: date) -> float | None:
    """The move per month still needed to reach the target by the horizon's end.

    A positive number in the indicator's better direction: the rise still needed for `>=`,
    the reduction still needed for `<=`. None without a current value or a target, once the
    target is met, and when no time is left (as_of on or after the horizon's last day).
    """
    if current is None or indicator.target is None:
        return None
    _, end = horizon(indicator)
    days_left = (end - as_of).days
    if days_left <= 0:
        return None
    if indicator.direction == Direction.LOWER:
        still_needed = current - indicator.target
    else:
        still_needed = indicator.target - current
    if still_needed <= 0:
        return None
    return still_needed / (days_left / DAYS_PER_MONTH)


def forecast_at_end(indicator: Indicator, points: Sequence[DataPoint], as_of: date) -> float | None:
    """The value projected to the horizon's end from the recent trend; None with no values.

    The trend is the least-squares slope (value per day) over the latest three values; with a
    single value, the pace from the baseline at the horizon's start to that value. The line is
    drawn from the latest value, so the forecast always passes through what was reported.
    """
    return forecast_from(indicator, valued_points(points, as_of))


def forecast_from(indicator: Indicator, values: Sequence[tuple[date, float]]) -> float | None:
    """`forecast_at_end` from the indicator's `valued_points` (for a caller that has them)."""
    if not values:
        return None
    recent = values[-_TREND_POINTS:]
    last_day, last_value = recent[-1]
    if len(recent) == 1:
        elapsed = elapsed_days(indicator, last_day)
        slope = (last_value - indicator.baseline) / elapsed if elapsed > 0 else 0.0
    else:
        slope = _least_squares_slope(recent)
    _, end = horizon(indicator)
    days_ahead = max(0, (end - last_day).days)
    return last_value + slope * days_ahead


def _least_squares_slope(series: Sequence[tuple[date, float]]) -> float:
    origin = series[0][0]
    xs = [(day - origin).days for day, _ in series]
    ys = [value for _, value in series]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
