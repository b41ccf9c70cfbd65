"""The command line as staff and scripts use it: in-process through click's runner, and a few
checks through the installed entry point that only a real process can answer."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.cli.conftest import REPO, Run

SEED_HEADING = re.compile(r"^重点工作(\d+): (.+)$", re.M)


def seed_titles() -> list[str]:
    text = (REPO / "data" / "seed-plan.txt").read_text(encoding="utf-8")
    return [title.strip() for _, title in SEED_HEADING.findall(text)]


def plan_targets() -> dict[str, tuple[float, str]]:
    plan = tomllib.loads((REPO / "data" / "plan.toml").read_text(encoding="utf-8"))
    return {
        ind["id"]: (float(ind["target"]), ind["unit"])
        for area in plan["areas"]
        for measure in area["measures"]
        for ind in measure["indicators"]
        if ind["kind"] == "target"
    }


def test_status_json_lists_every_area_and_target_of_the_seed(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "status", "--as-of", "2024-10-31", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2024-10-31"
    assert doc["illustrative"] is True and "示例数据" in doc["notice"]
    assert [a["title"] for a in doc["areas"]] == seed_titles()
    assert len(doc["areas"]) == 10
    indicators = {i["id"]: i for a in doc["areas"] for i in a["indicators"]}
    for key in ("id", "name", "unit", "target", "current", "completion", "expected", "gap", "state"):
        assert all(key in i for i in indicators.values()), key
    targets = plan_targets()
    assert targets, "the plan has numeric targets"
    for ident, (number, unit) in targets.items():
        assert indicators[ident]["target"] == number
        assert indicators[ident]["unit"] == unit
    states = {i["state"] for i in indicators.values() if i["kind"] == "target"}
    assert {"on_track", "off_track", "no_data"} <= states, states
    full_year = [i for i in indicators.values() if i["kind"] == "target" and i["horizon"] == "year"]
    assert all(i["expected"] == pytest.approx(83.3, abs=0.1) for i in full_year)


def test_status_table_shows_lights_marks_and_the_illustrative_notice(
    run_installed: Run, demo_db: Path
) -> None:
    result = run_installed("--db", str(demo_db), "status", "--as-of", "2024-10-31")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "示例数据，非官方统计" in out
    assert "序时进度" in out and "完成率" in out
    for title in seed_titles():
        assert title in out
    assert "■ 落后" in out and "● 正常" in out


def test_status_in_english_and_for_one_area(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "--lang", "en", "status", "--area", "4", "--as-of", "2024-10-31")
    assert result.returncode == 0, result.stderr
    assert "Illustrative data, not official statistics" in result.stdout
    assert "Area 4" in result.stdout and "Area 5" not in result.stdout
    bad = run("--db", str(demo_db), "status", "--area", "11")
    assert bad.returncode == 2 and "no area 11" in bad.stderr


def test_status_csv_has_one_row_per_indicator(run: Run, demo_db: Path) -> None:
    result = run("--db", str(demo_db), "status", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    plan = tomllib.loads((REPO / "data" / "plan.toml").read_text(encoding="utf-8"))
    count = sum(len(m["indicators"]) for a in plan["areas"] for m in a["measures"])
    assert len(rows) == count
    assert {"id", "target", "current", "completion", "expected", "gap", "state"} <= set(rows[0])


HOSTILE = [
    "x [/] y",
    "[bold]not bold[/bold] [link=https://example.org]link[/link]",
    "\x1b[31mred\x1b[0m and \x1b]8;;http://evil\x07osc\x1b]8;;\x07",
    "a | b | c",
    "`backticks` *stars* _under_ #hash ~tilde~",
    "<script>alert('x')</script>",
    "郑州地铁6号线一期 🚇🎉 emoji",
    "multi\nline\ttext",
    "x" * 100_000,
]


def test_hostile_text_round_trips_literally(run: Run, demo_db: Path) -> None:
    from zzreview.domain.text import clean_text

    for text in HOSTILE:
        added = run("--db", str(demo_db), "actions", "add", text, "--owner", "市发展改革委[/]")
        assert added.returncode == 0, added.stderr[:300]
    listed = run("--db", str(demo_db), "actions", "list", "--meeting", "2024-10-31", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert [i["text"] for i in items] == [clean_text(t).strip() for t in HOSTILE]
    assert all(i["owner"] == "市发展改革委[/]" for i in items)
    assert "\x1b" not in listed.stdout
    table = run("--db", str(demo_db), "actions", "list", "--meeting", "2024-10-31")
    assert table.returncode == 0, table.stderr[:300]
    assert "x [/] y" in table.stdout and "[bold]not bold[/bold]" in table.stdout
    assert "牵头单位" in table.stdout, "COLUMNS=200 reaches Rich: a wide table keeps every column"


def test_action_json_has_every_field_staff_scripts_need(run: Run, demo_db: Path) -> None:
    added = run(
        "--db", str(demo_db), "actions", "add", "协调6号线一期通车前安全评估",
        "--owner", "分管副市长", "--due", "+2w", "--measure", "4.3",
        "--lead-unit", "郑州地铁集团", "--support", "市交通运输局", "--support", "市应急管理局",
        "--format", "json",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    (item,) = json.loads(added.stdout)
    assert item["due"] == "2024-11-14"  # two weeks after the current meeting, 2024-10-31
    assert item["meeting"] == "2024-10-31"
    assert item["lead_unit"] == "郑州地铁集团"
    assert item["supporting_units"] == ["市交通运输局", "市应急管理局"]
    assert item["measure"] == "4.3" and item["area"] == 4
    assert set(item) >= {
        "id",
        "text",
        "owner",
        "lead_unit",
        "supporting_units",
        "due",
        "status",
        "measure",
        "meeting",
    }


def test_actions_done_needs_evidence_and_filters_work(run: Run, demo_db: Path) -> None:
    listed = json.loads(run("--db", str(demo_db), "actions", "list", "--format", "json").stdout)
    open_item = next(i for i in listed if i["status"] == "open")
    refused = run("--db", str(demo_db), "actions", "done", open_item["id"], "--evidence", "  ")
    assert refused.returncode == 2 and "evidence" in refused.stderr
    done = run(
        "--db", str(demo_db), "actions", "done", open_item["id"].lstrip("A"), "--evidence", "已完成，见报告"
    )
    assert done.returncode == 0, done.stderr
    after = json.loads(
        run("--db", str(demo_db), "actions", "list", "--status", "done", "--format", "json").stdout
    )
    assert open_item["id"] in {i["id"] for i in after}
    overdue = json.loads(run("--db", str(demo_db), "actions", "list", "--overdue", "--format", "json").stdout)
    assert overdue and all(i["overdue"] and i["due"] < "2024-10-31" for i in overdue)
    owner = listed[0]["owner"]
    mine = json.loads(
        run("--db", str(demo_db), "actions", "list", "--owner", owner, "--format", "json").stdout
    )
    assert mine and all(i["owner"] == owner for i in mine)


def test_values_set_and_import(run: Run, demo_db: Path, tmp_path: Path) -> None:
    ident = next(iter(plan_targets()))
    result = run(
        "--db",
        str(demo_db),
        "values",
        "set",
        ident,
        "1,234.5",
        "--date",
        "2024-11-30",
        "--source",
        "市统计局",
    )
    assert result.returncode == 0, result.stderr
    listed = json.loads(
        run("--db", str(demo_db), "values", "list", "--indicator", ident, "--format", "json").stdout
    )
    assert listed[-1] == {
        "indicator": ident,
        "date": "2024-11-30",
        "value": 1234.5,
        "source": "市统计局",
        "evidence": "",
        "entered_by": "测试员",
    }
    good = tmp_path / "good.csv"
    good.write_text(f"indicator,date,value,source\n{ident},2024-12-31,1500,市统计局\n", encoding="utf-8-sig")
    assert run("--db", str(demo_db), "values", "import", str(good)).returncode == 0
    before = demo_db.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"indicator,date,value,source\n{ident},2024-12-15,10,x\nnope.1,2024-12-15,1,x\n{ident},someday,1,x\n{ident},2024-12-16,lots,x\n",
        encoding="utf-8",
    )
    refused = run("--db", str(demo_db), "values", "import", str(bad))
    assert refused.returncode == 2
    assert "line 3" in refused.stderr and "line 4" in refused.stderr and "line 5" in refused.stderr
    assert "line 2" not in refused.stderr
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        f"indicator,date,value,source\n{ident},2024-12-15,10,x\n4.3.2,2024-12-15,half-done,x\n"
        f"{ident},someday,1,x\n{ident},2024-12-15,11,x\n",
        encoding="utf-8",
    )
    refused = run("--db", str(demo_db), "values", "import", str(mixed))
    assert refused.returncode == 2
    # Every problem in one report: a bad milestone state, a bad date, a repeated row.
    assert "line 3" in refused.stderr and "in_progress" in refused.stderr
    assert "line 4" in refused.stderr and "line 5" in refused.stderr and "line 2" in refused.stderr
    assert "nothing imported" in refused.stderr
    assert demo_db.read_bytes() == before
    dates = [
        v["date"]
        for v in json.loads(
            run("--db", str(demo_db), "values", "list", "--indicator", ident, "--format", "json").stdout
        )
    ]
    assert "2024-12-15" not in dates and "2024-12-31" in dates


def test_meetings_new_list_show(run: Run, demo_db: Path) -> None:
    made = run("--db", str(demo_db), "meetings", "new", "--date", "2025-01-24", "--place", "市政府第二会议室")
    assert made.returncode == 0, made.stderr
    listed = json.loads(run("--db", str(demo_db), "meetings", "list", "--format", "json").stdout)
    assert "2024-09-30" in {m["id"] for m in listed}
    assert {m["id"]: m["place"] for m in listed}["2025-01-24"] == "市政府第二会议室"
    shown = run("--db", str(demo_db), "meetings", "show", "2024-10-31", "--format", "json")
    doc = json.loads(shown.stdout)
    assert doc["carried_over"], "open items from 2024-09-30 are carried over"
    assert all(i["meeting"] == "2024-09-30" for i in doc["carried_over"])
    statuses = {i["status"] for i in doc["carried_over"]}
    assert {"open", "in_progress", "done"} <= statuses  # closed since the last meeting: reported too
    table = run("--db", str(demo_db), "meetings", "show")
    assert table.returncode == 0 and "回头看" in table.stdout
    missing = run("--db", str(demo_db), "meetings", "show", "2030-01-01")
    assert missing.returncode == 2 and "2024-09-30" in missing.stderr


def test_check_passes_on_the_demo_and_fails_on_a_broken_reference(run: Run, demo_db: Path) -> None:
    ok = run("--db", str(demo_db), "check")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(demo_db.read_text(encoding="utf-8"))
    first = next(iter(data["actions"]))
    data["actions"][first]["measure_id"] = "99.9"
    demo_db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    broken = run("--db", str(demo_db), "check")
    assert broken.returncode == 1
    assert "99.9" in broken.stderr and str(demo_db) in broken.stderr


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"{not json", "JSON"),
        (b"", "empty"),
        (b"[1, 2, 3]", ""),
        (b'{"meta": {"1": {"schema_version": 999}}}', "newer"),
    ],
)
def test_an_unusable_database_exits_2_naming_the_file_and_keeps_its_bytes(
    run: Run, tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    result = run("--db", str(path), "status")
    assert result.returncode == 2
    assert str(path) in result.stderr and needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == content


def test_usage_errors_exit_2_with_one_line(run: Run, demo_db: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nothing.json"
    result = run("--db", str(missing), "status")
    assert result.returncode == 2 and str(missing) in result.stderr and "init" in result.stderr
    assert not missing.exists()
    for args, needle in [
        (("actions", "add", "x", "--owner", "y", "--due", "someday"), "someday"),
        (("actions", "add", "x", "--owner", "y", "--measure", "42.1"), "42.1"),
        (("values", "set", "9.9.9", "1"), "9.9.9"),
        (("actions", "done", "A999", "--evidence", "e"), "A999"),
        (("init",), "already exists"),
    ]:
        result = run("--db", str(demo_db), *args)
        assert result.returncode == 2, (args, result.stderr)
        assert needle in result.stderr


def test_first_use_creates_the_per_user_database_from_the_demo(
    run_installed: Run, isolated_env: dict[str, str]
) -> None:
    result = run_installed("status")
    assert result.returncode == 0, result.stderr
    assert "示例数据" in result.stdout
    created = list(Path(isolated_env["XDG_DATA_HOME"]).rglob("review.json"))
    assert len(created) == 1


def test_environment_names_the_database(
    run_installed: Run, isolated_env: dict[str, str], demo_db: Path
) -> None:
    isolated_env["ZZREVIEW_DB"] = str(demo_db)
    result = run_installed("actions", "add", "经由环境变量", "--owner", "某人")
    assert result.returncode == 0, result.stderr
    assert "经由环境变量" in demo_db.read_text(encoding="utf-8")


def test_init_from_a_plan_file_and_refusal_of_a_bad_one(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "plain.json"
    made = run("--db", str(db), "init", "--plan", str(REPO / "data" / "plan.toml"))
    assert made.returncode == 0, made.stderr
    status = json.loads(run("--db", str(db), "status", "--format", "json").stdout)
    assert status["illustrative"] is False and status["notice"] == ""
    bad_plan = tmp_path / "bad.toml"
    bad_plan.write_text(
        '[plan]\nid = "x"\ntitle = "t"\nstart = 2024-07-01\nend = "later"\n', encoding="utf-8"
    )
    refused = run("--db", str(tmp_path / "other.json"), "init", "--plan", str(bad_plan))
    assert refused.returncode == 2
    assert str(bad_plan) in refused.stderr and "plan.end" in refused.stderr
    assert not (tmp_path / "other.json").exists()


def test_version_and_help(run: Run) -> None:
    from zzreview import __version__

    assert __version__ in run("--version").stdout
    helped = run("--help")
    assert helped.returncode == 0
    for command in ("init", "status", "values", "actions", "meetings", "check"):
        assert command in helped.stdout


def test_headless_commands_never_import_textual(isolated_env: dict[str, str], demo_db: Path) -> None:
    probe = (
        "import sys\n"
        "from zzreview.cli import cli\n"
        f"db = {str(demo_db)!r}\n"
        "for args in (['--db', db, 'status'], ['--db', db, 'actions', 'list']):\n"
        "    try:\n"
        "        cli.main(args, prog_name='zzreview')\n"
        "    except SystemExit as stop:\n"
        "        assert not stop.code, stop.code\n"
        "print('TEXTUAL', any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=isolated_env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL False" in result.stdout


def test_a_bad_rules_setting_is_one_clear_line(
    run_installed: Run, isolated_env: dict[str, str], demo_db: Path
) -> None:
    isolated_env["ZZREVIEW_RULES"] = "lenient"
    result = run_installed("--db", str(demo_db), "status")
    assert result.returncode == 2
    assert "lenient" in result.stderr and "yinchuan" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_closed_meeting_takes_no_new_actions(run: Run, demo_db: Path) -> None:
    result = run(
        "--db", str(demo_db), "actions", "add", "迟到的事项", "--owner", "某人", "--meeting", "2024-09-30"
    )
    assert result.returncode == 2 and "closed" in result.stderr


def test_commas_only_group_thousands(run: Run, demo_db: Path) -> None:
    ok = run("--db", str(demo_db), "values", "set", "4.2.2", "1,234.5", "--date", "2024-11-30")
    assert ok.returncode == 0, ok.stderr
    for typed in ("1,5", "1,2,3", "12,34"):
        refused = run("--db", str(demo_db), "values", "set", "4.2.2", typed, "--date", "2024-11-30")
        assert refused.returncode == 2 and typed in refused.stderr
