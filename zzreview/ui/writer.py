"""The app's one way to write: a meeting command run off the UI thread, then the view rebuilt.

Forms, undo and starting the meeting all go through `Writer.run`, one at a time (the store
is shared with the chair's publishing and timing). The command's save is durable (the
journal fsync'd) when `run` returns, and the returned view is the meeting as it now stands on
disk, so the screen shows what was saved, not what was typed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zzreview.meeting.commands import Recorded
from zzreview.meeting.view import MeetingView, build_meeting_view

if TYPE_CHECKING:
    from zzreview.storage.repository import Repository


@dataclass(frozen=True)
class Outcome:
    """What a command recorded, and the meeting's view after it."""

    recorded: Recorded[Any] | None
    view: MeetingView


class Writer:
    """Runs commands on the app's repository for one meeting's screens."""

    def __init__(self, repo: Repository, meeting_id: str, lang: str, rules: str) -> None:
        self.repo = repo
        self.meeting_id = meeting_id
        self.lang = lang
        self.rules = rules
        self.lock = threading.Lock()
        """Held for every use of the repository off the UI thread."""

    def run(self, command: Callable[..., Recorded[Any]], *args: Any, **kwargs: Any) -> Outcome:
        """`command(repo, *args, **kwargs)`, then the view rebuilt from disk; call off the UI thread."""
        with self.lock:
            recorded = self.quiet(command, *args, **kwargs)
            return Outcome(recorded, self.view())

    def quiet(self, command: Callable[..., Recorded[Any]], *args: Any, **kwargs: Any) -> Recorded[Any]:
        """`command(repo, ...)` without rebuilding the view (the caller holds the lock)."""
        return command(self.repo, *args, **kwargs)

    def view(self) -> MeetingView:
        """The meeting as it stands on disk now (call with the lock held, off the UI thread)."""
        self.repo.refresh()
        return build_meeting_view(self.repo, self.meeting_id, self.lang, self.rules)
