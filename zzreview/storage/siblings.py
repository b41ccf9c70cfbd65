"""Conflict copies a sync tool left beside the database.

When two machines change a synced file before either hears of the other's change, the tool
keeps one version under the name and saves the other beside it: Syncthing as
``NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.EXT``, Dropbox as ``NAME (Wang's conflicted copy
YYYY-MM-DD).EXT``, Nextcloud as ``NAME (conflicted copy YYYY-MM-DD HHMMSS).EXT``; a numbered
backup that a copying tool or an editor leaves is ``NAME.~1~``. The copy may
hold changes the database lacks, and nothing merges them on its own: `check` reports each one
and a session can warn at start. Copies of the journal count too.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from pathlib import Path

from zzreview.storage.journal import JOURNAL_SUFFIX


def conflict_copies(path: Path) -> list[Path]:
    """The sync tools' conflict copies of the database at `path` and of its journal, in name
    order; beside a symlink's target too, where the sync tool works."""
    path = Path(path)
    originals = [path]
    try:
        # Only a link as the last part names another file: a linked folder lists as its target.
        if os.path.islink(path):
            target = path.resolve()
            if target != path.parent.resolve() / path.name:
                originals.append(target)
    except (OSError, RuntimeError):
        pass  # a symlink loop: only the folder as given
    found: set[Path] = set()
    for original in originals:
        patterns = (_pattern(original.name), _pattern(f"{original.name}{JOURNAL_SUFFIX}"))
        # Every copy's name starts with the database's stem: most entries need no pattern.
        stem = os.path.splitext(original.name)[0].lower()
        try:
            with os.scandir(original.parent) as entries:
                for entry in entries:
                    name = entry.name
                    if (
                        name.lower().startswith(stem)
                        and any(p.fullmatch(name) for p in patterns)
                        and entry.is_file()
                    ):
                        found.add(original.parent / name)
        except OSError:
            continue  # a folder that cannot be listed has no copies we could report
    return sorted(found)


def conflict_problems(path: Path) -> list[str]:
    """One line for each conflict copy beside the database at `path`, saying what to do."""
    return [
        f"{copy} is a sync tool's conflict copy of {_original_name(path, copy)}: it may hold "
        f"changes this database lacks; compare the two, merge those changes by hand, then "
        f"remove the copy"
        for copy in conflict_copies(path)
    ]


def conflict_warning(path: Path, copies: Sequence[Path] | None = None, *, appeared: bool = False) -> str:
    """One line warning of the conflict copies beside the database at `path`; "" if none.

    Args:
        copies: the copies to name (default: every one there now).
        appeared: say that they appeared while the database was open.
    """
    copies = conflict_copies(path) if copies is None else list(copies)
    if not copies:
        return ""
    names = ", ".join(copy.name for copy in copies[:3]) + (", …" if len(copies) > 3 else "")
    what = "a sync tool's conflict copy" if len(copies) == 1 else f"{len(copies)} sync tools' conflict copies"
    where = "appeared beside it" if appeared else "beside it"
    return (
        f"{path}: {what} {where} ({names}) may hold changes it lacks: merge them by hand, "
        f"then remove the copies (`zzreview --db {path} check` lists them)"
    )


@functools.lru_cache(maxsize=64)
def _pattern(name: str) -> re.Pattern[str]:
    stem, ext = os.path.splitext(name)
    stem, ext, name = re.escape(stem), re.escape(ext), re.escape(name)
    dropbox = r" \([^()]*conflicted copy[^()]*\)(?: \(\d+\))?"
    return re.compile(
        "|".join(
            [
                rf"{stem}\.sync-conflict-[^.]*{ext}",  # Syncthing puts its mark before the extension
                rf"{name}\.sync-conflict-[^.]*",
                rf"{stem}{dropbox}{ext}",
                rf"{name}{dropbox}",
                rf"{name}\.~[^/\\]+",  # a numbered backup: NAME.~1~
            ]
        ),
        re.IGNORECASE,
    )


def _original_name(path: Path, copy: Path) -> str:
    journal = f"{path.name}{JOURNAL_SUFFIX}"
    for original in (journal, Path(os.path.realpath(path)).name + JOURNAL_SUFFIX):
        if _pattern(original).fullmatch(copy.name):
            return f"its journal {original}"
    return Path(path).name
