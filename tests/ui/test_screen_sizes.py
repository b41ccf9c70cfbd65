"""Every screen complete at every size: at 80×24 cut text says so with "…", hidden rows say
how many, the help box scrolls and the one-line overview lines up; wider screens give their room
to what was cut."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from tests.ui.conftest import build_app
from tests.ui.test_keys import screen_text
from tests.ui.test_live import until
from zzreview.storage.repository import Repository
from zzreview.ui.screens.modals import HelpScreen
from zzreview.ui.widgets.figures import Figure, large_lines, large_width

SMALL = (80, 24)


@pytest.mark.parametrize(("lang", "help_word"), [("zh", "帮助"), ("en", "Help")])
async def test_the_bars_keep_the_help_key_and_cut_the_title_with_an_ellipsis(
    repo: Repository, lang: str, help_word: str
) -> None:
    app = build_app(repo, lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("4")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert help_word in lines[-1], lines[-1]
        if lang == "zh":
            assert "…" in lines[0] and "2024年下半年经济运行调度会（10月）" not in lines[0], lines[0]


async def test_the_help_box_scrolls_to_its_last_key_and_always_says_how_to_close(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "按 Esc" in screen_text(app)
        assert "立即退出" not in screen_text(app)  # the last group is below the fold…
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert "立即退出" in screen_text(app) and "按 Esc" in screen_text(app)  # …and scrolls up


async def test_an_area_table_says_how_many_rows_are_below_the_screen(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("4")
        # The sign is set once the table has its size, a frame or two after the key (more
        # on a loaded machine): waited for, never assumed.
        await until(pilot, lambda: "↓ 还有 3 项" in screen_text(app), "the sign under area 4's table")
        for _ in range(10):
            await pilot.press("down")
        await pilot.pause()
        assert "↓ 还有" not in screen_text(app)  # scrolled to the last row: nothing below
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert "↓" not in screen_text(app)  # every row on screen: no sign


@pytest.mark.parametrize(("lang", "marker"), [("zh", "交办"), ("en", " open, ")])
async def test_the_one_line_overview_lines_up(repo: Repository, lang: str, marker: str) -> None:
    """Ten rows of 80 columns, their columns one under the other, nothing wrapped or cut but
    the titles (with "…")."""
    app = build_app(repo, lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("o")
        await pilot.pause()
        rows = [line for line in screen_text(app).splitlines() if marker in line]
        assert len(rows) == 10, rows
        columns = {cell_len(row[: row.index(marker)]) for row in rows}
        assert len(columns) == 1, rows
        whole = r"\d+ open, \d+ late" if lang == "en" else r"交办\d+ 逾期\d+"
        assert all(re.search(whole, row) for row in rows), rows
        ranked = [row for row in rows if "rank" in row or "名" in row]
        assert ranked and all(re.search(r"(rank \d+|第\d+名) [=↑↓—]", row) for row in ranked), ranked
        state_columns = {cell_len(row[: min(row.index(m) for m in "▲■✓●◌○" if m in row)]) for row in rows}
        assert len(state_columns) == 1, rows


async def test_a_wide_screen_shows_the_review_owners_and_units_whole(repo: Repository) -> None:
    """At 200 columns the 回头看 table gives its room to the owner and lead unit before the
    item text: "市物流口岸局主要负责同志", not "市物流口岸 …"."""
    app = build_app(repo)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        drawn = screen_text(app)
        view = app.screen.view
        for carried in view.carried:
            assert carried.item.owner in drawn, carried.item.owner
            assert carried.item.lead_unit in drawn, carried.item.lead_unit
            # On a tall screen the text is whole, over two lines where it needs them.
            assert carried.item.text[-8:] in drawn, carried.item.text


@pytest.mark.parametrize(("lang", "shown"), [("zh", None), ("en", 15)])
async def test_the_furthest_behind_names_are_readable_at_120_columns(
    repo: Repository, lang: str, shown: int | None
) -> None:
    """Their names are on no other screen: they get the wider of the overview's two tables
    (at 120 columns they read "5.3.2 Ne…" before), zh in full, en at least 15 characters."""
    from zzreview.rendering.names import indicator_name

    app = build_app(repo, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        drawn = screen_text(app)
        for status in app.screen.view.status.most_behind(6):
            name = f"{status.indicator.id} {indicator_name(status.indicator, lang)}"
            assert (name if shown is None else name[:shown]) in drawn, name


def test_the_wall_font_draws_every_character_it_is_given_in_five_even_rows() -> None:
    for value in ("2930", "84%", "-1,200.5", "+7", "1234567890"):
        lines = large_lines(value)
        assert len(lines) == 5
        assert len({len(line) for line in lines}) == 1, lines
        assert all(line.strip() for line in lines)  # no row of a figure is blank


async def test_the_selected_indicators_figures_grow_on_a_wall_and_shrink_back(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        value = app.screen.query_one("#chart-value", Figure)
        assert value.value == "2930"
        assert value.size.height == 5 and value.size.width == large_width("2930")
        assert app.screen.query_one("#area-number", Figure).size.height == 5
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert value.size.height == 3 and value.size.width == 12  # Textual's digits, 3 cells each


def screen_cells(app) -> list[list[str]]:
    """The screen as rows of cells: a wide character fills its first cell, the second is ''."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        cells: list[str] = []
        for segment in strip:
            for character in segment.text:
                cells.append(character)
                cells.extend([""] * (cell_len(character) - 1))
        rows.append(cells)
    return rows


