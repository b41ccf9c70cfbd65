"""The area view, the heart of the meeting: title, indicator table, chart, and three focusable
panels beside it — milestones and judgements, the action items, decisions and notes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from zzreview.analysis import VERDICT_STATES, IndicatorStatus, judgement_differs
from zzreview.domain import IndicatorKind, NoteKind, State
from zzreview.i18n import format_percent, format_points, state_word, t
from zzreview.meeting.view import MeetingView
from zzreview.rendering.names import area_title, indicator_name, measure_title, state_label, value_with_unit
from zzreview.ui.labels import labelled, sparkline, state_text
from zzreview.ui.widgets.actions import ActionList
from zzreview.ui.widgets.chart import ChartPanel
from zzreview.ui.widgets.figures import Figure
from zzreview.ui.widgets.steady import SteadyTable

MIN_NAME_WIDTH = 12
"""The indicator name keeps at least this many cells, whatever else must give way."""

NARROW_TABLE = 110
"""Below this width the indicator table drops its trend column and horizon words."""

KIND_ORDER = {IndicatorKind.TARGET: 0, IndicatorKind.MILESTONE: 1, IndicatorKind.QUALITATIVE: 2}


class IndicatorTable(SteadyTable):
    """The area's indicators, numeric targets first; ↑/↓ selects the one the chart shows."""

    @dataclass
    class Selected(Message):
        """The highlighted indicator changed."""

        indicator_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: dict[str, tuple[IndicatorStatus, tuple[bool, str], list[Text]]] = {}
        """Each indicator's cells, by id, with the status and (narrow, lang) they were made of."""
        self._layout: tuple | None = None
        """The columns, widths, rows and theme the table was last laid out with."""

    def fill(self, view: MeetingView, statuses: list[IndicatorStatus], *, width: int) -> None:
        """Show these statuses, fitting `width` columns of screen.

        On a narrow screen the trend and the horizon word go, and long names are cut with an
        ellipsis, so every figure stays in view without scrolling sideways. When the table
        keeps its rows and columns (a value saved, say), only the rows whose status changed
        are written again.
        """
        lang = view.lang
        narrow = width < NARROW_TABLE
        variables = self.app.theme_variables
        rows: list[list[Text]] = []
        changed: list[int] = []
        for index, status in enumerate(statuses):
            hit = self._rows.get(status.indicator.id)
            if hit is None or hit[0] is not status or hit[1] != (narrow, lang):
                hit = (status, (narrow, lang), self._cells(view, status, narrow=narrow))
                self._rows[status.indicator.id] = hit
                changed.append(index)
            rows.append(hit[2])
        keys = ["col.indicator", "col.target", "col.current", "col.completion", "col.expected"]
        keys += ["col.gap", "col.status"] if narrow else ["col.gap_pp", "col.status", "trend"]
        columns = list(range(len(keys)))
        widths = {
            i: max([cell_len(self._heading(keys[i], lang))] + [cell_len(row[i].plain) for row in rows])
            for i in columns
        }

        def spare() -> int:
            # Two cells of padding per column, and room for a vertical scrollbar.
            return width - sum(widths[i] for i in columns[1:]) - 2 * len(columns) - 2

        if spare() < MIN_NAME_WIDTH:
            # The target is also on the chart; the status, the gap and the name are not.
            columns.remove(keys.index("col.target"))
        widths[0] = max(MIN_NAME_WIDTH, min(widths[0], spare()))
        status_column = keys.index("col.status")
        layout = (
            tuple(keys[i] for i in columns),
            tuple(widths[i] for i in columns),
            tuple(s.indicator.id for s in statuses),
            lang,
            self.app.theme,
        )
        if layout == self._layout and self.row_count == len(statuses):
            for index in changed:
                status, cells = statuses[index], rows[index]
                cells[status_column] = state_text(status, lang, variables)
                for i in columns:
                    self.update_cell(status.indicator.id, keys[i], cells[i])
            return
        self._layout = layout
        self.clear(columns=True)
        for i in columns:
            self.add_column(self._heading(keys[i], lang), key=keys[i], width=widths[i])
        for status, cells in zip(statuses, rows, strict=True):
            cells[status_column] = state_text(status, lang, variables)
            self.add_row(*(cells[i] for i in columns), key=status.indicator.id)
        if statuses:
            self.move_cursor(row=0)

    @staticmethod
    def _heading(key: str, lang: str) -> str:
        return t("ui.trend" if key == "trend" else key, lang)

    @staticmethod
    def _cells(view: MeetingView, status: IndicatorStatus, *, narrow: bool) -> list[Text]:
        lang = view.lang
        ind = status.indicator
        if ind.kind is IndicatorKind.TARGET:
            target = value_with_unit(ind.target, status.indicator, lang)
            if not narrow:
                target += " " + t(f"horizon.{ind.horizon.value}", lang)
            figures = [
                target,
                value_with_unit(status.current, status.indicator, lang),
                format_percent(status.completion),
                format_percent(status.expected),
                format_points(status.gap, lang, short=True),
            ]
        elif ind.kind is IndicatorKind.MILESTONE:
            state = t(f"milestone.{status.milestone_state.value}", lang) if status.milestone_state else "—"
            figures = [ind.due.isoformat() if ind.due else "—", state, "", "", ""]
        else:
            figures = [t("status.qualitative", lang), "", "", "", ""]
        name = indicator_name(ind, lang) if narrow else f"{ind.id} {indicator_name(ind, lang)}"
        return [
            Text(name, no_wrap=True, overflow="ellipsis"),
            *(Text(f) for f in figures),
            Text(state_label(status, lang)),
            Text(sparkline(view.indicator_points(status))),
        ]

    @on(DataTable.RowHighlighted)
    def _announce(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Selected(event.row_key.value))


