"""`export -o`: the minutes never go over the database's own files, `--force` or not.

The database at PATH owns PATH, PATH.journal, PATH.lock and its backups PATH.bak-* (each with
its own .journal). Whatever name reaches one of them — relative, `./`, `..`, a symlink, a hard
link, a file not made yet — the export is refused in one line, exit 2, and nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.conftest import Run


def _state(folder: Path) -> dict[str, bytes]:
    """Every file in `folder` (recursively) and its bytes; symlinks by their target. The lock
    file is left out: every process that takes the lock signs it with who it is."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if path.name.endswith(".lock") and not path.is_symlink():
            continue
        if path.is_symlink():
            files[str(path.relative_to(folder))] = os.readlink(path).encode()
        elif path.is_file():
            files[str(path.relative_to(folder))] = path.read_bytes()
    return files


@pytest.fixture
def own_files(run: Run, demo_db: Path) -> Path:
    """The demo database with a lock, a journal and a backup (with its journal) beside it."""
    added = run("--db", str(demo_db), "actions", "add", "look into it", "--owner", "o")
    assert added.returncode == 0, added.stderr
    journal = Path(f"{demo_db}.journal")
    if not journal.exists():  # folded on close: give the export a journal to aim at all the same
        journal.write_bytes(b"")
    backup = Path(f"{demo_db}.bak-replaced-20241031-093000")
    backup.write_bytes(demo_db.read_bytes())
    Path(f"{backup}.journal").write_bytes(b"")
    return demo_db


def _refused(run: Run, db: Path, output: str, *extra: str) -> str:
    folder = db.parent
    before = _state(folder)
    result = run("--db", str(db), "export", "-o", output, *extra)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("zzreview: ")
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "database" in result.stderr
    assert "--force" not in result.stderr
    assert _state(folder) == before
    return result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "review.json",
        "review.json.journal",
        "review.json.lock",
        "review.json.bak-replaced-20241031-093000",
        "review.json.bak-replaced-20241031-093000.journal",
    ],
)
@pytest.mark.parametrize("force", [True, False])
def test_export_over_a_file_the_database_owns_is_refused(
    run: Run, own_files: Path, name: str, force: bool
) -> None:
    target = own_files.parent / name
    assert target.exists()
    message = _refused(run, own_files, str(target), *(["--force"] if force else []))
    assert str(target) in message


@pytest.mark.parametrize("name", ["review.json.journal", "review.json.bak-v1-20241031-093000"])
def test_a_file_the_database_would_own_is_refused_before_it_exists(
    run: Run, demo_db: Path, name: str
) -> None:
    assert run("--db", str(demo_db), "status").returncode == 0  # opened once: its lock is there
    target = demo_db.parent / name
    assert not target.exists()
    _refused(run, demo_db, str(target), "--force")
    assert not target.exists()


def test_relative_and_roundabout_names_are_the_same_file(
    run: Run, own_files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = own_files.parent
    (folder / "sub").mkdir()
    monkeypatch.chdir(folder)
    for output in ("review.json", "./review.json", "sub/../review.json", "./sub/../review.json.journal"):
        _refused(run, own_files, output, "--force")
    monkeypatch.chdir(folder / "sub")
    _refused(run, Path("../review.json"), str(own_files), "--force")
    _refused(run, Path("../review.json"), "../review.json.lock", "--force")


def test_a_symlink_or_hard_link_to_the_database_is_refused(run: Run, own_files: Path) -> None:
    folder = own_files.parent
    (folder / "minutes.md").symlink_to(own_files)
    _refused(run, own_files, str(folder / "minutes.md"), "--force")
    (folder / "dangling.md").symlink_to(folder / "review.json.bak-v9-x")
    _refused(run, own_files, str(folder / "dangling.md"), "--force")
    os.link(own_files, folder / "hard.md")
    _refused(run, own_files, str(folder / "hard.md"), "--force")
    os.link(Path(f"{own_files}.journal"), folder / "hard-journal.md")
    _refused(run, own_files, str(folder / "hard-journal.md"), "--force")


def test_a_database_opened_through_a_symlink_owns_the_link_and_the_targets_files(
    run: Run, own_files: Path
) -> None:
    folder = own_files.parent
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    link = elsewhere / "r.json"
    link.symlink_to(own_files)
    for output in (link, own_files, Path(f"{own_files}.journal"), Path(f"{own_files}.lock")):
        _refused(run, link, str(output), "--force")


@pytest.mark.parametrize(
    "name", ["review.json.md", "review.md", "review.jsonl", "review.json.journal.md", "review.json.lock2"]
)
def test_names_that_only_look_alike_are_written(run: Run, own_files: Path, name: str) -> None:
    target = own_files.parent / name
    result = run("--db", str(own_files), "export", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# ")


def test_the_same_name_in_another_folder_is_written(run: Run, own_files: Path) -> None:
    other = own_files.parent / "other"
    other.mkdir()
    result = run("--db", str(own_files), "export", "-o", str(other / "review.json"))
    assert result.returncode == 0, result.stderr
    assert run("--db", str(own_files), "check").returncode == 0


# -- the check itself, as the app uses it --------------------------------------------------


def test_write_minutes_refuses_the_database_with_a_write_error(tmp_path: Path) -> None:
    from zzreview.meeting.minutes import DatabaseFile, WriteError, write_minutes

    database = tmp_path / "r.json"
    database.write_text("{}", encoding="utf-8")
    with pytest.raises(DatabaseFile) as raised:
        write_minutes(database, "# minutes", replace=True, database=database)
    assert isinstance(raised.value, WriteError)
    assert str(database) in str(raised.value)
    assert database.read_text(encoding="utf-8") == "{}"


def test_write_minutes_without_a_database_checks_nothing(tmp_path: Path) -> None:
    from zzreview.meeting.minutes import write_minutes

    path = tmp_path / "r.json"
    write_minutes(path, "# minutes", replace=False, database=None)
    assert path.read_text(encoding="utf-8") == "# minutes"


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("r.json", "the database"),
        ("r.json.journal", "the database's journal"),
        ("r.json.lock", "the database's lock"),
        ("r.json.bak-v1-20241031-093000", "a backup of the database"),
        ("r.json.bak-v1-20241031-093000.journal", "a backup of the database"),
    ],
)
def test_write_minutes_names_what_the_file_is_even_before_it_exists(
    tmp_path: Path, name: str, role: str
) -> None:
    from zzreview.meeting.minutes import DatabaseFile, write_minutes

    target = tmp_path / name
    with pytest.raises(DatabaseFile, match=f"is {role}[ ;]"):
        write_minutes(target, "# minutes", replace=True, database=tmp_path / "r.json")
    assert list(tmp_path.iterdir()) == []
