"""回头看 read off the stored action items, so a launch decodes only the items it shows.

The app opens on 回头看: at city scale that is ~150 of 10,000 items, and decoding them all
(their histories too) was most of what a launch spent on data. `ReviewRule` is asked of each
document's fields as stored — the same rule that judges decoded items — and only the items it
picks are decoded. Anything in a document the rule does not read as it expects sends the
caller back to decoding every item, which says exactly what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from zzreview.domain import ActionStatus, ChangeKind
from zzreview.domain.actions import ReviewRule
from zzreview.domain.text import SURROGATES

_STATUSES = frozenset(ActionStatus)


class _Unread(Exception):
    """A document the rule cannot read as it stands."""


def _plain(text: Any) -> bool:
    """Whether `text` is text the codec keeps as it is (no surrogate to replace)."""
    return isinstance(text, str) and (text.isascii() or SURROGATES.search(text) is None)


def _entries(history: Any) -> Iterator[tuple[str, str, str, str | None]]:
    """A stored history's status changes as `status_after` reads them, the latest first (the
    only entries it counts; an entry without a kind is a raising, the codec's default). Each is
    checked as it is read: `status_after` stops at the one that decides."""
    if not isinstance(history, list):
        raise _Unread
    for change in reversed(history):
        if change.get("kind") == ChangeKind.STATUS:
            at, made_at, after = change.get("at"), change.get("meeting_id"), change.get("after")
            if not (_plain(at) and _plain(made_at) and (after is None or after in _STATUSES)):
                raise _Unread
            yield at, made_at, ChangeKind.STATUS, after


def reviewed_keys(rule: ReviewRule, docs: Mapping[str, Any]) -> list[str] | None:
    """The keys of the action item documents `rule` reviews, in the table's order; None when
    a document is not of the shape it reads."""
    chosen = []
    try:
        for key, doc in docs.items():
            if not isinstance(doc, dict):
                return None
            status = doc.get("status", ActionStatus.OPEN)
            if status not in _STATUSES:
                return None
            raised_at = doc.get("meeting_id")
            if not _plain(raised_at):
                return None
            history = doc.get("history", [])
            if rule.reviews(raised_at, status, lambda h=history: _entries(h)):
                chosen.append(key)
    except (_Unread, TypeError, AttributeError):  # an object, a list where another was wanted
        return None
    return chosen
