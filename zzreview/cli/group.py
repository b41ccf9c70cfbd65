"""The click group: global options, the seat a command runs as, and problems as one line.

Each command's module is imported only when that command runs (or when help lists them): a
`zzreview status` pays for the status command's imports, not for every other command's.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zzreview import __version__
from zzreview.cli.output import FIELD_NAMES, UsageProblem, problem_text
from zzreview.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from zzreview.meeting.session import Seat
    from zzreview.storage.repository import Repository

COMMAND_MODULES = {
    "actions": "actions",
    "attendance": "record",
    "check": "database",
    "decisions": "record",
    "export": "export",
    "init": "database",
    "judgements": "record",
    "log": "record",
    "meetings": "meetings",
    "notes": "record",
    "run": "run",
    "serve": "serve",
    "status": "status",
    "undo": "record",
    "values": "values",
}
"""Each top-level command by name, and the module of zzreview.cli that defines it (its
`@cli.command()` / `@cli.group()` registers it when the module is imported)."""

LONG_RUNNING = {"run", "serve"}
"""Commands that keep running (the app, its server): they run with the garbage collector on."""


@dataclass
class Session:
    """What every command shares: the settings, and the database opened as this seat."""

    settings: Settings
    seat_name: str = "cli"
    keep_warnings: bool = False
    """Keep warnings for the app to show instead of printing them (the app takes the screen)."""
    warnings: list[str] = field(default_factory=list)
    _seat: Seat | None = field(default=None, repr=False)
    _closed_repo: Repository | None = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        from zzreview.locations import default_database

        return self.settings.db or default_database()

    def _warn(self, text: str) -> None:
        """A warning at open: printed now, or, for the app, kept to show on its screen."""
        if self.keep_warnings:
            self.warnings.append(text)
        else:
            click.echo(f"zzreview: {text}", err=True)

    def take_seat(self, name: str) -> None:
        """Run as seat `name` (the app's role); only before the database is opened."""
        if self._seat is not None:
            raise RuntimeError("the seat is chosen before the database is opened")
        self.seat_name = name

    def seat(self) -> Seat:
        if self._seat is None:
            from zzreview.meeting.session import Seat

            self._seat = Seat(
                self.db_path,
                seat=self.seat_name,
                who=self.settings.user,
                open_demo_if_missing=self.settings.db is None,
                on_wait=lambda text: click.echo(f"zzreview: {text}", err=True),
                warn=self._warn,
            )
        return self._seat

    def repo(self) -> Repository:
        """The database (the per-user default is made from the demo on first use)."""
        return self.seat().repo()

    def lang(self) -> str:
        return self.settings.lang or self.repo().plan().language

    def close(self) -> str:
        if self._seat is None:
            return ""
        if self._seat.is_open:
            # Held past the close: freeing a database's objects one by one takes ~65 ms at
            # scale (10^6 of them), and a finished command ends without freeing them (leave_now).
            self._closed_repo = self._seat.repo()
        return self._seat.close()


def session_of(ctx: click.Context) -> Session:
    return ctx.ensure_object(Session)


class _Group(click.Group):
    """The top-level group: loads a command's module on first use, and turns the meeting
    layer's errors into one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"zzreview.cli.{COMMAND_MODULES[cmd_name]}")
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        from zzreview.meeting.session import USER_ERRORS, CreateError

        try:
            return super().invoke(ctx)
        except (*USER_ERRORS, ConfigError, CreateError) as error:
            raise UsageProblem(problem_text(error, ctx.meta.get(FIELD_NAMES))) from None
        except OSError as error:
            # A disk or path problem the layers below did not put in words: one line still.
            where = f"{error.filename}: " if error.filename else ""
            raise UsageProblem(f"{where}{error.strerror or error}") from None
        finally:
            session = ctx.obj
            if isinstance(session, Session):
                notice = session.close()
                if notice:
                    click.echo(f"zzreview: {notice}", err=True)


@click.group(
    cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The database file (also ZZREVIEW_DB). Default: a per-user file made from the demo on first use.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of output (default: the plan's).")
@click.option("--user", help="Who is making changes, for the event log (default: your login name).")
@click.version_option(__version__, prog_name="zzreview")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, lang: str | None, user: str | None) -> None:
    """Run progress review meetings (调度会) on a plan: targets, 序时进度, action items, minutes.

    Without a command, opens the meeting app on the current meeting.
    """
    try:
        settings = load_settings(db=db, lang=lang, user=user)
    except ConfigError as error:
        raise UsageProblem(str(error)) from None
    ctx.obj = Session(settings)
    if ctx.invoked_subcommand in LONG_RUNNING or ctx.invoked_subcommand is None:
        gc.enable()  # `main` turned it off for a command that ends soon (run manages its own)
    if ctx.invoked_subcommand is None:
        from zzreview.cli.run import run

        ctx.invoke(run)


def main() -> None:
    """The console-script entry point."""
    # A headless command makes its objects once and ends: the cyclic garbage collector would
    # only walk them again and again as they are made (half of a `status` at scale, where the
    # database holds ~10^6 objects), and finds next to nothing. It is off until the command
    # ends, or turned on again for a command that keeps running (LONG_RUNNING).
    gc.disable()
    try:
        cli(prog_name="zzreview")
    except SystemExit as done:
        leave_now(done.code)
        raise


def leave_now(code: object) -> None:
    """End a finished headless command at once, skipping the interpreter's teardown.

    Freeing every module and object one by one at exit takes a headless command ~15-30 ms
    on a typical machine (as long as it took to do the work, for a `status`). Nothing is lost
    by skipping it: the command has closed its database, every save is on disk, and here the
    standard streams are flushed and the exit functions run (`atexit`) as a normal exit would.
    The meeting app ends the same way once it has closed (its terminal restored, its
    database let go): freeing a large database's objects took seconds after the screen was
    gone. It returns (and the usual exit follows) whenever that is not clearly so: another
    thread still running (a daemon thread is never waited for anyway), an exit with a
    message, or a stream that cannot be flushed (a closed pipe, whose usual report is kept).
    """
    if code is None:
        status = 0
    elif isinstance(code, int) and not isinstance(code, bool):
        status = code
    else:
        return
    threading = sys.modules.get("threading")
    if threading is not None and any(
        thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
        for thread in threading.enumerate()
    ):
        return
    if not _flushed():
        return
    atexit._run_exitfuncs()
    if not _flushed():
        return
    os._exit(status)


def _flushed() -> bool:
    """Flush stdout and stderr; False when one cannot be (a closed pipe, say)."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True
