"""Seats in step: an app on a database file sees what another seat (the CLI, a script, the
chair's app) saves, within its poll, in place; a follower follows the chair and pauses when
navigated by hand; a form opened before another seat's change shows the conflict on save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ui.conftest import build_app
from zzreview.meeting import commands
from zzreview.meeting.session import Seat, create_database
from zzreview.ui.forms.action import ActionForm
from zzreview.ui.screens.meeting import OVERVIEW
from zzreview.ui.widgets.actions import ActionList

MEETING = "2024-10-31"
SIZE = (120, 40)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    return path


@pytest.fixture
def seats(database: Path):
    opened: list[Seat] = []

    def seat(name: str, who: str) -> Seat:
        opened.append(Seat(database, seat=name, who=who))
        return opened[-1]

    yield seat
    for each in opened:
        each.close()


async def until(pilot, condition: Callable[[], bool], what: str, rounds: int = 150) -> None:
    """Let the app run (its 100 ms poll, its workers) until `condition` holds."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}")


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_cli_write_shows_on_an_open_seat_in_place(seats) -> None:
    secretary = seats("secretary", "王秘书").repo()
    cli = seats("cli", "张科长").repo()
    commands.start_meeting(cli, MEETING)
    app = build_app(secretary)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.press("down")  # the second indicator: the selection must stay
        chosen = app.screen.area_view.selected.indicator.id
        commands.add_action(cli, "从命令行加的事项", "市发改委", area=4)
        commands.record_value(cli, "4.2.2", "455")
        await until(
            pilot,
            lambda: any(a.text == "从命令行加的事项" for a in app.view.actions_by_area.get(4, [])),
            "the new item in the view",
        )
        actions = app.screen.area_view.query_one("#action-list", ActionList)
        assert any(
            "从命令行加的事项" in str(actions.get_option_at_index(i).prompt)
            for i in range(actions.option_count)
        )
        assert app.view.status.area(4).statuses  # rebuilt from disk
        current = {s.indicator.id: s.current for s in app.view.status.area(4).statuses}
        assert current["4.2.2"] == 455
        assert app.screen.area_view.selected.indicator.id == chosen
        assert any("命令行" in m and "张科长" in m for m in notices(app)), notices(app)


async def test_the_minutes_from_the_app_hold_what_another_seat_just_saved(seats) -> None:
    from zzreview.meeting.minutes import minutes_markdown

    secretary = seats("secretary", "王秘书").repo()
    cli = seats("cli", "张科长").repo()
    app = build_app(secretary)
    async with app.run_test(size=SIZE) as pilot:
        commands.add_decision(cli, "命令行记下的议定事项")
        await until(pilot, lambda: bool(app.view.meeting.decisions), "the decision in the view")
        assert "命令行记下的议定事项" in minutes_markdown(app.repo, MEETING, "zh")


async def test_a_follower_follows_the_chair_pauses_by_hand_and_resumes_with_f(seats) -> None:
    chair = seats("chair", "李主任").repo()
    app = build_app(seats("secretary", "王秘书").repo())
    async with app.run_test(size=SIZE) as pilot:
        assert "跟随主持人" in str(app.screen.query_one("#follow-state").content)
        commands.publish_area(chair, 6, indicator="6.1.2")
        await until(pilot, lambda: app.screen.on_area() == 6, "area 6 followed")
        await until(
            pilot,
            lambda: app.screen.area_view.selected.indicator.id == "6.1.2",
            "the chair's indicator selected",
        )
        await pilot.press("2")  # by hand: following pauses
        assert app.screen.on_area() == 2
        assert "已暂停跟随" in str(app.screen.query_one("#follow-state").content)
        commands.publish_area(chair, 7)
        for _ in range(20):
            await pilot.pause(0.02)
        assert app.screen.on_area() == 2
        await pilot.press("f")
        await until(pilot, lambda: app.screen.on_area() == 7, "area 7 followed after f")
        commands.publish_area(chair, None)
        await until(pilot, lambda: app.screen.step_index == OVERVIEW, "the overview followed")


async def test_a_follower_zooms_and_blanks_with_the_chair(seats) -> None:
    from zzreview.ui.screens.modals import BlankScreen, ZoomScreen

    chair = seats("chair", "李主任").repo()
    app = build_app(seats("viewer", "观众").repo())
    async with app.run_test(size=SIZE) as pilot:
        commands.publish_area(chair, 4, indicator="4.2.2", zoom=True)
        await until(pilot, lambda: isinstance(app.screen, ZoomScreen), "the chart zoomed")
        commands.publish_area(chair, 4, indicator="4.2.2", blank=True)
        await until(pilot, lambda: isinstance(app.screen, BlankScreen), "the projector blanked")
        commands.publish_area(chair, 4, indicator="4.2.2")
        await until(
            pilot,
            lambda: type(app.screen).__name__ == "MeetingScreen" and app.screen.on_area() == 4,
            "back on area 4",
        )


