"""The meeting app: a thin App that holds the meeting's view, themes and keymap, and shows
the meeting screen. Screens own behaviour; widgets only display and announce."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import textual.content
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider

from zzreview.analysis import DEFAULT_PRESET
from zzreview.i18n import t
from zzreview.meeting.view import MeetingView
from zzreview.rendering import kinsoku
from zzreview.ui.commands import AreaCommands, IndicatorCommands, OwnerCommands, RecordCommands
from zzreview.ui.live import LiveSeat, Shown
from zzreview.ui.palette import Palette, system_commands
from zzreview.ui.screens.meeting import MeetingScreen
from zzreview.ui.themes import DEFAULT_THEME, STATUS_VARIABLES, ThemeSet, load_themes
from zzreview.ui.writer import Writer

if TYPE_CHECKING:
    from zzreview.storage.repository import Repository

# Every text the app shows wraps with Chinese marks kept off the line edges (避头尾): Textual's
# Content and Rich's Text both break lines with Rich's rule, made to keep them here.
kinsoku.install_into(textual.content)
kinsoku.install_in_rich()


def _freeze_the_heap() -> None:
    """Once the first screen is up, what the app holds for good (Textual, the plan, the
    figures) leaves the garbage collector's care: a full collection then walks only what was
    made since, and no longer stalls a key or a save for a few hundred milliseconds. (No
    collection first: it would itself be such a stall.) The collector, off while the command
    line opened the database, is on again from here."""
    gc.freeze()
    gc.enable()


class ReviewApp(LiveSeat, App[None]):
    """zzreview's meeting app."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "zzreview"
    COMMANDS = App.COMMANDS | {AreaCommands, IndicatorCommands, OwnerCommands, RecordCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "quit now", id="quit_now", priority=True, show=False),
        Binding("ctrl+p", "command_palette", "palette", id="command_palette", priority=True, show=False),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        view: MeetingView,
        *,
        repo: Repository,
        rules: str = DEFAULT_PRESET,
        themes: ThemeSet | None = None,
        theme: str | None = None,
        keymap: dict[str, str] | None = None,
        clock: Callable[[], datetime] = datetime.now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.view = view
        self.repo = repo
        self.rules = rules
        self._clock = clock
        self._monotonic = monotonic
        self._themes = themes if themes is not None else load_themes()
        for loaded in self._themes.themes.values():
            self.register_theme(loaded)
        wanted = theme or DEFAULT_THEME
        self._open_in_theme(wanted if wanted in self._themes.themes else DEFAULT_THEME)
        if keymap:
            self.set_keymap(keymap)
        self.writer = Writer(repo, view.meeting.id, view.lang, rules)
        """Every write of this app, one at a time, off the UI thread."""
        self.opening_notices: list[str] = []
        """Said on screen as the app opens (e.g. a sync tool's conflict copy beside the database)."""
        self.unreadable = ""
        """Why the app ended early: its database opened, but part of it cannot be read."""

    def _open_in_theme(self, name: str) -> None:
        """Start in theme `name` with the style sheet not yet parsed: its colours are read
        at the first parse. Set as `self.theme`, the theme's watcher would parse every style
        once more after the first (~10 ms of the launch). A theme of the other brightness
        than Textual's starting one still goes through the watcher, which also remaps the
        terminal's sixteen colours for it."""
        if self.get_theme(name).dark != self.current_theme.dark:
            self.theme = name
            return
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        self.add_class(f"-theme-{name}", update=False)

    def action_command_palette(self) -> None:
        """The command palette, in the screen's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(self.view.lang, id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's theme list, in the screen's language."""
        self.push_screen(Palette(self.view.lang, providers=[ThemeProvider], placeholder_key="palette.themes"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return system_commands(self, screen, self.view.lang)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(STATUS_VARIABLES)

    def _waiting_for_lock(self, text: str) -> None:
        """Another process holds the database: say who and for how long, never freeze silently."""
        if threading.get_ident() == self._thread_id:
            self.notify(text, severity="warning", timeout=6, markup=False)
        else:
            self.call_from_thread(self.notify, text, severity="warning", timeout=6, markup=False)

    def end_unreadable(self, problem: str) -> None:
        """End the app on a database it cannot read after all (a table, or a document in it,
        found broken only when first read): `problem` is said once the terminal is back, as
        the command line says it when a database cannot be opened."""
        self.unreadable = problem
        self.exit(return_code=2)

    def on_unmount(self) -> None:
        gc.unfreeze()  # what was frozen can be collected again once the app is gone

    def on_mount(self) -> None:
        self.repo.when_waiting(self._waiting_for_lock)
        self.start_live()
        for notice in self.opening_notices:
            self.notify(notice, severity="warning", timeout=12, markup=False)
        for problem in self._themes.problems:
            self.notify(
                t("ui.theme_problem", self.view.lang, problem=problem),
                severity="warning",
                timeout=8,
                markup=False,
            )
        self.push_screen(MeetingScreen(self.view, clock=self._clock, monotonic=self._monotonic))
        self.call_after_refresh(_freeze_the_heap)

    def on_meeting_screen_area_shown(self, message: MeetingScreen.AreaShown) -> None:
        self.publish(Shown(message.area_number, message.indicator, message.zoom, message.blank))

    def on_meeting_screen_area_timed(self, message: MeetingScreen.AreaTimed) -> None:
        self.record_time(message.area_number, message.seconds)
