"""The tables and lists that keep what they drew (ui.widgets.steady): an area shown again, or
its table focused again, draws no cell anew, and a theme changed meanwhile still shows."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.theme import Theme
from textual.widgets import DataTable, Input

from tests.ui.conftest import build_app
from zzreview.storage.repository import Repository
from zzreview.ui.screens.meeting import area_view_id
from zzreview.ui.widgets.actions import ActionList
from zzreview.ui.widgets.area import IndicatorTable
from zzreview.ui.widgets.steady import SteadyTable

# What each repaint draws is what these tests are about: every refresh is painted.
pytestmark = pytest.mark.painted_each_refresh


def _count_cells_drawn(table: SteadyTable) -> list[int]:
    """How many cells `table` renders anew from now on (a cell found in its cache is not)."""
    drawn = [0]
    original = table._get_row_renderables  # asked only for a cell not in the cache

    def counted(row_index: int):
        drawn[0] += 1
        return original(row_index)

    table._get_row_renderables = counted
    return drawn


# Two themes alike but for the cursor's colour: the table's own style stays the same, so only
# its parts' styles tell its cached cells are out of date.
_BLUE = Theme("cursor-blue", primary="#0050a0", background="#101010", foreground="#f0f0f0", surface="#181818")
_RED = Theme("cursor-red", primary="#a00020", background="#101010", foreground="#f0f0f0", surface="#181818")


class _TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        for theme in _BLUE, _RED:
            self.register_theme(theme)
        self.theme = _BLUE.name

    def compose(self) -> ComposeResult:
        yield SteadyTable(id="table", cursor_type="row")
        yield Input(id="elsewhere")

    def on_mount(self) -> None:
        table = self.query_one(SteadyTable)
        table.add_column("indicator", key="indicator")
        table.add_column("state", key="state")
        for number in range(1, 6):
            table.add_row(f"1.1.{number}", "on track", key=f"1.1.{number}")


def _cursor_background(table: SteadyTable):
    """The background the cursor row is painted with (row 0, below the header)."""
    return _cursor_background_at(table, 1)


def _cursor_background_at(table: SteadyTable, y: int):
    strip = table.render_line(y)
    return next(segment.style.bgcolor for segment in strip if segment.text.strip())


async def _focus(pilot, widget) -> None:
    widget.focus()
    await pilot.pause()


async def test_a_table_focused_again_draws_no_cell_anew() -> None:
    app = _TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table, elsewhere = app.query_one(SteadyTable), app.query_one(Input)
        await _focus(pilot, table)
        await _focus(pilot, elsewhere)
        drawn = _count_cells_drawn(table)
        for widget in table, elsewhere, table:
            await _focus(pilot, widget)
        assert _cursor_background(table) == table.get_component_rich_style("datatable--cursor").bgcolor
        assert drawn == [0]


def _line_of(table: SteadyTable, y: int) -> str:
    return "".join(segment.text for segment in table.render_line(y)).rstrip()


async def test_a_cell_updated_draws_its_row_anew_and_no_other() -> None:
    app = _TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SteadyTable)
        await _focus(pilot, table)
        before = [_line_of(table, y) for y in range(7)]  # the header and the five rows
        drawn = _count_cells_drawn(table)
        table.update_cell("1.1.3", "state", "behind")
        await pilot.pause()
        after = [_line_of(table, y) for y in range(7)]
        assert drawn == [1]  # the one cell; its row's other cell and the other rows kept
        assert after[3].split() == ["1.1.3", "behind"]
        assert after[:3] + after[4:] == before[:3] + before[4:]
        table.move_cursor(row=2)  # onto the row updated: painted as the cursor row, new text
        await pilot.pause()
        assert _line_of(table, 3).split() == ["1.1.3", "behind"]
        assert _cursor_background_at(table, 3) == table.get_component_rich_style("datatable--cursor").bgcolor


async def test_a_theme_changed_while_the_table_is_not_focused_shows_when_it_is_again() -> None:
    app = _TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(SteadyTable)
        await _focus(pilot, table)
        focused_before = _cursor_background(table)
        style_before = table.rich_style
        await _focus(pilot, app.query_one(Input))
        app.theme = _RED.name
        await pilot.pause()
        await pilot.pause()
        await _focus(pilot, table)
        now = _cursor_background(table)
        assert now == table.get_component_rich_style("datatable--cursor").bgcolor
        assert table.rich_style == style_before, "only the cursor's colour differs"
        assert now != focused_before, "the cursor row is painted in the new theme's colour"


async def test_a_table_widened_draws_its_rows_and_header_the_new_width() -> None:
    app = _TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(SteadyTable)
        await _focus(pilot, table)
        await pilot.resize_terminal(80, 12)
        await pilot.pause()
        await pilot.pause()
        header = table.get_component_rich_style("datatable--header").bgcolor
        cursor = table.get_component_rich_style("datatable--cursor").bgcolor
        for y, colour in ((0, header), (1, cursor)):  # the header, and the cursor row below it
            painted = sum(
                cell_len(segment.text) for segment in table.render_line(y) if segment.style.bgcolor == colour
            )
            assert painted == table.size.width == 80, y


@pytest.mark.prebuilt_views
async def test_an_area_shown_again_draws_no_cell_of_its_table_or_list_anew(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(30):
            await pilot.pause()
            if area_view_id(2) in app.screen._views_mounted:
                break
        for key in "1", "2":
            await pilot.press(key)
            await pilot.pause()
        area_1 = app.screen.query_one(f"#{area_view_id(1)}")
        table = area_1.query_one(IndicatorTable)
        drawn = _count_cells_drawn(table)
        actions = area_1.query_one(ActionList)
        lists_cleared = [0]
        clear = actions._clear_caches

        def counted_clear() -> None:
            lists_cleared[0] += 1
            clear()

        actions._clear_caches = counted_clear
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.on_area() == 1 and table.has_focus
        assert drawn == [0], "every cell of area 1's table was drawn on its first visit"
        assert lists_cleared == [0], "its action items were laid out at this size already"


async def test_an_area_shown_again_does_not_lay_its_tables_scrollbar_out_again(
    repo: Repository, monkeypatch
) -> None:
    """Laid out again as it was, a table keeps its scrollbar as laid out (Textual's scrolling
    widgets lay theirs out, and repaint them, on every layout: a repaint of its own after
    each switch)."""
    laid_out: list[object] = []
    scroll_update = IndicatorTable._scroll_update

    def noted(table: IndicatorTable, virtual_size):
        laid_out.append(table)
        return scroll_update(table, virtual_size)

    app = build_app(repo)
    async with app.run_test(size=(80, 24)) as pilot:  # area 4's table scrolls at this size
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        table = app.screen.query_one(f"#{area_view_id(4)} IndicatorTable", IndicatorTable)
        assert table.show_vertical_scrollbar
        monkeypatch.setattr(IndicatorTable, "_scroll_update", noted)
        await pilot.press("4")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.on_area() == 4
        assert table not in laid_out
        await pilot.resize_terminal(90, 24)  # a new size is laid out anew
        await pilot.pause()
        assert table in laid_out


class _TwoTables(App[None]):
    def compose(self) -> ComposeResult:
        yield SteadyTable(id="steady")
        yield DataTable(id="plain")


def _fill(table: DataTable, widths: dict[str, int | None]) -> None:
    for name, width in widths.items():
        table.add_column(name, key=name, width=width)
    for number in range(60):
        table.add_row(
            Text(f"A{number}"), Text("郑州" * (number % 7 + 1)), Text("市发展改革委"), key=f"A{number}"
        )


@pytest.mark.parametrize("widths", [{"id": 4, "text": 20, "unit": 8}, {"id": 4, "text": None, "unit": 8}])
async def test_a_table_measures_its_cells_only_for_a_column_sized_to_them(
    widths: dict[str, int | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    measured: dict[str, int] = {"steady": 0, "plain": 0}
    owner: dict[int, str] = {}
    measure = Text.__rich_measure__

    def counted(text: Text, console, options):
        if id(text) in owner:
            measured[owner[id(text)]] += 1
        return measure(text, console, options)

    monkeypatch.setattr(Text, "__rich_measure__", counted)
    app = _TwoTables()
    async with app.run_test(size=(80, 40)) as pilot:
        for name in measured:
            table = app.query_one(f"#{name}", DataTable)
            _fill(table, widths)
            for row in table.rows:
                for cell in table.get_row(row):
                    owner[id(cell)] = name
        await pilot.pause()
        steady, plain = app.query_one("#steady", DataTable), app.query_one("#plain", DataTable)
        # The same table either way: its size, its columns' widths, what it draws.
        assert steady.virtual_size == plain.virtual_size
        assert [c.get_render_width(steady) for c in steady.ordered_columns] == [
            c.get_render_width(plain) for c in plain.ordered_columns
        ]
        assert [steady.render_line(y).text for y in range(10)] == [
            plain.render_line(y).text for y in range(10)
        ]
    assert measured["plain"] >= 180
    assert measured["steady"] == (0 if None not in widths.values() else measured["plain"])
