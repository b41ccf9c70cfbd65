"""The overview (every area as a tile, the furthest behind, the league table) and the 回头看
review of carried-over action items."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from zzreview.domain import ActionChange, ActionItem, ActionStatus, Presence, State
from zzreview.i18n import describe_change, format_clock, format_points, t
from zzreview.meeting.view import MeetingView
from zzreview.rendering.names import area_title, indicator_name, state_label, value_with_unit
from zzreview.ui.labels import state_style, state_text, state_variable
from zzreview.ui.widgets.actions import ActionList, overdue_text, progress_here
from zzreview.ui.widgets.figures import TALL_HEIGHT
from zzreview.ui.widgets.steady import SteadyTable


def rank_arrow(change: int | None) -> str:
    """A rank change since the last meeting: ↑2, ↓1, = (no change), — (not ranked then)."""
    if change is None:
        return "—"
    if change == 0:
        return "="
    return f"↑{change}" if change > 0 else f"↓{-change}"


COMPACT_TITLE = 24
"""On a small screen's one-line overview, an area's title takes at most this many cells."""


def _counts_text(counts) -> str:
    return "".join(f"{state.mark}{counts.get(state, 0)} " for state in State if counts.get(state, 0))


COMPACT_REST = 3 + 2 + 2 + 2 + 14 + 10 + 3
"""On a one-line row, what the number, the separators, the actions, the rank and the margins take."""


def _compact_widths(view: MeetingView, lang: str, width: int) -> tuple[int, int, int]:
    """How wide the title, the state and the counts are on every area's one line, so that the
    lines line up: each as wide as the widest of them. The title takes what the row's `width`
    leaves it (at most COMPACT_TITLE, and at least 8 cells)."""
    areas = view.status.areas
    titles = max(cell_len(area_title(area.area, lang)) for area in areas)
    states = max(cell_len(state_label(area, lang)) for area in areas)
    counts = max(cell_len(_counts_text(area.counts)) for area in areas)
    room = width - states - counts - COMPACT_REST
    return max(8, min(titles, COMPACT_TITLE, room)), states, counts


def _fitted(text: str, width: int | None) -> str:
    """`text` padded to `width` cells, or cut to it with "…" (unchanged without a width)."""
    if width is None:
        return text
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


MOST_BEHIND = 6
MOST_BEHIND_TALL = 20
"""How many indicators the overview's furthest-behind table lists, and on a tall screen."""


class AreaTile(Static):
    """One area: number, title, light (mark + word), counts by state, open and overdue actions."""

    def show(
        self,
        view: MeetingView,
        number: int,
        *,
        widths: tuple[int, int, int] | None = None,
        seconds: int = 0,
        timebox: int = 0,
        tall: bool = False,
    ) -> None:
        """Fill the tile; with `widths` (the title's, the state's and the counts', shared by
        every area: `_compact_widths`) it is all on one line, for small screens. `seconds` is
        the time the area has taken so far (against its `timebox` in minutes, when timed).
        A `tall` screen (a wall) also names the area's indicator furthest behind its 序时进度."""
        lang = view.lang
        variables = self.app.theme_variables
        area_status = view.status.area(number)
        compact = widths is not None
        separator = "  " if compact else "\n"
        text = Text(no_wrap=compact, overflow="ellipsis")
        text.append(f"{number:>2} " if compact else f"{number}  ", style="bold")
        text.append(_fitted(area_title(area_status.area, lang), widths and widths[0]), style="bold")
        text.append(separator)
        state = state_text(area_status, lang, variables)
        text.append_text(state)
        if widths:
            text.append(" " * max(0, widths[1] - state.cell_len))
        text.append(separator)
        counts = Text()
        for state in State:
            count = area_status.counts.get(state, 0)
            if count:
                counts.append(f"{state.mark}{count} ", style=variables.get(state_variable(state)))
        text.append_text(counts)
        if widths:
            text.append(" " * max(0, widths[2] - counts.cell_len))
        text.append(separator)
        open_items, overdue = view.open_actions(number), view.overdue_actions(number)
        actions_key = "ui.open_actions_short" if compact else "ui.open_actions"
        text.append(t(actions_key, lang, open=len(open_items), overdue=len(overdue)))
        if seconds:
            text.append(separator if not compact else "  ")
            text.append(
                t("ui.time_taken", lang, taken=format_clock(seconds), planned=format_clock(timebox * 60))
            )
        behind = [s for s in area_status.behind if s.gap is not None and s.gap < 0][:1]
        if tall and behind:
            worst = behind[0]
            item = f"{worst.indicator.id} {indicator_name(worst.indicator, lang)} {format_points(worst.gap, lang, short=True)}"
            text.append(separator)
            text.append(t("ui.tile_behind", lang, item=item), style=state_style(worst.state, variables))
        if compact:
            # No room for the league table on a small screen: each line carries its rank.
            rank = next((r.rank for r in view.ranks if r.area_number == number), None)
            if rank is not None:
                text.append(
                    "  "
                    + t("ui.rank_short", lang, rank=rank, change=rank_arrow(view.rank_change.get(number)))
                )
        self.update(text)
        wanted = f"-{area_status.state.value.replace('_', '-')}"
        if not self.has_class(wanted):  # each class change restyles the tile
            self.remove_class(*(f"-{state.value.replace('_', '-')}" for state in State))
            self.add_class(wanted)


