"""`zzreview check`: every document readable, every reference pointing at something real, no
text that is not text, and no sync tool's conflict copy beside the file."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from zzreview.domain import ActionItem, DataPoint, Meeting, MeetingState
from zzreview.domain.text import SURROGATES
from zzreview.storage.codec import CodecError, from_doc
from zzreview.storage.errors import StoreError
from zzreview.storage.layout import (
    ACTIONS_TABLE,
    EVENTS_TABLE,
    FOLLOW_TABLE,
    MEETINGS_TABLE,
    META_TABLE,
    PLAN_TABLE,
    VALUES_TABLE,
)
from zzreview.storage.repository import Repository
from zzreview.storage.siblings import conflict_problems
from zzreview.storage.snapshot import frozen_items

EVENT_TEXT = ("who", "seat", "kind", "summary")
"""The parts of an event shown to people. Its before and after are history, never shown as
text: a document an undo brings back is decoded like any other."""


def check_repository(repo: Repository) -> list[str]:
    """Every problem found, one line each; an empty list means the database is sound."""
    path = repo.store.path
    beside = conflict_problems(path) if path is not None else []
    try:
        repo.store.read_every_table()  # another program's table too: a check reads it all
        plan = repo.plan()
    except StoreError as error:
        return [str(error), *beside]
    indicators = {i.id for i in plan.indicators}
    measures = {m.id for m in plan.measures}
    areas = {a.number for a in plan.areas}
    problems: list[str] = []
    meetings: dict[str, Meeting] = {}
    for key, doc in repo.store.table(MEETINGS_TABLE).items():
        try:
            meeting = from_doc(Meeting, doc, f"{MEETINGS_TABLE}[{key}]")
        except CodecError as error:
            problems.append(str(error))
            continue
        if meeting.id in meetings:
            problems.append(f"{MEETINGS_TABLE}[{key}]: meeting id {meeting.id!r} is used twice")
        meetings[meeting.id] = meeting
        problems.extend(
            f"{MEETINGS_TABLE}[{key}]: agenda names area {item.area_number}, which the plan lacks"
            for item in meeting.agenda
            if item.area_number not in areas
        )
        problems.extend(_snapshot_problems(key, doc, meeting))
    for key, doc in repo.store.table(VALUES_TABLE).items():
        try:
            point = from_doc(DataPoint, doc, f"{VALUES_TABLE}[{key}]")
        except CodecError as error:
            problems.append(str(error))
            continue
        if point.indicator_id not in indicators:
            problems.append(f"{VALUES_TABLE}[{key}]: value for unknown indicator {point.indicator_id!r}")
    seen: set[str] = set()
    for key, doc in repo.store.table(ACTIONS_TABLE).items():
        try:
            item = from_doc(ActionItem, doc, f"{ACTIONS_TABLE}[{key}]")
        except CodecError as error:
            problems.append(str(error))
            continue
        where = f"{ACTIONS_TABLE}[{key}] ({item.id})"
        if item.id in seen:
            problems.append(f"{where}: action id is used twice")
        seen.add(item.id)
        if item.meeting_id not in meetings:
            problems.append(f"{where}: raised at unknown meeting {item.meeting_id!r}")
        if item.measure_id and item.measure_id not in measures:
            problems.append(f"{where}: linked to unknown measure {item.measure_id!r}")
        if item.area_number is not None and item.area_number not in areas:
            problems.append(f"{where}: in unknown area {item.area_number}")
    for key, doc in repo.store.table(FOLLOW_TABLE).items():
        if doc.get("meeting_id") not in meetings:
            problems.append(
                f"{FOLLOW_TABLE}[{key}]: the chair's area at unknown meeting {doc.get('meeting_id')!r}"
            )
    problems.extend(_surrogate_problems(repo))
    problems.extend(beside)
    return problems


def _surrogate_problems(repo: Repository) -> list[str]:
    """Where text holds a surrogate code point: valid as a JSON escape ("\\ud800"), but not a
    character, so it is shown as U+FFFD and cannot be printed or exported as it is."""
    problems = []
    for table in (META_TABLE, PLAN_TABLE, VALUES_TABLE, MEETINGS_TABLE, ACTIONS_TABLE, FOLLOW_TABLE):
        docs = repo.store.table(table)
        if table == MEETINGS_TABLE:  # what closed meetings froze, packed, is text too
            docs = {key: _unpacked(doc) for key, doc in docs.items()}
        try:
            # One pass in C over the whole table; only a table that fails it is walked.
            json.dumps(dict(docs), ensure_ascii=False).encode("utf-8")
        except ValueError:  # UnicodeEncodeError is one
            pass
        else:
            continue
        for key, doc in docs.items():
            problems.extend(_surrogate_lines(doc, f"{table}[{_shown(key)}]"))
    for key, event in repo.store.table(EVENTS_TABLE).items():
        for field in EVENT_TEXT:
            problems.extend(_surrogate_lines(event.get(field), f"{EVENTS_TABLE}[{_shown(key)}].{field}"))
    return problems


def _unpacked(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    """A meeting document with its snapshot's packed items as the list they stand for."""
    frozen = doc.get("snapshot")
    if not isinstance(frozen, dict) or not isinstance(frozen.get("actions"), str):
        return doc
    try:
        items = frozen_items(frozen)
    except ValueError:
        return doc  # reported by the snapshot's own check
    return {**doc, "snapshot": {**frozen, "actions": items}}


