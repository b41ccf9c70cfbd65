"""What a refusal tells a person to do, and the backups it can point them to.

A file the store cannot use (missing, empty, not JSON, the wrong shape, a newer schema, locked,
read-only) raises `StoreError` with one line that names it and says what to do; such a file is
never rewritten, renamed or deleted. The fix named is the nearest one at hand: the newest
backup beside the file (PATH.bak-…, made before a migration or a forced ``init``) if there is
one, else starting afresh. Backup names carry a UTC timestamp and never take a name in use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from zzreview.storage.journal import JOURNAL_SUFFIX


def utc_now() -> datetime:
    """The current time, in UTC: the store's clock unless it is given another."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive time is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def timestamp(clock: Callable[[], datetime]) -> str:
    """The clock's time as a backup name carries it, e.g. 20241031T091203."""
    return as_utc(clock()).strftime("%Y%m%dT%H%M%S")


def unused_name(base: Path) -> Path:
    """`base`, or `base-2`, `base-3`… if it is taken."""
    candidate, n = base, 2
    while candidate.exists() or Path(f"{candidate}{JOURNAL_SUFFIX}").exists():
        candidate, n = Path(f"{base}-{n}"), n + 1
    return candidate


def newest_backup(path: Path) -> Path | None:
    """The most recent non-empty backup beside `path` (PATH.bak-…), if there is one."""
    prefix = f"{path.name}.bak-"
    best: tuple[int, Path] | None = None
    try:
        names = os.listdir(path.parent)
    except OSError:
        return None
    for name in names:
        if not name.startswith(prefix) or name.endswith((JOURNAL_SUFFIX, ".tmp")):
            continue
        candidate = path.parent / name
        try:
            st = candidate.stat()
        except OSError:
            continue
        if st.st_size and (best is None or st.st_mtime_ns > best[0]):
            best = (st.st_mtime_ns, candidate)
    return best[1] if best else None


BACKUPS_KEPT = 5
"""How many good backups of a database are kept beside it; older ones go."""


def _is_database(path: Path) -> bool:
    """Whether `path` holds a readable database (a JSON object with a meta document)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("meta"), dict) and "1" in data["meta"]


def rotate_backups(path: Path, keep: int = BACKUPS_KEPT) -> list[Path]:
    """Remove the oldest good backups beside `path` beyond the newest `keep`, with their journals.

    Only backups that are readable databases count or go: a copy of a corrupt file never
    pushes a good backup out, and is itself kept for whoever wants to look at it.
    Returns the backups removed.
    """
    prefix = f"{path.name}.bak-"
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    good = []
    for name in names:
        if not name.startswith(prefix) or name.endswith((JOURNAL_SUFFIX, ".tmp")):
            continue
        candidate = path.parent / name
        try:
            made = candidate.stat().st_ctime_ns  # copying keeps mtime; ctime says when it was made
        except OSError:
            continue
        if _is_database(candidate):
            good.append((made, name, candidate))
    good.sort()
    removed = []
    for _, _, old in good[: max(0, len(good) - keep)]:
        for victim in (old, Path(f"{old}{JOURNAL_SUFFIX}")):
            with suppress(FileNotFoundError):
                victim.unlink()
        removed.append(old)
    return removed


def missing_message(path: Path) -> str:
    """There is no database at `path`: how to make one."""
    return f"no database at {path}: create one with `zzreview --db {path} init`"


def folder_message(path: Path) -> str:
    """`path` names a folder where a database file was meant."""
    return f"{path} is a folder, not a database file: name a file"


def start_afresh_hint(path: Path) -> str:
    """How to replace the database at `path` with a new one, keeping the old as a backup."""
    return f"run `zzreview --db {path} init --force` to start afresh (the old file is kept as a backup)"


def recovery_hint(path: Path) -> str:
    """How to get a usable database back at `path`: from its newest backup, or afresh."""
    backup = newest_backup(path)
    if backup is not None:
        return f"restore it from {backup} (copy it over {path.name}), or {start_afresh_hint(path)}"
    return start_afresh_hint(path)
