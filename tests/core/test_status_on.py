"""An item's status on a day, worked out without rebuilding the item, agrees with `as_of`."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from zzreview.domain import ActionChange, ActionItem, ActionStatus, ChangeKind

DAYS = st.integers(0, 60).map(lambda n: date(2024, 9, 1) + timedelta(days=n))
MEETINGS = st.sampled_from(["2024-09-05", "2024-10-10", "2024-10-31"])


def history_changes(days: st.SearchStrategy[date], meeting_ids: st.SearchStrategy[str]) -> st.SearchStrategy:
    """Entries of an item's history: any kind, at any of `days`, at any of `meeting_ids`."""
    return st.builds(
        lambda day, meeting, kind, after: ActionChange(
            at=day.isoformat() + "T10:00:00+08:00",
            meeting_id=meeting,
            kind=kind,
            after=after if kind is ChangeKind.STATUS else None,
        ),
        days,
        meeting_ids,
        st.sampled_from(list(ChangeKind)),
        st.sampled_from(list(ActionStatus)),
    )


CHANGES = history_changes(DAYS, MEETINGS)


@given(history=st.lists(CHANGES, max_size=6), day=DAYS, meeting=st.one_of(st.just(""), MEETINGS))
def test_status_on_a_day_is_the_status_of_the_item_as_it_stood(history, day, meeting) -> None:
    item = ActionItem(id="A1", text="督办", owner="张三", meeting_id="2024-09-05", history=tuple(history))
    assert item.status_on(day, meeting) is item.as_of(day, meeting).status


def test_the_review_list_remembered_between_saves_is_the_one_worked_out_afresh() -> None:
    from zzreview.domain import carried_into
    from zzreview.meeting import commands
    from zzreview.meeting.session import demo_in_memory

    repo = demo_in_memory()
    meeting = repo.meeting("2024-10-31")
    memo: dict = {}

    def both() -> tuple[list[str], list[str]]:
        actions, meetings = repo.actions(), repo.meetings()
        remembered = carried_into(meeting, meetings, actions, memo)
        return [a.id for a in remembered], [a.id for a in carried_into(meeting, meetings, actions)]

    first, fresh = both()
    assert first == fresh and first
    commands.start_meeting(repo, meeting.id)
    commands.close_action(repo, first[0], evidence="已完成")
    commands.add_action(repo, "新交办", "张三", area=4)
    again, fresh = both()
    assert again == fresh
    assert next(a.status for a in repo.actions() if a.id == first[0]) is ActionStatus.DONE
