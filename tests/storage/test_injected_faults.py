"""Injected I/O failures, SQLite-style: every storage call of a command fails in turn.

Each command runs once cleanly while `InjectedFaults` counts its storage calls (os.write,
os.fsync of a file and of the folder, os.replace, os.ftruncate, os.link): K of them. Then, for
N = 1…K, with EIO and with ENOSPC, call N fails — once, or persistently from N on (a disk that
died or filled up) — on a fresh copy of the demo database. (The lock file is signed at each
acquire, from one call site: of its calls only the first and last of each kind are failed.)
After each run:

- no traceback; exit code 0 if the change was saved, 2 if not, and that is the truth: the file
  parses, and its actions, values and meetings equal the state after a clean run (exit 0) or
  the state before (exit 2);
- one line on stderr at most: for exit 2 a `zzreview: …` line naming the file; for a success
  whose fold into the file was left for later, a `zzreview: saved; …` line;
- no fsync that failed was retried on the same file before the success was reported (after a
  failed fsync the kernel may drop the dirty pages, so a second fsync proves nothing);
- the database still opens for writing and folds its journal.

Runs in-process (click's CliRunner), ~10 ms a run. Linux only: the counter names an fd's file
through /proc/self/fd.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from storage_support import STORAGE_CALL_KINDS, InjectedFaults, StorageCall

from tests.cli.conftest import Ran, in_process, isolated
from zzreview.meeting import commands
from zzreview.meeting.session import create_database
from zzreview.storage.repository import Repository
from zzreview.storage.store import LOCK_SUFFIX, Store

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="counts calls through /proc/self/fd")

COMPARED_TABLES = ("actions", "values", "meetings")
DB_NAME = "review.json"
MINUTES_NAME = "minutes.md"
CSV_TEXT = "indicator,date,value,source\n1.3.1,2024-10-31,700,市统计局\n4.2.2,2024-10-31,9.5,市统计局\n"
# A clean run's timestamps differ from a faulted run's by the wall clock, nothing else.
TIMESTAMP = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?"')


@dataclass(frozen=True)
class Case:
    """A command under test, and the database it starts from."""

    args: tuple[str, ...]
    """After `--db PATH`; {csv} and {minutes} stand for the files the test provides."""
    journal_pending: bool = False
    """Start with one saved action item still in the journal, not yet folded into the file."""
    writes_database: bool = True


CASES = {
    "actions add": Case(("actions", "add", "故障注入时交办", "--owner", "张三")),
    "actions add, journal pending": Case(("actions", "add", "故障注入时交办", "--owner", "张三"), True),
    "actions update": Case(("actions", "update", "A1", "--status", "done", "--evidence", "已完成")),
    "actions done": Case(("actions", "done", "A2", "--evidence", "市政府已批复")),
    "values import": Case(("values", "import", "{csv}")),
    "meetings close": Case(("meetings", "close", "2024-10-31")),
    "init --force": Case(("init", "--force"), True),
    # The action-item list only: the same calls as the whole minutes, at a seventh of the time.
    "export -o": Case(("export", "--actions-only", "-o", "{minutes}"), writes_database=False),
}
ERRORS = {"EIO": errno.EIO, "ENOSPC": errno.ENOSPC}


@dataclass(frozen=True)
class Clean:
    """What a command does with no fault: the oracle for the faulted runs."""

    ran: Ran
    calls: list[StorageCall]

    @property
    def kinds(self) -> list[str]:
        return [call.kind for call in self.calls]

    def chosen(self) -> list[StorageCall]:
        """The calls to fail: every one, except that of the lock file's (signed by its holder
        at every acquire, at one call site) only the first and the last of each kind."""
        lock_calls: dict[str, list[int]] = {}
        for call in self.calls:
            if call.path.endswith(LOCK_SUFFIX):
                lock_calls.setdefault(call.kind, []).append(call.index)
        skipped = {index for indexes in lock_calls.values() for index in indexes[1:-1]}
        return [call for call in self.calls if call.index not in skipped]

    after: str
    minutes: bytes | None


class Bench:
    """The starting databases (made once) and each case's clean run (once, on first use)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.csv = root / "values.csv"
        self.csv.write_text(CSV_TEXT, encoding="utf-8")
        self.env = isolated(root)
        self.invoke = in_process()
        self.templates: dict[bool, Path] = {}
        for pending in (False, True):
            folder = root / f"template-{'journal' if pending else 'plain'}"
            folder.mkdir()
            create_database(folder / DB_NAME, demo=True)
            if pending:
                with Store.open(folder / DB_NAME) as store:
                    commands.add_action(Repository(store, who="王秘书"), "未折叠的事项", "张三")
            self.templates[pending] = folder
        self.before = {pending: state(folder / DB_NAME) for pending, folder in self.templates.items()}
        self._clean: dict[str, Clean] = {}
        self._runs = 0

    def fresh(self, case: Case) -> Path:
        """A new folder holding a copy of the case's starting database (and its journal)."""
        self._runs += 1
        folder = self.root / f"run-{self._runs}"
        folder.mkdir()
        for source in self.templates[case.journal_pending].iterdir():
            if not source.name.endswith(".lock"):
                shutil.copy2(source, folder / source.name)
        return folder / DB_NAME

    def run(self, case: Case, db: Path, faults: InjectedFaults) -> Ran:
        args = [a.format(csv=self.csv, minutes=db.parent / MINUTES_NAME) for a in case.args]
        with faults:
            return self.invoke(self.env, ("--db", str(db), *args), None)

    def clean(self, name: str) -> Clean:
        if name not in self._clean:
            case = CASES[name]
            db = self.fresh(case)
            counter = InjectedFaults(db.parent)
            ran = self.run(case, db, counter)
            assert ran.returncode == 0, f"{name}: the clean run failed: {ran.stderr}"
            minutes = db.parent / MINUTES_NAME
            self._clean[name] = Clean(
                in_place_of(ran, db.parent),
                counter.calls,
                state(db),
                minutes.read_bytes() if minutes.exists() else None,
            )
        return self._clean[name]


