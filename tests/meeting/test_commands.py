"""The meeting layer's commands: what each records, which field a refusal names, the event it
leaves (who, which seat, what) and what undo takes back.

Every test runs on the shipped demo held in memory: the current meeting is 2024-10-31
(planned), 2024-09-30 is closed, and action items A1–A8 were raised at it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tests.meeting.conftest import CHAIR, CLOSED, MEETING, SECRETARY, recorded, refused
from zzreview.analysis import judgement_differs
from zzreview.domain import (
    ActionStatus,
    ChangeKind,
    IndicatorKind,
    MeetingState,
    Presence,
    Verdict,
)
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.commands import ImportProblems, Recorded, ValueLine
from zzreview.meeting.minutes import minutes_input
from zzreview.meeting.session import demo_in_memory
from zzreview.meeting.view import MeetingView, build_meeting_view
from zzreview.rendering.minutes import render_minutes
from zzreview.storage.repository import Repository


def test_the_fixture_is_the_demo_in_memory(repo: Repository) -> None:
    demo = demo_in_memory(who=SECRETARY, seat="secretary")
    assert (repo.plan(), repo.meetings(), repo.actions()) == (demo.plan(), demo.meetings(), demo.actions())
    assert repo.data_points() == demo.data_points()
    assert repo.events() == demo.events() == []
    assert repo.current_meeting().id == MEETING
    assert [a.id for a in repo.actions()] == [f"A{n}" for n in range(1, 9)]
    assert repo.meeting(CLOSED).state is MeetingState.CLOSED


def kinds_of(repo: Repository) -> dict[str, IndicatorKind]:
    return {i.id: i.kind for i in repo.plan().indicators}


# -- every command: Recorded, and an event saying who, which seat, what -------------------------


COMMANDS: list[tuple[str, Callable[[Repository], Recorded[Any]]]] = [
    ("action.add", lambda r: commands.add_action(r, "清理未开工项目", "王副市长")),
    ("action.edit", lambda r: commands.edit_action(r, "A2", text="改写后的交办事项")),
    ("action.status", lambda r: commands.set_action_status(r, "A2", "in_progress")),
    ("action.status", lambda r: commands.close_action(r, "A2", "已报送")),
    ("action.status", lambda r: commands.drop_action(r, "A3", "已不适用")),
    ("action.status", lambda r: commands.review_action(r, "A2", status="done", line="已报送")),
    ("action.progress", lambda r: commands.set_action_status(r, "A1", "in_progress", evidence="已开工")),
    ("action.progress", lambda r: commands.record_progress(r, "A2", "已对接")),
    ("action.progress", lambda r: commands.review_action(r, "A2", line="已对接")),
    ("values.record", lambda r: commands.record_value(r, "4.2.2", "455")),
    ("values.record", lambda r: commands.import_values(r, [ValueLine("4.2.2", "455", line=2)])),
    ("meeting.decision", lambda r: commands.add_decision(r, "加快项目开工", area=4)),
    ("meeting.note", lambda r: commands.add_note(r, 4, "项目开工率偏低")),
    ("meeting.judgement", lambda r: commands.set_judgement(r, "4.2", "at_risk", text="需加快")),
    ("meeting.attendance", lambda r: commands.set_attendance(r, "张三", "absent")),
    ("meeting.new", lambda r: commands.new_meeting(r, date(2025, 1, 24))),
    ("meeting.edit", lambda r: commands.edit_meeting(r, MEETING, place="市民之家三楼会议室")),
    ("meeting.start", lambda r: commands.start_meeting(r, MEETING)),
    ("meeting.close", lambda r: commands.close_meeting(r, MEETING, rules="yinchuan")),
    ("meeting.follow", lambda r: commands.publish_area(r, 4)),
    ("meeting.agenda", lambda r: commands.order_agenda(r, weighted=True)),
    ("meeting.time", lambda r: commands.record_area_time(r, 0, 300)),
]


@pytest.mark.parametrize(("kind", "command"), COMMANDS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(COMMANDS)])
def test_every_command_returns_the_event_it_saved_as_this_seat(
    repo: Repository, kind: str, command: Callable[[Repository], Recorded[Any]]
) -> None:
    before = len(repo.events())
    result = command(repo)
    recorded(result, repo, kind)
    assert len(repo.events()) == before + 1
    assert repo.events()[-1].summary  # the audit trail says what


def test_undo_returns_the_event_it_took_back_and_records_its_own(repo: Repository) -> None:
    added = commands.add_action(repo, "清理未开工项目", "王副市长").event
    result = commands.undo(repo)
    assert result.value == added
    recorded(result, repo, "undo")
    assert result.event is not None and result.event.undoes == added.seq


def test_two_seats_leave_their_own_names_in_the_log(repo: Repository, chair: Repository) -> None:
    commands.add_action(repo, "清理未开工项目", "王副市长")
    commands.close_action(chair, "A9", "已清理")
    log = [(e.seat, e.who, e.kind) for e in repo.events()]
    assert log == [("secretary", SECRETARY, "action.add"), ("chair", CHAIR, "action.status")]


def test_a_change_that_changes_nothing_records_nothing(repo: Repository) -> None:
    same = repo.action("A2")
    result = commands.edit_action(repo, "A2", text=same.text, owner=same.owner)
    assert result.event is None
    assert result.value == same
    assert repo.events() == []
    assert commands.edit_meeting(repo, MEETING, place=repo.meeting(MEETING).place).event is None
    assert commands.set_judgement(repo, "4.2", "at_risk").event is not None
    assert commands.set_judgement(repo, "4.2", "at_risk").event is None
    assert len(repo.events()) == 1


def test_setting_the_status_an_item_already_has_records_nothing(repo: Repository) -> None:
    assert repo.action("A1").status is ActionStatus.IN_PROGRESS
    result = commands.set_action_status(repo, "A1", "in_progress")
    assert result.event is None
    assert len(repo.action("A1").history) == 2


# -- validation: the field named, no flags, nothing written ----------------------------------


@pytest.mark.parametrize(
    ("field", "command", "args", "kwargs"),
    [
        ("text", commands.add_action, ("  ", "王副市长"), {}),
        ("text", commands.add_action, ("\x1b\u202e", "王副市长"), {}),  # only control characters
        ("owner", commands.add_action, ("清理项目", " "), {}),
        ("due", commands.add_action, ("清理项目", "王副市长"), {"due": "下下周"}),
        ("due", commands.add_action, ("清理项目", "王副市长"), {"due": "2024-02-30"}),
        ("area", commands.add_action, ("清理项目", "王副市长"), {"area": 99}),
        ("area", commands.add_action, ("清理项目", "王副市长"), {"area": "四"}),
        ("measure", commands.add_action, ("清理项目", "王副市长"), {"measure": "9.9"}),
        ("measure", commands.add_action, ("清理项目", "王副市长"), {"measure": "4.2", "area": 5}),
        ("meeting", commands.add_action, ("清理项目", "王副市长"), {"meeting_id": CLOSED}),
        ("meeting", commands.add_action, ("清理项目", "王副市长"), {"meeting_id": "2030-01-01"}),
        ("text", commands.edit_action, ("A2",), {"text": ""}),
        ("owner", commands.edit_action, ("A2",), {"owner": "\t"}),
        ("due", commands.edit_action, ("A2",), {"due": "sometime"}),
        ("measure", commands.edit_action, ("A2",), {"measure": "4.2", "area": 5}),
        ("measure", commands.edit_action, ("A2",), {"measure": "99.1"}),
        ("area", commands.edit_action, ("A2",), {"area": 0}),
        ("id", commands.edit_action, ("A99",), {"text": "改写"}),
        ("status", commands.set_action_status, ("A2", "finished"), {}),
        ("evidence", commands.set_action_status, ("A2", "done"), {}),
        ("evidence", commands.set_action_status, ("A2", "dropped"), {"evidence": " \x1b "}),
        ("evidence", commands.close_action, ("A2", ""), {}),
        ("evidence", commands.drop_action, ("A2", "   "), {}),
        ("id", commands.close_action, ("A99", "已完成"), {}),
        ("indicator", commands.record_value, ("9.9.9", "1"), {}),
        ("value", commands.record_value, ("4.2.2", "abc"), {}),
        ("value", commands.record_value, ("4.2.2", "1,23"), {}),
        ("value", commands.record_value, ("4.2.2", ""), {}),
        ("value", commands.record_value, ("4.2.2", "nan"), {}),
        ("value", commands.record_value, ("4.2.2", "1e9"), {}),
        ("state", commands.record_value, ("4.4.1", "finished"), {}),
        ("state", commands.record_value, ("4.4.1", ""), {}),
        ("state", commands.record_value, ("1.1.1", "great"), {}),
        ("state", commands.record_value, ("1.1.1", ""), {}),  # neither assessment nor evidence
        ("date", commands.record_value, ("4.2.2", "455"), {"on": "yesterday-ish"}),
        ("text", commands.add_decision, ("",), {}),
        ("area", commands.add_decision, ("加快开工",), {"area": 11}),
        ("meeting", commands.add_decision, ("加快开工",), {"meeting_id": CLOSED}),
        ("area", commands.add_note, (None, "项目开工率偏低"), {}),
        ("area", commands.add_note, ("", "项目开工率偏低"), {}),
        ("text", commands.add_note, (4, " \n "), {}),
        ("meeting", commands.add_note, (4, "项目开工率偏低"), {"meeting_id": CLOSED}),
        ("measure", commands.set_judgement, ("4.9", "at_risk"), {}),
        ("verdict", commands.set_judgement, ("4.2", "fine"), {}),
        ("meeting", commands.set_judgement, ("4.2", "at_risk"), {"meeting_id": CLOSED}),
        ("name", commands.set_attendance, (" ",), {}),
        ("presence", commands.set_attendance, ("张三", "late"), {}),
        ("deputy", commands.set_attendance, ("张三", "deputised"), {}),
        ("date", commands.new_meeting, (None,), {}),
        ("date", commands.new_meeting, ("next time",), {}),
        ("title", commands.edit_meeting, (MEETING,), {"title": " "}),
        ("meeting", commands.edit_meeting, (CLOSED,), {"place": "别处"}),
        ("meeting", commands.start_meeting, (CLOSED,), {}),
        ("meeting", commands.close_meeting, (CLOSED,), {"rules": "yinchuan"}),
        ("meeting", commands.close_meeting, ("2030-01-01",), {"rules": "yinchuan"}),
        ("area", commands.publish_area, (42,), {}),
        ("meeting", commands.publish_area, (4,), {"meeting_id": CLOSED}),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(
    repo: Repository, field: str, command: Callable[..., Any], args: tuple, kwargs: dict
) -> None:
    refused(repo, field, command, *args, **kwargs)


def test_a_planned_meeting_moves_but_a_started_one_does_not(repo: Repository) -> None:
    moved = commands.edit_meeting(repo, MEETING, on="11-01").value
    assert moved.date == date(2024, 11, 1)
    commands.start_meeting(repo, MEETING)
    refused(repo, "date", commands.edit_meeting, MEETING, on="11-05")


def test_closing_with_an_unknown_rule_preset_is_refused(repo: Repository) -> None:
    refused(repo, "rules", commands.close_meeting, MEETING, rules="bogus")


# -- dates as typed count from the meeting's date ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("+2w", date(2024, 11, 14)),
        ("+3d", date(2024, 11, 3)),
        ("+1m", date(2024, 11, 30)),
        ("月底", date(2024, 10, 31)),
        ("下月底", date(2024, 11, 30)),
        ("年底", date(2024, 12, 31)),
        ("明天", date(2024, 11, 1)),
        ("11月15日", date(2024, 11, 15)),
        ("2024-11-30", date(2024, 11, 30)),
        (date(2025, 1, 10), date(2025, 1, 10)),
    ],
)
def test_due_dates_count_from_the_meetings_date(repo: Repository, typed: str | date, due: date) -> None:
    assert commands.add_action(repo, "清理项目", "王副市长", due=typed).value.due == due
    assert commands.edit_action(repo, "A2", due=typed).value.due == due


def test_relative_dates_count_from_the_meeting_the_item_is_raised_at(repo: Repository) -> None:
    item = commands.add_action(repo, "清理项目", "王副市长", due="+2w", meeting_id="2024-11-29").value
    assert item.due == date(2024, 12, 13)


def test_dates_follow_the_current_meeting_once_one_closes(repo: Repository) -> None:
    commands.close_meeting(repo, MEETING, rules="yinchuan")
    assert commands.reference_date(repo) == date(2024, 11, 29)
    assert commands.add_action(repo, "清理项目", "王副市长", due="月底").value.due == date(2024, 11, 30)
    assert commands.record_value(repo, "4.2.2", "455").value.as_of == date(2024, 11, 29)


def test_an_edit_can_clear_the_due_date(repo: Repository) -> None:
    assert commands.edit_action(repo, "A2", clear_due=True).value.due is None
    assert commands.edit_action(repo, "A3", due="").value.due == date(2024, 10, 10)  # blank: unchanged


# -- add_action --------------------------------------------------------------------------------


def test_new_items_are_numbered_after_the_last_and_belong_to_the_current_meeting(repo: Repository) -> None:
    first = commands.add_action(repo, "清理项目", "王副市长").value
    second = commands.add_action(repo, "推进开工", "李副市长").value
    assert (first.id, second.id) == ("A9", "A10")
    assert first.meeting_id == second.meeting_id == MEETING
    assert first.status is ActionStatus.OPEN
    assert [a.id for a in repo.actions()][-3:] == ["A8", "A9", "A10"]
    assert first.history[0].kind is ChangeKind.RAISED
    assert (first.history[0].who, first.history[0].meeting_id) == (SECRETARY, MEETING)


def test_a_new_item_goes_to_the_meeting_in_progress_before_an_earlier_planned_one(repo: Repository) -> None:
    commands.start_meeting(repo, "2024-11-29")
    assert commands.add_action(repo, "清理项目", "王副市长").value.meeting_id == "2024-11-29"


def test_a_measure_gives_the_item_its_area(repo: Repository) -> None:
    item = commands.add_action(repo, "清理项目", "王副市长", measure=" 4.2 ").value
    assert (item.measure_id, item.area_number) == ("4.2", 4)
    same = commands.add_action(repo, "清理项目", "王副市长", measure="4.2", area="4").value
    assert (same.measure_id, same.area_number) == ("4.2", 4)
    area_only = commands.add_action(repo, "清理项目", "王副市长", area="6").value
    assert (area_only.measure_id, area_only.area_number) == ("", 6)


def test_units_are_kept_and_blank_ones_dropped(repo: Repository) -> None:
    item = commands.add_action(
        repo, "清理项目", "王副市长", lead_unit=" 市发展改革委 ", supporting=["市工信局", " ", "市\n财政局"]
    ).value
    assert item.lead_unit == "市发展改革委"
    assert item.supporting_units == ("市工信局", "市 财政局")


HOSTILE = [
    ("[bold]加粗[/bold] 与 [/] 收尾", "[bold]加粗[/bold] 与 [/] 收尾"),
    ("\x1b[31m红色\x1b[0m", "[31m红色[0m"),
    ("\u202e倒序\u202c文字", "倒序文字"),
    ("a | b || c", "a | b || c"),
    ("`code` <b>html</b> *星* _下_", "`code` <b>html</b> *星* _下_"),
    ("郑州 🚇 地铁 🎉", "郑州 🚇 地铁 🎉"),
    ("第一行\r\n第二行\x00\x07", "第一行\n第二行"),
    ("\u2066隔离\u2069\x7f\x85", "隔离"),
]


@pytest.mark.parametrize(("typed", "kept"), HOSTILE)
def test_text_is_stored_literally_without_control_characters(repo: Repository, typed: str, kept: str) -> None:
    item = commands.add_action(repo, typed, typed).value
    assert item.text == kept
    assert item.owner == kept.replace("\n", " ")  # one line
    stored = repo.action(item.id)
    assert (stored.text, stored.owner) == (item.text, item.owner)
    decision = commands.add_decision(repo, typed).value
    assert repo.meeting(MEETING).decisions[-1].text == decision.text == kept


# -- set_action_status, close_action, drop_action ------------------------------------------------


def test_closing_an_item_records_who_closed_it_with_what_evidence(repo: Repository) -> None:
    before = repo.action("A2")
    closed = commands.close_action(repo, "a2", " 计划已报送\x1b ").value
    assert closed.status is ActionStatus.DONE
    assert repo.action("A2").status is ActionStatus.DONE
    entry = closed.history[-1]
    assert entry.kind is ChangeKind.STATUS
    assert (entry.before, entry.after) == (ActionStatus.OPEN, ActionStatus.DONE)
    assert (entry.evidence, entry.who, entry.meeting_id) == ("计划已报送", SECRETARY, MEETING)
    assert entry.at.startswith("2024-10-31T15:30")
    assert closed.history[:-1] == before.history


def test_dropping_an_item_keeps_the_reason(repo: Repository) -> None:
    dropped = commands.drop_action(repo, "7", "并入A1办理").value
    entry = dropped.history[-1]
    assert (dropped.id, dropped.status) == ("A7", ActionStatus.DROPPED)
    assert (entry.before, entry.after, entry.evidence) == (
        ActionStatus.OPEN,
        ActionStatus.DROPPED,
        "并入A1办理",
    )


def test_a_status_change_can_be_read_back_as_of_the_day_before(repo: Repository) -> None:
    assert repo.action("A1").status is ActionStatus.IN_PROGRESS
    commands.close_action(repo, "A1", "已全部开工")
    item = repo.action("A1")
    assert item.as_of(date(2024, 10, 30)).status is ActionStatus.IN_PROGRESS
    assert item.as_of(date(2024, 10, 31)).status is ActionStatus.DONE
    assert item.as_of(date(2024, 10, 30)).history == item.history[:-1]


def test_a_status_may_move_back_and_says_from_what(repo: Repository) -> None:
    reopened = commands.set_action_status(repo, "A6", ActionStatus.IN_PROGRESS).value
    assert (reopened.history[-1].before, reopened.history[-1].after) == (
        ActionStatus.DONE,
        ActionStatus.IN_PROGRESS,
    )
    assert reopened.history[-1].evidence == ""


# -- edit_action -------------------------------------------------------------------------------


def test_an_edit_changes_only_the_fields_named_and_says_which(repo: Repository) -> None:
    before = repo.action("A2")
    edited = commands.edit_action(repo, "A2", owner="新牵头领导", due="+1m", text=before.text).value
    assert (edited.owner, edited.due) == ("新牵头领导", date(2024, 11, 30))
    assert (edited.text, edited.lead_unit, edited.measure_id, edited.area_number, edited.status) == (
        before.text,
        before.lead_unit,
        before.measure_id,
        before.area_number,
        before.status,
    )
    entry = edited.history[-1]
    assert entry.kind is ChangeKind.EDITED
    assert entry.fields == ("owner", "due")
    assert (entry.who, entry.meeting_id, entry.before, entry.after) == (SECRETARY, MEETING, None, None)
    assert len(edited.history) == len(before.history) + 1


def test_unlinking_the_measure_keeps_the_area(repo: Repository) -> None:
    assert (repo.action("A1").measure_id, repo.action("A1").area_number) == ("4.2", 4)
    edited = commands.edit_action(repo, "A1", measure="").value
    assert (edited.measure_id, edited.area_number) == ("", 4)
    assert edited.history[-1].fields == ("measure_id",)


def test_moving_an_item_to_another_area_drops_a_measure_not_in_it(repo: Repository) -> None:
    moved = commands.edit_action(repo, "A1", area=5).value
    assert (moved.measure_id, moved.area_number) == ("", 5)
    kept = commands.edit_action(repo, "A4", area=4).value
    assert (kept.measure_id, kept.area_number) == ("4.4", 4)
    relinked = commands.edit_action(repo, "A1", measure="5.3").value
    assert (relinked.measure_id, relinked.area_number) == ("5.3", 5)


# -- record_value, import_values ------------------------------------------------------------------


def test_the_demo_has_each_kind_where_these_tests_expect_it(repo: Repository) -> None:
    kinds = kinds_of(repo)
    assert kinds["4.2.2"] is IndicatorKind.TARGET
    assert kinds["4.4.1"] is IndicatorKind.MILESTONE
    assert kinds["1.1.1"] is IndicatorKind.QUALITATIVE


@pytest.mark.parametrize(
    ("typed", "value"), [("455", 455.0), ("1,234.5", 1234.5), (" -3.25 ", -3.25), ("1，000", 1000.0)]
)
def test_a_target_takes_a_number_as_typed(repo: Repository, typed: str, value: float) -> None:
    point = commands.record_value(repo, "4.2.2", typed, source="市统计局", note="初步数").value
    assert (point.value, point.state, point.as_of) == (value, "", date(2024, 10, 31))
    assert (point.source, point.note, point.entered_by) == ("市统计局", "初步数", SECRETARY)
    assert repo.data_points()["4.2.2"][-1] == point


def test_a_value_for_a_date_already_given_supersedes_it(repo: Repository) -> None:
    assert repo.data_points()["4.2.2"][-1].value == 410.0
    commands.record_value(repo, "4.2.2", "455", on="2024-10-31")
    dates = [p.as_of for p in repo.data_points()["4.2.2"]]
    assert len(dates) == len(set(dates))
    assert repo.data_points()["4.2.2"][-1].value == 455.0


def test_a_milestone_takes_a_state_and_a_qualitative_measure_an_assessment(repo: Repository) -> None:
    milestone = commands.record_value(repo, "4.4.1", "done", on="+1m", evidence="6号线开通").value
    assert (milestone.value, milestone.state, milestone.as_of) == (None, "done", date(2024, 11, 30))
    assert milestone.evidence == "6号线开通"
    assessed = commands.record_value(repo, "1.1.1", "on_track", evidence="已挂牌").value
    assert (assessed.state, assessed.evidence) == ("on_track", "已挂牌")
    evidence_only = commands.record_value(repo, "1.1.2", "", evidence="正在筹建").value
    assert (evidence_only.state, evidence_only.evidence, evidence_only.value) == ("", "正在筹建", None)


def test_a_ledger_is_recorded_in_one_event(repo: Repository) -> None:
    lines = [
        ValueLine("4.2.2", "455", line=2, source="台账"),
        ValueLine("4.4.1", "in_progress", on="2024-11-29", line=3),
        ValueLine("1.1.1", "", evidence="已挂牌", line=4),
    ]
    result = commands.import_values(repo, lines)
    recorded(result, repo, "values.record")
    assert [(p.indicator_id, p.as_of) for p in result.value] == [
        ("4.2.2", date(2024, 10, 31)),
        ("4.4.1", date(2024, 11, 29)),
        ("1.1.1", date(2024, 10, 31)),
    ]
    assert len(repo.events()) == 1


def test_a_ledger_with_problems_lists_every_one_by_line_and_records_nothing(repo: Repository) -> None:
    lines = [
        ValueLine("4.2.2", "455", line=2),
        ValueLine("4.2.2", "460", line=7),  # same indicator and date as line 2
        ValueLine("9.9.9", "1", line=3),
        ValueLine("4.4.1", "finished", line=5),
        ValueLine("4.2.3", "many", line=4),
        ValueLine("4.2.1", "12", on="someday", line=6),
        ValueLine("4.2.1", "12", line=8),
    ]
    error = refused(repo, "", commands.import_values, lines)
    assert isinstance(error, ImportProblems)
    problems = error.problems
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "9.9.9" in problems[0]
    assert "4.2.3" in problems[1] and "many" in problems[1]
    assert "4.4.1" in problems[2] and "in_progress" in problems[2]  # the states it could be
    assert problems[3].startswith("line 6: date: ")
    assert "line 2" in problems[4] and "4.2.2" in problems[4]
    assert all("--" not in p for p in problems)


def test_an_empty_ledger_is_refused(repo: Repository) -> None:
    refused(repo, "file", commands.import_values, [])


def test_duplicates_are_refused_in_typed_lines_too(repo: Repository) -> None:
    refused(repo, "", commands.import_values, [ValueLine("4.2.2", "455"), ValueLine("4.2.2", "460")])


# -- decisions, notes, judgements, attendance ---------------------------------------------------


def test_decisions_are_numbered_per_meeting(repo: Repository) -> None:
    first = commands.add_decision(repo, "加快项目开工", area=4).value
    second = commands.add_decision(repo, "全会议事项").value
    assert (first.id, first.area_number) == ("D1", 4)
    assert (second.id, second.area_number) == ("D2", None)
    assert repo.meeting(MEETING).decisions == (first, second)
    assert [d.id for d in repo.meeting(CLOSED).decisions] == ["D1", "D2", "D3", "D4"]
    later = commands.add_decision(repo, "下次会议事项", meeting_id="2024-11-29").value
    assert later.id == "D1"


def test_a_note_goes_under_its_area_with_its_author(repo: Repository) -> None:
    note = commands.add_note(repo, "4", "项目开工率偏低\n需专题调度").value
    assert (note.area_number, note.text, note.author) == (4, "项目开工率偏低\n需专题调度", SECRETARY)
    assert repo.meeting(MEETING).notes == (note,)


def test_a_judgement_replaces_the_earlier_one_for_its_measure(repo: Repository) -> None:
    commands.set_judgement(repo, "4.2", "at_risk", text="需加快")
    commands.set_judgement(repo, "5.3", Verdict.OFF_TRACK)
    commands.set_judgement(repo, "4.2", "on_track", text="已追上")
    judgements = {j.measure_id: j for j in repo.meeting(MEETING).judgements}
    assert len(repo.meeting(MEETING).judgements) == 2
    assert (judgements["4.2"].verdict, judgements["4.2"].text) == (Verdict.ON_TRACK, "已追上")
    assert judgements["5.3"].verdict is Verdict.OFF_TRACK
    assert len(repo.meeting(CLOSED).judgements) == 2  # the closed meeting's stay as they were


def test_attendance_adds_a_new_name_and_updates_a_known_one(repo: Repository) -> None:
    known = repo.meeting(MEETING).attendees[0]
    count = len(repo.meeting(MEETING).attendees)
    deputised = commands.set_attendance(repo, known.name, "deputised", deputy="副主任").value
    assert (deputised.name, deputised.unit, deputised.presence, deputised.deputy) == (
        known.name,
        known.unit,
        Presence.DEPUTISED,
        "副主任",
    )
    newcomer = commands.set_attendance(repo, "张三", unit="市财政局").value
    assert (newcomer.presence, newcomer.unit) == (Presence.PRESENT, "市财政局")
    back = commands.set_attendance(repo, known.name, "present", deputy="副主任").value
    assert (back.presence, back.deputy) == (Presence.PRESENT, "")  # a deputy only when deputised
    attendees = repo.meeting(MEETING).attendees
    assert len(attendees) == count + 1
    assert attendees[0] == back and attendees[-1] == newcomer


# -- a meeting's life ---------------------------------------------------------------------------


def test_a_new_meeting_has_every_area_on_its_agenda(repo: Repository) -> None:
    meeting = commands.new_meeting(repo, "+3m", place="市政府", chair=CHAIR).value
    assert (meeting.id, meeting.date, meeting.state) == (
        "2025-01-31",
        date(2025, 1, 31),
        MeetingState.PLANNED,
    )
    assert [a.area_number for a in meeting.agenda] == [a.number for a in repo.plan().areas]
    assert (meeting.place, meeting.chair) == ("市政府", CHAIR)
    assert meeting.title


def test_a_second_meeting_on_a_day_is_planned_only_when_forced(repo: Repository) -> None:
    error = refused(repo, "date", commands.new_meeting, "2024-11-29", place="别处")
    assert isinstance(error, commands.MeetingOnThatDay)
    assert "2024-11-29 already exists (2024-11-29)" in error.message
    again = commands.new_meeting(repo, date(2024, 11, 29), force=True).value
    assert (again.id, again.date) == ("2024-11-29-2", date(2024, 11, 29))
    third = refused(repo, "date", commands.new_meeting, date(2024, 11, 29))
    assert "(2024-11-29, 2024-11-29-2)" in third.message
    assert commands.new_meeting(repo, "2024-11-29", force=True).value.id == "2024-11-29-3"


def test_only_one_meeting_is_in_progress_at_a_time(repo: Repository) -> None:
    started = commands.start_meeting(repo).value
    assert (started.id, started.state) == (MEETING, MeetingState.IN_PROGRESS)
    error = refused(repo, "meeting", commands.start_meeting, "2024-11-29")
    assert MEETING in error.message
    assert commands.start_meeting(repo, MEETING).event is None  # already in progress
    commands.close_meeting(repo, MEETING, rules="yinchuan")
    assert commands.start_meeting(repo, "2024-11-29").value.state is MeetingState.IN_PROGRESS


def test_closing_freezes_a_meeting_once(repo: Repository) -> None:
    commands.add_decision(repo, "加快项目开工", area=4)
    closed = commands.close_meeting(repo, MEETING, rules="yinchuan").value
    assert closed.state is MeetingState.CLOSED
    assert repo.meeting(MEETING).state is MeetingState.CLOSED
    refused(repo, "meeting", commands.close_meeting, MEETING, rules="yinchuan")
    refused(repo, "meeting", commands.add_decision, "又一条", meeting_id=MEETING)
    refused(repo, "meeting", commands.set_judgement, "4.2", "at_risk", meeting_id=MEETING)
    refused(repo, "meeting", commands.add_action, "新事项", "王副市长", meeting_id=MEETING)
    assert repo.current_meeting().id == "2024-11-29"


def test_publishing_an_area_tells_the_other_seats_where_the_chair_is(
    repo: Repository, chair: Repository
) -> None:
    commands.publish_area(chair, 4)
    assert repo.followed_area(MEETING) == 4
    assert repo.events()[-1].seat == "chair"
    commands.publish_area(chair, None)
    assert repo.followed_area(MEETING) is None
    assert commands.publish_area(chair, None).event is None


# -- undo ----------------------------------------------------------------------------------------


def test_undo_takes_back_an_added_item(repo: Repository) -> None:
    commands.add_action(repo, "清理项目", "王副市长")
    commands.undo(repo)
    assert [a.id for a in repo.actions()] == [f"A{n}" for n in range(1, 9)]
    # A9 stays given: the audit trail names one item by one id.
    assert commands.add_action(repo, "再加一条", "王副市长").value.id == "A10"


def test_undo_reverts_a_status_change_history_and_all(repo: Repository) -> None:
    before = repo.action("A2")
    commands.close_action(repo, "A2", "计划已报送")
    commands.undo(repo)
    assert repo.action("A2") == before


def test_undo_removes_a_decision_and_a_value(repo: Repository) -> None:
    old = repo.data_points()["4.2.2"][-1]
    commands.record_value(repo, "4.2.2", "455")
    commands.add_decision(repo, "加快项目开工")
    commands.undo(repo)
    assert repo.meeting(MEETING).decisions == ()
    assert repo.data_points()["4.2.2"][-1].value == 455.0
    commands.undo(repo)
    assert repo.data_points()["4.2.2"][-1] == old


def test_undo_never_takes_the_same_change_twice(repo: Repository) -> None:
    commands.add_note(repo, 4, "第一条")
    commands.add_note(repo, 4, "第二条")
    commands.add_note(repo, 4, "第三条")
    first = commands.undo(repo).value
    second = commands.undo(repo).value
    assert first.seq > second.seq
    assert [n.text for n in repo.meeting(MEETING).notes] == ["第一条"]
    commands.undo(repo)
    assert repo.meeting(MEETING).notes == ()
    refused(repo, "seat", commands.undo)


def test_undo_takes_this_seats_change_not_another_seats(repo: Repository, chair: Repository) -> None:
    commands.add_action(repo, "清理项目", "王副市长")
    commands.add_decision(chair, "加快项目开工")
    commands.undo(repo)
    assert [a.id for a in repo.actions()][-1] == "A8"
    assert [d.text for d in repo.meeting(MEETING).decisions] == ["加快项目开工"]
    assert repo.events()[-1].seat == "secretary"
    refused(repo, "seat", commands.undo)  # its only change is undone; the chair's is not its own


def test_undo_can_name_another_seat(repo: Repository, chair: Repository) -> None:
    commands.add_decision(chair, "加快项目开工")
    result = commands.undo(repo, seat="chair")
    assert result.value.seat == "chair"
    assert (result.event.seat, result.event.who) == ("secretary", SECRETARY)
    assert repo.meeting(MEETING).decisions == ()


def test_undo_is_refused_when_another_seat_changed_the_record_since(
    repo: Repository, chair: Repository
) -> None:
    commands.add_action(repo, "清理项目", "王副市长")
    commands.close_action(chair, "A9", "已清理")
    error = refused(repo, "seat", commands.undo)
    assert "changed since" in error.message
    assert repo.action("A9").status is ActionStatus.DONE


def test_undo_is_refused_once_a_meeting_closed_since(repo: Repository, chair: Repository) -> None:
    commands.record_value(repo, "4.2.2", "455")
    commands.close_meeting(chair, MEETING, rules="yinchuan")
    error = refused(repo, "seat", commands.undo)
    assert "closed" in error.message


def test_nothing_to_undo_is_an_entry_error(repo: Repository) -> None:
    error = refused(repo, "seat", commands.undo)
    assert "secretary" in error.message


def test_closing_a_meeting_and_following_are_never_undone(repo: Repository) -> None:
    commands.publish_area(repo, 4)
    commands.close_meeting(repo, MEETING, rules="yinchuan")
    refused(repo, "seat", commands.undo)
    assert repo.meeting(MEETING).state is MeetingState.CLOSED
    assert repo.followed(MEETING) is None  # closing clears what the chair showed


def test_what_the_chair_shows_is_published_in_full(repo: Repository, chair: Repository) -> None:
    commands.publish_area(chair, 4, indicator="4.2.2", zoom=True)
    followed = repo.followed(MEETING)
    assert followed is not None
    assert (followed.area, followed.indicator, followed.zoom, followed.blank) == (4, "4.2.2", True, False)
    assert commands.publish_area(chair, 4, indicator="4.2.2", zoom=True).event is None
    refused(chair, "indicator", commands.publish_area, 4, indicator="99.9")


def test_undo_skips_following_the_chair_and_takes_the_change_before(
    repo: Repository, chair: Repository
) -> None:
    commands.add_action(chair, "清理项目", "王副市长")
    commands.publish_area(chair, 4)
    commands.undo(chair)
    assert [a.id for a in repo.actions()][-1] == "A8"
    assert repo.followed_area(MEETING) == 4


def test_moving_to_another_area_does_not_block_undoing_a_decision(
    repo: Repository, chair: Repository
) -> None:
    commands.add_decision(chair, "加快项目开工", area=4)
    commands.publish_area(chair, 5)
    commands.undo(chair)
    assert repo.meeting(MEETING).decisions == ()
    assert repo.followed_area(MEETING) == 5


# -- the screen and the minutes agree on when a judgement differs -------------------------------


def _screen_differs(view: MeetingView) -> dict[str, bool]:
    """Per judged measure, what the area screen flags (the check it makes, on the view's figures)."""
    flagged = {}
    for area in view.status.areas:
        measures = {m.id for m in area.area.measures}
        for measure_id, judgement in view.judgements.items():
            if measure_id in measures:
                flagged[measure_id] = judgement_differs(judgement, area.statuses)
    return flagged


def _minutes_differs(repo: Repository, meeting_id: str) -> dict[str, bool]:
    """Per judged measure, whether its row in the minutes' judgement table says it differs."""
    data = minutes_input(repo, meeting_id, "zh")
    text = render_minutes(data)
    marker = t("minutes.differs", "zh")
    assert marker
    flagged = {}
    for judgement in data.meeting.judgements:
        rows = [line for line in text.splitlines() if line.startswith(f"| {judgement.measure_id} ")]
        assert len(rows) == 1, rows
        flagged[judgement.measure_id] = marker in rows[0]
    return flagged


def test_the_screen_and_the_minutes_agree_for_every_demo_judgement(repo: Repository) -> None:
    for meeting in repo.meetings():
        view = build_meeting_view(repo, meeting.id, "zh", None)
        assert _screen_differs(view) == _minutes_differs(repo, meeting.id)
    assert _minutes_differs(repo, CLOSED) == {"4.2": False, "5.3": False}


def test_the_screen_and_the_minutes_agree_when_the_chair_disagrees(repo: Repository) -> None:
    chosen = {
        "4.2": Verdict.ON_TRACK,  # computed ▲: differs
        "1.4": Verdict.OFF_TRACK,  # computed ●: differs
        "7.1": Verdict.AT_RISK,  # computed ■: differs
        "5.3": Verdict.OFF_TRACK,  # computed ■: agrees
        "3.1": Verdict.ON_TRACK,  # computed ✓ (green): agrees
        "4.3": Verdict.OFF_TRACK,  # computed ○ not started (grey): never differs
    }
    for measure_id, verdict in chosen.items():
        commands.set_judgement(repo, measure_id, verdict)
    view = build_meeting_view(repo, MEETING, "zh", None)
    expected = {"4.2": True, "1.4": True, "7.1": True, "5.3": False, "3.1": False, "4.3": False}
    assert _screen_differs(view) == expected
    assert _minutes_differs(repo, MEETING) == expected
    commands.close_meeting(repo, MEETING, rules="yinchuan")
    frozen = build_meeting_view(repo, MEETING, "zh", None)
    assert _screen_differs(frozen) == _minutes_differs(repo, MEETING) == expected


def test_an_unassessed_qualitative_measure_never_differs(repo: Repository) -> None:
    measure = next(m for m in repo.plan().measures if m.id == "2.2")
    assert {i.kind for i in measure.indicators} == {IndicatorKind.QUALITATIVE}
    for indicator in measure.indicators:
        commands.record_value(
            repo, indicator.id, "", evidence="正在推进，尚未评估"
        )  # evidence, no assessment
    commands.set_judgement(repo, "2.2", Verdict.OFF_TRACK, text="明显滞后")
    view = build_meeting_view(repo, MEETING, "zh", None)
    area = next(a for a in view.status.areas if a.area.number == 2)
    assert all(s.reason != "assessed" for s in area.statuses if s.indicator.measure_id == "2.2")
    assert _screen_differs(view) == {"2.2": False}
    assert _minutes_differs(repo, MEETING) == {"2.2": False}
