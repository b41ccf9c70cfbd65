"""The Markdown minutes: golden files, safe text, structure and frozen figures.

Regenerate the golden files with `ZZREVIEW_UPDATE_GOLDEN=1 pytest tests/rendering`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.dose import examples
from zzreview.domain import (
    ActionChange,
    ActionItem,
    ActionStatus,
    ChangeKind,
    Decision,
    Judgement,
    Meeting,
    MeetingState,
    Note,
    Verdict,
    carried_into,
)
from zzreview.domain.entry import EntryError
from zzreview.meeting import commands
from zzreview.meeting.figures import reviewed_with_dates
from zzreview.meeting.minutes import minutes_input, minutes_markdown
from zzreview.meeting.session import Seat, create_database, demo_in_memory
from zzreview.meeting.view import build_meeting_view
from zzreview.rendering.minutes import (
    CHART_WIDTH,
    CarriedAction,
    escape_cell,
    escape_paragraph,
    render_action_list,
    render_minutes,
)
from zzreview.storage.repository import Repository

GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("ZZREVIEW_UPDATE_GOLDEN") == "1"

HOSTILE = [
    "x [/] y",
    "[bold]b[/bold]",
    "a | b | c",
    "`tick` *star* _u_ #h ~t~ [l](u) <b>",
    "<script>alert(1)</script>",
    "line1\nline2",
    "郑州🚇",
    "\\ backslash \\|",
    "x" * 100_000,
    # Block markers, entities, whitespace and line shapes that Markdown would reinterpret.
    "# not a heading\n- not a list\n1. not a list\n> not a quote\n---\n===",
    "&amp; &lt;b&gt; &#35; &copy",
    "  leading and trailing spaces  ",
    "\u3000\u3000全角缩进的段落",
    "a\n\nb\n\n\nc",
    "ends with a newline\n",
    "\nstarts with a newline",
    "    four spaces: not code",
    "*",
    "_",
    "|",
    "\\",
    "-",
    "+",
    "1)",
    "<br>",
    "$x$",
    "~~s~~",
    "a  \nb",
]


# -- parsing helpers -----------------------------------------------------------------------


def parser() -> MarkdownIt:
    # js-default already has GFM tables (and strikethrough); raw HTML is switched on so that any
    # HTML the minutes let through shows up as an html token rather than as text.
    return MarkdownIt("js-default", {"html": True}).enable("table")


def inline_text(token: Token) -> str:
    """The text a reader sees in an inline token, with line breaks as "\\n"."""
    parts = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline":
            assert child.content == "<br>", f"raw HTML in the minutes: {child.content!r}"
            parts.append("\n")
        else:
            parts.append(child.content)
    return "".join(parts)


@dataclass
class Parsed:
    tables: list[list[list[str]]] = field(default_factory=list)
    """Each table as rows of cell texts, the header row first."""
    paragraphs: list[str] = field(default_factory=list)
    formatting: set[str] = field(default_factory=set)
    """Inline token types other than text and breaks, per paragraph or cell text."""


def parse(markdown: str) -> Parsed:
    tokens = parser().parse(markdown)
    parsed = Parsed()
    row: list[str] | None = None
    in_cell = in_paragraph = False
    for token in tokens:
        assert token.type != "html_block", f"raw HTML block in the minutes: {token.content!r}"
        if token.type == "table_open":
            parsed.tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            assert row is not None
            parsed.tables[-1].append(row)
            row = None
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "paragraph_open":
            in_paragraph = True
        elif token.type == "paragraph_close":
            in_paragraph = False
        elif token.type == "inline":
            text = inline_text(token)
            for child in token.children or []:
                if child.type not in ("text", "softbreak", "hardbreak", "html_inline"):
                    parsed.formatting.add(child.type)
            if in_cell:
                assert row is not None
                row.append(text)
            elif in_paragraph:
                parsed.paragraphs.append(text)
    return parsed


def assert_well_formed(markdown: str) -> Parsed:
    parsed = parse(markdown)
    for table in parsed.tables:
        width = len(table[0])
        for row in table:
            assert len(row) == width, f"a row with {len(row)} cells under a header of {width}: {row[:3]}"
    return parsed


def table_with(parsed: Parsed, header: str) -> list[list[str]]:
    matches = [table for table in parsed.tables if header in table[0]]
    assert len(matches) == 1, f"expected one table with a {header!r} column, found {len(matches)}"
    return matches[0]


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def repo() -> Repository:
    """A fresh in-memory demo database."""
    return demo_in_memory(who="test")


# -- golden files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting_id", "lang", "name"),
    [
        ("2024-10-31", "zh", "minutes-demo-zh.md"),
        ("2024-10-31", "en", "minutes-demo-en.md"),
        ("2024-09-30", "zh", "minutes-demo-closed-zh.md"),
    ],
)
def test_demo_minutes_match_the_golden_file(repo: Repository, meeting_id: str, lang: str, name: str) -> None:
    text = minutes_markdown(repo, meeting_id, lang)
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing; run with ZZREVIEW_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"{name} changed; review and regenerate"


def test_golden_files_are_well_formed_minutes() -> None:
    for name in (
        "minutes-demo-zh.md",
        "minutes-demo-en.md",
        "minutes-demo-closed-zh.md",
        "minutes-recorded-zh.md",
        "minutes-recorded-en.md",
    ):
        text = (GOLDEN / name).read_text(encoding="utf-8")
        parsed = assert_well_formed(text)
        assert "\x1b" not in text
        assert parsed.tables, name


def test_zh_minutes_follow_the_meeting_minutes_convention(repo: Repository) -> None:
    text = minutes_markdown(repo, "2024-10-31", "zh")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 一、上次交办事项落实情况",
        "## 二、各领域进展",
        "## 三、议定事项",
        "## 四、交办事项清单",
        "## 五、下次会议",
    ]
    assert text.startswith("# 2024年下半年经济运行调度会（10月）纪要\n")
    assert "示例数据，非官方统计" in text.split("## ")[0], "the illustrative notice is near the top"
    assert "数据截至2024年10月31日" in text
    assert "下次会议定于2024年11月29日在市政府第一会议室召开。" in text
    assert text.startswith("# 2024年下半年经济运行调度会（10月）纪要\n\n第10期\n")
    sign_off, imprint = text.rstrip().split("\n---\n")[-1].strip().split("\n\n", 1)
    assert sign_off == "记录人：市政府副秘书长　　审核：＿＿＿＿＿＿"
    assert imprint == (
        "分送：各县（市、区）人民政府，市人民政府各部门，各有关单位\n\n郑州市人民政府办公室　　2024年10月31日印发"
    )
    parsed = assert_well_formed(text)
    carried = table_with(parsed, "交办会议")
    assert [row[1] for row in carried[1:]] == [f"A{n}" for n in range(1, 9)]
    assert all(row[6] == "2024年9月30日" for row in carried[1:]), "dates in tables as in the prose"
    a6 = next(row for row in carried if row[1] == "A6")
    assert a6[7] == "✓ 已办结" and "两项专项方案已于10月12日印发" in a6[8]
    assert carried[1][7] == "● 办理中（逾期）"
    targets = [row for table in parsed.tables if "序时进度" in table[0] for row in table]
    row = next(r for r in targets if r[0].startswith("1.3.1"))
    assert row[1:] == ["1000家（全年）", "700家", "70%", "83%", "−13个百分点", "▲ 需关注"]
    assert text.count("```text\n") == 11, "one chart per target indicator"


def test_charts_are_plain_fixed_width_text(repo: Repository) -> None:
    text = minutes_markdown(repo, "2024-10-31", "en")
    blocks = text.split("```text\n")[1:]
    assert blocks
    for block in blocks:
        body = block.split("\n```\n")[0]
        lines = body.split("\n")
        assert len(lines) == 14
        assert all(len(line) == CHART_WIDTH for line in lines)
        assert "\x1b" not in body
    assert "Legend: ● actual, ═ target, · expected, ⠒ forecast, ┊ meeting date" in text


def test_lang_en_gives_english_headings(repo: Repository) -> None:
    text = minutes_markdown(repo, "2024-10-31", "en")
    assert "## I. Follow-up on earlier action items" in text
    assert "## IV. Action items" in text
    assert "Illustrative data, not official statistics" in text
    assert "一、" not in text


def test_the_closed_meeting_lists_its_own_actions_decisions_and_judgements(repo: Repository) -> None:
    text = minutes_markdown(repo, "2024-09-30", "zh")
    parsed = assert_well_formed(text)
    actions = table_with(parsed, "配合单位")
    assert [row[1] for row in actions[1:]] == [f"A{n}" for n in range(1, 9)]
    assert actions[1][5] == "市发展改革委、市自然资源和规划局、市统计局"
    assert actions[1][7] == "4.2 抓好重大工业项目建设"
    assert "纪要稿" not in text, "a closed meeting's minutes are final"
    assert "- 委托出席：市商务局主要负责同志（委托市商务局分管副局长出席）" in text
    assert "- 请假：市地方金融管理局主要负责同志" in text
    decisions = [p for p in parsed.paragraphs if p.startswith("新增工业投资低于序时进度")]
    assert len(decisions) == 1
    assert "前期会议无需回头看的交办事项。" in text


# -- the chair's judgements ------------------------------------------------------------------


def test_a_judgement_that_differs_from_the_light_is_flagged(repo: Repository) -> None:
    data = minutes_input(repo, "2024-10-31", "zh")
    meeting = replace(
        data.meeting,
        judgements=(
            Judgement("4.2", Verdict.ON_TRACK, "主持人认为总体可控"),
            Judgement("5.3", Verdict.OFF_TRACK, "同意测算"),
        ),
    )
    text = render_minutes(replace(data, meeting=meeting))
    parsed = assert_well_formed(text)
    rows = {row[0]: row for table in parsed.tables if "主持人研判" in table[0] for row in table[1:]}
    assert rows["4.2 抓好重大工业项目建设"][1:] == ["正常", "▲ 需关注 ⚠ 与研判不一致", "主持人认为总体可控"]
    assert "不一致" not in rows["5.3 推进要素市场化配置改革"][2]


# -- safe text -------------------------------------------------------------------------------


def hostile_input(repo: Repository, lang: str = "zh"):
    """The demo meeting's minutes input with every hostile string in every typed field."""
    data = minutes_input(repo, "2024-10-31", lang)
    history = (ActionChange(at="2024-09-30", meeting_id="2024-09-30"),)

    def action(number: int, text: str, meeting_id: str) -> ActionItem:
        return ActionItem(
            id=f"A{number}",
            text=text,
            owner=text,
            meeting_id=meeting_id,
            lead_unit=text,
            supporting_units=(text,),
            due=date(2024, 11, 30),
            measure_id="4.2",
            area_number=4,
            status=ActionStatus.OPEN,
            history=history,
        )

    def reported(item: ActionItem, n: int, text: str) -> ActionItem:
        """The item with `text` said of it at this meeting: a progress line, or (every other
        item) the line of a move to in progress."""
        if n % 2:
            line = ActionChange(
                "2024-10-31", data.meeting.id, ChangeKind.STATUS, item.status, ActionStatus.IN_PROGRESS, text
            )
            return replace(item, status=ActionStatus.IN_PROGRESS, history=(*item.history, line))
        line = ActionChange("2024-10-31", data.meeting.id, ChangeKind.PROGRESS, evidence=text)
        return replace(item, history=(*item.history, line))

    meeting = replace(
        data.meeting,
        notes=tuple(Note(area_number=4, text=text) for text in HOSTILE),
        decisions=tuple(Decision(id=f"D{n}", text=text) for n, text in enumerate(HOSTILE, start=1)),
        judgements=tuple(Judgement("4.2", Verdict.AT_RISK, text) for text in HOSTILE),
        area_seconds={0: 300, 4: 700},
    )
    actions = tuple(action(100 + n, text, meeting.id) for n, text in enumerate(HOSTILE))
    carried = tuple(
        CarriedAction(reported(action(200 + n, text, "2024-09-30"), n, text), date(2024, 9, 30))
        for n, text in enumerate(HOSTILE)
    )
    return replace(data, meeting=meeting, actions=actions, carried=carried)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_text_reads_back_exactly_in_every_cell_and_paragraph(repo: Repository, lang: str) -> None:
    data = hostile_input(repo, lang)
    parsed = assert_well_formed(render_minutes(data))
    col = {
        "zh": ("配合单位", "交办会议", "主持人研判", "本次进展"),
        "en": ("Supporting units", "Carried from", "Chair's judgement", "Progress this meeting"),
    }
    actions = table_with(parsed, col[lang][0])[1:]
    assert [row[2:6] for row in actions] == [[text] * 4 for text in HOSTILE]
    carried = table_with(parsed, col[lang][1])
    assert carried[0][9] == col[lang][3]
    assert [row[2:5] for row in carried[1:]] == [[text] * 3 for text in HOSTILE]
    assert [row[9] for row in carried[1:]] == HOSTILE, "each progress line reads back as typed"
    # A line is said once: the latest-change column names the move, not its line again.
    moved = {"zh": "已于10月31日启动，正在办理", "en": "Started on 2024-10-31, in progress"}[lang]
    assert {row[8] for row in carried[1:][1::2]} == {moved}
    assert {row[8] for row in carried[1:][::2]} == {"—"}
    judged = table_with(parsed, col[lang][2])[1:]
    assert [row[3] for row in judged] == HOSTILE
    for text in HOSTILE:
        # Once as a note, once as a decision.
        assert parsed.paragraphs.count(text) >= 2, text[:40]
    assert not parsed.formatting - {"strong_open", "strong_close"}, parsed.formatting


