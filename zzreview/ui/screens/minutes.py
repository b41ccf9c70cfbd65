"""The minutes preview (`e`): the meeting's 会议纪要 laid out for proofreading (every table cell
in full), then written to a file — Markdown (`w`) or a Word document in 公文 layout (`d`) —
never over an existing one without a confirm."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from zzreview.i18n import t
from zzreview.meeting.minutes import (
    AlreadyExists,
    WriteError,
    document_source,
    minutes_input,
    minutes_markdown,
    write_minutes,
)
from zzreview.rendering.minutes import render_minutes
from zzreview.ui.answers import AnswersOnce
from zzreview.ui.widgets.preview import RenderedLines, laid_out

if TYPE_CHECKING:
    from zzreview.storage.repository import Repository


def default_minutes_path(meeting_id: str, lang: str, folder: Path | None = None, suffix: str = ".md") -> Path:
    """Where the preview writes: the current folder, named after the meeting."""
    name = f"纪要-{meeting_id}{suffix}" if lang == "zh" else f"minutes-{meeting_id}{suffix}"
    return (folder or Path.cwd()) / name


class OverwriteScreen(AnswersOnce, ModalScreen[bool]):
    """One-key confirmation before replacing an existing file: y replaces, anything else keeps it."""

    def __init__(self, path: Path, lang: str) -> None:
        super().__init__()
        self._path = path
        self._lang = lang

    def compose(self) -> ComposeResult:
        yield Static(
            Text(t("ui.overwrite_confirm", self._lang, path=str(self._path)), style="bold"), id="quit-box"
        )

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.answer(event.key == "y")


class MinutesScreen(Screen[None]):
    """The minutes, rendered, with a key to write them to a file."""

    BINDINGS = [
        Binding("escape,e", "close", "back", id="close_minutes"),
        Binding("w,ctrl+s", "write", "write", id="write_minutes"),
        Binding("d", "write_document", "Word", id="write_document"),
    ]

    def __init__(
        self, repo: Repository, meeting_id: str, lang: str, rules: str, folder: Path | None = None
    ) -> None:
        super().__init__()
        self._repo = repo
        self._meeting_id = meeting_id
        self._lang = lang
        self._rules = rules
        self._folder = folder
        self.markdown: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            Text(t("ui.minutes_title", self._lang, id=self._meeting_id), style="bold"), id="minutes-title"
        )
        yield RenderedLines(t("ui.minutes_preparing", self._lang), id="minutes-view")
        yield Static(Text(t("ui.minutes_keys", self._lang), style="dim"), id="minutes-hint")

    def on_mount(self) -> None:
        self._render_minutes()

    def _data_lock(self) -> contextlib.AbstractContextManager:
        """The seat's lock around reading the repository (none for an app without a writer)."""
        lock = getattr(getattr(self.app, "writer", None), "lock", None)
        return lock if lock is not None else contextlib.nullcontext()

    def _fresh_minutes(self) -> str:
        """The minutes from the data on disk now (another seat may have saved a moment ago)."""
        with self._data_lock():
            self._repo.refresh()
            return minutes_markdown(self._repo, self._meeting_id, self._lang, rules=self._rules)

    def _layout_width(self) -> int:
        view = self.query_one(RenderedLines)
        return max(20, (view.size.width or self.app.size.width) - 2)  # the scrollbar's gutter

    @work(thread=True, exclusive=True)
    def _render_minutes(self) -> None:
        text = self._fresh_minutes()
        width = self.app.call_from_thread(self._layout_width)
        self.app.call_from_thread(self._show, text, laid_out(text, width), width)

    @work(thread=True, exclusive=True, group="minutes-layout")
    def _lay_out_again(self, text: str, width: int) -> None:
        self.app.call_from_thread(self._show, text, laid_out(text, width), width)

    def on_resize(self) -> None:
        view = self.query_one(RenderedLines)
        if self.markdown is not None and view.laid_out_width and view.laid_out_width != self._layout_width():
            self._lay_out_again(self.markdown, self._layout_width())

    def _show(self, text: str, lines: list, width: int) -> None:
        self.markdown = text
        view = self.query_one(RenderedLines)
        view.show(lines, width)
        view.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_write(self) -> None:
        if self.markdown is not None:
            self._write_fresh()

    def action_write_document(self) -> None:
        if self.markdown is not None:
            self._write_document()

    @work(thread=True, exclusive=True, group="minutes-write")
    def _write_document(self) -> None:
        """The Word document, from the data on disk at this moment (if another seat saved
        since the preview opened, the preview is updated first, as for `w`). The data is read
        under the seat's lock; the document (python-docx's import and ~0.1–2 s of building) is
        made outside it, so the seat's saves never wait on it."""
        from zzreview.rendering.gongwen import minutes_docx

        with self._data_lock():
            self._repo.refresh()
            data = minutes_input(self._repo, self._meeting_id, self._lang, rules=self._rules)
        text, source = render_minutes(data), document_source(data)
        changed = None
        if text != self.markdown:
            width = self.app.call_from_thread(self._layout_width)
            changed = (laid_out(text, width), width)
        content = minutes_docx(*source)
        path = default_minutes_path(self._meeting_id, self._lang, self._folder, ".docx")
        self.app.call_from_thread(self._write_content, text, changed, path, content)

    def _write_content(self, text: str, changed: tuple[list, int] | None, path: Path, content: bytes) -> None:
        if changed is not None:
            self._show(text, *changed)
            self.notify(t("ui.minutes_refreshed", self._lang), markup=False)
        self._write(path, replace=False, content=content)

    @work(thread=True, exclusive=True, group="minutes-write")
    def _write_fresh(self) -> None:
        """Written from the data as it is on disk at this moment, never from what the preview
        showed when it opened: if another seat saved since, the preview is updated first."""
        text = self._fresh_minutes()
        changed = None
        if text != self.markdown:  # laid out here too, off the UI thread
            width = self.app.call_from_thread(self._layout_width)
            changed = (laid_out(text, width), width)
        self.app.call_from_thread(self._write_text, text, changed)

    def _write_text(self, text: str, changed: tuple[list, int] | None) -> None:
        if changed is not None:
            self._show(text, *changed)
            self.notify(t("ui.minutes_refreshed", self._lang), markup=False)
        self._write(default_minutes_path(self._meeting_id, self._lang, self._folder), replace=False)

    def _write(self, path: Path, *, replace: bool, content: str | bytes | None = None) -> None:
        """Write `content` (default: the Markdown shown) to `path`."""
        assert self.markdown is not None
        content = self.markdown if content is None else content
        try:
            write_minutes(path, content, replace=replace, database=self._repo.store.path)
        except AlreadyExists:

            def decided(confirmed: bool | None) -> None:
                if confirmed:
                    self._write(path, replace=True, content=content)
                else:
                    self.notify(t("ui.minutes_kept", self._lang, path=str(path)), markup=False)

            self.app.push_screen(OverwriteScreen(path, self._lang), decided)
        except WriteError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
        else:
            self._written(path)

    def _written(self, path: Path) -> None:
        message = t("cli.minutes_written", self._lang, path=str(path.resolve()))
        self.query_one("#minutes-hint", Static).update(Text(message, style="bold"))
        self.notify(message, timeout=10, markup=False)
