"""The one error the storage layer raises for a database it cannot use as asked."""

from __future__ import annotations

import os
from pathlib import Path


class StoreError(Exception):
    """A database that cannot be read or written as asked.

    The message is one line that names the file and says what to do; the command line prints
    it and exits with code 2. Whatever raised it left the file's bytes untouched.
    """

    def __init__(self, path: str | os.PathLike[str] | None, message: str) -> None:
        # One line, always: the command line prints it as the whole report.
        message = " ".join(message.splitlines())
        super().__init__(message)
        self.path: Path | None = Path(path) if path is not None else None
        self.message = message

    def __str__(self) -> str:
        return self.message


class LockBusy(StoreError):
    """Another process held the database's lock for longer than this one would wait."""


class CheckpointError(StoreError):
    """Folding the journal into the file failed; every saved change is still in the journal."""


def why(error: OSError) -> str:
    """What the system said went wrong, in a few words."""
    return error.strerror or str(error) or type(error).__name__
