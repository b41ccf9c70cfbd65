"""Reading a ledger (台账) cell by cell: each quirk of the files an office keeps is one case, and a
problem names its cell; the template's rows. The files themselves are read in tests/cli/test_ledger.py."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from decimal import Decimal

import pytest

from zzreview.domain import Indicator, IndicatorKind
from zzreview.meeting.commands import ImportProblems
from zzreview.meeting.ledger import (
    CellProblem,
    LedgerError,
    Table,
    csv_table,
    decode_text,
    header_field,
    ledger_lines,
    plain_number,
    read_date,
    read_indicator_id,
    read_number,
    read_state,
    spreadsheet_float,
)
from zzreview.meeting.ledger_template import template_headers, template_rows
from zzreview.plans.loader import shipped_plan
from zzreview.storage.repository import Repository

REFERENCE = date(2024, 10, 31)
"""The demo's current meeting: an empty date cell stands for it."""

PLAN = shipped_plan()
INDICATORS = {i.id: i for i in PLAN.indicators}


def target(ident: str, unit: str) -> Indicator:
    return Indicator(id=ident, measure_id="1.1", kind=IndicatorKind.TARGET, name=ident, unit=unit, target=1.0)


# -- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "unit", "expected"),
    [
        pytest.param("1,234.5", "家", "1234.5", id="thousand-separators"),
        pytest.param("1，234", "家", "1234", id="full-width-comma"),
        pytest.param("１２３４．５", "家", "1234.5", id="full-width-digits"),
        pytest.param("3,500万", "亿元", "0.35", id="wan-into-yi"),
        pytest.param("3500万元", "亿元", "0.35", id="wan-yuan-into-yi"),
        pytest.param("0.35亿元", "亿元", "0.35", id="the-units-own-scale"),
        pytest.param("12000人", "万人", "1.2", id="plain-into-wan"),
        pytest.param("1.5亿", "万人", "15000", id="yi-into-wan"),
        pytest.param("2万", "家", "20000", id="wan-of-a-count"),
        pytest.param("12家", "家", "12", id="the-unit-itself"),
        pytest.param("12.5％", "%", "12.5", id="full-width-percent"),
        pytest.param("12.5 %", "%", "12.5", id="percent"),
        pytest.param("（1,200）", "家", "-1200", id="accounting-negative-full-width"),
        pytest.param("(1,200)", "家", "-1200", id="accounting-negative"),
        pytest.param("−5", "家", "-5", id="minus-sign"),
        pytest.param(" +7 ", "家", "7", id="plus-and-spaces"),
        pytest.param(0.16399999999999998, "%", "0.164", id="exact-decimal"),
        pytest.param(1200.0, "家", "1200", id="a-float-that-is-whole"),
        pytest.param(1e20, "家", "100000000000000000000", id="no-exponent"),
    ],
)
def test_a_number_reads_as_typed_in_the_indicators_unit(cell: object, unit: str, expected: str) -> None:
    assert plain_number(read_number(cell, unit)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("placeholder", ["—", "-", "/", "无", "－", "——", "N/A"])
def test_a_placeholder_is_reported_never_guessed(placeholder: str) -> None:
    with pytest.raises(CellProblem, match="placeholder, not a number; leave the row out or give a figure"):
        read_number(placeholder, "家")


@pytest.mark.parametrize(
    ("cell", "unit", "says"),
    [
        ("12%", "家", "is a percentage, but the indicator is counted in 家"),
        ("12公里", "家", "is in 公里, but the indicator is counted in 家"),
        ("12人", "名", "is in 人"),
        ("1,23", "家", "commas go between groups of three"),
        ("1.2.3", "家", "cannot read"),
        ("1 234", "家", "cannot read"),
        ("(-5)", "家", "cannot read"),
        ("约12", "家", "cannot read"),
        (True, "家", "expected a number"),
        (date(2024, 10, 31), "家", "expected a number, got '2024-10-31'"),
    ],
)
def test_what_is_not_a_number_in_the_unit_says_why(cell: object, unit: str, says: str) -> None:
    with pytest.raises(CellProblem, match=says.replace("(", r"\(").replace("%", "%")):
        read_number(cell, unit)  # type: ignore[arg-type]


def test_spreadsheet_floats_come_out_as_typed() -> None:
    assert spreadsheet_float(0.1 + 0.2) == 0.3
    assert spreadsheet_float(410.00000000000006) == 410.0
    assert plain_number(Decimal("-0")) == "0"


def test_a_unit_in_the_value_columns_header_applies_where_the_cell_gives_none() -> None:
    assert plain_number(read_number("3500", "亿元", "万元")) == "0.35"
    assert plain_number(read_number(3500.0, "亿元", "万元")) == "0.35"
    assert plain_number(read_number("0.5亿元", "亿元", "万元")) == "0.5"  # the cell's own wins
    with pytest.raises(CellProblem, match="'12' is in 万元, but the indicator is counted in 家"):
        read_number(12.0, "家", "万元")
    table = sheet(("指标编号", "日期", "数值（万元）"), ("4.2.2", "", 350000.0))
    assert [v.reading for v in ledger_lines(table, INDICATORS, REFERENCE).lines] == ["35"]
    remark = sheet(("指标编号", "日期", "数值（必填）"), ("1.3.1", "", "12"))  # a remark, not a unit
    assert [v.reading for v in ledger_lines(remark, INDICATORS, REFERENCE).lines] == ["12"]


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("2024-10-31", id="iso"),
        pytest.param("2024/10/31", id="slashes"),
        pytest.param("2024.10.31", id="dots"),
        pytest.param("2024年10月31日", id="chinese"),
        pytest.param("２０２４年１０月３１日", id="full-width"),
        pytest.param("20241031", id="compact"),
        pytest.param(20241031.0, id="compact-as-a-number"),
        pytest.param(45596.0, id="excel-serial"),
        pytest.param(45596.75, id="excel-serial-with-a-time"),
        pytest.param("45596", id="excel-serial-as-text"),
        pytest.param(date(2024, 10, 31), id="date-cell"),
        pytest.param(datetime(2024, 10, 31, 9, 30), id="datetime-cell"),
        pytest.param("2024-10-31 00:00:00", id="with-a-time"),
        pytest.param("月底", id="relative"),
    ],
)
def test_each_date_form_reads_as_the_day(cell: object) -> None:
    assert read_date(cell, REFERENCE) == date(2024, 10, 31)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["2024-13-01", "20241331", "soon", 2024.0, "—"])
