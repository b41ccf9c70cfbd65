"""回头看 read off the stored documents (storage.reviewing) picks exactly the items the rule picks
from decoded items, decodes only those, and a document it cannot read is reported as before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.test_status_on import history_changes
from zzreview.domain import ActionItem, ActionStatus, Meeting, carried_into
from zzreview.domain.actions import ReviewRule
from zzreview.meeting import commands
from zzreview.meeting.session import demo_in_memory
from zzreview.meeting.view import build_meeting_view
from zzreview.storage import repository as repository_module
from zzreview.storage.codec import to_doc
from zzreview.storage.errors import StoreError
from zzreview.storage.repository import Repository
from zzreview.storage.reviewing import reviewed_keys
from zzreview.storage.store import Change, StoreView, Writes

MEETINGS = [
    Meeting(id=f"2024-{month:02d}-10", title=f"{month}月调度会", date=date(2024, month, 10))
    for month in (7, 8, 9, 10)
]
DAYS = st.integers(0, 130).map(lambda n: date(2024, 7, 1) + timedelta(days=n))
MEETING_IDS = st.sampled_from([m.id for m in MEETINGS] + ["another"])

CHANGES = history_changes(DAYS, MEETING_IDS)
ITEMS = st.builds(
    lambda n, raised_at, status, history: ActionItem(
        id=f"A{n}", text="督办", owner="张三", meeting_id=raised_at, status=status, history=tuple(history)
    ),
    st.integers(1, 99),
    MEETING_IDS,
    st.sampled_from(list(ActionStatus)),
    st.lists(CHANGES, max_size=5),
)


@settings(max_examples=200, deadline=None)
@given(items=st.lists(ITEMS, max_size=8), at=st.integers(0, len(MEETINGS) - 1))
def test_the_documents_reviewed_are_the_items_reviewed(items, at) -> None:
    meeting = MEETINGS[at]
    docs = {str(n): to_doc(item) for n, item in enumerate(items, start=1)}
    keys = reviewed_keys(ReviewRule(meeting, MEETINGS), docs)
    assert keys is not None
    assert [items[int(key) - 1] for key in keys] == carried_into(meeting, MEETINGS, items)


@pytest.mark.parametrize(
    "edit",
    [
        lambda doc: doc.update(status="finished"),
        lambda doc: doc.update(meeting_id=7),
        lambda doc: doc.update(history="raised"),
        lambda doc: doc["history"].append({"kind": "status", "at": None, "meeting_id": "x", "after": "done"}),
        lambda doc: doc["history"].append(
            {"kind": "status", "at": "2024-09-01", "meeting_id": "x", "after": "?"}
        ),
        lambda doc: doc["history"].append(["status"]),
        lambda doc: doc.update(meeting_id="2024-10-\ud800"),
    ],
)
def test_a_document_the_rule_cannot_read_is_left_to_the_decoder(edit) -> None:
    item = ActionItem(id="A1", text="督办", owner="张三", meeting_id=MEETINGS[0].id, status=ActionStatus.DONE)
    doc = to_doc(item)
    edit(doc)
    assert reviewed_keys(ReviewRule(MEETINGS[2], MEETINGS), {"1": doc}) is None


def _counting_decodes(monkeypatch) -> list[str]:
    decoded: list[str] = []
    original = Repository._decode

    def counted(self, cls, doc, table):
        if cls is ActionItem:
            decoded.append(doc.get("id"))
        return original(self, cls, doc, table)

    monkeypatch.setattr(repository_module.Repository, "_decode", counted)
    return decoded


def test_a_launch_decodes_only_the_items_it_reviews_and_never_one_twice(monkeypatch) -> None:
    meeting = "2024-10-31"
    fresh = demo_in_memory()
    for _ in range(3):  # raised at the meeting: not reviewed
        commands.add_action(fresh, "另一项交办", "李四", area=2)
    fresh = Repository(fresh.store)  # a process opening the database: nothing decoded yet
    decoded = _counting_decodes(monkeypatch)
    view = build_meeting_view(fresh, meeting, "zh", None)
    carried = sorted(c.item.id for c in view.carried)
    assert carried and sorted(decoded) == carried, "回头看 decoded what it shows, nothing else"
    view.work_out()  # the other screens: every item, the reviewed ones not again
    every = [doc["id"] for doc in fresh.store.table("actions").values()]
    assert sorted(decoded) == sorted(every)
    assert {a.id for a in view.actions_by_area[2]} >= {
        a.id for a in fresh.actions() if a.text == "另一项交办"
    }
    reviewed = {c.item.id: c.item for c in view.carried}
    assert all(reviewed[a.id] is a for a in fresh.actions() if a.id in reviewed), "the same objects"


def _with_broken_item(status: str) -> Repository:
    """The demo with its first action item's status replaced by `status`."""
    repo = demo_in_memory()
    key = next(iter(repo.store.table("actions")))

    def mutate(view: StoreView) -> Writes:
        return Writes([Change("actions", key, dict(view.table("actions")[key], status=status))])

    repo.store.transact(mutate, who="王秘书", seat="cli", kind="edit", summary="by hand")
    return repo


def test_a_document_the_rule_cannot_read_stops_the_launch_with_the_decoders_message() -> None:
    with pytest.raises(StoreError) as decoding_all:
        _with_broken_item("finished").actions()
    with pytest.raises(StoreError) as launching:
        build_meeting_view(_with_broken_item("finished"), "2024-10-31", "zh", None)
    assert str(launching.value) == str(decoding_all.value)
    assert "status" in str(launching.value) and "finished" in str(launching.value)


def _with_unreadable_due_on_an_item_not_reviewed() -> tuple[Repository, str]:
    """The demo, started, with an item raised at the meeting (so not reviewed) whose due date
    was then edited by hand into something no date is."""
    repo = demo_in_memory()
    commands.start_meeting(repo, "2024-10-31")
    added = commands.add_action(repo, "梳理未开工项目清单", "张三", area=4).value
    key = next(k for k, doc in repo.store.table("actions").items() if doc.get("id") == added.id)

    def mutate(view: StoreView) -> Writes:
        return Writes([Change("actions", key, dict(view.table("actions")[key], due="soon"))])

    repo.store.transact(mutate, who="王秘书", seat="cli", kind="edit", summary="by hand")
    return Repository(repo.store, seat="secretary"), added.id


def test_an_unreadable_item_not_reviewed_is_said_as_a_launch_would_once_the_items_are_read() -> None:
    repo, _ = _with_unreadable_due_on_an_item_not_reviewed()
    view = build_meeting_view(repo, "2024-10-31", "zh", None)  # 回头看 needs none of it
    with pytest.raises(StoreError) as decoding_all:
        Repository(repo.store).actions()
    for _ in range(2):  # asked again, it is said again
        with pytest.raises(StoreError) as asked:
            view.work_out()
        assert str(asked.value) == str(decoding_all.value) and "due" in str(asked.value)
    with pytest.raises(StoreError):
        view.owners  # noqa: B018  (the forms' completions read every item too)
