"""A one-key question over a screen: `y` says yes, any other key no."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from zzreview.ui.answers import AnswersOnce

YES_KEYS = frozenset({"y", "Y"})


class ConfirmScreen(AnswersOnce, ModalScreen[bool]):
    """Asks `question`; dismissed with True for `y`, False for any other key (the safe answer)."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        yield Static(Text(self._question, style="bold"), id="confirm-box")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.answer(event.key in YES_KEYS or event.character in YES_KEYS)
