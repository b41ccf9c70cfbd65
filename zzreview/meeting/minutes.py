"""Gathering a meeting's minutes, for `zzreview export` and the app's preview, and writing
them to a file.

A closed meeting is reported from the snapshot frozen when it closed, so its minutes come out
byte for byte the same however the figures and action items change afterwards; a planned or
running meeting is reported from the live data as of its date. Either way the time each agenda
step took is the meeting's own record (a closed meeting's cannot change), set against the
timeboxes its timer counted down.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from zzreview.domain import Meeting, Plan
from zzreview.domain.entry import EntryError
from zzreview.i18n import t
from zzreview.meeting.figures import Rules, agenda_steps, reviewed_with_dates, status_at
from zzreview.meeting.kept import kept
from zzreview.rendering.minutes import MinutesInput, render_action_list, render_minutes
from zzreview.storage.durable import AlreadyExists, WriteError, write_new_file
from zzreview.storage.journal import JOURNAL_SUFFIX
from zzreview.storage.repository import Repository
from zzreview.storage.store import LOCK_SUFFIX

if TYPE_CHECKING:
    from zzreview.rendering.gongwen import Layout

__all__ = [
    "AlreadyExists",
    "DatabaseFile",
    "WriteError",
    "agenda_timeboxes",
    "database_file_role",
    "document_source",
    "minutes_document",
    "minutes_input",
    "minutes_markdown",
    "write_minutes",
]

BACKUP_MARK = ".bak-"
"""What follows the database's name in the name of each of its backups (PATH.bak-…), and of
each backup's journal (PATH.bak-….journal)."""

_OWN_SUFFIXES = {
    "": "the database",
    JOURNAL_SUFFIX: "the database's journal",
    LOCK_SUFFIX: "the database's lock",
}


def agenda_timeboxes(plan: Plan, meeting: Meeting, *, reviewing: bool) -> dict[int, int]:
    """Planned minutes of each agenda step by area number (0 = 回头看, when `reviewing` items
    carried over), counted as the meeting screen counts its steps."""
    planned: dict[int, int] = {}
    for number, minutes in agenda_steps(plan, meeting, reviewing=reviewing):
        planned[number] = planned.get(number, 0) + minutes
    return planned


class DatabaseFile(WriteError):
    """The path is one of the database's own files: writing the minutes there would destroy it."""


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
    carried = reviewed_with_dates(figures.carried(meeting, meetings), meetings)
    return MinutesInput(
        meeting=meeting,
        status=status_at(repo, meeting, rules, figures),
        points=figures.points,
        lang=lang,
        carried=carried,
        actions=tuple(a for a in figures.actions if a.meeting_id == meeting.id),
        next_meeting=figures.next_meeting,
        notice=repo.notice(lang),
        timeboxes=agenda_timeboxes(plan, meeting, reviewing=bool(carried)),
    )


def minutes_markdown(
    repo: Repository,
    meeting_id: str | None = None,
    lang: str | None = None,
    *,
    actions_only: bool = False,
    rules: Rules = None,
) -> str:
    """The minutes of a meeting as Markdown, or with `actions_only` its 交办事项清单 alone
    (kept between commands for the database as read: see `meeting.kept`)."""

    def make() -> str:
        data = minutes_input(repo, meeting_id, lang, rules=rules)
        return render_action_list(data) if actions_only else render_minutes(data)

    return kept(repo, "minutes", ("md", meeting_id, lang, actions_only, rules), make, str)


def minutes_document(
    repo: Repository,
    meeting_id: str | None = None,
    lang: str | None = None,
    *,
    actions_only: bool = False,
    rules: Rules = None,
) -> bytes:
    """The minutes of a meeting as a Word document in 公文 layout (the bytes of a .docx): the
    Markdown's content, with each chart as a table of its months."""
    from zzreview.rendering.gongwen import minutes_docx

    def make() -> bytes:
        data = minutes_input(repo, meeting_id, lang, rules=rules)
        return minutes_docx(*document_source(data, actions_only=actions_only))

    return kept(repo, "minutes", ("docx", meeting_id, lang, actions_only, rules), make, bytes)


def document_source(data: MinutesInput, *, actions_only: bool = False) -> tuple[str, Layout]:
    """What the Word document is made from, out of the minutes' gathered input: its Markdown
    (charts as month tables) and its layout's details. Pure: the app gathers the input under
    its lock once, for the preview and the document, and builds the document outside it."""
    from zzreview.rendering.gongwen import Layout

    data = dataclasses.replace(data, chart_tables=True)
    markdown = render_action_list(data) if actions_only else render_minutes(data)
    key = "minutes.actions_title" if actions_only else "minutes.title"
    return markdown, Layout(data.meeting, data.lang, title=t(key, data.lang, title=data.meeting.title))


def write_minutes(path: Path, text: str | bytes, *, replace: bool, database: Path | None) -> None:
    """Write the minutes (Markdown text, or a document's bytes) to `path` atomically; an
    existing file only with `replace`, and never one of the files of the database at
    `database` (None: a database held in memory).

    Raises DatabaseFile or AlreadyExists (nothing written), or WriteError naming the file and why.
    """
    if database is not None and (role := database_file_role(path, database)):
        which = "" if str(path) == str(database) else f" ({database})"
        raise DatabaseFile(f"{path} is {role}{which}; choose another file for the minutes")
    write_new_file(path, text.encode("utf-8") if isinstance(text, str) else text, replace=replace)


def database_file_role(path: Path, database: Path) -> str | None:
    """What `path` is to the database at `database` — "the database", "the database's journal",
    its lock, or one of its backups (each with its journal) — or None if it is none of them.

    Names are compared after resolving both paths (symlinks, `..`, relative or absolute), so a
    file that does not exist yet is caught too; an existing file is also compared by identity
    (os.path.samefile), which catches a hard link.
    """
    target = Path(os.path.realpath(path))
    for base in _database_names(database):
        if _same_folder(target.parent, base.parent) and (role := _role_by_name(target.name, base.name)):
            return role
    if os.path.exists(path):
        for own, role in _existing_database_files(database):
            try:
                if os.path.samefile(path, own):
                    return role
            except OSError:
                continue
    return None


def _database_names(database: Path) -> list[Path]:
    """The database as named (its folder resolved) and, if that is a symlink, the file it leads
    to: the store keeps its files at the target, an older one kept them beside the link."""
    named = Path(os.path.realpath(database.parent)) / database.name
    resolved = Path(os.path.realpath(database))
    return [named] if resolved == named else [named, resolved]


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return os.path.normcase(one) == os.path.normcase(other)


def _role_by_name(name: str, database_name: str) -> str | None:
    name, database_name = os.path.normcase(name), os.path.normcase(database_name)
    for suffix, role in _OWN_SUFFIXES.items():
        if name == database_name + suffix:
            return role
    if name.startswith(database_name + BACKUP_MARK):
        return "a backup of the database"
    return None


def _existing_database_files(database: Path) -> Iterator[tuple[Path, str]]:
    for base in _database_names(database):
        try:
            names = os.listdir(base.parent)
        except OSError:
            continue
        for name in names:
            if role := _role_by_name(name, base.name):
                yield base.parent / name, role
