"""Dates at the calendar's ends (0001-01-01, 9999-12-31): a clear refusal, never a traceback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.cli.conftest import Ran, in_process, isolated
from zzreview.domain.dates import (
    _END_OF_MONTH,
    _END_OF_NEXT_MONTH,
    _END_OF_YEAR,
    _NAMED,
    DateParseError,
    add_months,
    parse_date,
)

LAST = date.max
FIRST = date.min

DAY_UNITS = ("d", "day", "days", "天")
WEEK_UNITS = ("w", "wk", "week", "weeks", "周")
MONTH_UNITS = ("m", "mo", "month", "months", "个月", "月")

MOVING_ON = [
    *(f"+1{unit}" for unit in DAY_UNITS + WEEK_UNITS + MONTH_UNITS),
    "+9999d",
    "+9999w",
    "+9999m",
    *(name for name, days in _NAMED.items() if days),
    *sorted(_END_OF_NEXT_MONTH),
]
"""Every form that counts forward from the reference date."""

STAYING = [
    *(f"+0{unit}" for unit in DAY_UNITS + WEEK_UNITS + MONTH_UNITS),
    *(name for name, days in _NAMED.items() if not days),
    *sorted(_END_OF_MONTH),
    *sorted(_END_OF_YEAR),
    "12-31",
    "12月31日",
    "31日",
    "9999-12-31",
]
"""Forms that stay within the reference date's year: they work at its last day."""


@pytest.mark.parametrize("text", MOVING_ON)
def test_every_form_counting_past_the_last_date_is_a_date_parse_error(text: str) -> None:
    with pytest.raises(DateParseError) as raised:
        parse_date(text, LAST)
    message = str(raised.value)
    assert text in message
    assert "9999-12-31" in message
    assert "last date the calendar has" in message


@pytest.mark.parametrize("text", ["+1d", "+1w", "+1m", "下月底"])
def test_near_the_end_only_what_goes_past_it_is_refused(text: str) -> None:
    assert parse_date(text, date(9999, 11, 30)) <= LAST
    assert parse_date("+31d", date(9999, 11, 30)) == LAST
    assert parse_date("+1m", date(9999, 11, 30)) == date(9999, 12, 30)


def test_a_long_count_from_a_late_date_is_refused_not_overflowed() -> None:
    with pytest.raises(DateParseError, match="last date the calendar has"):
        parse_date("+9999w", date(9900, 1, 1))
    with pytest.raises(DateParseError, match="last date the calendar has"):
        parse_date("+1300m", date(9900, 1, 1))


@pytest.mark.parametrize("text", STAYING)
def test_forms_that_stay_in_the_year_still_work_on_its_last_day(text: str) -> None:
    assert parse_date(text, LAST) == LAST


@pytest.mark.parametrize("text", MOVING_ON + STAYING)
def test_no_form_goes_before_the_first_date(text: str) -> None:
    """No typed form counts backwards: each resolves from 0001-01-01."""
    assert parse_date(text, FIRST) >= FIRST


@pytest.mark.parametrize("text", ["0000-01-01", "10000-01-01", "0000年1月1日"])
def test_years_outside_the_calendar_are_refused(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_date(text, LAST)


@pytest.mark.parametrize(("day", "months"), [(LAST, 1), (FIRST, -1), (date(2024, 1, 31), 10**6)])
def test_add_months_past_either_end_is_an_overflow_error(day: date, months: int) -> None:
    """`add_months` keeps `date`'s own contract: out of range is an OverflowError."""
    with pytest.raises(OverflowError):
        add_months(day, months)


# -- through the command line --------------------------------------------------------------


def _runner(tmp_path: Path):
    invoke, env = in_process(), isolated(tmp_path)

    def run(*args: str) -> Ran:
        return invoke(env, args, None)

    return run


@pytest.fixture
def run(tmp_path: Path):
    """`zzreview ARGS…` in-process, isolated from the user's files (as in tests/cli)."""
    return _runner(tmp_path)


@pytest.fixture
def far_db(run, tmp_path: Path) -> Path:
    """A database whose plan ends on 9999-12-31, with a meeting on that day."""
    plan = Path(__file__).resolve().parents[2] / "data" / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    assert "\nend = 2024-12-31\n" in text
    far_plan = tmp_path / "far.toml"
    far_plan.write_text(text.replace("\nend = 2024-12-31\n", "\nend = 9999-12-31\n"), encoding="utf-8")
    path = tmp_path / "far.json"
    assert run("--db", str(path), "init", "--plan", str(far_plan)).returncode == 0
    made = run("--db", str(path), "meetings", "new", "--date", "9999-12-31")
    assert made.returncode == 0, made.stderr
    return path


@pytest.mark.parametrize("due", ["+1d", "+1w", "+1m", "下月底", "tomorrow"])
def test_a_due_date_past_the_calendar_is_one_line_exit_2(run, far_db: Path, due: str) -> None:
    result = run("--db", str(far_db), "actions", "add", "x", "--owner", "o", "--due", due)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("zzreview: --due: ")
    assert "last date the calendar has" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_last_day_itself_is_a_due_date(run, far_db: Path) -> None:
    result = run("--db", str(far_db), "actions", "add", "x", "--owner", "o", "--due", "年底")
    assert result.returncode == 0, result.stderr
    assert "9999-12-31" in result.stdout


@pytest.mark.parametrize("command", [("actions", "list"), ("status",)])
def test_an_as_of_past_the_calendar_is_one_line_exit_2(run, far_db: Path, command: tuple) -> None:
    result = run("--db", str(far_db), *command, "--as-of", "+1m")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("zzreview: --as-of: ")
    assert "last date the calendar has" in result.stderr
