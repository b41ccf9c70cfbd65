"""A finished command ends without the interpreter's teardown, and loses nothing by it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import Run


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_streams_are_flushed_and_exit_functions_run_before_the_process_ends() -> None:
    done = python(
        "import atexit, sys\n"
        "from zzreview.cli.group import leave_now\n"
        "atexit.register(lambda: print('exit function', end=''))\n"
        "sys.stdout.write('x' * 100_000)\n"
        "sys.stderr.write('warning')\n"
        "leave_now(3)\n"
        "print('never printed')\n"
    )

    assert done.returncode == 3
    assert done.stdout == "x" * 100_000 + "exit function"
    assert done.stderr == "warning"


def test_it_returns_while_another_thread_runs_or_when_exiting_with_a_message() -> None:
    done = python(
        "import threading, time\n"
        "from zzreview.cli.group import leave_now\n"
        "worker = threading.Thread(target=lambda: (time.sleep(0.2), print('worker done')))\n"
        "worker.start()\n"
        "leave_now(0)\n"
        "print('returned')\n"
        "worker.join()\n"
        "leave_now('a message')\n"
        "print('returned again')\n"
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["returned", "worker", "done", "returned", "again"]


def test_a_daemon_thread_left_behind_does_not_keep_the_process() -> None:
    done = python(
        "import threading, time\n"
        "from zzreview.cli.group import leave_now\n"
        "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
        "print('done', end='')\n"
        "leave_now(0)\n"
        "print('returned')\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "done"


def test_a_real_run_prints_everything_and_keeps_its_exit_status(
    run_installed: Run, demo_db: Path, tmp_path: Path
) -> None:
    status = run_installed("--db", str(demo_db), "status", "--format", "json")
    assert status.returncode == 0, status.stderr
    assert len(json.loads(status.stdout)["areas"]) == 10

    minutes = run_installed("--db", str(demo_db), "export", "2024-10-31")
    assert minutes.returncode == 0, minutes.stderr
    assert minutes.stdout.count("```text") == 11  # every chart made it out
    assert minutes.stdout.endswith("2024年10月31日印发\n")  # and the imprint after them, the last line

    missing = run_installed("--db", str(tmp_path / "missing.json"), "status")
    assert missing.returncode == 2
    assert missing.stderr.startswith("zzreview: no database at")


def test_the_collector_is_off_for_a_headless_command_and_on_for_one_that_keeps_running(
    isolated_env: dict[str, str], demo_db: Path
) -> None:
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stderr.write(f'collector on: {gc.isenabled()}\\n'))\n"
        "from zzreview.cli import main\n"
        "main()\n"
    )
    for command, on in (("status", False), ("serve", True), ("run", True)):
        done = subprocess.run(
            [sys.executable, "-c", probe, "--db", str(demo_db), command, "--help"],
            capture_output=True,
            text=True,
            env=isolated_env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines()[-1] == f"collector on: {on}", command
