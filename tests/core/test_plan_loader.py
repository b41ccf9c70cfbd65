"""Plan files: the shipped plan loads; a malformed file names the file, field and need."""

from datetime import date
from pathlib import Path

import pytest

from zzreview.domain import Direction, HorizonKind, IndicatorKind
from zzreview.plans.loader import PlanError, plan_from_toml, read_plan_file, shipped_plan

MINIMAL = """
[plan]
id = "mini"
title = "Mini plan"
start = 2024-07-01
end = 2024-12-31
language = "en"

[[areas]]
number = 1
title = "Investment"

[[areas.measures]]
id = "1.1"
title = "Invest"
text = "Invest 760 in H2."

[[areas.measures.indicators]]
id = "1.1.1"
kind = "target"
name = "New investment"
unit = "bn"
target = 760
horizon = "period"

[[areas.measures.indicators]]
id = "1.1.2"
kind = "target"
name = "Full-year investment"
unit = "bn"
target = 1300
horizon = "year"

[[areas.measures.indicators]]
id = "1.1.3"
kind = "milestone"
name = "Line 6 opens"
due = 2024-12-31
"""


def test_a_minimal_plan_loads_with_horizons_resolved() -> None:
    plan = plan_from_toml(MINIMAL, "mini.toml")
    first, second, third = plan.indicators
    assert (first.horizon_start, first.horizon_end) == (date(2024, 7, 1), date(2024, 12, 31))
    assert second.horizon is HorizonKind.YEAR
    assert (second.horizon_start, second.horizon_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert first.direction is Direction.HIGHER and first.baseline == 0
    assert third.kind is IndicatorKind.MILESTONE and third.due == date(2024, 12, 31)


def test_the_shipped_plan_is_the_zhengzhou_plan() -> None:
    plan = shipped_plan()
    assert plan.title == "郑州市扎实推进2024年下半年经济稳进向好若干措施"
    assert (plan.start, plan.end, plan.language) == (date(2024, 7, 1), date(2024, 12, 31), "zh")
    assert [a.number for a in plan.areas] == list(range(1, 11))
    assert len(plan.measures) == 38


@pytest.mark.parametrize(
    ("change", "field", "need"),
    [
        (
            ("target = 760", 'target = "760"'),
            "areas[1].measures[1].indicators[1].target",
            "expected a number",
        ),
        (('kind = "milestone"', 'kind = "deadline"'), "indicators[3].kind", "expected one of"),
        (("due = 2024-12-31", 'due = "end of year"'), "indicators[3].due", "expected a date"),
        (("end = 2024-12-31", "end = 2024-01-01"), "plan.end", "must be after"),
        (('language = "en"', 'language = "fr"'), "plan.language", "expected one of zh, en"),
        (("number = 1", "number = 2"), "areas[1].number", "expected 1"),
        (('id = "1.1.2"', 'id = "1.1.1"'), "", "used twice"),
        (('unit = "bn"\ntarget = 760', "target = 760"), "indicators[1].unit", "missing"),
        (
            ('name = "Line 6 opens"', 'name = "Line 6 opens"\ntarget = 1'),
            "indicators[3].target",
            "only a target",
        ),
        (
            ('horizon = "period"', 'horizon = "period"\ncolour = "red"'),
            "indicators[1].colour",
            "unknown field",
        ),
        (("[plan]", "[plan\n"), "", "not valid TOML"),
    ],
)
def test_a_malformed_plan_names_the_file_field_and_need(change, field: str, need: str) -> None:
    old, new = change
    assert old in MINIMAL
    with pytest.raises(PlanError) as error:
        plan_from_toml(MINIMAL.replace(old, new, 1), "broken.toml")
    message = str(error.value)
    assert message.startswith("broken.toml: ")
    assert field in message
    assert need in message


def test_an_unreadable_plan_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such plan file"):
        read_plan_file(tmp_path / "missing.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("title = 'caf\xe9'".encode("latin-1"))
    with pytest.raises(PlanError, match="not UTF-8"):
        read_plan_file(latin)