def _surrogate_lines(value: Any, where: str) -> Iterator[str]:
    for place, text in _surrogates_in(value, where):
        codes = ", ".join(sorted({_shown(c) for c in SURROGATES.findall(text)}))
        yield (
            f"{place}: holds {codes}, which is not a character (a lone surrogate): it is shown "
            f"as U+FFFD (\ufffd); retype that text, or fix it in the file"
        )


def _surrogates_in(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(place, text) for each piece of text under `value` that holds a surrogate."""
    if isinstance(value, str):
        if not value.isascii() and SURROGATES.search(value):
            yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            key = str(key)
            if SURROGATES.search(key):
                yield f"{where}.{_shown(key)} (in its name)", key
            yield from _surrogates_in(item, f"{where}.{_shown(key)}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _surrogates_in(item, f"{where}[{index}]")


def _shown(text: str) -> str:
    """`text` with each surrogate written as its escape, so the message itself can be printed."""
    return SURROGATES.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _snapshot_problems(key: str, doc: dict, meeting: Meeting) -> list[str]:
    """A closed meeting's frozen figures must be readable, or its minutes cannot be made."""
    where = f"{MEETINGS_TABLE}[{key}] ({meeting.id}).snapshot"
    frozen = doc.get("snapshot")
    if frozen is None:
        return (
            [f"{where}: missing; a closed meeting keeps what it saw"]
            if meeting.state is MeetingState.CLOSED
            else []
        )
    if not isinstance(frozen, dict):
        return [f"{where}: expected an object"]
    problems = []
    try:
        date.fromisoformat(frozen.get("as_of", ""))
    except (TypeError, ValueError):
        problems.append(f"{where}.as_of: expected a date like 2024-10-31")
    if not isinstance(frozen.get("values_upto"), int) or isinstance(frozen.get("values_upto"), bool):
        problems.append(f"{where}.values_upto: expected a whole number")
    try:
        items = frozen_items(frozen)
    except ValueError as error:
        problems.append(f"{where}.actions: {error}")
        items = []
    for index, action in enumerate(items):
        try:
            from_doc(ActionItem, action, f"{where}.actions[{index}]")
        except CodecError as error:
            problems.append(str(error))
    if frozen.get("next_meeting"):
        try:
            from_doc(Meeting, frozen["next_meeting"], f"{where}.next_meeting")
        except CodecError as error:
            problems.append(str(error))
    return problems
