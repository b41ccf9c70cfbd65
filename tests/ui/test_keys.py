"""The key contract, pressed for real: the chair's muscle memory depends on every one."""

from __future__ import annotations

from datetime import date

import pytest
from textual import events
from textual.widgets import Static

from tests.ui.conftest import FakeMonotonic, build_app
from zzreview.domain import ActionStatus
from zzreview.meeting import commands
from zzreview.meeting.minutes import minutes_markdown
from zzreview.rendering.names import area_title
from zzreview.storage.repository import Repository
from zzreview.ui.screens.meeting import OVERVIEW, MeetingScreen
from zzreview.ui.screens.modals import BlankScreen, HelpScreen, QuitScreen, ZoomScreen
from zzreview.ui.widgets.actions import ActionList

SIZE = (120, 40)
SEED_TITLES = {
    1: "强化创新驱动发展",
    2: "提升产业链群能级",
    4: "扩大有效益的投资",
    9: "维护安全稳定大局",
    10: "强化保障推动落实",
}


def text_of(app, selector: str) -> str:
    """The plain text a Static shows (inside the area on screen, for an area's parts)."""
    area_parts = ("#area-", "#chart-", "#milestone-", "#notes-", "#action-", "#indicator-")
    root = app.screen.area_view if selector.startswith(area_parts) else app.screen
    return str(root.query_one(selector, Static).content)


def screen_text(app) -> str:
    """Every character on the screen as a person sees it (after markup, if any, was applied)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def shown_area(app) -> int | None:
    """The area on screen, or None on the overview or 回头看."""
    screen = app.screen
    assert isinstance(screen, MeetingScreen)
    if screen.step_index == OVERVIEW or screen.view.steps[screen.current_step].is_review:
        return None
    return screen.area_view.area_number


async def test_the_meeting_opens_at_its_first_agenda_step_the_review(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown_area(app) is None
        assert "回头看" in text_of(app, "#position")
        assert "1/11" in text_of(app, "#position")
        assert "示例数据" in text_of(app, "#notice")


@pytest.mark.parametrize("key", ["n", "right", "space", "pagedown"])
async def test_every_next_alias_moves_on_even_with_the_table_focused(app, key: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert shown_area(app) == 1
        assert SEED_TITLES[1] in text_of(app, "#area-title")
        assert app.focused is not None and app.focused.id == "indicator-table"
        await pilot.press(key)
        assert shown_area(app) == 2
        assert SEED_TITLES[2] in text_of(app, "#area-title")


@pytest.mark.parametrize("key", ["p", "left", "pageup"])
async def test_every_previous_alias_moves_back(app, key: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        assert shown_area(app) == 4
        await pilot.press(key)
        assert shown_area(app) == 3
        await pilot.press("1", key)
        assert "回头看" in text_of(app, "#position")
        await pilot.press(key)
        assert app.screen.step_index == OVERVIEW


async def test_digits_jump_to_areas_and_zero_is_ten(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        for key, number in [("9", 9), ("0", 10), ("4", 4), ("1", 1)]:
            await pilot.press(key)
            assert shown_area(app) == number
            assert SEED_TITLES[number] in text_of(app, "#area-title")
        await pilot.press("0")
        assert "11/11" in text_of(app, "#position")
        await pilot.press("n")  # the last step: stays put
        assert shown_area(app) == 10


@pytest.mark.parametrize("key", ["o", "home"])
async def test_overview_and_back_into_the_agenda(app, key: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", key)
        assert app.screen.step_index == OVERVIEW
        tile = str(app.screen.query_one("#tile-5", Static).content)
        assert "深化重点领域改革" in tile and "■ 落后" in tile
        league = [line for line in screen_text(app).splitlines() if "深化重点领域改革" in line]
        assert len(league) == 2  # the tile, and its row in the league table
        await pilot.press("n")
        assert shown_area(app) == 4


async def test_arrows_select_an_indicator_and_the_chart_follows(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        first = app.screen.area_view.selected
        await pilot.press("down")
        second = app.screen.area_view.selected
        assert first is not None and second is not None and first != second
        assert second.indicator.id in text_of(app, "#chart-title")
        await pilot.press("up")
        assert app.screen.area_view.selected == first


async def test_zoom_blank_and_back(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "down", "z")
        assert isinstance(app.screen, ZoomScreen)
        assert "4.2.2" in str(app.screen.query_one("#chart-title", Static).content)
        await pilot.press("z")
        assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4
        await pilot.press("full_stop")
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("n", "q")  # keys do nothing on a blank screen
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("full_stop")
        assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_the_live_keys(app, key: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table", Static).content
        from rich.console import Console

        console = Console(width=100, record=True)
        console.print(table)
        shown = console.export_text()
        for words in ("下一项", "上一项", "总览", "放大走势图", "黑屏", "帮助", "退出"):
            assert words in shown
        assert "n" in shown and "pgdn" in shown and "^q" in shown and "f1" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_help_follows_a_remapped_key(repo: Repository) -> None:
    app = build_app(repo, keymap={"next_step": "j", "overview": "v"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert shown_area(app) == 1
        await pilot.press("n")  # no longer bound
        assert shown_area(app) == 1
        await pilot.press("v")
        assert app.screen.step_index == OVERVIEW
        await pilot.press("f1")
        from rich.console import Console

        console = Console(width=100, record=True)
        console.print(app.screen.query_one("#help-table", Static).content)
        assert "j" in console.export_text()


async def test_palette_jumps_to_an_area_and_an_indicator(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"重点工作9")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert shown_area(app) == 9
        await pilot.press("ctrl+p")
        await pilot.press(*"4.2.2")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert shown_area(app) == 4
        selected = app.screen.area_view.selected
        assert selected is not None and selected.indicator.id == "4.2.2"


async def test_palette_switches_theme(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "projector-dark"
        await pilot.press("ctrl+p")
        await pilot.press(*"主题")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press(*"projector-light")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "projector-light"


async def shows(pilot, app, text: str, tries: int = 30) -> bool:
    """Whether `text` comes on screen within `tries` short pauses (the palette searches and
    says "no matches" on timers of its own)."""
    for _ in range(tries):
        if text in screen_text(app):
            return True
        await pilot.pause(0.05)
    return text in screen_text(app)


PALETTE_WORDS = {
    "zh": ("搜索命令", "退出", "立即退出", "没有匹配的命令"),
    "en": ("Search commands", "Quit", "Quit at once", "No matches found"),
}
"""The palette's prompt, its quit command (typed) with its help, and what it says for no match."""


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_palette_speaks_the_screens_language(repo: Repository, lang: str) -> None:
    app = build_app(repo, lang=lang)
    prompt, quit_word, quit_help, nothing = PALETTE_WORDS[lang]
    english = ("Search for commands", "Theme", "Quit", "No matches found", "Search for themes")
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert await shows(pilot, app, prompt)
        await pilot.press(*quit_word)
        assert await shows(pilot, app, quit_help)
        seen.append(screen_text(app))
        await pilot.press(*"qxzqxz")
        assert await shows(pilot, app, nothing)
        seen.append(screen_text(app))
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*("主题" if lang == "zh" else "theme"))
        await pilot.pause(0.3)
        await pilot.press("enter")
        assert await shows(pilot, app, "搜索配色主题" if lang == "zh" else "Search for themes")
        seen.append(screen_text(app))
    if lang == "zh":
        for words in english:
            assert not any(words in drawn for drawn in seen), words


