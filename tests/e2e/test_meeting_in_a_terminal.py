"""The installed `zzreview` in a real terminal: open the demo meeting, walk it, quit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal


def _entry_point() -> str:
    beside_python = Path(sys.executable).with_name("zzreview")
    return str(beside_python) if beside_python.exists() else shutil.which("zzreview") or "zzreview"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    values = {k: v for k, v in os.environ.items() if not k.startswith("ZZREVIEW_")}
    values.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    return values


def test_walk_the_demo_meeting_in_a_real_terminal(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "review.json"
    zzreview = _entry_point()
    subprocess.run([zzreview, "--db", str(db), "init", "--demo"], check=True, env=env, capture_output=True)
    terminal = Terminal([zzreview, "--db", str(db)], env=env)
    try:
        terminal.wait_for("回头看")
        terminal.wait_for("梳理800个重大工业项目")  # a carried-over item
        terminal.press("n")
        terminal.wait_for("强化创新驱动发展")
        terminal.press("n")
        terminal.wait_for("提升产业链群能级")
        terminal.press("0")
        terminal.wait_for("强化保障推动落实")
        terminal.wait_for("郑好融")  # area 10's own milestone, not on any other screen
        assert "示例数据" in terminal.text()
        terminal.press("q")
        terminal.wait_for("退出会议")
        terminal.press("q")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()
    # The walk recorded nothing but where the chair was, under the chair's seat, and the
    # database is still sound and folded (the journal emptied on quitting).
    assert Path(f"{db}.journal").stat().st_size == 0
    data = json.loads(db.read_text(encoding="utf-8"))
    check = subprocess.run([zzreview, "--db", str(db), "check"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    walked = [e for e in data["events"].values() if e["kind"] == "meeting.follow"]
    assert walked and {e["seat"] for e in walked} == {"chair"}
    assert {e["kind"] for e in data["events"].values()} == {"meeting.follow"}
    (followed,) = data["follow"].values()
    assert (followed["meeting_id"], followed["area"]) == ("2024-10-31", 10)
    assert followed["indicator"].startswith("10.") and not followed["zoom"] and not followed["blank"]


def test_a_secretary_seat_is_named_so_and_writes_nothing_by_walking(
    tmp_path: Path, env: dict[str, str]
) -> None:
    db = tmp_path / "review.json"
    zzreview = _entry_point()
    subprocess.run([zzreview, "--db", str(db), "init", "--demo"], check=True, env=env, capture_output=True)
    terminal = Terminal([zzreview, "--db", str(db), "run", "--role", "secretary"], env=env)
    try:
        terminal.wait_for("回头看")
        terminal.press("n")
        terminal.wait_for("强化创新驱动发展")
        terminal.press("\x11")  # ctrl+q: quit at once
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()
    data = json.loads(db.read_text(encoding="utf-8"))
    assert data.get("events", {}) == {}
    listed = subprocess.run(
        [zzreview, "--db", str(db), "actions", "list", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert len(json.loads(listed.stdout)) == 8


def test_an_unknown_theme_exits_2_listing_the_themes(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "review.json"
    zzreview = _entry_point()
    subprocess.run([zzreview, "--db", str(db), "init", "--demo"], check=True, env=env, capture_output=True)
    result = subprocess.run(
        [zzreview, "--db", str(db), "run", "--theme", "neon"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "neon" in result.stderr
    for name in ("projector-light", "projector-dark", "high-contrast"):
        assert name in result.stderr


def test_a_value_that_cannot_be_read_ends_the_app_in_one_line_after_its_first_screen(
    tmp_path: Path, env: dict[str, str]
) -> None:
    # The figures are worked out after the first screen is up (回头看 shows none): a value
    # broken by hand is found then, and said as a launch would say it, with no traceback.
    db = tmp_path / "review.json"
    zzreview = _entry_point()
    subprocess.run([zzreview, "--db", str(db), "init", "--demo"], check=True, env=env, capture_output=True)
    data = json.loads(db.read_text(encoding="utf-8"))
    broken = next(iter(data["values"]))
    data["values"][broken]["as_of"] = "not a date"
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    terminal = Terminal([zzreview, "--db", str(db)], env=env)
    try:
        assert terminal.wait_exit(timeout=30) == 2
        text = terminal.text()
    finally:
        terminal.close()
    assert "values.as_of" in text and "not a date" in text and "zzreview check" in text, text
    assert "Traceback" not in text
