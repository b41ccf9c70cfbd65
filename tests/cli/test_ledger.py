"""`zzreview values import` of the files an office keeps, and `values template`: the same ledger
saved as each kind of file imports to the same values; a bad cell imports nothing and is named;
the template goes out, is filled in and comes back."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from tests.cli.conftest import Run
from tests.cli.test_import_cost import among, loaded

Row = Sequence[object]

LEDGER: list[Row] = [
    ["指标编号", "指标名称", "数值", "日期", "来源", "进展情况"],
    ["1.3.1", "新增高新技术企业", 820, date(2024, 11, 30), "市科技局", ""],
    ["4.2.2", "新增工业投资", 455.6, date(2024, 11, 30), "市统计局", ""],
    ["1.4.2", "新引进培育高层次人才", "", "", "", ""],
    ["4.4.1", "城市轨道交通6号线一期建成通车", "已完成", date(2024, 11, 30), "市住建局", "11月28日通车"],
]
"""One ledger as a lead unit keeps it: three values and a row left unfilled."""

EXPECTED = [
    {"indicator": "1.3.1", "date": "2024-11-30", "value": 820.0, "source": "市科技局", "evidence": ""},
    {"indicator": "4.2.2", "date": "2024-11-30", "value": 455.6, "source": "市统计局", "evidence": ""},
    {
        "indicator": "4.4.1",
        "date": "2024-11-30",
        "value": "done",
        "source": "市住建局",
        "evidence": "11月28日通车",
    },
]


def as_text(rows: Sequence[Row]) -> list[list[str]]:
    return [[c.isoformat() if isinstance(c, date) else str(c) for c in row] for row in rows]


def write_csv(path: Path, rows: Sequence[Row], encoding: str, delimiter: str = ",") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(as_text(rows))
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(
    path: Path, rows: Sequence[Row], sheet: str = "台账", *, before: Sequence[str] = (), hidden: bool = False
) -> Path:
    """A workbook as Excel saves it: numbers as numbers, dates as date cells, text as text;
    `before` are sheets of notes ahead of the ledger's (hidden ones with `hidden`)."""
    book = xlsxwriter.Workbook(str(path))
    notes = [book.add_worksheet(name) for name in before]
    for note in notes:
        note.write_string(0, 0, "填表说明")
    worksheet = book.add_worksheet(sheet)
    if hidden:
        worksheet.activate()
        for note in notes:
            note.hide()
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if isinstance(cell, date):
                worksheet.write_datetime(r, c, datetime.combine(cell, datetime.min.time()), day)
            elif isinstance(cell, int | float):
                worksheet.write_number(r, c, cell)
            elif cell != "":
                worksheet.write_string(r, c, str(cell))
    book.close()
    return path


def write_ods(path: Path, rows: Sequence[Row], sheet: str = "台账") -> Path:
    """The smallest OpenDocument spreadsheet LibreOffice and WPS write the same way: the
    mimetype first and uncompressed, a manifest, and the cells typed as float, date or string."""

    def cell(value: object) -> str:
        if isinstance(value, date):
            return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"/>'
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
        if value == "":
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        ods.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        ods.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


FILES = {
    "utf-8.csv": lambda p: write_csv(p, LEDGER, "utf-8"),
    "bom.csv": lambda p: write_csv(p, LEDGER, "utf-8-sig"),
    "gbk.csv": lambda p: write_csv(p, LEDGER, "gbk"),
    "unicode-text.txt": lambda p: write_csv(p, LEDGER, "utf-16", delimiter="\t"),
    "ledger.xlsx": lambda p: write_xlsx(p, LEDGER),
    "ledger.ods": lambda p: write_ods(p, LEDGER),
    "xlsx-named.xls": lambda p: write_xlsx(p, LEDGER),
}


def new_values(run: Run, db: Path, since: str = "2024-11-01") -> list[dict[str, object]]:
    listed = json.loads(run("--db", str(db), "values", "list", "--format", "json").stdout)
    return [
        {k: v[k] for k in ("indicator", "date", "value", "source", "evidence")}
        for v in listed
        if v["date"] >= since
    ]


