"""An item's form saved in the app: its fields, its status and its line as one change, so one
`ctrl+z` takes the whole save back, and a bad field writes nothing at all."""

from __future__ import annotations

from tests.meeting.conftest import MEETING, refused
from zzreview.domain import ActionStatus, ChangeKind
from zzreview.meeting import commands
from zzreview.storage.repository import Repository


def _started(repo: Repository) -> Repository:
    commands.start_meeting(repo, MEETING)
    return repo


def test_an_edit_and_a_close_are_one_event_and_one_undo(repo: Repository) -> None:
    _started(repo)
    before = repo.action("A1")
    events = len(repo.events())
    saved = commands.update_action(
        repo,
        "A1",
        owner="新的责任人",
        status="done",
        line="已开工，见市发改委10月30日文件",
        meeting_id=MEETING,
    )
    assert len(repo.events()) == events + 1
    item = repo.action("A1")
    assert (item.owner, item.status) == ("新的责任人", ActionStatus.DONE)
    assert [h.kind for h in item.history[len(before.history) :]] == [ChangeKind.EDITED, ChangeKind.STATUS]
    assert item.history[-1].evidence == "已开工，见市发改委10月30日文件"
    assert saved.event is not None and saved.event.kind == "action.status"
    commands.undo(repo)
    assert repo.action("A1") == before


def test_a_line_with_the_status_unchanged_is_progress_for_this_meeting(repo: Repository) -> None:
    _started(repo)
    status = repo.action("A1").status
    saved = commands.update_action(
        repo, "A1", status=status.value, line="已完成招标，下周开工", meeting_id=MEETING
    )
    last = repo.action("A1").history[-1]
    assert (last.kind, last.evidence, last.meeting_id) == (
        ChangeKind.PROGRESS,
        "已完成招标，下周开工",
        MEETING,
    )
    assert saved.event is not None and saved.event.kind == "action.progress"


def test_closing_without_evidence_writes_nothing_even_with_good_edits(repo: Repository) -> None:
    _started(repo)
    refused(repo, "evidence", commands.update_action, "A1", owner="新的责任人", status="done", line="  ")
    assert repo.action("A1").owner != "新的责任人"


def test_a_bad_field_writes_nothing_even_with_a_good_status(repo: Repository) -> None:
    _started(repo)
    refused(repo, "owner", commands.update_action, "A1", owner="", status="in_progress", line="推进中")
    refused(repo, "due", commands.update_action, "A1", due="2024-13-45", status="done", line="好了")


def test_an_unchanged_form_records_nothing(repo: Repository) -> None:
    _started(repo)
    item = repo.action("A1")
    events = len(repo.events())
    commands.update_action(
        repo,
        "A1",
        text=item.text,
        owner=item.owner,
        lead_unit=item.lead_unit,
        supporting=item.supporting_units,
        status=item.status.value,
        line="",
    )
    assert len(repo.events()) == events


def test_a_judgement_another_seat_recorded_since_the_form_opened_is_a_conflict(repo: Repository) -> None:
    _started(repo)
    commands.set_judgement(repo, "4.2", "at_risk", text="另一席位的判断")
    error = refused(repo, "verdict", commands.set_judgement, "4.2", "on_track", expected=None)
    assert isinstance(error, commands.Conflict) and "另一席位的判断" in error.theirs
    shown = repo.meeting(MEETING).judgements[0]
    commands.set_judgement(repo, "4.2", "on_track", expected=shown)  # saved again, knowing it
    assert repo.meeting(MEETING).judgements[0].verdict.value == "on_track"


def test_meeting_details_another_seat_changed_are_a_conflict_and_the_rest_merge(repo: Repository) -> None:
    _started(repo)
    shown = repo.meeting(MEETING)
    commands.edit_meeting(repo, MEETING, place="市政府第二会议室", chair="另一位主持")
    error = refused(repo, "place", commands.edit_meeting, MEETING, place="市民之家", expected=shown)
    assert isinstance(error, commands.Conflict) and error.theirs == "市政府第二会议室"
    commands.edit_meeting(repo, MEETING, secretary="新记录人", expected=shown)  # a field nobody else changed
    meeting = repo.meeting(MEETING)
    assert (meeting.place, meeting.chair, meeting.secretary) == ("市政府第二会议室", "另一位主持", "新记录人")