def in_place_of(ran: Ran, folder: Path) -> Ran:
    """`ran` with the run's own folder written as FOLDER, so two runs' output compare."""
    return Ran(
        ran.returncode, ran.stdout.replace(str(folder), "FOLDER"), ran.stderr.replace(str(folder), "FOLDER")
    )


def state(path: Path) -> str:
    """The tables people's work lives in, as the store reads them (journal replayed), as
    canonical JSON with every timestamp written as <time>."""
    with Store.open(path, readonly=True) as store:
        tables = {table: dict(store.table(table)) for table in COMPARED_TABLES}
    return TIMESTAMP.sub('"<time>"', json.dumps(tables, ensure_ascii=False, sort_keys=True))


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Bench:
    return Bench(tmp_path_factory.mktemp("faults"))


def problems_after(bench: Bench, name: str, db: Path, ran: Ran, faults: InjectedFaults) -> list[str]:
    """Everything wrong with one faulted run, as lines for the failure message."""
    case, clean = CASES[name], bench.clean(name)
    ran = in_place_of(ran, db.parent)
    problems: list[str] = []
    said = " | ".join(ran.stderr.strip().splitlines()) or "nothing"
    stderr_lines = ran.stderr.strip().splitlines()
    if ran.returncode not in (0, 2):
        problems.append(f"exit {ran.returncode} (neither 0 nor 2); stderr: {said}")
    try:
        json.loads(db.read_bytes())
        now = state(db)
    except Exception as error:
        return [*problems, f"the database is unusable after the run: {type(error).__name__}: {error}"]
    before = bench.before[case.journal_pending]
    if now not in (before, clean.after):
        problems.append("the database is neither as before nor as after a clean run")
    minutes = db.parent / MINUTES_NAME
    if ran.returncode == 0:
        if now != clean.after:
            problems.append(f"exit 0 but the change is not in the database; stderr: {said}")
        if ran.stdout != clean.ran.stdout:
            problems.append(f"exit 0 but stdout differs from a clean run's: {ran.stdout!r}")
        if clean.minutes is not None and (not minutes.exists() or minutes.read_bytes() != clean.minutes):
            problems.append("exit 0 but the minutes file is missing or not the clean run's")
        if case.args[0] == "init" and not backup_holds(db, before):
            problems.append("exit 0 but no backup holds the replaced database")
        if ran.stderr != clean.ran.stderr and not (
            len(stderr_lines) == 1 and stderr_lines[0].startswith("zzreview: saved; ")
        ):
            problems.append(f"exit 0 with stderr other than one `zzreview: saved; …` line: {said}")
        for failed, retried in faults.fsyncs_retried_after_failing():
            problems.append(
                f"fsync of {failed.path} failed (call {failed.index}), was retried on the same "
                f"file (call {retried.index}) and the save was reported done"
            )
    elif ran.returncode == 2:
        if case.writes_database and now != before:
            problems.append(f"exit 2 but the change was saved: a retry would make it twice; stderr: {said}")
        if ran.stdout:
            problems.append(f"exit 2 after printing a success on stdout: {ran.stdout.strip()!r}")
        if minutes.exists():
            problems.append("exit 2 but the minutes file was written")
        if len(stderr_lines) != 1 or not stderr_lines[0].startswith("zzreview: "):
            problems.append(f"exit 2 without exactly one `zzreview: …` line: {said}")
        elif "FOLDER" not in stderr_lines[0]:
            problems.append(f"exit 2 with a line that names no file: {said}")
    leftovers = sorted(p.name for p in db.parent.iterdir() if p.name.endswith(".tmp"))
    if leftovers:
        problems.append(f"temp files left behind: {leftovers}")
    if case.writes_database:
        try:
            with Store.open(db) as store:  # nothing wedged: it still opens and folds
                store.checkpoint()
            if state(db) != now:
                problems.append("the database changed when it was next opened and folded")
        except Exception as error:
            problems.append(f"the database cannot be written afterwards: {type(error).__name__}: {error}")
    return problems


