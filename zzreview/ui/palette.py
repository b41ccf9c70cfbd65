"""The command palette in the screen's language: its prompt, the app's own commands and the
line it shows when nothing matches (Textual writes them in English only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from zzreview.i18n import t

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


class Palette(CommandPalette):
    """Textual's command palette with its words in `lang`."""

    def __init__(self, lang: str, *, placeholder_key: str = "palette.placeholder", **options) -> None:
        super().__init__(placeholder=t(placeholder_key, lang), **options)
        self.lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's palette does, after a short wait with nothing found, in `lang`."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not search_value:
                self._list_visible = False  # nothing typed: nothing to say
                return
            self.query_one(CommandList).add_option(
                Option(
                    Align.center(Text(t("palette.no_matches", self.lang), style="not bold")),
                    disabled=True,
                    id=self._NO_MATCHES,
                )
            )
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def system_commands(app: App, screen: Screen, lang: str) -> Iterable[SystemCommand]:
    """The app's own commands in the palette, in `lang`. Textual's key panel and screenshot are
    left out: they speak English only (`?` shows the meeting's keys in the screen's language)."""
    yield SystemCommand(t("palette.theme", lang), t("palette.theme_help", lang), app.action_change_theme)
    yield SystemCommand(t("palette.quit", lang), t("palette.quit_help", lang), app.action_quit)
    if screen.maximized is not None:
        yield SystemCommand(
            t("palette.minimize", lang), t("palette.minimize_help", lang), screen.action_minimize
        )
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(
            t("palette.maximize", lang), t("palette.maximize_help", lang), screen.action_maximize
        )
