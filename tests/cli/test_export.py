"""`zzreview export`: the minutes, as a script or a secretary asks for them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from markdown_it import MarkdownIt

from tests.cli.conftest import Run


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of the first table in `markdown`, as cell texts."""
    tokens = MarkdownIt("js-default").parse(markdown)
    rows: list[list[str]] = []
    row: list[str] | None = None
    in_body = False
    for token in tokens:
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            break
        elif in_body and token.type == "tr_open":
            row = []
        elif in_body and token.type == "tr_close" and row is not None:
            rows.append(row)
        elif in_body and token.type == "inline" and row is not None:
            row.append("".join(child.content for child in token.children or []))
    return rows


def test_export_writes_the_current_meetings_minutes_to_stdout(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "export")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# 2024年下半年经济运行调度会（10月）纪要\n")
    assert "## 一、上次交办事项落实情况" in result.stdout
    assert "示例数据，非官方统计" in result.stdout
    assert result.stderr == ""
    again = run("--db", str(demo_db), "export", "-o", "-")
    assert again.stdout == result.stdout


def test_export_to_a_file_refuses_to_overwrite_without_force(run: Run, demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "minutes.md"
    first = run("--db", str(demo_db), "export", "2024-09-30", "-o", str(target))
    assert first.returncode == 0, first.stderr
    assert str(target) in first.stderr and first.stdout == ""
    written = target.read_bytes()
    assert written.decode("utf-8").startswith("# 2024年下半年经济运行调度会（9月）纪要")

    target.write_bytes(b"keep me")
    refused = run("--db", str(demo_db), "export", "2024-09-30", "-o", str(target))
    assert refused.returncode == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_bytes() == b"keep me"

    forced = run("--db", str(demo_db), "export", "2024-09-30", "-o", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_bytes() == written
    assert [p.name for p in folder.iterdir()] == ["minutes.md"], "no temp file is left behind"


def test_export_of_an_unknown_meeting_is_a_usage_error(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "export", "2023-01-01")
    assert result.returncode == 2
    assert "2023-01-01" in result.stderr and "2024-09-30" in result.stderr


def test_actions_only_matches_actions_list(run: Run, demo_db: Path) -> None:
    listed = run("--db", str(demo_db), "actions", "list", "--meeting", "2024-09-30", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    ids = [row["id"] for row in csv.DictReader(io.StringIO(listed.stdout))]
    assert ids == [f"A{n}" for n in range(1, 9)]
    result = run("--db", str(demo_db), "export", "2024-09-30", "--actions-only")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# 2024年下半年经济运行调度会（9月）交办事项清单\n")
    assert "## " not in result.stdout, "only the list, not the whole minutes"
    assert [row[1] for row in table_rows(result.stdout)] == ids


def test_an_action_added_from_the_cli_appears_in_the_current_meetings_list(run: Run, demo_db: Path) -> None:
    added = run(
        "--db",
        str(demo_db),
        "actions",
        "add",
        "加快 | 推进 *重点* 项目",
        "--owner",
        "市发展改革委",
        "--due",
        "2024-11-20",
        "--measure",
        "4.2",
        "--lead-unit",
        "市发展改革委",
        "--support",
        "市统计局",
    )
    assert added.returncode == 0, added.stderr
    listed = run("--db", str(demo_db), "actions", "list", "--meeting", "2024-10-31", "--format", "csv")
    ids = [row["id"] for row in csv.DictReader(io.StringIO(listed.stdout))]
    assert ids == ["A9"]
    result = run("--db", str(demo_db), "export", "--actions-only")
    assert result.returncode == 0, result.stderr
    rows = table_rows(result.stdout)
    assert [row[1] for row in rows] == ids
    assert rows[0][2:] == [
        "加快 | 推进 *重点* 项目",
        "市发展改革委",
        "市发展改革委",
        "市统计局",
        "2024年11月20日",
        "4.2 抓好重大工业项目建设",
    ]
    full = run("--db", str(demo_db), "export")
    assert "| 1 | A9 | 加快 \\| 推进 \\*重点\\* 项目 |" in full.stdout


def test_lang_en_gives_english_minutes(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "--lang", "en", "export")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Minutes: ")
    assert "## I. Follow-up on earlier action items" in result.stdout
    assert "## V. Next meeting" in result.stdout
    assert "Illustrative data, not official statistics" in result.stdout
    assert "一、" not in result.stdout


def test_the_minutes_as_a_word_document(run: Run, demo_db: Path, tmp_path: Path) -> None:
    import docx

    target = tmp_path / "纪要.docx"
    done = run("--db", str(demo_db), "export", "-o", str(target))
    assert done.returncode == 0, done.stderr
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "2024年下半年经济运行调度会（10月）纪要"
    first = target.read_bytes()
    again = run("--db", str(demo_db), "export", "-o", str(target), "--force")
    assert again.returncode == 0 and target.read_bytes() == first, "the same data, the same bytes"
    # Asked for by name, whatever the file is called; never to a terminal; never over the database.
    named = tmp_path / "minutes.bin"
    assert run("--db", str(demo_db), "export", "--format", "docx", "-o", str(named)).returncode == 0
    assert named.read_bytes() == first
    no_file = run("--db", str(demo_db), "export", "--format", "docx")
    assert no_file.returncode == 2 and "-o FILE.docx" in no_file.stderr and no_file.stdout == ""
    over = run("--db", str(demo_db), "export", "-o", str(demo_db), "--format", "docx", "--force")
    assert over.returncode == 2 and "is the database" in over.stderr
    actions = tmp_path / "交办.docx"
    assert run("--db", str(demo_db), "export", "--actions-only", "-o", str(actions)).returncode == 0
    assert docx.Document(str(actions)).paragraphs[0].text.endswith("交办事项清单")
