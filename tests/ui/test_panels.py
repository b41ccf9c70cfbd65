"""The panels beside the chart and the 回头看 table, pressed for real: each panel is reached by
tab, read in full with ↑/↓, never swallows the chair's navigation keys, and shows user text
literally; the action list keeps its item across refills and says which one `enter` picked."""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable

from tests.ui.conftest import MEETING, build_app
from tests.ui.test_keys import shown_area
from zzreview.meeting import commands
from zzreview.meeting.view import build_meeting_view
from zzreview.storage.repository import Repository
from zzreview.ui.screens.meeting import OVERVIEW
from zzreview.ui.widgets.actions import ActionList
from zzreview.ui.widgets.overview import ReviewView

SIZE = (120, 40)
PANELS = ["milestone-panel", "action-list", "notes-panel"]
"""The area's panels in tab order after the indicator table."""

HOSTILE = "x [/] y [@click=app.quit] [bold]b"


def region_text(app, widget: Widget) -> str:
    """The characters on screen inside a widget's region, line by line."""
    region = widget.region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return "\n".join(
        "".join(segment.text for segment in strip.crop(region.x, region.right)) for strip in strips
    )


class ChosenLog:
    """A message hook keeping each ActionList.Chosen once (a hook sees it at every level it
    bubbles through)."""

    def __init__(self) -> None:
        self.messages: list[ActionList.Chosen] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, ActionList.Chosen) and all(m is not message for m in self.messages):
            self.messages.append(message)

    @property
    def ids(self) -> list[str]:
        return [m.action_id for m in self.messages]


def focused_id(app) -> str | None:
    return app.focused.id if app.focused is not None else None


def started(repo: Repository) -> Repository:
    """The demo with its next meeting open, so items can be added to it."""
    commands.start_meeting(repo, MEETING)
    return repo


async def tab_to(pilot, panel_id: str) -> None:
    """From the indicator table, tab until `panel_id` has focus."""
    for _ in range(PANELS.index(panel_id) + 1):
        await pilot.press("tab")
    assert focused_id(pilot.app) == panel_id


