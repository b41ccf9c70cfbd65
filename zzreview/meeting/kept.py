"""What a command works out kept between commands, for the database exactly as it was read.

A `zzreview status` at city scale spends most of its time decoding 60,000 values and judging
1,000 indicators, an `export` as long again drawing 120 charts, and each gives the same answer
until something is saved. The answer is kept in the user's cache folder under a name worked out
from everything it depends on: the database's id, its file and journal exactly as read (stat
keys, the journal's length, the last event), what was asked (the date, the rule preset, the
meeting, the language…), and the code that works it out (its files' stat keys). Any save changes
the journal, so the next command works it out afresh; nothing but these commands reads the
cache, and a cache that cannot be read or written is passed by without a word: it is a saving,
never a source.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from zzreview import analysis, domain, i18n, rendering, storage
from zzreview.analysis import PlanStatus, RulePreset
from zzreview.domain import ActionItem
from zzreview.locations import cache_dir
from zzreview.storage.layout import ACTIONS_TABLE
from zzreview.storage.repository import Repository

T = TypeVar("T")

KEEP = 8
"""How many answers of a kind are kept (the newest); older ones go as a new one is written."""
WORTH_FROM = 2_000_000
"""The size of database file from which keeping pays (the demo's 0.2 MB is worked out afresh
in less time than the cache's own modules take to load)."""
FORMAT = 1
"""Bumped when what is kept changes shape."""
_CODE = (analysis, domain, i18n, rendering, storage)
"""The packages whose code an answer comes from (with this one's): a change to any, and every
answer is worked out again."""
_LIBRARIES = ("docx",)
"""Libraries whose version shapes an answer (the Word document's bytes): their package's
files are stamped too, found without importing them."""


def kept(repo: Repository, kind: str, asked: tuple, make: Callable[[], T], expect: type[T]) -> T:
    """`make()`, or what it gave before for this very database state and question `asked`.

    `kind` names the folder the answers are kept in; an answer read back that is not an
    `expect` (another version's, cut short) is made again.
    """
    token = repo.store.state_token
    if token is None or token[1][2] < WORTH_FROM:
        return make()
    import pickle

    folder = cache_dir() / kind
    path = folder / f"{_name(repo.store.path, token, asked)}.pickle"
    try:
        with open(path, "rb") as handle:
            answer = pickle.load(handle)
    except Exception:
        pass
    else:
        if isinstance(answer, expect):
            return answer
    answer = make()
    _keep(folder, path, answer)
    return answer


def kept_status(
    repo: Repository, day: date, rules: RulePreset, compute: Callable[[], PlanStatus]
) -> PlanStatus:
    """`compute()`, or the status it gave before for this database state, date and preset."""
    return kept(repo, "status", (day.isoformat(), rules), compute, PlanStatus)


def kept_review(
    repo: Repository, meeting_id: str, work_out: Callable[[], tuple[ActionItem, ...]]
) -> tuple[ActionItem, ...]:
    """`work_out()`: the items meeting `meeting_id` reviews (回头看), or those it gave before
    for this database state. The meeting app's first screen: kept, a launch at city scale
    reads none of the other items (7 MB of 10,000) before that screen is up. Once this
    process has read the items, `work_out()` (the repository remembers its answer): a view
    rebuilt after each save neither looks for nor writes a kept answer."""
    if repo.store.has_read(ACTIONS_TABLE):
        return work_out()
    return kept(repo, "review", (meeting_id,), work_out, tuple)


def _name(db: Path | None, token: tuple, asked: tuple) -> str:
    import hashlib

    code = tuple(_stat(path) for path in _code_files())
    text = repr((FORMAT, str(db), token, asked, code))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _code_files() -> list[Path]:
    import importlib.util

    folders = [Path(package.__file__).parent for package in _CODE]
    folders.append(Path(__file__).parent)
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent)
    return sorted(path for folder in folders for path in folder.glob("*.py"))


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (path.name, -1, -1)
    return (path.name, st.st_size, st.st_mtime_ns)


def _keep(folder: Path, path: Path, answer: object) -> None:
    import pickle
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")  # private to this user (0600)
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(answer, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        answers = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in answers[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full cache folder: the answer was made all the same