class OverviewView(Vertical):
    """All areas at a glance."""

    def __init__(self, area_numbers: list[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._numbers = area_numbers

    def compose(self) -> ComposeResult:
        yield Static(id="overview-title")
        with Grid(id="area-tiles"):
            for number in self._numbers:
                yield AreaTile(id=f"tile-{number}", classes="area-tile")
        with Horizontal(id="overview-lower"):
            yield Static(id="most-behind")
            yield Static(id="league-table")

    def show(self, view: MeetingView, *, compact: bool = False, times: dict[int, int] | None = None) -> None:
        """Fill every tile and table; `compact` gives one line per area, for small screens.
        `times`: seconds each step has taken (area 0: 回头看), the running timer included."""
        lang = view.lang
        variables = self.app.theme_variables
        times = {**view.meeting.area_seconds, **(times or {})}
        timeboxes = {step.area_number: step.timebox_minutes for step in view.steps}
        title = Text(f"{t('ui.overview', lang)} · {view.meeting.title}", style="bold")
        # Of the members: those sitting in (列席) are not counted in or out.
        members = [p for p in view.meeting.attendees if p.presence is not Presence.OBSERVING]
        present = sum(1 for p in members if p.presence is not Presence.ABSENT)
        facts = [t("ui.attendance_count", lang, present=present, total=len(members))]
        if times:
            facts.append(
                t(
                    "ui.time_taken",
                    lang,
                    taken=format_clock(sum(times.values())),
                    planned=format_clock(60 * sum(timeboxes.values())),
                )
            )
        title.append("   " + " · ".join(facts), style="")
        unassigned = [a for a in view.actions_by_area.get(None, []) if a.status.is_open]
        if unassigned:
            ids = "、".join(a.id for a in unassigned[:8]) + ("…" if len(unassigned) > 8 else "")
            title.append("   " + t("ui.unassigned", lang, count=len(unassigned), ids=ids), style="italic")
        self.query_one("#overview-title", Static).update(title)
        widths = _compact_widths(view, lang, self.size.width or self.app.size.width) if compact else None
        # A wall has the rows to name each area's worst indicator and more of the furthest behind.
        tall = not compact and self.app.size.height >= TALL_HEIGHT  # the new size, on a resize
        for number in self._numbers:
            self.query_one(f"#tile-{number}", AreaTile).show(
                view,
                number,
                widths=widths,
                seconds=times.get(number, 0),
                timebox=timeboxes.get(number, 0),
                tall=tall,
            )
        # Gaps are in percentage points; the headings say so where there is room.
        gap_heading = t("col.gap" if compact else "col.gap_pp", lang)
        behind = Table(title=t("ui.most_behind", lang), expand=True, show_edge=False, title_justify="left")
        behind.add_column(t("col.indicator", lang), ratio=3, no_wrap=True, overflow="ellipsis", min_width=10)
        if not compact:
            behind.add_column(t("col.current", lang), justify="right")
        behind.add_column(gap_heading, justify="right", no_wrap=True)
        behind.add_column(t("col.status", lang), no_wrap=True)
        for status in view.status.most_behind(MOST_BEHIND_TALL if tall else MOST_BEHIND):
            current = [] if compact else [Text(value_with_unit(status.current, status.indicator, lang))]
            behind.add_row(
                Text(f"{status.indicator.id} {indicator_name(status.indicator, lang)}"),
                *current,
                Text(format_points(status.gap, lang, short=True), style=state_style(status.state, variables)),
                state_text(status, lang, variables),
            )
        self.query_one("#most-behind", Static).update(behind)
        league = Table(title=t("ui.league", lang), expand=True, show_edge=False, title_justify="left")
        league.add_column(t("ui.rank", lang), justify="right", no_wrap=True)
        league.add_column(t("col.title", lang), ratio=3, no_wrap=True, overflow="ellipsis", min_width=10)
        league.add_column(t("ui.mean_gap", lang), justify="right", no_wrap=True)
        league.add_column(t("ui.change", lang), justify="right", no_wrap=True)
        for rank in view.ranks:
            arrow = rank_arrow(view.rank_change.get(rank.area_number))
            league.add_row(
                Text(str(rank.rank) if rank.rank is not None else "—"),
                Text(f"{rank.area_number} {area_title(view.plan.area(rank.area_number), lang)}"),
                Text(format_points(rank.mean_gap, lang, short=True)),
                Text(arrow),
            )
        self.query_one("#league-table", Static).update(league)


REVIEW_ROWS = 500
"""The 回头看 table shows this many items, the overdue first; the rest are counted."""

REVIEW_COLUMNS = {
    "col.id": 0,
    "col.text": 0,
    "col.owner": 12,
    "col.lead_unit": 12,
    "col.due": 0,
    "col.state": 0,
    "ui.progress_here": 0,
    "col.meeting": 10,
}
"""The 回头看 table's columns and their widths; the id, due date and status fit their words,
the text and the progress line share what is left."""


class ReviewView(Vertical):
    """回头看: the open items earlier meetings left — overdue first — with owner, due date, status,
    what was said of them at this meeting and where they came from; under the table, the
    highlighted item's whole history. `enter` on a row posts `ActionList.Chosen`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view: MeetingView | None = None
        self._items: dict[str, ActionItem] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        yield SteadyTable(id="review-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="review-detail", classes="scroll-panel"):
            yield Static(id="review-history")

    def show(self, view: MeetingView) -> None:
        """Fill the table from this view; the highlighted item stays highlighted if still listed."""
        self._view = view
        lang = view.lang
        table = self.query_one("#review-table", DataTable)
        kept = self._cursor_id(table)
        items = sorted(
            (c.item for c in view.carried),
            key=lambda a: (not a.is_overdue(view.as_of), a.due or view.as_of, a.id),
        )
        hidden = max(0, len(items) - REVIEW_ROWS)
        self._items = {item.id: item for item in items[:REVIEW_ROWS]}
        overdue = sum(1 for item in items if item.is_overdue(view.as_of))
        title = Text()
        title.append(t("ui.review", lang), style="bold")
        title.append("   " + t("ui.open_actions", lang, open=len(items), overdue=overdue))
        self.query_one("#review-title", Static).update(title)
        table.clear(columns=True)
        widths = dict(REVIEW_COLUMNS)
        overdue_width = cell_len(overdue_text(lang, {}).plain) + 1
        widths["col.due"] = max(cell_len(t("col.due", lang)), 10 + overdue_width)
        widths["col.state"] = max(cell_len(t(f"action.{s.value}", lang)) for s in ActionStatus)
        widths["col.id"] = max([cell_len(t("col.id", lang))] + [cell_len(a.id) for a in items[:REVIEW_ROWS]])
        fixed = sum(widths.values())
        spare = (self.size.width or self.app.size.width) - fixed - 2 * (len(widths) + 1) - 4
        # Room beyond what the text and the progress line need at least goes first to the owner
        # and the lead unit, up to what they hold (a wide screen shows them whole), then back to
        # the text and the progress line.
        shown = items[:REVIEW_ROWS]
        for key, of in (("col.owner", lambda a: a.owner), ("col.lead_unit", lambda a: a.lead_unit)):
            wanted = max([cell_len(t(key, lang)), *(cell_len(of(item)) for item in shown)])
            grow = max(0, min(wanted - widths[key], spare - 26 - 40))
            widths[key] += grow
            spare -= grow
        widths["ui.progress_here"] = max(10, cell_len(t("ui.progress_here", lang)), spare // 3)
        widths["col.text"] = max(16, spare - widths["ui.progress_here"])
        for key, width in widths.items():
            table.add_column(t(key, lang), key=key, width=width)
        variables = self.app.theme_variables
        # A tall screen has the rows to show each item's text whole, over as many lines as it
        # needs; a shorter one keeps one line per item and cuts the text with "…".
        tall = self.app.size.height >= TALL_HEIGHT  # the new size, on a resize
        for item in items[:REVIEW_ROWS]:
            due = Text(item.due.isoformat() if item.due else "—")
            if item.is_overdue(view.as_of):
                due.append(" ")
                due.append_text(overdue_text(lang, variables))
            progress = progress_here(item, view.meeting.id)
            table.add_row(
                Text(item.id),
                Text(item.text, no_wrap=not tall, overflow="fold" if tall else "ellipsis"),
                Text(item.owner, no_wrap=True, overflow="ellipsis"),
                Text(item.lead_unit or "—", no_wrap=True, overflow="ellipsis"),
                due,
                Text(t(f"action.{item.status.value}", lang)),
                Text(progress.evidence if progress else "—", no_wrap=True, overflow="ellipsis"),
                Text(view.carried_from(item)),
                key=item.id,
                height=None if tall else 1,
            )
        blank = [Text("")] * (len(widths) - 2)
        if hidden:
            table.add_row(Text("…"), Text(t("ui.more_items", lang, count=hidden)), *blank)
        if not items:
            table.add_row(Text(""), Text(t("ui.no_carried", lang)), *blank)
        if kept in self._items:
            table.move_cursor(row=table.get_row_index(kept))
        self._detail(self._items.get(kept) or (items[0] if items else None))

    @staticmethod
    def _cursor_id(table: DataTable) -> str | None:
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @property
    def selected_action(self) -> str | None:
        """The id of the highlighted item, while the table has focus."""
        table = self.query_one("#review-table", DataTable)
        key = self._cursor_id(table) if table.has_focus else None
        return key if key in self._items else None

    @on(DataTable.RowHighlighted, "#review-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._detail(self._items.get(event.row_key.value or ""))

    @on(DataTable.RowSelected, "#review-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value in self._items:
            self.post_message(ActionList.Chosen(event.row_key.value))

    def _detail(self, item: ActionItem | None) -> None:
        """The highlighted item in full: text, people, due date, and every meeting it passed."""
        panel = self.query_one("#review-detail", VerticalScroll)
        detail = self.query_one("#review-history", Static)
        if item is None or self._view is None:
            panel.border_title = None
            detail.update("")
            return
        view = self._view
        lang = view.lang
        panel.border_title = Text(f"{item.id} · {t('ui.history', lang)}")
        text = Text()
        text.append(item.text + "\n", style="bold")
        colon = "：" if lang == "zh" else ": "
        facts = [f"{t('col.owner', lang)}{colon}{item.owner}"]
        if item.lead_unit:
            facts.append(f"{t('col.lead_unit', lang)}{colon}{item.lead_unit}")
        if item.supporting_units:
            units = ("、" if lang == "zh" else ", ").join(item.supporting_units)
            facts.append(f"{t('col.supporting_units', lang)}{colon}{units}")
        if item.due:
            facts.append(f"{t('col.due', lang)}{colon}{item.due.isoformat()}")
        facts.append(t(f"action.{item.status.value}", lang))
        text.append("  ·  ".join(facts))
        if item.is_overdue(view.as_of):
            text.append("  ·  ")
            text.append_text(overdue_text(lang, self.app.theme_variables))
        text.append("\n")
        text.append_text(history_text(item, view))
        text.rstrip()
        detail.update(text)


def history_text(item: ActionItem, view: MeetingView) -> Text:
    """Every meeting an item passed through, from the one that raised it to the one on screen,
    each with what was recorded there; changes made between meetings in their place by date."""
    lang = view.lang
    raised = view.raise_dates.get(item.meeting_id)
    passed = {
        meeting_id
        for meeting_id, day in view.raise_dates.items()
        if raised is not None and raised <= day <= view.as_of
    }
    passed |= {c.meeting_id for c in item.history if c.meeting_id in view.raise_dates}
    passed.add(view.meeting.id)
    blocks: list[tuple[str, int, str, list[ActionChange]]] = []
    for meeting_id in passed:
        day = view.raise_dates.get(meeting_id)
        entries = [c for c in item.history if c.meeting_id == meeting_id]
        blocks.append((day.isoformat() if day else meeting_id, 0, meeting_id, entries))
    for change in item.history:
        if change.meeting_id not in passed:
            blocks.append((change.at[:10], 1, "", [change]))
    lines: list[tuple[Text, Text]] = []
    for day, _, meeting_id, entries in sorted(blocks, key=lambda b: b[:2]):
        if meeting_id:
            label = Text(t("ui.history_meeting", lang, date=day), style="bold")
            if meeting_id == view.meeting.id:
                label.append(t("ui.history_this_meeting", lang), style="bold")
        else:
            label = Text(f"{day} {t('ui.history_between', lang)}", style="italic")
        if not entries:
            lines.append((label, Text(t("ui.history_nothing", lang), style="dim")))
        for change in entries:
            said = Text(describe_change(change, lang))
            if change.who:
                said.append(f" · {change.who}", style="dim")
            if change.evidence:
                said.append("  ")
                said.append(change.evidence, style="italic")
            lines.append((label, said))
            label = Text("")  # one label for all that was said at a meeting
    width = max((label.cell_len for label, _ in lines), default=0) + 2
    text = Text()
    for label, said in lines:
        text.append_text(label)
        text.append(" " * (width - label.cell_len))
        text.append_text(said)
        text.append("\n")
    return text
