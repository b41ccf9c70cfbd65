"""The form every record is typed into: a modal screen of fields, saved durably before it closes.

A form is a `ModalScreen`, so typing `n`, a digit or a space types and never navigates the
meeting underneath. Each field has its message line beside it: a command's `EntryError`
names the field it is about, and the form shows the message there, keeps everything typed and
puts the cursor on that field. `ctrl+s` (or `enter` on the last line field) saves; `esc`
cancels, asking first when something was typed.

Saving runs the form's `save` off the UI thread (the store fsyncs its journal), and the form
closes only once the save is acknowledged: the value it is dismissed with is what the command
recorded. A failed save keeps the form open with the error and every typed field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, RadioButton, RadioSet, Static, TextArea
from textual.widgets.text_area import EditResult, Location
from textual.worker import Worker, WorkerState

from zzreview.domain import ActionStatus
from zzreview.domain.entry import EntryError
from zzreview.domain.text import clean_text
from zzreview.i18n import t
from zzreview.meeting.commands import Conflict
from zzreview.meeting.session import USER_ERRORS
from zzreview.ui.answers import AnswersOnce

LINE, TEXT, CHOICE = "line", "text", "choice"
"""The kinds of field: one line of text, several lines, one of a few choices."""

SAY_SAVING_AFTER = 0.3
"""Seconds a save may take before the form says it is saving."""

SAVE_GROUP = "form-save"
"""The worker group of a form's save: one at a time, and only its end closes the form."""


@dataclass(frozen=True)
class Field:
    """One field of a form.

    `name` is what a command's `EntryError.field` calls it, so its message lands beside it;
    `answers` names other fields whose messages belong here too (a status field shows the
    `evidence` message when the line it needs is missing, say).
    """

    name: str
    label: str
    kind: str = LINE
    value: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    """For a choice: (value, label) pairs, in the order shown."""
    placeholder: str = ""
    suggester: Suggester | None = None
    hint: str = ""
    """A fixed line of help under the field (e.g. the accepted date forms)."""
    answers: tuple[str, ...] = ()


class SuggestLastPart(Suggester):
    """Completes the last of several names typed in one field (`市商务局、市发改委`)."""

    SEPARATORS = "、,，;；"

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._names = sorted(set(names))

    async def get_suggestion(self, value: str) -> str | None:
        cut = max(value.rfind(s) for s in self.SEPARATORS) + 1
        head, last = value[:cut], value[cut:].lstrip()
        if not last:
            return None
        for name in self._names:
            if name.casefold().startswith(last.casefold()) and name != last:
                return head + value[cut : len(value) - len(last)] + name
        return None


class ChoiceSet(RadioSet):
    """A row of choices where the arrow keys choose (a segmented control): one key, not two."""

    BINDINGS = [
        Binding("right,down", "choose(1)", "next choice", show=False),
        Binding("left,up", "choose(-1)", "previous choice", show=False),
    ]

    def _buttons(self) -> list[RadioButton]:
        return list(self.query(RadioButton))

    def on_mount(self) -> None:
        buttons = self._buttons()
        pressed = next((i for i, b in enumerate(buttons) if b.value), None)
        if pressed is not None:
            self._selected = pressed

    def action_choose(self, step: int) -> None:
        buttons = self._buttons()
        if not buttons:
            return
        current = next((i for i, b in enumerate(buttons) if b.value), self._selected or 0)
        index = (current + step) % len(buttons)
        self._selected = index
        buttons[index].value = True


