"""Gathering a meeting's minutes, for `zzreview export` and the app's preview, and writing
them to a file.

A closed meeting is reported from the snapshot frozen when it closed, so its minutes come out
byte for byte the same however the figures and action items change afterwards; a planned or
running meeting is reported from the live data as of its date.
"""

from __future__ import annotations

from pathlib import Path

from zzreview.domain.entry import EntryError
from zzreview.meeting.figures import Rules, reviewed_with_dates, status_at
from zzreview.rendering.minutes import MinutesInput, render_action_list, render_minutes
from zzreview.storage.durable import AlreadyExists, WriteError, write_new_file
from zzreview.storage.repository import Repository

__all__ = ["AlreadyExists", "WriteError", "minutes_input", "minutes_markdown", "write_minutes"]


def minutes_input(
    repo: Repository, meeting_id: str | None = None, lang: str | None = None, *, rules: Rules = None
) -> MinutesInput:
    """Everything the minutes of a meeting show (default: the current meeting).

    Raises EntryError for an unknown meeting id, or when there is no current meeting.
    """
    plan = repo.plan()
    if meeting_id is None:
        current = repo.current_meeting()
        if current is None:
            raise EntryError("meeting", "no meeting in progress or planned; name one")
        meeting = current
    else:
        meeting = repo.meeting(meeting_id)
    lang = lang or plan.language
    figures = repo.figures(meeting)
    meetings = repo.meetings()
    return MinutesInput(
        meeting=meeting,
        status=status_at(repo, meeting, rules, figures),
        points=figures.points,
        lang=lang,
        carried=reviewed_with_dates(figures.carried(meeting, meetings), meetings),
        actions=tuple(a for a in figures.actions if a.meeting_id == meeting.id),
        next_meeting=figures.next_meeting,
        notice=repo.notice(lang),
    )


def minutes_markdown(
    repo: Repository,
    meeting_id: str | None = None,
    lang: str | None = None,
    *,
    actions_only: bool = False,
    rules: Rules = None,
) -> str:
    """The minutes of a meeting as Markdown, or with `actions_only` its 交办事项清单 alone."""
    data = minutes_input(repo, meeting_id, lang, rules=rules)
    return render_action_list(data) if actions_only else render_minutes(data)


def write_minutes(path: Path, text: str, *, replace: bool) -> None:
    """Write the minutes to `path` atomically; an existing file only with `replace`.

    Raises AlreadyExists (nothing written) or WriteError naming the file and why.
    """
    write_new_file(path, text.encode("utf-8"), replace=replace)
