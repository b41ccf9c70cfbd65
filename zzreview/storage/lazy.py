"""A database file laid out a table a line, read a table at a time.

Every process used to parse the whole file before anything else: 20 MB at city scale, most of
it tables a command never looks at (a `values set` needs the plan, the meetings and the values,
not the 7 MB of action items). The store writes the file as one JSON object still — what
``TinyDB(path)`` and any JSON reader read — with a line break between its tables, and the meta
document (always first) says how many bytes each of the others takes, its largest doc id and
the CRC-32 of its JSON:

    {"meta":{"1":{…,"layout":[["plan",380112,1,2171593],["values",9230017,60000,…],…]}},
    "plan":{…},
    "values":{…}}

Compact JSON never holds a raw line break (one inside a string is written ``\\n``), so the
breaks fall only between tables. `split_database` finds the tables by those lengths and checks
every boundary: a file laid out otherwise — written by TinyDB, by hand, or edited so that a table
changed length — is not split, and is read whole as before. A table is parsed on first use
(`LazyTables`), and held to the same shape check as a whole read; one that does not parse sends
the reader back to the whole file, so a broken file is reported exactly as before. A table only
added to (a value recorded, an event logged) is not read at all: the largest id is known.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from zzreview.storage.layout import LAYOUT_KEY, META_ID, META_TABLE, Tables

_BREAK = b",\n"
_META_START = b'{"meta":'


def encode_database(data: Mapping[str, Mapping[str, Any]], dumps: Callable[[Any], str]) -> bytes:
    """The file's bytes for `data`: meta first, a table a line, meta naming each one's length.

    `dumps` is the store's serialiser (deterministic, JSON only); the result is what it would
    give for the whole object but for the line breaks and the layout entry in meta.
    """
    parts: list[bytes] = []
    layout: list[list[Any]] = []
    for name, docs in data.items():
        if name == META_TABLE:
            continue
        table = dumps(docs).encode()
        part = f"{dumps(name)}:".encode() + table
        parts.append(part)
        layout.append([name, len(part), max(map(int, docs), default=0), zlib.crc32(table)])
    meta_table = dict(data.get(META_TABLE, {}))
    if META_ID in meta_table:
        meta_table[META_ID] = {**meta_table[META_ID], LAYOUT_KEY: layout}
    head = f'"{META_TABLE}":{dumps(meta_table)}'.encode()
    return b"{" + _BREAK.join([head, *parts]) + b"}"


def split_database(
    raw: bytes, dumps: Callable[[Any], str]
) -> tuple[dict[str, Any], dict[str, tuple[memoryview, int, int]]] | None:
    """The meta table, parsed, and every other table's JSON bytes with its largest doc id and
    the CRC-32 of those bytes as written, by name in the file's order; None when the file is
    not laid out as `encode_database` (with the same `dumps`) writes it."""
    if not raw.startswith(_META_START) or not raw.endswith(b"}"):
        return None
    end = raw.find(_BREAK)
    if end < 0:
        return None
    try:
        meta_table = json.loads(raw[len(_META_START) : end])
        layout = meta_table[META_ID][LAYOUT_KEY]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(layout, list):
        return None
    del meta_table[META_ID][LAYOUT_KEY]  # where the tables lie in this file, not data
    view = memoryview(raw)
    segments: dict[str, tuple[memoryview, int, int]] = {}
    at = end + len(_BREAK)
    for index, entry in enumerate(layout):
        if not (isinstance(entry, list) and len(entry) == 4):
            return None
        name, length, top, crc = entry
        if not isinstance(name, str) or name in segments or name == META_TABLE:
            return None
        if type(length) is not int or type(top) is not int or top < 0 or type(crc) is not int:
            return None
        prefix = f"{dumps(name)}:".encode()
        stop = at + length
        last = index == len(layout) - 1
        after = raw[stop:] if last else raw[stop : stop + len(_BREAK)]
        if (
            length <= len(prefix)
            or raw[at : at + len(prefix)] != prefix
            or after != (b"}" if last else _BREAK)
        ):
            return None
        segments[name] = (view[at + len(prefix) : stop], top, crc)
        at = stop + len(_BREAK)
    return (meta_table, segments) if segments else None


class BadSegment(ValueError):
    """A table's bytes that do not read as a table on their own."""


