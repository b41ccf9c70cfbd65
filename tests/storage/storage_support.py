"""Helpers for the storage tests: saving an action, fingerprints, child processes."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from zzreview.storage.store import Change, Event, Store, StoreView, Writes

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXED_TIME = datetime(2024, 10, 31, 9, 12, 3, 123456, tzinfo=UTC)


def add_action(store: Store, text: str, **extra) -> Event:
    """Save one action item the way the app does: a new doc id under the lock."""

    def mutate(view: StoreView) -> Writes:
        return Writes([Change("actions", view.next_id("actions"), {"text": text, **extra})])

    event = store.transact(mutate, who="王秘书", seat="secretary", kind="action.add", summary=text).event
    assert event is not None
    return event


def fingerprint(path: Path) -> tuple[bytes, int]:
    """The file's bytes and modification time: both must survive a refusal untouched."""
    return path.read_bytes(), path.stat().st_mtime_ns


def texts(store: Store, table: str = "actions") -> dict[str, str]:
    return {doc_id: doc["text"] for doc_id, doc in store.table(table).items()}


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def start_child(script: str, *args: str) -> subprocess.Popen[bytes]:
    """Run `script` in a fresh interpreter, with pipes to its stdin and stdout."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )


class LineReader:
    """Reads whole lines from a child's stdout, with a deadline so a stuck child fails the test."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        self.proc = proc
        self.fd = proc.stdout.fileno()
        self.buffer = b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)

    def readline(self, timeout: float = 20.0) -> str | None:
        """The next complete line, or None once the child closed its stdout."""
        while b"\n" not in self.buffer:
            if not self.selector.select(timeout):
                raise AssertionError(f"child printed nothing for {timeout} s")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def rest(self) -> list[str]:
        """Every complete line left, after the child has exited (a cut-off last line is dropped)."""
        lines = []
        while (line := self.readline()) is not None:
            lines.append(line)
        self.selector.close()
        return lines


def stderr_of(proc: subprocess.Popen[bytes]) -> str:
    assert proc.stderr is not None
    return proc.stderr.read().decode(errors="replace")
