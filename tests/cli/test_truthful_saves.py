"""A save's outcome is reported once and truthfully, whatever the lock, the disk or the path do."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from zzreview.meeting import commands
from zzreview.meeting.session import Seat
from zzreview.storage.lockfile import FileLock
from zzreview.storage.repository import Repository
from zzreview.storage.store import Store


def _texts(path: Path) -> list[str]:
    store = Store.open(path, readonly=True)
    try:
        return [d["text"] for d in store.table("actions").values()]
    finally:
        store.close()


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every durable write from now on fails as on a full disk."""

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    for name in ("fsync", "replace", "ftruncate"):
        monkeypatch.setattr(os, name, no_space)


def test_a_save_is_never_reported_failed_because_another_process_holds_the_lock(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZZREVIEW_LOCK_TIMEOUT", "5")
    seat = Seat(demo_db, seat="secretary", who="王秘书")
    commands.add_action(seat.repo(), "会上交办：只记一次", "张三")
    holder = FileLock(f"{demo_db}.lock")
    holder.acquire(timeout=1)
    try:
        assert seat.close() == ""  # folding is left for later; it neither waits nor fails
    finally:
        holder.release()
    assert _texts(demo_db).count("会上交办：只记一次") == 1
    assert Path(f"{demo_db}.journal").stat().st_size > 0  # still in the journal, durable


def test_a_full_disk_after_the_save_is_a_warning_not_a_failure(
    run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace_fails_for_the_checkpoint(source, target, *args, **kwargs):
        if str(target) == str(demo_db):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace_fails_for_the_checkpoint)
    added = run("--db", str(demo_db), "actions", "add", "满盘时交办", "--owner", "张三")
    monkeypatch.setattr(os, "replace", real_replace)
    assert added.returncode == 0, added.stderr
    assert "A9" in added.stdout
    lines = added.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zzreview: saved; ") and str(demo_db) in lines[0]
    assert _texts(demo_db).count("满盘时交办") == 1


def test_reading_commands_work_on_a_full_disk(
    run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(demo_db)
    commands.add_action(Repository(store), "未折叠的事项", "张三")
    store.close()  # left in the journal, unfolded
    _full_disk(monkeypatch)
    for args in (("status",), ("actions", "list"), ("export",), ("meetings", "show"), ("check",)):
        result = run("--db", str(demo_db), *args)
        assert result.returncode == 0, (args, result.stderr)
        if args == ("check",):
            # check folds what it finds unfolded; on a full disk it says, in one line, that it could not.
            assert str(demo_db) in result.stdout and len(result.stderr.strip().splitlines()) <= 1, (
                result.stderr
            )
        else:
            assert result.stderr == "", (args, result.stderr)
    assert "未折叠的事项" in run("--db", str(demo_db), "actions", "list").stdout


def test_init_force_on_a_full_disk_keeps_the_old_database(
    run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(demo_db)
    commands.add_action(Repository(store), "旧库里的事项", "张三")
    store.close()  # the old database has a journal of its own
    before = (demo_db.read_bytes(), Path(f"{demo_db}.journal").read_bytes())
    monkeypatch.setattr(
        os, "replace", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device"))
    )
    result = run("--db", str(demo_db), "init", "--force")
    monkeypatch.undo()
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(demo_db) in result.stderr
    assert (demo_db.read_bytes(), Path(f"{demo_db}.journal").read_bytes()) == before
    assert "旧库里的事项" in _texts(demo_db)


def test_a_database_behind_a_symlink_is_written_where_the_link_points(
    run: Run, tmp_path: Path, demo_db: Path
) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    target = synced / "r.json"
    shutil.move(demo_db, target)
    link = tmp_path / "r.json"
    link.symlink_to(target)
    added = run("--db", str(link), "actions", "add", "经链接交办", "--owner", "张三")
    assert added.returncode == 0, added.stderr
    assert link.is_symlink()
    assert "经链接交办" in json.dumps(json.loads(target.read_text(encoding="utf-8")), ensure_ascii=False)
    assert not (tmp_path / "r.json.journal").exists() and not (tmp_path / "r.json.lock").exists()


def test_a_journal_that_is_a_folder_is_one_line(run: Run, demo_db: Path) -> None:
    Path(f"{demo_db}.journal").mkdir()
    for args in (("status",), ("actions", "add", "x", "--owner", "o")):
        result = run("--db", str(demo_db), *args)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "folder" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once(run_installed: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for args in (("status",), ("actions", "add", "x", "--owner", "o"), ("check",)):
        result = run_installed("--db", str(fifo), *args)  # a hang would time out the subprocess
        assert result.returncode == 2, result.stderr
        assert "not a regular file" in result.stderr and len(result.stderr.strip().splitlines()) == 1


HOLD_THE_LOCK = """
import sys
from zzreview.storage.lockfile import FileLock
with FileLock(sys.argv[1], {"seat": "chair", "who": "李主任"}):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_command_that_waits_says_who_holds_the_lock_and_for_how_long(
    run: Run, demo_db: Path, isolated_env: dict[str, str]
) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, f"{demo_db}.lock"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        isolated_env["ZZREVIEW_LOCK_TIMEOUT"] = "0.3"
        result = run("--db", str(demo_db), "actions", "add", "等锁的事项", "--owner", "张三")
    finally:
        holder.communicate(b"\n", timeout=10)
    assert result.returncode == 2
    waiting, refused = result.stderr.strip().splitlines()
    assert (
        f"in use by zzreview pid {holder.pid} (chair, 李主任)" in waiting and "waiting up to 0.3 s" in waiting
    )
    assert f"locked by zzreview pid {holder.pid} (chair, 李主任)" in refused
    assert "等锁的事项" not in _texts(demo_db)


def test_a_user_name_with_undecodable_bytes_is_recorded_cleanly(run: Run, demo_db: Path) -> None:
    # `--user $'王\xff'` in a UTF-8 locale reaches Python as a lone surrogate.
    added = run("--db", str(demo_db), "--user", "王\udcff", "actions", "add", "记录人测试", "--owner", "张三")
    assert added.returncode == 0, added.stderr
    store = Store.open(demo_db, readonly=True)
    assert store.events()[-1].who == "王\ufffd"
    store.close()
