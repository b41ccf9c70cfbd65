"""Dates as people type them: `2024-11-30`, `11-30`, `+2w`, `end of month`, `月底`.

One parser for the command line and the app. Relative forms count from a reference date the
caller passes — the meeting's date, never the wall clock — so the same words give the same
due date however late the minutes are typed up.
"""

from __future__ import annotations

import calendar
import re
from datetime import MAXYEAR, MINYEAR, date, timedelta


class DateParseError(ValueError):
    """A date that none of the accepted forms matches; the message lists the forms."""


ACCEPTED_FORMS = (
    "2024-11-30, 2024/11/30, 2024年11月30日, 11-30, 11月30日, 30日, "
    "+3d, +2w, +1m (days/weeks/months after the reference date), "
    "today/今天, tomorrow/明天, end of month/月底, end of year/年底"
)

_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*(d|day|days|天|w|wk|week|weeks|周|m|mo|month|months|个月|月)$")
_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DAY_ONLY = re.compile(r"^(\d{1,2})\s*日$")

_NAMED = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
}
_END_OF_MONTH = {"end of month", "eom", "月底", "月末", "本月底"}
_END_OF_NEXT_MONTH = {"end of next month", "下月底", "下月末"}
_END_OF_YEAR = {"end of year", "eoy", "年底", "年末", "年内"}


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the last day of the target month.

    Raises:
        OverflowError: the month falls outside the calendar (years 1 to 9999), as `date`
            arithmetic does.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"year {year} is out of range")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def end_of_month(day: date) -> date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _build(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError(f"not a real date: {text!r}") from None


def parse_date(text: str, reference: date) -> date:
    """Parse a typed date; relative and partial forms are resolved against `reference`.

    Raises:
        DateParseError: with a message that names the text and the accepted forms, or that
            says a relative date would fall past the calendar's last date (9999-12-31).
    """
    raw = text.strip()
    words = re.sub(r"\s+", " ", raw.lower())
    if not words:
        raise DateParseError(f"no date given; use one of: {ACCEPTED_FORMS}")
    try:
        counted = _counted_from(words, reference)
    except OverflowError:
        # Every relative form counts forward, so the only end it can pass is the last one.
        raise DateParseError(
            f"{raw!r} from {reference.isoformat()} falls after {date.max.isoformat()}, "
            "the last date the calendar has; give a date instead"
        ) from None
    if counted is not None:
        return counted
    if match := _FULL.match(words):
        year, month, day = (int(g) for g in match.groups())
        return _build(year, month, day, raw)
    if match := _MONTH_DAY.match(words):
        month, day = (int(g) for g in match.groups())
        return _build(reference.year, month, day, raw)
    if match := _DAY_ONLY.match(words):
        return _build(reference.year, reference.month, int(match.group(1)), raw)
    raise DateParseError(f"cannot read {raw!r} as a date; use one of: {ACCEPTED_FORMS}")


def _counted_from(words: str, reference: date) -> date | None:
    """The date a relative form names, counted from `reference`; None if `words` is none.

    Raises OverflowError when the count runs off the calendar.
    """
    if words in _NAMED:
        return reference + timedelta(days=_NAMED[words])
    if words in _END_OF_MONTH:
        return end_of_month(reference)
    if words in _END_OF_NEXT_MONTH:
        return end_of_month(add_months(reference.replace(day=1), 1))
    if words in _END_OF_YEAR:
        return date(reference.year, 12, 31)
    if match := _RELATIVE.match(words):
        count, unit = int(match.group(1)), match.group(2)
        if unit in ("d", "day", "days", "天"):
            return reference + timedelta(days=count)
        if unit in ("w", "wk", "week", "weeks", "周"):
            return reference + timedelta(weeks=count)
        return add_months(reference, count)
    return None
