"""The app's one way to write: a meeting command run off the UI thread.

Forms, undo and starting the meeting all go through `Writer.run`, one at a time (the store
is shared with the chair's publishing and timing). The command's save is durable (the
journal fsync'd) when `run` returns; the screen then shows the view rebuilt from disk
(`Writer.view`), so it shows what was saved, not what was typed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zzreview.meeting.commands import Recorded
from zzreview.meeting.view import MeetingView, build_meeting_view

if TYPE_CHECKING:
    from zzreview.storage.repository import Repository


class Writer:
    """Runs commands on the app's repository for one meeting's screens."""

    def __init__(self, repo: Repository, meeting_id: str, lang: str, rules: str) -> None:
        self.repo = repo
        self.meeting_id = meeting_id
        self.lang = lang
        self.rules = rules
        self.lock = threading.Lock()
        """Held for every use of the repository off the UI thread."""

    def run(self, command: Callable[..., Recorded[Any]], *args: Any, **kwargs: Any) -> Recorded[Any]:
        """`command(repo, *args, **kwargs)`, durable when it returns; call off the UI thread.
        The view is rebuilt afterwards, apart (`view`), so a form closes as soon as its save
        is on disk, whatever the size of the meeting."""
        with self.lock:
            return self.quiet(command, *args, **kwargs)

    def quiet(self, command: Callable[..., Recorded[Any]], *args: Any, **kwargs: Any) -> Recorded[Any]:
        """`command(repo, ...)` without rebuilding the view (the caller holds the lock)."""
        return command(self.repo, *args, **kwargs)

    def view(self) -> MeetingView:
        """The meeting as it stands on disk now (off the UI thread; takes the lock)."""
        with self.lock:
            return self.view_locked()

    def view_locked(self) -> MeetingView:
        """`view`, for a caller that holds the lock."""
        self.repo.refresh()
        view = build_meeting_view(self.repo, self.meeting_id, self.lang, self.rules)
        view.work_out()  # here, off the UI thread: the screen it goes to shows its figures
        return view
