"""The value form: a number for a target, a state and evidence for a milestone, an assessment
and evidence for a qualitative measure — for the indicator selected on screen."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from zzreview.analysis import IndicatorStatus
from zzreview.domain import IndicatorKind
from zzreview.domain.entry import ASSESSED_STATES, MILESTONE_STATES, EntryError, parse_number
from zzreview.i18n import state_word, t
from zzreview.meeting import commands
from zzreview.meeting.view import MeetingView
from zzreview.rendering.names import indicator_name, indicator_unit, value_with_unit
from zzreview.ui.forms.action import resolved_date
from zzreview.ui.forms.base import CHOICE, Field, FormScreen
from zzreview.ui.writer import Writer


class ValueForm(FormScreen):
    """A value for one indicator, as of the meeting's date unless another is typed."""

    def __init__(self, writer: Writer, view: MeetingView, status: IndicatorStatus) -> None:
        self._writer = writer
        self._view = view
        self._status = status
        indicator = status.indicator
        title = t("form.value.title", view.lang, id=indicator.id, name=indicator_name(indicator, view.lang))
        context = ""
        if indicator.kind is IndicatorKind.TARGET:
            context = t(
                "form.value.target",
                view.lang,
                target=value_with_unit(indicator.target, indicator, view.lang),
                current=value_with_unit(status.current, indicator, view.lang),
            )
        elif indicator.checklist:
            context = t("form.value.checklist", view.lang, items="；".join(indicator.checklist))
        super().__init__(view.lang, title=title, context=context)

    @property
    def kind(self) -> IndicatorKind:
        return self._status.indicator.kind

    def fields(self) -> Sequence[Field]:
        lang, indicator = self.lang, self._status.indicator
        if self.kind is IndicatorKind.TARGET:
            unit = indicator_unit(indicator, lang)
            label = t("form.value.number", lang, unit=unit) if unit else t("form.value.number_plain", lang)
            reading = [Field("value", label)]
        elif self.kind is IndicatorKind.MILESTONE:
            current = (
                self._status.milestone_state.value if self._status.milestone_state else MILESTONE_STATES[0]
            )
            reading = [
                Field(
                    "state",
                    t("form.value.state", lang),
                    kind=CHOICE,
                    value=current,
                    choices=tuple((s, t(f"milestone.{s}", lang)) for s in MILESTONE_STATES),
                ),
                Field("evidence", t("form.value.evidence", lang)),
            ]
        else:
            reading = [
                Field(
                    "state",
                    t("form.value.assessment", lang),
                    kind=CHOICE,
                    value="",
                    choices=(
                        ("", t("form.value.assessment_none", lang)),
                        *tuple((s, state_word(s, lang)) for s in ASSESSED_STATES),
                    ),
                ),
                Field("evidence", t("form.value.evidence", lang)),
            ]
        return [
            *reading,
            Field(
                "date", t("form.value.date", lang), value=self._view.as_of.isoformat(), answers=("indicator",)
            ),
            Field("source", t("form.value.source", lang)),
        ]

    def preview(self, name: str, value: str) -> Text | None:
        if name == "date":
            return resolved_date(value, self._view.as_of, self.lang, "date")
        if name == "value" and value.strip():
            try:
                number = parse_number(value)
            except EntryError as error:
                return Text(t("form.invalid", self.lang, problem=error.message), style="italic")
            return Text("→ " + value_with_unit(number, self._status.indicator, self.lang), style="bold")
        return None

    def save(self, values: dict[str, str]) -> commands.Recorded:
        reading = values["value"] if self.kind is IndicatorKind.TARGET else values["state"]
        return self._writer.run(
            commands.record_value,
            self._status.indicator.id,
            reading,
            on=values["date"],
            source=values["source"],
            evidence=values.get("evidence", ""),
        )