class LineInput(Input):
    """A line field that drops control characters as they arrive (a paste can carry terminal
    escapes, `\\x1b]0;…`, which the field would otherwise draw to the terminal raw) and keeps
    every line of a paste."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(clean_text(text), start, end)

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps only the first line of a paste; the line field keeps them all, joined by
        # spaces, as the store would store newlines typed into one line.
        event.prevent_default()
        event.stop()
        line = " ".join(event.text.splitlines())
        if not line:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(line)
        else:
            self.replace(line, *self.selection)


class TextField(TextArea):
    """A several-line field that drops control characters as they arrive, like `LineInput`."""

    def replace(
        self, insert: str, start: Location, end: Location, *, maintain_selection_offset: bool = True
    ) -> EditResult:
        return super().replace(
            clean_text(insert), start, end, maintain_selection_offset=maintain_selection_offset
        )


def conflict_problem(conflict: Conflict, lang: str) -> EntryError:
    """Another seat's change to a field, as the form shows it beside the field: both versions,
    and that saving again keeps what was typed here."""
    theirs, mine = (_quoted(value, lang) for value in (conflict.theirs, conflict.mine))
    return EntryError(conflict.field, t("form.conflict", lang, theirs=theirs, mine=mine))


def _quoted(value: object, lang: str) -> str:
    if isinstance(value, tuple):
        value = "、".join(str(v) for v in value)
    if isinstance(value, ActionStatus):
        value = t(f"action.{value.value}", lang)
    if isinstance(value, date):
        value = value.isoformat()
    return str(value) if value not in (None, "") else "—"


def split_names(text: str) -> list[str]:
    """Several names typed in one field, split on 、 , ， ; ；"""
    for separator in SuggestLastPart.SEPARATORS[1:]:
        text = text.replace(separator, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


class FormScreen(AnswersOnce, ModalScreen[Any]):
    """A form of `fields()`; `save(values)` records them and returns what it recorded."""

    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="form_save", priority=True),
        Binding("escape", "cancel", "cancel", id="form_cancel"),
        Binding("enter", "enter", "next field", id="form_next", priority=True, show=False),
        # Bound on the form, like enter, so what is typed straight after tab lands in the next
        # field: a terminal hands quick typing (or an input method's commit and a tab) over in
        # one burst, and the field would otherwise take those keys before the focus moved.
        Binding("tab", "focus_field(1)", "next field", id="form_tab", priority=True, show=False),
        Binding(
            "shift+tab", "focus_field(-1)", "previous field", id="form_back_tab", priority=True, show=False
        ),
    ]

    DEFAULT_CLASSES = "form"
    AUTO_FOCUS = ""
    """The first field is focused on mount; Textual's own pick would be the scrolling box of
    fields, focused and then unfocused at once, and each restyles all ~40 of the form's
    widgets (~10 ms each)."""
    title_key: ClassVar[str] = ""

    def __init__(self, lang: str, *, title: str = "", context: str = "") -> None:
        super().__init__()
        self.lang = lang
        self._heading = title or t(self.title_key, lang)
        self._context_line = context
        self._fields = list(self.fields())
        self._initial: dict[str, str] = {}
        self._previews: dict[str, Text] = {}
        self._saving = False
        self._saying_saving: Timer | None = None
        self.after_save: Callable[[], Any] | None = None
        """Set by the screen that opens the form: called off the UI thread once the save is
        durable (it must not raise), its answer kept as `after_saved` when the form closes.
        The meeting screen rebuilds its view there, so the form closes onto the meeting as it
        now stands in one repaint, not onto the old figures that are then redrawn."""
        self.after_saved: Any = None

    # -- what a form says --------------------------------------------------------------

    def fields(self) -> Sequence[Field]:
        """The fields, in order."""
        raise NotImplementedError

    def save(self, values: dict[str, str]) -> Any:
        """Record `values` (called off the UI thread); raise `EntryError` to show a message."""
        raise NotImplementedError

    def preview(self, name: str, value: str) -> Text | None:
        """A live line under a field as it is typed (e.g. a due date resolved); None: none."""
        return None

    def check(self, values: dict[str, str]) -> None:
        """Checks the form can make before saving (raise `EntryError`); by default none."""

    # -- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(Text(self._heading, style="bold"), id="form-title")
            if self._context_line:
                yield Static(Text(self._context_line), id="form-context")
            with VerticalScroll(id="form-fields"):
                for spec in self._fields:
                    yield from self._field_widgets(spec)
            yield Static(id="form-problem")
            yield Static(Text(t("form.keys", self.lang), style="dim"), id="form-keys")

    def _field_widgets(self, spec: Field) -> Iterable[Widget]:
        with Horizontal(classes="form-row"):
            yield Static(Text(spec.label), classes="form-label")
            with Vertical(classes="form-input"):
                yield self._input(spec)
                yield Static(id=f"error-{spec.name}", classes="form-error")
                yield Static(
                    Text(spec.hint, style="dim") if spec.hint else "",
                    id=f"hint-{spec.name}",
                    classes="form-hint",
                )

    def _input(self, spec: Field) -> Widget:
        ident = f"field-{spec.name}"
        if spec.kind == TEXT:
            area = TextField(
                spec.value, id=ident, soft_wrap=True, tab_behavior="focus", show_line_numbers=False
            )
            area.placeholder = spec.placeholder
            return area
        if spec.kind == CHOICE:
            buttons = [
                RadioButton(Text(label), value=value == spec.value, name=value)
                for value, label in spec.choices
            ]
            return ChoiceSet(*buttons, id=ident)
        return LineInput(
            spec.value,
            placeholder=spec.placeholder,
            suggester=spec.suggester,
            id=ident,
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        self._initial = self.values()
        for spec in self._fields:
            self._show_preview(spec.name, self._initial[spec.name])
        if self._fields:
            self.query_one(f"#field-{self._fields[0].name}").focus()

    # -- reading ---------------------------------------------------------------------------

    def value_of(self, name: str) -> str:
        """What the field `name` holds now."""
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, RadioSet):
            # The buttons' own values: the set learns which is pressed only by a message later.
            pressed = next((b for b in widget.query(RadioButton) if b.value), None)
            return (pressed.name or "") if pressed is not None else ""
        assert isinstance(widget, Input)
        return widget.value

    def values(self) -> dict[str, str]:
        return {spec.name: self.value_of(spec.name) for spec in self._fields}

    @property
    def changed(self) -> bool:
        """Something was typed or chosen since the form opened."""
        return self.values() != self._initial

    # -- live hints ------------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(RadioSet.Changed)
    def _typed(self, event: Input.Changed | TextArea.Changed | RadioSet.Changed) -> None:
        widget = event.input if isinstance(event, Input.Changed) else event.control
        if widget.id and widget.id.startswith("field-"):
            name = widget.id.removeprefix("field-")
            self._show_preview(name, self.value_of(name))
            self.field_changed(name)

    def field_changed(self, name: str) -> None:
        """Called when a field's value changes; forms that show or hide fields react here."""

    def _show_preview(self, name: str, value: str) -> None:
        spec = next(s for s in self._fields if s.name == name)
        line = self.preview(name, value)
        if line is None:
            line = Text(spec.hint, style="dim") if spec.hint else Text("")
        if self._previews.get(name) == line:
            return  # the same line: updating it anyway would lay the whole form out again
        self._previews[name] = line
        self.query_one(f"#hint-{name}", Static).update(line)

    # -- saving ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `enter` is the form's only on a line field: a text area takes it as a new line and a
        # row of choices ignores it.
        if action == "enter":
            return isinstance(self.focused, Input)
        return True

    def action_enter(self) -> None:
        """`enter` moves to the next field; on the last line field it saves. Bound on the form
        (not answered after the field's own message) so keys typed straight after it land in
        the next field, however fast they come."""
        line_fields = [s.name for s in self._fields if s.kind == LINE]
        focused = self.focused
        if focused is not None and focused.id == f"field-{line_fields[-1]}":
            self.action_save()
        else:
            self.focus_next()

    def action_focus_field(self, step: int) -> None:
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_save(self) -> None:
        """Save what the fields hold once the focused field has taken every key sent before
        ctrl+s (or the last enter): they may still be queued for it when the binding fires."""
        focused = self.focused
        if focused is not None and focused is not self:
            focused.call_later(self._save_now)
        else:
            self._save_now()

    def _save_now(self) -> None:
        if self._saving:
            return
        values = self.values()
        self._clear_problems()
        try:
            self.check(values)
        except EntryError as error:
            self._show_problem(error)
            return
        self._saving = True
        # Said only of a save that takes a while (a slow disk, a busy lock): a quick one closes
        # the form before a word about it could be read, and drawing it would slow the save.
        self._saying_saving = self.set_timer(SAY_SAVING_AFTER, self._say_saving)
        self._save_in_background(values)

    def _say_saving(self) -> None:
        if self._saving:
            self.query_one("#form-problem", Static).update(Text(t("form.saving", self.lang), style="italic"))

    @work(thread=True, exclusive=True, group=SAVE_GROUP)
    def _save_in_background(self, values: dict[str, str]) -> tuple[bool, Any, Any]:
        """(saved, what was recorded or the error, what `after_save` gave): taken up by
        `_save_finished` once the worker has ended, never from inside it. Answering from the
        thread would close the form, and with it cancel a worker not yet marked finished."""
        try:
            recorded = self.save(values)
        except EntryError as error:
            return False, error, None
        except USER_ERRORS as error:
            return False, error, None
        after = self.after_save() if self.after_save is not None else None
        return True, recorded, after

    @on(Worker.StateChanged)
    def _save_finished(self, event: Worker.StateChanged) -> None:
        if event.worker.group != SAVE_GROUP or event.state != WorkerState.SUCCESS:
            return
        event.stop()
        saved, outcome, after = event.worker.result
        if saved:
            self._saved(outcome, after)
        else:
            self._failed(outcome)

    def _save_ended(self) -> None:
        self._saving = False
        if self._saying_saving is not None:
            self._saying_saving.stop()

    def _saved(self, recorded: Any, after: Any) -> None:
        self._save_ended()
        self.after_saved = after
        self.answer(recorded)

    def _failed(self, error: Exception) -> None:
        self._save_ended()
        self.query_one("#form-problem", Static).update("")
        self._show_problem(error)

    def _clear_problems(self) -> None:
        for widget in self.query(".form-error"):
            assert isinstance(widget, Static)
            widget.update("")
            widget.remove_class("-shown")
        self.query_one("#form-problem", Static).update("")

    def _show_problem(self, error: Exception) -> None:
        """The message beside the field it is about; a problem with no field goes at the foot."""
        name = getattr(error, "field", "")
        message = getattr(error, "message", None) or str(error)
        target = next((s.name for s in self._fields if name == s.name or name in s.answers), None)
        text = Text(f"✗ {message}", style="bold")
        if target is None:
            self.query_one("#form-problem", Static).update(text)
            return
        widget = self.query_one(f"#error-{target}", Static)
        widget.update(text)
        widget.add_class("-shown")
        self.query_one(f"#field-{target}").focus()

    # -- leaving ---------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self._saving:
            return  # the save is on its way and cannot be called back: the form closes on it
        if not self.changed:
            self.answer(None)
            return
        from zzreview.ui.forms.confirm import ConfirmScreen

        def decided(discard: bool | None) -> None:
            if discard:
                self.answer(None)

        self.app.push_screen(ConfirmScreen(t("form.discard", self.lang)), decided)
