"""Changes made behind an open store's back, and what they were.

An open seat learns of other processes' changes in two steps: `Store.changed_on_disk`, a stat
of the database file and of its journal (microseconds, no lock, no read), says whether there is
anything to pick up; `Store.catch_up` picks it up under the lock and says what happened, as an
`Outside`:

- ``WRITES`` — other seats' saves: lines appended to the journal, or a checkpoint (the file
  replaced by one with the same database id whose event log goes on from where it was);
- ``REPLACED`` — another database at the path (a different id: ``init --force``, or another
  file copied over it);
- ``REWOUND`` — the same database with its event log gone back (restored from a backup): events
  this seat had seen are no longer in it, or no longer as they were;
- ``EDITED`` — the same database, its event log as it was, yet its tables differ from what the
  events explain (the JSON edited by hand or by a script).

The store then holds the files as they are: a save after any of these builds on them, under
the lock, and never writes back what the store had before. `ConflictWatch` notices a sync
tool's conflict copy (`zzreview.storage.siblings`) appearing beside the database while it is open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from zzreview.storage.durable import parse_database
from zzreview.storage.hints import BACKUPS_KEPT
from zzreview.storage.journal import JOURNAL_SUFFIX, Event, event_from_record
from zzreview.storage.layout import EVENTS_TABLE, META_ID, META_TABLE, Tables
from zzreview.storage.siblings import conflict_copies, conflict_warning

__all__ = ["CONFLICT_WATCH_SECONDS", "ConflictWatch", "NewConflicts", "Outside", "OutsideKind", "Seen"]

CONFLICT_WATCH_SECONDS = 2.0
"""How often `ConflictWatch.poll` lists the database's folder, at most."""

NAMED_EVENTS = 3
"""At most this many events are named in one message; the rest are counted."""


class OutsideKind(StrEnum):
    """What kind of change other processes made to the files."""

    NONE = "none"
    WRITES = "writes"
    REPLACED = "replaced"
    REWOUND = "rewound"
    EDITED = "edited"


@dataclass(frozen=True)
class Outside:
    """What `Store.catch_up` found changed on disk since it last reported, and what to say."""

    kind: OutsideKind
    message: str = ""
    """One line in English naming the file: what happened and what to do; "" for NONE."""
    since: int = 0
    """The seq of the last event this store had seen before (0 for REPLACED: a new log)."""
    events: tuple[Event, ...] = ()
    """Other processes' events now in the log after `since`, oldest first (never this store's own)."""
    dropped: tuple[Event, ...] = ()
    """REWOUND: the events this store had seen that the log no longer holds as they were."""
    tables: tuple[str, ...] = ()
    """EDITED: the tables whose documents differ from what the event log explains."""
    db_id: str = ""
    """The id of the database on disk now."""
    previous_db_id: str = ""
    """REPLACED: the id of the database this store had open before."""

    @property
    def changed(self) -> bool:
        """Whether anything changed at all (the data shown may need rebuilding)."""
        return self.kind is not OutsideKind.NONE

    @property
    def unusual(self) -> bool:
        """Whether a person should be told: replaced, rewound or edited, not plain saves."""
        return self.kind in (OutsideKind.REPLACED, OutsideKind.REWOUND, OutsideKind.EDITED)

    @property
    def seats(self) -> tuple[str, ...]:
        """The seats the new events came from, in order of first appearance."""
        return tuple(dict.fromkeys(event.seat for event in self.events))


NOTHING = Outside(OutsideKind.NONE)


@dataclass(frozen=True)
class Seen:
    """What a store held at one moment: its database id, last event and tables (shared, read-only)."""

    db_id: str
    last_seq: int
    tables: Tables


Replay = Callable[[Tables, Sequence[Mapping[str, Any]]], Tables]
"""Tables after applying event records to them, without changing the tables given."""