def test_what_is_not_a_date_says_which_forms_are(cell: object) -> None:
    with pytest.raises(CellProblem, match=r"2024年10月31日|not a real date"):
        read_date(cell, REFERENCE)  # type: ignore[arg-type]


def test_an_empty_date_cell_is_no_date() -> None:
    assert read_date("  ", REFERENCE) is None


# -- ids and states ----------------------------------------------------------------------------


def test_an_id_is_kept_as_text_never_normalised() -> None:
    assert read_indicator_id(" 1.3.1 ", {}) == "1.3.1"
    assert read_indicator_id("１.３.１", {}) == "１.３.１"


@pytest.mark.parametrize(
    ("plan_ids", "expected"),
    [(["1.1"], "1.1"), (["1.10"], "1.10"), (["2"], "1.1")],
)
def test_an_id_excel_stored_as_a_number_is_the_plan_id_it_reads_as(
    plan_ids: list[str], expected: str
) -> None:
    numeric = {float(i): [i] for i in plan_ids}
    assert read_indicator_id(1.1, numeric) == expected
    assert read_indicator_id(1.0999999999999999, numeric) == expected


def test_an_id_two_plan_ids_could_be_is_a_problem() -> None:
    with pytest.raises(CellProblem, match=r"could be 1\.1 or 1\.10; format the id column as text"):
        read_indicator_id(1.1, {1.1: ["1.1", "1.10"]})
    with pytest.raises(CellProblem, match="not an id"):
        read_indicator_id(date(2024, 1, 3), {})


