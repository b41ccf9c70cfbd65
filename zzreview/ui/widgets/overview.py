"""The overview (every area as a tile, the furthest behind, the league table) and the 回头看
review of carried-over action items."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import DataTable, Static

from zzreview.domain import State
from zzreview.i18n import format_points, t
from zzreview.meeting_view import MeetingView
from zzreview.rendering.status import area_title, indicator_name
from zzreview.ui.labels import state_style, state_text, state_variable, value_text


class AreaTile(Static):
    """One area: number, title, light (mark + word), counts by state, open and overdue actions."""

    def show(self, view: MeetingView, number: int, *, compact: bool = False) -> None:
        """Fill the tile; `compact` puts it all on one line, for small screens."""
        lang = view.lang
        variables = self.app.theme_variables
        area_status = view.status.area(number)
        separator = "  " if compact else "\n"
        text = Text(no_wrap=compact, overflow="ellipsis")
        text.append(f"{number:>2} " if compact else f"{number}  ", style="bold")
        text.append(area_title(area_status.area, lang), style="bold")
        text.append(separator)
        text.append_text(state_text(area_status.state, lang, variables))
        text.append(separator)
        for state in State:
            count = area_status.counts.get(state, 0)
            if count:
                text.append(f"{state.mark}{count} ", style=variables.get(state_variable(state)))
        text.append(separator)
        open_items, overdue = view.open_actions(number), view.overdue_actions(number)
        text.append(t("ui.open_actions", lang, open=len(open_items), overdue=len(overdue)))
        self.update(text)
        for state in State:
            self.set_class(area_status.state is state, f"-{state.value.replace('_', '-')}")


class OverviewView(Vertical):
    """All areas at a glance."""

    def compose(self) -> ComposeResult:
        yield Static(id="overview-title")
        with Grid(id="area-tiles"):
            for number in range(1, 11):
                yield AreaTile(id=f"tile-{number}", classes="area-tile")
        with Horizontal(id="overview-lower"):
            yield Static(id="most-behind")
            yield Static(id="league-table")

    def show(self, view: MeetingView, *, compact: bool = False) -> None:
        """Fill every tile and table; `compact` gives one line per area, for small screens."""
        lang = view.lang
        variables = self.app.theme_variables
        numbers = [a.number for a in view.plan.areas]
        self.query_one("#overview-title", Static).update(
            Text(f"{t('ui.overview', lang)} · {view.meeting.title}", style="bold")
        )
        for number in range(1, 11):
            tile = self.query_one(f"#tile-{number}", AreaTile)
            tile.display = number in numbers
            if number in numbers:
                tile.show(view, number, compact=compact)
        behind = Table(title=t("ui.most_behind", lang), expand=True, show_edge=False, title_justify="left")
        behind.add_column(t("col.indicator", lang), ratio=3, no_wrap=True, overflow="ellipsis")
        behind.add_column(t("col.current", lang), justify="right")
        behind.add_column(t("col.gap", lang), justify="right")
        behind.add_column(t("col.status", lang))
        for status in view.status.most_behind(6):
            behind.add_row(
                Text(f"{status.indicator.id} {indicator_name(status.indicator, lang)}"),
                Text(value_text(status.current, status, lang)),
                Text(format_points(status.gap, lang), style=state_style(status.state, variables)),
                state_text(status.state, lang, variables, stale=status.stale),
            )
        self.query_one("#most-behind", Static).update(behind)
        league = Table(title=t("ui.league", lang), expand=True, show_edge=False, title_justify="left")
        league.add_column(t("ui.rank", lang), justify="right")
        league.add_column(t("col.title", lang), ratio=3, no_wrap=True, overflow="ellipsis")
        league.add_column(t("ui.mean_gap", lang), justify="right")
        league.add_column(t("ui.change", lang), justify="right")
        for rank in view.ranks:
            change = view.rank_change.get(rank.area_number)
            arrow = (
                "—"
                if change is None
                else "="
                if change == 0
                else f"↑{change}"
                if change > 0
                else f"↓{-change}"
            )
            league.add_row(
                Text(str(rank.rank)),
                Text(f"{rank.area_number} {area_title(view.plan.area(rank.area_number), lang)}"),
                Text(format_points(rank.mean_gap, lang)),
                Text(arrow),
            )
        self.query_one("#league-table", Static).update(league)


class ReviewView(Vertical):
    """回头看: the open items earlier meetings left, with owner, due date and where they came from."""

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)

    def show(self, view: MeetingView) -> None:
        lang = view.lang
        self.query_one("#review-title", Static).update(Text(t("ui.review", lang), style="bold"))
        table = self.query_one("#review-table", DataTable)
        table.clear(columns=True)
        widths = {
            "col.id": 4,
            "col.owner": 16,
            "col.lead_unit": 14,
            "col.due": 16,
            "col.state": 8,
            "col.meeting": 16,
        }
        spare = (self.size.width or self.app.size.width) - sum(widths.values()) - 2 * (len(widths) + 1) - 4
        widths["col.text"] = max(20, spare)
        for key in (
            "col.id",
            "col.text",
            "col.owner",
            "col.lead_unit",
            "col.due",
            "col.state",
            "col.meeting",
        ):
            table.add_column(t(key, lang), key=key, width=widths[key])
        overdue_style = self.app.theme_variables.get("status-off-track")
        for item in view.carried:
            due = Text(item.due.isoformat() if item.due else "—")
            if item.is_overdue(view.as_of):
                due.append(f" {t('ui.overdue', lang)}", style=overdue_style)
            table.add_row(
                Text(item.id),
                Text(item.text),
                Text(item.owner),
                Text(item.lead_unit or "—"),
                due,
                Text(t(f"action.{item.status.value}", lang)),
                Text(t("ui.carried_from", lang, date=view.carried_from(item))),
                key=item.id,
                height=None,
            )
        if not view.carried:
            table.add_row(Text(""), Text(t("ui.no_carried", lang)), *[Text("")] * 5)