def classify(
    path: Path,
    before: Seen,
    after: Seen,
    *,
    own: Iterable[int] = (),
    reloaded: bool,
    replay: Replay,
) -> Outside:
    """What happened between `before` and `after`, the store's state then and now.

    `own` are the seqs this store saved meanwhile (never reported as others' events);
    `reloaded` says whether the file was read again (else only journal lines were appended,
    which are other seats' saves by construction).
    """
    own = frozenset(own)
    if after.db_id != before.db_id:
        return Outside(
            OutsideKind.REPLACED,
            _replaced_message(path, before, after),
            db_id=after.db_id,
            previous_db_id=before.db_id,
        )
    events_before = before.tables.get(EVENTS_TABLE, {})
    events_after = after.tables.get(EVENTS_TABLE, {})
    if reloaded and events_after is not events_before:
        differs = _first_difference(events_before, events_after)
        if differs is not None:
            seq, rewound = differs
            if rewound:
                since = seq - 1
                dropped = _events_from(events_before, since, before.last_seq)
                events = _events_from(events_after, since, after.last_seq, own)
                return Outside(
                    OutsideKind.REWOUND,
                    _rewound_message(path, before, after, since, dropped),
                    since=since,
                    events=events,
                    dropped=dropped,
                    db_id=after.db_id,
                )
            events = _events_from(events_after, before.last_seq, after.last_seq, own)
            return Outside(
                OutsideKind.EDITED,
                _edited_message(path, (), seq),
                since=before.last_seq,
                events=events,
                tables=(EVENTS_TABLE,),
                db_id=after.db_id,
            )
    records = [
        events_after[str(seq)]
        for seq in range(before.last_seq + 1, after.last_seq + 1)
        if str(seq) in events_after
    ]
    events = tuple(event_from_record(record) for record in records if record["seq"] not in own)
    if reloaded:
        expected = replay(dict(before.tables), records)
        edited = _differing_tables(expected, after.tables)
        if edited:
            return Outside(
                OutsideKind.EDITED,
                _edited_message(path, edited, None),
                since=before.last_seq,
                events=events,
                tables=tuple(name for name, _ in edited),
                db_id=after.db_id,
            )
    if not events:
        return Outside(OutsideKind.NONE, db_id=after.db_id, since=before.last_seq)
    return Outside(
        OutsideKind.WRITES,
        _writes_message(path, events),
        since=before.last_seq,
        events=events,
        db_id=after.db_id,
    )


def _first_difference(
    before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]
) -> tuple[int, bool] | None:
    """The lowest seq whose event `before` held and `after` lacks or holds differently, and
    whether it was rewound (gone, or another event in its place) rather than edited in place."""
    first: tuple[int, bool] | None = None
    for key, event in before.items():
        other = after.get(key)
        if other == event:
            continue
        seq = int(key)
        if first is None or seq < first[0]:
            # The same seq and time is the same event, changed by hand; otherwise another one.
            first = (seq, other is None or other.get("at") != event.get("at"))
    return first


def _events_from(
    events: Mapping[str, Mapping[str, Any]], since: int, last: int, own: frozenset[int] = frozenset()
) -> tuple[Event, ...]:
    return tuple(
        event_from_record(events[str(seq)])
        for seq in range(since + 1, last + 1)
        if str(seq) in events and seq not in own
    )


def _differing_tables(expected: Tables, actual: Tables) -> list[tuple[str, int]]:
    """Each table (and how many of its documents) in which `actual` differs from `expected`;
    the meta document's journal_seq, which only says how much is folded, does not count."""
    found = []
    for name in sorted(set(expected) | set(actual)):
        want, have = expected.get(name, {}), actual.get(name, {})
        if name == META_TABLE:
            want, have = _without_journal_seq(want), _without_journal_seq(have)
        if want == have:
            continue
        count = sum(1 for doc_id in set(want) | set(have) if want.get(doc_id) != have.get(doc_id))
        found.append((name, count))
    return found