@pytest.mark.parametrize(
    ("cell", "state"),
    [("推进中", "in_progress"), ("已完成", "done"), ("in progress", "in_progress"), ("SLIPPED", "slipped")],
)
def test_a_milestone_state_reads_in_either_language(cell: str, state: str) -> None:
    assert read_state(cell, IndicatorKind.MILESTONE) == state


# -- files and headers ---------------------------------------------------------------------------

TEXT = "指标编号,数值\n1.3.1,820\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + TEXT.encode("utf-8"), id="utf-8-bom"),
        pytest.param(TEXT.encode("gbk"), id="gbk"),
        pytest.param("指标编号,数值,说明\n1.3.1,820,𠀀\n".encode("gb18030"), id="gb18030-rare"),
        pytest.param(TEXT.encode("utf-16"), id="utf-16-bom"),
        pytest.param(TEXT.encode("utf-16-le"), id="utf-16-no-bom"),
    ],
)
def test_text_in_each_encoding_excel_writes(data: bytes) -> None:
    assert decode_text(data).startswith("指标编号,数值")


def test_text_in_no_known_encoding_says_what_to_save() -> None:
    with pytest.raises(LedgerError, match="UTF-8, GB18030"):
        decode_text(b"indicator,value\n1.3.1,\xff\xff\n")


@pytest.mark.parametrize(
    ("title", "field", "aside"),
    [
        ("指标编号", "indicator", ""),
        (" 指 标 编 号 ", "indicator", ""),
        ("Indicator ID", "indicator", ""),
        ("数值（亿元）", "value", "亿元"),
        ("数值(单位)", "value", "单位"),
        ("*日期：", "date", ""),
        ("佐证", "evidence", ""),
        ("说明", "evidence", ""),
        ("上次数值", None, ""),
        ("指标名称", None, ""),
    ],
)
def test_a_header_in_chinese_or_english(title: str, field: str | None, aside: str) -> None:
    assert header_field(title) == (field, aside)


def test_a_tab_separated_file_and_a_title_above_the_header() -> None:
    table = csv_table("2024年10月 台账\n\n指标编号\t日期\t数值\n1.3.1\t2024-11-30\t820\n")
    ledger = ledger_lines(table, INDICATORS, REFERENCE)
    assert [(v.indicator, v.reading, v.on, v.line) for v in ledger.lines] == [
        ("1.3.1", "820", date(2024, 11, 30), 4)
    ]


# -- rows ----------------------------------------------------------------------------------------


def sheet(*rows: tuple[object, ...]) -> Table:
    return Table(tuple((n, tuple(r)) for n, r in enumerate(rows, start=1)), sheet="台账", sheets=("台账",))  # type: ignore[arg-type]


HEADER = ("指标编号", "指标名称", "日期", "数值", "来源", "进展情况")


def test_rows_become_values_and_an_unfilled_row_is_skipped() -> None:
    table = sheet(
        HEADER,
        ("4.2.2", "新增工业投资", "", "350,000万", "市统计局", ""),
        ("1.3.1", "新增高新技术企业", 45626.0, 820.0, "", ""),
        ("1.4.2", "新引进培育高层次人才", "", "", "", ""),
        ("", "", "", "", "", ""),
        ("4.4.1", "6号线", "2024/11/30", "已完成", "市住建局", "11月28日通车"),
        ("1.1.1", "融入", "", "", "", "已签约"),
    )
    ledger = ledger_lines(table, INDICATORS, REFERENCE)
    assert [(v.indicator, v.reading, v.on, v.source, v.evidence, v.line) for v in ledger.lines] == [
        ("4.2.2", "35", REFERENCE, "市统计局", "", 2),
        ("1.3.1", "820", date(2024, 11, 30), "", "", 3),
        ("4.4.1", "done", date(2024, 11, 30), "市住建局", "11月28日通车", 6),
        ("1.1.1", "", REFERENCE, "", "已签约", 7),
    ]
    assert ledger.skipped == 1


