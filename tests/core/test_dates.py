"""Dates as people type them, resolved against the meeting's date."""

from datetime import date

import pytest

from zzreview.domain.dates import DateParseError, add_months, parse_date

MEETING = date(2024, 10, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-30", date(2024, 11, 30)),
        ("2024/11/30", date(2024, 11, 30)),
        ("2024年11月30日", date(2024, 11, 30)),
        ("11-30", date(2024, 11, 30)),
        ("11月30日", date(2024, 11, 30)),
        ("5日", date(2024, 10, 5)),
        ("+2w", date(2024, 11, 14)),
        ("+ 3d", date(2024, 11, 3)),
        ("+1m", date(2024, 11, 30)),
        ("+4m", date(2025, 2, 28)),
        ("end of month", date(2024, 10, 31)),
        ("End Of Month", date(2024, 10, 31)),
        ("月底", date(2024, 10, 31)),
        ("下月底", date(2024, 11, 30)),
        ("年底", date(2024, 12, 31)),
        ("today", MEETING),
        ("明天", date(2024, 11, 1)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text, MEETING) == expected


def test_relative_dates_count_from_the_reference_not_the_wall_clock() -> None:
    assert parse_date("+2w", date(2024, 9, 30)) == date(2024, 10, 14)
    assert parse_date("月底", date(2024, 2, 10)) == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["", "soon", "2024-02-30", "13-01", "+2y", "next tuesday", "32日"])
def test_anything_else_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(DateParseError) as error:
        parse_date(text, MEETING)
    message = str(error.value)
    assert "2024-11-30" in message or "not a real date" in message


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
