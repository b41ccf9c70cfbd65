"""The area's action items as a list the secretary can move through and pick from.

Every prompt is built as rich `Text` from the item's fields, never as markup: an owner called
`x [/] y` or `[@click=app.quit]` shows literally and does nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from zzreview.domain import ActionChange, ActionItem
from zzreview.domain.actions import action_number
from zzreview.i18n import t
from zzreview.meeting.view import MeetingView
from zzreview.ui.labels import labelled
from zzreview.ui.widgets.steady import SteadyOptionList

AREA_ACTION_ROWS = 40
"""The area screen lists this many action items; the rest are counted."""


def overdue_text(lang: str, variables: Mapping[str, str]) -> Text:
    """ "⚠ 逾期": symbol and word in the off-track colour, never colour alone."""
    return Text(f"⚠ {t('ui.overdue', lang)}", style=Style(color=variables.get("status-off-track"), bold=True))


def progress_here(item: ActionItem, meeting_id: str) -> ActionChange | None:
    """The latest entry of the item's history recorded at this meeting with a line of text."""
    entries = [c for c in item.history if c.meeting_id == meeting_id and c.evidence]
    return entries[-1] if entries else None


def area_actions(view: MeetingView, area_number: int) -> list[ActionItem]:
    """The area's items in the order the room discusses them: new ones first, then the
    carried ones, overdue first, then by due date."""
    return sorted(
        view.actions_by_area.get(area_number, []),
        key=lambda a: (
            a.meeting_id != view.meeting.id,
            not a.is_overdue(view.as_of),
            a.due or view.as_of,
            action_number(a.id),
        ),
    )


def action_prompt(item: ActionItem, view: MeetingView, variables: Mapping[str, str]) -> Text:
    """One item: id and text, then owner · lead unit · due · status, overdue, carried from."""
    lang = view.lang
    text = labelled(item.id, item.text)
    facts = [item.owner]
    if item.lead_unit:
        facts.append(item.lead_unit)
    if item.due:
        facts.append(f"{t('col.due', lang)} {item.due.isoformat()}")
    facts.append(t(f"action.{item.status.value}", lang))
    text.append("\n  " + " · ".join(facts))
    if item.is_overdue(view.as_of):
        text.append(" · ")
        text.append_text(overdue_text(lang, variables))
    if item.meeting_id != view.meeting.id:
        text.append(" · ")
        text.append(t("ui.carried_from", lang, date=view.carried_from(item)), style="italic")
    progress = progress_here(item, view.meeting.id)
    if progress is not None:
        text.append("\n  ")
        text.append(t("ui.progress_line", lang, text=progress.evidence), style="italic")
    return text


class ActionList(SteadyOptionList):
    """The area's action items, new first then carried; `enter` picks the highlighted one."""

    @dataclass
    class Chosen(Message):
        """The user picked an action item (enter on it) to edit or update."""

        action_id: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.area_number: int | None = None
        self._listed: tuple | None = None
        """What the list was last filled with: a refill that would show the same is skipped."""

    def fill(self, view: MeetingView, area_number: int) -> None:
        """List this area's items; the highlighted item stays highlighted when it is still listed."""
        lang = view.lang
        kept_id = self.selected_id
        kept_index = self.highlighted
        same_area = area_number == self.area_number
        self.area_number = area_number
        variables = self.app.theme_variables
        items = area_actions(view, area_number)
        # Items are decoded once per stored version, so the same objects mean the same rows.
        listed = (area_number, view.as_of, lang, self.app.theme, view.raise_dates, tuple(items))
        last = self._listed
        if (
            last is not None
            and last[:5] == listed[:5]
            and len(last[5]) == len(items)
            and all(a is b for a, b in zip(last[5], items, strict=True))
        ):
            return
        self._listed = listed
        options = [
            Option(action_prompt(item, view, variables), id=item.id) for item in items[:AREA_ACTION_ROWS]
        ]
        if len(items) > AREA_ACTION_ROWS:
            more = t("ui.more_items", lang, count=len(items) - AREA_ACTION_ROWS)
            options.append(Option(Text(more, style="italic"), disabled=True))
        if not items:
            options.append(Option(Text(t("ui.no_actions", lang), style="dim"), disabled=True))
        self.set_options(options)
        overdue = sum(1 for item in items if item.is_overdue(view.as_of))
        title = Text(t("ui.actions", lang))
        if items:
            title.append(f" {len(items)}")
        if overdue:
            title.append(" · ")
            title.append(f"⚠ {t('ui.overdue', lang)} {overdue}")
        self.border_title = title
        if not items:
            return
        ids = [item.id for item in items[:AREA_ACTION_ROWS]]
        if same_area and kept_id in ids:
            self.highlighted = ids.index(kept_id)
        elif same_area and kept_index is not None:
            self.highlighted = min(kept_index, len(ids) - 1)
        else:
            self.highlighted = 0

    @property
    def selected_id(self) -> str | None:
        """The id of the highlighted item, if any."""
        option = self.highlighted_option
        return option.id if option is not None and not option.disabled else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))