def test_hostile_text_in_the_action_list(repo: Repository) -> None:
    parsed = assert_well_formed(render_action_list(hostile_input(repo)))
    rows = table_with(parsed, "配合单位")[1:]
    assert [row[2:6] for row in rows] == [[text] * 4 for text in HOSTILE]


def test_hostile_meeting_details_stay_literal(repo: Repository) -> None:
    data = minutes_input(repo, "2024-10-31", "zh")
    meeting = replace(data.meeting, title="# <i>t</i> | x", place="[p](u)", chair="*c*", secretary="_s_")
    text = render_minutes(replace(data, meeting=meeting))
    parsed = assert_well_formed(text)
    assert not parsed.formatting - {"strong_open", "strong_close"}
    assert "# \\# \\<i\\>t\\</i\\> \\| x纪要" in text
    assert "- 地点：[p](u)" in [f"- {p}" for p in parsed.paragraphs]


typed_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from("\n\t \\`*_[]<>&|~$#-+=.)!:0123456789\u3000"),
    ),
    max_size=40,
)


@settings(max_examples=examples(300), deadline=None)
@given(typed_text)
def test_any_text_survives_a_table_cell(text: str) -> None:
    parsed = parse(f"| h | k |\n|---|---|\n| {escape_cell(text) or ' '} | z |\n")
    assert parsed.tables[0][1] == [text, "z"]
    assert not parsed.formatting


