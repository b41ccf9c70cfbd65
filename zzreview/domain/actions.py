"""Which action items a meeting reviews (回头看)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from zzreview.domain.model import OPEN_STATUSES, ActionItem, Meeting, status_after


class ReviewRule:
    """Which items a meeting reviews (回头看): those raised at an earlier meeting that were still
    open at the end of the previous meeting's day, or are open now. Unlike the list of items
    still open, this keeps the ones closed since the last meeting, so the room hears of their
    closing.

    Asked of an item's fields (`reviews`), so the same rule reads a decoded item or a stored
    document: the rule's statuses and kinds are text as the documents hold them.
    """

    def __init__(self, meeting: Meeting, meetings: Sequence[Meeting]) -> None:
        key = (meeting.date, meeting.id)
        earlier = [m for m in meetings if (m.date, m.id) < key]
        self.earlier_ids = frozenset(m.id for m in earlier)
        previous = earlier[-1] if earlier else None
        self.previous = (previous.date.isoformat(), previous.id) if previous is not None else None
        self.context = (meeting.id, self.earlier_ids, self.previous)
        """What the answers depend on besides the item: a memo of them holds while this does."""

    def reviews(
        self, raised_at: str, status: str, entries: Callable[[], Iterable[tuple[str, str, str, str | None]]]
    ) -> bool:
        """Whether an item raised at meeting `raised_at`, of this `status` now, is reviewed;
        `entries()` gives its history as `status_after` reads it (the latest first), asked only when needed."""
        if raised_at not in self.earlier_ids:
            return False
        if status in OPEN_STATUSES:
            return True
        return self.previous is not None and status_after(entries(), *self.previous) in OPEN_STATUSES

    def reviews_item(self, item: ActionItem) -> bool:
        return self.reviews(
            item.meeting_id,
            item.status,
            lambda: ((c.at, c.meeting_id, c.kind, c.after) for c in reversed(item.history)),
        )


def carried_into(
    meeting: Meeting,
    meetings: Sequence[Meeting],
    actions: Sequence[ActionItem],
    memo: dict[Any, Any] | None = None,
) -> list[ActionItem]:
    """The items a meeting reviews (回头看, see `ReviewRule`), as they stand in `actions`.

    `memo`, a dict kept by the caller between calls, remembers the answer for each item
    object (items never change in place): a view rebuilt after one save then looks again
    only at the item that save made or changed.
    """
    rule = ReviewRule(meeting, meetings)
    if memo is None:
        return [item for item in actions if rule.reviews_item(item)]
    if memo.get("context") != rule.context or len(memo) > 2 * len(actions) + 16:
        memo.clear()
        memo["context"] = rule.context
    chosen = []
    for item in actions:
        hit = memo.get(id(item))
        if hit is None or hit[0] is not item:
            hit = memo[id(item)] = (item, rule.reviews_item(item))
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
