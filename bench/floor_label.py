"""The launch floor: a bare Textual app that shows one label, and nothing else.

bench/run.py times spawn → the last byte of its first screen (the label on screen) in a real
pseudo-terminal, the same way as zzreview's launch, interleaved with it: what any Textual app
pays to start Python, import Textual, set up the terminal and paint once. `q` or ctrl+q quits.

    python bench/floor_label.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label

TEXT = "floor label ready"
"""What run.py waits for on screen."""


class OneLabel(App[None]):
    BINDINGS = [("q", "quit", "quit"), ("ctrl+q", "quit", "quit")]

    def compose(self) -> ComposeResult:
        yield Label(TEXT)


if __name__ == "__main__":
    OneLabel().run()