@settings(max_examples=examples(300), deadline=None)
@given(typed_text.filter(lambda s: s != ""))
def test_any_text_survives_a_paragraph_and_a_list_item(text: str) -> None:
    parsed = parse(escape_paragraph(text) + "\n\n- " + escape_paragraph(text, indent="  ") + "\n")
    assert parsed.paragraphs == [text, text]
    assert not parsed.formatting


# -- frozen figures --------------------------------------------------------------------------


def test_a_closed_meeting_exports_the_same_bytes_after_later_changes(repo: Repository) -> None:
    first = minutes_markdown(repo, "2024-09-30", "zh")
    assert minutes_markdown(repo, "2024-09-30", "zh") == first
    live_before = minutes_markdown(repo, "2024-10-31", "zh")
    commands.record_value(repo, "1.3.1", "999", on=date(2024, 9, 15))
    commands.close_action(repo, "A1", "清单已形成")
    commands.add_action(repo, "会后新增事项", "测试员", meeting_id="2024-10-31")
    assert minutes_markdown(repo, "2024-09-30", "zh") == first
    assert minutes_markdown(repo, "2024-10-31", "zh") != live_before, "the open meeting is live"


def test_closing_a_meeting_freezes_its_minutes(repo: Repository) -> None:
    commands.add_action(repo, "会上交办事项", "测试员", meeting_id="2024-10-31", area=4)
    commands.close_meeting(repo, "2024-10-31", rules="yinchuan")
    closed = minutes_markdown(repo, "2024-10-31", "zh")
    assert "纪要稿" not in closed and "会上交办事项" in closed
    commands.record_value(repo, "4.2.2", "700", on=date(2024, 10, 20))
    commands.close_action(repo, "A2", "计划已报送")
    commands.drop_action(repo, "A9", "并入其他事项")
    commands.new_meeting(repo, date(2024, 11, 8), place="另一会议室")  # a new next meeting, planned later
    assert minutes_markdown(repo, "2024-10-31", "zh") == closed
    assert minutes_markdown(repo, "2024-10-31", "zh", actions_only=True) == minutes_markdown(
        repo, "2024-10-31", "zh", actions_only=True
    )


