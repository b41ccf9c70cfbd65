"""The minutes as a Word document laid out after GB/T 9704-2012 (党政机关公文格式).

The document is made from the Markdown minutes themselves, read back as blocks
(`rendering.blocks`), so the two say the same thing: every paragraph, heading, list item and table
cell of the Markdown is a paragraph or a cell here, reading exactly as typed. Only the charts
differ: the caller renders the Markdown with month tables in their place (a text chart does not
survive in Word).

The layout: A4 with margins of 37 / 35 / 28 / 26 mm (top / bottom / left / right); the body in
3号仿宋 (16 pt) on a fixed 29 pt line, 22 lines a page of 28 characters each; the title in
2号小标宋, centred; level-1 headings (一、) in 黑体 and level-2 ones (the areas) in 楷体; the
header's labels (出席、请假、列席 …) in 黑体 with a full-width colon; tables with a full grid and
a header row repeated on every page; page numbers "— 1 —" in 4号宋体 at the foot, right on odd
pages and left on even ones; the 分送 / 印发 lines of the imprint (版记) between rules.

Each style names its East-Asian font with a fallback, through the font table's alternative
names: 仿宋_GB2312 → 仿宋 → FangSong, 方正小标宋简体 → 小标宋 → SimHei, 楷体_GB2312 → 楷体 →
KaiTi (the _GB2312 fonts are missing on newer Windows).

Frozen like the Markdown: the same minutes give the same bytes. The document's properties take
the meeting's date (created, modified) and its secretary (author), and every part of the file
carries the same fixed time stamp.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from zzreview.domain import Meeting
from zzreview.i18n import t
from zzreview.rendering.blocks import Block, Inline, read_blocks
from zzreview.rendering.minutes import long_date

__all__ = ["FONTS", "MARGINS_MM", "Layout", "minutes_docx"]

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
"""The page margins of GB/T 9704-2012 (A4: 210 × 297 mm), in millimetres."""

BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
FOOTER_PT = 14.0  # 4号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
TEXT_HEIGHT_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]
"""The type area of an A4 page between the margins: 156 × 225 mm."""
LINE_PT = round(TEXT_HEIGHT_MM / 25.4 * 72 / LINES_PER_PAGE)
"""The body's fixed line spacing, 29 pt: 22 lines fill the 225 mm between the margins."""
TABLE_PT = {"narrow": 12.0, "wide": 10.5}
"""Table text: 小四 for a table of up to five columns, 五号 for a wider one."""
WIDE_TABLE_COLUMNS = 6

LATIN = "Times New Roman"

FONTS = {
    "body": "仿宋_GB2312",
    "title": "方正小标宋简体",
    "heading1": "黑体",
    "heading2": "楷体_GB2312",
    "label": "黑体",
    "page": "宋体",
}
"""The East-Asian font of each part of the document."""

FALLBACKS = {
    "仿宋_GB2312": "仿宋",
    "仿宋": "FangSong",
    "方正小标宋简体": "小标宋",
    "小标宋": "SimHei",
    "楷体_GB2312": "楷体",
    "楷体": "KaiTi",
    "黑体": "SimHei",
    "宋体": "SimSun",
}
"""Each font's stand-in where it is not installed (the font table's alternative name)."""

STAMP = (1980, 1, 1, 0, 0, 0)
"""The time stamp of every part inside the file: the same data, the same bytes."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(text: str) -> str:
    """Text Word can hold: characters XML forbids (none reach here from the app's input,
    which is cleaned on entry) are dropped rather than failing the whole document."""
    return _NOT_XML.sub("", text)


# -- writing the document --------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What the document needs besides the Markdown: the meeting (its issue details, its date
    and secretary for the document's properties) and the language."""

    meeting: Meeting
    lang: str
    title: str
    """The document's title, as its properties carry it."""


