"""Screens a key answers and closes: only the first key answers.

Keys typed in a burst (a secretary who presses `a` and types the item at once) reach such a
screen after the key that answered it, while it is going: each would dismiss it again, and the
second dismiss pops the screen below it, which ends the app with an error.
"""

from __future__ import annotations

from typing import Any


class AnswersOnce:
    """For a screen: `answer` dismisses it with `result` the first time, and does nothing after.

    Listed before the screen class it goes with (Textual takes a screen's CSS from its first
    base that is a widget)."""

    _answered = False

    def answer(self, result: Any) -> None:
        if not self._answered:
            self._answered = True
            self.dismiss(result)  # type: ignore[attr-defined]
