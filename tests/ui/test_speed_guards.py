"""Guards for what keeps the wall fast, counted rather than timed (bench/ times them).

- the first screen is up before the views it does not show are built;
- once it is up and idle, the first area the chair opens imports no module (plotext and
  its first figure were warmed in the background);
- every document is decoded once however many times the view is rebuilt, and a save makes
  only what it changed decode again.
"""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from tests.ui.conftest import build_app
from zzreview.domain import ActionItem, DataPoint
from zzreview.meeting import commands
from zzreview.meeting.view import MeetingView, build_meeting_view
from zzreview.storage import repository as repository_module
from zzreview.storage.repository import Repository
from zzreview.ui.screens import meeting as meeting_screen
from zzreview.ui.screens.meeting import MeetingScreen, area_view_id
from zzreview.ui.widgets import chart
from zzreview.ui.widgets.area import AreaView

MEETING = "2024-10-31"

pytestmark = pytest.mark.prebuilt_views  # the app as it runs: every view built after the first screen


async def test_the_first_area_opened_imports_no_module(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await app.workers.wait_for_complete()  # the figures, worked out after the first screen
        await pilot.pause()
        await pilot.pause()
        assert area_view_id(4) in screen._views_mounted, (
            "every area's view is built right after the first screen"
        )
        for thread in chart._WARMING:
            thread.join(timeout=30)
        before = set(sys.modules)
        await pilot.press("4")
        await pilot.pause()
        assert screen.on_area() == 4
        assert set(sys.modules) - before == set()


async def test_the_first_screen_shows_before_the_other_views_are_built(repo: Repository, monkeypatch) -> None:
    app = build_app(repo)
    built_at_first_screen: list[set[str]] = []
    original = MeetingScreen._build_next_view

    figures_at_first_screen: list[bool] = []

    def first_call(screen: MeetingScreen) -> None:
        if not built_at_first_screen:
            built_at_first_screen.append(set(screen._views_mounted))
            figures_at_first_screen.append(screen.view.figures_ready)
        original(screen)

    monkeypatch.setattr(MeetingScreen, "_build_next_view", first_call)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # The demo's meeting opens on 回头看: only its view was there for the first screen.
        assert built_at_first_screen == [{"review-view"}]
        assert figures_at_first_screen == [False], "回头看 came up before any figure was worked out"
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.showing_overview


async def test_an_area_asked_for_before_the_launchs_figures_shows_its_figures_at_once(
    repo: Repository, monkeypatch
) -> None:
    # The launch's figures are worked out off the UI thread once the first screen has been
    # written (FIGURES_AFTER); a key to an area meanwhile works them out for itself.
    monkeypatch.setattr(meeting_screen, "FIGURES_AFTER", 0.5)
    threads: list[str] = []
    work_out = MeetingView.work_out

    def recorded(view: MeetingView):
        if not view.figures_ready:
            threads.append(threading.current_thread().name)
        return work_out(view)

    monkeypatch.setattr(MeetingView, "work_out", recorded)
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and not screen.view.figures_ready
        await pilot.press("4")
        await pilot.pause()
        assert screen.on_area() == 4 and screen.view.figures_ready
        assert str(screen.query_one("#area-summary").render()).strip()
    assert threads[0] == threading.main_thread().name


def _counting_fills(monkeypatch) -> list[int]:
    """The area numbers AreaView.show fills, in order, from now on."""
    fills: list[int] = []
    original = AreaView.show

    def counted(self, view, area_number):
        fills.append(area_number)
        return original(self, view, area_number)

    monkeypatch.setattr(AreaView, "show", counted)
    return fills


async def _every_area_filled(pilot, fills: list[int], repo: Repository) -> None:
    """Wait the frames it takes to build and fill every area's view, one per frame."""
    for _ in range(30):
        await pilot.pause()
        if len(set(fills)) == len(repo.plan().areas):
            return


async def test_an_area_is_filled_once_and_then_only_switched_to(repo: Repository, monkeypatch) -> None:
    fills = _counting_fills(monkeypatch)
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await _every_area_filled(pilot, fills, repo)
        assert sorted(fills) == [a.number for a in repo.plan().areas], "each area filled once, off screen"
        fills.clear()
        for key in "4", "5", "4", "n", "p":
            await pilot.press(key)
            await pilot.pause()
        assert app.screen.on_area() == 4
        assert fills == [], "walking the areas only switches between their views"
        assert app.screen.area_view.id == area_view_id(4) and app.screen.area_view.display


def _counting_decodes(monkeypatch) -> dict[type, int]:
    counts: dict[type, int] = {}
    original = Repository._decode

    def counted(self, cls, doc, table):
        counts[cls] = counts.get(cls, 0) + 1
        return original(self, cls, doc, table)

    monkeypatch.setattr(repository_module.Repository, "_decode", counted)
    return counts


def test_a_rebuilt_view_decodes_nothing_again_and_a_save_only_what_it_wrote(
    repo: Repository, monkeypatch
) -> None:
    commands.start_meeting(repo, MEETING)
    counts = _counting_decodes(monkeypatch)
    view = build_meeting_view(repo, MEETING, "zh", None)
    assert counts.get(DataPoint, 0) == 0, "the view decodes no value until its figures are asked for"
    view.work_out()
    values = len(repo.store.table("values"))
    assert counts[DataPoint] == values
    counts.clear()
    build_meeting_view(repo, MEETING, "zh", None).work_out()
    assert counts.get(DataPoint, 0) == 0 and counts.get(ActionItem, 0) == 0

    commands.add_action(repo, "梳理未开工项目清单", "张三", area=4, due="+2w")
    counts.clear()
    view = build_meeting_view(repo, MEETING, "zh", None)
    view.work_out()
    assert counts.get(DataPoint, 0) == 0
    assert counts.get(ActionItem, 0) <= 1
    assert any(a.text == "梳理未开工项目清单" for a in view.actions_by_area[4])

    commands.record_value(repo, "4.2.2", "450")
    counts.clear()
    view = build_meeting_view(repo, MEETING, "zh", None)
    view.work_out()
    assert counts.get(DataPoint, 0) == 1 and counts.get(ActionItem, 0) == 0
    assert view.status.indicator("4.2.2").current == 450


def test_the_previous_meetings_league_table_waits_until_it_is_asked_for(
    repo: Repository, monkeypatch
) -> None:
    judged: list[str] = []
    original = repository_module.Repository.figures

    def figures(self, meeting):
        judged.append(meeting.id)
        return original(self, meeting)

    monkeypatch.setattr(repository_module.Repository, "figures", figures)
    view = build_meeting_view(repo, MEETING, "zh", None)
    assert judged == [MEETING]
    assert any(change is not None for change in view.rank_change.values())
    assert len(judged) == 2 and judged[1] != MEETING


async def test_a_save_refills_only_the_area_it_changed(repo: Repository, monkeypatch) -> None:
    from tests.ui.test_form_bursts import burst

    commands.start_meeting(repo, MEETING)
    fills = _counting_fills(monkeypatch)
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await _every_area_filled(pilot, fills, repo)
        await pilot.press("4", "a")
        await pilot.pause()
        fills.clear()
        burst(app, "只改第四领域的事项", "tab", "张三", "ctrl+s")
        for _ in range(30):
            await pilot.pause()
            await app.workers.wait_for_complete()
        assert any(a.text == "只改第四领域的事项" for a in app.view.actions_by_area[4])
        assert fills == [4], "the other areas show what they showed: they are not filled again"


async def test_a_value_saved_rewrites_its_row_in_place(repo: Repository, monkeypatch) -> None:
    from tests.ui.test_form_bursts import burst
    from tests.ui.test_keys import screen_text
    from zzreview.ui.widgets.area import IndicatorTable

    commands.start_meeting(repo, MEETING)
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "down")
        await pilot.pause()
        cleared: list[str] = []
        original = IndicatorTable.clear

        def counted(self, columns: bool = False):
            cleared.append(self.parent.id if self.parent else "")
            return original(self, columns)

        monkeypatch.setattr(IndicatorTable, "clear", counted)
        await pilot.press("v")
        await pilot.pause()
        burst(app, "455", "ctrl+s")
        for _ in range(10):
            await pilot.pause()
            await app.workers.wait_for_complete()
        row = next(line for line in screen_text(app).splitlines() if "4.2.2 新增工业投资" in line)
        assert "455亿元" in row and "60%" in row
        assert cleared == [], "the table kept its rows: only 4.2.2's cells were written again"


