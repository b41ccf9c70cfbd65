"""What a headless command imports: each pays for what it uses, never for Rich's tables, the
app, plotext's whole API or another command's modules (untimed: the modules are counted).

Each probe runs one command in a fresh interpreter and prints the modules it loaded.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import REPO, Run

PROBE = """
import json, sys
BEFORE
from zzreview.cli import cli
try:
    cli(sys.argv[1:], prog_name="zzreview", standalone_mode=False)
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write("\\nPROBE " + REPORT + "\\n")
"""
"""Runs the command given on its line; BEFORE is code run first, REPORT what is said after."""

NEVER_HEADLESS = ("textual", "zzreview.ui", "rich.console", "rich.table", "rich.text")
"""Loaded by no headless command: the app, and Rich's rendering machinery."""

OFFICE = ("docx", "lxml", "python_calamine", "xlsxwriter", "markdown_it")
"""The office formats' libraries: loaded only by the commands that read or write them."""


def probe(env: dict[str, str], *args: str, before: str = "", report: str) -> str:
    """What `report` (an expression) gives after `zzreview ARGS` ran, in a fresh interpreter
    that ran `before` first (the command must succeed)."""
    code = PROBE.replace("BEFORE", before).replace("REPORT", report)
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stderr.splitlines() if line.startswith("PROBE "))
    return line.removeprefix("PROBE ")


def loaded(env: dict[str, str], *args: str) -> set[str]:
    """The modules `zzreview ARGS` loads in a fresh interpreter (it must succeed)."""
    return set(json.loads(probe(env, *args, report="json.dumps(sorted(sys.modules))")))


def among(modules: set[str], *prefixes: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_status_as_data_imports_no_rendering_library(
    isolated_env: dict[str, str], demo_db: Path, fmt: str
) -> None:
    modules = loaded(isolated_env, "--db", str(demo_db), "status", "--format", fmt)

    assert among(modules, "rich", "plotext", *NEVER_HEADLESS, *OFFICE) == []
    # Nor the charts, the meeting layer's commands or any other command's module.
    assert among(modules, "zzreview.rendering.charts", "zzreview.rendering.dashboard") == []
    assert among(modules, "zzreview.meeting.commands", "zzreview.meeting.view") == []
    assert among(modules, "zzreview.cli") == [
        "zzreview.cli",
        "zzreview.cli.group",
        "zzreview.cli.output",
        "zzreview.cli.status",
    ]
    assert "zzreview.analysis.ranking" not in modules
    # A plan file's reader, the network library (for this machine's name: the lock is signed
    # with the name the system gives directly) and what tells other seats' saves apart neither.
    assert among(modules, "tomllib", "socket", "pickle", "hashlib", "zzreview.storage.watch") == []


COUNT_COMPILED = """
from zzreview.storage import codec
compiled = []
build = codec._fast_dataclass_decoder
def counted(cls, *rest):
    compiled.append(cls.__name__)
    return build(cls, *rest)
codec._fast_dataclass_decoder = counted
"""


def compiled_decoders(env: dict[str, str], *args: str) -> list[str]:
    """The dataclasses whose fast decoder `zzreview ARGS` compiled, in a fresh interpreter."""
    return probe(env, *args, before=COUNT_COMPILED, report='" ".join(sorted(set(compiled)))').split()


def test_a_command_on_the_demo_compiles_no_fast_decoder(isolated_env: dict[str, str], demo_db: Path) -> None:
    # Compiling one costs ~0.5 ms a dataclass: the demo's few documents of each kind decode
    # quicker the strict way (test_codec_fast_path: past COMPILE_AFTER, the fast one is built).
    assert compiled_decoders(isolated_env, "--db", str(demo_db), "status", "--format", "json") == []


def test_export_draws_its_charts_with_plotexts_drawing_modules_only(
    isolated_env: dict[str, str], demo_db: Path
) -> None:
    modules = loaded(isolated_env, "--db", str(demo_db), "export", "2024-10-31")

    assert among(modules, *NEVER_HEADLESS, *OFFICE) == []
    assert "plotext._plotter.plot" in modules  # the minutes have charts
    # plotext's package __init__ (its whole API, its documentation objects) never ran.
    assert among(modules, "plotext._doc", "plotext._kernel.api", "plotext.prettydoc") == []
    assert among(modules, "zzreview.cli") == [
        "zzreview.cli",
        "zzreview.cli.export",
        "zzreview.cli.group",
        "zzreview.cli.output",
    ]


def test_the_word_minutes_load_python_docx_and_draw_no_chart(
    isolated_env: dict[str, str], demo_db: Path, tmp_path: Path
) -> None:
    modules = loaded(isolated_env, "--db", str(demo_db), "export", "-o", str(tmp_path / "纪要.docx"))

    assert among(modules, *NEVER_HEADLESS, "plotext", "python_calamine", "xlsxwriter") == []
    assert "docx" in modules and "markdown_it" in modules  # each chart is a table of its months


def test_the_action_list_alone_draws_nothing(isolated_env: dict[str, str], demo_db: Path) -> None:
    modules = loaded(isolated_env, "--db", str(demo_db), "export", "--actions-only")

    assert among(modules, "rich", "plotext", "zzreview.rendering.charts", *NEVER_HEADLESS) == []


def test_the_version_opens_no_database(isolated_env: dict[str, str]) -> None:
    modules = loaded(isolated_env, "--version")

    assert among(modules, "zzreview.storage", "zzreview.meeting", "tinydb") == []


def test_every_command_is_found_where_the_group_looks_for_it() -> None:
    from zzreview.cli.group import COMMAND_MODULES, cli

    for module in pkgutil.iter_modules(importlib.import_module("zzreview.cli").__path__):
        importlib.import_module(f"zzreview.cli.{module.name}")
    registered = {name: command.callback.__module__ for name, command in cli.commands.items()}

    assert registered == {name: f"zzreview.cli.{module}" for name, module in COMMAND_MODULES.items()}


def test_status_judges_at_the_meeting_layers_reference_date(run: Run, demo_db: Path) -> None:
    from zzreview.cli.status import reference_date as status_reference
    from zzreview.meeting import commands
    from zzreview.meeting.session import Seat

    def both() -> tuple[object, object]:
        seat = Seat(demo_db)
        try:
            repo = seat.repo()
            return status_reference(repo), commands.reference_date(repo)
        finally:
            seat.close()

    mine, theirs = both()  # the current (planned) meeting's date
    assert mine == theirs
    assert json.loads(run("--db", str(demo_db), "status", "--format", "json").stdout)["as_of"] == str(mine)
    for meeting in json.loads(run("--db", str(demo_db), "meetings", "list", "--format", "json").stdout):
        if meeting["state"] != "closed":
            assert run("--db", str(demo_db), "meetings", "close", meeting["id"]).returncode == 0
    mine, theirs = both()  # no open meeting: the last meeting's date
    assert mine == theirs
