"""The journal: PATH.journal, one JSON line per event, each fsync'd before the save is acknowledged.

Saving appends a few hundred bytes instead of rewriting the whole file, so it stays cheap at
scale. Each line is a record — the database's id, the event's seq, who, seat, when, what, and
the changes as {table, doc_id, before, after} — and loading replays the records whose seq is
above the checkpoint's ``journal_seq``, so a crash between a checkpoint and the emptying of
the journal loses nothing and applies nothing twice. A last line cut short is a save that was
never acknowledged and is left out; anything else wrong makes the journal corrupt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zzreview.storage.changes import shape_problem as entry_problem
from zzreview.storage.errors import StoreError
from zzreview.storage.shapes import is_doc_id, is_int, json_kind

JOURNAL_SUFFIX = ".journal"


@dataclass(frozen=True)
class Event:
    """One saved change set, as the journal and the "events" table record it."""

    seq: int
    at: str
    who: str
    seat: str
    kind: str
    summary: str
    changes: tuple[dict[str, Any], ...]
    undoes: int | None = None
    """The seq of the event this one takes back, for an undo."""


class JournalGap(StoreError):
    """The journal does not continue the checkpoint it sits beside."""


def event_from_record(record: Mapping[str, Any]) -> Event:
    """The `Event` a journal record (or an "events" document) describes."""
    return Event(
        seq=record["seq"],
        at=record.get("at", ""),
        who=record.get("who", ""),
        seat=record.get("seat", ""),
        kind=record.get("kind", ""),
        summary=record.get("summary", ""),
        changes=tuple(record.get("changes", ())),
        undoes=record.get("undoes"),
    )


def _record_problem(record: Any) -> str | None:
    """What is wrong with one journal record, or None."""
    if not isinstance(record, dict):
        return f"it is {json_kind(record)}, not an object"
    if not is_int(record.get("seq")) or record["seq"] < 1:
        return "it has no whole-number seq"
    for key in ("at", "who", "seat", "kind", "summary"):
        if not isinstance(record.get(key), str):
            return f"its {key!r} is not a string"
    undoes = record.get("undoes")
    if undoes is not None and (not is_int(undoes) or undoes < 1):
        return "its 'undoes' is not a whole-number seq"
    changes = record.get("changes")
    if not isinstance(changes, list):
        return "its 'changes' is not a list"
    for change in changes:
        problem = entry_problem(change)
        if problem is None and not is_doc_id(change.get("doc_id")):
            problem = "it has no whole-number doc_id"
        if problem:
            return f"one of its changes is not an entry: {problem}"
    return None


def parse_journal(
    journal: Path, data: bytes, db_id: str, lines_before: int, replaced: str = ""
) -> tuple[list[dict[str, Any]], int, int]:
    """The complete records in `data`, the bytes they span, and the line count after them.

    A last line cut short (no newline, or not JSON) is a save that was never acknowledged: it
    is left out. Anything wrong before the last line means the journal is corrupt. A journal
    of the database this one `replaced` (a forced init whose tidying-up failed) is a leftover:
    none of it is read, and the next save cuts it away.
    """
    records: list[dict[str, Any]] = []
    position, line_no, end = 0, lines_before, len(data)
    while position < end:
        newline = data.find(b"\n", position)
        if newline == -1:
            break
        line_no += 1
        try:
            record = json.loads(data[position:newline].decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            if newline + 1 == end:
                break
            raise StoreError(
                journal,
                f"{journal} is corrupt (line {line_no} is not valid JSON): repair that line, "
                f"or move the journal aside to open the database as of its last checkpoint",
            ) from None
        problem = _record_problem(record)
        if problem:
            raise StoreError(
                journal,
                f"{journal} is corrupt (line {line_no}: {problem}): repair that line, "
                f"or move the journal aside to open the database as of its last checkpoint",
            )
        if replaced and position == 0 and lines_before == 0 and record.get("db") == replaced:
            return [], 0, 0
        if record.get("db") != db_id:
            raise StoreError(
                journal,
                f"{journal} belongs to another database (line {line_no} is for db "
                f"{record.get('db')!r}, the database is {db_id!r}): move the journal aside",
            )
        records.append(record)
        position = newline + 1
    return records, position, line_no


def records_after(
    journal: Path, path: Path, records: list[dict[str, Any]], base: int
) -> list[dict[str, Any]]:
    """The records newer than the checkpoint (seq > `base`), checking that none is missing."""
    pending: list[dict[str, Any]] = []
    previous: int | None = None
    for line_no, record in enumerate(records, start=1):
        seq = record["seq"]
        if previous is not None and seq != previous + 1:
            raise StoreError(
                journal,
                f"{journal} is corrupt (line {line_no} has event {seq} after event {previous}): "
                f"move the journal aside to open the database as of its last checkpoint",
            )
        previous = seq
        if seq > base:
            expected = base + 1 + len(pending)
            if seq != expected:
                raise JournalGap(
                    journal,
                    f"{journal} does not continue {path} (the database ends at event {base}, "
                    f"the journal goes on from event {seq}): if {path.name} was restored from "
                    f"a backup, move the journal aside",
                )
            pending.append(record)
    return pending


def journal_db(journal: Path) -> str:
    """The database id a journal's first line is for ("" if it cannot be read)."""
    try:
        with open(journal, "rb") as handle:
            first = json.loads(handle.readline().decode("utf-8") or "{}")
    except (OSError, ValueError):
        return ""
    return str(first.get("db", "")) if isinstance(first, dict) else ""
