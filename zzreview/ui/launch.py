"""Opening the meeting app from the command line: check the theme, build the view, run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zzreview.analysis import DEFAULT_PRESET, preset
from zzreview.locations import user_themes_dir
from zzreview.meeting_view import build_meeting_view
from zzreview.storage.repository import Repository
from zzreview.ui.app import ReviewApp
from zzreview.ui.themes import load_themes

if TYPE_CHECKING:
    from zzreview.cli import Session


class UnknownTheme(ValueError):
    """A --theme that names no loaded theme; the message lists the valid names."""


def make_app(
    repo: Repository,
    meeting_id: str,
    *,
    lang: str | None = None,
    theme: str | None = None,
    rules: str = DEFAULT_PRESET,
    keymap: dict[str, str] | None = None,
    clock=None,
    monotonic=None,
) -> ReviewApp:
    """The app for one meeting; the command line and the tests both build it here."""
    themes = load_themes(user_themes_dir())
    if theme is not None and theme not in themes.themes:
        names = ", ".join(sorted(themes.themes))
        raise UnknownTheme(f"no theme {theme!r}; the themes are: {names}")
    view = build_meeting_view(repo, meeting_id, lang or repo.plan().language, preset(rules))
    extra = {name: value for name, value in (("clock", clock), ("monotonic", monotonic)) if value is not None}
    return ReviewApp(view, repo=repo, rules=rules, themes=themes, theme=theme, keymap=keymap, **extra)


def launch(session: Session, meeting_id: str, *, role: str, theme: str | None, lang: str | None) -> None:
    """Run the app full screen until the chair quits."""
    from zzreview.cli import UsageProblem

    settings = session.settings
    try:
        app = make_app(
            session.repo(),
            meeting_id,
            lang=lang or settings.lang,
            theme=theme or settings.theme,
            rules=settings.rules,
            keymap=settings.keymap,
        )
    except UnknownTheme as error:
        raise UsageProblem(str(error)) from None
    app.run()
