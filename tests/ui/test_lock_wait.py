"""While another process holds the database, the app says who and for how long; it never
freezes: the chair's keys keep working and the write lands once the lock is free."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import build_app
from zzreview.meeting.session import Seat, create_database

HOLD_THE_LOCK = """
import sys
from zzreview.storage.lockfile import FileLock
with FileLock(sys.argv[1], {"seat": "secretary", "who": "王秘书"}):
    print("held", flush=True)
    sys.stdin.readline()
"""


async def test_the_app_says_who_holds_the_lock_and_keeps_walking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZZREVIEW_LOCK_TIMEOUT", "10")
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    seat = Seat(path, seat="chair", who="李主任")
    app = build_app(seat.repo())
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, f"{path}.lock"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("4")  # the chair's area is published in a worker, which has to wait
            for _ in range(200):
                await pilot.pause(0.02)
                shown = [n.message for n in app._notifications]
                if any("in use by" in m for m in shown):
                    break
            assert any(f"in use by zzreview pid {holder.pid} (secretary, 王秘书)" in m for m in shown), shown
            assert any("waiting up to 10 s" in m for m in shown)
            await pilot.press("5")  # keys still work while the worker waits
            assert "重点工作5" in str(app.screen.query_one("#position").content)
            holder.communicate(b"\n", timeout=10)
            await app.workers.wait_for_complete()
        assert seat.repo().followed_area("2024-10-31") == 5
    finally:
        if holder.poll() is None:
            holder.communicate(b"\n", timeout=10)
        seat.close()
