"""Which action items a meeting reviews (回头看)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zzreview.domain.model import ActionItem, Meeting


def carried_into(
    meeting: Meeting,
    meetings: Sequence[Meeting],
    actions: Sequence[ActionItem],
    memo: dict[Any, Any] | None = None,
) -> list[ActionItem]:
    """The items a meeting reviews (回头看), as they stand in `actions`.

    An item is reviewed when it was raised at an earlier meeting and was still open at the
    end of the previous meeting's day, or is open now. Unlike the list of items still open,
    this keeps the ones closed since the last meeting, so the room hears of their closing.

    `memo`, a dict kept by the caller between calls, remembers the answer for each item
    object (items never change in place): a view rebuilt after one save then looks again
    only at the item that save made or changed.
    """
    key = (meeting.date, meeting.id)
    earlier = [m for m in meetings if (m.date, m.id) < key]
    earlier_ids = {m.id for m in earlier}
    previous = earlier[-1] if earlier else None

    def reviewed(item: ActionItem) -> bool:
        return item.meeting_id in earlier_ids and (
            item.status.is_open
            or (previous is not None and item.status_on(previous.date, previous.id).is_open)
        )

    if memo is None:
        return [item for item in actions if reviewed(item)]
    context = (meeting.id, frozenset(earlier_ids), (previous.date, previous.id) if previous else None)
    if memo.get("context") != context or len(memo) > 2 * len(actions) + 16:
        memo.clear()
        memo["context"] = context
    chosen = []
    for item in actions:
        hit = memo.get(id(item))
        if hit is None or hit[0] is not item:
            hit = memo[id(item)] = (item, reviewed(item))
        if hit[1]:
            chosen.append(item)
    return chosen


def action_number(action_id: str) -> int:
    """The number in an action id (`A12` → 12); 0 for an id not of that form."""
    digits = action_id[1:] if action_id[:1] == "A" else ""
    return int(digits) if digits.isdigit() else 0


def action_order(item: ActionItem) -> tuple[int, str]:
    """The order items were raised in: by number, A2 before A10."""
    return (action_number(item.id), item.id)


def normalise_action_id(action_id: str) -> str:
    """`7`, `a7` and `A7` all name action item A7."""
    text = action_id.strip().upper()
    return f"A{text}" if text.isdigit() else text


def shown_at(
    meeting: Meeting, meetings: Sequence[Meeting], actions: Sequence[ActionItem]
) -> list[ActionItem]:
    """The items a meeting shows, as they stood at the end of its day (with all that was
    recorded at it): those raised at it and those it reviews (回头看), in the order raised."""
    as_they_stood = [item.as_of(meeting.date, meeting.id) for item in actions]
    reviewed = {item.id for item in carried_into(meeting, meetings, as_they_stood)}
    return sorted(
        (a for a in as_they_stood if a.meeting_id == meeting.id or a.id in reviewed), key=action_order
    )
