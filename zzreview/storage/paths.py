"""Which files a database path names, and which of them can be a database at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from zzreview.storage.errors import StoreError, why
from zzreview.storage.hints import folder_message
from zzreview.storage.journal import JOURNAL_SUFFIX


def through_links(path: Path) -> Path:
    """The file a database path names: a symbolic link's target, so the file, its journal and
    its lock are the ones beside the real file (a synced folder's, say), never a copy here."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def refuse_odd_files(path: Path) -> None:
    """Only regular files are databases and journals: a FIFO would hang every command."""
    for candidate, what in ((path, "the database"), (Path(f"{path}{JOURNAL_SUFFIX}"), "its journal")):
        try:
            mode = os.stat(candidate).st_mode
        except FileNotFoundError:
            continue
        except OSError as error:
            raise StoreError(
                candidate, f"{candidate} cannot be read ({why(error)}): check the disk"
            ) from None
        if stat.S_ISDIR(mode):
            message = (
                folder_message(path)
                if candidate == path
                else f"{candidate} is a folder, not {what}: move it out of the way"
            )
            raise StoreError(candidate, message)
        if not stat.S_ISREG(mode):
            raise StoreError(
                candidate,
                f"{candidate} is not a regular file (a pipe, socket or device), so it cannot be {what}: name a file",
            )
