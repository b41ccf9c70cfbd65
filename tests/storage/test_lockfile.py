"""The inter-process lock: exclusive, re-entrant for its holder, with a timeout."""

from __future__ import annotations

from pathlib import Path

import pytest

from zzreview.storage.lockfile import FileLock, LockTimeout


def test_a_second_holder_waits_then_times_out(tmp_path: Path) -> None:
    path = tmp_path / "db.json.lock"
    first, second = FileLock(path), FileLock(path)
    first.acquire(timeout=1)
    with pytest.raises(LockTimeout):
        second.acquire(timeout=0.05, poll_interval=0.01)
    assert not second.is_locked
    first.release()
    second.acquire(timeout=1)
    assert second.is_locked
    second.release()


def test_reentrant_for_its_holder_and_force_release(tmp_path: Path) -> None:
    path = tmp_path / "db.json.lock"
    lock, other = FileLock(path), FileLock(path)
    lock.acquire(timeout=1)
    lock.acquire(timeout=1)
    lock.release()
    assert lock.is_locked
    with pytest.raises(LockTimeout):
        other.acquire(timeout=0)
    lock.acquire(timeout=1)
    lock.release(force=True)
    assert not lock.is_locked
    with other:
        assert other.is_locked


def test_a_lock_file_that_cannot_be_made_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        FileLock(tmp_path / "missing-folder" / "db.json.lock").acquire(timeout=0)