async def test_the_views_built_after_the_first_screen_leave_the_collectors_walk(
    repo: Repository, monkeypatch
) -> None:
    """A full collection walks every object the collector tracks: the views built after the
    first screen live as long as it does, so they are frozen out of that walk once they are
    all built, as the first screen's objects are (at city scale a full collection during a
    save took 60-110 ms before, under 55 ms after: bench/bench_forms.py)."""
    frozen_at: list[tuple[int, set[str]]] = []
    original_freeze = gc.freeze

    def noted_freeze() -> None:
        screen = app.screen
        built = set(screen._views_built) if isinstance(screen, MeetingScreen) else set()
        frozen_at.append((len(frozen_at), built))
        original_freeze()

    monkeypatch.setattr(gc, "freeze", noted_freeze)
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        for _ in range(40):
            if len(frozen_at) >= 2:
                break
            await pilot.pause()
        every_step = {screen._view_name(i) for i in range(len(screen.view.steps))}
        assert len(frozen_at) == 2, frozen_at
        assert every_step <= frozen_at[1][1], "frozen again only once every view is built"
        await pilot.press("4", "n")
        await pilot.pause()
        assert len(frozen_at) == 2, "walking the areas freezes nothing more"


async def test_an_area_switch_repaints_no_more_than_what_it_changes(repo: Repository, monkeypatch) -> None:
    """Neither the step number nor the move of focus asks the whole screen to repaint: each
    widget changed repaints itself (the whole screen once more was a second full repaint on
    every key)."""
    asked: list[str] = []
    refresh = MeetingScreen.refresh

    def noted(screen: MeetingScreen, *regions, **flags):
        asked.append("whole screen" if not regions else "regions")
        return refresh(screen, *regions, **flags)

    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        monkeypatch.setattr(MeetingScreen, "refresh", noted)
        await pilot.press("5")
        await pilot.pause()
        assert app.screen.on_area() == 5
        assert asked == []


async def test_a_form_restyles_only_its_fields_as_it_opens_and_as_it_is_typed_in(
    repo: Repository, monkeypatch
) -> None:
    """Focus restyles a widget and everything inside it: the form's first field takes the
    focus as the form opens, never the box of all its fields first (~40 widgets, ~10 ms each
    time). A key typed leaves the line under each field alone when it says the same."""
    from textual.app import App
    from textual.widgets import Static

    commands.start_meeting(repo, MEETING)
    app = build_app(repo)
    restyled: list[str] = []
    hints: list[str] = []
    update_styles, update = App.update_styles, Static.update

    def counted_styles(self, node, animate=True):
        restyled.append(node.id or type(node).__name__)
        return update_styles(self, node, animate)

    def counted_update(self, *args, **kwargs):
        if (self.id or "").startswith("hint-"):
            hints.append(self.id)
        return update(self, *args, **kwargs)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        monkeypatch.setattr(App, "update_styles", counted_styles)
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == "field-text"
        assert "form-fields" not in restyled, restyled
        monkeypatch.setattr(Static, "update", counted_update)
        await pilot.press(*"交办")
        assert hints == [], "the action's text has no line under it that changes as it is typed"
