"""Fixtures for the browser seat: a demo database, and `zzreview serve` processes on it that
must leave no app process behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.serve.seat import Served, alive, isolated_env, start_serve, zzreview


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database (`zzreview --db X init --demo`), shared by a module's tests: a viewer
    seat writes nothing."""
    folder = tmp_path_factory.mktemp("served")
    db = folder / "meeting.json"
    result = zzreview("--db", str(db), "init", "--demo", env=isolated_env(folder))
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def serve(demo_db: Path, tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start `zzreview serve ARGS…` on the demo database; each is stopped at the end, and must
    leave no app process behind."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        served = start_serve(demo_db, isolated_env(tmp_path), *args)
        started.append(served)
        return served

    yield start
    for served in started:
        children = served.apps()
        served.stop()
        assert not [pid for pid in children if alive(pid)], "an app outlived the server"
