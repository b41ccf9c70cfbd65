"""`zzreview init` and `zzreview check`: making a database, and verifying one."""

from __future__ import annotations

from pathlib import Path

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem
from zzreview.i18n import t
from zzreview.meeting.session import create_database


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
    create_database(path, plan_file=plan_file, demo=demo, force=force)
    click.echo(t("cli.created", session.settings.lang or "zh", path=path))


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Verify the database: every document readable, every reference known. Exit 1 if not."""
    from zzreview.meeting.session import check_database

    session = session_of(ctx)
    problems = check_database(session.repo())
    if problems:
        for problem in problems:
            click.echo(f"{session.db_path}: {problem}", err=True)
        ctx.exit(1)
    click.echo(t("cli.check_ok", session.settings.lang or "zh", path=session.db_path))
