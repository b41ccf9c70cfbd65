"""The meeting layer's tests run on the shipped demo held in memory, as a seat with a fixed
clock: the current meeting is 2024-10-31 (planned), 2024-09-30 is closed, and action items
A1–A8 were raised at it. Here: those fixtures, and the checks every command test makes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from zzreview.analysis import DEFAULT_PRESET
from zzreview.meeting.commands import EntryError, Recorded
from zzreview.plans.demo import shipped_demo
from zzreview.plans.loader import shipped_plan
from zzreview.storage.repository import Repository
from zzreview.storage.seed import initial_tables
from zzreview.storage.store import Store

MEETING = "2024-10-31"
"""The demo's current meeting (planned); relative dates count from it."""
CLOSED = "2024-09-30"
"""The demo's closed meeting, where A1–A8 were raised."""
SECRETARY = "王秘书"
CHAIR = "李主任"
CHINA = timezone(timedelta(hours=8))


def _fixed_clock() -> datetime:
    return datetime(2024, 10, 31, 15, 30, tzinfo=CHINA)


@functools.cache
def _demo_tables() -> dict[str, Any]:
    """The shipped demo's tables, built once: `Store.memory` makes its own copy each time."""
    plan = shipped_plan()
    return initial_tables(plan, shipped_demo(plan), plan_source="shipped", rules=DEFAULT_PRESET)


@pytest.fixture
def repo() -> Repository:
    """The secretary's seat on a fresh demo database, with a fixed clock: `demo_in_memory`
    without building the demo again for every test."""
    return Repository(Store.memory(_demo_tables()), who=SECRETARY, seat="secretary", clock=_fixed_clock)


@pytest.fixture
def chair(repo: Repository) -> Repository:
    """The chair's seat on the same database."""
    return Repository(repo.store, who=CHAIR, seat="chair", clock=_fixed_clock)


def refused(
    repo: Repository, field: str, command: Callable[..., Any], *args: Any, **kwargs: Any
) -> EntryError:
    """Run a command that must be refused on `field`, with nothing written."""
    events = len(repo.events())
    actions, meetings, points = repo.actions(), repo.meetings(), repo.data_points()
    with pytest.raises(EntryError) as caught:
        command(repo, *args, **kwargs)
    error = caught.value
    assert error.field == field, f"{error.field!r} != {field!r}: {error.message}"
    assert error.message
    assert "--" not in error.message  # no command-line flags in what a form shows
    assert len(repo.events()) == events
    assert repo.actions() == actions
    assert repo.meetings() == meetings
    assert repo.data_points() == points
    return error


def recorded(result: Recorded[Any], repo: Repository, kind: str) -> None:
    """A command's result carries the event it saved, the last in the log, as this seat."""
    assert isinstance(result, Recorded)
    event = result.event
    assert event is not None
    assert event == repo.events()[-1]
    assert (event.seat, event.who, event.kind) == (repo.seat, repo.who, kind)