@pytest.mark.parametrize("name", FILES)
def test_the_same_ledger_in_each_format_imports_the_same_values(
    run: Run, demo_db: Path, tmp_path: Path, name: str
) -> None:
    path = FILES[name](tmp_path / name)
    if name.endswith(".csv"):
        assert path.read_bytes().startswith(codecs.BOM_UTF8) == (name == "bom.csv")

    result = run("--db", str(demo_db), "values", "import", str(path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["已导入 3 条数据", "跳过 1 行未填数值"]
    assert new_values(run, demo_db) == EXPECTED


def test_a_workbooks_quirks_come_out_as_typed(run: Run, demo_db: Path, tmp_path: Path) -> None:
    """A binary float, a serial day number in a number cell, a date cell, an id kept as text."""
    path = write_xlsx(
        tmp_path / "quirks.xlsx",
        [
            ["指标编号", "日期", "数值", "来源"],
            ["1.4.4", 45626, 0.16399999999999998 + 21, "市人社局"],
            ["1.3.1", date(2024, 11, 30), "1,234", 2024],
            ["4.2.2", "20241130", "3,500万", ""],
            ["6.1.2", "2024年11月30日", "（12）", ""],
        ],
    )
    assert run("--db", str(demo_db), "values", "import", str(path)).returncode == 0
    assert [(v["indicator"], v["value"], v["source"]) for v in new_values(run, demo_db)] == [
        ("1.3.1", 1234.0, "2024"),
        ("1.4.4", 21.164, "市人社局"),
        ("4.2.2", 0.35, ""),
        ("6.1.2", -12.0, ""),
    ]


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_one_bad_cell_imports_nothing_and_is_named(
    run: Run, demo_db: Path, tmp_path: Path, kind: str
) -> None:
    rows = [LEDGER[0], *(LEDGER[1:3] * 3)]
    rows = [[r[0], r[1], r[2], date(2024, 11, n), *r[4:]] if n else r for n, r in enumerate(rows)]
    rows[6] = [*rows[6][:2], "—", *rows[6][3:]]
    path = (write_xlsx if kind == "xlsx" else write_ods)(tmp_path / f"台账.{kind}", rows)
    before = demo_db.read_bytes()

    refused = run("--db", str(demo_db), "values", "import", str(path))

    assert refused.returncode == 2
    assert refused.stderr == (
        f"zzreview: {path}: nothing imported: sheet 台账, row 7, column 数值: 4.2.2: '—' is a placeholder, "
        "not a number; leave the row out or give a figure\n"
    )
    assert demo_db.read_bytes() == before


def test_a_csv_names_its_bad_cells_by_line_and_column(run: Run, demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("indicator,date,value\n1.3.1,2024-11-30,1\n1.3.1,2024-12-31,无\n", encoding="gbk")
    refused = run("--db", str(demo_db), "values", "import", str(path))
    assert refused.returncode == 2
    assert "nothing imported: line 3, column value: 1.3.1: '无' is a placeholder" in refused.stderr


def test_the_sheet_is_chosen_by_name_and_an_unknown_one_lists_them(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "two.xlsx", LEDGER, "十一月", before=["说明"])
    unread = run("--db", str(demo_db), "values", "import", str(path))
    assert unread.returncode == 2
    assert "sheet 说明: no header row" in unread.stderr and "sheets: 说明, 十一月" in unread.stderr
    unknown = run("--db", str(demo_db), "values", "import", str(path), "--sheet", "十月")
    assert unknown.returncode == 2
    assert unknown.stderr == (
        f"zzreview: {path}: no sheet named '十月'; its sheets: 说明, 十一月 (choose one with --sheet)\n"
    )
    assert run("--db", str(demo_db), "values", "import", str(path), "--sheet", " 十一月 ").returncode == 0
    assert new_values(run, demo_db) == EXPECTED


def test_a_hidden_sheet_is_passed_over(run: Run, demo_db: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "hidden.xlsx", LEDGER, before=["说明"], hidden=True)
    assert run("--db", str(demo_db), "values", "import", str(path)).returncode == 0
    assert new_values(run, demo_db) == EXPECTED


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\x89PNG\r\n\x1a\n", "not text in UTF-8, GB18030 (GBK) or UTF-16"),
        (b"PK\x03\x04broken", "cannot read it as a workbook"),
        ("<html><table><tr><td>指标编号</td></tr></table></html>".encode(), "a web page"),
    ],
)
def test_a_file_that_is_no_ledger_is_one_line(
    run: Run, demo_db: Path, tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "ledger.xls"
    path.write_bytes(content)
    refused = run("--db", str(demo_db), "values", "import", str(path))
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"zzreview: {path}: ") and says in refused.stderr
    assert refused.stderr.count("\n") == 1


# -- the template --------------------------------------------------------------------------------


def test_the_csv_template_is_filled_in_and_imported_back(run: Run, demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    written = run("--db", str(demo_db), "values", "template", "-o", str(path))
    assert written.returncode == 0, written.stderr

    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:10] == [
        "指标编号",
        "指标名称",
        "单位",
        "目标",
        "上次数值",
        "上次日期",
        "数值",
        "日期",
        "来源",
        "进展情况",
    ]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["4.2.2"][:6] == ["4.2.2", "新增工业投资", "亿元", "760", "410", "2024-10-31"]
    assert by_id["4.4.1"][3:5] == ["2024-12-31", "推进中"]
    by_id["4.2.2"][6:9] = ["455.6", "2024/11/30", "市统计局"]
    by_id["4.4.1"][6:10] = ["已完成", "2024年11月30日", "市住建局", "11月28日通车"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))

    imported = run("--db", str(demo_db), "values", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert new_values(run, demo_db) == [
        {"indicator": "4.2.2", "date": "2024-11-30", "value": 455.6, "source": "市统计局", "evidence": ""},
        EXPECTED[2],
    ]


def test_the_xlsx_template_is_filled_in_and_imported_back(run: Run, demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    assert run("--db", str(demo_db), "values", "template", "-o", str(path), "--area", "4").returncode == 0

    with zipfile.ZipFile(path) as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
        styles = book.read("xl/styles.xml").decode()
    assert '<pane xSplit="1" ySplit="1"' in sheet_xml and 'state="frozen"' in sheet_xml
    assert "<b/>" in styles and "<cols>" in sheet_xml
    with CalamineWorkbook.from_path(str(path)) as book:
        assert book.sheet_names == ["台账"]
        rows = book.get_sheet_by_index(0).to_python()
    assert {r[0] for r in rows[1:]} == {
        "4.2.1",
        "4.2.2",
        "4.2.3",
        "4.3.2",
        "4.4.1",
        "4.4.2",
        "4.4.3",
        "4.4.4",
        "4.4.5",
    }
    assert all(isinstance(r[0], str) for r in rows)  # the ids are text cells
    for row in rows:
        if row[0] == "4.2.2":
            row[6:9] = [455.6, date(2024, 11, 30), "市统计局"]
        if row[0] == "4.4.1":
            row[6:10] = ["已完成", date(2024, 11, 30), "市住建局", "11月28日通车"]
    filled = write_xlsx(tmp_path / "filled.xlsx", rows)

    imported = run("--db", str(demo_db), "values", "import", str(filled))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == ["已导入 2 条数据", "跳过 7 行未填数值"]
    assert new_values(run, demo_db) == [
        {"indicator": "4.2.2", "date": "2024-11-30", "value": 455.6, "source": "市统计局", "evidence": ""},
        EXPECTED[2],
    ]


def test_the_template_in_english(run: Run, demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    written = run("--db", str(demo_db), "values", "template", "-o", str(path), "--lang", "en", "--area", "4")
    assert written.returncode == 0, written.stderr
    assert written.stderr == f"Wrote the ledger template {path} (9 rows)\n"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][:10] == [
        "indicator",
        "name",
        "unit",
        "target",
        "last value",
        "last date",
        "value",
        "date",
        "source",
        "evidence",
    ]
    assert rows[2][:3] == ["4.2.2", "New industrial investment", "100m yuan"]


def test_the_template_never_replaces_a_file_unasked_nor_the_database(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"the lead unit's own")
    refused = run("--db", str(demo_db), "values", "template", "-o", str(path))
    assert refused.returncode == 2
    assert refused.stderr == f"zzreview: {path} already exists; add --force to replace it\n"
    assert path.read_bytes() == b"the lead unit's own"
    assert run("--db", str(demo_db), "values", "template", "-o", str(path), "--force").returncode == 0
    assert path.read_bytes().startswith(b"PK")

    before = demo_db.read_bytes()
    for own in (demo_db, demo_db.with_name(demo_db.name + ".journal")):
        refused = run("--db", str(demo_db), "values", "template", "-o", str(own), "--force")
        assert refused.returncode == 2
        assert "choose another file for the template" in refused.stderr
    assert demo_db.read_bytes() == before
    wrong = run("--db", str(demo_db), "values", "template", "-o", str(tmp_path / "台账.docx"))
    assert wrong.returncode == 2 and "a template is written as .csv or .xlsx" in wrong.stderr
    unknown = run("--db", str(demo_db), "values", "template", "-o", str(tmp_path / "x.csv"), "--area", "99")
    assert unknown.returncode == 2 and "no area 99 in the plan" in unknown.stderr


def test_only_a_workbook_pays_for_its_reader(
    isolated_env: dict[str, str], demo_db: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ledger.csv", LEDGER, "gbk")
    modules = loaded(isolated_env, "--db", str(demo_db), "values", "import", str(path))
    assert among(modules, "python_calamine", "xlsxwriter") == []
    assert "zzreview.meeting.ledger" in modules
