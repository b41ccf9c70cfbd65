"""The plan's status kept between commands, for the database exactly as it was read.

A `zzreview status` at city scale spends most of its time decoding 60,000 values and judging
1,000 indicators, and gives the same answer until something is saved. The answer is kept in the
user's cache folder under a name worked out from everything it depends on: the database's id,
its file and journal exactly as read (stat keys, the journal's length, the last event), the date,
the rule preset, and the code that judges (its files' stat keys). Any save changes the journal,
so the next status works it out afresh; nothing else ever reads the cache, and a cache that
cannot be read or written is passed by without a word (it is a saving, never a source).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from zzreview import analysis, domain
from zzreview.analysis import PlanStatus, RulePreset
from zzreview.locations import cache_dir
from zzreview.storage.repository import Repository

KEEP = 8
"""How many answers are kept (the newest); older ones are removed as a new one is written."""
WORTH_FROM = 2_000_000
"""The size of database file from which keeping pays (the demo's 0.2 MB is judged afresh in
less time than the cache's own modules take to load)."""
FORMAT = 1
"""Bumped when what is kept changes shape."""


def kept_status(
    repo: Repository, day: date, rules: RulePreset, compute: Callable[[], PlanStatus]
) -> PlanStatus:
    """`compute()`, or the answer it gave before for this very database state, date and preset."""
    token = repo.store.state_token
    if token is None or token[1][2] < WORTH_FROM:
        return compute()
    import pickle

    folder = cache_dir() / "status"
    name = _name(repo.store.path, token, day, rules)
    path = folder / f"{name}.pickle"
    try:
        with open(path, "rb") as handle:
            kept = pickle.load(handle)
    except FileNotFoundError:
        pass
    except Exception:
        pass
    else:
        if isinstance(kept, PlanStatus) and kept.as_of == day and kept.rules == rules:
            return kept
    status = compute()
    _keep(folder, path, status)
    return status


def _name(db: Path | None, token: tuple, day: date, rules: RulePreset) -> str:
    import hashlib

    code = tuple(_stat(path) for path in _judging_code())
    text = repr((FORMAT, str(db), token, day.isoformat(), rules, code))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _judging_code() -> list[Path]:
    folders = [Path(analysis.__file__).parent, Path(domain.__file__).parent]
    return sorted(path for folder in folders for path in folder.glob("*.py"))


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (path.name, -1, -1)
    return (path.name, st.st_size, st.st_mtime_ns)


def _keep(folder: Path, path: Path, status: PlanStatus) -> None:
    import pickle
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")  # private to this user (0600)
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(status, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full cache folder: the answer was worked out all the same
