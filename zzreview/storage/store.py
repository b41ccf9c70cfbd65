"""The durable store: a TinyDB JSON file, an fsync'd journal of events beside it, and a lock.

A database at PATH is three files:

- PATH, a plain TinyDB JSON file (a user's script can open it with ``TinyDB(PATH)``): the
  checkpoint, only ever replaced whole (`zzreview.storage.durable`).
- PATH.journal, one JSON line per event, each fsync'd before the save is acknowledged
  (`zzreview.storage.journal`).
- PATH.lock, held around every read-modify-write and every load, so two processes never lose
  each other's work.

``checkpoint()`` folds the journal into PATH (the events go to the "events" table; the meta
document's ``journal_seq`` records the last one folded) and then empties the journal. Loading
replays the journal lines whose seq is above ``journal_seq``, so a crash between the two steps
loses nothing and applies nothing twice. The journal is the record and folding is housekeeping:
a command folds only when `Store.checkpoint_due` says it is worth it, so a write to a large
database appends a line instead of rewriting the file. An older schema is migrated on open
(`zzreview.storage.migrations`); a file the store cannot use raises `StoreError` with one line
that names it and says what to do (`zzreview.storage.hints`), and is never rewritten.

Documents handed out (by `Store.table`, `StoreView.table`, `Event.changes`) are shared with
the store and must be treated as read-only: a change is a new dict passed in a `Change`. The
store never changes a document in place, so a mapping from `Store.table` is a stable snapshot.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tinydb.storages import MemoryStorage, Storage

# Imported as a module: the schema version is read when used, so a test can stand in another.
from zzreview.storage import changes, migrations
from zzreview.storage.durable import (
    O_BINARY,
    DurableJSONStorage,
    StatKey,
    Unconfirmed,
    copy_durably,
    dumps,
    fsync_directory,
    not_a_database,
    remove_stale_temp_files,
    stat_key,
    stat_path,
    write_all,
)
from zzreview.storage.errors import CheckpointError, LockBusy, StoreError, why
from zzreview.storage.hints import (
    as_utc,
    folder_message,
    missing_message,
    newest_backup,
    rotate_backups,
    start_afresh_hint,
    timestamp,
    unused_name,
    utc_now,
)
from zzreview.storage.journal import (
    JOURNAL_SUFFIX,
    Event,
    JournalGap,
    event_from_record,
    journal_db,
    parse_journal,
    records_after,
)
from zzreview.storage.layout import ENGINE_META_KEYS, EVENTS_TABLE, META_ID, META_TABLE, Tables
from zzreview.storage.lazy import LazyTables, copy_tables, whole_tables
from zzreview.storage.lockfile import FileLock, describe_holder
from zzreview.storage.lockfile import LockTimeout as Timeout
from zzreview.storage.paths import refuse_odd_files, through_links
from zzreview.storage.shapes import is_doc_id, meta_problem, shape_problem

if TYPE_CHECKING:
    from zzreview.storage.watch import Outside, Seen

__all__ = ["Change", "Event", "Saved", "Store", "StoreView", "Writes"]

LOCK_SUFFIX = ".lock"
LOCK_TIMEOUT_ENV = "ZZREVIEW_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0
# Holds last a few milliseconds: a waiter that polled every 50 ms would
# wait far longer than the save it waits for, and lose every race to the holder.
LOCK_POLL_INTERVAL = 0.002

_NO_DOCS: Mapping[str, dict[str, Any]] = MappingProxyType({})

FOLD_ALWAYS_UP_TO = 256 * 1024
"""A file this size or smaller is folded into whenever asked (`Store.checkpoint_due`): rewriting
it costs a few milliseconds (3 ms for the 100 KB demo), and an empty journal keeps the file
complete for a script that opens it with TinyDB alone."""

FOLD_FRACTION = 32
"""A larger file is folded into once its journal reaches 1/32 of the file's size. A journal
byte costs about 1.5 times a file byte to load (parsed line by line, then replayed), so the
journal adds at most ~5 % to opening the database, while the rewrite (~0.5 s for a 13 MB file)
happens once per ~400 KB of saves, ~750 commands at that size, instead of after every one."""


@dataclass(frozen=True)
class Change:
    """One document written (``doc``) or deleted (``doc=None``)."""

    table: str
    doc_id: str
    doc: dict[str, Any] | None


T = TypeVar("T")


@dataclass(frozen=True)
class Writes(Generic[T]):
    """What a change set's `mutate` returns: the documents to write, and a result for the caller."""

    changes: Sequence[Change]
    result: T = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What `Store.transact` gives back: mutate's result, and the event saved (None: nothing
    needed changing, so nothing was written)."""

    result: T
    event: Event | None


@dataclass
class _Loaded:
    """A database as read from disk, before it becomes the store's state."""

    tables: Tables
    version: int
    db_id: str
    journal_seq: int
    pending: list[dict[str, Any]]
    path_stat: StatKey | None
    journal_stat: StatKey | None
    journal_offset: int
    journal_lines: int

    @classmethod
    def new(cls, tables: Tables, path_stat: StatKey | None) -> _Loaded:
        """A database just written whole: no journal yet."""
        meta = tables[META_TABLE][META_ID]
        return cls(
            tables=tables,
            version=migrations.SCHEMA_VERSION,
            db_id=meta["db_id"],
            journal_seq=meta["journal_seq"],
            pending=[],
            path_stat=path_stat,
            journal_stat=None,
            journal_offset=0,
            journal_lines=0,
        )


DiskKey = tuple[StatKey | int | None, StatKey | int | None]
"""What a look at the database file and its journal saw: each one's stat key, None for no
file, or the errno of a stat that failed."""


@dataclass
class _Unreported:
    """Changes from outside picked up (by a refresh, a save, a checkpoint) since the last
    `Store.catch_up`: the state before the first of them, and what happened since."""

    before: Seen
    reloaded: bool = False
    own: set[int] = field(default_factory=set)
    """Seqs this store saved meanwhile: its own, never reported as another seat's."""


