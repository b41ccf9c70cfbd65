"""The action item form (交办事项): a new item for the area on screen, or an item's edit,
status change, 销号 and progress line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.suggester import SuggestFromList

from zzreview.domain import ActionItem, ActionStatus
from zzreview.domain.entry import EntryError, parse_day
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.view import MeetingView
from zzreview.rendering.names import measure_title
from zzreview.ui.forms.base import CHOICE, Field, FormScreen, SuggestLastPart, conflict_problem, split_names
from zzreview.ui.writer import Writer

WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def weekday(day: date, lang: str) -> str:
    names = WEEKDAYS["en" if lang == "en" else "zh"]
    return names[day.weekday()] if lang == "en" else f"周{names[day.weekday()]}"


def resolved_date(value: str, reference: date, lang: str, field: str) -> Text | None:
    """A typed date shown as the date it means (counted from the meeting's date), or what is wrong."""
    if not value.strip():
        return None
    try:
        day = parse_day(value, reference, field)
    except EntryError as error:
        return Text(t("form.invalid", lang, problem=error.message), style="italic")
    return Text(
        t("form.action.due_resolved", lang, date=day.isoformat(), weekday=weekday(day, lang)), style="bold"
    )


class ActionForm(FormScreen):
    """A new action item under the area on screen; with `item`, that item to edit and review."""

    title_key = "form.action.title"

    def __init__(
        self,
        writer: Writer,
        view: MeetingView,
        *,
        area_number: int | None,
        measure_id: str = "",
        item: ActionItem | None = None,
    ) -> None:
        self._writer = writer
        self._view = view
        self._area = area_number
        self._measure = measure_id
        self._item = item
        title = t("form.action.edit_title", view.lang, id=item.id) if item else ""
        super().__init__(view.lang, title=title)

    def fields(self) -> Sequence[Field]:
        lang, item, view = self.lang, self._item, self._view
        measures = [m.id for m in view.plan.measures]
        if self._area is not None:
            own = [m.id for m in view.plan.area(self._area).measures]
            measures = own + [m for m in measures if m not in own]
        specs = [
            Field("text", t("form.action.text", lang), value=item.text if item else ""),
            Field(
                "owner",
                t("form.action.owner", lang),
                value=item.owner if item else "",
                suggester=SuggestFromList(view.owners, case_sensitive=False),
            ),
            Field(
                "lead_unit",
                t("form.action.lead_unit", lang),
                value=item.lead_unit if item else "",
                suggester=SuggestFromList(view.units, case_sensitive=False),
            ),
            Field(
                "supporting",
                t("form.action.supporting", lang),
                value="、".join(item.supporting_units) if item else "",
                suggester=SuggestLastPart(view.units),
                hint=t("form.action.supporting_hint", lang),
            ),
            Field(
                "due",
                t("form.action.due", lang),
                value=item.due.isoformat() if item and item.due else "",
                hint=t("form.action.due_hint", lang),
            ),
            Field(
                "measure",
                t("form.action.measure", lang),
                value=item.measure_id if item else self._measure,
                suggester=SuggestFromList(measures),
                hint=t("form.action.measure_hint", lang),
            ),
        ]
        if item is not None:
            specs += [
                Field(
                    "status",
                    t("form.action.status", lang),
                    kind=CHOICE,
                    value=item.status.value,
                    choices=tuple((s.value, t(f"action.{s.value}", lang)) for s in ActionStatus),
                ),
                Field(
                    "line",
                    t("form.action.line", lang),
                    hint=t("form.action.line_hint", lang),
                    answers=("evidence", "progress"),
                ),
            ]
        return specs

    def preview(self, name: str, value: str) -> Text | None:
        if name == "due":
            return resolved_date(value, self._view.as_of, self.lang, "due")
        if name == "measure" and value.strip():
            measure = next((m for m in self._view.plan.measures if m.id == value.strip()), None)
            if measure is None:
                return Text(t("form.invalid", self.lang, problem=t("form.unknown_measure", self.lang)))
            return Text(f"{measure.id} {measure_title(measure, self.lang)}", style="dim")
        return None

    def save(self, values: dict[str, str]) -> commands.Recorded:
        supporting = split_names(values["supporting"])
        item = self._item
        if item is None:
            return self._writer.run(
                commands.add_action,
                values["text"],
                values["owner"],
                due=values["due"],
                area=self._area,
                measure=values["measure"],
                lead_unit=values["lead_unit"],
                supporting=supporting,
                meeting_id=self._view.meeting.id,
            )
        changed = {name for name, value in values.items() if value != self._initial.get(name)}

        def typed(name: str, value: object) -> object:
            return value if name in changed else None

        try:
            return self._writer.run(
                commands.update_action,
                item.id,
                text=typed("text", values["text"]),
                owner=typed("owner", values["owner"]),
                lead_unit=typed("lead_unit", values["lead_unit"]),
                supporting=typed("supporting", supporting),
                due=typed("due", values["due"]),
                clear_due="due" in changed and not values["due"].strip(),
                measure=typed("measure", values["measure"]),
                status=typed("status", values["status"]),
                line=values["line"],
                meeting_id=self._view.meeting.id,
                expected=item,
            )
        except commands.Conflict as conflict:
            # Both versions beside the field; saving again keeps what was typed here.
            with self._writer.lock:
                self._item = self._writer.repo.action(item.id)
            raise conflict_problem(conflict, self.lang) from None