class AreaView(Vertical):
    """One focus area on the wall."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view: MeetingView | None = None
        self._statuses: dict[str, IndicatorStatus] = {}
        self._charted: IndicatorStatus | None = None
        self.area_number = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="area-heading"):
            yield Figure(id="area-number")
            with Vertical(id="area-heading-text"):
                yield Static(id="area-title")
                yield Static(id="area-summary")
        yield IndicatorTable(id="indicator-table")
        yield Static(id="table-more")
        with Horizontal(id="area-lower"):
            yield ChartPanel(id="chart-panel")
            # Focusable in this order, so tab goes table → milestones → actions → notes.
            with Vertical(id="area-lists"):
                with VerticalScroll(id="milestone-panel", classes="scroll-panel"):
                    yield Static(id="milestone-list")
                yield ActionList(id="action-list", classes="scroll-panel")
                with VerticalScroll(id="notes-panel", classes="scroll-panel"):
                    yield Static(id="notes-list")

    def on_mount(self) -> None:
        self.watch(self.query_one(IndicatorTable), "scroll_y", self._count_rows_below, init=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self._count_rows_below)

    def _count_rows_below(self) -> None:
        """Say how many indicators are below the table's last row on screen ("↓ 3 more"), so a
        short screen never hides rows without a sign. Only a count that changed is drawn: the
        area shown again at its size (Textual resizes every widget of a view shown again)
        repaints nothing for it."""
        table = self.query_one(IndicatorTable)
        more = self.query_one("#table-more", Static)
        on_screen = max(0, table.scrollable_content_region.height - table.header_height)
        below = max(0, table.row_count - int(table.scroll_y) - on_screen)
        if below and on_screen and self._view is not None:
            said = Text(t("ui.rows_below", self._view.lang, count=below), style="dim")
            if more.content != said:
                more.update(said)
        shown = bool(below and on_screen)
        if more.display != shown:
            more.display = shown

    def show(self, view: MeetingView, area_number: int) -> None:
        """Fill every part for this area."""
        self._view = view
        lang = view.lang
        area_status = view.status.area(area_number)
        area = area_status.area
        statuses = sorted(area_status.statuses, key=lambda s: KIND_ORDER[s.indicator.kind])
        self._statuses = {s.indicator.id: s for s in statuses}
        variables = self.app.theme_variables
        self.query_one("#area-number", Figure).update(str(area_number))
        title = Text()
        title.append(f"{t('ui.area', lang, number=area_number)}  ", style="dim")
        title.append(area_title(area, lang), style="bold")
        self.query_one("#area-title", Static).update(title)
        summary = Text()
        summary.append_text(state_text(area_status, lang, variables))
        summary.append("   ")
        for state in State:
            count = area_status.counts.get(state, 0)
            if count:
                summary.append(
                    f"{state.mark}{count} ", style=variables.get("status-" + state.value.replace("_", "-"))
                )
        self.query_one("#area-summary", Static).update(summary)
        table = self.query_one(IndicatorTable)
        kept = self.selected.indicator.id if area_number == self.area_number and self.selected else None
        table.fill(view, statuses, width=self.size.width or self.app.size.width - 2)
        self.call_after_refresh(self._count_rows_below)
        self._charted = None
        if kept in self._statuses:
            self.select(kept)
            self._show_indicator(self._statuses[kept])
        else:
            self._show_indicator(statuses[0] if statuses else None)
        self.area_number = area_number
        self.query_one("#milestone-panel").border_title = Text(t("ui.milestones", lang))
        self.query_one("#milestone-list", Static).update(self._milestones_text(view, statuses))
        self.query_one(ActionList).fill(view, area_number)
        self.query_one("#notes-panel").border_title = Text(t("ui.decisions_notes", lang))
        self.query_one("#notes-list", Static).update(self._notes_text(view, area_number))

    def adopt(self, view: MeetingView) -> None:
        """Take `view` as the one shown, when it shows this area exactly as before."""
        self._view = view

    def select(self, indicator_id: str) -> None:
        """Move the table's cursor to an indicator (the chart follows)."""
        table = self.query_one(IndicatorTable)
        if indicator_id in self._statuses:
            table.move_cursor(row=table.get_row_index(indicator_id))

    @property
    def selected(self) -> IndicatorStatus | None:
        """The indicator the chart shows."""
        table = self.query_one(IndicatorTable)
        if not self._statuses or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._statuses.get(key) if key else None

    @property
    def selected_action(self) -> str | None:
        """The id of the action item highlighted in the list, while the list has focus."""
        actions = self.query_one(ActionList)
        return actions.selected_id if actions.has_focus else None

    @on(IndicatorTable.Selected)
    def _selected(self, event: IndicatorTable.Selected) -> None:
        self._show_indicator(self._statuses.get(event.indicator_id))

    def _show_indicator(self, status: IndicatorStatus | None) -> None:
        if self._view is None or (status is not None and status is self._charted):
            return
        self._charted = status
        points = self._view.indicator_points(status) if status else []
        self.query_one(ChartPanel).show(status, points, self._view.lang)

    def _milestones_text(self, view: MeetingView, statuses: list[IndicatorStatus]) -> Text:
        lang = view.lang
        variables = self.app.theme_variables
        text = Text()
        others = [s for s in statuses if s.indicator.kind is not IndicatorKind.TARGET]
        for status in others:
            ind = status.indicator
            text.append_text(state_text(status, lang, variables))
            text.append(f"  {ind.id} {indicator_name(ind, lang)}")
            if ind.due:
                text.append(f"  ({t('col.due', lang)} {ind.due.isoformat()})")
            text.append("\n")
            if status.evidence:
                text.append(f"    {status.evidence}\n", style="italic")
        judged = [
            (measure, view.judgements[measure.id])
            for measure in view.plan.area(self.area_number).measures
            if measure.id in view.judgements
        ]
        for measure, judgement in judged:
            verdict_state = VERDICT_STATES[judgement.verdict]
            line = Text(f"{measure.id} {measure_title(measure, lang)} · ")
            line.append(t("ui.judgement", lang, verdict=state_word(verdict_state.value, lang)), style="bold")
            if judgement_differs(judgement, statuses):
                line.append(t("ui.judgement_differs", lang), style="bold reverse")
            if judgement.text:
                line.append(f"  {judgement.text}")
            text.append_text(line)
            text.append("\n")
        if not others and not judged:
            text.append(t("cli.nothing", lang), style="dim")
        text.rstrip()
        return text

    def _notes_text(self, view: MeetingView, area_number: int) -> Text:
        lang = view.lang
        text = Text()
        decisions = view.decisions_by_area.get(area_number, [])
        notes = view.notes_by_area.get(area_number, [])
        if decisions:
            text.append(t("ui.decisions", lang) + "\n", style="bold underline")
            for decision in decisions:
                text.append_text(labelled(decision.id, decision.text))
                text.append("\n")
        if notes:
            text.append(t("ui.notes", lang) + "\n", style="bold underline")
            for note in notes:
                if note.kind is NoteKind.NOTE:
                    text.append_text(labelled("·", note.text))
                else:  # what the minutes will say the meeting said: 会议强调：…
                    word = t(f"note.kind.{note.kind.value}", lang)
                    text.append_text(labelled("·", f"{word}：", label_style="bold"))
                    text.append(note.text)
                if note.author:
                    text.append(f" — {note.author}", style="italic")
                text.append("\n")
        if not decisions and not notes:
            text.append(t("cli.nothing", lang), style="dim")
        text.rstrip()
        return text
