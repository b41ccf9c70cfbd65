"""The meeting's own forms: attendance, the meeting's details, and planning a new meeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.suggester import SuggestFromList

from zzreview.domain import Meeting, MeetingState, Presence
from zzreview.domain.dates import add_months, end_of_month
from zzreview.domain.entry import EntryError, parse_day
from zzreview.i18n import t
from zzreview.meeting import commands
from zzreview.meeting.view import MeetingView
from zzreview.ui.forms.action import resolved_date
from zzreview.ui.forms.base import CHOICE, Field, FormScreen, conflict_problem
from zzreview.ui.writer import Writer


def _people(meeting: Meeting, lang: str) -> str:
    if not meeting.attendees:
        return "—"
    separator = "、" if lang == "zh" else ", "
    return separator.join(f"{p.name}（{t(f'presence.{p.presence.value}', lang)}）" for p in meeting.attendees)


class AttendanceForm(FormScreen):
    """Who came: present, absent, or deputised by whom (one person per save)."""

    title_key = "form.attendance.title"

    def __init__(self, writer: Writer, view: MeetingView) -> None:
        self._writer = writer
        self._view = view
        context = t("form.attendance.list", view.lang, people=_people(view.meeting, view.lang))
        super().__init__(view.lang, context=context)

    def fields(self) -> Sequence[Field]:
        lang = self.lang
        known = [p.name for p in self._view.meeting.attendees] + list(self._view.people)
        return [
            Field(
                "name",
                t("form.attendance.name", lang),
                suggester=SuggestFromList(known, case_sensitive=False),
            ),
            Field("unit", t("form.attendance.unit", lang)),
            Field(
                "presence",
                t("form.attendance.presence", lang),
                kind=CHOICE,
                value=Presence.PRESENT.value,
                choices=tuple((p.value, t(f"presence.{p.value}", lang)) for p in Presence),
            ),
            Field("deputy", t("form.attendance.deputy", lang)),
        ]

    def preview(self, name: str, value: str) -> Text | None:
        if name == "name":
            person = next((p for p in self._view.meeting.attendees if p.name == value.strip()), None)
            if person is not None:
                return Text(
                    f"{person.unit} · {t(f'presence.{person.presence.value}', self.lang)}", style="dim"
                )
        return None

    def save(self, values: dict[str, str]) -> commands.Recorded:
        return self._writer.run(
            commands.set_attendance,
            values["name"],
            values["presence"],
            unit=values["unit"] or None,
            deputy=values["deputy"],
            meeting_id=self._view.meeting.id,
        )


class MeetingDetailsForm(FormScreen):
    """Title, place, chair, secretary, what the minutes are printed with (期数, 印发机关, 分送),
    the date (while planned) and the next meeting's date."""

    title_key = "form.meeting.title"

    def __init__(self, writer: Writer, view: MeetingView, *, next_meeting: Meeting | None) -> None:
        self._writer = writer
        self._view = view
        self._next = next_meeting
        self._shown = view.meeting
        """The meeting as this form knows it: another seat's change since is a conflict."""
        super().__init__(view.lang)

    def fields(self) -> Sequence[Field]:
        lang, meeting = self.lang, self._view.meeting
        issue = [
            # What the minutes are printed with (期数, 印发机关, 分送).
            Field(
                "number",
                t("meeting.number", lang),
                value=meeting.number,
                hint=t("form.meeting.number_hint", lang),
            ),
            Field("issuer", t("meeting.issuer", lang), value=meeting.issuer),
            Field("distribution", t("meeting.distribution", lang), value=meeting.distribution),
        ]
        if meeting.state is MeetingState.CLOSED:
            return issue  # the one change a closed meeting takes
        specs = [
            Field("title", t("form.meeting.name", lang), value=meeting.title),
            Field("place", t("form.meeting.place", lang), value=meeting.place),
            Field("chair", t("form.meeting.chair", lang), value=meeting.chair),
            Field("secretary", t("form.meeting.secretary", lang), value=meeting.secretary),
            *issue,
        ]
        if meeting.state is MeetingState.PLANNED:
            specs.append(Field("date", t("form.meeting.date", lang), value=meeting.date.isoformat()))
        specs.append(
            Field(
                "next",
                t("form.meeting.next", lang),
                value=self._next.date.isoformat() if self._next else "",
                hint=t("form.meeting.next_hint", lang),
            )
        )
        return specs

    def preview(self, name: str, value: str) -> Text | None:
        if name in ("date", "next"):
            return resolved_date(value, self._view.as_of, self.lang, name)
        return None

    def check(self, values: dict[str, str]) -> None:
        if values.get("next", "").strip():
            day = parse_day(values["next"], self._view.as_of, "next")
            if day <= self._view.as_of:
                raise EntryError(
                    "next", f"the next meeting comes after this one ({self._view.as_of.isoformat()})"
                )

    def save(self, values: dict[str, str]) -> commands.Recorded:
        meeting_id = self._view.meeting.id

        def typed(name: str) -> str | None:
            # Only what was changed here is sent: another seat's change to the rest is kept.
            value = values.get(name)
            return value if value is not None and value != self._initial.get(name) else None

        try:
            outcome = self._writer.run(
                commands.edit_meeting,
                meeting_id,
                title=typed("title"),
                place=typed("place"),
                chair=typed("chair"),
                secretary=typed("secretary"),
                number=typed("number"),
                issuer=typed("issuer"),
                distribution=typed("distribution"),
                on=typed("date") or None,
                expected=self._shown,
            )
        except commands.Conflict as conflict:
            with self._writer.lock:
                self._shown = self._writer.repo.meeting(meeting_id)
            raise conflict_problem(conflict, self.lang) from None
        wanted = values.get("next", "").strip()
        if not wanted:
            return outcome
        day = parse_day(wanted, self._view.as_of, "next")
        if self._next is not None:
            if day != self._next.date:
                return self._writer.run(commands.edit_meeting, self._next.id, on=day)
            return outcome
        return self._writer.run(commands.new_meeting, day)


def next_month_end(day: date) -> date:
    """A sensible default for the next meeting: the end of the following month."""
    return end_of_month(add_months(day.replace(day=1), 1))


class NewMeetingForm(FormScreen):
    """Plan a meeting; a date that already has one asks (save again to plan a second)."""

    title_key = "form.new_meeting.title"

    def __init__(self, writer: Writer, view: MeetingView) -> None:
        self._writer = writer
        self._view = view
        self._force_for: str | None = None
        super().__init__(view.lang)

    def fields(self) -> Sequence[Field]:
        lang = self.lang
        return [
            Field("date", t("form.meeting.date", lang), value=next_month_end(self._view.as_of).isoformat()),
            Field("title", t("form.meeting.name", lang)),
        ]

    def preview(self, name: str, value: str) -> Text | None:
        if name == "date":
            return resolved_date(value, self._view.as_of, self.lang, "date")
        return None

    def save(self, values: dict[str, str]) -> commands.Recorded:
        force = self._force_for is not None and self._force_for == values["date"].strip()
        try:
            return self._writer.run(commands.new_meeting, values["date"], title=values["title"], force=force)
        except EntryError as error:
            if error.field == "date" and isinstance(error, commands.MeetingOnThatDay):
                self._force_for = values["date"].strip()
                raise EntryError(
                    "date", f"{error.message} — {t('form.new_meeting.again', self.lang)}"
                ) from None
            raise
