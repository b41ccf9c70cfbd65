"""The schema version and the steps that bring an older database up to it.

The meta document records the schema a database was written in. A newer one is refused (this
zzreview cannot know its layout); an older one is migrated on open: the file and its journal
are first copied to PATH.bak-v{N}-{timestamp}, the journal is replayed on the old schema (its
events were written in it), then each step in `MIGRATIONS` runs on a copy of the tables and the
result is checkpointed. A step that fails, or gives a bad database, leaves the file unchanged.
A read-only store migrates in memory only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from zzreview.storage.changes import entry
from zzreview.storage.durable import copy_durably, dumps
from zzreview.storage.errors import StoreError
from zzreview.storage.hints import timestamp, unused_name
from zzreview.storage.journal import JOURNAL_SUFFIX
from zzreview.storage.layout import ACTIONS_TABLE, EVENTS_TABLE, MEETINGS_TABLE, META_ID, META_TABLE, Tables
from zzreview.storage.shapes import shape_problem

SCHEMA_VERSION = 3
"""The layout of the tables this code reads and writes; stored in the meta document.

1: an action item's history entries say what changed as text ("raised", "status open -> done");
   a meeting document holds the area on screen (`current_area`).
2: history entries say it in fields: kind (raised / status / edited), before, after, fields;
   the area the chair's seat shows lives in the "follow" table.
3: an event records what changed of each document (`storage.changes`), not the document
   before and after whole: the event log grows with the edits, not with the items' size.
"""

_STATUS_TEXT = re.compile(r"status (\w+) -> (\w+)")


def _structured_entry(entry: Any) -> Any:
    """One schema-1 history entry in schema 2's fields."""
    if not isinstance(entry, dict) or "change" not in entry:
        return entry
    entry = dict(entry)
    change = entry.pop("change")
    match = _STATUS_TEXT.fullmatch(change) if isinstance(change, str) else None
    if change == "raised":
        entry["kind"] = "raised"
    elif match:
        entry |= {"kind": "status", "before": match.group(1), "after": match.group(2)}
    else:
        # Free text no schema-1 writer made; kept, as evidence, so nothing is lost.
        entry |= {"kind": "edited", "evidence": entry.get("evidence") or str(change)}
    return entry


def _structured_item(doc: Any) -> Any:
    if not isinstance(doc, dict) or not isinstance(doc.get("history"), list):
        return doc
    return {**doc, "history": [_structured_entry(e) for e in doc["history"]]}


def _schema_2_meeting(doc: Any) -> Any:
    """A meeting document in schema 2: the actions its snapshot froze get structured history,
    and the area on screen, which schema 2 keeps in its own table, leaves the document."""
    if not isinstance(doc, dict):
        return doc
    doc = {k: v for k, v in doc.items() if k != "current_area"}
    snapshot = doc.get("snapshot")
    if isinstance(snapshot, dict):
        snapshot = dict(snapshot)
        if isinstance(snapshot.get("actions"), list):
            snapshot["actions"] = [_structured_item(a) for a in snapshot["actions"]]
        if isinstance(snapshot.get("next_meeting"), dict):
            snapshot["next_meeting"] = _schema_2_meeting(snapshot["next_meeting"])
        doc["snapshot"] = snapshot
    return doc


_SCHEMA_2_DOCS = {ACTIONS_TABLE: _structured_item, MEETINGS_TABLE: _schema_2_meeting}


def structured_history(tables: Tables) -> Tables:
    """Schema 1 → 2: action items' history entries get fields instead of a sentence, and the
    area on screen leaves the meeting documents — in the tables, in closed meetings' snapshots,
    and in the event log's before and after (journal records replayed on open included)."""
    for table, upgrade in _SCHEMA_2_DOCS.items():
        tables[table] = {k: upgrade(d) for k, d in tables.get(table, {}).items()}
    for event in tables.get(EVENTS_TABLE, {}).values():
        for change in event.get("changes", []):
            upgrade = _SCHEMA_2_DOCS.get(change.get("table")) if isinstance(change, dict) else None
            if upgrade is not None:
                for side in ("before", "after"):
                    change[side] = upgrade(change.get(side))
    return tables


def field_diffs(tables: Tables) -> Tables:
    """Schema 2 → 3: each event's changes become entries of what changed."""
    for event in tables.get(EVENTS_TABLE, {}).values():
        event["changes"] = [
            change
            if not isinstance(change, dict) or "op" in change or "after" not in change
            else entry(change["table"], change["doc_id"], change.get("before"), change["after"])
            for change in event.get("changes", [])
        ]
    return tables


MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {1: structured_history, 2: field_diffs}
"""From-version -> function taking the tables at that version and returning them at version + 1."""


def refuse_newer(path: Path, version: int) -> None:
    """Raise StoreError if `version` is newer than this code reads."""
    if version > SCHEMA_VERSION:
        raise StoreError(
            path,
            f"{path} was written by a newer zzreview (schema {version}, this one reads up "
            f"to {SCHEMA_VERSION}): upgrade zzreview",
        )


def refuse_missing_steps(path: Path, from_version: int) -> None:
    """Raise StoreError if some step from `from_version` up to the current schema is missing."""
    missing = [v for v in range(from_version, SCHEMA_VERSION) if v not in MIGRATIONS]
    if missing:
        raise StoreError(
            path,
            f"{path} uses schema {from_version} and this zzreview cannot migrate it "
            f"(no step from schema {missing[0]}): open it with the zzreview that wrote it",
        )


def back_up(path: Path, from_version: int, clock: Callable[[], datetime], *, journal: bool) -> Path:
    """Copy `path` (and its journal, if `journal`) to PATH.bak-v{N}-{timestamp}; return the copy."""
    backup = unused_name(Path(f"{path}.bak-v{from_version}-{timestamp(clock)}"))
    copy_durably(path, backup)
    if journal:
        copy_durably(Path(f"{path}{JOURNAL_SUFFIX}"), Path(f"{backup}{JOURNAL_SUFFIX}"))
    return backup


def migrate(tables: Tables, from_version: int, path: Path, backup: Path | None) -> Tables:
    """`tables` (at `from_version`) brought up to `SCHEMA_VERSION`; `tables` itself is left as is.

    Raises StoreError naming `path`, and `backup` if there is one, when a step fails or gives
    something that is not a database.
    """
    # Migrations get a copy: one that fails half-way leaves the loaded state intact.
    tables = json.loads(dumps(tables))
    engine_meta = {k: tables[META_TABLE][META_ID][k] for k in ("db_id", "journal_seq")}
    kept = f"; the original is kept at {backup}" if backup else ""
    for version in range(from_version, SCHEMA_VERSION):
        try:
            tables = MIGRATIONS[version](tables)
        except Exception as error:
            raise StoreError(
                path,
                f"migrating {path} from schema {version} failed ({type(error).__name__}: "
                f"{error}): {path.name} is unchanged{kept}",
            ) from error
        problem = shape_problem(tables)
        if problem:
            raise StoreError(
                path,
                f"migrating {path} from schema {version} gave a bad database ({problem}): "
                f"{path.name} is unchanged{kept}",
            )
        meta = tables[META_TABLE][META_ID]
        tables[META_TABLE][META_ID] = {**meta, **engine_meta, "schema_version": version + 1}
    return tables