def backup_holds(db: Path, before: str) -> bool:
    """Whether a `*.bak-replaced-*` backup beside `db` holds the database as it was before."""
    backups = [p for p in db.parent.glob(f"{db.name}.bak-replaced-*") if not p.name.endswith(".journal")]
    return any(state(backup) == before for backup in backups)


def test_the_counter_sees_every_kind_of_storage_call(bench: Bench) -> None:
    kinds = {name: set(bench.clean(name).kinds) for name in CASES}
    assert set().union(*kinds.values()) == set(STORAGE_CALL_KINDS)
    for name, case in CASES.items():
        if case.writes_database and case.args[0] != "init":
            assert {"write", "fsync", "dirsync", "replace", "ftruncate"} <= kinds[name], name
    assert {"write", "fsync", "dirsync", "replace"} <= kinds["init --force"]
    assert {"write", "fsync", "link"} <= kinds["export -o"]
    for name in CASES:  # what is failed covers every kind of call each command makes
        assert {call.kind for call in bench.clean(name).chosen()} == kinds[name], name


@pytest.mark.parametrize("persistent", [False, True], ids=["once", "from-N-on"])
@pytest.mark.parametrize("error", ERRORS.values(), ids=ERRORS.keys())
@pytest.mark.parametrize("name", CASES)
def test_every_storage_call_failing_leaves_the_truth(
    bench: Bench, name: str, error: int, persistent: bool
) -> None:
    clean = bench.clean(name)
    found: list[str] = []
    for call in clean.chosen():
        n, kind = call.index, call.kind
        db = bench.fresh(CASES[name])
        faults = InjectedFaults(db.parent, fail_at=n, error=error, persistent=persistent)
        where = f"call {n}/{len(clean.calls)} ({kind} {Path(call.path).name})"
        try:
            ran = bench.run(CASES[name], db, faults)
        except Exception as failure:
            found.append(f"{where}: a traceback: {type(failure).__name__}: {failure}")
            continue
        found += [f"{where}: {problem}" for problem in problems_after(bench, name, db, ran, faults)]
    assert not found, f"zzreview {' '.join(CASES[name].args)}:\n" + "\n".join(found)


def test_the_counter_catches_a_retried_fsync(tmp_path: Path) -> None:
    import os

    with InjectedFaults(tmp_path, fail_at=2) as faults:
        fd = os.open(tmp_path / "f", os.O_WRONLY | os.O_CREAT)
        try:
            os.write(fd, b"x")
            with pytest.raises(OSError):
                os.fsync(fd)
            os.fsync(fd)  # the mistake: the same file again, and it "works"
        finally:
            os.close(fd)
    assert faults.kinds == ["write", "fsync", "fsync"]
    assert [(a.index, b.index) for a, b in faults.fsyncs_retried_after_failing()] == [(2, 3)]
