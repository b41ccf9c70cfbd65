"""Two seats on one database, any mix of saves, deletes, checkpoints and refreshes: both end up
with exactly what was saved, and so does a fresh open."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from zzreview.storage.store import Change, Store, Writes

DOC_IDS = [str(n) for n in range(1, 6)]

operations = st.lists(
    st.tuples(
        st.sampled_from([0, 1]),  # which seat
        st.sampled_from(["put", "put", "put", "delete", "checkpoint", "refresh"]),
        st.sampled_from(DOC_IDS),
        st.text(max_size=8),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(operations)
def test_two_seats_agree_with_what_was_saved(steps: list[tuple[int, str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.json"
        seats = [Store.create(path, {}), Store.open(path)]
        expected: dict[str, dict] = {}
        saves = 0
        for seat_index, operation, doc_id, text in steps:
            seat = seats[seat_index]
            if operation == "checkpoint":
                seat.checkpoint()
            elif operation == "refresh":
                seat.refresh()
            else:
                doc = {"text": text} if operation == "put" else None
                event = seat.transact(
                    lambda view, doc=doc, doc_id=doc_id: Writes([Change("notes", doc_id, doc)]),
                    who=str(seat_index),
                    seat=str(seat_index),
                    kind=operation,
                    summary=operation,
                ).event
                if (doc is None and doc_id in expected) or (doc is not None and expected.get(doc_id) != doc):
                    assert event is not None
                    saves += 1
                else:
                    assert event is None
                if doc is None:
                    expected.pop(doc_id, None)
                else:
                    expected[doc_id] = doc
                assert dict(seat.table("notes")) == expected

        for seat in seats:
            seat.refresh()
            assert dict(seat.table("notes")) == expected
            assert [e.seq for e in seat.events()] == list(range(1, saves + 1))
        fresh = Store.open(path)
        assert dict(fresh.table("notes")) == expected
        assert len(fresh.events()) == saves
