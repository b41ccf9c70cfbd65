"""The meeting's own record: a decision (议定事项), a note under an area, the chair's judgement
of a measure."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from zzreview.analysis import judgement_differs, measure_state
from zzreview.domain import Judgement, NoteKind, Verdict
from zzreview.i18n import state_word, t
from zzreview.meeting import commands
from zzreview.meeting.view import MeetingView
from zzreview.rendering.names import measure_title
from zzreview.ui.forms.base import CHOICE, TEXT, Field, FormScreen, conflict_problem
from zzreview.ui.writer import Writer


class DecisionForm(FormScreen):
    """A decision of the meeting, under the area on screen (or the whole meeting)."""

    title_key = "form.decision.title"

    def __init__(self, writer: Writer, view: MeetingView, *, area_number: int | None) -> None:
        self._writer = writer
        self._view = view
        self._area = area_number
        super().__init__(view.lang)

    def fields(self) -> Sequence[Field]:
        lang = self.lang
        return [
            Field("text", t("form.decision.text", lang), kind=TEXT),
            Field(
                "area",
                t("form.decision.area", lang),
                value="" if self._area is None else str(self._area),
                hint=t("form.decision.area_hint", lang),
            ),
        ]

    def save(self, values: dict[str, str]) -> commands.Recorded:
        return self._writer.run(
            commands.add_decision, values["text"], area=values["area"], meeting_id=self._view.meeting.id
        )


class NoteForm(FormScreen):
    """A note taken under the area on screen."""

    def __init__(self, writer: Writer, view: MeetingView, *, area_number: int) -> None:
        self._writer = writer
        self._view = view
        self._area = area_number
        super().__init__(view.lang, title=t("form.note.title", view.lang, area=area_number))

    def fields(self) -> Sequence[Field]:
        lang = self.lang
        return [
            Field("text", t("form.note.text", lang), kind=TEXT),
            Field(
                "kind",
                t("form.note.kind", lang),
                kind=CHOICE,
                value=NoteKind.NOTE.value,
                choices=tuple((k.value, t(f"note.kind.{k.value}", lang)) for k in NoteKind),
            ),
        ]

    def save(self, values: dict[str, str]) -> commands.Recorded:
        return self._writer.run(
            commands.add_note,
            self._area,
            values["text"],
            meeting_id=self._view.meeting.id,
            kind=values["kind"],
        )


class JudgementForm(FormScreen):
    """The chair's judgement of a measure, shown beside the light the figures give it."""

    title_key = "form.judgement.title"

    def __init__(self, writer: Writer, view: MeetingView, *, area_number: int, measure_id: str) -> None:
        self._writer = writer
        self._view = view
        self._area = area_number
        self._measure = measure_id or view.plan.area(area_number).measures[0].id
        self._shown: dict[str, Judgement | None] = {}
        """A measure's judgement as this form last knew it, after a conflict."""
        super().__init__(view.lang)

    def fields(self) -> Sequence[Field]:
        lang = self.lang
        earlier = self._view.judgements.get(self._measure)
        return [
            Field("measure", t("form.judgement.measure", lang), value=self._measure),
            Field(
                "verdict",
                t("form.judgement.verdict", lang),
                kind=CHOICE,
                value=earlier.verdict.value if earlier else Verdict.ON_TRACK.value,
                choices=tuple((v.value, t(f"minutes.verdict.{v.value}", lang)) for v in Verdict),
            ),
            Field("text", t("form.judgement.text", lang), value=earlier.text if earlier else ""),
        ]

    def preview(self, name: str, value: str) -> Text | None:
        """Under the measure: its title and the light the figures give it, flagged where the
        chosen verdict disagrees."""
        if name != "measure":
            return None
        measure_id = (value if name == "measure" else self.value_of("measure")).strip()
        measure = next((m for m in self._view.plan.measures if m.id == measure_id), None)
        if measure is None:
            return Text(t("form.invalid", self.lang, problem=t("form.unknown_measure", self.lang)))
        statuses = self._view.status.area(measure.area_number).statuses
        state = measure_state(statuses, measure.id)
        line = Text(f"{measure.id} {measure_title(measure, self.lang)} · ", style="dim")
        line.append(
            t("form.judgement.light", self.lang, state=f"{state.mark} {state_word(state.value, self.lang)}")
        )
        verdict = self.value_of("verdict")
        if verdict and judgement_differs(Judgement(measure.id, Verdict(verdict)), statuses):
            line.append(t("ui.judgement_differs", self.lang), style="bold reverse")
        return line

    def field_changed(self, name: str) -> None:
        if name == "verdict":
            self._show_preview("measure", self.value_of("measure"))

    def save(self, values: dict[str, str]) -> commands.Recorded:
        measure = values["measure"].strip()
        shown = self._shown.get(measure, self._view.judgements.get(measure))
        try:
            return self._writer.run(
                commands.set_judgement,
                measure,
                values["verdict"],
                text=values["text"],
                meeting_id=self._view.meeting.id,
                expected=shown,
            )
        except commands.Conflict as conflict:
            # Both versions beside the verdict; saving again keeps what was chosen here.
            with self._writer.lock:
                now = self._writer.repo.meeting(self._view.meeting.id).judgements
            self._shown[measure] = next((j for j in now if j.measure_id == measure), None)
            raise conflict_problem(conflict, self.lang) from None
