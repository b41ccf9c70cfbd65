"""The repository: every query and every change zzreview makes to a database.

It is the only code above the durable store that knows documents exist. Reads return domain
objects; writes run inside `Store.transact`, so they validate against a fresh read under the
lock and land as one journalled event (who, seat, when, what).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from zzreview.domain import (
    ActionItem,
    AgendaItem,
    DataPoint,
    Meeting,
    MeetingState,
    Plan,
    action_number,
    action_order,
    carried_into,
    normalise_action_id,
)
from zzreview.domain.actions import ReviewRule
from zzreview.domain.entry import EntryError
from zzreview.storage import changes
from zzreview.storage.codec import CodecError, from_doc, to_doc
from zzreview.storage.errors import StoreError
from zzreview.storage.layout import (
    ACTIONS_TABLE,
    ENGINE_META_KEYS,
    EVENTS_TABLE,
    FOLLOW_TABLE,
    MEETINGS_TABLE,
    META_ID,
    META_TABLE,
    PLAN_TABLE,
    VALUES_TABLE,
)
from zzreview.storage.reviewing import reviewed_keys
from zzreview.storage.snapshot import freeze, frozen_items
from zzreview.storage.store import Change, Event, Saved, Store, StoreView, Writes

T = TypeVar("T")

_MEMO_SIZE = 24
"""How many derived answers a repository keeps (see `Repository.remember`)."""

_POINT_STATES = 4
"""For how many `upto`s (the live values, closed meetings' views) the points by indicator
are kept up to date step by step (see `Repository._points_upto`)."""

_STEPS_KEPT = 16
"""How many steps of a table's documents a repository remembers (see `_TableShape`)."""


class _Same:
    """A table's version as part of a key: equal only to itself, so a key matches exactly
    while that table is unchanged (and holds it, so its identity is never reused)."""

    __slots__ = ("token",)

    def __init__(self, token: object) -> None:
        self.token = token

    def __hash__(self) -> int:
        return id(self.token)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.token is self.token


def _common_prefix(keys: list[str], other_keys: list[str], docs: list[Any], other_docs: list[Any]) -> int:
    """How many first entries two (keys, documents) listings of a table have in common,
    compared at C speed: halves are compared, never one entry at a time in Python."""
    n = min(len(keys), len(other_keys))
    if keys[:n] == other_keys[:n] and docs[:n] == other_docs[:n]:
        return n
    low, high = 0, n - 1  # the first `low` are equal; the first `n` are not
    while low < high:
        middle = (low + high + 1) // 2
        if keys[low:middle] == other_keys[low:middle] and docs[low:middle] == other_docs[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


@dataclass(frozen=True)
class _Change:
    """One step of a table's documents that only removed and added some: the decoded values
    gone and added, as (doc id, value), in the table's order. A document replaced at the end
    of the table counts as gone and added again."""

    gone: tuple[tuple[str, Any], ...]
    added: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class _Diff:
    """How a table's documents differ from the last listing: some gone, some replaced where
    they stood, some added at the end (anything else is no `_Diff`: `_TableShape.diff`)."""

    removed: list[str]
    replaced: list[tuple[str, Any]]
    added: list[tuple[str, Any]]
    before: dict[str, Any]
    """The documents removed or replaced, as they were."""
    only_at_end: bool
    """Every replaced document comes after every one left as it was."""

    def change(
        self, previous: Mapping[str, tuple[Any, Any]], current: Mapping[str, tuple[Any, Any]]
    ) -> _Change | None:
        """The step as values gone and added, or None when it is more than that (a document
        replaced before others left as they were, or a decoded value not known any more)."""
        if not self.only_at_end:
            return None
        gone = []
        for key in (*self.removed, *(key for key, _ in self.replaced)):
            hit = previous.get(key)
            if hit is None or hit[0] is not self.before[key]:
                return None
            gone.append((key, hit[1]))
        added = tuple((key, current[key][1]) for key, _ in (*self.replaced, *self.added))
        return _Change(tuple(gone), added)


class _Decoded(dict):
    """A table's decoded documents, (document, value) by doc id, that notes which ids were
    set since it was made (`touched`): a write that keeps what it wrote in the cache
    (`Repository.update_action`) changes it in place, under the listing's feet."""

    __slots__ = ("touched",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.touched: set[str] = set()

    def __setitem__(self, key: str, value: Any) -> None:
        self.touched.add(key)
        super().__setitem__(key, value)


class _TableShape:
    """A table's documents as `Repository._decoded_docs` last listed them, and the steps
    that led there (`_Change`, None for a step that was more than adds and removals)."""

    __slots__ = ("decoded", "docs", "generation", "keys", "steps")

    def __init__(
        self,
        keys: list[str],
        docs: list[Any],
        decoded: dict[str, tuple[Any, Any]],
        generation: int,
        steps: tuple[tuple[int, _Change | None], ...],
    ) -> None:
        self.keys = keys
        self.docs = docs
        self.decoded = decoded
        self.generation = generation
        self.steps = steps

    @classmethod
    def after(
        cls,
        shape: _TableShape | None,
        keys: list[str],
        docs: list[Any],
        decoded: dict[str, tuple[Any, Any]],
        change: _Change | None,
    ) -> _TableShape:
        """The shape one step on from `shape` (None: the first listing)."""
        if shape is None:
            return cls(keys, docs, decoded, 0, ())
        generation = shape.generation + 1
        steps = (*shape.steps, (generation, change))[-_STEPS_KEPT:]
        return cls(keys, docs, decoded, generation, steps)

    def since(self, generation: int) -> list[_Change] | None:
        """The steps after `generation`, oldest first; None if one of them is not known."""
        if generation == self.generation:
            return []
        wanted = [(g, change) for g, change in self.steps if g > generation]
        if len(wanted) != self.generation - generation or any(change is None for _, change in wanted):
            return None
        return [change for _, change in wanted if change is not None]

    def diff(self, keys: list[str], docs: list[Any]) -> _Diff | None:
        """How (keys, docs), the table listed now, differs from this listing; None unless it
        is this one with some documents gone, some replaced in place and some added at the end
        (the only ways the store changes a table), e.g. when the file was read again in
        another order."""
        start = _common_prefix(self.keys, keys, self.docs, docs)
        before = dict(zip(self.keys[start:], self.docs[start:], strict=True))
        rest_keys, rest_docs = keys[start:], docs[start:]
        kept = 0
        for key in rest_keys:
            if key not in before:
                break
            kept += 1
        if any(key in before for key in rest_keys[kept:]):
            return None
        left = set(rest_keys[:kept])
        if [key for key in self.keys[start:] if key in left] != rest_keys[:kept]:
            return None
        replaced: list[tuple[str, Any]] = []
        only_at_end = True
        for key, doc in zip(rest_keys[:kept], rest_docs[:kept], strict=True):
            if doc is not before[key]:
                replaced.append((key, doc))
            elif replaced:
                only_at_end = False
        removed = [key for key in self.keys[start:] if key not in left]
        added = list(zip(rest_keys[kept:], rest_docs[kept:], strict=True))
        touched = {key: before[key] for key in removed} | {key: before[key] for key, _ in replaced}
        return _Diff(removed, replaced, added, touched, only_at_end)


class _Points:
    """The latest points by indicator up to a document (`upto`; None: all), as of a step of
    the values table (`generation`, see `_TableShape`)."""

    __slots__ = ("by_indicator", "generation")

    def __init__(self, generation: int, by_indicator: dict[str, tuple[DataPoint, ...]]) -> None:
        self.generation = generation
        self.by_indicator = by_indicator
        """Never changed once made: a step makes a new dict, sharing the unchanged tuples."""

    @classmethod
    def full(cls, decoded: Mapping[str, tuple[Any, DataPoint]], upto: int | None, generation: int) -> _Points:
        """Worked out from every document."""
        latest: dict[tuple[str, date], DataPoint] = {}
        for key, (_, point) in decoded.items():
            if upto is None or int(key) <= upto:
                latest[(point.indicator_id, point.as_of)] = point
        by_indicator: dict[str, list[DataPoint]] = defaultdict(list)
        for point in latest.values():
            by_indicator[point.indicator_id].append(point)
        return cls(generation, {key: _by_date(points) for key, points in by_indicator.items()})

    def updated(
        self, steps: Sequence[_Change], decoded: Mapping[str, tuple[Any, DataPoint]], upto: int | None
    ) -> _Points:
        """These points after `steps` (the values table is now `decoded`): only the indicators
        whose points were added or removed are worked out again, each from its own points."""

        def counts(key: str) -> bool:
            return upto is None or int(key) <= upto

        generation = self.generation + len(steps)
        added = [point for step in steps for key, point in step.added if counts(key)]
        gone = [point for step in steps for key, point in step.gone if counts(key)]
        if not added and not gone:
            return _Points(generation, self.by_indicator)
        if not gone:
            # Only added, after every document there was: each point is its (indicator,
            # date)'s latest version, in the order given.
            by_indicator = dict(self.by_indicator)
            for point in added:
                ident = point.indicator_id
                by_date = {p.as_of: p for p in by_indicator.get(ident, ())}
                by_date[point.as_of] = point
                by_indicator[ident] = tuple(sorted(by_date.values(), key=_as_of))
            return _Points(generation, by_indicator)
        # Something went: its indicators' points are gathered again, and the indicators are
        # put in the order of their first points (which may have been the one that went).
        touched = {point.indicator_id for point in (*added, *gone)}
        gathered: dict[str, list[DataPoint]] = {}
        order: dict[str, None] = {}
        for key, (_, point) in decoded.items():
            if counts(key):
                ident = point.indicator_id
                order[ident] = None
                if ident in touched:
                    gathered.setdefault(ident, []).append(point)
        kept = self.by_indicator
        return _Points(
            generation,
            {ident: _latest_by_date(gathered[ident]) if ident in touched else kept[ident] for ident in order},
        )


def _as_of(point: DataPoint) -> date:
    return point.as_of


def _by_date(points: list[DataPoint]) -> tuple[DataPoint, ...]:
    points.sort(key=_as_of)
    return tuple(points)


def _latest_by_date(points: Sequence[DataPoint]) -> tuple[DataPoint, ...]:
    """One indicator's points in the table's order, as `_Points.full` keeps them: the last
    version of each date, by date."""
    latest: dict[date, DataPoint] = {}
    for point in points:
        latest[point.as_of] = point
    return tuple(sorted(latest.values(), key=_as_of))


class Once(Generic[T]):
    """`make()`, called by whichever thread asks first; the others wait for that answer."""

    __slots__ = ("_failed", "_lock", "_make", "_value")

    def __init__(self, make: Callable[[], T]) -> None:
        self._make: Callable[[], T] | None = make
        self._value: T | None = None
        self._failed: Exception | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        if self._make is not None:
            with self._lock:
                if self._failed is not None:  # an unreadable document: said again, not read again
                    raise self._failed
                if self._make is not None:
                    try:
                        self._value = self._make()
                    except Exception as error:
                        self._failed = error
                        raise
                    self._make = None
        return self._value  # type: ignore[return-value]

    @property
    def made(self) -> bool:
        return self._make is None


class LaterPoints(Mapping[str, tuple[DataPoint, ...]]):
    """`Repository.point_tuples(upto)` worked out when first looked into, not when asked for:
    the first screen (回头看) shows no figure, so a launch does not wait for every value to be
    decoded. Thread-safe; the answer is the repository's as of that first look."""

    __slots__ = ("_points",)

    def __init__(self, make: Callable[[], Mapping[str, tuple[DataPoint, ...]]]) -> None:
        self._points = Once(make)

    def __getitem__(self, key: str) -> tuple[DataPoint, ...]:
        return self._points()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._points().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._points()

    def __iter__(self):
        return iter(self._points())

    def __len__(self) -> int:
        return len(self._points())

    def __repr__(self) -> str:
        return f"LaterPoints({len(self._points())} indicators)" if self._points.made else "LaterPoints(…)"


class LaterItems(Sequence[ActionItem]):
    """`Repository.actions()` decoded when first looked into, not when asked for: 回头看, the
    first screen, needs only the items it reviews (`Repository.reviewed`). Thread-safe; the
    items are the repository's as of that first look."""

    __slots__ = ("_items",)

    def __init__(self, make: Callable[[], list[ActionItem]]) -> None:
        self._items = Once(make)

    def __getitem__(self, index):  # type: ignore[override]
        return self._items()[index]

    def __iter__(self):
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __repr__(self) -> str:
        return f"LaterItems({len(self._items())} items)" if self._items.made else "LaterItems(…)"


class PointLists(Mapping[str, list[DataPoint]]):
    """The points by indicator as `Repository.data_points` gives them, each asked for as a
    list of its own, without copying the whole history up front: a view rebuilt after a save
    copies only the indicators it draws."""

    __slots__ = ("_kept",)

    def __init__(self, kept: Mapping[str, tuple[DataPoint, ...]]) -> None:
        self._kept = kept

    def __getitem__(self, key: str) -> list[DataPoint]:
        return list(self._kept[key])

    def get(self, key: str, default: Any = None) -> Any:
        points = self._kept.get(key)
        return default if points is None else list(points)

    def __contains__(self, key: object) -> bool:
        return key in self._kept

    def __iter__(self):
        return iter(self._kept)

    def __len__(self) -> int:
        return len(self._kept)

    def __repr__(self) -> str:
        return f"PointLists({len(self._kept)} indicators)"


@dataclass(frozen=True)
class Figures:
    """What a meeting shows: for a closed meeting, as frozen when it closed; else, live."""

    as_of: date
    points: Mapping[str, list[DataPoint]]
    """By indicator id, oldest first (`Repository.data_points`), read-only: see `PointLists`."""
    actions: Sequence[ActionItem]
    """Every item as the meeting shows it, in the order raised; for a live meeting decoded when
    first looked into (`LaterItems`), not when the figures are asked for."""
    next_meeting: Meeting | None
    reviewed: tuple[str, ...] | None = None
    """The ids of the items the meeting reviewed (回头看), frozen when it closed."""
    rules: str = ""
    """The rule preset the meeting was judged by, frozen when it closed."""
    point_tuples: Mapping[str, tuple[DataPoint, ...]] | None = field(default=None, compare=False, repr=False)
    """`points` as the repository keeps them (`Repository.point_tuples`): what a status is
    worked out from, so an indicator whose points did not change keeps its status."""
    reviewing: Callable[[Meeting, Sequence[Meeting]], list[ActionItem]] | None = field(
        default=None, compare=False, repr=False
    )
    """For a live meeting, the repository's answer to the 回头看 rule (`Repository.reviewed`,
    which remembers what it answered for each item between views)."""

    def carried(self, meeting: Meeting, meetings: Sequence[Meeting]) -> list[ActionItem]:
        """The items this meeting reviews: as frozen, or by the 回头看 rule."""
        if self.reviewed is not None:
            wanted = set(self.reviewed)
            return [a for a in self.actions if a.id in wanted]
        if self.reviewing is not None:
            return self.reviewing(meeting, meetings)
        return carried_into(meeting, meetings, self.actions)


def _now(clock) -> str:
    """Local time with its offset: the date part is the date people saw on the wall, which is
    what meeting dates are compared with."""
    return (clock() if clock else datetime.now().astimezone()).isoformat(timespec="seconds")


ISSUE_FIELDS = ("number", "issuer", "distribution")
"""A meeting's fields that its minutes are printed with, which may change after it closed."""


def _kept_unmodelled(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`new` with whatever of `old` the domain object does not model (a closed meeting's frozen
    snapshot, a field a newer zzreview wrote): a rewrite of a document never drops them."""
    return {name: value for name, value in old.items() if name not in new} | new


class Repository:
    """Queries and changes on one store, in domain terms."""

    def __init__(self, store: Store, *, who: str = "", seat: str = "cli", clock=None) -> None:
        self.store = store
        self.who = who
        self.seat = seat
        self._clock = clock
        self._plan_cache: tuple[Any, Plan] | None = None
        self._decoded: dict[str, tuple[object, dict[str, tuple[Any, Any]]]] = {}
        self._early: dict[str, dict[str, tuple[Any, Any]]] = {}
        """Documents decoded before their whole table was (`reviewed`), by table and doc id."""
        self._memo: dict[Any, Any] = {}
        self._kept: dict[tuple, Any] = {}
        self._kept_lock = threading.Lock()
        self._memo_lock = threading.RLock()  # a computation may ask for another

    # -- reads -------------------------------------------------------------------------

    @property
    def meta(self) -> dict[str, Any]:
        """The database's meta document (schema version, plan id, demo flag)."""
        return dict(self.store.table(META_TABLE).get("1", {}))

    @property
    def writable(self) -> bool:
        """False when the database opened read-only: nothing can be saved."""
        return not self.store.readonly

    @property
    def illustrative(self) -> bool:
        """True when the figures are the shipped demo's, not official statistics."""
        return bool(self.meta.get("illustrative", False))

    def notice(self, lang: str) -> str:
        """The illustrative-data notice in `lang`, or "" when the figures are real."""
        if not self.illustrative:
            return ""
        meta = self.meta
        return str((meta.get("notice_en") if lang == "en" else meta.get("notice")) or "")

    def plan(self) -> Plan:
        """The plan this database reviews."""
        doc = self.store.table(PLAN_TABLE).get("1")
        if doc is None:
            raise StoreError(
                self.store.path, f"{self.store.path}: holds no plan; recreate it with `zzreview init --force`"
            )
        if self._plan_cache is None or self._plan_cache[0] is not doc:
            self._plan_cache = (doc, self._decode(Plan, doc, PLAN_TABLE))
        return self._plan_cache[1]

    def _decode(self, cls, doc, table: str):
        try:
            return from_doc(cls, doc, table)
        except CodecError as error:
            raise StoreError(
                self.store.path, f"{self.store.path}: {error}; run `zzreview check` for a full report"
            ) from None

    def kept(self, key: tuple, make: Callable[[], T]) -> T:
        """The object kept for `key` as long as this repository lives, made on first use: the
        memos that let a rebuilt view look again only at what changed (one per meeting)."""
        with self._kept_lock:
            value = self._kept.get(key)
            if value is None:
                value = self._kept[key] = make()
            return value

    def remember(self, key: tuple, compute: Callable[[], T]) -> T:
        """`compute()`, kept for as long as `key` is asked for again.

        Keys name what the answer was derived from, with `Store.table_version` tokens for the
        tables it read: an answer is reused until one of those tables changes, whatever else
        is written meanwhile. Only the last few answers are kept (the live figures and the
        previous meeting's, say), so memory follows what is on screen, not the history.
        """
        # One thread at a time, computing included: the app works a meeting's figures out off
        # the UI thread while its other threads save and the UI thread reads, and every cache
        # below (decoded tables, points, status memos) is filled from inside a computation.
        with self._memo_lock:
            memo = self._memo
            if key in memo:
                value = memo.pop(key)
                memo[key] = value  # most recently used last
                return value
            value = compute()
            memo[key] = value
            while len(memo) > _MEMO_SIZE:
                del memo[next(iter(memo))]
            return value

    def version(self, *tables: str) -> tuple[object, ...]:
        """Tokens that stay the same objects while these tables are unchanged."""
        return tuple(_Same(self.store.table_version(table)) for table in tables)

    def _decoded_docs(self, table: str, cls: type[T]) -> dict[str, tuple[Any, T]]:
        """Every document of a table with its decoded value, by doc id in the table's order; a
        document decodes once.

        The store never changes a document in place, so a document that is the same object
        as last time decodes to the same value; while the table is unchanged, nothing is
        looked at again. When it changed, only what differs from last time is looked at (see
        `_TableShape.diff`): a value saved into 60,000 costs what one document costs, plus a
        few list copies at C speed.
        """
        version = self.store.table_version(table)
        cached = self._decoded.get(table)
        if cached is not None and cached[0] is version:
            return cached[1]
        docs = self.store.table(table)
        keys, values = list(docs), list(docs.values())
        previous = cached[1] if cached is not None else self._early.pop(table, {})
        shapes: dict[str, _TableShape] = self.__dict__.setdefault("_shapes", {})
        shape = shapes.get(table)
        diff = shape.diff(keys, values) if shape is not None and shape.decoded is previous else None

        def decoded(key: str, doc: Any) -> tuple[Any, Any]:
            hit = previous.get(key)
            return hit if hit is not None and hit[0] is doc else (doc, self._decode(cls, doc, table))

        if diff is None:
            current = _Decoded(zip(keys, map(decoded, keys, values), strict=True))
            change: _Change | None = None
        else:
            # The table is the last one with some documents gone, some replaced where they
            # stood and some added at its end: patched in the same order.
            current = _Decoded(previous)
            for key in diff.removed:
                del current[key]
            for key, doc in diff.replaced:
                current[key] = decoded(key, doc)
            for key, doc in diff.added:
                current[key] = decoded(key, doc)
            # A write keeps what it wrote (`update_action`): those entries may no longer be
            # what the listing compared with, so they are looked at again.
            touched = previous.touched if isinstance(previous, _Decoded) else set()
            for key in touched:
                doc = docs.get(key)
                if doc is not None:
                    current[key] = decoded(key, doc)
            change = diff.change(previous, current) if not touched else None
        current.touched.clear()
        shapes[table] = _TableShape.after(shape, keys, values, current, change)
        self._decoded[table] = (version, current)
        return current

    def _changes_since(self, table: str, generation: int) -> list[_Change] | None:
        """What became of the table's documents since `_decoded_docs` saw it at `generation`,
        oldest first: each step's values gone and added (`_Change`); None when that is not
        known any more (a step that was not only adds and removals, or one too long ago)."""
        shape = self.__dict__.get("_shapes", {}).get(table)
        return shape.since(generation) if shape is not None else None

    def _all(self, table: str, cls: type[T]) -> list[T]:
        """Every document of a table, decoded (see `_decoded_docs`)."""
        return self.remember(
            ("all", table, *self.version(table)),
            lambda: [value for _, value in self._decoded_docs(table, cls).values()],
        )

    def data_points(self, upto: int | None = None) -> dict[str, list[DataPoint]]:
        """Every data point, by indicator id, oldest first: the latest version of each
        (indicator, date), or the latest recorded by document `upto` (a closed meeting's view)."""
        return {key: list(points) for key, points in self.point_tuples(upto).items()}

    def point_tuples(self, upto: int | None = None) -> Mapping[str, tuple[DataPoint, ...]]:
        """`data_points` as kept: read-only, and an indicator whose points did not change since
        the last call has the very same tuple (what `plan_status`'s memo goes by)."""
        return self.remember(("points", *self.version(VALUES_TABLE), upto), lambda: self._points_upto(upto))

    def _points_upto(self, upto: int | None) -> Mapping[str, tuple[DataPoint, ...]]:
        # Documents come in the order they were added (ids only grow), so the last version of
        # an (indicator, date) seen is the latest. What was worked out for `upto` last time is
        # brought up to date with the values added and removed since, indicator by indicator;
        # anything else (a document replaced, the file reloaded in another order) and it is
        # worked out again from every document.
        decoded = self._decoded_docs(VALUES_TABLE, DataPoint)
        states: dict[int | None, _Points] = self.__dict__.setdefault("_point_states", {})
        state = states.pop(upto, None)
        if state is not None:
            changes = self._changes_since(VALUES_TABLE, state.generation)
            state = state.updated(changes, decoded, upto) if changes is not None else None
        if state is None:
            generation = self._changes_generation(VALUES_TABLE)
            state = _Points.full(decoded, upto, generation)
        states[upto] = state  # most recently used last
        while len(states) > _POINT_STATES:
            del states[next(iter(states))]
        return MappingProxyType(state.by_indicator)

    def _changes_generation(self, table: str) -> int:
        shape = self.__dict__.get("_shapes", {}).get(table)
        return shape.generation if shape is not None else -1

    def meetings(self) -> list[Meeting]:
        """Every meeting, by date."""
        return list(
            self.remember(
                ("meetings", *self.version(MEETINGS_TABLE)),
                lambda: sorted(self._all(MEETINGS_TABLE, Meeting), key=lambda m: (m.date, m.id)),
            )
        )

    def meeting(self, meeting_id: str) -> Meeting:
        """The meeting with this id; EntryError lists the known ids if there is none."""
        for meeting in self.meetings():
            if meeting.id == meeting_id:
                return meeting
        known = ", ".join(m.id for m in self.meetings()) or "none yet"
        raise EntryError("meeting", f"no meeting {meeting_id!r}; known meetings: {known}")

    def current_meeting(self) -> Meeting | None:
        """The meeting in progress, or else the next planned one (the earliest planned)."""
        meetings = self.meetings()
        for state in (MeetingState.IN_PROGRESS, MeetingState.PLANNED):
            candidates = [m for m in meetings if m.state is state]
            if candidates:
                return candidates[0]
        return None

    def previous_meeting(self, meeting: Meeting) -> Meeting | None:
        """The latest meeting held before this one."""
        earlier = [m for m in self.meetings() if (m.date, m.id) < (meeting.date, meeting.id)]
        return earlier[-1] if earlier else None

    def figures(self, meeting: Meeting) -> Figures:
        """The figures, actions and next meeting a meeting shows, at its date.

        A closed meeting shows what was frozen when it closed, so its screens and minutes stay
        the same however the data changes later; an open one shows the live data.
        """
        frozen = self.remember(
            ("frozen", meeting.id, *self.version(MEETINGS_TABLE)), lambda: self._frozen(meeting.id)
        )
        if frozen is not None:
            as_of, upto, actions, next_meeting, reviewed, rules = frozen
            kept = LaterPoints(lambda: self.point_tuples(upto))
            return Figures(
                as_of,
                PointLists(kept),
                list(actions),
                next_meeting,
                reviewed=reviewed,
                rules=rules,
                point_tuples=kept,
            )
        later = [m for m in self.meetings() if (m.date, m.id) > (meeting.date, meeting.id)]
        memo = self.kept(("carried", meeting.id), dict)
        kept = LaterPoints(self.point_tuples)
        return Figures(
            meeting.date,
            PointLists(kept),
            LaterItems(self.actions),
            later[0] if later else None,
            point_tuples=kept,
            reviewing=lambda shown, meetings: self.reviewed(shown, meetings, memo),
        )

    def _frozen(self, meeting_id: str) -> tuple | None:
        """A closed meeting's snapshot, decoded: (as_of, values_upto, actions, next meeting,
        reviewed ids, rules); None for a meeting without one."""
        for key, doc in self.store.table(MEETINGS_TABLE).items():
            if doc.get("id") == meeting_id and isinstance(doc.get("snapshot"), dict):
                frozen = doc["snapshot"]
                where = f"{MEETINGS_TABLE}[{key}].snapshot"
                try:
                    as_of = date.fromisoformat(frozen["as_of"])
                    upto = frozen["values_upto"]
                except (KeyError, TypeError, ValueError):
                    raise StoreError(
                        self.store.path, f"{self.store.path}: {where}: unreadable; run `zzreview check`"
                    ) from None
                try:
                    items = frozen_items(frozen)
                except ValueError as error:
                    raise StoreError(
                        self.store.path, f"{self.store.path}: {where}.actions: {error}; run `zzreview check`"
                    ) from None
                actions = tuple(self._decode(ActionItem, a, where) for a in items)
                following = frozen.get("next_meeting")
                next_meeting = self._decode(Meeting, following, where) if following else None
                reviewed = frozen.get("reviewed")
                return (
                    as_of,
                    upto,
                    actions,
                    next_meeting,
                    tuple(reviewed) if isinstance(reviewed, list) else None,
                    str(frozen.get("rules") or ""),
                )
        return None

    def actions(self) -> list[ActionItem]:
        """Every action item, in the order they were raised."""
        return list(
            self.remember(
                ("actions", *self.version(ACTIONS_TABLE)),
                lambda: sorted(self._all(ACTIONS_TABLE, ActionItem), key=action_order),
            )
        )

    def reviewed(
        self, meeting: Meeting, meetings: Sequence[Meeting], memo: dict[Any, Any]
    ) -> list[ActionItem]:
        """The items `meeting` reviews (回头看) as they stand now, in the order raised.

        Until the action items have been decoded in this process (a launch), the rule reads
        the stored documents and only the items it picks are decoded: those are then the
        very objects the full decode gives, so nothing decodes twice. After that, it is
        `carried_into` over every item, with `memo`.
        """
        with self._memo_lock:
            if ACTIONS_TABLE not in self._decoded:
                docs = self.store.table(ACTIONS_TABLE)
                keys = reviewed_keys(ReviewRule(meeting, meetings), docs)
                if keys is not None:
                    early = self._early.setdefault(ACTIONS_TABLE, {})
                    for key in keys:
                        doc = docs[key]
                        hit = early.get(key)
                        if hit is None or hit[0] is not doc:
                            early[key] = (doc, self._decode(ActionItem, doc, ACTIONS_TABLE))
                    return sorted((early[key][1] for key in keys), key=action_order)
            return carried_into(meeting, meetings, self.actions(), memo)

    def action(self, action_id: str) -> ActionItem:
        """The action item with this id (`A7` or `7`)."""
        wanted = normalise_action_id(action_id)
        for item in self.actions():
            if item.id == wanted:
                return item
        raise _no_action(action_id)

    def followed_area(self, meeting_id: str) -> int | None:
        """The area the chair's seat last showed at a meeting (0: 回头看; None: the overview, or
        nothing published)."""
        followed = self.followed(meeting_id)
        return followed.area if followed else None

    def followed(self, meeting_id: str) -> Followed | None:
        """What the chair's seat last showed at a meeting; None if nothing was published."""
        for doc in self.store.table(FOLLOW_TABLE).values():
            if doc.get("meeting_id") == meeting_id:
                area = doc.get("area")
                indicator = doc.get("indicator")
                return Followed(
                    area=area if isinstance(area, int) and not isinstance(area, bool) else None,
                    indicator=indicator if isinstance(indicator, str) else "",
                    zoom=doc.get("zoom") is True,
                    blank=doc.get("blank") is True,
                )
        return None

    def events(self, since: int = 0) -> list[Event]:
        """The change log, oldest first: every event after seq `since`."""
        return self.store.events(since)

    # -- writes ------------------------------------------------------------------------
    #
    # Each write is one change set under the lock, built on a fresh read. Input is checked by
    # the meeting layer before it gets here; what is checked here is only what can change
    # between that check and the lock (an id that went away, a meeting closed meanwhile).

    def now(self) -> str:
        """The time now, as recorded in an item's history."""
        return _now(self._clock)

    def when_waiting(self, tell: Callable[[str], None]) -> None:
        """Have `tell` told, in one line, whenever this repository waits for another process's
        lock: who holds it, and how long it will wait."""
        self.store.on_wait = tell

    def read_everything(self) -> None:
        """Read every table of the file now (see `Store.read_every_table`): a seat that stays
        open lets go of the file's bytes once all of it is read."""
        self.store.read_every_table()

    def refresh(self) -> None:
        """Catch up with what other seats and processes saved, so checks see the data as it is."""
        self.store.refresh()

    def _transact(
        self, mutate: Callable[[StoreView], Writes[T]], kind: str, summary: str, **extra
    ) -> Saved[T]:
        return self.store.transact(mutate, who=self.who, seat=self.seat, kind=kind, summary=summary, **extra)

    def record_points(self, points: Sequence[DataPoint]) -> Saved[tuple[DataPoint, ...]]:
        """Record values (or milestone states, or evidence) in one change: all or nothing.

        Values are never overwritten: a correction is a newer version of the same
        (indicator, date), so a closed meeting can still see what it saw.
        """
        if not points:
            raise EntryError("value", "no values to record")
        stamp = {"entered_at": self.now()}
        docs = [to_doc(point) | stamp for point in points]

        def mutate(view: StoreView) -> Writes[tuple[DataPoint, ...]]:
            changes = [Change(VALUES_TABLE, view.next_id(VALUES_TABLE), doc) for doc in docs]
            return Writes(changes, tuple(points))

        first = points[0]
        summary = (
            f"value {first.indicator_id} @ {first.as_of.isoformat()}"
            if len(points) == 1
            else f"{len(points)} values imported"
        )
        return self._transact(mutate, "values.record", summary)

    def add_action(self, item: ActionItem) -> Saved[ActionItem]:
        """Record a new action item, giving it the next id never given (A1, A2 …): an item
        taken back by undo keeps its number, so the audit trail names one item by one id."""

        def mutate(view: StoreView) -> Writes[ActionItem]:
            self._refuse_closed(view, item.meeting_id)
            meta = view.table(META_TABLE).get(META_ID, {})
            doc_id = view.next_id(ACTIONS_TABLE)
            number = _next_action_number(meta, view.table(ACTIONS_TABLE), str(int(doc_id) - 1))
            made = replace(item, id=f"A{number}")
            return Writes(
                [
                    Change(ACTIONS_TABLE, doc_id, to_doc(made)),
                    Change(META_TABLE, META_ID, {**meta, LAST_ACTION_KEY: number}),
                ],
                made,
            )

        return self._transact(mutate, "action.add", f"action added: {item.text[:60]}")

    def update_action(
        self, action_id: str, change: Callable[[ActionItem], ActionItem], *, kind: str, summary: str
    ) -> Saved[ActionItem]:
        """Change an action item as `change` says, applied to the item as it stands now."""
        wanted = normalise_action_id(action_id)
        where: list[str] = []

        def mutate(view: StoreView) -> Writes[ActionItem]:
            actions = view.table(ACTIONS_TABLE)
            key = self._action_key(actions, wanted)
            if key is None:
                raise _no_action(action_id)
            doc = actions[key]
            item = self._decoded_as(ActionItem, ACTIONS_TABLE, key, doc)
            new = change(item)
            where.append(key)
            return Writes([Change(ACTIONS_TABLE, key, _item_doc(new, item, doc))], new)

        saved = self._transact(mutate, kind, f"action {wanted}: {summary}")
        if saved.event is not None:
            # The stored document is now the one just written: keep its decoded form, so the
            # next change to a long-lived item does not decode its whole history again.
            stored = self.store.table(ACTIONS_TABLE).get(where[-1])
            cached = self._decoded.get(ACTIONS_TABLE)
            if cached is not None:
                cached[1][where[-1]] = (stored, saved.result)
        return saved

    def current_action(self, action_id: str) -> ActionItem:
        """The action item with this id (`A7` or `7`) as it stands now: what a change to it is
        checked against. Found by its id (`_action_key`), not by listing every item, so it
        costs the same at 10,000 items as at 10."""
        wanted = normalise_action_id(action_id)
        actions = self.store.table(ACTIONS_TABLE)
        key = self._action_key(actions, wanted)
        if key is None:
            raise _no_action(action_id)
        return self._decoded_as(ActionItem, ACTIONS_TABLE, key, actions[key])

    def _action_key(self, actions: Mapping[str, Mapping[str, Any]], wanted: str) -> str | None:
        """The doc id of the first item whose id is `wanted`, or None.

        An index of ids is kept between calls: an id names one item for good and its document
        keeps its doc id, so an entry checked against the table as it is now is right, and the
        index is built again (one look at every item) only when an entry misses: after opening,
        or when another seat or process added items.
        """
        index: dict[str, str] | None = getattr(self, "_action_keys", None)
        if index is None:
            index = self._action_keys = {}
        key = index.get(wanted)
        if key is not None:
            doc = actions.get(key)
            if doc is not None and doc.get("id") == wanted:
                return key
        index.clear()
        for doc_id, doc in actions.items():
            ident = doc.get("id")
            if isinstance(ident, str):
                index.setdefault(ident, doc_id)
        return index.get(wanted)

    def _decoded_as(self, cls: type[T], table: str, key: str, doc: Mapping[str, Any]) -> T:
        """`doc` decoded, from the cache when it is the very document decoded before."""
        cached = self._decoded.get(table)
        hit = cached[1].get(key) if cached is not None else None
        if hit is not None and hit[0] is doc:
            return hit[1]
        return self._decode(cls, doc, table)

    def new_meeting(
        self,
        day: date,
        *,
        title: str = "",
        place: str = "",
        chair: str = "",
        secretary: str = "",
        number: str = "",
        issuer: str = "",
        distribution: str = "",
        force: bool = False,
    ) -> Saved[Meeting]:
        """Plan a new meeting on `day`, with every area on the agenda; a second one that day
        only if `force` (another seat may have planned one since the meeting layer looked)."""
        plan = self.plan()
        title = title or _default_meeting_title(plan, day)

        def mutate(view: StoreView) -> Writes[Meeting]:
            docs = list(view.table(MEETINGS_TABLE).values())
            that_day = [str(d.get("id")) for d in docs if d.get("date") == day.isoformat()]
            if that_day and not force:
                raise same_day_error(day, that_day)
            ids = {d.get("id") for d in docs}
            ident, n = day.isoformat(), 2
            while ident in ids:
                ident, n = f"{day.isoformat()}-{n}", n + 1
            meeting = Meeting(
                id=ident,
                title=title,
                date=day,
                place=place,
                chair=chair,
                secretary=secretary,
                agenda=tuple(AgendaItem(a.number) for a in plan.areas),
                number=number,
                issuer=issuer,
                distribution=distribution,
            )
            return Writes([Change(MEETINGS_TABLE, view.next_id(MEETINGS_TABLE), to_doc(meeting))], meeting)

        return self._transact(mutate, "meeting.new", f"meeting planned for {day.isoformat()}")

    def update_meeting(
        self, meeting_id: str, change: Callable[[Meeting], Meeting], *, kind: str, summary: str
    ) -> Saved[Meeting]:
        """Change an open meeting as `change` says, applied to the meeting as it stands now
        (a closed one is refused: see `update_issue_details` for the one change it takes)."""

        def mutate(view: StoreView) -> Writes[Meeting]:
            key, doc = self._meeting_doc(view, meeting_id)
            meeting = self._decode(Meeting, doc, MEETINGS_TABLE)
            if meeting.state is MeetingState.CLOSED:
                raise closed_meeting_error(meeting_id)
            new = change(meeting)
            return Writes([Change(MEETINGS_TABLE, key, _kept_unmodelled(doc, to_doc(new)))], new)

        return self._transact(mutate, kind, f"meeting {meeting_id}: {summary}")

    def update_issue_details(
        self, meeting_id: str, change: Callable[[Meeting], Meeting], *, kind: str, summary: str
    ) -> Saved[Meeting]:
        """Change what a meeting's minutes are printed with (ISSUE_FIELDS: 期数, 印发机关, 分送),
        closed or not: the one change a closed meeting takes, since an office numbers and sends
        the minutes after the meeting. `change` may alter those fields alone; the rest of the
        document, a closed meeting's frozen figures included, is written back as it was. A
        change to nothing writes nothing."""

        def mutate(view: StoreView) -> Writes[Meeting]:
            key, doc = self._meeting_doc(view, meeting_id)
            meeting = self._decode(Meeting, doc, MEETINGS_TABLE)
            new = change(meeting)
            if replace(new, **{name: getattr(meeting, name) for name in ISSUE_FIELDS}) != meeting:
                raise ValueError("update_issue_details changes the issue details alone")
            updated = doc | {name: getattr(new, name) for name in ISSUE_FIELDS}
            if updated == doc:
                return Writes([], new)
            return Writes([Change(MEETINGS_TABLE, key, updated)], new)

        return self._transact(mutate, kind, f"meeting {meeting_id}: {summary}")

    def start_meeting(self, meeting_id: str) -> Saved[Meeting]:
        """Start a planned meeting; refused while another is in progress (checked under the lock)."""

        def mutate(view: StoreView) -> Writes[Meeting]:
            for doc in view.table(MEETINGS_TABLE).values():
                if doc.get("state") == MeetingState.IN_PROGRESS.value and doc.get("id") != meeting_id:
                    raise EntryError("meeting", f"meeting {doc.get('id')} is in progress; close it first")
            key, doc = self._meeting_doc(view, meeting_id)
            meeting = self._decode(Meeting, doc, MEETINGS_TABLE)
            if meeting.state is MeetingState.CLOSED:
                raise closed_meeting_error(meeting_id)
            new = replace(meeting, state=MeetingState.IN_PROGRESS)
            return Writes([Change(MEETINGS_TABLE, key, to_doc(new))], new)

        return self._transact(mutate, "meeting.start", f"meeting {meeting_id}: started")

    def publish_area(
        self,
        meeting_id: str,
        area: int | None,
        *,
        indicator: str = "",
        zoom: bool = False,
        blank: bool = False,
    ) -> Saved[int | None]:
        """Record what the chair's seat shows now at an open meeting: the area, the selected
        indicator, and whether its chart is zoomed or the projector blanked."""

        def mutate(view: StoreView) -> Writes[int | None]:
            self._refuse_closed(view, meeting_id)
            doc = {
                "meeting_id": meeting_id,
                "area": area,
                "indicator": indicator,
                "zoom": zoom,
                "blank": blank,
            }
            for key, existing in view.table(FOLLOW_TABLE).items():
                if existing.get("meeting_id") == meeting_id:
                    return Writes([Change(FOLLOW_TABLE, key, doc)], area)
            return Writes([Change(FOLLOW_TABLE, view.next_id(FOLLOW_TABLE), doc)], area)

        return self._transact(mutate, FOLLOW_KIND, f"meeting {meeting_id}: area {area}")

    def close_meeting(self, meeting_id: str, rules: str) -> Saved[Meeting]:
        """Close a meeting and freeze what it saw (`storage.snapshot`), judged by `rules`."""

        def mutate(view: StoreView) -> Writes[Meeting]:
            meetings = [self._decode(Meeting, d, MEETINGS_TABLE) for d in view.table(MEETINGS_TABLE).values()]
            key, doc = self._meeting_doc(view, meeting_id)
            meeting = self._decode(Meeting, doc, MEETINGS_TABLE)
            if meeting.state is MeetingState.CLOSED:
                raise EntryError("meeting", f"meeting {meeting_id} is already closed")
            actions = [self._decode(ActionItem, d, ACTIONS_TABLE) for d in view.table(ACTIONS_TABLE).values()]
            values_upto = max((int(k) for k in view.table(VALUES_TABLE)), default=0)
            snapshot = freeze(meeting, meetings, actions, values_upto=values_upto, rules=rules)
            new = replace(meeting, state=MeetingState.CLOSED)
            # Nobody follows a closed meeting's screen any more.
            followed = [
                Change(FOLLOW_TABLE, doc_id, None)
                for doc_id, doc in view.table(FOLLOW_TABLE).items()
                if doc.get("meeting_id") == meeting_id
            ]
            return Writes([Change(MEETINGS_TABLE, key, to_doc(new) | {"snapshot": snapshot}), *followed], new)

        return self._transact(mutate, CLOSE_KIND, f"meeting {meeting_id} closed")

    def last_undoable(self, seat: str, kinds: frozenset[str]) -> Event | None:
        """The latest event recorded on `seat`, of one of `kinds`, that is not an undo and has
        not been taken back; None if there is none. Looked for from the newest event back (an
        undo always comes after what it takes back), so it costs the events since, not the log."""
        undone: set[int] = set()
        for event in self.store.events_newest_first():
            if event.undoes is not None:
                undone.add(event.undoes)
            elif event.seat == seat and event.kind in kinds and event.seq not in undone:
                return event
        return None

    def undo(self, event: Event) -> Saved[Event]:
        """Take back `event`: every document it wrote goes back to what it was before.

        Refused, with nothing written, if a document has changed since, if a meeting has closed
        since (its minutes are frozen), or if taking back a new meeting would leave items or the
        chair's place pointing at nothing. All of it is checked under the lock, on fresh data.
        """

        def refuse(why: str) -> EntryError:
            return EntryError("seat", f"cannot undo “{event.summary}”: {why}")

        def mutate(view: StoreView) -> Writes[Event]:
            # Only the events since it are looked at: undo takes back recent changes.
            events = view.table(EVENTS_TABLE)
            since = (events.get(str(seq)) for seq in range(event.seq + 1, view.last_seq + 1))
            if any(doc is not None and doc.get("kind") == CLOSE_KIND for doc in since):
                raise refuse("a meeting has closed since and its minutes are frozen")
            frozen_upto = max(
                (
                    d["snapshot"].get("values_upto", 0)
                    for d in view.table(MEETINGS_TABLE).values()
                    if isinstance(d.get("snapshot"), dict)
                ),
                default=0,
            )
            taken_back: list[Change] = []
            pending: dict[tuple[str, str], dict[str, Any] | None] = {}
            # Last entry first: an event may change one document in steps.
            for entry in reversed(event.changes):
                table, doc_id = entry["table"], entry["doc_id"]
                current = (
                    pending[(table, doc_id)] if (table, doc_id) in pending else view.table(table).get(doc_id)
                )
                # Counters stay given and the store's own keys move on: neither is compared
                # nor taken back.
                ignored = (*COUNTER_KEYS, *ENGINE_META_KEYS) if table == META_TABLE else ()
                if not changes.holds(current, entry, ignore=ignored):
                    raise refuse("it was changed since; change it back by hand")
                before = changes.undone(current, entry, keep=ignored)
                inserted = current is not None and before is None
                if table == VALUES_TABLE and inserted and int(doc_id) <= frozen_upto:
                    raise refuse("a closed meeting's minutes show that value")
                if table == MEETINGS_TABLE and inserted:
                    self._refuse_if_referenced(view, current.get("id"), refuse)
                pending[(table, doc_id)] = before
                taken_back.append(Change(table, doc_id, before))
            return Writes(taken_back, event)

        return self._transact(mutate, "undo", f"undo: {event.summary}", undoes=event.seq)

    def _refuse_if_referenced(self, view: StoreView, meeting_id: str, refuse) -> None:
        """A meeting may go only while nothing points at it."""
        for table, key in ((ACTIONS_TABLE, "meeting_id"), (FOLLOW_TABLE, "meeting_id")):
            if any(d.get(key) == meeting_id for d in view.table(table).values()):
                raise refuse(f"meeting {meeting_id} has records of its own now")

    def _meeting_doc(self, view: StoreView, meeting_id: str) -> tuple[str, Mapping[str, Any]]:
        for key, doc in view.table(MEETINGS_TABLE).items():
            if doc.get("id") == meeting_id:
                return key, doc
        raise EntryError("meeting", f"no meeting {meeting_id!r}")

    def _refuse_closed(self, view: StoreView, meeting_id: str) -> None:
        _, doc = self._meeting_doc(view, meeting_id)
        if doc.get("state") == MeetingState.CLOSED.value:
            raise closed_meeting_error(meeting_id)


@dataclass(frozen=True)
class Followed:
    """What the chair's seat shows, for the other seats to follow."""

    area: int | None
    """An area's number, 0 for 回头看, None for the overview."""
    indicator: str = ""
    zoom: bool = False
    blank: bool = False


LAST_ACTION_KEY = "last_action_number"
"""In the meta document: the highest action number ever given."""

COUNTER_KEYS = (LAST_ACTION_KEY,)
"""Meta keys undo never takes back."""


def _next_action_number(
    meta: Mapping[str, Any], actions: Mapping[str, Mapping[str, Any]], newest_key: str
) -> int:
    """The number the next new action item gets: one past the highest ever given.

    That is kept in meta (`LAST_ACTION_KEY`), so an add costs the same at 10,000 items as at
    10. Every item is looked at only when meta has no such number (a database from before it
    was kept) or the newest item (`newest_key`, the highest doc id) has a higher one (an item
    added by a script that did not count it).
    """
    given = meta.get(LAST_ACTION_KEY)
    if not isinstance(given, int) or isinstance(given, bool) or given < 0:
        given = None
    newest = actions.get(newest_key)
    newest_number = action_number(str(newest.get("id", ""))) if newest is not None else 0
    if given is not None and newest_number <= given:
        return given + 1
    numbers = (action_number(str(doc.get("id", ""))) for doc in actions.values())
    return max(max(numbers, default=0), given or 0) + 1


CLOSE_KIND = "meeting.close"
"""The event kind of closing a meeting."""

FOLLOW_KIND = "meeting.follow"
"""The event kind of the chair's seat saying which area it shows."""


def _item_doc(new: ActionItem, old: ActionItem, old_doc: Mapping[str, Any]) -> dict[str, Any]:
    """`new` as a document; history it shares with `old` is taken from `old_doc` as stored,
    so a change to an item with a long history encodes only what is new."""
    kept = len(old.history)
    if len(new.history) < kept or any(a is not b for a, b in zip(new.history, old.history, strict=False)):
        return to_doc(new)
    doc = to_doc(replace(new, history=()))
    doc["history"] = [*old_doc.get("history", []), *(to_doc(h) for h in new.history[kept:])]
    return doc


class MeetingOnThatDay(EntryError):
    """A new meeting asked for on a day that already has one."""


def same_day_error(day: date, meeting_ids: Sequence[str]) -> MeetingOnThatDay:
    """The refusal of a second meeting on `day`, naming the meetings it already has."""
    return MeetingOnThatDay(
        "date",
        f"a meeting on {day.isoformat()} already exists ({', '.join(sorted(meeting_ids))}); "
        "plan another on the same day only if you mean it",
    )


def closed_meeting_error(meeting_id: str) -> EntryError:
    """The refusal for a record made at a closed meeting."""
    return EntryError(
        "meeting", f"meeting {meeting_id} is closed and its minutes frozen; record it at a later meeting"
    )


def _no_action(action_id: str) -> EntryError:
    return EntryError("id", f"no action item {action_id!r}; `zzreview actions list` shows the ids")


def _default_meeting_title(plan: Plan, day: date) -> str:
    if plan.language == "zh":
        return f"{plan.short_title or plan.title}调度会（{day.year}年{day.month}月）"
    return f"{plan.title_en or plan.title} review ({day:%B %Y})"
