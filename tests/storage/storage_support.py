"""Helpers for the storage tests: saving an action, fingerprints, child processes, injected I/O
failures, and the kill torture (shared with bench/bench_torture.py)."""

from __future__ import annotations

import errno
import io
import os
import random
import selectors
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from tinydb import TinyDB

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


# -- injected I/O failures -------------------------------------------------------------------

STORAGE_CALL_KINDS = ("write", "fsync", "dirsync", "replace", "ftruncate", "link")
"""The calls `InjectedFaults` counts: os.write (and os.pwrite, os.sendfile, writes through os.fdopen),
os.fsync on a file, os.fsync on a folder, os.replace, os.ftruncate, os.link."""


@dataclass(frozen=True)
class StorageCall:
    """One storage call the code under test made, and the error injected into it, if any."""

    index: int
    """1 for the first call counted."""
    kind: str
    path: str
    identity: tuple[int, int] | None
    """(device, inode) of the file an fsync was for."""
    failed: int | None
    """The errno injected, or None: the call went through."""


def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


class _RawThroughOsWrite(io.RawIOBase):
    """A raw file whose writes go through os.write, so a buffered file's writes are counted."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        return os.write(self._fd, data)

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self._fd)
            finally:
                super().close()


class InjectedFaults:
    """Counts the storage calls made on files inside `folder` and makes the chosen ones fail,
    SQLite-style: call number `fail_at` (1-based) fails with `error`, and with `persistent`
    every storage call after it too — a disk that filled up or died.

    Use it as a context manager around the code under test only, so that nothing else is
    counted. Linux only (it names an fd's file through /proc/self/fd).
    """

    def __init__(
        self,
        folder: Path,
        *,
        fail_at: int | None = None,
        error: int = errno.EIO,
        persistent: bool = False,
    ) -> None:
        self.folder = os.path.realpath(folder)
        self.fail_at = fail_at
        self.error = error
        self.persistent = persistent
        self.calls: list[StorageCall] = []
        self._real: dict[str, object] = {}

    # -- what happened ---------------------------------------------------------------------

    @property
    def kinds(self) -> list[str]:
        """The kind of each call counted, in order."""
        return [call.kind for call in self.calls]

    def fsyncs_retried_after_failing(self) -> list[tuple[StorageCall, StorageCall]]:
        """(failed, later success) pairs of fsyncs of one file: after a failed fsync the
        kernel may have dropped the dirty pages, so a second fsync that succeeds proves nothing."""
        failed: dict[tuple[int, int], StorageCall] = {}
        pairs = []
        for call in self.calls:
            if call.kind not in ("fsync", "dirsync") or call.identity is None:
                continue
            if call.failed is not None:
                failed.setdefault(call.identity, call)
            elif call.identity in failed:
                pairs.append((failed[call.identity], call))
        return pairs

    # -- counting --------------------------------------------------------------------------

    def _ours(self, path: str) -> bool:
        return path == self.folder or path.startswith(self.folder + os.sep)

    def _count(self, kind: str, path: str, identity: tuple[int, int] | None = None) -> None:
        """Record one call; raise the injected error if it is one of those chosen."""
        index = len(self.calls) + 1
        fails = self.fail_at is not None and (
            index == self.fail_at or (self.persistent and index > self.fail_at)
        )
        self.calls.append(StorageCall(index, kind, path, identity, self.error if fails else None))
        if fails:
            raise OSError(self.error, os.strerror(self.error))

    def __enter__(self) -> InjectedFaults:
        real = self._real = {
            name: getattr(os, name)
            for name in ("write", "pwrite", "sendfile", "fsync", "replace", "ftruncate", "link", "fdopen")
        }

        def write(fd, data):
            path = _fd_path(fd)
            if self._ours(path):
                self._count("write", path)
            return real["write"](fd, data)

        def pwrite(fd, data, offset):
            path = _fd_path(fd)
            if self._ours(path):
                self._count("write", path)
            return real["pwrite"](fd, data, offset)

        def sendfile(out_fd, in_fd, *args, **kwargs):
            path = _fd_path(out_fd)
            if self._ours(path):
                self._count("write", path)
            return real["sendfile"](out_fd, in_fd, *args, **kwargs)

        def fsync(fd):
            number = fd if isinstance(fd, int) else fd.fileno()
            path = _fd_path(number)
            if self._ours(path):
                st = os.fstat(number)
                kind = "dirsync" if stat.S_ISDIR(st.st_mode) else "fsync"
                self._count(kind, path, (st.st_dev, st.st_ino))
            return real["fsync"](fd)

        def renaming(name: str):
            def call(source, target, *args, **kwargs):
                path = os.path.realpath(os.path.dirname(os.path.abspath(target)))
                if self._ours(path):
                    try:
                        self._count(name, os.fspath(target))
                    except OSError as error:
                        raise OSError(
                            error.errno, error.strerror, os.fspath(source), None, os.fspath(target)
                        ) from None
                return real[name](source, target, *args, **kwargs)

            return call

        def ftruncate(fd, length):
            path = _fd_path(fd)
            if self._ours(path):
                self._count("ftruncate", path)
            return real["ftruncate"](fd, length)

        def fdopen(fd, mode="r", *args, **kwargs):
            if "b" in mode and any(flag in mode for flag in "wax+") and self._ours(_fd_path(fd)):
                return io.BufferedWriter(_RawThroughOsWrite(fd))
            return real["fdopen"](fd, mode, *args, **kwargs)

        os.write, os.pwrite, os.sendfile, os.fsync = write, pwrite, sendfile, fsync
        os.ftruncate, os.fdopen = ftruncate, fdopen
        os.replace, os.link = renaming("replace"), renaming("link")
        return self

    def __exit__(self, *_exc: object) -> None:
        for name, function in self._real.items():
            setattr(os, name, function)


# -- torture: children doing mixed writes, killed at random moments ---------------------------

TORTURE_ENV = "ZZREVIEW_TORTURE"
"""How hard the process tests push: unset or "small" for a plain run, "full" before a storage change lands."""

D = TypeVar("D")


def torture_dose(doses: Mapping[str, D]) -> D:
    """The dose `ZZREVIEW_TORTURE` names ("small" when unset); a usage error for any other name."""
    import pytest

    name = os.environ.get(TORTURE_ENV, "").strip() or "small"
    if name not in doses:
        raise pytest.UsageError(f"{TORTURE_ENV}={name!r}: expected one of {', '.join(doses)}")
    return doses[name]


def padded_demo(path: Path, actions: int = 1500) -> None:
    """Write the shipped demo database at `path`, padded with `actions` more action items
    (~0.5 KB each, raised at the demo's closed meeting), so a checkpoint has real weight."""
    from zzreview.analysis import DEFAULT_PRESET
    from zzreview.plans.demo import shipped_demo
    from zzreview.plans.loader import shipped_plan
    from zzreview.storage.seed import initial_tables

    plan = shipped_plan()
    tables = initial_tables(plan, shipped_demo(plan), plan_source="shipped", rules=DEFAULT_PRESET)
    items = tables["actions"]
    model = items[min(items, key=int)]
    first_key, first_number = max(map(int, items)) + 1, len(items) + 1
    for n in range(actions):
        number = first_number + n
        items[str(first_key + n)] = {
            **model,
            "id": f"A{number}",
            "text": f"{model['text']}（第{number}项，逐月调度）",
            "history": model["history"][:1],
        }
    Store.create(path, tables).close()


MIXED_WRITES_UNTIL_KILLED = """
    import os
    import random
    import sys
    from pathlib import Path

    from zzreview.meeting import commands
    from zzreview.meeting.session import Seat


    def say(*words):
        # One write: a kill never leaves half a line (print writes each word on its own
        # when PYTHONUNBUFFERED is set).
        os.write(1, (" ".join(map(str, words)) + "\\n").encode())


    def write_until_killed(path, run, rng):
        say("pid", os.getpid())
        seat = Seat(path, seat="secretary", who="王秘书")
        repo = seat.repo()
        targets = [item.id for item in repo.actions()[:40]]
        n = 0
        while True:
            n += 1
            tag = f"r{run}-{n}"
            kind = rng.choice(("add", "add", "status", "status", "value", "decision", "note"))
            if kind == "add":
                key = commands.add_action(repo, f"交办{tag}", "张三").value.id
            elif kind == "status":
                key = rng.choice(targets)
                status = rng.choice(("open", "in_progress", "done"))
                commands.set_action_status(repo, key, status, evidence=f"进展{tag}")
            elif kind == "value":
                key = "1.3.1"
                commands.record_value(repo, key, str(600 + n), source=f"来源{tag}")
            elif kind == "decision":
                key = commands.add_decision(repo, f"议定{tag}").value.id
            else:
                key = str(rng.randint(1, 10))
                commands.add_note(repo, int(key), f"记录{tag}")
            say(kind, key, tag)
            if n % 10 == 0:
                # The end of a command: fold what this seat saved, let go, and start the next.
                seat.close()
                seat = Seat(path, seat="secretary", who="王秘书")
                repo = seat.repo()


    # A fork server: importing once, not once a run, keeps a run to the writing and the kill.
    path = Path(sys.argv[1])
    say("ready")
    for line in sys.stdin:
        run, seed = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                write_until_killed(path, run, random.Random(int(seed)))
            finally:
                os._exit(70)
        _, status = os.waitpid(pid, 0)
        say("dead", pid, status)
"""
"""A fork server: for each `RUN SEED` line on stdin, a process that prints `pid PID`, then
writes through the meeting layer — add_action, set_action_status, record_value, add_decision,
add_note, letting go of its seat (folding) every 10 — printing `KIND KEY TAG` once each has
returned (acknowledged), until it is killed; then the server prints `dead PID STATUS`."""


def _acknowledged_marks(kind: str, tag: str) -> tuple[str, str]:
    """Where an acknowledged change of `kind` shows in the database: (what, exact text)."""
    return {
        "add": ("action text", f"交办{tag}"),
        "status": ("history evidence", f"进展{tag}"),
        "value": ("value source", f"来源{tag}"),
        "decision": ("decision text", f"议定{tag}"),
        "note": ("note text", f"记录{tag}"),
    }[kind]


def marks_in(tables: Mapping[str, Mapping[str, Any]]) -> Counter[tuple[str, str]]:
    """How often each mark the mixed writers leave appears in `tables`."""
    marks: Counter[tuple[str, str]] = Counter()
    for doc in tables.get("actions", {}).values():
        marks["action text", doc.get("text", "")] += 1
        for entry in doc.get("history", ()):
            if entry.get("evidence"):
                marks["history evidence", entry["evidence"]] += 1
    for doc in tables.get("values", {}).values():
        marks["value source", doc.get("source", "")] += 1
    for doc in tables.get("meetings", {}).values():
        for decision in doc.get("decisions", ()):
            marks["decision text", decision.get("text", "")] += 1
        for note in doc.get("notes", ()):
            marks["note text", note.get("text", "")] += 1
    return marks


@dataclass
class KillRun:
    """One child killed at a random moment, and what was found afterwards."""

    run: int
    acks_before_kill: int
    delay_ms: float
    acknowledged: int
    """Changes acknowledged so far, over all runs."""
    invalid_file: str = ""
    """Why the file did not open (stock TinyDB, then the store), or "" if it did."""
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"run {self.run} (killed after {self.acks_before_kill} acks, +{self.delay_ms:.1f} ms)"

    @property
    def problems(self) -> list[str]:
        found = [f"the file does not open: {self.invalid_file}"] if self.invalid_file else []
        found += [f"acknowledged but lost: {mark}" for mark in self.lost]
        return found + [f"acknowledged once, stored more than once: {mark}" for mark in self.duplicated]


def kill_torture(
    path: Path,
    runs: int,
    *,
    seed: int,
    start: Callable[..., subprocess.Popen[bytes]] = start_child,
) -> Iterator[KillRun]:
    """Kill processes doing mixed writes (`MIXED_WRITES_UNTIL_KILLED`) on the database at
    `path`, one after another, each after a random number of acknowledged changes plus a
    random few ms; after each, check that the file opens with stock TinyDB and with the store,
    and that every change acknowledged so far is there exactly once. Yields each run's findings.
    """
    rng = random.Random(seed)
    acknowledged: list[tuple[str, str]] = []
    server = start(MIXED_WRITES_UNTIL_KILLED, str(path))
    reader = LineReader(server)

    def fail(why: str) -> NoReturn:
        server.kill()
        server.wait(timeout=10)
        raise AssertionError(f"{why}: {stderr_of(server)}")

    try:
        if reader.readline() != "ready":
            fail("the fork server did not start")
        for run in range(runs):
            acks_before_kill, delay = rng.randint(1, 25), rng.uniform(0, 0.015)
            assert server.stdin is not None
            server.stdin.write(f"{run} {rng.randrange(2**32)}\n".encode())
            server.stdin.flush()
            first = reader.readline() or ""
            if not first.startswith("pid "):
                fail(f"run {run}: no writer started ({first!r})")
            pid = int(first.split()[1])
            lines = []
            while len(lines) < acks_before_kill:
                line = reader.readline()
                if line is None or line.startswith("dead "):
                    fail(f"run {run}: the writer died on its own ({line!r})")
                lines.append(line)
            time.sleep(delay)  # a random instant, not a synchronisation
            os.kill(pid, signal.SIGKILL)
            # All it printed before dying was acknowledged too; "dead" comes once it is gone.
            while not (line := reader.readline() or "").startswith("dead "):
                if not line:
                    fail(f"run {run}: the fork server died")
                lines.append(line)
            for line in lines:
                kind, _key, tag = line.split()
                acknowledged.append(_acknowledged_marks(kind, tag))
            found = KillRun(run, acks_before_kill, delay * 1000, len(acknowledged))
            try:
                with TinyDB(path, access_mode="r") as db:
                    db.tables()
                with Store.open(path) as store:
                    tables = {name: dict(store.table(name)) for name in ("actions", "values", "meetings")}
            except Exception as error:  # whatever it is, it is the finding
                found.invalid_file = f"{type(error).__name__}: {error}"
            else:
                marks = marks_in(tables)
                found.lost = [f"{what} {text!r}" for what, text in acknowledged if marks[what, text] == 0]
                found.duplicated = [
                    f"{what} {text!r}" for what, text in acknowledged if marks[what, text] > 1
                ]
            yield found
    finally:
        if server.poll() is None:
            assert server.stdin is not None
            server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
