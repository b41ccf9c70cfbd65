"""Run `zzreview` isolated from the user's files: in-process through click's CliRunner, or the
installed entry point in a subprocess where only a real process shows what is checked."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Ran:
    """A finished run of zzreview: its exit code and what it printed to each stream."""

    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Ran]


def isolated(tmp_path: Path) -> dict[str, str]:
    """An environment whose per-user folders are inside `tmp_path`, with no ZZREVIEW_* of ours."""
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


def in_process() -> Callable[[Mapping[str, str], tuple[str, ...], str | None], Ran]:
    """A runner of the `zzreview` click group in this process, under a given environment.

    The group is imported here, not at the top, so a broken import is one test error each,
    not a collection crash. An exception that escapes the command fails the test with its
    traceback: a person running the command would see that traceback.
    """
    from click.testing import CliRunner

    from zzreview.cli import cli

    def invoke(env: Mapping[str, str], args: tuple[str, ...], input: str | None) -> Ran:
        # CliRunner overrides os.environ for the call, and None removes a variable:
        # what this process inherited but `env` leaves out must not leak in.
        overrides: dict[str, str | None] = {k: None for k in os.environ if k not in env}
        overrides.update(env)
        try:
            result = CliRunner().invoke(
                cli, list(args), input=input, env=overrides, prog_name="zzreview", catch_exceptions=False
            )
        except Exception as error:
            error.add_note(f"`zzreview {shlex.join(args)}` ended in a traceback instead of a message")
            raise
        return Ran(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def isolated_env(tmp_path: Path) -> dict[str, str]:
    """The test's environment (a test may add ZZREVIEW_* entries before it runs zzreview)."""
    return isolated(tmp_path)


@pytest.fixture
def run(isolated_env: dict[str, str]) -> Run:
    """Run `zzreview ARGS…` in-process and return what it did (never raises on exit codes)."""
    invoke = in_process()

    def _run(*args: str, input: str | None = None) -> Ran:
        return invoke(isolated_env, args, input)

    return _run


@pytest.fixture
def run_installed(isolated_env: dict[str, str]) -> Run:
    """Run the installed `zzreview` script in a subprocess: the interpreter's start, the real
    streams and exit status, the per-user folders of a fresh process."""
    beside_python = Path(sys.executable).with_name("zzreview")
    entry_point = str(beside_python) if beside_python.exists() else shutil.which("zzreview")
    if not entry_point:
        pytest.fail("the zzreview entry point is not installed; run `pip install -e '.[test]'`")

    def _run(*args: str, input: str | None = None) -> Ran:
        done = subprocess.run(
            [entry_point, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=isolated_env,
            input=input,
            timeout=60,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    return _run


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once; tests copy it."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "demo.json"
    result = in_process()(isolated(folder), ("--db", str(path), "init", "--demo"), None)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path) -> Path:
    """A fresh copy of the demo database for one test."""
    path = tmp_path / "review.json"
    shutil.copy(demo_template, path)
    return path