# -- what the 回头看 reviews -------------------------------------------------------------------


def _meeting(ident: str, day: date) -> Meeting:
    return Meeting(id=ident, title=ident, date=day, state=MeetingState.CLOSED)


def _item(ident: str, meeting_id: str, *changes: tuple[str, str]) -> ActionItem:
    history = [ActionChange(at="2024-01-01", meeting_id=meeting_id)]
    status = ActionStatus.OPEN
    for at, new in changes:
        history.append(
            ActionChange(at=at, meeting_id="", kind=ChangeKind.STATUS, before=status, after=ActionStatus(new))
        )
        status = ActionStatus(new)
    return ActionItem(
        id=ident, text=ident, owner="o", meeting_id=meeting_id, status=status, history=tuple(history)
    )


def test_the_review_keeps_items_closed_since_the_last_meeting_only() -> None:
    meetings = [
        _meeting("m1", date(2024, 8, 30)),
        _meeting("m2", date(2024, 9, 30)),
        _meeting("m3", date(2024, 10, 31)),
    ]
    actions = [
        _item("still-open", "m1"),
        _item("closed-before-m2", "m1", ("2024-09-10", "done")),
        _item("closed-after-m2", "m1", ("2024-10-10", "done")),
        _item("raised-at-m2-done", "m2", ("2024-10-05T09:00:00+00:00", "done")),
        _item("raised-at-m3", "m3"),
    ]
    reviewed = reviewed_with_dates(carried_into(meetings[2], meetings, actions), meetings)
    assert [c.item.id for c in reviewed] == ["still-open", "closed-after-m2", "raised-at-m2-done"]
    assert reviewed[0].raised_on == date(2024, 8, 30)
    assert carried_into(meetings[0], meetings, actions) == []


def test_an_area_with_many_targets_charts_those_furthest_behind(repo: Repository) -> None:
    data = replace(minutes_input(repo, "2024-10-31", "zh"), charts_per_area=1)
    text = render_minutes(data)
    area_one = text.split("### 重点工作1")[1].split("### 重点工作2")[0]
    assert area_one.count("```text\n") == 1
    assert "图 1.3.1　新增高新技术企业（单位：家；横轴：月）" in area_one
    assert "以下附差距最大的1项指标走势图，其余3项未附图。" in area_one
    assert "```text" not in render_minutes(replace(data, charts=False))


# -- time taken and this meeting's progress lines ----------------------------------------------

