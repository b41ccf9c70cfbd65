"""Opening the meeting app: check the theme, build the view, run.

Takes plain arguments and raises its own `LaunchError`, so the command line (or any other
caller) maps it as it likes; the UI never imports the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zzreview.analysis import DEFAULT_PRESET
from zzreview.locations import user_themes_dir
from zzreview.meeting.view import build_meeting_view
from zzreview.ui.app import ReviewApp
from zzreview.ui.themes import load_themes

if TYPE_CHECKING:
    from zzreview.storage.repository import Repository


class LaunchError(ValueError):
    """The app cannot start as asked; the message says why (and lists the valid choices)."""


class UnknownTheme(LaunchError):
    """A theme name that names no loaded theme; the message lists the valid names."""


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
    view = build_meeting_view(repo, meeting_id, lang or repo.plan().language, rules)
    extra = {name: value for name, value in (("clock", clock), ("monotonic", monotonic)) if value is not None}
    return ReviewApp(view, repo=repo, rules=rules, themes=themes, theme=theme, keymap=keymap, **extra)


def launch(
    repo: Repository,
    meeting_id: str,
    *,
    theme: str | None = None,
    lang: str | None = None,
    rules: str = DEFAULT_PRESET,
    keymap: dict[str, str] | None = None,
    notices: list[str] | None = None,
) -> None:
    """Run the app full screen until the chair quits; what it records is logged as the
    repository's seat. `notices` are shown on its screen as it opens."""
    app = make_app(repo, meeting_id, lang=lang, theme=theme, rules=rules, keymap=keymap)
    app.opening_notices = list(notices or ())
    app.run()
    if app.unreadable:
        raise LaunchError(app.unreadable)
