"""What a closed meeting freezes: the one builder used by closing a meeting and by the seed.

A snapshot is a cut-off, not a copy: values are never overwritten (a correction is a newer
version), so the meeting keeps the id of the last value document it could see. The action
items it showed are copied as they stood at the end of its day, with the ids of those it
reviewed (回头看), the next meeting as it was planned, and the rule preset it was judged by.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zzreview.domain import ActionItem, Meeting, carried_into, shown_at
from zzreview.storage.codec import to_doc


def freeze(
    meeting: Meeting,
    meetings: Sequence[Meeting],
    actions: Sequence[ActionItem],
    *,
    values_upto: int,
    rules: str,
) -> dict[str, Any]:
    """The snapshot document of `meeting` closing now, given every meeting and action item."""
    shown = shown_at(meeting, meetings, actions)
    reviewed = carried_into(meeting, meetings, shown)
    key = (meeting.date, meeting.id)
    later = sorted((m for m in meetings if (m.date, m.id) > key), key=lambda m: (m.date, m.id))
    return {
        "as_of": meeting.date.isoformat(),
        "values_upto": values_upto,
        "actions": [to_doc(a) for a in shown],
        "reviewed": [a.id for a in reviewed],
        "next_meeting": to_doc(later[0]) if later else None,
        "rules": rules,
    }
