"""What the meeting screen records: the write keys (`a` `v` `d` `m` `j`, `ctrl+z`), the palette's
records, and the rules every write follows.

Every write goes through the app's `Writer` off the UI thread; the screen then shows the view
rebuilt from disk. A closed meeting, a read-only database and a viewer's seat write nothing and
say why; the first record at a planned meeting asks to start it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import ModalScreen

from zzreview.domain import MeetingState
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.session import USER_ERRORS
from zzreview.ui.live import event_words
from zzreview.ui.widgets.actions import ActionList

if TYPE_CHECKING:
    from zzreview.analysis import IndicatorStatus
    from zzreview.meeting.view import MeetingView
    from zzreview.ui.writer import Writer

FormFactory = Callable[[], ModalScreen[Any]]


def _close_with_times(repo, meeting_id: str, times: dict[int, int], *, rules: str) -> commands.Recorded:
    """Close a meeting after recording the time each step took so far, a running timer
    included: once closed, its times can no longer change."""
    for area, seconds in times.items():
        commands.record_area_time(repo, area, seconds, meeting_id=meeting_id)
    return commands.close_meeting(repo, meeting_id, rules=rules)


def saved_words(recorded: commands.Recorded, lang: str) -> str:
    """The notice after a save: what kind of record, and its id where it has one."""
    if recorded.event is None:
        return t("notice.unchanged", lang)
    what = event_words(recorded.event.kind, lang)
    ident = getattr(recorded.value, "id", "")
    return t("notice.saved", lang, what=f"{what} {ident}".strip())


class Recording:
    """Mixed into the meeting screen: opening forms, saving, undo."""

    view: MeetingView

    # Provided by the meeting screen.
    def show_view(self, view: MeetingView) -> None: ...
    def on_area(self) -> int | None: ...
    def selected_measure(self) -> str: ...
    def selected_status(self) -> IndicatorStatus | None: ...
    def timer_totals(self) -> dict[int, int]: ...
    def figures_in(self) -> bool: ...

    @property
    def writer(self) -> Writer:
        return self.app.writer  # type: ignore[attr-defined]

    def _refusal(self, *, for_closed: bool = True) -> str | None:
        """Why nothing can be recorded here; None when it can. Planning a new meeting is the
        one record a closed meeting's screen still allows (`for_closed=False`)."""
        lang = self.view.lang
        if for_closed and self.view.meeting.state is MeetingState.CLOSED:
            return t("notice.closed", lang)
        if self.writer.repo.seat == "viewer":
            return t("notice.viewer", lang)
        if not self.writer.repo.writable:
            return t("notice.read_only", lang)
        return None

    def open_form(self, make: FormFactory, *, for_closed: bool = True) -> None:
        """Open a form if this seat may record; at a planned meeting, ask to start it first.
        `for_closed=False`: a form a closed meeting still takes (its minutes' issue details)."""
        refusal = self._refusal(for_closed=for_closed)
        if refusal:
            self.notify(refusal, severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        if not self.figures_in():  # a form's completions read every item
            return
        if self.view.meeting.state is MeetingState.PLANNED:
            from zzreview.ui.forms.confirm import ConfirmScreen

            def decided(start: bool | None) -> None:
                if start:
                    self._start_then(make)

            self.app.push_screen(ConfirmScreen(t("notice.start_first", self.view.lang)), decided)  # type: ignore[attr-defined]
            return
        self._push_form(make)

    def _push_form(self, make: FormFactory) -> None:
        form = make()
        form.after_save = self._view_after_write

        def done(recorded: commands.Recorded | None) -> None:
            if recorded is not None:
                self.after_write(saved_words(recorded, self.view.lang), form.after_saved)

        self.app.push_screen(form, done)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="write")
    def _start_then(self, make: FormFactory) -> None:
        try:
            self.writer.run(commands.start_meeting, self.view.meeting.id)
            view = self.writer.view()  # the form opens on the meeting as started
        except USER_ERRORS as error:
            self.app.call_from_thread(self._write_failed, error)  # type: ignore[attr-defined]
            return

        def started() -> None:
            self.show_view(view)
            self.notify(t("notice.started", self.view.lang), timeout=4, markup=False)  # type: ignore[attr-defined]
            self._push_form(make)

        self.app.call_from_thread(started)  # type: ignore[attr-defined]

    def _view_after_write(self) -> MeetingView | None:
        """Off the UI thread, once a write is on disk: the meeting as it now stands, for
        `after_write` to show at once; None if it cannot be read (`after_write` then tries again
        in the background, and says what is wrong)."""
        try:
            return self.writer.view()
        except USER_ERRORS:
            return None

    def after_write(self, said: str, view: MeetingView | None = None) -> None:
        """Say what was recorded (it is on disk), then show the meeting as it now stands:
        `view`, rebuilt by the write's own worker, or rebuilt now in the background."""
        if said:
            self.notify(said, timeout=4, markup=False)  # type: ignore[attr-defined]
        if view is not None:
            self.show_view(view)  # type: ignore[attr-defined]
        else:
            self._refresh_view()

    @work(thread=True, exclusive=True, group="refresh")
    def _refresh_view(self) -> None:
        """The view rebuilt from disk off the UI thread, then shown in place."""
        try:
            view = self.writer.view()
        except USER_ERRORS as error:
            self.app.call_from_thread(self._write_failed, error)  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self.show_view, view)  # type: ignore[attr-defined]

    def _write_failed(self, error: Exception) -> None:
        message = getattr(error, "message", None) or str(error)
        self.notify(t("notice.write_failed", self.view.lang, problem=message), severity="error", markup=False)  # type: ignore[attr-defined]

    # -- the keys ----------------------------------------------------------------------------

    def action_add_action(self) -> None:
        from zzreview.ui.forms.action import ActionForm

        area = self.on_area()
        measure = self.selected_measure()
        self.open_form(lambda: ActionForm(self.writer, self.view, area_number=area, measure_id=measure))

    def action_record_value(self) -> None:
        from zzreview.ui.forms.value import ValueForm

        status = self.selected_status()
        if status is None:
            self.notify(t("notice.no_indicator", self.view.lang), severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        self.open_form(lambda: ValueForm(self.writer, self.view, status))

    def action_add_decision(self) -> None:
        from zzreview.ui.forms.record import DecisionForm

        area = self.on_area()
        self.open_form(lambda: DecisionForm(self.writer, self.view, area_number=area))

    def action_add_note(self) -> None:
        from zzreview.ui.forms.record import NoteForm

        area = self.on_area()
        if area is None:
            self.notify(t("notice.no_area", self.view.lang), severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        self.open_form(lambda: NoteForm(self.writer, self.view, area_number=area))

    def action_judge(self) -> None:
        from zzreview.ui.forms.record import JudgementForm

        area = self.on_area()
        if area is None:
            self.notify(t("notice.no_area", self.view.lang), severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        measure = self.selected_measure()
        self.open_form(lambda: JudgementForm(self.writer, self.view, area_number=area, measure_id=measure))

    def action_attendance(self) -> None:
        from zzreview.ui.forms.meeting import AttendanceForm

        self.open_form(lambda: AttendanceForm(self.writer, self.view))

    def action_meeting_details(self) -> None:
        from zzreview.ui.forms.meeting import MeetingDetailsForm

        # A closed meeting's form holds only what its minutes are printed with (期数, 印发机关,
        # 分送): an office numbers and sends the minutes after the meeting.
        self.open_form(
            lambda: MeetingDetailsForm(self.writer, self.view, next_meeting=self.view.next_planned),
            for_closed=False,
        )

    def plan_meeting(self) -> None:
        """Plan a new meeting (the palette's command) and open it."""
        from zzreview.ui.forms.meeting import NewMeetingForm

        refusal = self._refusal(for_closed=False)
        if refusal:
            self.notify(refusal, severity="warning", markup=False)  # type: ignore[attr-defined]
            return

        def done(recorded: commands.Recorded | None) -> None:
            if recorded is not None:
                self._open_meeting(recorded.value.id)

        self.app.push_screen(NewMeetingForm(self.writer, self.view), done)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="write")
    def _open_meeting(self, meeting_id: str) -> None:
        with self.writer.lock:
            self.writer.meeting_id = meeting_id
            view = self.writer.view_locked()

        def opened() -> None:
            self.show_view(view)
            self.notify(t("notice.switched", view.lang, id=meeting_id), timeout=4, markup=False)  # type: ignore[attr-defined]

        self.app.call_from_thread(opened)  # type: ignore[attr-defined]

    def order_red_first(self) -> None:
        """The agenda by worst light first, timeboxes weighted by status (the palette's command)."""
        self._run_write(
            lambda: self.writer.run(
                commands.order_agenda,
                self.view.meeting.id,
                red_first=True,
                weighted=True,
                rules=self.writer.rules,
            ),
            t("notice.agenda", self.view.lang),
        )

    def close_this_meeting(self) -> None:
        """Close the meeting and freeze its minutes, after a one-key question."""
        from zzreview.ui.forms.confirm import ConfirmScreen

        refusal = self._refusal()
        if refusal:
            self.notify(refusal, severity="warning", markup=False)  # type: ignore[attr-defined]
            return

        def decided(close: bool | None) -> None:
            if close:
                times = self.timer_totals()
                meeting_id = self.view.meeting.id
                self._run_write(
                    lambda: self.writer.run(_close_with_times, meeting_id, times, rules=self.writer.rules),
                    t("notice.meeting_closed", self.view.lang),
                )

        self.app.push_screen(ConfirmScreen(t("notice.close_confirm", self.view.lang)), decided)  # type: ignore[attr-defined]

    def _run_write(self, write: Callable[[], commands.Recorded], said: str) -> None:
        refusal = self._refusal()
        if refusal:
            self.notify(refusal, severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        self._write_in_background(write, said)

    @work(thread=True, exclusive=True, group="write")
    def _write_in_background(self, write: Callable[[], commands.Recorded], said: str) -> None:
        try:
            write()
        except USER_ERRORS as error:
            self.app.call_from_thread(self._write_failed, error)  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self.after_write, said, self._view_after_write())  # type: ignore[attr-defined]

    def on_action_list_chosen(self, message: ActionList.Chosen) -> None:
        """`enter` on an action item (the area's list or 回头看): its form, to edit it, change its
        status (销号 with evidence, dropping with a reason) or say how it stands this meeting."""
        self.edit_action(message.action_id)

    def edit_action(self, action_id: str) -> None:
        from zzreview.ui.forms.action import ActionForm

        if not self.figures_in():
            return
        item = self.view.action_item(action_id)
        if item is None:
            return
        self.open_form(lambda: ActionForm(self.writer, self.view, area_number=item.area_number, item=item))

    def action_undo(self) -> None:
        refusal = self._refusal()
        if refusal:
            self.notify(refusal, severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        self._undo()

    @work(thread=True, exclusive=True, group="write")
    def _undo(self) -> None:
        lang = self.view.lang
        try:
            recorded = self.writer.run(commands.undo)
        except USER_ERRORS as error:
            message = getattr(error, "message", None) or str(error)
            nothing = getattr(error, "field", "") == "seat" and "nothing" in message
            text = (
                t("notice.nothing_to_undo", lang)
                if nothing
                else t("notice.undo_failed", lang, problem=message)
            )
            self.app.call_from_thread(self.notify, text, severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        undone = recorded.value
        what = event_words(undone.kind, lang)
        view = self._view_after_write()
        self.app.call_from_thread(self.after_write, t("notice.undone", lang, what=what), view)  # type: ignore[attr-defined]
