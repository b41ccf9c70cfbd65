"""`values set 4.2.2 -5`: a negative value is a value, while a mistyped option is still refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run

INDICATOR = "4.2.2"


def _recorded(run: Run, db: Path) -> list:
    listed = run("--db", str(db), "values", "list", "--indicator", INDICATOR, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    return [row["value"] for row in json.loads(listed.stdout)]


@pytest.mark.parametrize(
    ("typed", "value"),
    [("-5", -5.0), ("-5.25", -5.25), ("-1,234.5", -1234.5), ("-0", 0.0)],
)
def test_a_negative_value_is_recorded(run: Run, demo_db: Path, typed: str, value: float) -> None:
    result = run("--db", str(demo_db), "values", "set", INDICATOR, typed, "--date", "2024-10-31")
    assert result.returncode == 0, result.stderr
    assert _recorded(run, demo_db)[-1] == value


def test_a_negative_value_before_the_options_and_as_an_option_value(run: Run, demo_db: Path) -> None:
    result = run(
        "--db", str(demo_db), "values", "set", INDICATOR, "-7", "--source", "-3", "--date", "2024-10-31"
    )
    assert result.returncode == 0, result.stderr
    listed = run("--db", str(demo_db), "values", "list", "--indicator", INDICATOR, "--format", "json")
    last = json.loads(listed.stdout)[-1]
    assert (last["value"], last["source"]) == (-7.0, "-3")


def test_double_dash_still_works(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "values", "set", "--date", "2024-10-31", "--", INDICATOR, "-5")
    assert result.returncode == 0, result.stderr
    assert _recorded(run, demo_db)[-1] == -5.0


@pytest.mark.parametrize(
    "args",
    [
        (INDICATOR, "5", "--bogus"),
        (INDICATOR, "--bogus"),
        ("--bogus", INDICATOR, "5"),
        (INDICATOR, "-x"),
        (INDICATOR, "-5", "--bogus"),
    ],
)
def test_an_unknown_option_is_still_a_usage_error(run: Run, demo_db: Path, args: tuple[str, ...]) -> None:
    before = _recorded(run, demo_db)
    result = run("--db", str(demo_db), "values", "set", *args)
    assert result.returncode == 2
    assert "No such option" in result.stderr
    assert "Usage: zzreview values set" in result.stderr
    assert _recorded(run, demo_db) == before


def test_a_value_that_only_starts_like_a_number_is_refused_as_a_value(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "values", "set", INDICATOR, "-5x", "--date", "2024-10-31")
    assert result.returncode == 2
    assert "'-5x'" in result.stderr
    assert "No such option" not in result.stderr


def test_too_many_values_names_the_negative_one_as_typed(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "values", "set", INDICATOR, "5", "-6")
    assert result.returncode == 2
    assert "unexpected extra argument (-6)" in result.stderr
