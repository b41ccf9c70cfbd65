"""The minutes as a Word document in 公文 layout (GB/T 9704-2012), read back with python-docx:
the page, the fonts (the East-Asian ones by name) and sizes, the tables against the Markdown's,
typed text exactly as typed, the same bytes for the same data, and the whole text against a
golden file."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tests.rendering.test_minutes import HOSTILE, assert_well_formed, hostile_input
from zzreview.meeting import commands
from zzreview.meeting.minutes import minutes_document, minutes_input, minutes_markdown
from zzreview.meeting.session import demo_in_memory
from zzreview.rendering.gongwen import FALLBACKS, FONTS, MARGINS_MM, Layout, column_widths, minutes_docx
from zzreview.rendering.minutes import render_minutes
from zzreview.storage.repository import Repository

GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("ZZREVIEW_UPDATE_GOLDEN") == "1"
MEETING = "2024-10-31"
MONTH_HEADER = {"zh": "月份", "en": "Month"}


@pytest.fixture(scope="module")
def repo() -> Repository:
    return demo_in_memory(who="test")


@pytest.fixture(scope="module")
def zh(repo: Repository) -> docx.document.Document:
    return docx.Document(io.BytesIO(minutes_document(repo, MEETING, "zh")))


def east_asian(style) -> str | None:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def document_text(document) -> str:
    """The document as text, in order: each paragraph with its style, each table's cells."""
    lines = []
    body = document.element.body
    tables = iter(document.tables)
    paragraphs = iter(document.paragraphs)
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = next(paragraphs)
            if paragraph.text:
                lines.append(f"[{paragraph.style.name}] {paragraph.text}")
        elif child.tag == qn("w:tbl"):
            table = next(tables)
            lines.append(f"[table {len(table.rows)}×{len(table.columns)}]")
            lines += ["| " + " | ".join(cell.text for cell in row.cells) + " |" for row in table.rows]
    return "\n".join(lines) + "\n"


def test_the_page_is_a4_with_the_standards_margins(zh) -> None:
    section = zh.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m.mm, 1) for m in margins) == tuple(
        MARGINS_MM[side] for side in ("top", "bottom", "left", "right")
    )
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "580"  # 29 pt: 22 lines a page


def test_title_headings_and_body_have_the_offices_fonts_and_sizes(zh) -> None:
    styles = zh.styles
    expected = {
        "Normal": (FONTS["body"], Pt(16)),  # 3号仿宋
        "纪要标题": (FONTS["title"], Pt(22)),  # 2号小标宋
        "一级标题": (FONTS["heading1"], Pt(16)),  # 3号黑体
        "二级标题": (FONTS["heading2"], Pt(16)),  # 3号楷体
        "页码": (FONTS["page"], Pt(14)),  # 4号宋体
    }
    for name, (font, size) in expected.items():
        assert (east_asian(styles[name]), styles[name].font.size) == (font, size), name
    assert styles["Normal"].paragraph_format.line_spacing == Pt(29)
    first = zh.paragraphs[0]
    assert first.style.name == "纪要标题" and first.text == "2024年下半年经济运行调度会（10月）纪要"
    assert first.style.paragraph_format.alignment == 1  # centred
    kinds = {p.style.name for p in zh.paragraphs if p.text.startswith(("一、", "二、", "三、"))}
    assert kinds == {"一级标题"}
    assert {p.style.name for p in zh.paragraphs if p.text.startswith("重点工作")} == {"二级标题"}


def test_the_fonts_name_their_stand_ins(zh, repo: Repository) -> None:
    package = zipfile.ZipFile(io.BytesIO(minutes_document(repo, MEETING, "zh")))
    table = package.read("word/fontTable.xml").decode("utf-8")
    for font, stand_in in FALLBACKS.items():
        assert f'<w:font w:name="{font}"><w:altName w:val="{stand_in}"/>' in table
    # The chain the standard's fonts fall back along on a newer Windows.
    assert (FALLBACKS["仿宋_GB2312"], FALLBACKS["仿宋"]) == ("仿宋", "FangSong")
    assert (FALLBACKS["方正小标宋简体"], FALLBACKS["小标宋"]) == ("小标宋", "SimHei")
    assert (FALLBACKS["楷体_GB2312"], FALLBACKS["楷体"]) == ("楷体", "KaiTi")


def test_the_attendance_labels_are_in_heiti_with_a_full_width_colon(zh) -> None:
    for label in ("出席：", "列席："):
        paragraph = next(p for p in zh.paragraphs if p.text.startswith(label))
        head, *rest = paragraph.runs
        assert head.text == label
        assert head._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
        assert all(east_asian_of(run) in (None, FONTS["body"]) for run in rest)  # the names in 仿宋


def east_asian_of(run) -> str | None:
    fonts = None if run._r.rPr is None else run._r.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_pages_are_numbered_at_the_foot_right_on_odd_pages_left_on_even(zh) -> None:
    section = zh.sections[0]
    assert zh.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == align
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert " PAGE " in "".join(node.text or "" for node in paragraph._p.iter(qn("w:instrText")))


