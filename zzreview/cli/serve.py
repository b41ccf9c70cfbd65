"""`zzreview serve`: the meeting app in a browser, a seat per tab, fully offline."""

from __future__ import annotations

import sys

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem

BROWSER_ROLES = ("viewer", "secretary")
"""The roles a browser seat can take; the chair drives the projector from a terminal."""


def app_command(db: str, role: str, *, lang: str | None, user: str) -> list[str]:
    """What each tab runs: this interpreter's zzreview on the same database, as `role`."""
    command = [sys.executable, "-m", "zzreview", "--db", db]
    if lang:
        command += ["--lang", lang]
    if user:
        command += ["--user", user]
    return [*command, "run", "--role", role]


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Any but 127.0.0.1, ::1 or localhost requires the access token.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option(
    "--role",
    type=click.Choice(BROWSER_ROLES),
    default="viewer",
    show_default=True,
    help="The seat every tab takes; what it records is logged as this seat.",
)
@click.option("--token", "want_token", is_flag=True, help="Require the access token on loopback too.")
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers open, e.g. http://192.168.1.20:8000 (default: http://HOST:PORT). "
    "The page's links are absolute, so it must be the address the browsers use.",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, role: str, want_token: bool, public_url: str | None
) -> None:
    """The meeting app in a browser (textual-serve): each tab runs its own app on this database as
    another seat, and nothing it loads leaves the machine.

    Served on any host but 127.0.0.1, ::1 or localhost it requires an access token, made at start
    and printed in the URL to open; a request without it gets 403. --token asks for one on
    loopback too. Beyond loopback, give the address browsers use with --public-url, unless
    http://HOST:PORT is it. Ctrl-C stops the server and every tab's app.
    """
    from zzreview.ui.serve import ServeError, check_host, public_url_for
    from zzreview.ui.serve import serve as serve_app

    try:
        check_host(host)
        public_url_for(host, port, public_url)
    except ServeError as error:
        raise UsageProblem(str(error)) from None
    session = session_of(ctx)
    repo = session.repo()
    meeting = repo.current_meeting()
    if meeting is None:
        raise UsageProblem(
            "no meeting in progress or planned: plan one with `zzreview meetings new --date …`"
        )
    db = str(session.db_path.resolve())
    title = f"{meeting.title} · zzreview"
    notice = session.close()  # the server holds nothing open; each tab opens its own seat
    if notice:
        click.echo(f"zzreview: {notice}", err=True)
    settings = session.settings

    def announce(url: str) -> None:
        click.echo(f"zzreview serve: a {role} seat on {db}")
        click.echo(f"zzreview serve: open {url}")
        click.echo("zzreview serve: Ctrl-C stops the server and every tab's app")

    try:
        serve_app(
            app_command(db, role, lang=settings.lang, user=settings.user),
            host=host,
            port=port,
            public_url=public_url,
            want_token=want_token,
            title=title,
            announce=announce,
        )
    except ServeError as error:
        raise UsageProblem(str(error)) from None
    click.echo("zzreview serve: stopped")
