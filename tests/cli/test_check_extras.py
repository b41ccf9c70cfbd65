"""What `check` and every command do with odd text, a sync tool's conflict copies, and a journal
left with lines the file already holds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.conftest import Run

REPLACEMENT = "\ufffd"


def poison(path: Path) -> None:
    """Write lone surrogates into the file the way another program would: as JSON escapes."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["actions"]["2"]["text"] = "加强\ud800对接"
    data["meetings"]["2"]["title"] = "调度会\udfff（10月）"
    # json.dumps escapes what is not ASCII, so the file holds "\ud800": valid JSON, valid UTF-8.
    path.write_text(json.dumps(data), encoding="ascii")
    assert "\\ud800" in path.read_text(encoding="ascii")


def journal_of(path: Path) -> Path:
    return Path(f"{path}.journal")


def test_typed_text_that_is_not_utf8_is_saved_with_a_visible_replacement(run: Run, demo_db: Path) -> None:
    # In a UTF-8 locale Python hands `$'bad \xff'` (e.g. from a GBK terminal) over as "bad \udcff".
    added = run("--db", str(demo_db), "actions", "add", "bad \udcff", "--owner", "x\udcfe")
    assert added.returncode == 0, added.stderr
    listed = run("--db", str(demo_db), "actions", "list", "--meeting", "2024-10-31", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    item = json.loads(listed.stdout)[-1]
    assert (item["text"], item["owner"]) == (f"bad {REPLACEMENT}", f"x{REPLACEMENT}")
    demo_db.read_bytes().decode("utf-8")
    assert run("--db", str(demo_db), "check").returncode == 0


def test_lone_surrogates_in_the_file_are_shown_replaced_and_never_crash(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    poison(demo_db)
    listed = run("--db", str(demo_db), "actions", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert f"加强{REPLACEMENT}对接" in [i["text"] for i in json.loads(listed.stdout)]
    table = run("--db", str(demo_db), "actions", "list")
    assert table.returncode == 0, table.stderr
    shown = run("--db", str(demo_db), "meetings", "show", "2024-10-31")
    assert shown.returncode == 0, shown.stderr
    assert f"调度会{REPLACEMENT}（10月）" in shown.stdout
    minutes = tmp_path / "minutes.md"
    exported = run("--db", str(demo_db), "export", "2024-10-31", "-o", str(minutes))
    assert exported.returncode == 0, exported.stderr
    assert REPLACEMENT in minutes.read_text(encoding="utf-8")


def test_check_names_where_the_lone_surrogates_are(run: Run, demo_db: Path) -> None:
    poison(demo_db)
    checked = run("--db", str(demo_db), "--lang", "en", "check")
    assert checked.returncode == 1
    lines = checked.stderr.strip().splitlines()
    assert len(lines) == 2, checked.stderr
    assert all(line.startswith(f"{demo_db}: ") for line in lines)
    assert "actions[2].text" in lines[0] or "actions[2].text" in lines[1]
    assert any("meetings[2].title" in line for line in lines)
    assert all("\\ud800" in line or "\\udfff" in line for line in lines), "the code point is named"


def test_after_more_writes_the_store_can_still_write_and_every_command_runs(run: Run, demo_db: Path) -> None:
    poison(demo_db)
    for args in [
        ("actions", "add", "once more", "--owner", "x"),
        ("actions", "update", "A2", "--status", "in_progress"),
        ("actions", "add", "and again", "--owner", "y"),
    ]:
        done = run("--db", str(demo_db), *args)
        assert done.returncode == 0, (args, done.stderr)
    assert not journal_of(demo_db).exists() or journal_of(demo_db).stat().st_size == 0
    data = json.loads(demo_db.read_bytes().decode("utf-8"))
    assert len(data["actions"]) == 10
    listed = run("--db", str(demo_db), "actions", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [i["status"] for i in json.loads(listed.stdout) if i["id"] == "A2"] == ["in_progress"]
    checked = run("--db", str(demo_db), "check")
    assert checked.returncode == 1 and "meetings[2].title" in checked.stderr


CONFLICTS = [
    "review.sync-conflict-20241031-091203-ABCDEFG.json",  # Syncthing: before the extension
    "review.json.sync-conflict-20241031-091203-ABCDEFG",
    "review (王秘书's conflicted copy 2024-10-31).json",  # Dropbox
    "review (conflicted copy 2024-10-31 091203).json",  # Nextcloud
    "review.json.sync-conflict-20241031-091203-ABCDEFG.journal",  # the journal's copy
]
NOT_CONFLICTS = ["review (1).json", "review.json.bak-v1-20241031T091203Z", "other.sync-conflict-1-2-X.json"]


def test_check_reports_each_conflict_copy_beside_the_database(run: Run, demo_db: Path) -> None:
    for name in CONFLICTS + NOT_CONFLICTS:
        (demo_db.parent / name).write_text("{}", encoding="utf-8")
    checked = run("--db", str(demo_db), "check")
    assert checked.returncode == 1
    lines = checked.stderr.strip().splitlines()
    assert len(lines) == len(CONFLICTS), checked.stderr
    for name in CONFLICTS:
        (line,) = [line for line in lines if f"{demo_db.parent / name} is " in line]
        assert line.startswith(f"{demo_db}: ")
        assert "merge" in line and "remove" in line
    for name in NOT_CONFLICTS:
        assert name not in checked.stderr


def leave_stale_journal_lines(run: Run, path: Path) -> bytes:
    """Save two changes, then put their lines back in the journal: what a process killed between
    writing the checkpoint and emptying the journal leaves (8 of 200 kills did). Returns them."""
    for text in ("first", "second"):
        added = run("--db", str(path), "actions", "add", text, "--owner", "x")
        assert added.returncode == 0, added.stderr
    data = json.loads(path.read_text(encoding="utf-8"))
    db_id = data["meta"]["1"]["db_id"]
    seqs = sorted(map(int, data["events"]))[-2:]
    lines = "".join(
        json.dumps({"db": db_id, **data["events"][str(seq)]}, ensure_ascii=False) + "\n" for seq in seqs
    ).encode("utf-8")
    journal_of(path).write_bytes(lines)
    return lines


def test_check_leaves_the_journal_clean(run: Run, demo_db: Path) -> None:
    leave_stale_journal_lines(run, demo_db)
    listed = run("--db", str(demo_db), "actions", "list", "--format", "json")
    assert [i["text"] for i in json.loads(listed.stdout)][-2:] == ["first", "second"]
    assert journal_of(demo_db).stat().st_size, "a command that writes nothing leaves them"
    checked = run("--db", str(demo_db), "check")
    assert checked.returncode == 0, checked.stderr
    assert journal_of(demo_db).read_bytes() == b"", "check folds them away"
    listed = run("--db", str(demo_db), "actions", "list", "--format", "json")
    texts = [i["text"] for i in json.loads(listed.stdout)]
    assert texts.count("first") == texts.count("second") == 1


def test_check_writes_nothing_to_a_read_only_database(
    run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leave_stale_journal_lines(run, demo_db)
    demo_db.chmod(0o444)
    if os.geteuid() == 0:  # root may write anything: have the store see the file as read-only
        real_access = os.access

        def access(path, mode, **kwargs):
            if mode & os.W_OK and Path(path) == demo_db:
                return False
            return real_access(path, mode, **kwargs)

        monkeypatch.setattr(os, "access", access)
    before = (demo_db.read_bytes(), journal_of(demo_db).read_bytes())
    try:
        checked = run("--db", str(demo_db), "check")
    finally:
        demo_db.chmod(0o644)
    assert checked.returncode == 0, checked.stderr
    assert (demo_db.read_bytes(), journal_of(demo_db).read_bytes()) == before


def test_check_leaves_folding_for_later_when_another_process_holds_the_lock(
    run: Run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zzreview.meeting import session
    from zzreview.storage.lockfile import FileLock

    lines = leave_stale_journal_lines(run, demo_db)
    other = FileLock(f"{demo_db}.lock")
    real_check = session.check_database

    def check_then_lose_the_lock(repo):
        problems = real_check(repo)
        other.acquire(timeout=1)  # another process takes the lock between the check and the fold
        return problems

    monkeypatch.setattr(session, "check_database", check_then_lose_the_lock)
    try:
        checked = run("--db", str(demo_db), "check")
    finally:
        if other.is_locked:
            other.release()
    assert checked.returncode == 0, "folding is housekeeping: the database is sound"
    (note,) = checked.stderr.strip().splitlines()
    assert note.startswith(f"{demo_db}: ") and "another process holds the lock" in note
    assert "nothing is lost" in note
    assert journal_of(demo_db).read_bytes() == lines
