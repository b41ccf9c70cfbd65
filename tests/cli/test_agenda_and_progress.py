"""From the command line: no silent second meeting on a day, progress lines on action items,
the agenda put in order with its timeboxes, and the time each area took shown with a meeting.

The demo's current meeting is 2024-10-31 (planned); 2024-11-29 is planned too."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run
from zzreview.meeting import commands
from zzreview.storage.repository import Repository
from zzreview.storage.store import Store

RED_FIRST = [5, 7, 6, 4, 1, 2, 8, 9, 10, 3]
"""The demo's areas at 2024-10-31, worst light first (see tests/meeting/test_agenda_and_time)."""


def _json(run: Run, db: Path, *args: str):
    result = run("--db", str(db), *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _events(run: Run, db: Path) -> list[dict]:
    return _json(run, db, "log")


def _one_line(result, *needles: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


# -- meetings new ---------------------------------------------------------------------------------


def test_a_second_meeting_on_a_day_is_refused_unless_forced(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    before = _json(run, demo_db, "meetings", "list")
    refused = run("--db", db, "meetings", "new", "--date", "2024-11-29")
    _one_line(refused, "--date: a meeting on 2024-11-29 already exists (2024-11-29)", "--force")
    assert _json(run, demo_db, "meetings", "list") == before
    forced = run("--db", db, "meetings", "new", "--date", "2024-11-29", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "2024-11-29-2" in forced.stdout
    ids = [m["id"] for m in _json(run, demo_db, "meetings", "list")]
    assert ids.count("2024-11-29-2") == 1 and len(ids) == len(before) + 1


def test_the_help_of_meetings_new_explains_force(run: Run) -> None:
    shown = run("meetings", "new", "--help")
    assert shown.returncode == 0
    assert "--force" in shown.stdout and "already has a meeting" in " ".join(shown.stdout.split())


# -- actions update --progress ----------------------------------------------------------------------


def _item(run: Run, db: Path, action_id: str) -> dict:
    return {a["id"]: a for a in _json(run, db, "actions", "list")}[action_id]


def test_a_progress_line_alone_keeps_the_status_and_shows_in_the_json(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    assert _item(run, demo_db, "A1")["progress"] is None
    said = run("--db", db, "actions", "update", "A1", "--progress", "已开工 12 个")
    assert said.returncode == 0, said.stderr
    assert "已开工 12 个" in said.stdout
    item = _item(run, demo_db, "A1")
    assert (item["status"], item["progress"]) == ("in_progress", "已开工 12 个")
    last = item["history"][-1]
    assert (last["kind"], last["evidence"], last["before"], last["after"]) == (
        "progress",
        "已开工 12 个",
        None,
        None,
    )
    assert (last["who"], last["meeting"]) == ("测试员", "2024-10-31")
    assert item["history"][0]["kind"] == "raised"
    assert _events(run, demo_db)[-1]["kind"] == "action.progress"


def test_a_status_with_a_progress_line_is_one_change_and_one_undo(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    before = _item(run, demo_db, "A2")
    done = run("--db", db, "actions", "update", "A2", "--status", "done", "--progress", "方案已印发")
    assert done.returncode == 0, done.stderr
    item = _item(run, demo_db, "A2")
    assert item["status"] == "done"
    assert (item["history"][-1]["kind"], item["history"][-1]["evidence"]) == ("status", "方案已印发")
    assert [e["kind"] for e in _events(run, demo_db)] == ["action.status"]
    assert run("--db", db, "undo").returncode == 0
    assert _item(run, demo_db, "A2") == before


def test_update_still_changes_a_status_with_evidence(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    moved = run("--db", db, "actions", "update", "A2", "--status", "in_progress", "--evidence", "已启动")
    assert moved.returncode == 0, moved.stderr
    item = _item(run, demo_db, "A2")
    assert (item["status"], item["history"][-1]["evidence"], item["progress"]) == (
        "in_progress",
        "已启动",
        None,
    )
    same = run("--db", db, "actions", "update", "A2", "--status", "in_progress")
    assert same.returncode == 0
    assert len(_events(run, demo_db)) == 1  # the status it has, with nothing to say: nothing recorded


def test_update_refuses_in_one_line(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    cases = [
        (("actions", "update", "A1"), "--status, --progress"),
        (("actions", "update", "A1", "--evidence", "x", "--progress", "y", "--status", "done"), "not both"),
        (("actions", "update", "A1", "--progress", "  "), "--progress: the progress line is empty"),
        (("actions", "update", "A2", "--status", "done"), "--evidence: closing an action item"),
        (("actions", "update", "A99", "--progress", "进展"), "no action item 'A99'"),
    ]
    for args, needle in cases:
        _one_line(run("--db", db, *args), needle)
    assert _events(run, demo_db) == []


def test_the_help_of_actions_update_explains_progress(run: Run) -> None:
    shown = " ".join(run("actions", "update", "--help").stdout.split())
    assert "--progress" in shown and "进展" in shown and "one change" in shown


# -- meetings agenda ---------------------------------------------------------------------------------


def test_the_agenda_is_only_shown_without_an_option(run: Run, demo_db: Path) -> None:
    rows = _json(run, demo_db, "meetings", "agenda")
    assert [r["area"] for r in rows] == list(range(1, 11))
    assert all(r["minutes"] == 8 and r["seconds"] is None for r in rows)
    assert {r["area"]: r["state"] for r in rows}[5] == "off_track"
    assert _events(run, demo_db) == []


def test_red_first_and_weighted_and_back(run: Run, demo_db: Path) -> None:
    weighted = _json(run, demo_db, "meetings", "agenda", "--weighted")  # red first unless said
    assert [r["area"] for r in weighted] == RED_FIRST
    assert [r["minutes"] for r in weighted] == [11, 11, 9, 8, 8, 8, 7, 6, 6, 6]
    assert _events(run, demo_db)[-1]["kind"] == "meeting.agenda"
    shown = _json(run, demo_db, "meetings", "show")
    assert [(a["area_number"], a["timebox_minutes"]) for a in shown["agenda"]] == [
        (r["area"], r["minutes"]) for r in weighted
    ]
    even = _json(run, demo_db, "meetings", "agenda", "--red-first", "--even")
    assert [r["area"] for r in even] == RED_FIRST and {r["minutes"] for r in even} == {8}
    back = _json(run, demo_db, "meetings", "agenda", "--plan-order")
    assert [r["area"] for r in back] == list(range(1, 11)) and {r["minutes"] for r in back} == {8}
    assert len(_events(run, demo_db)) == 3


def test_the_agenda_as_a_table_and_as_csv(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    table = run("--db", db, "meetings", "agenda", "--red-first")
    assert table.returncode == 0, table.stderr
    lines = [line for line in table.stdout.splitlines() if line.strip()]
    assert "■" in lines[2] and "深化重点领域改革" in lines[2]  # area 5, off track, first
    csv = run("--db", db, "meetings", "agenda", "2024-10-31", "--format", "csv")
    assert csv.stdout.splitlines()[0] == "area,title,state,minutes,seconds"
    assert csv.stdout.splitlines()[1].startswith("5,深化重点领域改革,off_track,8,")


def test_a_closed_meeting_shows_its_agenda_but_is_not_reordered(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    assert [r["area"] for r in _json(run, demo_db, "meetings", "agenda", "2024-09-30")] == list(range(1, 11))
    _one_line(run("--db", db, "meetings", "agenda", "2024-09-30", "--weighted"), "2024-09-30 is closed")
    assert _events(run, demo_db) == []


# -- the time each area took ------------------------------------------------------------------------


def test_meetings_show_prints_the_agenda_and_the_time_each_area_took(run: Run, demo_db: Path) -> None:
    db = str(demo_db)
    plain = run("--db", db, "meetings", "show")
    assert plain.returncode == 0, plain.stderr
    assert "议程" in plain.stdout and "用时" not in plain.stdout
    store = Store.open(demo_db)
    try:
        repo = Repository(store, who="计时", seat="chair")
        commands.record_area_time(repo, 0, 300)
        commands.record_area_time(repo, 5, 725)
    finally:
        store.close()
    timed = run("--db", db, "meetings", "show")
    assert timed.returncode == 0, timed.stderr
    lines = timed.stdout.splitlines()
    agenda = lines.index("议程")
    assert "用时" in lines[agenda + 1]
    review, first = lines[agenda + 3], lines[agenda + 4]
    assert review.startswith("0 ") and "回头看" in review and "5:00" in review
    assert first.startswith("1 ") and "—" in first
    assert any(line.startswith("5 ") and "12:05" in line for line in lines[agenda:])
    rows = _json(run, demo_db, "meetings", "agenda")
    assert (rows[0]["area"], rows[0]["minutes"], rows[0]["seconds"]) == (0, None, 300)
    assert {r["area"]: r["seconds"] for r in rows}[5] == 725
    assert _json(run, demo_db, "meetings", "show")["area_seconds"] == {"0": 300, "5": 725}
