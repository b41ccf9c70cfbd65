"""Durable file operations: nothing written is lost to a crash, and nothing is half-written.

The checkpoint, PATH, is a plain TinyDB JSON file (a user's script can open it with
``TinyDB(PATH)``). It is only ever replaced whole — temp file, fsync, ``os.replace``, fsync of
the folder — so a crash leaves the old file or the new one, never a mix; a temp file left by a
killed process is removed under the lock. `DurableJSONStorage` does this behind TinyDB's
storage interface. Files people ask for (the minutes) are written the same way by
`write_new_file`, which never replaces an existing file unless told to.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from zzreview.storage.errors import StoreError
from zzreview.storage.hints import folder_message, missing_message, recovery_hint
from zzreview.storage.layout import OWN_TABLES, Tables
from zzreview.storage.lazy import BadSegment, LazyTables, drop_layout, encode_database, split_database
from zzreview.storage.shapes import shape_problem

try:
    import orjson
except ImportError:  # a platform it has no build for: the standard library reads the same files
    orjson = None

StatKey = tuple[int, int, int, int]
"""(device, inode, size, mtime_ns): enough to tell whether another process changed a file."""

O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def dumps(value: Any) -> str:
    """Serialise deterministically; NaN and infinities are refused so the file stays JSON.

    The result always encodes as UTF-8: a surrogate code point (which another program can
    put in the file as "\\ud800") is written as that JSON escape, so the data are kept as they
    are and the store can always write; decoding shows it as U+FFFD and `check` names it.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        text.encode("utf-8")  # three times faster than searching a large text for surrogates
    except UnicodeEncodeError:
        from zzreview.domain.text import SURROGATES

        # Outside strings JSON is ASCII, so every surrogate is inside a string (or a key),
        # where its escape stands for the same code point.
        return SURROGATES.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    return text


_SHARED: set[str] = set()
"""The tables whose equal texts this process holds once (`hold_texts_once`)."""


def hold_texts_once(*tables: str) -> None:
    """From now on this process holds each text repeated through these tables once, as they
    are read from a file laid out a table a line (as the store writes it): a long-lived
    process (the app) asks it, for the tables it keeps all of.

    A parser makes a string of every text it reads: the indicator id, the date, the reporting
    unit and who entered it, again in each of 60,000 values at city scale, the owner, units
    and meeting in each of 10,000 action items. Held once, the values table takes 23 MB
    instead of 38 and the action items 19 instead of 31, for some 60 ms and 80 ms of the
    reading thread's time at that scale, which a command that reads a table once and ends
    does not pay (so it is off unless asked for)."""
    _SHARED.update(tables)


_M_MMAP_THRESHOLD = -3
"""glibc's mallopt parameter (malloc.h): the size from which an allocation is its own mapping."""