MEETING = "2024-10-31"
AT_MEETING = "2024-10-31T10:20:00+08:00"
SECRETARY = "市政府副秘书长"
AREA_SECONDS = {0: 372, 1: 545, 2: 480, 3: 290, 4: 905, 5: 610, 6: 455, 7: 521, 8: 187}
"""The October meeting's clock: 回头看 and areas 1–8 timed, the last two areas not."""


def _append(repo: Repository, action_id: str, entry: ActionChange) -> None:
    """Write one history entry onto an item, as the meeting's commands would."""

    def change(item: ActionItem) -> ActionItem:
        status = entry.after if entry.kind is ChangeKind.STATUS and entry.after else item.status
        return replace(item, status=status, history=(*item.history, entry))

    repo.update_action(action_id, change, kind=f"action.{entry.kind.value}", summary="test")


def _progress(line: str, *, at: str = AT_MEETING, meeting_id: str = MEETING) -> ActionChange:
    return ActionChange(at, meeting_id, ChangeKind.PROGRESS, evidence=line, who=SECRETARY)


def record_the_meeting(repo: Repository) -> None:
    """The October meeting as its secretary recorded it: each step's time, and what was said of
    the carried items (a progress line, two lines, a 销号 with evidence, a move with no line)."""
    repo.update_meeting(
        MEETING, lambda m: replace(m, area_seconds=dict(AREA_SECONDS)), kind="meeting.time", summary="test"
    )
    _append(repo, "A1", _progress("已形成未开工和滞后项目清单，共126个项目，逐项明确开工和入库时间。"))
    _append(
        repo,
        "A2",
        ActionChange(
            AT_MEETING,
            MEETING,
            ChangeKind.STATUS,
            ActionStatus.OPEN,
            ActionStatus.DONE,
            "年内新品种上市推进计划已于10月25日报市政府。",
            SECRETARY,
        ),
    )
    _append(repo, "A4", _progress("车站装修完成约七成。"))
    _append(repo, "A4", _progress("设备联调11月上旬启动，倒排工期至12月20日。"))
    _append(repo, "A5", _progress("一处穿越段已打通。", at="2024-10-25", meeting_id=""))  # between meetings
    _append(
        repo,
        "A7",
        ActionChange(AT_MEETING, MEETING, ChangeKind.STATUS, ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
    )


def _closed_recorded(repo: Repository) -> Repository:
    record_the_meeting(repo)
    commands.close_meeting(repo, MEETING, rules="yinchuan")
    return repo


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


@pytest.mark.parametrize(
    ("lang", "name"), [("zh", "minutes-recorded-zh.md"), ("en", "minutes-recorded-en.md")]
)
def test_recorded_minutes_match_the_golden_file(repo: Repository, lang: str, name: str) -> None:
    text = minutes_markdown(_closed_recorded(repo), MEETING, lang)
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing; run with ZZREVIEW_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"{name} changed; review and regenerate"
    assert_well_formed(text)


def test_each_step_says_how_long_it_took_against_its_timebox(repo: Repository) -> None:
    text = minutes_markdown(_closed_recorded(repo), MEETING, "zh")
    facts = text.split("## ")[0]
    assert "- 会议用时：合计1小时12分45秒（计划1小时25分钟）\n" in facts
    review = _section(text, "## 一、上次交办事项落实情况", "## 二、")
    assert review.startswith("\n\n用时6分12秒（计划5分钟）。\n\n前期会议交办")
    progress = _section(text, "## 二、", "## 三、")
    for area, line in [
        ("1", "用时9分5秒（计划8分钟）。"),
        ("2", "用时8分钟（计划8分钟）。"),
        ("4", "用时15分5秒（计划8分钟）。"),
        ("8", "用时3分7秒（计划8分钟）。"),
        ("9", "未计时（计划8分钟）。"),
        ("10", "未计时（计划8分钟）。"),
    ]:
        block = progress.split(f"### 重点工作{area}　", 1)[1].split("\n\n", 1)[1]
        assert block.startswith(line + "\n\n"), (area, block[:40])
    assert progress.count("用时") == 8 and progress.count("未计时") == 2


def test_time_taken_in_english(repo: Repository) -> None:
    text = minutes_markdown(_closed_recorded(repo), MEETING, "en")
    assert "- Time taken: 1 h 12 min 45 s in all (planned 1 h 25 min)\n" in text
    assert "\n\nTime taken: 6 min 12 s (planned 5 min).\n\n" in _section(text, "## I.", "## II.")
    area_one = _section(text, "### Area 1 ·", "### Area 2 ·")
    assert "\n\nTime taken: 9 min 5 s (planned 8 min).\n\n" in area_one
    assert "Time taken: not timed (planned 8 min)." in _section(text, "### Area 9 ·", "### Area 10 ·")


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [
        (59, "59秒", "59 s"),
        (60, "1分钟", "1 min"),
        (61, "1分1秒", "1 min 1 s"),
        (3600, "1小时", "1 h"),
        (3725, "1小时2分5秒", "1 h 2 min 5 s"),
        (3720, "1小时2分钟", "1 h 2 min"),
    ],
)
def test_a_time_reads_as_people_say_it(repo: Repository, seconds: int, zh: str, en: str) -> None:
    for lang, said in (("zh", zh), ("en", en)):
        data = minutes_input(repo, "2024-09-30", lang)
        text = render_minutes(replace(data, meeting=replace(data.meeting, area_seconds={1: seconds})))
        line = f"用时{said}（计划8分钟）。" if lang == "zh" else f"Time taken: {said} (planned 8 min)."
        assert f"\n\n{line}\n\n" in text, (lang, said)


