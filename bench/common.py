"""Shared set-up for the benchmarks: time zzreview as an installed copy runs.

`pip install` compiles every module to bytecode, and Textual's modules are compiled; a
development checkout (or PYTHONDONTWRITEBYTECODE) would instead recompile zzreview's sources
on every start and charge that to zzreview. So compile them once, and let children cache.
"""

from __future__ import annotations

import compileall
import os
import subprocess
import time
from pathlib import Path

import zzreview


def prepare_interpreter() -> None:
    """Compile zzreview to bytecode and let the processes we time use it."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(Path(zzreview.__file__).parent), quiet=1)


def timed(command: list[str]) -> float:
    """Seconds one run of `command` takes, its output discarded."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