def _all_read() -> Mapping[str, Any]:
    raise AssertionError("every table was read")


def _all_left_intact() -> Mapping[str, Any]:
    raise AssertionError("a table as the store wrote it did not read alone")


class _Segments:
    """The not-yet-parsed tables of one read, shared by every copy of its `LazyTables`: each
    is parsed once, under a lock, and its bytes let go.

    The tables are views of the file's bytes, which stay in memory while any table is unread.
    Once less than half of them is left unread, and every table left is as the store wrote it
    (so it reads alone, and the whole file is never read again), those tables are copied out
    and the file's bytes let go: at city scale the app reads the values and then the action
    items, and 20 MB of file no longer lie beside the action items as they are parsed.

    `parse(name, bytes)` gives a table or raises `BadSegment`; then `whole()` reads the whole
    file as a whole read would, raising what that raises (a file that is not JSON, or not a
    database, is reported exactly as before), and its tables stand for the ones not read yet.
    """

    def __init__(
        self,
        segments: dict[str, memoryview],
        crcs: dict[str, int],
        parse: Callable[[str, memoryview], dict[str, Any]],
        whole: Callable[[], Mapping[str, Any]],
    ) -> None:
        self._raw = segments
        self._size = sum(len(view) for view in segments.values())
        self._crcs = crcs
        self._intact: dict[str, bool] = {}
        self._parsed: dict[str, dict[str, Any]] = {}
        self._parse = parse
        self._whole = whole
        self._lock = threading.Lock()

    def intact(self, name: str) -> bool:
        """Whether table `name`'s bytes are still those the store wrote (their CRC-32 as the
        layout gives it): what trusting its largest id without reading it takes. A table
        edited by hand to the same length is not; it is then read like any other."""
        with self._lock:
            return self._intact_locked(name)

    def _intact_locked(self, name: str) -> bool:
        known = self._intact.get(name)
        if known is None:
            raw = self._raw.get(name)
            known = self._intact[name] = raw is not None and zlib.crc32(raw) == self._crcs.get(name)
        return known

    def _let_go_of_the_file_locked(self) -> None:
        """The tables left unread copied out of the file's bytes, so that these can go, when
        they are less than half of them and each is as the store wrote it."""
        if self._whole in (_all_read, _all_left_intact):  # the file's bytes are gone already
            return
        if sum(map(len, self._raw.values())) * 2 > self._size:
            return
        if not all(self._intact_locked(name) for name in self._raw):
            return
        for name, view in list(self._raw.items()):
            self._raw[name] = memoryview(bytes(view))
            view.release()
        self._whole = _all_left_intact

    def get(self, name: str) -> dict[str, Any]:
        with self._lock:
            table = self._parsed.get(name)
            if table is None:
                try:
                    table = self._parse(name, self._raw[name])
                except BadSegment:
                    data = self._whole()
                    for other in list(self._raw):
                        self._parsed[other] = data[other]
                        self._raw.pop(other).release()
                    self._whole = _all_read
                    return self._parsed[name]
                self._parsed[name] = table
                self._raw.pop(name).release()
                if not self._raw:
                    self._whole = _all_read  # the file's bytes, held by it, go too
                else:
                    self._let_go_of_the_file_locked()
            return table

    def parsed(self, name: str) -> bool:
        return name in self._parsed


