"""The layout of a database: the names of its tables and of the store's own meta keys.

A database is a TinyDB JSON file, ``{table: {doc_id: document}}``. The store owns two tables
— "meta" (one document, id 1: the schema version, the database's id, the last event folded
into the checkpoint) and "events" (the event log) — and the repository the rest. Every module
that names a table takes the name from here.
"""

from __future__ import annotations

from typing import Any

Tables = dict[str, dict[str, dict[str, Any]]]
"""A whole database in memory: table name -> doc id -> document."""

META_TABLE = "meta"
META_ID = "1"
EVENTS_TABLE = "events"
LAYOUT_KEY = "layout"
"""In the meta document as written to the file: [[table, bytes, largest doc id], …] for each
table after it (storage.lazy). Written afresh with the file, taken out as it is read: not data."""
# Meta keys the store owns: a change to the meta document keeps the store's values for them.
ENGINE_META_KEYS = ("schema_version", "db_id", "journal_seq")

PLAN_TABLE = "plan"
VALUES_TABLE = "values"
MEETINGS_TABLE = "meetings"
ACTIONS_TABLE = "actions"
FOLLOW_TABLE = "follow"
"""One document per meeting, {meeting_id, area}: the area the chair's seat shows now. Kept apart
from the meeting's own document, so the chair moving on never reads as a change to the record."""

OWN_TABLES = frozenset(
    {META_TABLE, EVENTS_TABLE, PLAN_TABLE, VALUES_TABLE, MEETINGS_TABLE, ACTIONS_TABLE, FOLLOW_TABLE}
)
"""Every table zzreview keeps; anything else in a file is another program's, kept as it is."""