# -- reading inside a change ---------------------------------------------------------------


class StoreView:
    """The tables as they stand under the lock, after a fresh read: what a change is built on.

    Its mappings are the store's own tables and hold only while `mutate` runs: keep the
    documents or values read from them, never the mappings (the store may write into a table
    nobody else holds once the change is saved).
    """

    def __init__(self, tables: Tables, max_id: Callable[[str], int], last_seq: int = 0) -> None:
        self._tables = tables
        self._max_id = max_id
        self._handed_out: dict[str, int] = {}
        self.last_seq = last_seq
        """The seq of the latest event saved (0 before any): the events table's keys run up to it."""

    def table(self, name: str) -> Mapping[str, dict[str, Any]]:
        """A read-only mapping of doc id -> document (see the class's note on how long it holds)."""
        docs = self._tables.get(name)
        return MappingProxyType(docs) if docs is not None else _NO_DOCS

    def next_id(self, table: str) -> str:
        """A free doc id: the largest id + 1 ("1" for an empty table).

        Each call hands out a new one, so one change set can insert several documents.
        """
        latest = self._handed_out.get(table)
        number = (self._max_id(table) if latest is None else latest) + 1
        self._handed_out[table] = number
        return str(number)


# -- the store -----------------------------------------------------------------------------


class Store:
    """A database: its tables in memory, kept in step with PATH, its journal and other processes.

    Build one with `Store.create`, `Store.open` or `Store.memory`. Methods are safe to call
    from several threads (e.g. `checkpoint` from a worker).
    """

    def __init__(
        self,
        *,
        path: Path | None,
        storage: Storage,
        readonly: bool = False,
        readonly_reason: str = "",
        lock: FileLock | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = path
        self.readonly = readonly
        self.db_id = ""
        self._readonly_reason = readonly_reason or "opened read-only"
        self._storage = storage
        self._lock = lock
        self._lock_timeout = lock_timeout
        self._clock = clock or utc_now
        self._journal_path = Path(f"{path}{JOURNAL_SUFFIX}") if path is not None else None
        # _mutex serialises operations in this process; _state guards swapping in new state,
        # held only briefly so readers never wait on disk.
        self._mutex = threading.RLock()
        self._state = threading.Lock()
        self._tables: Tables = {}
        self._journal_seq = 0
        self._last_seq = 0
        self._generation = 0
        self._max_ids: dict[str, int] = {}
        self._private: set[str] = set()
        """Tables no reader holds since they were last copied: a write may change them in place.
        Every other table is copied before a write (so a mapping handed out stays as it was),
        and the copy is private until it is handed out in turn."""
        self._path_stat: StatKey | None = None
        self._journal_stat: StatKey | None = None
        self._journal_offset = 0
        self._journal_lines = 0
        self._saved_here = 0
        self._closed = False
        self._busy = 0  # operations under way in this process (changed_on_disk waits them out)
        self._unreported: _Unreported | None = None
        self._unusable: DiskKey | None = None  # the files as a failed catch-up found them
        self.unconfirmed = ""
        self._replaced = ""  # the db_id this database replaced, for a leftover journal of it
        """Set when a change is saved but the disk would not confirm it durable: what to say."""
        self.on_wait: Callable[[str], None] | None = None
        """Told, in one line, when this store has to wait for another process's lock."""

    def __repr__(self) -> str:
        where = str(self.path) if self.path is not None else "memory"
        return f"<Store {where} seq={self._last_seq}{' read-only' if self.readonly else ''}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- building ----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        tables: Mapping[str, Mapping[str, Mapping[str, Any]]],
        *,
        force: bool = False,
        clock: Callable[[], datetime] | None = None,
    ) -> Store:
        """Write a brand-new database at `path` and return it open.

        Refuses if `path` exists, unless `force`: then the old file is first copied to
        PATH.bak-replaced-{timestamp} (its journal moved beside that copy).
        """
        path = through_links(Path(path))
        clock = clock or utc_now
        prepared = _new_database(tables)
        path.parent.mkdir(parents=True, exist_ok=True)
        storage = DurableJSONStorage(path)
        lock = FileLock(f"{path}{LOCK_SUFFIX}")
        store = cls(
            path=path,
            storage=storage,
            lock=lock,
            lock_timeout=_lock_timeout(path, None),
            clock=clock,
        )
        with store._locked():
            if path.is_dir():
                raise StoreError(path, folder_message(path))
            if os.path.lexists(path):
                if not force:
                    raise StoreError(
                        path,
                        f"{path} already exists: open it, or run "
                        f"`zzreview --db {path} init --force` to replace it (a backup is kept)",
                    )
                refuse_odd_files(path)
            try:
                store._replace_with_new_locked(prepared, force=os.path.lexists(path), clock=clock)
            except OSError as error:
                raise StoreError(
                    path,
                    f"{path}: writing the new database failed ({why(error)}); the old one, if "
                    f"any, is as it was: free some disk space or check the folder, then try again",
                ) from None
        return store

    def _replace_with_new_locked(
        self, prepared: Tables, *, force: bool, clock: Callable[[], datetime]
    ) -> None:
        """Write `prepared` over PATH, in one rename. The old file and its journal are first
        copied to a backup; the new file names the database it replaces, so the old journal
        left beside it reads as a leftover until it is cut away: a failure at any step leaves
        the old database whole, or the new one beside a complete backup."""
        path, journal = self.path, self._journal_path
        assert path is not None and journal is not None and isinstance(self._storage, DurableJSONStorage)
        if force:
            backup = unused_name(Path(f"{path}.bak-replaced-{timestamp(clock)}"))
            copy_durably(path, backup)
            if journal.exists():
                copy_durably(journal, Path(f"{backup}{JOURNAL_SUFFIX}"))
                replaced = journal_db(journal)
                if replaced:
                    prepared[META_TABLE][META_ID][REPLACES_KEY] = replaced
        elif journal.exists():
            # A journal without its database: keep it, out of the new database's way.
            os.replace(journal, unused_name(Path(f"{journal}.orphan-{timestamp(clock)}")))
            fsync_directory(path.parent)
        try:
            self._storage.write(prepared)
        except Unconfirmed as error:
            self.unconfirmed = (
                f"{path}: the disk reported an error while making the new database durable "
                f"({why(error)}); it is in place, and the old one is kept as a backup: check the disk"
            )
            self._storage.last_stat = stat_path(path)
        if force:
            with suppress(OSError):  # a leftover journal is harmless: the next save cuts it
                if journal.exists():
                    os.unlink(journal)
            with suppress(OSError):
                rotate_backups(path)  # only now: the new file is in place
        self._replaced = str(prepared[META_TABLE][META_ID].get(REPLACES_KEY, ""))
        self._install(_Loaded.new(prepared, self._storage.last_stat))

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        readonly: bool = False,
        lock_timeout: float | None = None,
        clock: Callable[[], datetime] | None = None,
        label: Mapping[str, str] | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> Store:
        """Load the database at `path`: the checkpoint, then the journal's newer events.

        `label` (seat, who) is what a process waiting for this one's lock is told;
        `on_wait` is told when this one has to wait (see `Store.on_wait`).

        An older schema is migrated (after a backup, PATH.bak-v{N}-{timestamp}) unless the
        store is read-only. A file that is not writable, or in a folder that is not, opens
        read-only.
        """
        path = through_links(Path(path))
        timeout = _lock_timeout(path, lock_timeout)
        if not os.path.lexists(path):
            raise StoreError(path, missing_message(path))
        refuse_odd_files(path)
        folder = path.parent
        journal = Path(f"{path}{JOURNAL_SUFFIX}")
        folder_writable = os.access(folder, os.W_OK | os.X_OK)
        reason = ""
        if readonly:
            reason = "opened read-only"
        elif not os.access(path, os.W_OK):
            reason = "the file is not writable"
        elif not folder_writable:
            reason = "its folder is not writable"
        elif journal.exists() and not os.access(journal, os.W_OK):
            reason = "its journal is not writable"
        lock_path = Path(f"{path}{LOCK_SUFFIX}")
        # Without a writable folder the lock file cannot be made: load without it.
        lock = FileLock(lock_path, label) if folder_writable or lock_path.exists() else None
        store = cls(
            path=path,
            storage=DurableJSONStorage(path),
            readonly=bool(reason),
            readonly_reason=reason,
            lock=lock,
            lock_timeout=timeout,
            clock=clock,
        )
        store.on_wait = on_wait
        with store._locked():
            store._reload_locked()
        return store

    @classmethod
    def memory(
        cls,
        tables: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> Store:
        """A store held in memory (TinyDB's MemoryStorage): the same API, no files, no lock."""
        storage = MemoryStorage()
        prepared = _new_database(tables or {})
        storage.write(prepared)
        store = cls(path=None, storage=storage, clock=clock)
        store._install(_Loaded.new(prepared, None))
        return store

    # -- reading -----------------------------------------------------------------------

    def table(self, name: str) -> Mapping[str, dict[str, Any]]:
        """The table as it stands now: a read-only snapshot, doc id -> document."""
        with self._state:
            docs = self._tables.get(name)
            self._private.discard(name)
        return MappingProxyType(docs) if docs is not None else _NO_DOCS

    def read_every_table(self) -> None:
        """Read every table of the file now, as a whole read would (`check`): a table nothing
        has asked for is otherwise only read when first asked for, and is refused only then.
        Raises StoreError for a table that cannot be read."""
        with self._state:
            tables = self._tables
            if isinstance(tables, LazyTables):
                tables.whole()

    def has_read(self, name: str) -> bool:
        """Whether table `name` is read (parsed) in this process already, or was never in
        the file to read: looking into it costs nothing more."""
        with self._state:
            tables = self._tables
            return not isinstance(tables, LazyTables) or tables.parsed(name)

    def table_version(self, name: str) -> object:
        """A token that is the same object (`is`) for as long as the table is unchanged:
        a write copies the tables it touches, so a reader can keep what it derived from a
        table until the token changes, whatever else was written meanwhile."""
        with self._state:
            self._private.discard(name)
            return self._tables.get(name, _NO_DOCS)

    def events(self, since: int = 0) -> list[Event]:
        """The event log, oldest first (checkpointed and journalled alike); seq > `since`.

        The events since a recent seq are looked up by seq, not found among all of them: a seat
        catching up, or undo looking back, costs what it reads, not the length of the history.
        """
        with self._state:
            docs, last = self._tables.get(EVENTS_TABLE, {}), self._last_seq
            first = max(since + 1, 0)
            # Every key is a seq no later than the last, so looking each one up finds them all;
            # worth it unless the log has more gaps than events.
            by_seq = last - first < 2 * len(docs)
            if not by_seq:
                self._private.discard(EVENTS_TABLE)  # iterated below, after letting go
        if by_seq:
            # Lookups, unlike iterating, are safe while a save adds later events to this table.
            found = (docs.get(str(seq)) for seq in range(first, last + 1))
            return [event_from_record(doc) for doc in found if doc is not None]
        chosen = sorted((int(key), doc) for key, doc in docs.items() if int(key) > since)
        return [event_from_record(doc) for _, doc in chosen]

    def events_newest_first(self) -> Iterator[Event]:
        """The event log from the latest event back, one at a time: for a look back that stops
        at the first event it wants (undo), whatever the length of the history."""
        with self._state:
            docs, last = self._tables.get(EVENTS_TABLE, {}), self._last_seq
            left = len(docs)
        for seq in range(last, -1, -1):
            if not left:
                return
            doc = docs.get(str(seq))  # a lookup: safe while a save adds later events
            if doc is not None:
                left -= 1
                yield event_from_record(doc)

    @property
    def generation(self) -> int:
        """A number that changes whenever the tables change (here or, once refreshed, elsewhere)."""
        return self._generation

    @property
    def last_seq(self) -> int:
        """The seq of the latest event this store has seen (0 before any)."""
        return self._last_seq

    @property
    def state_token(self) -> tuple | None:
        """What names the data this store holds, for keeping what is derived from it between
        processes: the database's id, the file and the journal as read (their stat keys and
        the bytes of the journal taken in) and the last event. None for a store in memory."""
        if self.path is None or self._path_stat is None:
            return None
        with self._state:
            return (self.db_id, self._path_stat, self._journal_stat, self._journal_offset, self._last_seq)

    @property
    def saved_here(self) -> int:
        """How many changes this store has saved since it was opened."""
        return self._saved_here

    def journal_length(self) -> int:
        """How many events are not yet folded into the checkpoint."""
        return self._last_seq - self._journal_seq

    @property
    def journal_size(self) -> int:
        """The bytes of the journal as this store last read or wrote it (0: empty, or none)."""
        return self._journal_offset

    def checkpoint_due(self) -> bool:
        """Whether folding the journal into the file is worth its cost now: the journal holds
        something and the file is small (`FOLD_ALWAYS_UP_TO`), or the journal has grown to a
        fraction of the file (`FOLD_FRACTION`). Folding is housekeeping: until then every save
        is durable in the journal, and opening replays it."""
        if self.path is None or self.readonly or not self._journal_offset:
            return False
        size = self._path_stat[2] if self._path_stat is not None else 0
        return size <= FOLD_ALWAYS_UP_TO or self._journal_offset * FOLD_FRACTION >= size

    def refresh(self) -> bool:
        """Pick up other processes' changes; True if anything changed.

        What it picked up is still reported by the next `catch_up`.
        """
        if self.path is None:
            return False
        with self._locked():
            return self._sync_locked()

    def changed_on_disk(self) -> bool:
        """Whether `catch_up` has anything to pick up or report: a stat of the file and of its
        journal compared with what this store last read or wrote, no lock and no read.

        Cheap enough for a UI thread's timer (microseconds: bench/bench_watch.py). This store's
        own saves and checkpoints never count; while one is under way in this process it says
        False, and the next call tells. Files that failed to load say False until they change
        again. True also when a refresh or a save picked up a change `catch_up` has not reported.
        """
        if self.path is None or self._busy:
            return False
        if self._unreported is not None:
            return True
        seen = self._unusable or (self._path_stat, self._journal_stat)
        return self._look() != seen

    def catch_up(self) -> Outside:
        """Pick up other processes' changes and say what they were (`zzreview.storage.watch`).

        Reports everything picked up since the last call, by this or by a refresh or a save:
        other seats' saves, or the file replaced by another database, rewound to a backup, or
        edited by hand. Takes the lock (like `refresh`); run it off the UI thread. Raises
        `StoreError` if the files cannot be used as they are now: the store then keeps what it
        had, saves nothing until they can, and `changed_on_disk` says False until they change.
        """
        # What another process did is said by the watch module, which only the seats need (a
        # command ends before anyone else saves): imported when first asked.
        from zzreview.storage.watch import NOTHING, classify

        if self.path is None:
            return NOTHING
        with self._locked():
            self._sync_locked()
            unreported, self._unreported = self._unreported, None
            if unreported is None:
                return NOTHING
            now = self._seen()
        # Classifying compares whole tables: done after letting go of the lock.
        return classify(
            self.path,
            unreported.before,
            now,
            own=unreported.own,
            reloaded=unreported.reloaded,
            replay=_replayed,
        )

    # -- writing -----------------------------------------------------------------------

    def transact(
        self,
        mutate: Callable[[StoreView], Writes[T]],
        *,
        who: str,
        seat: str,
        kind: str,
        summary: str,
        undoes: int | None = None,
    ) -> Saved[T]:
        """Save the changes `mutate` returns, durably, as one event.

        `mutate` runs under the lock on freshly read tables and returns the changes with the
        result the caller wants back (e.g. the item it made, with the id it was given). The
        event is fsync'd to the journal before this returns. Changes that leave a document as
        it was are dropped; if none is left, nothing is written and the event is None.
        `undoes` names the event this one takes back.

        Refused (`StoreError`, nothing saved) while the file holds another database than the
        one this store last reported (see `catch_up`): what the change was built on, such as a
        doc id, may mean something else in it.
        """
        self._refuse_if_readonly()
        with self._locked():
            self._sync_locked()
            self._refuse_if_replaced()
            writes = mutate(StoreView(self._tables, self._max_id, self._last_seq))
            if not isinstance(writes, Writes):
                raise TypeError(f"mutate must return Writes, not {type(writes).__name__}")
            entries = self._entries_for(list(writes.changes))
            if not entries:
                return Saved(writes.result, None)
            seq = self._last_seq + 1
            record = {
                "db": self.db_id,
                "seq": seq,
                "at": as_utc(self._clock()).isoformat(timespec="microseconds"),
                "who": who,
                "seat": seat,
                "kind": kind,
                "summary": summary,
                "changes": entries,
            }
            if undoes is not None:
                record["undoes"] = undoes
            line = (dumps(record) + "\n").encode("utf-8")
            if self.path is not None:
                self._append_locked(line)
            self._apply(record)
            self._saved_here += 1
            if self._unreported is not None:
                self._unreported.own.add(seq)
            return Saved(writes.result, event_from_record(record))

    def checkpoint(self, *, wait: bool = True) -> bool:
        """Fold the journal into the TinyDB file, then empty the journal.

        Folding is housekeeping: every save is already durable in the journal. With `wait`
        false it is done only if the lock is free now; False means it was left for later.
        A disk that fails meanwhile raises `CheckpointError`, and the journal stays whole.
        An empty journal on disk has nothing to fold: the file is not even read again (a seat
        quitting after another one folded does not load the whole database to find that out).
        """
        self._refuse_if_readonly()
        timeout = None if wait else 0.0
        try:
            with self._locked(timeout):
                if self._journal_path is not None and not _file_size(self._journal_path):
                    return True
                self._sync_locked()
                if self._last_seq == self._journal_seq:
                    if self.path is not None and self._journal_offset:
                        self._empty_journal()  # only lines already in the checkpoint
                    return True
                snapshot, generation = self._checkpoint_tables(), self._generation
            if isinstance(self._storage, DurableJSONStorage):
                # Serialising a large database takes a while: do it without holding the lock.
                self._storage.prepare(snapshot)
            with self._locked(timeout):
                self._sync_locked()
                if generation != self._generation:
                    snapshot = self._checkpoint_tables()
                self._write_checkpoint_locked(snapshot)
        except LockBusy:
            if wait:
                raise
            return False
        return True

    def close(self) -> None:
        """Stop using the store; everything saved is already on disk."""
        with self._mutex:
            self._closed = True
            if self._lock is not None and self._lock.is_locked:
                self._lock.release(force=True)

    # -- internals: locking --------------------------------------------------------------

    @contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        with self._mutex:
            if self._closed:
                raise ValueError(f"{self!r} is closed")
            self._busy += 1
            try:
                locked = self._acquire_file_lock(self._lock_timeout if timeout is None else timeout)
                try:
                    yield
                finally:
                    if locked and self._lock is not None:
                        self._lock.release()
            finally:
                self._busy -= 1

    def _acquire_file_lock(self, timeout: float) -> bool:
        if self._lock is None:
            return False
        try:
            self._lock.acquire(timeout=timeout, poll_interval=LOCK_POLL_INTERVAL, on_wait=self._waiting)
        except Timeout:
            holder = describe_holder(self._lock.holder())
            raise LockBusy(
                self.path,
                f"{self.path} is locked by {holder} ({self._lock.lock_file}) — waited "
                f"{timeout:g} s: close the other zzreview using it or wait for it "
                f"to finish, then try again ({LOCK_TIMEOUT_ENV} sets how long to wait)",
            ) from None
        except OSError as error:
            if self.readonly:
                # A read-only database may sit where the lock file cannot be made.
                self._lock = None
                return False
            raise StoreError(
                self.path,
                f"{self.path} cannot be locked ({self._lock.lock_file}: {error.strerror}): "
                f"make its folder writable",
            ) from None
        return True

    def sign_as(self, **label: str) -> None:
        """Say who this store is (seat, who) to any process that waits for its lock."""
        if self._lock is not None:
            self._lock.label.update(label)

    def _waiting(self, holder: dict[str, Any], timeout: float) -> None:
        if self.on_wait is not None:
            wait = "as long as it takes" if timeout < 0 else f"up to {timeout:g} s"
            self.on_wait(f"{self.path} is in use by {describe_holder(holder)}: waiting {wait}")

    def _refuse_if_replaced(self) -> None:
        unreported = self._unreported
        if unreported is not None and unreported.before.db_id != self.db_id:
            raise StoreError(
                self.path,
                f"{self.path} was replaced by another database since this seat last looked (db "
                f"{unreported.before.db_id[:8]} is now db {self.db_id[:8]}): nothing was saved; "
                f"look at what it holds now, then save again",
            )

    def _refuse_if_readonly(self) -> None:
        if self.readonly:
            raise StoreError(
                self.path,
                f"{self.path} is read-only ({self._readonly_reason}): nothing was saved; "
                f"make the file and its folder writable, or work on a copy",
            )

    # -- internals: state ----------------------------------------------------------------

    def _install(self, loaded: _Loaded) -> None:
        """Make `loaded` the store's state, its pending journal records applied.

        The records are replayed before the state is swapped in, in one pass that copies each
        table they touch once (not once a record): a long journal opens at the cost of its
        lines, not of its lines times the size of the tables they touch.
        """
        tables, replayed = loaded.tables, set[str]()
        last_seq = max(loaded.journal_seq, _max_event_seq(loaded.tables))
        if loaded.pending:
            tables = copy_tables(tables)
            for record in loaded.pending:
                _apply_record(tables, record, replayed)
            last_seq = loaded.pending[-1]["seq"]
        with self._state:
            self._tables = tables
            self._private = replayed  # copies made just now, which nobody else holds
            self.db_id = loaded.db_id
            self._journal_seq = loaded.journal_seq
            self._last_seq = last_seq
            self._max_ids = {}
            self._path_stat = loaded.path_stat
            self._journal_stat = loaded.journal_stat
            self._journal_offset = loaded.journal_offset
            self._journal_lines = loaded.journal_lines
            self._generation += 1

    def _apply(self, record: Mapping[str, Any]) -> None:
        """Apply one event record to memory, copying each table it touches that a reader may
        hold (never a document): a table nobody was handed since its last copy is written in
        place, so a save does not copy a large table (the event log) no reader has looked at."""
        with self._state:
            _apply_record(self._tables, record, self._private, self._max_ids)
            self._last_seq = record["seq"]
            self._generation += 1

    def _seen(self) -> Seen:
        """What this store holds now, as a snapshot that later changes leave alone."""
        from zzreview.storage.watch import Seen

        with self._state:
            self._private.clear()  # the snapshot holds every table
            return Seen(self.db_id, self._last_seq, copy_tables(self._tables))

    def _look(self) -> DiskKey:
        """The stat keys of the file and its journal now (see `DiskKey`)."""
        assert self.path is not None and self._journal_path is not None
        return _look_at(self.path), _look_at(self._journal_path)

    def _max_id(self, table: str) -> int:
        cached = self._max_ids.get(table)
        if cached is None:
            cached = _top_id(self._tables, table)
            self._max_ids[table] = cached
        return cached

    def _entries_for(self, wanted: list[Change]) -> list[dict[str, Any]]:
        """The journal's entry (`storage.changes`: what changed, not the whole document) for
        each change that changes something."""
        entries: list[dict[str, Any]] = []
        pending: dict[tuple[str, str], dict[str, Any] | None] = {}
        for change in wanted:
            if not isinstance(change, Change):
                raise TypeError(f"mutate must return Change objects, not {type(change).__name__}")
            table, doc_id = change.table, change.doc_id
            if not isinstance(table, str) or not table:
                raise ValueError(f"a change names no table: {change!r}")
            if not is_doc_id(doc_id):
                raise ValueError(f"doc id {doc_id!r} is not a whole number written as a string")
            if table == EVENTS_TABLE:
                raise ValueError("the events table is written by the store alone")
            if table == META_TABLE and doc_id != META_ID:
                raise ValueError("the meta table holds one document, id '1'")
            tables = self._tables
            if isinstance(tables, LazyTables) and tables.unread_without(table, doc_id):
                stored = None  # a new document in a table not read: nothing to read it for
            else:
                stored = tables.get(table, {}).get(doc_id)
            if change.doc is not None and change.doc is stored:
                raise ValueError(
                    f"the change to {table}/{doc_id} passes the stored document itself: "
                    f"build a new dict instead of changing the stored one in place"
                )
            key = (table, doc_id)
            before = pending.get(key, stored)
            if change.doc is None:
                if table == META_TABLE:
                    raise ValueError("the meta document cannot be deleted")
                after = None
            else:
                if not isinstance(change.doc, dict):
                    raise TypeError(f"document for {table}/{doc_id} is not a dict")
                # A JSON round trip: what the journal holds is exactly what memory holds.
                after = json.loads(dumps(change.doc))
                if table == META_TABLE:
                    after |= {k: stored[k] for k in ENGINE_META_KEYS if stored and k in stored}
            pending[key] = after
            if before != after:
                entries.append(changes.entry(table, doc_id, before, after))
        return entries

    # -- internals: disk -----------------------------------------------------------------

    def _read_locked(self) -> _Loaded:
        """Read PATH and its journal from scratch (the caller holds the lock, if there is one)."""
        path, journal = self.path, self._journal_path
        assert path is not None and journal is not None and isinstance(self._storage, DurableJSONStorage)
        try:
            data = self._storage.read()
        except StoreError:
            raise
        except OSError as error:
            raise StoreError(path, f"{path} cannot be read ({why(error)}): check the disk") from None
        if data is None:
            backup = newest_backup(path)
            if backup is not None:
                hint = f"restore it from {backup} (copy it over {path.name})"
            else:
                hint = start_afresh_hint(path)
            raise StoreError(path, f"{path} is empty (0 bytes): {hint}")
        # A file read a table at a time (storage.lazy) has its meta checked now and each other
        # table as it is first read, by the same check.
        problem = shape_problem({META_TABLE: data[META_TABLE]} if isinstance(data, LazyTables) else data)
        if problem:
            raise not_a_database(path, problem)
        meta = data[META_TABLE][META_ID]
        version = meta["schema_version"]
        # Before anything else about meta: a newer schema may lay it out differently.
        migrations.refuse_newer(path, version)
        problem = meta_problem(meta)
        if problem:
            raise not_a_database(path, problem)
        db_id, journal_seq = meta["db_id"], meta["journal_seq"]
        try:
            with open(journal, "rb") as handle:
                journal_stat = stat_key(os.fstat(handle.fileno()))
                raw = handle.read()
        except FileNotFoundError:
            journal_stat, raw = None, b""
        except PermissionError:
            raise StoreError(
                journal, f"{journal} cannot be read (permission denied): check its permissions"
            ) from None
        except IsADirectoryError:
            raise StoreError(
                journal, f"{journal} is a folder, not {path.name}'s journal: move it out of the way"
            ) from None
        except OSError as error:
            raise StoreError(journal, f"{journal} cannot be read ({why(error)}): check the disk") from None
        self._replaced = str(meta.get(REPLACES_KEY, ""))
        records, consumed, lines = parse_journal(journal, raw, db_id, 0, self._replaced)
        base = max(journal_seq, _max_event_seq(data))
        pending = records_after(journal, path, records, base)
        return _Loaded(
            tables=data,
            version=version,
            db_id=db_id,
            journal_seq=journal_seq,
            pending=pending,
            path_stat=self._storage.last_stat,
            journal_stat=journal_stat,
            journal_offset=consumed,
            journal_lines=lines,
        )

    def _reload_locked(self) -> bool:
        """Load from scratch, migrating an older schema; True if the data differ from before."""
        attempts = 1 if self._lock is not None else 3
        for attempt in range(attempts):
            try:
                loaded = self._read_locked()
                break
            except JournalGap:
                # Without the lock a checkpoint may have run between reading the two files.
                if attempt + 1 == attempts:
                    raise
        before_tables, before_seq = self._tables, self._last_seq
        if loaded.version < migrations.SCHEMA_VERSION:
            self._migrate_locked(loaded)
        else:
            self._install(loaded)
        if self._last_seq != before_seq or not before_tables:
            return True  # (the first load: nothing to compare, and no table read to compare it)
        return _without_journal_seq(self._tables) != _without_journal_seq(before_tables)

    def _sync_locked(self) -> bool:
        """Catch up with other processes if PATH or the journal changed since our last read.

        What changed is kept for `catch_up` to report; files that cannot be used raise
        `StoreError` and leave the store as it was.
        """
        if self.path is None or self._journal_path is None:
            return False
        looked = self._look()
        try:
            changed = self._sync_files_locked()
        except StoreError:
            self._unusable = looked
            raise
        self._unusable = None
        return changed

    def _note_outside(self, *, reloaded: bool) -> bool:
        """Remember the state before a change from outside is picked up; True if nothing was
        waiting to be reported before."""
        if self._unreported is None:
            self._unreported = _Unreported(self._seen(), reloaded=reloaded)
            return True
        self._unreported.reloaded |= reloaded
        return False

    def _reload_from_outside_locked(self) -> bool:
        first = self._note_outside(reloaded=True)
        try:
            changed = self._reload_locked()
        except BaseException:
            if first:
                self._unreported = None
            raise
        if first and not changed:
            self._unreported = None
        return changed

    def _sync_files_locked(self) -> bool:
        assert self.path is not None and self._journal_path is not None
        path_stat = stat_path(self.path)
        if path_stat is None:
            raise StoreError(self.path, f"no database at {self.path}: it was moved or deleted while open")
        if path_stat != self._path_stat:
            return self._reload_from_outside_locked()
        journal_stat = stat_path(self._journal_path)
        if journal_stat == self._journal_stat:
            return False
        known = self._journal_stat
        grew = (
            journal_stat is not None
            and journal_stat[2] >= self._journal_offset
            and (known is None or known[:2] == journal_stat[:2])
        )
        if not grew:
            return self._reload_from_outside_locked()
        try:
            with open(self._journal_path, "rb") as handle:
                stat = stat_key(os.fstat(handle.fileno()))
                handle.seek(self._journal_offset)
                raw = handle.read()
            records, consumed, lines = parse_journal(
                self._journal_path, raw, self.db_id, self._journal_lines, self._replaced
            )
            for previous, record in enumerate(records, start=self._last_seq):
                if record["seq"] != previous + 1:
                    raise JournalGap(self._journal_path, "the journal's tail does not follow")
        except (StoreError, OSError):
            # Something other than plain appends happened: read everything again, which also
            # reports a real problem properly.
            return self._reload_from_outside_locked()
        if records:
            self._note_outside(reloaded=False)
        for record in records:
            self._apply(record)
        self._journal_offset += consumed
        self._journal_lines = lines
        self._journal_stat = stat
        return bool(records)

    def _append_locked(self, line: bytes) -> None:
        """Append one event line to the journal and fsync it."""
        journal = self._journal_path
        assert journal is not None
        created = self._journal_stat is None
        try:
            fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND | O_BINARY, 0o666)
        except OSError as error:
            raise StoreError(
                self.path,
                f"{self.path}: cannot write its journal {journal} ({why(error)}): "
                f"nothing was saved; check the folder's permissions",
            ) from None
        wrote = False
        stat: StatKey | None = None
        try:
            if os.fstat(fd).st_size > self._journal_offset:
                # A line cut short by a killed process: never acknowledged, so it goes.
                os.ftruncate(fd, self._journal_offset)
            write_all(fd, line)
            wrote = True
            os.fsync(fd)
            stat = stat_key(os.fstat(fd))
            if created:
                fsync_directory(journal.parent)
        except OSError as error:
            self._path_stat = None  # re-read everything before the next change
            if not wrote or self._cut_journal(fd):
                # Nothing of it stays readable: a line cut short is never read back.
                raise StoreError(
                    self.path,
                    f"{self.path}: saving to {journal} failed ({why(error)}): nothing was "
                    f"saved; free some disk space or check the disk, then try again",
                ) from None
            # The whole line is in the journal for anyone who reads it now, and could not be
            # taken out again; the disk just would not confirm it. Saying "not saved" would
            # make a retry save it twice: it is saved, and the seat is told it is unconfirmed.
            self.unconfirmed = (
                f"{self.path}: the disk reported an error while making the last change durable "
                f"({why(error)}); it is saved in {journal}, but could be lost if the machine "
                f"stops before the disk recovers: check the disk"
            )
        finally:
            os.close(fd)
        self._journal_offset += len(line)
        self._journal_lines += 1
        self._journal_stat = stat

    def _cut_journal(self, fd: int) -> bool:
        """Take a line that failed to save back out of the journal; False if even that fails."""
        try:
            os.ftruncate(fd, self._journal_offset)
        except OSError:
            return False
        return True

    def _checkpoint_tables(self) -> Tables:
        """The tables as the checkpoint stores them: meta's journal_seq set to the last event."""
        with self._state:
            self._private.clear()  # serialised without the lock: every table stays as it is
            tables = whole_tables(self._tables)
        meta = dict(tables.get(META_TABLE, {}).get(META_ID, {}))
        meta["journal_seq"] = self._last_seq
        tables[META_TABLE] = {**tables.get(META_TABLE, {}), META_ID: meta}
        return tables

    def _write_checkpoint_locked(self, tables: Tables) -> None:
        seq = tables[META_TABLE][META_ID]["journal_seq"]
        if self.path is not None:
            remove_stale_temp_files(self.path)
        try:
            self._storage.write(tables)
            with self._state:
                self._tables = tables
                self._journal_seq = seq
                self._generation += 1
            if self.path is not None:
                self._path_stat = getattr(self._storage, "last_stat", None)
                self._empty_journal()
        except OSError as error:
            self._path_stat = None  # re-read everything before the next change
            raise CheckpointError(
                self.path,
                f"{self.path}: folding the journal into the file failed ({why(error)}); every "
                f"saved change is safe in {self._journal_path}: free some disk space, and the next "
                f"zzreview command folds it",
            ) from None
        except BaseException:
            if self.path is not None:
                self._path_stat = None  # re-read everything before the next change
            raise

    def _empty_journal(self) -> None:
        """Cut the journal to nothing: every line in it is already in the checkpoint.

        One ftruncate is atomic; a crash before it leaves lines that the next load skips.
        """
        assert self._journal_path is not None
        try:
            fd = os.open(self._journal_path, os.O_WRONLY)
        except FileNotFoundError:
            self._journal_stat, self._journal_offset, self._journal_lines = None, 0, 0
            return
        try:
            os.ftruncate(fd, 0)
            os.fsync(fd)
            self._journal_stat = stat_key(os.fstat(fd))
        finally:
            os.close(fd)
        self._journal_offset = 0
        self._journal_lines = 0

    def _migrate_locked(self, loaded: _Loaded) -> None:
        """Bring an older schema up to date: back up, migrate, checkpoint.

        A read-only store migrates in memory only.
        """
        path = self.path
        assert path is not None
        migrations.refuse_missing_steps(path, loaded.version)
        backup: Path | None = None
        if not self.readonly:
            backup = migrations.back_up(
                path, loaded.version, self._clock, journal=bool(loaded.journal_offset)
            )
        # Replay the journal on the old schema first: its events were written in it.
        self._install(loaded)
        try:
            tables = migrations.migrate(whole_tables(self._tables), loaded.version, path, backup)
            with self._state:
                self._tables = tables
                self._private = set()  # a migration may share tables with what it was given
                self._max_ids = {}
                self._generation += 1
            if not self.readonly:
                self._write_checkpoint_locked(self._checkpoint_tables())
                rotate_backups(path)  # only now: the migrated file is durable
        except BaseException:
            self._path_stat = None  # never save on top of an unmigrated state: re-read first
            raise


