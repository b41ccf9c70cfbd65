"""`zzreview status` as a table prints what it printed with Rich alone: the same bytes when
the output is not a terminal, the same look on one (golden files made by the Rich-only
version, at the demo's planned meeting)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Ran, Run

GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("ZZREVIEW_UPDATE_GOLDEN") == "1"
"""`ZZREVIEW_UPDATE_GOLDEN=1 pytest tests/cli/test_status_table.py` writes the golden files
again, printed by Rich itself (the table's own layout turned off), then checks against them."""


@pytest.fixture(autouse=True)
def goldens_printed_by_rich(monkeypatch, run: Run, demo_db: Path, isolated_env: dict[str, str]) -> None:
    if not UPDATE:
        return
    from zzreview.rendering import terminal

    def rich_only(*_args, **_kwargs):
        raise terminal.Unsupported("the golden files are Rich's")

    with monkeypatch.context() as patched:
        patched.setattr(terminal, "terminal_of", rich_only)
        for lang, columns in (("zh", 80), ("zh", 132), ("en", 60)):
            env = dict(isolated_env, COLUMNS=str(columns), LINES="50")
            made = run_with(run, isolated_env, env, demo_db, "--lang", lang)
            (GOLDEN / f"dashboard-demo-{lang}-{columns}.txt").write_text(made, encoding="utf-8", newline="")
        env = dict(isolated_env, COLUMNS="100", LINES="50", FORCE_COLOR="1")
        env.pop("NO_COLOR", None)
        made = run_with(run, isolated_env, env, demo_db, "--lang", "en")
        (GOLDEN / "dashboard-demo-en-100-styled.txt").write_text(made, encoding="utf-8", newline="")


def run_with(run: Run, isolated_env: dict[str, str], env: dict[str, str], demo_db: Path, *args: str) -> str:
    """What `status` prints with the environment `env` (the test's own restored after)."""
    saved = dict(isolated_env)
    isolated_env.clear()
    isolated_env.update(env)
    try:
        result = run("--db", str(demo_db), *args, "status", "--as-of", "2024-10-31")
    finally:
        isolated_env.clear()
        isolated_env.update(saved)
    assert result.returncode == 0, result.stderr
    return result.stdout


def status(run: Run, demo_db: Path, isolated_env: dict[str, str], columns: int, *args: str) -> Ran:
    isolated_env["COLUMNS"] = str(columns)
    result = run("--db", str(demo_db), *args, "status", "--as-of", "2024-10-31")
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize(("lang", "columns"), [("zh", 80), ("zh", 132), ("en", 60)])
def test_the_printed_table_is_byte_for_byte_what_rich_printed(
    run: Run, demo_db: Path, isolated_env: dict[str, str], lang: str, columns: int
) -> None:
    result = status(run, demo_db, isolated_env, columns, "--lang", lang)

    assert result.stdout == (GOLDEN / f"dashboard-demo-{lang}-{columns}.txt").read_text(encoding="utf-8")


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def looks(written: str) -> list[list[tuple[str, str]]]:
    """Every character that shows, line by line, with the SGR parameters it is written under
    (a space's look does not show)."""
    lines: list[list[tuple[str, str]]] = [[]]
    current = ""
    position = 0
    for match in [*_SGR.finditer(written), None]:
        end = match.start() if match else len(written)
        for char in written[position:end]:
            if char == "\n":
                lines.append([])
            elif char != " ":
                lines[-1].append((char, current))
        if match is None:
            break
        position = match.end()
        current = "" if match.group(1) in ("", "0") else match.group(1)
    return lines


def test_on_a_terminal_every_character_looks_as_rich_made_it(
    run: Run, demo_db: Path, isolated_env: dict[str, str]
) -> None:
    isolated_env["FORCE_COLOR"] = "1"  # a terminal, as Rich and the fast path both read it
    del isolated_env["NO_COLOR"]
    result = status(run, demo_db, isolated_env, 100, "--lang", "en")

    golden = (GOLDEN / "dashboard-demo-en-100-styled.txt").read_text(encoding="utf-8")
    assert "\x1b[1;33m" in result.stdout
    assert looks(result.stdout) == looks(golden)
    assert _SGR.sub("", result.stdout) == _SGR.sub("", golden)


def test_the_table_is_printed_without_richs_console(isolated_env: dict[str, str], demo_db: Path) -> None:
    from tests.cli.test_import_cost import among, loaded

    isolated_env["COLUMNS"] = "120"
    modules = loaded(isolated_env, "--db", str(demo_db), "status")

    assert among(modules, "rich.console", "rich.table", "rich.text", "rich.segment") == []
    assert "rich.cells" in modules  # Rich's character widths, so CJK aligns as before


def test_a_terminal_rich_treats_its_own_way_still_gets_richs_table(
    run: Run, demo_db: Path, isolated_env: dict[str, str]
) -> None:
    isolated_env["TERM"] = "dumb"
    isolated_env["FORCE_COLOR"] = "1"
    del isolated_env["LINES"]
    result = status(run, demo_db, isolated_env, 132)

    # Rich prints to a dumb terminal 80 columns wide (unless both COLUMNS and LINES are set)
    # and without styles.
    assert result.stdout == (GOLDEN / "dashboard-demo-zh-80.txt").read_text(encoding="utf-8")
    assert "rich.console" in sys.modules
