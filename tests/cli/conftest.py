"""Run the installed `zzreview` entry point in a subprocess, isolated from the user's files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _entry_point() -> str:
    beside_python = Path(sys.executable).with_name("zzreview")
    found = str(beside_python) if beside_python.exists() else shutil.which("zzreview")
    if not found:
        pytest.fail("the zzreview entry point is not installed; run `pip install -e '.[test]'`")
    return found


ZZREVIEW = _entry_point()

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def isolated_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose per-user folders are inside the test's temp folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZZREVIEW_")}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "home" / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / "config"),
        ZZREVIEW_USER="测试员",
        COLUMNS="200",
        LINES="50",
        NO_COLOR="1",
    )
    return env


@pytest.fixture
def run(isolated_env: dict[str, str]) -> Run:
    """Run `zzreview ARGS…` and return the finished process (never raises on exit codes)."""

    def _run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ZZREVIEW, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=isolated_env,
            input=input,
            timeout=60,
        )

    return _run


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once; tests copy it."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "demo.json"
    result = subprocess.run(
        [ZZREVIEW, "--db", str(path), "init", "--demo"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path) -> Path:
    """A fresh copy of the demo database for one test."""
    path = tmp_path / "review.json"
    shutil.copy(demo_template, path)
    return path
