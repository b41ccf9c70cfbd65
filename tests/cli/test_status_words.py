"""One word for a status everywhere: the screens, the table, CSV and JSON say the same."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run

STALE = "6.2.2"
"""The demo's indicator whose latest figure is too old to judge by on 2024-10-31."""


@pytest.mark.parametrize(("lang", "word"), [("zh", "数据过期"), ("en", "stale")])
def test_a_stale_figure_reads_the_same_in_the_table_csv_and_json(
    run: Run, demo_db: Path, isolated_env: dict[str, str], lang: str, word: str
) -> None:
    isolated_env["COLUMNS"] = "200"
    base = ("--db", str(demo_db), "--lang", lang, "status", "--as-of", "2024-10-31")
    as_json = json.loads(run(*base, "--format", "json").stdout)
    indicator = next(
        entry for area in as_json["areas"] for entry in area["indicators"] if entry["id"] == STALE
    )
    assert indicator["stale"] is True and indicator["word"] == word
    rows = list(csv.DictReader(io.StringIO(run(*base, "--format", "csv").stdout)))
    assert next(row for row in rows if row["id"] == STALE)["word"] == word
    table = run(*base).stdout
    assert any(STALE in line and word in line for line in table.splitlines())
