"""An inter-process lock on a separate file: `flock` on POSIX, `msvcrt.locking` on Windows.

The operating system drops the lock when its holder dies, so a killed zzreview never leaves
the database locked. (A library did this before; importing it cost 13 ms of every command.)
Its holder writes who it is into the file — process, host, since when, and the seat — so a
process that has to wait can say whom it waits for.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class LockTimeout(TimeoutError):
    """Another process held the lock for longer than the caller would wait."""


def describe_holder(info: Mapping[str, Any]) -> str:
    """Who holds a lock, in words: "zzreview pid 4242 (seat chair, 李主任) on host-1 since 10:02:03"."""
    if not info:
        return "another process"
    extra = ", ".join(str(info[k]) for k in ("seat", "who") if info.get(k))
    text = f"zzreview pid {info.get('pid', '?')}"
    if extra:
        text += f" ({extra})"
    if info.get("host"):
        text += f" on {info['host']}"
    if info.get("since"):
        text += f" since {str(info['since'])[11:19] or info['since']}"
    return text


class FileLock:
    """An exclusive lock on `lock_file`, re-entrant within one holder.

    `label` (e.g. the seat) is written into the file, with the process, host and time, each
    time the lock is taken.
    """

    def __init__(self, lock_file: str | os.PathLike[str], label: Mapping[str, Any] | None = None) -> None:
        self.lock_file = os.fspath(lock_file)
        self.label: dict[str, Any] = dict(label or {})
        self._fd: int | None = None
        self._depth = 0

    def holder(self) -> dict[str, Any]:
        """What the current holder wrote into the lock file ({} if nothing readable)."""
        try:
            with open(self.lock_file, "rb") as handle:
                data = json.loads(handle.read(4096).decode("utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def is_locked(self) -> bool:
        """Whether this object holds the lock now."""
        return self._depth > 0

    def acquire(
        self,
        timeout: float = -1,
        poll_interval: float = 0.05,
        on_wait: Callable[[dict[str, Any], float], None] | None = None,
    ) -> None:
        """Take the lock, waiting up to `timeout` seconds (a negative timeout waits for ever);
        `on_wait(holder, timeout)` is called once if it has to wait at all.

        Raises:
            LockTimeout: the lock was still held by another process after `timeout`.
            OSError: the lock file cannot be opened or created.
        """
        if self._depth:
            self._depth += 1
            return
        try:
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        except PermissionError:
            # A lock file made by someone else: locking works on a read-only handle too.
            fd = os.open(self.lock_file, os.O_RDONLY)
        deadline = time.monotonic() + timeout
        told = False
        try:
            while not _try_lock(fd):
                if timeout >= 0 and time.monotonic() >= deadline:
                    raise LockTimeout(self.lock_file)
                if on_wait is not None and not told and timeout != 0:
                    told = True
                    on_wait(self.holder(), timeout)
                time.sleep(poll_interval)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._depth = 1
        self._sign(fd)

    def _sign(self, fd: int) -> None:
        """Write who holds the lock now; a read-only lock file just stays as it is."""
        info = {
            "pid": os.getpid(),
            "host": _host(),
            "since": datetime.now().astimezone().isoformat(timespec="seconds"),
            **self.label,
        }
        signed = json.dumps(info).encode("ascii")  # escapes all: any name is safe
        try:
            # Written over the old signature, then cut to its length: truncating to 0 first
            # made the disk flush the file on close, and the next lock wait for it (~2 ms).
            os.pwrite(fd, signed, 0)
            os.ftruncate(fd, len(signed))
        except (OSError, AttributeError):  # AttributeError: no pwrite (Windows)
            pass

    def release(self, force: bool = False) -> None:
        """Let go of the lock (all levels at once with `force`)."""
        if not self._depth:
            return
        self._depth = 0 if force else self._depth - 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _host() -> str:
    """This machine's name, as `socket.gethostname` gives it (without importing socket, ~4 ms
    of every command that takes the lock, where the system tells it directly)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()
