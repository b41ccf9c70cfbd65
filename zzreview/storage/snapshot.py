"""What a closed meeting freezes: the one builder used by closing a meeting and by the seed.

The items a snapshot copies are kept packed (`pack_items`: their JSON, compressed, as one
base64 text): a city's database holds hundreds of closed meetings with some two hundred items
each, which as plain documents were more than half of the file and of every process's memory,
though only a closed meeting's own screens and minutes read them. `frozen_items` reads both
forms (a file written before, or by hand, keeps a plain list).

A snapshot is a cut-off, not a copy: values are never overwritten (a correction is a newer
version), so the meeting keeps the id of the last value document it could see. The action
items it showed are copied as they stood at the end of its day, with the ids of those it
reviewed (回头看), the next meeting as it was planned, and the rule preset it was judged by.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping, Sequence
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
        "actions": pack_items([to_doc(a) for a in shown]),
        "reviewed": [a.id for a in reviewed],
        "next_meeting": to_doc(later[0]) if later else None,
        "rules": rules,
    }


PACKED = "zlib+base64:"
"""How packed items begin: what follows is base64 of zlib of their JSON."""


def pack_items(docs: Sequence[Mapping[str, Any]]) -> str:
    """Item documents as one compact text (ASCII JSON, so any odd text survives exactly)."""
    raw = json.dumps(list(docs), ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return PACKED + base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def frozen_items(frozen: Mapping[str, Any]) -> list[Any]:
    """The item documents a snapshot holds, packed or plain; ValueError if unreadable."""
    items = frozen.get("actions", [])
    if isinstance(items, str):
        if not items.startswith(PACKED):
            raise ValueError("expected packed items or a list")
        try:
            items = json.loads(zlib.decompress(base64.b64decode(items[len(PACKED) :], validate=True)))
        except (ValueError, zlib.error) as error:
            raise ValueError(f"packed items unreadable ({error})") from None
    if not isinstance(items, list):
        raise ValueError("expected a list")
    return items