async def test_q_asks_once_then_quits(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("x")
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("q", "q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize(
    ("open_keys", "screen", "burst"),
    [
        (("q",), QuitScreen, "xyz"),  # "stay", then keys typed on
        (("full_stop",), BlankScreen, [".", "."]),  # the projector back, and the key again
        (("4", "z"), ZoomScreen, "zz"),
    ],
)
async def test_keys_in_a_burst_after_the_one_that_closes_a_screen_close_nothing_more(
    app, open_keys, screen, burst
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*open_keys)
        shown = app.screen
        assert isinstance(shown, screen)
        for key in burst:
            shown.post_message(events.Key("full_stop" if key == "." else key, key))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.is_running


async def test_ctrl_q_quits_at_once(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_timer_turns_amber_near_its_timebox_and_red_over_it(repo: Repository) -> None:
    clock = FakeMonotonic()
    app = build_app(repo, monotonic=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        timer = app.screen.query_one("#timer", Static)
        assert "00:00 / 08:00" in str(timer.content) and "暂停" in str(timer.content)
        await pilot.press("t")
        clock.now += 6 * 60 + 30  # 6:30 of 8:00
        app.screen._update_bars()
        assert "06:30" in str(timer.content)
        assert timer.has_class("-near") and not timer.has_class("-over")
        clock.now += 2 * 60
        app.screen._update_bars()
        assert timer.has_class("-over")
        await pilot.press("t")  # pause
        clock.now += 60
        app.screen._update_bars()
        assert "08:30" in str(timer.content)
        await pilot.press("n")  # each area keeps its own time
        assert "00:00 / 08:00" in str(timer.content)


async def test_an_area_not_on_the_agenda_is_refused_with_a_notice(repo: Repository) -> None:
    from zzreview.domain import AgendaItem

    meeting = repo.meeting("2024-10-31")
    from dataclasses import replace

    from zzreview.analysis import preset
    from zzreview.meeting.view import build_meeting_view

    short = replace(meeting, agenda=(AgendaItem(1), AgendaItem(4)))
    view = build_meeting_view(repo, meeting.id, "zh", preset("yinchuan"))
    view.meeting = short
    view.steps = [s for s in view.steps if s.area_number in (0, 1, 4)]
    from tests.ui.conftest import FIXED_CLOCK
    from zzreview.ui.app import ReviewApp

    app = ReviewApp(view, repo=repo, clock=lambda: FIXED_CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await pilot.pause()
        assert shown_area(app) is None
        assert any("重点工作7" in str(n.message) for n in app._notifications)


HOSTILE = [
    "x [/] y",
    "[bold]不加粗[/bold] [link=https://example.org]链接[/link]",
    "\x1b[31m红字\x1b[0m",
    "a | b | `c` <script>alert(1)</script>",
    "郑州🚇" * 5,
]


async def test_stored_hostile_text_shows_literally(repo: Repository) -> None:
    for text in HOSTILE:
        commands.add_action(repo, text, text[:20], area=4, lead_unit="[/]", meeting_id="2024-10-31")
    commands.set_action_status(repo, "A3", ActionStatus.IN_PROGRESS, evidence="[bold]进展[/bold] x [/] y")
    app = build_app(repo)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        shown = screen_text(app)  # 回头看: A3 is overdue, so it is first and in the detail line
        assert "[bold]进展[/bold] x [/] y" in shown
        await pilot.press("4")
        shown = screen_text(app)
        for text in ("x [/] y", "[bold]不加粗[/bold] [link=https://example.org]链接[/link]", "[31m红字[0m"):
            assert text in shown, text
        assert "\x1b" not in shown
        await pilot.press("ctrl+p")
        await pilot.press(*"x [/]")
        await pilot.pause(0.3)
        assert "x [/] y" in screen_text(app)  # the owner, offered by the palette, literally
        await pilot.press("escape", "o")
        assert "交办 " in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_every_size_shows_the_whole_table(app, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await pilot.press("4")
        table = app.screen.area_view.query_one("#indicator-table")
        assert table.virtual_size.width <= table.size.width
        await pilot.press("o")
        await pilot.press("1")


async def test_english_screens(repo: Repository) -> None:
    app = build_app(repo, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        assert "Review" in text_of(app, "#position")
        await pilot.press("4")
        assert "Expand effective investment" in text_of(app, "#area-title")
        assert "Illustrative data" in text_of(app, "#notice")


async def test_a_closed_meeting_shows_what_its_minutes_show(repo: Repository) -> None:
    """The app and the minutes read a closed meeting from the same frozen figures."""
    commands.close_action(repo, "A2", "已报送")  # after 2024-09-30 closed
    app = build_app(repo, meeting="2024-09-30")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        shown = str(app.screen.area_view.query_one("#action-list", ActionList).get_option("A2").prompt)
        assert "A2" in shown and "未办结" in shown and "已办结" not in shown
    assert "已报送" not in minutes_markdown(repo, "2024-09-30", "zh")


async def test_switching_theme_recolours_the_status_cells(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "down")
        table = app.screen.area_view.query_one("#indicator-table")

        def status_colour() -> str:
            cell = table.get_row("4.2.2")[6]
            return cell.style.color.triplet.hex

        dark = status_colour()
        app.theme = "projector-light"
        await pilot.pause()
        assert status_colour() != dark
        assert status_colour() == app.theme_variables["status-attention"].lower()
        assert app.screen.area_view.selected.indicator.id == "4.2.2"  # selection kept


async def test_the_league_table_shows_rank_changes_since_the_last_meeting(repo: Repository) -> None:
    # Area 5 was last at the 2024-09-30 meeting; all three new listings by October put it first.
    commands.record_value(repo, "5.3.2", "3", on=date(2024, 10, 31))
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        view = app.screen.view
        assert view.rank_change[5] is not None and view.rank_change[5] > 0
        row = next(
            line for line in screen_text(app).splitlines() if "5 深化重点领域改革" in line and "↑" in line
        )
        assert f"↑{view.rank_change[5]}" in row


async def test_an_area_with_no_gap_to_rank_by_has_no_place_in_the_league(app) -> None:
    """The demo's areas 2, 3 and 7–10 have no numeric gap yet: they are listed after the
    ranked ones with "—" for their place, never a 5th to 10th they did not earn."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        view = app.screen.view
        unranked = [r.area_number for r in view.ranks if r.mean_gap is None]
        assert unranked and all(r.rank is None for r in view.ranks if r.mean_gap is None)
        ranked = [r.rank for r in view.ranks if r.mean_gap is not None]
        assert ranked == list(range(1, len(ranked) + 1))
        lines = screen_text(app).splitlines()
        for number in unranked:
            title = area_title(view.plan.area(number), "zh")
            label = f"{number} {title[:4]}"
            row = next(line for line in lines if label in line and "│" in line)
            # The league sits beside "most behind" on the same lines: its place is the cell
            # just before the area's title.
            place = row[: row.index(label)].rstrip().rstrip("│").split()[-1]
            assert place == "—", row


async def test_remapped_blank_and_zoom_keys_also_bring_the_meeting_back(repo: Repository) -> None:
    app = build_app(repo, keymap={"blank_screen": "b", "zoom_chart": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "b")
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("b")
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("x")
        assert isinstance(app.screen, ZoomScreen)
        await pilot.press("x")
        assert isinstance(app.screen, MeetingScreen)


@pytest.mark.prebuilt_views
@pytest.mark.parametrize("frames", [0, 1, 2, 3, 5, 8])
async def test_quitting_while_the_other_views_are_built_ends_cleanly(app, frames: int) -> None:
    """ctrl+q pressed as soon as the first screen is up, while the views of the other steps are
    still being built one per frame: the app ends with no error, whichever frame it lands on."""
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(frames):
            await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running and app.return_code == 0
