"""`zzreview init` and `zzreview check`: making a database, and verifying one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem, problem_text
from zzreview.i18n import t
from zzreview.meeting.session import USER_ERRORS, create_database

if TYPE_CHECKING:
    from zzreview.storage.repository import Repository


@cli.command()
@click.option(
    "--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path), help="A plan file (TOML)."
)
@click.option("--demo", is_flag=True, help="Add the shipped illustrative demo data (示例数据).")
@click.option("--force", is_flag=True, help="Replace an existing database (it is backed up first).")
@click.pass_context
def init(ctx: click.Context, plan_file: Path | None, demo: bool, force: bool) -> None:
    """Create a database from a plan file (default: the shipped Zhengzhou 2024 H2 plan)."""
    session = session_of(ctx)
    path = session.db_path
    if path.exists() and not force:
        raise UsageProblem(f"{path} already exists; add --force to replace it (a backup is kept)")
    warning = create_database(path, plan_file=plan_file, demo=demo, force=force)
    click.echo(t("cli.created", session.settings.lang or "zh", path=path))
    if warning:
        click.echo(f"zzreview: {warning}", err=True)


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Verify the database: every document readable, every reference known, no sync conflict
    copy beside it. Exit 1 if not. A writable database's journal is folded into the file."""
    from zzreview.meeting.session import check_database

    session = session_of(ctx)
    session.keep_warnings = True  # check reports the conflict copies itself, one line each
    repo = session.repo()
    problems = check_database(repo)
    note = _fold_journal(repo, session.db_path)
    if note:
        click.echo(note, err=True)
    if problems:
        for problem in problems:
            click.echo(f"{session.db_path}: {problem}", err=True)
        ctx.exit(1)
    click.echo(t("cli.check_ok", session.settings.lang or "zh", path=session.db_path))


def _fold_journal(repo: Repository, path: Path) -> str:
    """Fold the journal into the file, lines it already holds included (a process killed
    between writing the file and emptying the journal leaves those), so `check` leaves the
    journal empty. Folding is housekeeping: if it cannot be done now, a note, never a failure."""
    if not repo.writable:
        return ""
    try:
        if repo.store.checkpoint(wait=False):
            return ""
        reason = "another process holds the lock"
    except USER_ERRORS as error:
        reason = problem_text(error)
    except OSError as error:
        reason = error.strerror or str(error)
    return (
        f"{path}: its journal was not folded into the file now ({reason}); "
        f"nothing is lost, a later command folds it"
    )
