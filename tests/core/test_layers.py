"""The import contracts in pyproject.toml hold: faces -> meeting -> core -> domain, nothing upward.

import-linter reads every module's imports without running them, so a forbidden import anywhere
(even inside a function) fails here with its report: the contract, the importer and the line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


@pytest.fixture(scope="module")
def report() -> str:
    """One run of lint-imports over all contracts; its text report (wide, so no line wraps).

    It finds pyproject.toml in the repository root; --no-cache keeps .import_linter_cache out of the tree.
    """
    result = subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "500", "NO_COLOR": "1"},
    )
    text = result.stdout + result.stderr
    assert result.returncode in (0, 1) and "Contracts:" in text, text
    return text[text.find("Contracts\n") :]  # from the first heading on, past the logo


def broken_section(report: str, name: str) -> str:
    """The part of the report under the heading `name` (a line of dashes below it), up to the next heading."""
    lines = report.splitlines()
    heading = [i for i in range(len(lines) - 1) if lines[i + 1].startswith("---") and lines[i].strip()]
    for start, end in zip(heading, [*heading[1:], len(lines)], strict=True):
        if lines[start].strip() == name:
            return "\n".join(lines[start:end]).strip()
    return report


@pytest.mark.parametrize("contract", CONTRACTS, ids=[contract["id"] for contract in CONTRACTS])
def test_contract_is_kept(report: str, contract: dict) -> None:
    kept = f"{contract['name']} KEPT"  # "… KEPT (1 ignored import)" where an arrow is allowed by name
    if not any(line.strip() == kept or line.strip().startswith(f"{kept} (") for line in report.splitlines()):
        pytest.fail(broken_section(report, contract["name"]), pytrace=False)
