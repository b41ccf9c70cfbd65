"""Shared set-up for the benchmarks: time zzreview as an installed copy runs.

The benchmarks time the installed package (`pip install .`), never the source tree beside
them: the shipped plan and themes exist (as zzreview.data and zzreview.themes) only once
installed. Importing this module takes the repository off this interpreter's import path and
its children's PYTHONPATH, and stops with one line if zzreview is not installed; children
start as `python -P -m zzreview`, which leaves the working folder off their path.

`pip install` compiles every module to bytecode, and Textual's modules are compiled; a
development checkout (or PYTHONDONTWRITEBYTECODE) would instead recompile zzreview's sources
on every start and charge that to zzreview. So compile them once, and let children cache.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

ZZREVIEW = [sys.executable, "-P", "-m", "zzreview"]
"""How the benchmarks start the installed zzreview."""


def _in_repository(entry: str) -> bool:
    return Path(entry or os.getcwd()).resolve() == REPO


def _use_the_installed_package() -> None:
    sys.path[:] = [entry for entry in sys.path if not _in_repository(entry)]
    if os.environ.get("PYTHONPATH"):
        entries = os.environ["PYTHONPATH"].split(os.pathsep)
        os.environ["PYTHONPATH"] = os.pathsep.join(e for e in entries if not _in_repository(e))
    try:
        shipped = importlib.util.find_spec("zzreview.data")
    except ModuleNotFoundError:
        shipped = None
    if shipped is None:
        sys.exit(f"zzreview is not installed for {sys.executable}: run `python -m pip install .` in {REPO}")


_use_the_installed_package()


def prepare_interpreter() -> None:
    """Compile zzreview to bytecode and let the processes we time use it."""
    import zzreview

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(Path(zzreview.__file__).parent), quiet=1)


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds one run of `command` takes (spawn → exit), its output discarded."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start