def _apply_record(
    tables: Tables,
    record: Mapping[str, Any],
    copied: set[str],
    max_ids: dict[str, int] | None = None,
) -> None:
    """Apply one event record to `tables`, copying each table it touches before changing it
    (unless it is in `copied`), never a document; `max_ids` (table -> largest doc id) is kept
    up to date."""

    def writable(name: str) -> dict[str, dict[str, Any]]:
        if name not in copied:
            tables[name] = dict(tables.get(name, {}))
            copied.add(name)
        return tables[name]

    lazy = tables if isinstance(tables, LazyTables) else None
    for change in record["changes"]:
        name, doc_id = change["table"], change["doc_id"]
        if lazy is not None and lazy.unread_without(name, doc_id) and name not in copied:
            # Added to a table not read yet: kept beside it, the table still not read.
            after = changes.applied(None, change)
            if after is not None:
                lazy.add_unread(name, doc_id, after)
                if max_ids is not None and name in max_ids:
                    max_ids[name] = max(max_ids[name], int(doc_id))
            continue
        docs = writable(name)
        after = changes.applied(docs.get(doc_id), change)
        if after is None:
            docs.pop(doc_id, None)
            if max_ids is not None and max_ids.get(name) == int(doc_id):
                del max_ids[name]
            continue
        if name == META_TABLE and doc_id == META_ID:
            current = tables.get(META_TABLE, {}).get(META_ID, {})
            after = {**after, **{k: current[k] for k in ENGINE_META_KEYS if k in current}}
        docs[doc_id] = after
        if max_ids is not None and name in max_ids:
            max_ids[name] = max(max_ids[name], int(doc_id))
    event_doc = {key: value for key, value in record.items() if key != "db"}
    seq = str(record["seq"])
    if lazy is not None and lazy.unread_without(EVENTS_TABLE, seq) and EVENTS_TABLE not in copied:
        lazy.add_unread(EVENTS_TABLE, seq, event_doc)
    else:
        writable(EVENTS_TABLE)[seq] = event_doc


