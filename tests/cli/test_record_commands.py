"""Everything the app records, also from scripts: decisions, notes, judgements, attendance, the
meeting's life, dropping an item, undo and the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

HOSTILE = "加快8号线 [bold]x[/] | `y` <b>z</b> 🚇"


def _json(run: Run, db: Path, *args: str) -> list[dict]:
    result = run("--db", str(db), *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_decisions_notes_judgements_and_attendance_round_trip(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    assert run("--db", db, "decisions", "add", HOSTILE, "--area", "4").returncode == 0
    assert run("--db", db, "notes", "add", "地铁集团汇报进度", "--area", "4").returncode == 0
    assert run("--db", db, "judgements", "set", "4.4", "at_risk", "--text", "8号线工期紧").returncode == 0
    assert (
        run(
            "--db",
            db,
            "attendance",
            "set",
            "市交通运输局主要负责同志",
            "--presence",
            "deputised",
            "--deputy",
            "李副局长",
        ).returncode
        == 0
    )
    assert _json(run, demo_db, "decisions", "list") == [
        {"id": "D1", "area": 4, "text": HOSTILE, "meeting": "2024-10-31"}
    ]
    assert _json(run, demo_db, "notes", "list", "--area", "4")[0]["text"] == "地铁集团汇报进度"
    judged = {j["measure_id"]: j for j in _json(run, demo_db, "judgements", "list")}
    assert judged["4.4"]["verdict"] == "at_risk" and judged["4.4"]["text"] == "8号线工期紧"
    people = {a["name"]: a for a in _json(run, demo_db, "attendance", "list")}
    assert people["市交通运输局主要负责同志"]["presence"] == "deputised"
    assert people["市交通运输局主要负责同志"]["deputy"] == "李副局长"
    table = run("--db", db, "decisions", "list")
    assert HOSTILE in table.stdout  # shown literally, never as markup
    minutes = run("--db", db, "export").stdout
    assert "加快8号线" in minutes and "8号线工期紧" in minutes


def test_bad_input_is_one_line_naming_the_flag(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    cases = [
        (("notes", "add", "x", "--area", "11"), "--area: no area 11"),
        (("judgements", "set", "9.9", "on_track"), "MEASURE: no measure '9.9'"),
        (("attendance", "set", "某人", "--presence", "deputised"), "deputy"),
        (("decisions", "add", "  "), "empty"),
        (("actions", "drop", "A3", "--reason", " "), "--reason: dropping an action item needs"),
        (("meetings", "edit", "--date", "0001-01-01"), "--date: 0001-01-01 is far from the plan"),
        (("decisions", "list", "--meeting", "nope"), "no meeting 'nope'"),
    ]
    for args, needle in cases:
        result = run("--db", db, *args)
        assert result.returncode == 2, (args, result.stdout)
        assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)


def test_a_meetings_life_and_undo_with_its_audit_trail(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    assert run("--db", db, "meetings", "start").returncode == 0
    assert _json(run, demo_db, "meetings", "list")[1]["state"] == "in_progress"
    assert run("--db", db, "meetings", "edit", "--place", "第二会议室").returncode == 0
    assert run("--db", db, "actions", "drop", "A3", "--reason", "并入A1").returncode == 0
    assert {a["id"]: a["status"] for a in _json(run, demo_db, "actions", "list")}["A3"] == "dropped"
    undone = run("--db", db, "undo")
    assert undone.returncode == 0 and "A3" in undone.stdout
    assert {a["id"]: a["status"] for a in _json(run, demo_db, "actions", "list")}["A3"] != "dropped"
    trail = _json(run, demo_db, "log", "--seat", "cli")
    kinds = [e["kind"] for e in trail]
    assert kinds == ["meeting.start", "meeting.edit", "action.status", "undo"]
    assert trail[-1]["undoes"] == trail[-2]["seq"] and all(e["who"] == "测试员" for e in trail)
    assert run("--db", db, "undo", "--seat", "chair").returncode == 2
    assert _json(run, demo_db, "log", "--since", "2999-01-01") == []


def test_notes_marked_as_the_meetings_words_and_the_minutes_issue_details(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    assert run("--db", db, "notes", "add", "要倒排工期", "--area", "4", "--as", "stressed").returncode == 0
    (note,) = [n for n in _json(run, demo_db, "notes", "list") if n["text"] == "要倒排工期"]
    assert note["kind"] == "stressed"
    refused = run("--db", db, "notes", "add", "x", "--area", "4", "--as", "shouted")
    assert refused.returncode == 2 and "shouted" in refused.stderr
    # A closed meeting is frozen, but for what its minutes are printed with.
    edited = run(
        "--db", db, "meetings", "edit", "2024-09-30", "--number", "第9期（修订）", "--issuer", "市政府办"
    )
    assert edited.returncode == 0, edited.stderr
    shown = json.loads(run("--db", db, "meetings", "show", "2024-09-30", "--format", "json").stdout)
    assert (shown["number"], shown["issuer"]) == ("第9期（修订）", "市政府办")
    frozen = run("--db", db, "meetings", "edit", "2024-09-30", "--place", "别处")
    assert frozen.returncode == 2 and "closed" in frozen.stderr
    minutes = run("--db", db, "export", "2024-09-30").stdout
    assert "\n第9期（修订）\n" in minutes and "市政府办　　2024年9月30日印发" in minutes