class LazyTables(MutableMapping[str, dict[str, Any]]):
    """A database's tables as read from a file laid out a table a line: each table parsed the
    first time it is asked for. Otherwise a dict of tables as the store uses it: setting a table
    replaces it in this mapping only; `copy` shares the tables (parsed or not), as a dict copy
    shares its values.

    A document added to a table not read yet under an id above any it holds (a value recorded,
    an event logged, a journal replayed) waits beside it (`add_unread`) and is put in when the
    table is read, so a command that only adds to a table never reads it.
    """

    def __init__(
        self,
        order: list[str],
        own: dict[str, dict[str, Any]],
        segments: _Segments,
        top_ids: dict[str, int],
        added: dict[str, dict[str, dict[str, Any]]] | None = None,
    ) -> None:
        self._order = order
        self._own = own
        self._segments = segments
        self._top_ids = top_ids
        """The largest doc id of each table not read yet (the layout's, then what was added)."""
        self._added = added if added is not None else {}
        self._lock = threading.RLock()
        """Held to read a table into this mapping (with what was added beside it): two threads
        asking first at once get the same table."""

    @classmethod
    def of(
        cls,
        meta_table: dict[str, Any],
        segments: dict[str, tuple[memoryview, int, int]],
        parse: Callable[[str, memoryview], dict[str, Any]],
        whole: Callable[[], Mapping[str, Any]],
    ) -> LazyTables:
        raw = {name: view for name, (view, _, _) in segments.items()}
        crcs = {name: crc for name, (_, _, crc) in segments.items()}
        top_ids = {name: top for name, (_, top, _) in segments.items()}
        return cls(
            [META_TABLE, *segments], {META_TABLE: meta_table}, _Segments(raw, crcs, parse, whole), top_ids
        )

    def __getitem__(self, name: str) -> dict[str, Any]:
        table = self._own.get(name)
        if table is not None:
            return table
        with self._lock:
            table = self._own.get(name)
            if table is not None:
                return table
            if name not in self._order:
                raise KeyError(name)
            table = self._segments.get(name)
            added = self._added.pop(name, None)
            if added:
                table = self._own[name] = {**table, **added}
            self._top_ids.pop(name, None)
            return table

    def __setitem__(self, name: str, table: dict[str, Any]) -> None:
        with self._lock:
            if name not in self._order:
                self._order.append(name)
            self._own[name] = table
            self._added.pop(name, None)
            self._top_ids.pop(name, None)

    def __delitem__(self, name: str) -> None:
        with self._lock:
            if name not in self._order:
                raise KeyError(name)
            self._own.pop(name, None)
            self._added.pop(name, None)
            self._top_ids.pop(name, None)
            self._order.remove(name)

    def __contains__(self, name: object) -> bool:
        return name in self._order

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def copy(self) -> LazyTables:
        with self._lock:
            added = {name: dict(docs) for name, docs in self._added.items()}
            return LazyTables(list(self._order), dict(self._own), self._segments, dict(self._top_ids), added)

    def parsed(self, name: str) -> bool:
        """Whether table `name` has been read (or set) yet: what a command paid for."""
        return name in self._own or self._segments.parsed(name)

    def top_id(self, name: str) -> int | None:
        """The largest doc id in table `name` if it is not read yet (and its bytes are as the
        store wrote them), else None."""
        with self._lock:
            top = self._top_ids.get(name)
            if top is not None and name not in self._added and not self._segments.intact(name):
                del self._top_ids[name]  # edited by hand: its largest id is read, not trusted
                return None
            return top

    def unread_without(self, name: str, doc_id: str) -> bool:
        """True when table `name` is not read yet and holds no document `doc_id` (its id is
        above every one it holds): what adding it needs to know, known without reading."""
        top = self.top_id(name)
        return top is not None and int(doc_id) > top

    def add_unread(self, name: str, doc_id: str, doc: dict[str, Any]) -> None:
        """Add a document to a table not read yet, under an id above every one it holds (see
        `unread_without`): it is put in when the table is read."""
        with self._lock:
            assert self.unread_without(name, doc_id), (name, doc_id)
            self._added.setdefault(name, {})[doc_id] = doc
            self._top_ids[name] = int(doc_id)

    def whole(self) -> Tables:
        """Every table, parsed: a plain dict."""
        return {name: self[name] for name in self._order}


def copy_tables(tables: Tables | LazyTables) -> Tables:
    """A top-level copy of `tables`, its tables shared and none parsed on the way."""
    return tables.copy() if isinstance(tables, LazyTables) else dict(tables)  # type: ignore[return-value]


def whole_tables(tables: Tables | LazyTables) -> Tables:
    """Every table of `tables`, parsed, in a plain dict of its own (a top-level copy)."""
    return tables.whole() if isinstance(tables, LazyTables) else dict(tables)


def drop_layout(data: object) -> None:
    """Take a layout entry out of a wholly read file's meta document: it told where the tables
    lay in the file as the store last wrote it, which says nothing of the file now (another
    program may have rewritten it since), and the store writes it afresh."""
    if isinstance(data, dict):
        meta = data.get(META_TABLE)
        doc = meta.get(META_ID) if isinstance(meta, dict) else None
        if isinstance(doc, dict):
            doc.pop(LAYOUT_KEY, None)
