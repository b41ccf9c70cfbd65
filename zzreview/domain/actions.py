"""Which action items a meeting reviews (回头看)."""

from __future__ import annotations

from collections.abc import Sequence

from zzreview.domain.model import ActionItem, Meeting


def carried_into(
    meeting: Meeting, meetings: Sequence[Meeting], actions: Sequence[ActionItem]
) -> list[ActionItem]:
    """The items a meeting reviews (回头看), as they stand in `actions`.

    An item is reviewed when it was raised at an earlier meeting and was still open at the
    end of the previous meeting's day, or is open now. Unlike the list of items still open,
    this keeps the ones closed since the last meeting, so the room hears of their closing.
    """
    key = (meeting.date, meeting.id)
    earlier = [m for m in meetings if (m.date, m.id) < key]
    earlier_ids = {m.id for m in earlier}
    previous = earlier[-1] if earlier else None
    return [
        item
        for item in actions
        if item.meeting_id in earlier_ids
        and (item.status.is_open or (previous is not None and item.as_of(previous.date).status.is_open))
    ]
