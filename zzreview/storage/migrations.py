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
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from zzreview.storage.durable import copy_durably, dumps
from zzreview.storage.errors import StoreError
from zzreview.storage.hints import timestamp, unused_name
from zzreview.storage.journal import JOURNAL_SUFFIX
from zzreview.storage.layout import META_ID, META_TABLE, Tables
from zzreview.storage.shapes import shape_problem

SCHEMA_VERSION = 1
"""The layout of the tables this code reads and writes; stored in the meta document."""

MIGRATIONS: dict[int, Callable[[dict], dict]] = {}
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
