"""`zzreview run` (and the bare `zzreview`): the meeting app, full screen."""

from __future__ import annotations

import click

from zzreview.cli.group import cli, session_of
from zzreview.cli.output import UsageProblem
from zzreview.meeting.session import APP_ROLES


@cli.command()
@click.option(
    "--meeting", "meeting_id", help="The meeting to open (default: in progress, else next planned)."
)
@click.option(
    "--role",
    type=click.Choice(APP_ROLES),
    default="chair",
    show_default=True,
    help="This seat's role; what it records is logged as this seat.",
)
@click.option("--theme", help="Theme name (projector-light, projector-dark, high-contrast, or your own).")
@click.option("--lang", "run_lang", type=click.Choice(["zh", "en"]), help="Language of the screens.")
@click.pass_context
def run(
    ctx: click.Context, meeting_id: str | None, role: str, theme: str | None, run_lang: str | None
) -> None:
    """The meeting app: walk the room through the plan, full screen, keyboard only."""
    import gc

    # Opening the database makes tens of thousands of objects that live as long as the app;
    # collecting while they are made only walks them again and again. The app turns the
    # collector back on with that heap frozen, once its first screen is up (ui.app).
    gc.disable()
    from zzreview.meeting.session import settle_in_for_the_meeting
    from zzreview.ui.launch import LaunchError, launch

    settle_in_for_the_meeting()  # the values held in 23 MB instead of 38 at city scale

    session = session_of(ctx)
    session.take_seat(role)
    session.keep_warnings = True
    settings = session.settings
    repo = session.repo()
    meeting = repo.meeting(meeting_id) if meeting_id else repo.current_meeting()
    if meeting is None:
        raise UsageProblem(
            "no meeting in progress or planned: plan one with `zzreview meetings new --date …`"
        )
    try:
        launch(
            repo,
            meeting.id,
            theme=theme or settings.theme,
            lang=run_lang or settings.lang,
            rules=settings.rules,
            keymap=settings.keymap,
            notices=session.warnings,
        )
    except LaunchError as error:
        raise UsageProblem(str(error)) from None