def _replayed(tables: Tables, records: Sequence[Mapping[str, Any]]) -> Tables:
    """`tables` (a top-level copy, its tables shared) after `records`; the shared tables stay as they were."""
    copied: set[str] = set()
    for record in records:
        _apply_record(tables, record, copied)
    return tables


def _look_at(path: Path) -> StatKey | int | None:
    try:
        return stat_key(os.stat(path))
    except FileNotFoundError:
        return None
    except OSError as error:
        return error.errno or -1


def _file_size(path: Path) -> int:
    """The size of the file at `path`, 0 if there is none; -1 if it cannot be looked at."""
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0
    except OSError:
        return -1


def _max_event_seq(tables: Tables) -> int:
    return _top_id(tables, EVENTS_TABLE)


def _top_id(tables: Tables, table: str) -> int:
    """The largest doc id in `table` (0 if none), known without reading a table not read yet."""
    top = tables.top_id(table) if isinstance(tables, LazyTables) else None
    return top if top is not None else max(map(int, tables.get(table, {})), default=0)


def _without_journal_seq(tables: Tables) -> Tables:
    meta = tables.get(META_TABLE, {}).get(META_ID)
    if meta is None:
        return tables
    return {**tables, META_TABLE: {META_ID: {k: v for k, v in meta.items() if k != "journal_seq"}}}


def _new_database(tables: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Tables:
    """`tables` as a fresh database: a JSON copy with the meta document filled in."""
    try:
        prepared = json.loads(dumps(tables))
    except (TypeError, ValueError) as error:
        raise ValueError(f"the tables are not JSON data: {error}") from None
    problem = shape_problem(prepared, need_meta=False)
    if problem:
        raise ValueError(f"the tables do not have TinyDB's shape: {problem}")
    given_meta = prepared.get(META_TABLE, {}).get(META_ID, {})
    prepared[META_TABLE] = {
        META_ID: {
            **given_meta,
            "schema_version": migrations.SCHEMA_VERSION,
            "db_id": uuid.uuid4().hex,
            "journal_seq": _max_event_seq(prepared),
        }
    }
    return prepared


REPLACES_KEY = "replaces"
"""In the meta document: the db_id of the database a forced init replaced."""


def _lock_timeout(path: Path, given: float | None) -> float:
    if given is not None:
        return given
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise StoreError(path, f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds: set it to e.g. 10")
    return seconds