def _without_journal_seq(meta: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    doc = meta.get(META_ID)
    if doc is None:
        return dict(meta)
    return {**meta, META_ID: {k: v for k, v in doc.items() if k != "journal_seq"}}


# -- what to say -----------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _named(events: Sequence[Event]) -> str:
    names = [f"{event.summary or event.kind!s}" for event in events[:NAMED_EVENTS]]
    more = len(events) - NAMED_EVENTS
    return "; ".join(names) + (f"; and {more} more" if more > 0 else "")


def _writes_message(path: Path, events: Sequence[Event]) -> str:
    seats = ", ".join(dict.fromkeys(f"{e.seat} {e.who}".strip() for e in events))
    return f"{path}: {_plural(len(events), 'change')} saved by {seats} ({_named(events)}): shown now"


def _replaced_message(path: Path, before: Seen, after: Seen) -> str:
    backup = _backup_of(path, before.db_id)
    undo = (
        f"if that was a mistake, copy {backup} back over {path.name} (with its {JOURNAL_SUFFIX}, if any)"
        if backup is not None
        else f"if that was a mistake, put the old file back: no backup of it is beside {path.name}"
    )
    return (
        f"{path} was replaced by another database while open (db {before.db_id[:8]} is now "
        f"db {after.db_id[:8]}: an `init --force`, or another file copied over it): this seat now "
        f"shows the new one and saves into it, and nothing of the old one was written to it; {undo}"
    )


def _rewound_message(path: Path, before: Seen, after: Seen, since: int, dropped: Sequence[Event]) -> str:
    back = (
        f"went back from event {before.last_seq} to event {after.last_seq}"
        if after.last_seq <= since
        else f"no longer holds events {since + 1}–{before.last_seq} as this seat saw them"
    )
    lost = f" ({_named(dropped)})" if dropped else ""
    return (
        f"{path} {back} while open (restored from a backup?): this seat now shows it as it is on "
        f"disk and saves on top of it; {_plural(len(dropped), 'change')} it had shown{lost} "
        f"are not in the file: if the restore was a mistake, put the newer file back, "
        f"or record those changes again"
    )


def _edited_message(path: Path, tables: Sequence[tuple[str, int]], event: int | None) -> str:
    if event is not None:
        what = f"event {event} of its log was changed"
    else:
        parts = ", ".join(f"{name} ({_plural(count, 'document')})" for name, count in tables)
        what = f"{parts} differ from what its event log records"
    return (
        f"{path} was edited outside zzreview ({what}): this seat now shows the file as it is and "
        f"saves on top of it, so the edit is kept, but no event records it (undo and `zzreview log` "
        f"do not know it): run `zzreview --db {path} check`"
    )


def _backup_of(path: Path, db_id: str) -> Path | None:
    """The newest backup beside `path` (PATH.bak-…) of the database `db_id`, if there is one."""
    prefix = f"{path.name}.bak-"
    try:
        candidates = [
            entry
            for entry in path.parent.iterdir()
            if entry.name.startswith(prefix) and not entry.name.endswith((JOURNAL_SUFFIX, ".tmp"))
        ]
        candidates.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    except OSError:
        return None
    for candidate in candidates[: BACKUPS_KEPT * 2]:
        try:
            meta = parse_database(candidate.read_bytes())["meta"]["1"]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            continue
        if isinstance(meta, dict) and meta.get("db_id") == db_id:
            return candidate
    return None


# -- conflict copies appearing ----------------------------------------------------------------


@dataclass(frozen=True)
class NewConflicts:
    """Conflict copies that appeared beside the database since the folder was last listed."""

    new: tuple[Path, ...]
    copies: tuple[Path, ...]
    """Every conflict copy beside it now, the new ones included."""
    message: str
    """One line in English naming the database and the new copies, and what to do."""


@dataclass
class ConflictWatch:
    """Notices a sync tool's conflict copy appearing beside the database while it is open.

    `poll` is cheap enough for the UI thread's timer: a clock read, and at most every `every`
    seconds a listing of the folder (see bench/bench_watch.py for its cost). The copies there
    when the watch starts are not reported as new (the start-up warning names them), unless
    `report_existing`. A copy removed and made again is new again.
    """

    path: Path
    every: float = CONFLICT_WATCH_SECONDS
    report_existing: bool = False
    clock: Callable[[], float] = time.monotonic
    copies: tuple[Path, ...] = field(default=(), init=False)
    """The conflict copies found by the last listing."""
    _due: float = field(default=0.0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.report_existing:
            self.copies = tuple(conflict_copies(self.path))
            self._due = self.clock() + self.every

    def due(self) -> bool:
        """Whether the folder is due a listing (no I/O): to run `check` in a worker instead."""
        return self.clock() >= self._due

    def poll(self) -> NewConflicts | None:
        """New conflict copies, if the folder is due a listing and it shows any; else None."""
        if not self.due():
            return None
        return self.check()

    def check(self) -> NewConflicts | None:
        """List the folder now: the conflict copies not there at the last listing, or None."""
        with self._lock:
            found = tuple(conflict_copies(self.path))
            self._due = self.clock() + self.every
            new = tuple(copy for copy in found if copy not in self.copies)
            self.copies = found
        if not new:
            return None
        return NewConflicts(new, found, conflict_warning(self.path, copies=new, appeared=True))