def test_the_plan_is_the_agendas_timebox(repo: Repository) -> None:
    # The September meeting gave area 4 twelve minutes and area 8 five; it reviewed nothing.
    data = minutes_input(repo, "2024-09-30", "zh")
    meeting = replace(data.meeting, area_seconds={4: 700, 8: 300})
    text = render_minutes(replace(data, meeting=meeting))
    assert "用时11分40秒（计划12分钟）。" in _section(text, "### 重点工作4　", "### 重点工作5　")
    assert "用时5分钟（计划5分钟）。" in _section(text, "### 重点工作8　", "### 重点工作9　")
    assert "- 会议用时：合计16分40秒（计划1小时18分钟）" in text
    assert "用时" not in _section(text, "## 一、", "## 二、"), "no 回头看 step, no time for it"


def test_a_meeting_with_no_time_recorded_says_nothing_of_time(repo: Repository) -> None:
    text = minutes_markdown(repo, MEETING, "zh")
    assert "用时" not in text and "未计时" not in text
    data = minutes_input(repo, MEETING, "zh")
    cleared = replace(data, meeting=replace(data.meeting, area_seconds={4: 0}))
    assert render_minutes(cleared) == text, "a time cleared to 0 is no time"


def _carried_rows(text: str, header: str) -> dict[str, list[str]]:
    table = table_with(assert_well_formed(text), header)
    return {row[1]: row for row in table[1:]} | {"header": table[0]}


def test_the_review_shows_the_lines_recorded_at_this_meeting(repo: Repository) -> None:
    record_the_meeting(repo)
    draft = minutes_markdown(repo, MEETING, "zh")
    commands.close_meeting(repo, MEETING, rules="yinchuan")
    for text in (draft, minutes_markdown(repo, MEETING, "zh")):
        rows = _carried_rows(text, "本次进展")
        assert rows["header"][7:] == ["办理状态", "落实情况", "本次进展"]
        assert rows["A1"][7:] == [
            "● 办理中（逾期）",
            "已于10月12日启动，正在办理",
            "已形成未开工和滞后项目清单，共126个项目，逐项明确开工和入库时间。",
        ]
        # 销号 at the meeting: the move in one column, its evidence in the next, said once.
        assert rows["A2"][7:] == [
            "✓ 已办结",
            "已于10月31日办结",
            "年内新品种上市推进计划已于10月25日报市政府。",
        ]
        assert rows["A4"][9] == "车站装修完成约七成。\n设备联调11月上旬启动，倒排工期至12月20日。"
        # A line recorded between meetings is the latest change, not this meeting's progress.
        assert rows["A5"][8:] == ["截至10月25日，一处穿越段已打通。", "—"]
        # A move with no line says nothing this meeting.
        assert rows["A7"][7:] == ["● 办理中", "已于10月31日启动，正在办理", "—"]
        assert rows["A3"][8:] == ["—", "—"]


def test_the_review_in_english_names_the_column(repo: Repository) -> None:
    record_the_meeting(repo)
    rows = _carried_rows(minutes_markdown(repo, MEETING, "en"), "Progress this meeting")
    assert rows["header"][7:] == ["Status", "Progress", "Progress this meeting"]
    assert rows["A2"][8:] == ["Completed on 2024-10-31", "年内新品种上市推进计划已于10月25日报市政府。"]
    assert rows["A3"][9] == "—"


def test_without_a_line_at_this_meeting_the_review_table_is_unchanged(repo: Repository) -> None:
    _append(repo, "A5", _progress("一处穿越段已打通。", at="2024-10-25", meeting_id=""))
    _append(repo, "A6", _progress("下月再议", at="2024-11-29", meeting_id="2024-11-29"))
    parsed = assert_well_formed(minutes_markdown(repo, MEETING, "zh"))
    table = table_with(parsed, "交办会议")
    assert "本次进展" not in table[0] and len(table[0]) == 9


def test_new_items_keep_their_list_when_lines_are_recorded(repo: Repository) -> None:
    record_the_meeting(repo)
    commands.add_action(repo, "会上交办事项", "测试员", meeting_id=MEETING, area=4)
    new = next(a for a in repo.actions() if a.text == "会上交办事项")
    _append(repo, new.id, _progress("已部署"))
    table = table_with(assert_well_formed(minutes_markdown(repo, MEETING, "zh")), "配合单位")
    assert len(table[0]) == 8 and "已部署" not in {cell for row in table for cell in row}


