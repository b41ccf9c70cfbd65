"""An inter-process lock on a separate file: `flock` on POSIX, `msvcrt.locking` on Windows.

The operating system drops the lock when its holder dies, so a killed zzreview never leaves
the database locked. (A library did this before; importing it cost 13 ms of every command.)
"""

from __future__ import annotations

import os
import time

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


class FileLock:
    """An exclusive lock on `lock_file`, re-entrant within one holder."""

    def __init__(self, lock_file: str | os.PathLike[str]) -> None:
        self.lock_file = os.fspath(lock_file)
        self._fd: int | None = None
        self._depth = 0

    @property
    def is_locked(self) -> bool:
        """Whether this object holds the lock now."""
        return self._depth > 0

    def acquire(self, timeout: float = -1, poll_interval: float = 0.05) -> None:
        """Take the lock, waiting up to `timeout` seconds (a negative timeout waits for ever).

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
        try:
            while not _try_lock(fd):
                if timeout >= 0 and time.monotonic() >= deadline:
                    raise LockTimeout(self.lock_file)
                time.sleep(poll_interval)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._depth = 1

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