def minutes_docx(markdown: str, layout: Layout) -> bytes:
    """The minutes (Markdown, with month tables for charts) as the bytes of a .docx file."""
    import docx
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7)
    _grid(section)
    writer = _Writer(document, layout)
    writer.styles()
    writer.page_numbers(section)
    blocks = read_blocks(markdown)
    for position, block in enumerate(blocks):
        writer.block(block, after_title=position > 0 and blocks[position - 1].kind == "title")
    writer.properties()
    buffer = io.BytesIO()
    document.save(buffer)
    return _packaged(buffer.getvalue())


def _grid(section: Any) -> None:
    """The page's grid: 22 lines a page, 28 characters a line."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    # A grid of lines only: a grid of characters narrower than the body's 16 pt would make
    # LibreOffice give each character two cells. 28 characters a line come from the body's
    # character spacing instead (`CHAR_SPACING`).
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    sect.append(grid)


TEXT_WIDTH_PT = TEXT_WIDTH_MM / 25.4 * 72
CHAR_SPACING = math.floor((TEXT_WIDTH_PT / CHARS_PER_LINE - BODY_PT) * 20)
"""The body's character spacing, in twentieths of a point (−5: 16 pt characters less a quarter
of a point each), so that 28 of them fill the 156 mm line (442 pt) just short of its end."""


def _set_fonts(r_pr: Any, east_asian: str, latin: str = LATIN) -> None:
    """Name the fonts of a run's or a style's properties, the East-Asian one included (Word takes
    Chinese text's font from `w:eastAsia` alone), and drop the theme's fonts, which would win."""
    from docx.oxml.ns import qn

    fonts = r_pr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


class _Writer:
    def __init__(self, document: Any, layout: Layout) -> None:
        self.document = document
        self.layout = layout
        self._style_ids: dict[str, str] = {}
        meeting, lang = layout.meeting, layout.lang
        self.number = meeting.number.strip()
        self.distribution = (
            t("minutes.distribution", lang, names=meeting.distribution) if meeting.distribution else None
        )
        self.issued = (
            t("minutes.issued", lang, issuer=meeting.issuer, date=long_date(meeting.date, lang))
            if meeting.issuer
            else None
        )

    # styles

    def styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            r_pr = defaults.find(qn("w:rPrDefault"))
            if r_pr is not None and r_pr.find(qn("w:rPr")) is not None:
                default = r_pr.find(qn("w:rPr"))
                _set_fonts(default, FONTS["body"])
                # The character grid counts in the default size: the body's, so 28 fit a line.
                for old in default.findall(qn("w:sz")) + default.findall(qn("w:szCs")):
                    default.remove(old)
                for tag in ("w:sz", "w:szCs"):
                    size = OxmlElement(tag)
                    size.set(qn("w:val"), str(round(BODY_PT * 2)))
                    default.append(size)
        normal = styles["Normal"]
        _set_fonts(normal.element.get_or_add_rPr(), FONTS["body"])
        normal.font.size = Pt(BODY_PT)
        condensed = OxmlElement("w:spacing")
        condensed.set(qn("w:val"), str(CHAR_SPACING))
        normal.element.get_or_add_rPr().append(condensed)
        normal.font.color.rgb = RGBColor(0, 0, 0)
        spacing = normal.paragraph_format
        spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        spacing.line_spacing = Pt(LINE_PT)
        spacing.space_before = spacing.space_after = Pt(0)
        spacing.first_line_indent = Pt(2 * BODY_PT)
        spacing.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

        def paragraph_style(name: str, font: str, size: float, *, outline: int | None = None) -> Any:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.quick_style = True
            _set_fonts(style.element.get_or_add_rPr(), font)
            style.font.size = Pt(size)
            style.font.bold = False
            if outline is not None:
                # An outline level: the heading is in Word's navigation pane and a table of contents.
                level = OxmlElement("w:outlineLvl")
                level.set(qn("w:val"), str(outline))
                style.element.get_or_add_pPr().append(level)
            return style

        title = paragraph_style("纪要标题", FONTS["title"], TITLE_PT, outline=0)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.first_line_indent = Pt(0)
        title.paragraph_format.line_spacing = Pt(TITLE_PT * 1.5)
        title.paragraph_format.space_after = Pt(LINE_PT)
        paragraph_style("一级标题", FONTS["heading1"], BODY_PT, outline=1)
        paragraph_style("二级标题", FONTS["heading2"], BODY_PT, outline=2)
        number = paragraph_style("期数", FONTS["body"], BODY_PT)
        number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        number.paragraph_format.first_line_indent = Pt(0)
        number.paragraph_format.space_after = Pt(LINE_PT / 2)
        imprint = paragraph_style("版记", FONTS["body"], FOOTER_PT)
        imprint.paragraph_format.first_line_indent = Pt(0)
        imprint.paragraph_format.left_indent = Pt(FOOTER_PT)
        imprint.paragraph_format.right_indent = Pt(FOOTER_PT)
        for size, name in ((TABLE_PT["narrow"], "表格文字"), (TABLE_PT["wide"], "宽表文字")):
            cell = paragraph_style(name, FONTS["body"], size)
            cell.paragraph_format.first_line_indent = Pt(0)
            cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            # A cell's lines are as high as its text, not the page's 29 pt grid.
            off_grid = OxmlElement("w:snapToGrid")
            off_grid.set(qn("w:val"), "0")
            cell.element.get_or_add_pPr().append(off_grid)
        code = paragraph_style("图表文字", "宋体", 9.0)
        code.paragraph_format.first_line_indent = Pt(0)
        code.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        footer = paragraph_style("页码", FONTS["page"], FOOTER_PT)
        footer.paragraph_format.first_line_indent = Pt(0)
        footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    # the foot of each page

    def page_numbers(self, section: Any) -> None:
        """— 1 — in 4号宋体: right on odd pages, left on even ones, a character in from the edge."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        self.document.settings.odd_and_even_pages_header_footer = True
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            paragraph.style = self.document.styles["页码"]
            paragraph.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph.paragraph_format.right_indent = Pt(FOOTER_PT)
            else:
                paragraph.paragraph_format.left_indent = Pt(FOOTER_PT)
            paragraph.add_run("— ")
            _page_field(paragraph)
            paragraph.add_run(" —")

    # blocks

    def block(self, block: Block, *, after_title: bool) -> None:
        text = block.text
        if block.kind == "title":
            self._paragraph(block.runs, "纪要标题")
        elif block.kind == "heading1":
            self._paragraph(block.runs, "一级标题")
        elif block.kind == "heading2":
            self._paragraph(block.runs, "二级标题")
        elif block.kind == "table":
            self._table(block)
        elif block.kind == "code":
            for line in text.split("\n"):
                self._paragraph([Inline(line)], "图表文字")
        elif block.kind == "paragraph" and after_title and self.number and text == self.number:
            self._paragraph(block.runs, "期数")
        elif block.kind == "paragraph" and text in (self.distribution, self.issued):
            self._imprint(block, first=text == self.distribution or self.distribution is None)
        elif block.kind == "item" and block.in_facts:
            self._fact(block)
        elif block.kind == "item" and block.marker:
            self._paragraph([Inline(block.marker + " "), *block.runs], None)
        elif block.kind == "quote":
            paragraph = self._paragraph(block.runs, None)
            for run in paragraph.runs:
                _set_fonts(run._r.get_or_add_rPr(), FONTS["heading2"])
        else:
            self._paragraph(block.runs, None)

    def _style_id(self, name: str) -> str:
        """A style's id, looked up once: python-docx looks a style name up in ~1 ms."""
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def _add_paragraph(self, style: str | None) -> Any:
        paragraph = self.document.add_paragraph()
        if style is not None:
            paragraph._p.style = self._style_id(style)
        return paragraph

    def _paragraph(self, runs: Sequence[Inline], style: str | None) -> Any:
        paragraph = self._add_paragraph(style)
        for run in runs:
            added = paragraph.add_run(_xml_safe(run.text))
            if run.bold:
                added.bold = True
        return paragraph

    def _fact(self, block: Block) -> None:
        """A fact of the header: its label in 黑体, a full-width colon, the names in 仿宋."""
        colon = "：" if self.layout.lang == "zh" else ": "
        text = block.text
        label, found, rest = text.partition(colon)
        if not found:
            self._paragraph(block.runs, None)
            return
        paragraph = self.document.add_paragraph()
        head = paragraph.add_run(_xml_safe(label + colon))
        _set_fonts(head._r.get_or_add_rPr(), FONTS["label"])
        if self.layout.lang != "zh":
            head.bold = True
        paragraph.add_run(_xml_safe(rest))

    def _imprint(self, block: Block, *, first: bool) -> None:
        """分送 and 印发, each between rules the width of the text (the 版记)."""
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Mm

        paragraph = self._add_paragraph("版记")
        text = block.text
        issuer = self.layout.meeting.issuer
        if text == self.issued and text.startswith(issuer) and self.layout.lang == "zh":
            # 印发机关 at the left, the date at the right.
            width = Mm(TEXT_WIDTH_MM)
            paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            paragraph.add_run(_xml_safe(issuer))
            paragraph.add_run("\t" + _xml_safe(text[len(issuer) :].lstrip("　 ")))
        else:
            paragraph.add_run(_xml_safe(text))
        _rules(paragraph, top=first, bottom=True)

    def _table(self, block: Block) -> None:
        """A table with a full grid, its header row repeated on each page, its columns as wide
        as what they hold. Written as one piece of WordprocessingML: python-docx builds a cell
        in ~0.1 ms, and a plan of 1,000 indicators has some 10,000 cells."""
        from docx.oxml import parse_xml
        from docx.shared import Mm

        if not block.rows:
            return
        columns = len(block.rows[0])
        wide = columns >= WIDE_TABLE_COLUMNS
        style = "宽表文字" if wide else "表格文字"
        size = TABLE_PT["wide" if wide else "narrow"]
        widths = [
            emu // 635  # EMU to twentieths of a point
            for emu in column_widths(block.rows, Mm(TEXT_WIDTH_MM), size)
        ]
        cell_style, grid = self._style_id(style), self._style_id("Table Grid")
        header_font = _fonts_xml(FONTS["heading1"])
        parts = [
            f'<w:tbl {_W_NS}><w:tblPr><w:tblStyle w:val="{grid}"/><w:tblW w:w="0" w:type="auto"/>'
            '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1"'
            ' w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>',
            "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>",
        ]
        for r, cells in enumerate(block.rows):
            # The header row repeats at the top of each page the table runs onto.
            parts.append('<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>' if r == 0 else "<w:tr>")
            for c, value in enumerate(cells):
                align = '<w:jc w:val="right"/>' if c in block.right and r > 0 else ""
                fonts = f"<w:rPr>{header_font}</w:rPr>" if r == 0 else ""
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/></w:tcPr>'
                    f'<w:p><w:pPr><w:pStyle w:val="{cell_style}"/>{align}</w:pPr>'
                    f"{_runs_xml(value, fonts)}</w:p></w:tc>"
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        body = self.document.element.body
        body.sectPr.addprevious(parse_xml("".join(parts)))
        # A table keeps to the grid's lines no more than a cell's text does; the paragraph after
        # it starts on a fresh line.
        self._add_paragraph(style)

    # properties

    def properties(self) -> None:
        meeting = self.layout.meeting
        properties = self.document.core_properties
        day = datetime(meeting.date.year, meeting.date.month, meeting.date.day, tzinfo=UTC)
        author = meeting.secretary or "zzreview"
        properties.title = _xml_safe(self.layout.title)
        properties.subject = _xml_safe(meeting.title)
        properties.author = _xml_safe(author)
        properties.last_modified_by = _xml_safe(author)
        properties.created = properties.modified = day
        properties.revision = 1
        properties.comments = ""
        properties.keywords = ""
        properties.category = ""
        properties.language = "zh-CN" if self.layout.lang == "zh" else "en"


WIDEST_SHARE = 24
"""A column's share of a table's width grows with its longest line up to this many cells."""

CELL_PADDING_PT = 11.0
"""Word's default cell margins, left and right together."""

_UNBROKEN = re.compile(r"[\x21-\x7e]+")
"""A run of ASCII that Word keeps on one line (an id, a number, a year)."""


def column_widths(rows: Sequence[Sequence[str]], total: int, font_pt: float) -> list[int]:
    """Each column's width (of `total`, in EMU): a share by the longest line it holds, header
    included, so a number column stays narrow and the text ones share the rest; never narrower
    than its longest unbroken word (A1, 2024) or two Chinese characters."""
    from rich.cells import cell_len

    emu_per_pt = 12700
    shares, floors = [], []
    for column in zip(*rows, strict=True):
        lines = [line for cell in column for line in cell.split("\n")]
        longest = max((cell_len(line) for line in lines), default=1)
        word = max((len(w) for line in lines for w in _UNBROKEN.findall(line)), default=0)
        shares.append(min(max(longest, 2), WIDEST_SHARE) + 2)
        floors.append(round((max(word, 4) * font_pt / 2 + CELL_PADDING_PT) * emu_per_pt))
    if sum(floors) > total:  # more unbroken words than the page is wide: they wrap after all
        floors = [floor * total // sum(floors) for floor in floors]
    widths = [0] * len(shares)
    free = list(range(len(shares)))
    room = total
    while free:
        whole = sum(shares[i] for i in free)
        below = [i for i in free if room * shares[i] // whole < floors[i]]
        if not below:
            for i in free:
                widths[i] = room * shares[i] // whole
            break
        for i in below:  # held at its floor; the others share what is left
            widths[i] = floors[i]
            room -= floors[i]
            free.remove(i)
    widths[-1] += total - sum(widths)
    return widths


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _fonts_xml(east_asian: str, latin: str = LATIN) -> str:
    from xml.sax.saxutils import quoteattr

    return (
        f"<w:rFonts w:ascii={quoteattr(latin)} w:hAnsi={quoteattr(latin)} w:cs={quoteattr(latin)}"
        f" w:eastAsia={quoteattr(east_asian)}/>"
    )


def _runs_xml(text: str, properties: str) -> str:
    """A cell's text as one run: each line break a `w:br`, each tab a `w:tab`, as python-docx
    writes them (and reads them back as "\n" and "\t")."""
    from xml.sax.saxutils import escape

    pieces = []
    for index, line in enumerate(_xml_safe(text).split("\n")):
        if index:
            pieces.append("<w:br/>")
        for part, chunk in enumerate(line.split("\t")):
            if part:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return f"<w:r>{properties}{''.join(pieces)}</w:r>" if pieces else ""


def _page_field(paragraph: Any) -> None:
    """A PAGE field: Word fills in the page's number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str) -> Any:
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        return run

    fld("begin")
    instruction = paragraph.add_run()
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = " PAGE "
    instruction._r.append(code)
    fld("separate")
    paragraph.add_run("1")
    fld("end")


def _rules(paragraph: Any, *, top: bool, bottom: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    for side, wanted in (("top", top), ("bottom", bottom)):
        if wanted:
            line = OxmlElement(f"w:{side}")
            line.set(qn("w:val"), "single")
            line.set(qn("w:sz"), "6")
            line.set(qn("w:space"), "1")
            line.set(qn("w:color"), "000000")
            borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def _with_fallbacks(font_table: bytes) -> bytes:
    """The document's font table with each font the styles name, its stand-in as the
    alternative name (仿宋_GB2312 → 仿宋 → FangSong)."""
    from xml.sax.saxutils import quoteattr

    entries = "".join(
        f"<w:font w:name={quoteattr(name)}><w:altName w:val={quoteattr(stand_in)}/>"
        '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for name, stand_in in FALLBACKS.items()
    )
    return font_table.decode("utf-8").replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _packaged(data: bytes) -> bytes:
    """The package written again: the fonts' stand-ins in its font table, and one fixed time
    stamp on every part, so the bytes follow the data."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/fontTable.xml":
                part = _with_fallbacks(part)
            fixed = zipfile.ZipInfo(info.filename, date_time=STAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, part)
    return out.getvalue()