def test_a_closed_meetings_times_and_lines_stay_as_they_were_at_close(repo: Repository) -> None:
    _closed_recorded(repo)
    frozen = {lang: minutes_markdown(repo, MEETING, lang) for lang in ("zh", "en")}
    # After the meeting: a late line under its id, lines at the next meeting, a new figure.
    _append(repo, "A3", _progress("会后补报：9月数据已报送。", at="2024-11-02T09:00:00+08:00"))
    _append(repo, "A1", _progress("下次会议的进展", at="2024-11-29T10:00:00+08:00", meeting_id="2024-11-29"))
    commands.close_action(repo, "A4", "8号线一期已通车")
    commands.record_value(repo, "4.2.2", "700", on=date(2024, 10, 20))
    with pytest.raises(EntryError, match="closed"):
        repo.update_meeting(
            MEETING, lambda m: replace(m, area_seconds={4: 1}), kind="meeting.time", summary="test"
        )
    for lang, text in frozen.items():
        assert minutes_markdown(repo, MEETING, lang) == text, lang


def test_zzreview_export_of_a_closed_meeting_is_the_same_bytes_later(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from zzreview.cli import cli

    db = tmp_path / "review.json"
    create_database(db, demo=True)

    def with_seat(write) -> None:
        seat = Seat(db, who="test")
        write(seat.repo())
        seat.close()

    def export() -> bytes:
        env = {key: None for key in os.environ if key.startswith("ZZREVIEW_")}
        env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"))
        result = CliRunner().invoke(cli, ["--db", str(db), "export", MEETING, "-o", "-"], env=env)
        assert result.exit_code == 0, result.output
        return result.stdout_bytes

    with_seat(_closed_recorded)
    first = export()
    assert first.decode("utf-8") == (GOLDEN / "minutes-recorded-zh.md").read_text(encoding="utf-8")

    def later(repo: Repository) -> None:
        _append(repo, "A3", _progress("会后补报", at="2024-11-02"))
        commands.close_action(repo, "A1", "清单已形成")
        commands.record_value(repo, "1.3.1", "999", on=date(2024, 10, 15))

    with_seat(later)
    assert export() == first


def test_a_step_with_no_timebox_gives_its_time_alone(repo: Repository) -> None:
    data = minutes_input(repo, "2024-09-30", "zh")
    text = render_minutes(replace(data, meeting=replace(data.meeting, area_seconds={4: 300}), timeboxes={}))
    assert "\n\n用时5分钟。\n\n" in _section(text, "### 重点工作4　", "### 重点工作5　")
    assert "\n\n未计时。\n\n" in _section(text, "### 重点工作5　", "### 重点工作6　")
    assert "- 会议用时：合计5分钟\n" in text


@pytest.mark.parametrize("agenda", ["as planned", "none"])
def test_the_minutes_plan_each_step_as_the_meeting_screen_times_it(repo: Repository, agenda: str) -> None:
    if agenda == "none":
        repo.update_meeting(MEETING, lambda m: replace(m, agenda=()), kind="meeting.edit", summary="test")
    view = build_meeting_view(repo, MEETING, "zh", None)
    data = minutes_input(repo, MEETING, "zh")
    assert dict(data.timeboxes) == {step.area_number: step.timebox_minutes for step in view.steps}


# -- as an office writes them -------------------------------------------------------------------

OPEN, BUSY, DONE, DROP = ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED


@pytest.mark.parametrize(
    ("change", "zh", "en"),
    [
        (
            ActionChange("2024-10-12", "", ChangeKind.STATUS, OPEN, BUSY),
            "已于10月12日启动，正在办理",
            "Started on 2024-10-12, in progress",
        ),
        (
            ActionChange("2024-10-12", "", ChangeKind.STATUS, BUSY, DONE, "已印发"),
            "已于10月12日办结：已印发",
            "Completed on 2024-10-12: 已印发",
        ),
        (
            ActionChange("2024-10-12", "", ChangeKind.STATUS, OPEN, DROP, "并入A9"),
            "已于10月12日撤销：并入A9",
            "Dropped on 2024-10-12: 并入A9",
        ),
        (
            ActionChange("2024-10-12", "", ChangeKind.STATUS, DONE, BUSY),
            "10月12日重新办理",
            "Reopened on 2024-10-12",
        ),
        (
            ActionChange("2024-10-12", "", ChangeKind.STATUS, BUSY, OPEN),
            "10月12日退回未办结",
            "Back to open on 2024-10-12",
        ),
        (
            ActionChange("2024-10-12", "", ChangeKind.EDITED, fields=("due", "owner")),
            "10月12日调整了时限、责任人",
            "Due date, owner changed on 2024-10-12",
        ),
        (
            ActionChange("2024-10-12", "", ChangeKind.PROGRESS, evidence="完成七成"),
            "截至10月12日，完成七成",
            "As of 2024-10-12: 完成七成",
        ),
        (
            ActionChange("2023-12-05", "", ChangeKind.STATUS, OPEN, BUSY),
            "已于2023年12月5日启动，正在办理",
            "Started on 2023-12-05, in progress",
        ),
    ],
    ids=["started", "done", "dropped", "reopened", "reset", "edited", "progress", "another-year"],
)
def test_a_carried_items_progress_reads_as_an_office_writes_it(
    repo: Repository, change: ActionChange, zh: str, en: str
) -> None:
    """落实情况 in words (已于10月12日启动，正在办理), not a log line (2024-10-12 未办结→办理中)."""
    for lang, expected in (("zh", zh), ("en", en)):
        data = minutes_input(repo, "2024-10-31", lang)
        first = data.carried[0]
        raised = ActionChange(at="2024-09-30", meeting_id="2024-09-30")
        item = replace(first.item, history=(raised, change), status=change.after or first.item.status)
        text = render_minutes(replace(data, carried=(replace(first, item=item),)))
        header = "交办会议" if lang == "zh" else "Carried from"
        assert table_with(assert_well_formed(text), header)[1][8] == expected


def test_what_the_meeting_stressed_comes_after_the_introduction_and_is_said_once(repo: Repository) -> None:
    commands.add_note(repo, 4, "要倒排工期。", kind="stressed")
    commands.add_note(repo, 1, "会议指出，创新主体培育成效明显。", kind="noted")  # typed with its lead-in
    commands.add_note(repo, 2, "各单位月底前报送材料。", kind="required")
    commands.add_note(repo, 4, "一条普通记录。")
    text = minutes_markdown(repo, "2024-10-31", "zh")
    opening = text.split("- 时间：")[0]
    said = [p for p in opening.split("\n\n") if p.startswith("会议")]
    assert said == [
        "会议指出，创新主体培育成效明显。",
        "会议强调，要倒排工期。",
        "会议要求，各单位月底前报送材料。",
    ]
    assert text.count("要倒排工期。") == 1, "a marked note is not repeated under its area"
    area_4 = text.split("### 重点工作4")[1].split("### ")[0]
    assert "- 一条普通记录。" in area_4, "a plain note stays under its area"
    english = minutes_markdown(repo, "2024-10-31", "en")
    assert "The meeting stressed: 要倒排工期。" in english


def test_the_minutes_carry_their_issue_number_and_imprint_only_when_given(repo: Repository) -> None:
    commands.edit_meeting(repo, "2024-10-31", number="", issuer="", distribution="")
    bare = minutes_markdown(repo, "2024-10-31", "zh")
    assert "第10期" not in bare and "印发" not in bare.split("---")[-1] and "分送" not in bare
    commands.edit_meeting(repo, "2024-10-31", number="第11期", issuer="市政府办公室", distribution="各区")
    text = minutes_markdown(repo, "2024-10-31", "en")
    assert text.startswith("# Minutes: 2024年下半年经济运行调度会（10月）\n\n第11期\n")
    assert text.rstrip().endswith("Distribution: 各区\n\nIssued by 市政府办公室 on 2024-10-31")


def test_a_closed_meetings_issue_details_may_change_and_nothing_else(repo: Repository) -> None:
    closed = "2024-09-30"
    before = minutes_markdown(repo, closed, "zh")
    commands.edit_meeting(repo, closed, number="第9期（补）")
    after = minutes_markdown(repo, closed, "zh")
    assert after == before.replace("\n第9期\n", "\n第9期（补）\n")
    with pytest.raises(EntryError, match="closed"):
        commands.edit_meeting(repo, closed, place="别处")
    with pytest.raises(EntryError, match="closed"):
        commands.add_note(repo, 4, "迟到的记录", meeting_id=closed)


def test_changing_a_closed_meetings_issue_details_keeps_its_frozen_figures(repo: Repository) -> None:
    closed = "2024-09-30"
    before = minutes_markdown(repo, closed, "zh")
    commands.record_value(repo, "1.3.1", "999999", on="2024-09-15")  # a correction made afterwards
    assert minutes_markdown(repo, closed, "zh") == before, "frozen when it closed"
    commands.edit_meeting(repo, closed, issuer="市政府办公厅")
    after = minutes_markdown(repo, closed, "zh")
    assert after == before.replace("郑州市人民政府办公室　　", "市政府办公厅　　"), "only the imprint moved"


def test_an_issue_detail_edit_that_changes_nothing_writes_nothing(repo: Repository) -> None:
    meeting = repo.meeting("2024-09-30")
    assert commands.edit_meeting(repo, meeting.id, number=meeting.number).event is None


def test_another_seats_issue_detail_edit_is_a_conflict_not_a_closed_meeting(repo: Repository) -> None:
    shown = repo.meeting("2024-09-30")
    commands.edit_meeting(repo, shown.id, number="第9期（甲）")  # another seat, a moment ago
    with pytest.raises(commands.Conflict):
        commands.edit_meeting(repo, shown.id, number="第9期（乙）", expected=shown)
