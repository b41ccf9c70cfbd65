"""Progress lines (进展) on action items: said with the status an item already has, on their
own, or through the 回头看 review — each one event, each taken back by one undo.

On the shipped demo (see conftest): A1 is in progress, A2 open, A6 done; the current
meeting is 2024-10-31.
"""

from __future__ import annotations

import pytest

from tests.meeting.conftest import MEETING, SECRETARY, recorded, refused
from zzreview.domain import ActionStatus, ChangeKind
from zzreview.meeting import commands
from zzreview.storage.repository import Repository


def test_the_status_an_item_has_with_a_line_records_the_line_as_progress(repo: Repository) -> None:
    before = repo.action("A1")
    assert before.status is ActionStatus.IN_PROGRESS
    result = commands.set_action_status(repo, "A1", "in_progress", evidence=" 已开工 12 个 \x1b")
    recorded(result, repo, "action.progress")
    item = result.value
    assert item.status is ActionStatus.IN_PROGRESS
    entry = item.history[-1]
    assert (entry.kind, entry.before, entry.after, entry.evidence) == (
        ChangeKind.PROGRESS,
        None,
        None,
        "已开工 12 个",
    )
    assert (entry.who, entry.meeting_id) == (SECRETARY, MEETING)
    assert item.history[:-1] == before.history
    assert repo.action("A1") == item


def test_a_new_status_with_a_line_is_still_a_status_change(repo: Repository) -> None:
    result = commands.set_action_status(repo, "A2", "in_progress", evidence="已启动")
    recorded(result, repo, "action.status")
    entry = result.value.history[-1]
    assert (entry.kind, entry.before, entry.after, entry.evidence) == (
        ChangeKind.STATUS,
        ActionStatus.OPEN,
        ActionStatus.IN_PROGRESS,
        "已启动",
    )


def test_a_done_item_said_done_again_with_a_line_keeps_its_status(repo: Repository) -> None:
    assert repo.action("A6").status is ActionStatus.DONE
    item = commands.close_action(repo, "A6", "补充材料已归档").value
    assert item.status is ActionStatus.DONE
    assert item.history[-1].kind is ChangeKind.PROGRESS


def test_a_progress_line_is_recorded_whatever_the_status(repo: Repository) -> None:
    for action_id in ("A1", "A2", "A6"):
        status = repo.action(action_id).status
        result = commands.record_progress(repo, action_id, f"{action_id} 的进展")
        recorded(result, repo, "action.progress")
        assert result.value.status is status
        entry = result.value.history[-1]
        assert (entry.kind, entry.evidence, entry.before, entry.after) == (
            ChangeKind.PROGRESS,
            f"{action_id} 的进展",
            None,
            None,
        )
    assert repo.events()[0].summary == "action A1: progress: A1 的进展"


def test_progress_at_a_named_meeting(repo: Repository) -> None:
    item = commands.record_progress(repo, "A1", "会外报告", meeting_id="2024-11-29").value
    assert item.history[-1].meeting_id == "2024-11-29"


@pytest.mark.parametrize(
    ("field", "command", "args", "kwargs"),
    [
        ("progress", commands.record_progress, ("A1", " \n "), {}),
        ("progress", commands.record_progress, ("A1", "\x1b\u202e"), {}),
        ("id", commands.record_progress, ("A99", "进展"), {}),
        ("meeting", commands.record_progress, ("A1", "进展"), {"meeting_id": "2030-01-01"}),
        ("progress", commands.review_action, ("A1",), {}),
        ("progress", commands.review_action, ("A1",), {"status": "", "line": "  "}),
        ("progress", commands.review_action, ("A1",), {"status": "in_progress"}),  # no change, no line
        ("evidence", commands.review_action, ("A2",), {"status": "done"}),
        ("evidence", commands.review_action, ("A2",), {"status": "dropped", "line": " "}),
        ("status", commands.review_action, ("A2",), {"status": "finished", "line": "x"}),
        ("id", commands.review_action, ("A99",), {"line": "进展"}),
    ],
)
def test_bad_progress_names_its_field_and_writes_nothing(
    repo: Repository, field: str, command, args: tuple, kwargs: dict
) -> None:
    refused(repo, field, command, *args, **kwargs)


def test_the_review_records_a_new_status_or_a_line_in_one_event(repo: Repository) -> None:
    moved = commands.review_action(repo, "A2", status="in_progress", line="已对接郑商所")
    recorded(moved, repo, "action.status")
    assert moved.value.status is ActionStatus.IN_PROGRESS
    assert (moved.value.history[-1].kind, moved.value.history[-1].evidence) == (
        ChangeKind.STATUS,
        "已对接郑商所",
    )

    same = commands.review_action(repo, "A2", status=ActionStatus.IN_PROGRESS, line="方案已起草")
    recorded(same, repo, "action.progress")
    assert (same.value.history[-1].kind, same.value.history[-1].evidence) == (
        ChangeKind.PROGRESS,
        "方案已起草",
    )

    line_only = commands.review_action(repo, "A2", line="待市政府审定")
    recorded(line_only, repo, "action.progress")
    assert line_only.value.status is ActionStatus.IN_PROGRESS

    closed = commands.review_action(repo, "A2", status="done", line="方案已印发")
    recorded(closed, repo, "action.status")
    assert closed.value.status is ActionStatus.DONE
    assert len(repo.events()) == 4
    assert [h.kind for h in repo.action("A2").history[-4:]] == [
        ChangeKind.STATUS,
        ChangeKind.PROGRESS,
        ChangeKind.PROGRESS,
        ChangeKind.STATUS,
    ]


def test_a_review_is_taken_back_by_one_undo(repo: Repository) -> None:
    before = repo.action("A1")
    commands.review_action(repo, "A1", line="已开工 12 个")
    commands.record_progress(repo, "A2", "已对接")
    assert commands.undo(repo).value.kind == "action.progress"
    assert repo.action("A2").history[-1].kind is not ChangeKind.PROGRESS
    commands.undo(repo)
    assert repo.action("A1") == before


def test_the_review_decides_on_the_item_as_it_stands(repo: Repository, monkeypatch) -> None:
    """Another seat closed the item between this seat's look and its save: the line is then
    progress on the done item, not a second move to done."""
    other = Repository(repo.store, who="李主任", seat="chair")
    looked = repo.current_action("A2")
    real_action = repo.current_action

    def stale(action_id: str):
        # The look this seat took before the other seat's change.
        commands.close_action(other, "A2", "已办结")
        monkeypatch.setattr(repo, "current_action", real_action)
        return looked

    monkeypatch.setattr(repo, "current_action", stale)
    item = commands.review_action(repo, "A2", status="done", line="另报材料").value
    assert item.status is ActionStatus.DONE
    assert [h.kind for h in item.history[-2:]] == [ChangeKind.STATUS, ChangeKind.PROGRESS]
    assert sum(1 for h in item.history if h.kind is ChangeKind.STATUS) == 1