def cells_shown(table: DataTable, rows: list[list[str]]):
    """(text of the cell, what the screen shows in its place, room it had) for each one-line
    cell wholly inside the table's visible region."""
    region = table.content_region
    top = region.y + (table.header_height if table.show_header else 0) - round(table.scroll_y)
    columns = list(table.columns.values())
    for row_key, row in table.rows.items():
        y, top = top, top + row.height
        if row.height != 1 or not region.y <= y < region.bottom or y >= len(rows):
            continue
        x = region.x - round(table.scroll_x)
        for column, value in zip(columns, table.get_row(row_key), strict=True):
            width = column.get_render_width(table)
            if x >= region.x and x + width <= region.right:
                text = value.plain if isinstance(value, Text) else str(value)
                yield text, "".join(rows[y][x : x + width]).strip(), width - 2 * table.cell_padding
            x += width


@pytest.mark.parametrize("size", [SMALL, (120, 40), (200, 60)], ids=["80x24", "120x40", "200x60"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_no_table_cell_is_cut_without_an_ellipsis(repo: Repository, lang: str, size) -> None:
    app = build_app(repo, lang=lang)
    checked = 0
    async with app.run_test(size=size) as pilot:
        for keys in ((), ("4",), ("5",), ("o",)):
            await pilot.press(*keys)
            await pilot.pause()
            rows = screen_cells(app)
            for table in app.screen.query(DataTable):
                if not table.region:
                    continue  # not on screen
                for text, shown, room in cells_shown(table, rows):
                    checked += 1
                    if cell_len(text.strip()) <= room:
                        assert shown == text.strip(), (keys, text, shown)
                    else:
                        assert shown.endswith("…") and text.startswith(shown[:-1].rstrip()), (
                            keys,
                            text,
                            shown,
                        )
    assert checked > 50  # the tables were found and read


async def test_a_wall_overview_names_each_areas_furthest_behind_and_lists_more(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        wall = screen_text(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        laptop = screen_text(app)
    assert "最落后：5.3.2" in wall and "最落后：" not in laptop
    listed = [line for line in wall.splitlines() if re.search(r"^\s*\d+\.\d+\.\d+ ", line)]
    assert len(listed) > 6  # the furthest-behind table goes on past the laptop's six rows


async def test_an_area_shown_again_keeps_its_rows_below_sign_without_redrawing_it(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual resizes every widget of a view shown again; the sign is drawn again only when
    its count changes (each drawing is a layout pass of its own, after the switch's repaint)."""
    redrawn: list[str] = []
    update = Static.update

    def noted(widget: Static, *args, **kwargs) -> None:
        if widget.id == "table-more":
            redrawn.append(str(args[0]) if args else "")
        update(widget, *args, **kwargs)

    monkeypatch.setattr(Static, "update", noted)
    app = build_app(repo)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: "↓ 还有 3 项" in screen_text(app), "the sign under area 4's table")
        await pilot.press("5")
        await pilot.pause()
        redrawn.clear()
        await pilot.press("4")
        await pilot.pause()
        await pilot.pause()
        assert "↓ 还有 3 项" in screen_text(app)
        assert redrawn == []