def test_every_bad_cell_is_named_by_sheet_row_and_column() -> None:
    table = sheet(
        ("指标编号", "日期", "数值"),
        ("1.3.1", "2024-11-30", "820"),
        ("1.3.1", "someday", "—"),
        ("9.9.9", "", "1"),
        ("", "", "5"),
        ("4.4.1", "", "通车了"),
        ("1.3.1", "2024/11/30", "821"),
    )
    with pytest.raises(ImportProblems) as raised:
        ledger_lines(table, INDICATORS, REFERENCE)
    problems = raised.value.problems
    assert problems[0].startswith("sheet 台账, row 3, column 数值: 1.3.1: '—' is a placeholder")
    assert problems[1].startswith("sheet 台账, row 3, column 日期: 1.3.1: cannot read 'someday' as a date")
    assert problems[2:5] == (
        "sheet 台账, row 4, column 指标编号: no indicator '9.9.9' in the plan",
        "sheet 台账, row 5, column 指标编号: no indicator id on a row that has a value",
        "sheet 台账, row 6, column 数值: 4.4.1: '通车了': a milestone's value is its state: "
        "未开工 / 推进中 / 已完成 / 滞后 (or not_started, in_progress, done, slipped)",
    )
    assert problems[5] == "sheet 台账, row 7: 1.3.1 on 2024-11-30 is already given on row 2"


def test_a_csv_problem_is_named_by_line_and_column() -> None:
    with pytest.raises(ImportProblems) as raised:
        ledger_lines(csv_table("indicator,date,value\n1.3.1,,lots\n"), INDICATORS, REFERENCE)
    assert raised.value.problems == ("line 2, column value: 1.3.1: cannot read 'lots' as a number",)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("名称,数值\nx,1\n", "no header row with the columns 指标编号/indicator, 日期/date, 数值/value"),
        ("指标编号,数值\n1.3.1,1\n", "line 1: the header lacks 日期/date"),
        ("指标编号,日期,数值,value\n", "two columns are value"),
        ("指标编号,日期,数值\n1.3.1,,\n", "nothing to import: no row has a value"),
    ],
)
def test_a_file_that_is_no_ledger_says_why(text: str, says: str) -> None:
    with pytest.raises(LedgerError, match=says):
        ledger_lines(csv_table(text), INDICATORS, REFERENCE)


# -- the template --------------------------------------------------------------------------------


def test_the_template_has_each_target_and_milestone_with_its_last_value(repo: Repository) -> None:
    rows = template_rows(repo.plan(), repo.data_points(), "zh")
    kinds = {r.indicator.kind for r in rows}
    assert kinds == {IndicatorKind.TARGET, IndicatorKind.MILESTONE}
    expected = [i.id for i in PLAN.indicators if i.kind in (IndicatorKind.TARGET, IndicatorKind.MILESTONE)]
    assert [r.indicator.id for r in rows] == expected
    first = rows[0]
    last_point = repo.data_points()[first.indicator.id][-1]
    assert (first.last_value, first.last_date, first.target) == (
        last_point.value,
        last_point.as_of,
        first.indicator.target,
    )
    milestone = next(r for r in rows if r.indicator.kind is IndicatorKind.MILESTONE)
    assert milestone.target == "2024-12-31" and milestone.choices == ("未开工", "推进中", "已完成", "滞后")
    assert {r.indicator.id for r in template_rows(repo.plan(), {}, "en", area=4)} == {
        i.id for i in PLAN.area(4).indicators if i.kind is not IndicatorKind.QUALITATIVE
    }
    with pytest.raises(LedgerError, match="no area 99 in the plan"):
        template_rows(repo.plan(), {}, "zh", area=99)
    with pytest.raises(LedgerError, match="area 2 has no target indicator or milestone"):
        template_rows(repo.plan(), {}, "zh", area=2)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_templates_header_is_read_back_and_its_informational_columns_are_ignored(lang: str) -> None:
    fields = [header_field(title)[0] for title in template_headers(lang)]
    assert fields == ["indicator", None, None, None, None, None, "value", "date", "source", "evidence", None]
