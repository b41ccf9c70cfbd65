"""Opening a database as one seat, creating one, and closing it with nothing left unsaved.

Every process on a database is a seat — `cli`, `chair`, `secretary`, `viewer`, `browser` —
and the seat goes into every event it records, so the audit trail says who wrote from where.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zzreview.analysis import DEFAULT_PRESET
from zzreview.domain.entry import EntryError
from zzreview.plans.loader import PlanError
from zzreview.storage.errors import StoreError
from zzreview.storage.repository import Repository

SEATS = ("cli", "chair", "secretary", "viewer", "browser")
"""The seats a process can take."""

APP_ROLES = ("chair", "secretary", "viewer")
"""The seats the meeting app runs as (`zzreview run --role`)."""

USER_ERRORS = (StoreError, PlanError, EntryError)
"""What the layer raises for input or a file a person can put right: each one line to show."""


class CreateError(ValueError):
    """A new database that cannot be made as asked; the message says why."""


def create_database(
    path: Path, *, plan_file: Path | None = None, demo: bool = False, force: bool = False
) -> str:
    """Write a new database at `path` from a plan file (default: the shipped plan), with the
    shipped illustrative demo data if `demo`; an existing file is replaced only with `force`
    (and backed up first). Returns "" or one line of warning: made, but not confirmed durable."""
    from zzreview.plans.demo import shipped_demo
    from zzreview.plans.loader import read_plan_file, shipped_plan
    from zzreview.storage.seed import initial_tables
    from zzreview.storage.store import Store

    plan = read_plan_file(plan_file) if plan_file else shipped_plan()
    demo_data = None
    if demo:
        if plan_file is not None and plan.id != shipped_plan().id:
            raise CreateError(f"the demo holds data for the shipped plan only, not for {plan_file}")
        demo_data = shipped_demo(plan)
    path.parent.mkdir(parents=True, exist_ok=True)
    tables = initial_tables(
        plan, demo_data, plan_source=str(plan_file) if plan_file else "shipped", rules=DEFAULT_PRESET
    )
    store = Store.create(path, tables, force=force)
    store.close()
    return f"saved; {store.unconfirmed}" if store.unconfirmed else ""


@dataclass
class Seat:
    """One process's place at the meeting: its database, opened on first use, and its seat.

    `open_demo_if_missing` makes the per-user default database from the demo the first time.
    """

    path: Path
    seat: str = "cli"
    who: str = ""
    open_demo_if_missing: bool = False
    on_wait: Callable[[str], None] | None = None
    """Told, in one line, whenever this seat has to wait for another process's lock."""
    warn: Callable[[str], None] | None = None
    """Told, in one line, of anything beside the database to look at (a sync conflict copy)."""
    _repo: Repository | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.seat not in SEATS:
            raise ValueError(f"unknown seat {self.seat!r}; seats are {', '.join(SEATS)}")

    def repo(self) -> Repository:
        """The repository, opening the database the first time."""
        if self._repo is None:
            from zzreview.storage.store import Store

            if self.open_demo_if_missing and not self.path.exists():
                create_database(self.path, demo=True)
            store = Store.open(self.path, label={"seat": self.seat, "who": self.who}, on_wait=self.on_wait)
            self._repo = Repository(store, who=self.who, seat=self.seat)
            if self.warn is not None:
                from zzreview.storage.siblings import conflict_warning

                warning = conflict_warning(store.path or self.path)
                if warning:
                    self.warn(warning)
        return self._repo

    @property
    def is_open(self) -> bool:
        return self._repo is not None

    def close(self, *, fold: bool | None = None) -> str:
        """Let go of the database, folding the journal into the file when nobody else holds
        the lock and either `fold` is true or this seat saved and folding is due
        (`Store.checkpoint_due`: a command at a large database only appends to the journal).

        The meeting app quitting (`fold` None for the app's seats) folds whatever the journal
        holds, whoever wrote it, when folding is due: a small file always, a large one only
        once its journal has grown (rewriting 40 MB would hold the chair's terminal for a
        second or two after the screen is gone). Folding is housekeeping: every save is already
        durable in the journal, so it never fails a save. Returns "" or one line saying it was
        left for later, and why."""
        if self._repo is None:
            return ""
        store = self._repo.store
        self._repo = None
        try:
            if store.unconfirmed:
                return f"saved; {store.unconfirmed}"  # no folding onto a disk that just failed
            if fold is None and self.seat != "cli":
                wanted = store.journal_size > 0 and store.checkpoint_due()
            elif fold:
                wanted = store.journal_size > 0
            else:
                wanted = store.saved_here > 0 and store.checkpoint_due()
            if wanted and not store.readonly:
                # Another process holding the lock is at it: whoever opens the file next folds.
                store.checkpoint(wait=False)
        except StoreError as error:
            return f"saved; {error}"
        finally:
            store.close()
        return ""


def settle_in_for_the_meeting() -> None:
    """Ready this process to hold a meeting open for hours (the app): each text repeated
    through the values, which it keeps all of, held once, and every large buffer it frees
    given back to the system (storage.durable). A command that reads a table once and ends
    pays for neither.

    The values are read off the UI thread, after the first screen; the action items are not
    held so: the first launch after a save reads them before its first screen, where holding
    their texts once would cost it ~80 ms at city scale (for 11 MB)."""
    from zzreview.storage.durable import give_back_large_buffers, hold_texts_once
    from zzreview.storage.layout import VALUES_TABLE

    hold_texts_once(VALUES_TABLE)
    give_back_large_buffers()


def check_database(repo: Repository) -> list[str]:
    """Every problem with the open database, one line each; empty when it is sound."""
    from zzreview.storage.checks import check_repository

    return check_repository(repo)


def demo_in_memory(*, who: str = "", seat: str = "cli", clock=None) -> Repository:
    """The shipped plan and demo data in a database held in memory (tests, screenshots)."""
    from zzreview.storage.store import Store

    return Repository(Store.memory(_demo_tables(), clock=clock), who=who, seat=seat, clock=clock)


@functools.cache
def _demo_tables() -> dict:
    """The shipped demo's tables, built once a process: each memory store takes its own copy."""
    from zzreview.plans.demo import shipped_demo
    from zzreview.plans.loader import shipped_plan
    from zzreview.storage.seed import initial_tables

    plan = shipped_plan()
    return initial_tables(plan, shipped_demo(plan), plan_source="shipped", rules=DEFAULT_PRESET)


def watch_conflict_copies(repo: Repository):
    """A watch for sync tools' conflict copies appearing beside the database while it is open
    (`storage.watch.ConflictWatch`: `due()` without I/O, `check()` lists the folder); None for
    a database in memory."""
    from zzreview.storage.watch import ConflictWatch

    return ConflictWatch(repo.store.path) if repo.store.path is not None else None
