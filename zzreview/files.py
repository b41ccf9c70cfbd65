"""Writing a file people asked for (the minutes) without ever clobbering one by accident."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteError(OSError):
    """The file could not be written; the message names it and says why."""


class AlreadyExists(WriteError):
    """The file exists and replacing it was not asked for."""


def write_new_file(path: Path, data: bytes, *, replace: bool) -> None:
    """Write `data` to `path` atomically; refuse to replace an existing file unless `replace`.

    Raises:
        AlreadyExists: the file exists and `replace` is false (nothing was written).
        WriteError: the folder is missing or not writable.
    """
    if path.is_dir():
        raise WriteError(f"{path}: is a folder; give a file name")
    if path.exists() and not replace:
        raise AlreadyExists(f"{path} already exists; add --force to replace it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"{path}: the folder {folder} does not exist")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteError(f"{path}: cannot write there ({error.strerror})") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as file:
            # mkstemp makes the file private (0600); the minutes get the mode any new file would.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temp, path)
        else:
            # A hard link fails if the name was taken meanwhile, so nothing is ever overwritten.
            try:
                os.link(temp, path)
            except FileExistsError:
                raise AlreadyExists(f"{path} already exists; add --force to replace it") from None
            except OSError:
                if path.exists():
                    raise AlreadyExists(f"{path} already exists; add --force to replace it") from None
                os.replace(temp, path)
    except WriteError:
        raise
    except OSError as error:
        raise WriteError(f"{path}: cannot write the minutes ({error.strerror})") from None
    finally:
        temp.unlink(missing_ok=True)
