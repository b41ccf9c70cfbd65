"""Screens over the meeting: help, quit confirmation, blank projector, zoomed chart."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from zzreview.analysis import IndicatorStatus
from zzreview.i18n import t
from zzreview.meeting.view import MeetingView
from zzreview.ui.answers import AnswersOnce
from zzreview.ui.widgets.chart import ChartPanel

HELP_GROUPS: dict[str, list[str]] = {
    "group.navigate": ["next_step", "previous_step", "area_1", "overview"],
    "group.view": ["select", "zoom_chart", "blank_screen", "toggle_timer", "export_minutes", "toggle_follow"],
    "group.record": [
        "panels",
        "open_item",
        "add_action",
        "record_value",
        "add_decision",
        "add_note",
        "judge",
        "attendance",
        "meeting_details",
        "undo",
    ],
    "group.app": ["command_palette", "help", "quit", "quit_now"],
}


def _key_descriptions(screen: Screen, lang: str) -> dict[str, str]:
    """Binding id → the keys bound to it right now (after the user's keymap)."""
    keys: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.id:
            shown = screen.app.get_key_display(binding)
            keys.setdefault(binding.id, [])
            if shown not in keys[binding.id]:
                keys[binding.id].append(shown)
    digits = [keys.get(f"area_{n}", [""])[0] for n in range(1, 11)]
    # Single-character keys first: they are what the chair reaches for.
    result = {key: " ".join(sorted(value, key=lambda k: (len(k) > 1, k))) for key, value in keys.items()}
    result["area_1"] = f"{digits[0]}–{digits[8]}, {digits[9]}"
    result["select"] = "↑ ↓"
    result["panels"] = "tab ⇧tab"
    result["open_item"] = "enter"
    return result


class HelpScreen(ModalScreen[None]):
    """Every key, grouped, built from the meeting screen's live bindings."""

    BINDINGS = [
        Binding("escape,question_mark,f1,q", "dismiss_help", "close", id="close_help"),
    ]

    def __init__(self, meeting_screen: Screen, lang: str) -> None:
        super().__init__()
        self._keys = _key_descriptions(meeting_screen, lang)
        self._lang = lang

    def compose(self) -> ComposeResult:
        lang = self._lang
        with Vertical(id="help-box"):
            yield Static(Text(t("ui.help_title", lang), style="bold"), id="help-title")
            with VerticalScroll():
                yield Static(self._table(), id="help-table")
            yield Static(Text(t("ui.help_close", lang), style="dim"), id="help-close")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # ↑ ↓ pgup pgdn scroll what a short screen hides

    def on_resize(self, event: events.Resize) -> None:
        # The keys scroll between the title and the closing line, which always show: the box
        # takes at most 90% of the screen, its border, padding and those lines 8 rows of it.
        self.query_one(VerticalScroll).styles.max_height = max(3, int(event.size.height * 0.9) - 8)

    def _table(self) -> Table:
        lang = self._lang
        table = Table(show_header=False, show_edge=False, expand=True, padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        descriptions = {
            "area_1": t("key.area_any", lang),
            "select": t("key.select", lang),
            "panels": t("key.panels", lang),
            "open_item": t("key.open_item", lang),
        }
        for group, ids in HELP_GROUPS.items():
            table.add_row(Text(""), Text(t(group, lang), style="bold underline"))
            for binding_id in ids:
                keys = self._keys.get(binding_id)
                if not keys:
                    continue
                description = descriptions.get(binding_id) or t(f"key.{binding_id}", lang)
                table.add_row(Text(keys), Text(description))
        return table

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


class QuitScreen(AnswersOnce, ModalScreen[bool]):
    """One-key confirmation: q or y quits, any other key stays."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._lang = lang

    def compose(self) -> ComposeResult:
        yield Static(Text(t("ui.quit_confirm", self._lang), style="bold"), id="quit-box")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.answer(event.key in ("q", "y"))


class BlankScreen(AnswersOnce, Screen[None]):
    """A blank projector: nothing on the wall until the same key (or Esc) again."""

    def __init__(self, back_keys: frozenset[str] = frozenset({"full_stop"})) -> None:
        super().__init__()
        self._back_keys = back_keys | {"escape"}

    def compose(self) -> ComposeResult:
        yield Static("", id="blank")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key in self._back_keys:
            self.answer(None)


class ZoomScreen(AnswersOnce, Screen[None]):
    """The selected indicator's chart on the whole screen."""

    BINDINGS = [Binding("escape", "unzoom", "back", id="unzoom")]

    def __init__(
        self, view: MeetingView, status: IndicatorStatus, back_keys: frozenset[str] = frozenset({"z"})
    ) -> None:
        super().__init__()
        self._view = view
        self._status = status
        self._back_keys = back_keys

    def on_key(self, event: events.Key) -> None:
        """The key that zoomed (whatever the keymap made it) zooms back out."""
        if event.key in self._back_keys:
            event.stop()
            self.answer(None)

    def compose(self) -> ComposeResult:
        yield ChartPanel(id="zoom-panel")
        yield Static(Text(t("ui.zoom_close", self._view.lang), style="dim"), id="zoom-hint")

    def on_mount(self) -> None:
        points = self._view.indicator_points(self._status)
        self.query_one(ChartPanel).show(self._status, points, self._view.lang)

    def action_unzoom(self) -> None:
        self.answer(None)