async def test_the_chairs_app_publishes_indicator_zoom_and_blank(seats) -> None:
    chair = seats("chair", "李主任")
    app = build_app(chair.repo())
    watcher = seats("cli", "旁观").repo()

    def followed():
        watcher.refresh()
        return watcher.followed(MEETING)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "down", "z")
        await until(pilot, lambda: (f := followed()) is not None and f.zoom and f.area == 4, "zoom published")
        assert (
            followed().indicator == app.view.status.area(4).statuses[0].indicator.id or followed().indicator
        )
        await pilot.press("z", "full_stop")
        await until(
            pilot, lambda: (f := followed()) is not None and f.blank and not f.zoom, "blank published"
        )
        await pilot.press("full_stop")
        await until(pilot, lambda: (f := followed()) is not None and not f.blank, "unblank published")


async def test_a_viewer_records_nothing_and_says_why(seats) -> None:
    app = build_app(seats("viewer", "观众").repo())
    async with app.run_test(size=SIZE) as pilot:
        events = len(app.repo.events())
        for key in ("4", "a", "v", "d", "m", "j", "c", "i", "ctrl+z"):
            await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == "MeetingScreen"
        assert len(app.repo.events()) == events
        assert any("观看席位不能记录" in m for m in notices(app))
        assert "观看席" in str(app.screen.query_one("#state-banner").content)


async def test_an_item_changed_on_another_seat_since_the_form_opened_shows_the_conflict(seats) -> None:
    secretary = seats("secretary", "王秘书").repo()
    chair = seats("chair", "李主任").repo()
    commands.start_meeting(chair, MEETING)
    app = build_app(secretary)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "tab", "tab", "enter")
        await until(pilot, lambda: isinstance(app.screen, ActionForm), "the item's form")
        form = app.screen
        item_id = form._item.id
        commands.edit_action(chair, item_id, owner="王五", lead_unit="市工信局")
        form.query_one("#field-owner").value = "赵六"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query_one("#error-owner").has_class("-shown"), "the conflict shown")
        message = str(form.query_one("#error-owner").content)
        assert "王五" in message and "赵六" in message
        assert chair.action(item_id).owner == "王五"  # nothing overwritten yet
        await pilot.press("ctrl+s")  # saving again keeps what was typed here
        await until(pilot, lambda: not isinstance(app.screen, ActionForm), "the form saved")
        chair.refresh()
        item = chair.action(item_id)
        assert (item.owner, item.lead_unit) == ("赵六", "市工信局")  # the other field merged
        kinds = [e.kind for e in chair.events()]
        assert kinds.count("action.edit") == 2


async def test_a_sync_tools_conflict_copy_appearing_is_said(seats, database: Path) -> None:
    app = build_app(seats("secretary", "王秘书").repo())
    async with app.run_test(size=SIZE) as pilot:
        app._copies.every = 0.05
        copy = database.with_name("review.sync-conflict-20241031-101500-ABCDEFG.json")
        copy.write_bytes(database.read_bytes())
        await until(pilot, lambda: any(copy.name in m for m in notices(app)), "the copy reported")


async def test_the_minutes_written_from_the_app_hold_what_another_seat_saved_after_the_preview(
    seats, tmp_path: Path
) -> None:
    from zzreview.ui.screens.minutes import MinutesScreen

    cli = seats("cli", "张科长").repo()
    app = build_app(seats("secretary", "王秘书").repo())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await until(
            pilot, lambda: isinstance(app.screen, MinutesScreen) and app.screen.markdown, "the preview"
        )
        screen = app.screen
        screen._folder = tmp_path
        commands.add_decision(cli, "预览之后记下的议定事项")
        await pilot.press("w")
        await until(pilot, lambda: any(tmp_path.glob("*.md")), "the minutes written")
        (written,) = tmp_path.glob("*.md")
        assert "预览之后记下的议定事项" in written.read_text(encoding="utf-8")


async def test_a_burst_of_changes_elsewhere_is_told_in_one_notice_not_a_pile(seats) -> None:
    cli = seats("cli", "张科长").repo()
    app = build_app(seats("secretary", "王秘书").repo())
    async with app.run_test(size=SIZE) as pilot:
        for number in range(6):
            commands.add_decision(cli, f"第{number}条议定事项")
            await until(
                pilot, lambda n=number: len(app.view.meeting.decisions) == n + 1, f"decision {number}"
            )
        told = [m for m in notices(app) if "张科长" in m]
        assert 1 <= len(told) <= 2, told  # six changes, not six notices over the figures


async def test_the_chair_unblanking_as_the_followers_own_unblank_key_arrives_leaves_its_screen(seats) -> None:
    from types import SimpleNamespace

    from textual import events

    from zzreview.ui.screens.meeting import MeetingScreen
    from zzreview.ui.screens.modals import BlankScreen

    chair = seats("chair", "李主任").repo()
    app = build_app(seats("viewer", "观众").repo())
    async with app.run_test(size=SIZE) as pilot:
        commands.publish_area(chair, 4, indicator="4.2.2", blank=True)
        await until(pilot, lambda: isinstance(app.screen, BlankScreen), "the projector blanked")
        blank, meeting = app.screen, app.screen_stack[-2]
        blank.post_message(events.Key("full_stop", "."))  # the viewer's own "." …
        meeting.follow(
            SimpleNamespace(area=4, indicator="4.2.2", zoom=False, blank=False)
        )  # … as the chair's is heard
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
