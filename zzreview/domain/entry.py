"""Reading what a person typed into a value: numbers, dates, milestone states, assessments.

One place for the command line, a CSV ledger and the app's forms. Every problem is an
`EntryError` naming the field it is about (never a command-line flag), so a form can show it
beside the field and the command line can print it as one line.
"""

from __future__ import annotations

import math
import re
from datetime import date

from zzreview.domain.dates import DateParseError, parse_date
from zzreview.domain.model import IndicatorKind, MilestoneState, State


class EntryError(ValueError):
    """Input that cannot be recorded as given; nothing was written.

    `field` names what the message is about (`owner`, `due`, `value` …); `message` says what
    is wrong and how to put it right.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


MILESTONE_STATES: tuple[str, ...] = tuple(s.value for s in MilestoneState)
"""What a milestone can be reported as."""

ASSESSED_STATES: tuple[str, ...] = tuple(
    s.value for s in (State.ACHIEVED, State.ON_TRACK, State.ATTENTION, State.OFF_TRACK)
)
"""What a qualitative measure can be assessed as."""

_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def parse_number(text: str, field: str = "value") -> float:
    """A number as typed: `1234.5`, `1,234.5` (commas only between groups of three)."""
    cleaned = text.strip().replace("，", ",")
    if not _NUMBER.fullmatch(cleaned):
        raise EntryError(field, f"expected a number, got {text!r}")
    return float(cleaned.replace(",", ""))


def parse_day(text: str, reference: date, field: str) -> date:
    """A date in any of the accepted forms; relative ones count from `reference`."""
    try:
        return parse_date(text, reference)
    except DateParseError as error:
        raise EntryError(field, str(error)) from None


def parse_reading(kind: IndicatorKind, text: str) -> tuple[float | None, str]:
    """What was typed for an indicator of `kind`, as (number, state): a number for a target,
    a state for a milestone, an assessment (or nothing) for a qualitative measure."""
    if kind is IndicatorKind.TARGET:
        return parse_number(text), ""
    return None, text.strip()


def reading_problem(kind: IndicatorKind, value: float | None, state: str, evidence: str) -> str:
    """What keeps a reading from being recorded for an indicator of `kind`; "" if nothing."""
    if kind is IndicatorKind.TARGET:
        if value is None:
            return "a target indicator needs a number"
        if not math.isfinite(value):
            return "the value must be a finite number"
    elif kind is IndicatorKind.MILESTONE:
        if state not in MILESTONE_STATES:
            return f"a milestone needs a state: one of {', '.join(MILESTONE_STATES)}"
    else:
        if state and state not in ASSESSED_STATES:
            return f"an assessment is one of {', '.join(ASSESSED_STATES)}"
        if not state and not evidence.strip():
            return "a qualitative indicator needs evidence or an assessed state"
    return ""