async def test_tab_cycles_table_milestones_actions_notes_and_back(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        assert focused_id(app) == "indicator-table"
        order = []
        for _ in range(4):
            await pilot.press("tab")
            order.append(focused_id(app))
        assert order == [*PANELS, "indicator-table"]
        back = []
        for _ in range(4):
            await pilot.press("shift+tab")
            back.append(focused_id(app))
        assert back == [*reversed(PANELS), "indicator-table"]


async def test_every_navigation_key_works_from_a_focused_panel(app) -> None:
    """Each navigation key, pressed from one of the panels in turn (every panel gets several
    keys, every key one panel: the bindings are the screen's, whichever panel holds focus)."""
    moves = {
        **dict.fromkeys(["n", "right", "space", "pagedown"], 5),
        **dict.fromkeys(["p", "left", "pageup"], 3),
        "1": 1,
        "7": 7,
        "0": 10,
        "o": OVERVIEW,
        "home": OVERVIEW,
    }
    async with app.run_test(size=SIZE) as pilot:
        for turn, (key, area) in enumerate(moves.items()):
            panel = PANELS[turn % len(PANELS)]
            await pilot.press("4")
            await tab_to(pilot, panel)
            await pilot.press(key)
            if area == OVERVIEW:
                assert app.screen.step_index == OVERVIEW, (key, panel)
            else:
                assert shown_area(app) == area, (key, panel)


async def test_up_and_down_stay_inside_the_focused_panel(repo: Repository) -> None:
    app = build_app(repo, meeting="2024-09-30")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        table = app.screen.area_view.query_one("#indicator-table", DataTable)
        await tab_to(pilot, "milestone-panel")
        panel = app.screen.area_view.query_one("#milestone-panel")
        await pilot.press("down", "down")
        assert panel.scroll_y == 2
        await pilot.press("up")
        assert panel.scroll_y == 1
        await pilot.press("tab")
        actions = app.screen.area_view.query_one(ActionList)
        first = actions.highlighted
        await pilot.press("down")
        assert actions.highlighted == first + 1
        assert shown_area(app) == 4 and table.cursor_row == 0  # nothing else moved


async def test_the_whole_side_panel_of_area_4_reads_by_keyboard(repo: Repository) -> None:
    """2024-09-30, area 4, 120×40: the milestones ran past 4.4.2 and the judgement and the
    decisions and notes under them could not be reached."""
    app = build_app(repo, meeting="2024-09-30")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await tab_to(pilot, "milestone-panel")
        milestones = app.screen.area_view.query_one("#milestone-panel")
        assert "主持人判断" not in region_text(app, milestones)
        for _ in range(40):
            if "主持人判断" in region_text(app, milestones):
                break
            await pilot.press("down")
        assert "主持人判断" in region_text(app, milestones)
        assert "4.2 " in region_text(app, milestones)
        await pilot.press("tab", "tab")
        notes = app.screen.area_view.query_one("#notes-panel")
        assert "议定事项" in region_text(app, notes)
        last_note = "8号线部分车站装修偏慢"
        assert last_note not in region_text(app, notes)
        for _ in range(40):
            if last_note in region_text(app, notes):
                break
            await pilot.press("down")
        assert last_note in region_text(app, notes)
        assert notes.scroll_y == notes.max_scroll_y > 0


async def test_no_scrollbar_touches_the_text_of_a_panel(repo: Repository) -> None:
    """The scrollbar has its own gutter and a blank cell between it and the text, so no
    glyph (nor one a terminal draws wider than its width) runs into it."""
    started(repo)
    unbroken = "x" * 400  # folds at the very last cell the text may use
    commands.add_action(repo, unbroken, "某责任人", area=4)
    commands.add_note(repo, 4, unbroken)
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        strips = app.screen._compositor.render_strips()
        for panel_id in PANELS:
            panel = app.screen.area_view.query_one(f"#{panel_id}")
            assert panel.show_vertical_scrollbar, panel_id  # each one overfilled here
            bar = panel.vertical_scrollbar.region
            lines = [strips[y].crop(panel.region.x, bar.right).text for y in range(bar.y, bar.bottom)]
            assert all(line[-2] == " " for line in lines), (panel_id, lines)
            if panel_id != "milestone-panel":
                assert any(line.rstrip().endswith("x") for line in lines), lines  # the text is that wide
        for panel_id, text_id in (("milestone-panel", "milestone-list"), ("notes-panel", "notes-list")):
            panel, text = (
                app.screen.area_view.query_one(f"#{panel_id}"),
                app.screen.area_view.query_one(f"#{text_id}"),
            )
            assert text.content_region.right < panel.vertical_scrollbar.region.x, panel_id


async def test_a_focused_panel_looks_focused(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        panels = [app.screen.area_view.query_one(f"#{panel}") for panel in PANELS]
        before = [panel.styles.border_left for panel in panels]
        await tab_to(pilot, "action-list")
        after = [panel.styles.border_left for panel in panels]
        assert after[0] == before[0] and after[2] == before[2]
        assert after[1] != before[1]


def top_border_painted(app, panel: Widget) -> str:
    """The panel's top edge as painted on the screen."""
    region = panel.region
    strip = app.screen._compositor.render_strips()[region.y]
    return strip.crop(region.x, region.right).text


async def test_focus_moved_between_panels_shows_on_the_screen(app) -> None:
    """The panel given focus is painted with its focused (heavy) edge and the one left loses it:
    each widget repaints what its focus changes, the whole screen is not repainted for it."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        milestones, actions = (app.screen.area_view.query_one(f"#{panel}") for panel in PANELS[:2])
        await tab_to(pilot, "milestone-panel")
        assert "━" in top_border_painted(app, milestones) and "━" not in top_border_painted(app, actions)
        await pilot.press("tab")
        await pilot.pause()
        assert focused_id(app) == "action-list"
        assert "━" in top_border_painted(app, actions) and "━" not in top_border_painted(app, milestones)


async def test_the_action_list_keeps_its_item_when_refilled(repo: Repository) -> None:
    started(repo)
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        area = app.screen.area_view
        assert area.selected_action is None  # the list has no focus yet
        await tab_to(pilot, "action-list")
        await pilot.press("down")
        kept = area.selected_action
        actions = app.screen.area_view.query_one(ActionList)
        index = actions.highlighted
        assert kept is not None and index == 1
        # A new item goes first: the highlighted item moves down a place and stays highlighted.
        new = commands.add_action(repo, "新的交办事项", "新责任人", area=4).value
        area.show(build_meeting_view(repo, MEETING, "zh", app.rules), 4)
        await pilot.pause()
        assert area.selected_action == kept
        assert actions.highlighted == index + 1
        assert actions.get_option_at_index(0).id == new.id
        area.show(build_meeting_view(repo, MEETING, "zh", app.rules), 4)
        await pilot.pause()
        assert area.selected_action == kept


async def test_enter_on_an_action_item_says_which_was_chosen(app) -> None:
    chosen = ChosenLog()
    async with app.run_test(size=SIZE, message_hook=chosen) as pilot:
        await pilot.press("4")
        await pilot.press("enter")  # the table's enter chooses no action item
        assert chosen.ids == []
        await tab_to(pilot, "action-list")
        await pilot.press("down")
        expected = app.screen.area_view.selected_action
        await pilot.press("enter")
        await pilot.pause()
        assert expected is not None and chosen.ids == [expected]


async def test_an_action_list_item_says_owner_unit_due_status_overdue_and_carried(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        actions = app.screen.area_view.query_one(ActionList)
        a1 = str(actions.get_option("A1").prompt)
        for words in ("A1", "分管工业的副市长", "市工业和信息化局", "时限 2024-10-20", "办理中", "⚠ 逾期"):
            assert words in a1
        assert "2024-09-30 交办" in a1
        a4 = str(actions.get_option("A4").prompt)
        assert "逾期" not in a4  # due 2024-11-30
        ids = [option.id for option in actions.options]
        assert ids.index("A1") < ids.index("A4")  # overdue first


async def test_hostile_action_text_and_owner_show_literally(repo: Repository) -> None:
    started(repo)
    item = commands.add_action(repo, HOSTILE, "[@click=app.quit]", area=4, lead_unit="x [/] y").value
    commands.add_decision(repo, HOSTILE, area=4)
    commands.add_note(repo, 4, "[/] 注意 [red]")
    chosen = ChosenLog()
    app = build_app(repo)
    async with app.run_test(size=SIZE, message_hook=chosen) as pilot:
        await pilot.press("4")
        actions = app.screen.area_view.query_one(ActionList)
        prompt = str(actions.get_option(item.id).prompt)
        assert HOSTILE in prompt and "[@click=app.quit]" in prompt and "x [/] y" in prompt
        await tab_to(pilot, "action-list")
        assert app.screen.area_view.selected_action == item.id  # new items first
        shown = region_text(app, actions)
        assert "x [/] y" in shown and "[@click=app.quit]" in shown
        await pilot.press("tab")
        notes = app.screen.area_view.query_one("#notes-panel")
        seen = ""
        for _ in range(20):
            seen += region_text(app, notes)
            await pilot.press("down")
        assert "[/] 注意 [red]" in seen and HOSTILE in seen
        await pilot.click(actions, offset=(6, 1))  # a click on the owner is a choice, not a link
        await pilot.pause()
        assert app.is_running and chosen.ids == [item.id]


async def test_review_rows_show_status_overdue_and_this_meetings_progress(repo: Repository) -> None:
    started(repo)
    commands.set_action_status(repo, "A1", "in_progress", evidence="设备已到场 [/]")
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#review-table", DataTable)
        a1 = [str(cell) for cell in table.get_row("A1")]
        assert "办理中" in a1
        assert any("⚠ 逾期" in cell for cell in a1)
        assert "设备已到场 [/]" in a1
        a4 = [str(cell) for cell in table.get_row("A4")]
        assert "—" in a4 and not any("逾期" in cell for cell in a4)
        assert "设备已到场" in region_text(app, table)
        await pilot.press("down")  # A3, overdue longest, comes first; then A1
        assert app.screen.query_one(ReviewView).selected_action == "A1"
        assert "设备已到场 [/]" in region_text(app, app.screen.query_one("#review-detail"))


async def test_enter_on_a_review_row_chooses_that_item_and_the_detail_shows_its_history(
    repo: Repository,
) -> None:
    chosen = ChosenLog()
    app = build_app(repo, meeting="2024-11-29")
    async with app.run_test(size=SIZE, message_hook=chosen) as pilot:
        await pilot.pause()
        review = app.screen.query_one(ReviewView)
        table = app.screen.query_one("#review-table", DataTable)
        while review.selected_action != "A1":
            row = table.cursor_row
            await pilot.press("down")
            assert table.cursor_row == row + 1
        history = region_text(app, app.screen.query_one("#review-detail"))
        # Raised 2024-09-30, changed between meetings, carried through 10-31 to this one.
        for words in ("2024-09-30 调度会", "交办", "会外", "未办结→办理中", "2024-10-31 调度会", "（本次）"):
            assert words in history, words
        lines = history.splitlines()
        order = [
            next(i for i, line in enumerate(lines) if day in line)
            for day in ("09-30", "10-12", "10-31", "11-29")
        ]
        assert order == sorted(order)
        await pilot.press("enter")
        await pilot.pause()
        assert chosen.ids == ["A1"]


async def test_the_review_keeps_its_row_when_refilled(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down")
        review = app.screen.query_one(ReviewView)
        kept = review.selected_action
        review.show(build_meeting_view(repo, MEETING, "zh", app.rules))
        await pilot.pause()
        assert kept is not None and review.selected_action == kept


async def test_tab_reaches_the_review_history_and_the_navigation_keys_still_work(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert focused_id(app) == "review-table"
        await pilot.press("tab")
        assert focused_id(app) == "review-detail"
        await pilot.press("down")  # scrolls the history, if it is longer than its pane
        assert app.screen.query_one(ReviewView).selected_action is None  # the table has no focus
        await pilot.press("n")
        assert shown_area(app) == 1
        await pilot.press("p", "tab", "pageup")
        assert app.screen.step_index == OVERVIEW