def test_every_table_is_the_markdowns_with_a_grid_and_a_repeating_header(zh, repo: Repository) -> None:
    parsed = assert_well_formed(minutes_markdown(repo, MEETING, "zh"))
    tables = [t for t in zh.tables if t.rows[0].cells[0].text != MONTH_HEADER["zh"]]
    assert [(len(t.rows), len(t.columns)) for t in tables] == [(len(t), len(t[0])) for t in parsed.tables]
    for table, source in zip(tables, parsed.tables, strict=True):
        assert [[c.text for c in row.cells] for row in table.rows] == source
        assert table.style.name == "Table Grid"
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"


def test_each_chart_is_a_table_of_its_months(zh, repo: Repository) -> None:
    charts = minutes_markdown(repo, MEETING, "zh").count("```text\n")
    months = [t for t in zh.tables if t.rows[0].cells[0].text == MONTH_HEADER["zh"]]
    assert len(months) == charts
    caption = next(p.text for p in zh.paragraphs if p.text.startswith("表 4.2.2"))
    assert caption == "表 4.2.2　新增工业投资逐月情况（单位：亿元）"
    table = next(t for t in months if t.rows[1].cells[1].text == "98")
    assert [c.text for c in table.rows[0].cells] == ["月份", "实际", "序时进度", "目标"]
    assert [c.text for c in table.rows[-1].cells] == ["10月", "410", "506.7", "760"]
    assert "```" not in document_text(zh) and "⣿" not in document_text(zh)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_typed_text_reads_back_exactly_in_cells_and_paragraphs(repo: Repository, lang: str) -> None:
    data = replace(hostile_input(repo, lang), chart_tables=True)
    document = docx.Document(io.BytesIO(minutes_docx(render_minutes(data), Layout(data.meeting, lang, "t"))))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    paragraphs = [p.text for p in document.paragraphs]
    for text in HOSTILE:
        assert cells.count(text) >= 4, text  # the item, its owner, lead and supporting units
        assert text in paragraphs, text  # the note
        assert any(p.endswith(" " + text) for p in paragraphs if p[:1].isdigit()), text  # the decision


def test_the_same_minutes_give_the_same_bytes(repo: Repository) -> None:
    assert minutes_document(repo, MEETING, "zh") == minutes_document(repo, MEETING, "zh")
    properties = docx.Document(io.BytesIO(minutes_document(repo, MEETING, "zh"))).core_properties
    assert (properties.created.date().isoformat(), properties.author) == (MEETING, "市政府副秘书长")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_demo_minutes_match_the_golden_text(repo: Repository, lang: str) -> None:
    text = document_text(docx.Document(io.BytesIO(minutes_document(repo, MEETING, lang))))
    golden = GOLDEN / f"minutes-demo-{lang}.docx.txt"
    if UPDATE:
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing; run with ZZREVIEW_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} changed; review and regenerate"


def test_a_closed_meetings_document_carries_its_issue_details_and_imprint() -> None:
    repo = demo_in_memory(who="test")
    commands.edit_meeting(repo, "2024-09-30", issuer="郑州市人民政府办公室", distribution="各区")
    document = docx.Document(io.BytesIO(minutes_document(repo, "2024-09-30", "zh")))
    number = next(p for p in document.paragraphs if p.text == "第9期")
    assert number.style.name == "期数"
    imprint = [p for p in document.paragraphs if p.style.name == "版记"]
    assert [p.text for p in imprint] == ["分送：各区", "郑州市人民政府办公室\t2024年9月30日印发"]
    assert imprint[0]._p.pPr.find(qn("w:pBdr")).find(qn("w:top")) is not None  # between rules


def test_narrow_columns_keep_their_words_and_the_text_columns_share_the_rest() -> None:
    rows = [["序号", "编号", "事项"], ["1", "A12", "梳理800个重大工业项目" * 3]]
    total = Mm(156)
    widths = column_widths(rows, total, 10.5)
    assert sum(widths) == total
    assert widths[2] > 3 * widths[0] and widths[1] >= Pt(4 * 10.5 / 2 + 11)
    crowded = column_widths([["<script>alert(1)</script>"] * 12], total, 10.5)
    assert sum(crowded) == total and min(crowded) > 0  # wider than the page: each still has room


def test_minutes_input_for_the_document_is_the_markdowns(repo: Repository) -> None:
    """The document is made from the same input as the Markdown: only the charts differ."""
    data = minutes_input(repo, MEETING, "zh")
    assert render_minutes(replace(data, chart_tables=True)).count("```text") == 0
    assert render_minutes(data) == minutes_markdown(repo, MEETING, "zh")


@pytest.mark.parametrize("typed", ["1.", "- 3", "---", "1. 第三期", "# 标题", "a&b<c>\"d'"])
def test_issue_details_that_look_like_markdown_read_as_typed(typed: str) -> None:
    repo = demo_in_memory(who="test")
    commands.edit_meeting(repo, MEETING, number=typed, issuer=typed, distribution=typed)
    markdown = minutes_markdown(repo, MEETING, "zh")
    paragraphs = assert_well_formed(markdown).paragraphs
    assert typed in paragraphs and f"分送：{typed}" in paragraphs
    assert f"{typed}　　2024年10月31日印发" in paragraphs
    document = docx.Document(io.BytesIO(minutes_document(repo, MEETING, "zh")))
    assert next(p for p in document.paragraphs if p.style.name == "期数").text == typed
    imprint = [p.text for p in document.paragraphs if p.style.name == "版记"]
    assert imprint == [f"分送：{typed}", f"{typed}\t2024年10月31日印发"]
