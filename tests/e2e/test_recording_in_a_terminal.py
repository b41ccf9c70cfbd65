"""The installed `zzreview` in a real terminal: record an action item, find it again after a
restart and from the command line, then take it back with ctrl+z."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.e2e.terminal import Terminal
from tests.e2e.test_meeting_in_a_terminal import _entry_point, env  # noqa: F401  (the fixture)

TEXT = "端到端：督促调蓄工程开工"
OWNER = "王测试"
SHOWN = f"{OWNER} · 时限 2024-11-14"
"""The item's line under the area's action items: its owner and its due date, resolved."""
SECRETARY = "王秘书"


def _json(zzreview: str, db: Path, environ: dict[str, str], *args: str) -> list[dict]:
    done = subprocess.run(
        [zzreview, "--db", str(db), *args, "--format", "json"], env=environ, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _open_area_4(zzreview: str, db: Path, environ: dict[str, str]) -> Terminal:
    terminal = Terminal([zzreview, "--db", str(db)], env=environ)
    terminal.wait_for("回头看")
    terminal.press("4")
    terminal.wait_for("扩大有效益的投资")
    return terminal


def test_an_action_item_typed_in_the_app_is_kept_shown_listed_and_undone(
    tmp_path: Path,
    env: dict[str, str],  # noqa: F811
) -> None:
    db = tmp_path / "review.json"
    zzreview = _entry_point()
    env = dict(env, ZZREVIEW_USER=SECRETARY)
    subprocess.run([zzreview, "--db", str(db), "init", "--demo"], check=True, env=env, capture_output=True)

    terminal = _open_area_4(zzreview, db, env)
    try:
        terminal.press("a")
        terminal.wait_for("现在开始会议")  # the demo's meeting is planned: start it first
        terminal.press("y")
        terminal.wait_for("新增交办事项")
        # Each field's text is typed once the cursor is in it: keys sent with the `enter`
        # before them could reach the field before the form moves the focus on.
        for label, typed in (("事项", TEXT), ("责任人", OWNER), ("牵头单位", ""), ("配合单位", "")):
            terminal.wait_for_cursor_on(label)
            terminal.press(typed, "enter")
        terminal.wait_for_cursor_on("时限")
        terminal.press("+2w")
        terminal.wait_for("2024-11-14（周四）")  # resolved from the meeting's date as it is typed
        terminal.press("ctrl+s")
        terminal.wait_for("已保存")
        terminal.wait_gone("新增交办事项")
        terminal.wait_for(SHOWN)
        terminal.press("q")
        terminal.wait_for("退出会议")
        terminal.press("y")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()

    terminal = _open_area_4(zzreview, db, env)
    try:
        terminal.wait_for(SHOWN)
        listed = [a for a in _json(zzreview, db, env, "actions", "list") if a["text"] == TEXT]
        assert len(listed) == 1, listed
        item = listed[0]
        assert (item["owner"], item["lead_unit"], item["supporting_units"]) == (OWNER, "", [])
        # +2w counts from the meeting's date (2024-10-31), not from today.
        assert (item["due"], item["area"], item["meeting"]) == ("2024-11-14", 4, "2024-10-31")
        terminal.press("ctrl+z")
        terminal.wait_for("已撤销")
        terminal.wait_gone(SHOWN)
        # Gone on disk as on screen, while the app is still open.
        assert all(a["text"] != TEXT for a in _json(zzreview, db, env, "actions", "list"))
        terminal.press("ctrl+q")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()

    log = _json(zzreview, db, env, "log")
    added = [e for e in log if e["kind"] == "action.add"]
    assert len(added) == 1, log
    undone = [e for e in log if e["undoes"] == added[0]["seq"]]
    assert len(undone) == 1 and undone[0]["kind"] == "undo", log
    for event in (added[0], undone[0]):
        assert (event["seat"], event["who"]) == ("chair", SECRETARY), event
    check = subprocess.run([zzreview, "--db", str(db), "check"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