def give_back_large_buffers() -> bool:
    """Every buffer of 128 KiB or more (a file's bytes, a table's) its own mapping, handed back
    to the system when freed, from now on; True where that could be set (Linux with glibc).

    glibc raises that size to the largest buffer freed so far, so once the app has let go of
    the database file's 20 MB, the next buffers come from the heap and the memory stays the
    process's after they are freed too (at city scale: 13 MB more for the whole meeting).
    Setting it keeps it where it starts."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # another C library (musl has no mallopt)
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, 128 * 1024))


def share_texts(docs: dict[str, Any]) -> None:
    """Each text of `docs` (a table's documents, nested lists and objects included) replaced
    by the first equal one met: the documents read the same, and each text is held once."""
    seen: dict[str, str] = {}
    share = seen.setdefault
    stack: list[Any] = list(docs.values())
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        for key, value in node.items() if type(node) is dict else enumerate(node):
            kind = type(value)
            if kind is str:
                node[key] = share(value, value)
            elif kind is dict or kind is list:
                push(value)


def parse_table(name: str, raw: bytes | memoryview, *, exact: bool = False) -> Any:
    """One table's JSON value, read as `parse_database` reads it within the whole file: the
    store's own tables with orjson where it can, another program's (or any, `exact`) with the
    standard library."""
    if orjson is not None and name in OWN_TABLES and not exact:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(bytes(raw).decode("utf-8"))


def not_a_database(path: Path, problem: str) -> StoreError:
    """The refusal of a file whose JSON is not a zzreview database's."""
    return StoreError(
        path, f"{path} is not a zzreview database ({problem}): open the right file, or {recovery_hint(path)}"
    )


def parse_database(raw: bytes) -> Any:
    """The JSON value a database file's bytes hold, as `json.loads` reads it.

    orjson reads a large file in half the time (measured at city scale, 20 MB: 0.13 s instead of
    0.25 s), and every process reads the whole file before it shows anything. What orjson
    declines — NaN, a lone surrogate escape, text that is not UTF-8, deep nesting, bad JSON —
    goes to the standard library, which reads it or says what is wrong. orjson reads a whole
    number beyond 64 bits as a float: in the store's own tables no field holds one (decoding
    refuses such a number where a whole one belongs), but a table another program keeps in the
    file is read again by the standard library, so it is written back exactly as it was.
    """
    if orjson is not None:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
        else:
            if not isinstance(data, dict) or OWN_TABLES.issuperset(data):
                return data
    return json.loads(raw.decode("utf-8"))


def stat_key(st: os.stat_result) -> StatKey:
    """The parts of `st` that change when a file is rewritten or replaced."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def stat_path(path: Path) -> StatKey | None:
    """The stat key of the file at `path`, or None if there is none."""
    try:
        return stat_key(os.stat(path))
    except FileNotFoundError:
        return None


def write_all(fd: int, data: bytes) -> None:
    """Write every byte: one os.write in practice, a loop only if the system writes less."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` survive a power cut (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_durably(source: Path, target: Path) -> None:
    """Copy `source` to `target` (metadata too) and make the copy survive a power cut."""
    shutil.copy2(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_directory(target.parent)


def replace_atomically(path: Path, payload: bytes) -> StatKey:
    """Write `payload` to a temp file beside `path`, fsync it, rename it over `path`.

    Returns the stat key of the new file.
    """
    directory = path.parent
    temp = _temp_name(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_BINARY, 0o666)
    try:
        with suppress(FileNotFoundError):
            # Keep the database's permissions: a file shared by a group stays shared.
            os.chmod(temp, os.stat(path).st_mode & 0o7777)
        write_all(fd, payload)
        os.fsync(fd)
        key = stat_key(os.fstat(fd))
    except BaseException:
        os.close(fd)
        with suppress(OSError):
            os.unlink(temp)
        raise
    os.close(fd)
    try:
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    try:
        fsync_directory(directory)
    except OSError as error:
        raise Unconfirmed(error.errno, error.strerror, str(path)) from error
    return key


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The garbage collector off meanwhile (if it was on), back as it was after.

    Parsing a large file makes millions of objects, none in a cycle, and the collector walks
    every one of them again and again as they pile up: at 43 MB, parsing takes ~0.5 s with it
    paused and ~1 s without. Nothing it could free is made meanwhile.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Unconfirmed(OSError):
    """The new file is in place, but the folder's fsync failed: a power cut could undo it."""


def _temp_name(path: Path) -> Path:
    return path.parent / f"{path.name}.{uuid.uuid4().hex[:12]}.tmp"


def remove_stale_temp_files(path: Path) -> None:
    """Remove temp files left by a process killed while writing a checkpoint.

    Checkpoints are written under the lock, so with the lock held no temp file is in use.
    """
    prefix = f"{path.name}."
    with suppress(OSError):
        for name in os.listdir(path.parent):
            middle = name[len(prefix) : -len(".tmp")]
            if (
                name.startswith(prefix)
                and name.endswith(".tmp")
                and len(middle) == 12
                and all(c in "0123456789abcdef" for c in middle)
            ):
                with suppress(OSError):
                    os.unlink(path.parent / name)


# -- the checkpoint file, through TinyDB's storage interface --------------------------------


class DurableJSONStorage(Storage):
    """A TinyDB storage that reads strictly and replaces the file atomically on every write.

    It also works on its own: ``TinyDB(path, storage=DurableJSONStorage)``.
    """

    def __init__(self, path: str | os.PathLike[str], **_tinydb_options: Any) -> None:
        super().__init__()
        self.path = Path(path)
        self.last_stat: StatKey | None = None
        """The stat key of the file as last read or written."""
        self._prepared: tuple[Tables, bytes] | None = None

    def read(self) -> Tables | None:
        """The file's tables; None for an empty file; StoreError if it is not usable JSON."""
        path = self.path
        try:
            with open(path, "rb") as handle:
                key = stat_key(os.fstat(handle.fileno()))
                raw = handle.read()
        except FileNotFoundError:
            raise StoreError(path, missing_message(path)) from None
        except IsADirectoryError:
            raise StoreError(path, folder_message(path)) from None
        except PermissionError:
            raise StoreError(
                path, f"{path} cannot be read (permission denied): check its permissions"
            ) from None
        self.last_stat = key
        if not raw:
            return None
        split = split_database(raw, dumps)
        if split is not None:
            meta_table, segments = split
            # A file that holds another program's table is read by the standard library
            # throughout, as a whole read reads it (a whole number beyond 64 bits stays exact).
            exact = not OWN_TABLES.issuperset(segments)
            parse = self._table_parser(exact=exact)
            return LazyTables.of(meta_table, segments, parse, lambda: self._checked_whole(raw))
        return self._parse_whole(raw)

    def _table_parser(self, *, exact: bool) -> Callable[[str, memoryview], dict[str, Any]]:
        path = self.path

        def parse(name: str, raw: memoryview) -> dict[str, Any]:
            try:
                with _collector_paused():
                    table = parse_table(name, raw, exact=exact)
            except (ValueError, RecursionError):
                raise BadSegment(name) from None
            problem = shape_problem({name: table}, need_meta=False)
            if problem:
                raise not_a_database(path, problem)
            if name in _SHARED:
                share_texts(table)
            return table

        return parse

    def _checked_whole(self, raw: bytes) -> Tables:
        """`raw` read whole and held to the shape check, for a table that would not read alone."""
        data = self._parse_whole(raw)
        problem = shape_problem(data)
        if problem:
            raise not_a_database(self.path, problem)
        return data

    def _parse_whole(self, raw: bytes) -> Tables:
        """`raw` read whole; StoreError saying why if it is not JSON."""
        path = self.path
        try:
            with _collector_paused():
                data = parse_database(raw)
            drop_layout(data)
            return data
        except UnicodeDecodeError as error:
            raise StoreError(
                path,
                f"{path} is not UTF-8 text (bad byte at offset {error.start}): {recovery_hint(path)}",
            ) from None
        except json.JSONDecodeError as error:
            raise StoreError(
                path,
                f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: "
                f"{error.msg}): fix it by hand, or {recovery_hint(path)}",
            ) from None
        except RecursionError:
            raise StoreError(
                path, f"{path} nests too deeply to be a database: {recovery_hint(path)}"
            ) from None

    def prepare(self, data: Tables) -> None:
        """Serialise `data` now (e.g. outside a lock), so `write(data)` only has to save it."""
        self._prepared = (data, encode_database(data, dumps))

    def write(self, data: Tables) -> None:
        """Replace the file with `data`, atomically and durably (laid out a table a line, see
        `storage.lazy`)."""
        prepared, self._prepared = self._prepared, None
        payload = (
            prepared[1] if prepared is not None and prepared[0] is data else encode_database(data, dumps)
        )
        self.last_stat = replace_atomically(self.path, payload)


# -- files people ask for --------------------------------------------------------------


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
    with suppress(OSError):
        # The minutes are written and readable; this makes their name survive a power cut too.
        fsync_directory(folder)
