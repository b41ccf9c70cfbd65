"""The meeting screen: the chair walks the agenda — 回头看, then each area — or peeks at the
overview, with the position, the meeting clock and the agenda timer always in view.

Navigation bindings are `priority=True`: a focused DataTable would otherwise swallow →,
pagedown, home, pageup and ←, and the chair's next-step key would work only half the time.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Static

from zzreview.analysis import IndicatorStatus
from zzreview.domain import MeetingState
from zzreview.i18n import format_clock, t
from zzreview.meeting.session import USER_ERRORS
from zzreview.meeting.view import MeetingView
from zzreview.ui.live import seat_word
from zzreview.ui.screens.recording import Recording
from zzreview.ui.widgets.area import AreaView, IndicatorTable
from zzreview.ui.widgets.chart import warm_charts
from zzreview.ui.widgets.figures import TALL_HEIGHT
from zzreview.ui.widgets.overview import OverviewView, ReviewView

OVERVIEW = -1
"""The step index that means the overview is on screen."""

OVERVIEW_VIEW, REVIEW_VIEW = "overview-view", "review-view"
"""The views the meeting switches between, with one area view per area (`area_view_id`). Only
the first step's is built before the first screen; the others are mounted one per frame right
after it, so an area shown again (or for the first time, once its view is built) is only
switched to, not rebuilt: a key costs a repaint."""


def area_view_id(area_number: int) -> str:
    """The id of an area's own view."""
    return f"area-view-{area_number}"


def _area_shows(view: MeetingView, number: int) -> tuple:
    """What an area's view shows, compared cheaply: its statuses (kept as the very same
    objects while its values are unchanged), its items (decoded once per stored version), its
    decisions, notes and judgements, and the date and language they are shown for."""
    measures = {m.id for m in view.plan.area(number).measures}
    return (
        id(view.status.area(number)),
        tuple(map(id, view.actions_by_area.get(number, ()))),
        tuple(view.decisions_by_area.get(number, ())),
        tuple(view.notes_by_area.get(number, ())),
        tuple(j for measure, j in sorted(view.judgements.items()) if measure in measures),
        view.as_of,
        view.lang,
        view.meeting.state,
    )


NARROW_WIDTH = 110
"""Below this many columns the chart goes under the indicator table."""

SHORT_HEIGHT = 32
"""Below this many rows the big figures give their space to the table."""

TIMER_WARNING_SHARE = 0.8
"""The timer turns amber at this share of the timebox, and red past it."""


def navigation_bindings() -> list[Binding]:
    """The meeting's keys, each with an id users can remap in their config's [keymap]."""
    bindings = [
        Binding("n,right,space,pagedown", "next_step", "next", id="next_step", priority=True),
        Binding("p,left,pageup", "previous_step", "previous", id="previous_step", priority=True),
        Binding("o,home", "overview", "overview", id="overview", priority=True),
    ]
    for number in range(1, 11):
        key = str(number % 10)
        bindings.append(
            Binding(
                key, f"go_area({number})", f"area {number}", id=f"area_{number}", priority=True, show=False
            )
        )
    bindings += [
        Binding("z", "zoom_chart", "zoom", id="zoom_chart"),
        Binding("full_stop", "blank_screen", "blank", id="blank_screen"),
        Binding("t", "toggle_timer", "timer", id="toggle_timer"),
        Binding("e", "export_minutes", "minutes", id="export_minutes"),
        Binding("a", "add_action", "action", id="add_action"),
        Binding("v", "record_value", "value", id="record_value"),
        Binding("d", "add_decision", "decision", id="add_decision"),
        Binding("m", "add_note", "note", id="add_note"),
        Binding("j", "judge", "judgement", id="judge"),
        Binding("i", "meeting_details", "details", id="meeting_details"),
        Binding("c", "attendance", "attendance", id="attendance"),
        Binding("ctrl+z", "undo", "undo", id="undo"),
        Binding("f", "toggle_follow", "follow", id="toggle_follow"),
        Binding("question_mark,f1", "help", "help", id="help"),
        Binding("q", "request_quit", "quit", id="quit"),
    ]
    return bindings


FIGURES_AFTER = 0.15
"""Seconds from the first screen's first refresh to the start of the launch's figures. Textual
writes a refresh to the terminal from a thread of its own, after the refresh; the figures'
work begins by parsing the file's values (20 MB at city scale), one long call that holds the
interpreter, so begun at once it kept that thread from writing the first screen (at scale the
first screen came 180 ms later). A key to an area meanwhile works them out itself."""


class MeetingScreen(Recording, Screen):
    """The walk through the meeting."""

    BINDINGS = navigation_bindings()

    PREBUILD_VIEWS: ClassVar[bool] = True
    """Build every step's view after the first screen (off: each is built when first shown,
    as when a key comes before its turn; the app tests that are not about it save the time)."""

    @dataclass
    class AreaShown(Message):
        """What is on screen changed: the step (an area's number, 0 for 回头看, None for the
        overview), the selected indicator, a zoomed chart, a blanked projector."""

        area_number: int | None
        indicator: str = ""
        zoom: bool = False
        blank: bool = False

    @dataclass
    class AreaTimed(Message):
        """The agenda timer stopped counting for an area: its total so far, in whole seconds."""

        area_number: int
        seconds: int

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's, but a move of focus does not repaint the whole screen: the widgets it moves
    between restyle and repaint themselves (on every switch, that was a second full repaint)."""
    step_index: var[int] = var(0, init=False)
    """The step on screen (OVERVIEW for the overview): a `var`, as what shows it is updated by
    hand (`_show`); a reactive would repaint the whole screen once more on every switch."""

    def __init__(self, view: MeetingView, *, clock: Callable[[], datetime], monotonic=time.monotonic) -> None:
        super().__init__()
        self.view = view
        self._clock = clock
        self._monotonic = monotonic
        self.current_step = 0
        self._elapsed: dict[int, float] = {area: float(s) for area, s in view.meeting.area_seconds.items()}
        """Seconds each agenda step has taken, by area number (0: 回头看), from the record on."""
        self._timer_started: float | None = None
        self._shown_at_size: Size | None = None
        self._zoomed = False
        self._blanked = False
        self._views_built: set[str] = set()
        self._heap_settled = False
        self._views_mounted: set[str] = set()
        self._waiting_show: tuple[str, int, bool] | None = None
        self._figures_for: MeetingView | None = None
        """The view whose figures are being worked out off the UI thread, if any."""
        self._filled: dict[str, tuple[MeetingView, Size, tuple]] = {}
        """What each area view was last filled with: refilled only when the view (after a
        save) or the screen's size changed since."""

    def compose(self) -> ComposeResult:
        # Sized before the first styling: set on the first Resize instead, the classes would
        # restyle every widget just composed (~20 ms of the launch).
        self._size_classes(self.app.size)
        with Horizontal(id="top-bar"):
            yield Static(id="meeting-title")
            yield Static(id="state-banner")
            yield Static(id="position")
            yield Static(id="timer")
            yield Static(id="clock")
        first = self._view_name(0) if self.view.steps else OVERVIEW_VIEW
        with ContentSwitcher(id="views", initial=first):
            yield self._new_view(first)
        with Horizontal(id="bottom-bar"):
            yield Static(id="notice")
            yield Static(id="follow-state")
            yield Static(id="key-hints")

    def _view_name(self, index: int) -> str:
        """The name (id) of the view that shows step `index` (or the overview)."""
        if index == OVERVIEW:
            return OVERVIEW_VIEW
        step = self.view.steps[index]
        return REVIEW_VIEW if step.is_review else area_view_id(step.area_number)

    def _new_view(self, name: str) -> Widget:
        self._views_built.add(name)
        if name == OVERVIEW_VIEW:
            return OverviewView([a.number for a in self.view.plan.areas], id=name)
        return ReviewView(id=name) if name == REVIEW_VIEW else AreaView(id=name)

    def _build_next_view(self) -> None:
        """Mount the next view not built yet, one per frame after the first screen is up, so
        the first screen pays only for itself and a key pressed meanwhile waits one view; an
        area's view is filled as it is built, off screen. Then warm the charts."""
        wanted = [self._view_name(i) for i in range(len(self.view.steps))] + [OVERVIEW_VIEW, REVIEW_VIEW]
        missing = [name for name in wanted if name not in self._views_built]
        if missing and self.PREBUILD_VIEWS and not self.view.figures_ready:
            # The figures every other view shows, worked out off the UI thread first: the
            # first screen stays live meanwhile (a key to an area waits for them, ~0.3 s at
            # city scale, instead of every launch waiting before its first screen).
            self._work_out_figures(self.view, after=FIGURES_AFTER if self._figures_for is None else 0)
            return
        if missing and self.PREBUILD_VIEWS:
            self._mount_view(missing[0])
            return
        stale = next((name for name in wanted if self._needs_fill(name)), None)
        if stale is not None:
            self._fill_area(stale)
            self.call_after_refresh(self._build_next_view)
            return
        warm_charts()
        if not self._heap_settled:
            # Every view is built now and lives as long as the screen: out of the garbage
            # collector's walk too, as the first screen's objects are (ReviewApp), or each full
            # collection during a save walks them all (60-110 ms at city scale).
            self._heap_settled = True
            gc.freeze()

    def _work_out_figures(self, view: MeetingView, after: float = 0) -> None:
        """Work `view`'s figures out off the UI thread, starting `after` seconds from now
        (once: asked again meanwhile, nothing new)."""
        if self._figures_for is not view:
            self._figures_for = view
            self._figures_worker(view, after)

    @work(thread=True, group="figures")
    def _figures_worker(self, view: MeetingView, after: float) -> None:
        if after:
            time.sleep(after)  # the first screen is written meanwhile (see FIGURES_AFTER)
        try:
            view.work_out()
            self.app.repo.read_everything()  # the file's bytes go once every table is read
        except USER_ERRORS as error:
            # A database that opened but whose values cannot be read (edited by hand): said
            # as the command line says it at launch, and the app ends, as a launch would.
            self.app.call_from_thread(self.app.end_unreadable, str(error))
            return
        with suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._build_next_view)

    def _needs_fill(self, name: str) -> bool:
        """An area view mounted but filled with what its area no longer shows, or at another
        size. A save elsewhere leaves an area as it was: it is then only handed the new view."""
        if not name.startswith("area-view-") or name not in self._views_mounted:
            return False
        filled = self._filled.get(name)
        if filled is None or filled[1] != self.size:
            return True
        if filled[0] is self.view:
            return False
        number = int(name.removeprefix("area-view-"))
        if filled[2] != _area_shows(self.view, number):
            return True
        self.query_one(f"#{name}", AreaView).adopt(self.view)
        self._filled[name] = (self.view, self.size, filled[2])
        return False

    def _fill_area(self, name: str) -> AreaView:
        area_view = self.query_one(f"#{name}", AreaView)
        if name not in self._views_mounted or self._needs_fill(name):
            number = int(name.removeprefix("area-view-"))
            area_view.show(self.view, number)
            self._filled[name] = (self.view, self.size, _area_shows(self.view, number))
        return area_view

    def _mount_view(self, name: str) -> None:
        async def mount() -> None:
            try:
                switcher = self.query_one(ContentSwitcher)
            except NoMatches:
                return
            if not switcher.is_attached:
                return  # the app is closing: quit before this view's turn came
            await switcher.mount(widget)
            self._views_mounted.add(name)
            if self._needs_fill(name) and (self._waiting_show is None or self._waiting_show[0] != name):
                try:
                    self._fill_area(name)
                except NoMatches:
                    return  # the app closed while the view was being built
            if self._waiting_show is not None and self._waiting_show[0] == name:
                _, index, keep_focus = self._waiting_show
                self._waiting_show = None
                self._show(index, keep_focus=keep_focus)
            self.call_after_refresh(self._build_next_view)

        widget = self._new_view(name)
        widget.display = False  # the switcher shows it when it is the current one
        self.call_next(mount)

    def _ready(self, name: str, index: int, keep_focus: bool) -> bool:
        """Whether view `name` is mounted; if not, step `index` is shown once it is."""
        if name in self._views_mounted:
            return True
        self._waiting_show = (name, index, keep_focus)
        if name not in self._views_built:
            self._mount_view(name)
        return False

    def on_mount(self) -> None:
        self._views_mounted.update(self._views_built)
        self.call_after_refresh(self._build_next_view)
        self.query_one("#meeting-title", Static).update(Text(self.view.meeting.title))
        self._update_banner()
        notice = self.query_one("#notice", Static)
        notice.update(Text(f"⚠ {self.view.notice}" if self.view.notice else ""))
        notice.display = bool(self.view.notice)
        self._update_hints()
        self.show_following()
        self._show(0)
        self.set_interval(1.0, self._tick)
        # Status colours are baked into the tables' cells: repaint them in the new theme.
        self.watch(self.app, "theme", lambda: self.call_after_refresh(self._repaint), init=False)

    def _update_banner(self) -> None:
        """The meeting's state beside its title; a closed meeting says it is read-only."""
        state = self.view.meeting.state
        banner = self.query_one("#state-banner", Static)
        seat = seat_word(self.app.repo.seat, self.view.lang)
        banner.update(Text(f"{t(f'banner.{state.value}', self.view.lang)} · {seat}"))
        for name in ("closed", "planned", "in_progress"):
            banner.set_class(state.value == name, f"-{name.replace('_', '-')}")

    def _repaint(self) -> None:
        self._filled.clear()  # the status colours are in the cells of every area's table
        self._show(self.step_index, keep_focus=True)
        self._refill_later()

    def _refill_later(self) -> None:
        """Bring the area views not on screen up to date, one per frame (see `_build_next_view`)."""
        self.call_after_refresh(self._build_next_view)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._update_hints)
        self._size_classes(event.size)
        if self._shown_at_size not in (None, event.size):
            self._show(self.step_index, keep_focus=True)
            self._refill_later()

    def _size_classes(self, size: Size) -> None:
        """The classes the style sheet lays out a narrow, a short and a tall screen by."""
        self.set_class(size.width < NARROW_WIDTH, "-narrow")
        self.set_class(size.height < SHORT_HEIGHT, "-short")
        self.set_class(size.height >= TALL_HEIGHT, "-tall")

    @property
    def compact(self) -> bool:
        """Small screens get one line per area on the overview."""
        return self.size.width < NARROW_WIDTH or self.size.height < SHORT_HEIGHT

    # -- showing steps -------------------------------------------------------------------

    def _show(self, index: int, *, keep_focus: bool = False) -> bool:
        """Show step `index` (or the overview). The step's main table takes focus, unless
        `keep_focus` and focus is already inside the view shown (a refresh of the same step
        after a save or a resize leaves the user's panel where it was). False when the step's
        view is still being built: it is shown as soon as it is."""
        name = self._view_name(index)
        if not self._ready(name, index, keep_focus):
            return False
        if name != REVIEW_VIEW and not self.figures_in():
            return False
        self._shown_at_size = self.size if self.size.width else None
        switcher = self.query_one(ContentSwitcher)
        if index == OVERVIEW:
            self.query_one(OverviewView).show(self.view, compact=self.compact, times=self.timer_totals())
            switcher.current = OVERVIEW_VIEW
        else:
            self._switch_timer(index)
            self.current_step = index
            step = self.view.steps[index]
            if step.is_review:
                self.query_one(ReviewView).show(self.view)
                switcher.current = REVIEW_VIEW
                review = self.query_one(ReviewView)
                self._focus(review, review.query_one("#review-table", DataTable), keep_focus)
            else:
                area_view = self._fill_area(name)
                switcher.current = name
                self._focus(area_view, area_view.query_one(IndicatorTable), keep_focus)
        self.step_index = index
        self._update_bars()
        self._announce()
        return True

    def figures_in(self) -> bool:
        """Whether the view's figures and items are worked out (waiting for the worker if it is
        at it, see `_build_next_view`): what every screen but 回头看 shows, and every form and
        palette list reads. A value or an item found unreadable then ends the app, said in one
        line as a launch says it; False then."""
        try:
            self.view.work_out()
        except USER_ERRORS as error:
            self.app.end_unreadable(str(error))
            return False
        return True

    def _announce(self) -> None:
        """Say what is on screen (the chair's seat publishes it for the others to follow)."""
        area = None if self.showing_overview else self.view.steps[self.current_step].area_number
        selected = self.selected_status()
        self.post_message(
            self.AreaShown(
                area,
                selected.indicator.id if selected else "",
                zoom=self._zoomed,
                blank=self._blanked,
            )
        )

    def on_indicator_table_selected(self, message: IndicatorTable.Selected) -> None:
        self._announce()

    # -- following the chair -------------------------------------------------------------

    def follow(self, shown) -> None:
        """Show what the chair's seat shows (a following seat). A form open here stays open:
        only the screen under it moves."""
        from zzreview.ui.screens.modals import BlankScreen, ZoomScreen

        if shown.area is None:
            if not self.showing_overview:
                self._show(OVERVIEW)
        else:
            index = self.view.step_index(shown.area)
            moving = index is not None and (self.showing_overview or index != self.current_step)
            if moving and not self._show(index):
                self.call_after_refresh(self.follow, shown)  # once the step's view is built
                return
            if shown.indicator and self.on_area() is not None:
                self.area_view.select(shown.indicator)
        top = self.app.screen
        if top is not self and not isinstance(top, (ZoomScreen, BlankScreen)):
            return  # a form or a question is open: leave it be
        wanted = BlankScreen if shown.blank else ZoomScreen if shown.zoom else None
        if wanted is not None and isinstance(top, wanted):
            return
        if top is not self:
            # One change of screens at a time: back to the meeting, then follow again.
            top.answer(None)
            self.call_after_refresh(self.follow, shown)
        elif wanted is BlankScreen:
            self._push_blank()
        elif wanted is ZoomScreen:
            self._push_zoom()

    def show_following(self) -> None:
        """The bottom bar says whether this seat follows the chair."""
        widget = self.query_one("#follow-state", Static)
        following = getattr(self.app, "following", False)
        if self.app.repo.seat == "chair":
            widget.display = False
            return
        widget.display = True
        key = "ui.following" if following else "ui.following_paused"
        widget.update(Text(t(key, self.view.lang)))
        widget.set_class(not following, "-paused")

    def action_toggle_follow(self) -> None:
        if self.app.repo.seat == "chair":
            self.notify(t("ui.chair_leads", self.view.lang), markup=False)
            return
        self.app.toggle_following()

    def _by_hand(self) -> None:
        """A navigation key pressed here pauses following the chair."""
        self.app.pause_following()

    def _focus(self, container: Widget, default: Widget, keep: bool) -> None:
        focused = self.focused
        if keep and focused is not None and container in focused.ancestors:
            return
        default.focus()

    def show_view(self, view: MeetingView) -> None:
        """Show `view` (the meeting as it now stands) on the step on screen, keeping the selection."""
        area = self.view.steps[self.current_step].area_number
        overview = self.showing_overview
        self.view = view
        self.app.view = view
        if view.meeting.state is MeetingState.CLOSED:
            self._timer_started = None  # its times are in the record, frozen with it
        self.query_one("#meeting-title", Static).update(Text(view.meeting.title))
        self._update_banner()
        index = view.step_index(area)
        self.current_step = index if index is not None else min(self.current_step, len(view.steps) - 1)
        self._show(OVERVIEW if overview else self.current_step, keep_focus=True)
        self._refill_later()

    @property
    def area_view(self) -> AreaView:
        """The view of the area on screen (or, on the overview and in 回头看, of the last
        area step walked to)."""
        step = self.view.steps[self.current_step]
        number = (
            step.area_number
            if not step.is_review
            else next((s.area_number for s in self.view.steps if not s.is_review), 0)
        )
        return self.query_one(f"#{area_view_id(number)}", AreaView)

    def on_area(self) -> int | None:
        """The focus area on screen; None on the overview and in 回头看."""
        if self.showing_overview:
            return None
        step = self.view.steps[self.current_step]
        return None if step.is_review else step.area_number

    def selected_status(self) -> IndicatorStatus | None:
        """The indicator selected on an area's screen; None elsewhere."""
        return None if self.on_area() is None else self.area_view.selected

    def selected_measure(self) -> str:
        """The measure of the selected indicator on an area's screen, else ""."""
        selected = self.selected_status()
        return selected.indicator.measure_id if selected else ""

    @property
    def showing_overview(self) -> bool:
        return self.step_index == OVERVIEW

    def action_next_step(self) -> None:
        self._by_hand()
        if self.showing_overview:
            self._show(self.current_step)
        elif self.current_step + 1 < len(self.view.steps):
            self._show(self.current_step + 1)
        else:
            self.app.bell()

    def action_previous_step(self) -> None:
        self._by_hand()
        if self.showing_overview:
            self._show(self.current_step)
        elif self.current_step > 0:
            self._show(self.current_step - 1)
        else:
            self._show(OVERVIEW)

    def action_overview(self) -> None:
        self._by_hand()
        self._show(OVERVIEW)

    def action_go_area(self, number: int) -> None:
        self._by_hand()
        index = self.view.step_index(number)
        if index is None:
            self.notify(t("ui.unknown_step", self.view.lang, number=number), severity="warning", markup=False)
            return
        self._show(index)

    def select_indicator(self, indicator_id: str) -> None:
        """Show the area of an indicator with that indicator selected (command palette)."""
        area_number = int(indicator_id.split(".")[0])
        self.action_go_area(area_number)
        if self.on_area() == area_number:
            self.area_view.select(indicator_id)
        elif self.view.step_index(area_number) is not None:
            self.call_after_refresh(self.select_indicator, indicator_id)  # once its view is built

    # -- views on top of the walk ----------------------------------------------------------

    def action_zoom_chart(self) -> None:
        self._by_hand()
        self._push_zoom()

    def _push_zoom(self) -> None:
        from zzreview.ui.screens.modals import ZoomScreen

        if self.showing_overview or self.view.steps[self.current_step].is_review:
            return
        selected = self.area_view.selected
        if selected is None:
            return

        def unzoomed(_: object) -> None:
            self._zoomed = False
            self._announce()

        self._zoomed = True
        self._announce()
        self.app.push_screen(ZoomScreen(self.view, selected, self.keys_for("zoom_chart")), unzoomed)

    def action_export_minutes(self) -> None:
        from zzreview.ui.screens.minutes import MinutesScreen

        app = self.app
        self.app.push_screen(MinutesScreen(app.repo, self.view.meeting.id, self.view.lang, app.rules))

    def action_blank_screen(self) -> None:
        self._by_hand()
        self._push_blank()

    def _push_blank(self) -> None:
        from zzreview.ui.screens.modals import BlankScreen

        def back(_: object) -> None:
            self._blanked = False
            self._announce()

        self._blanked = True
        self._announce()
        self.app.push_screen(BlankScreen(self.keys_for("blank_screen")), back)

    def action_help(self) -> None:
        from zzreview.ui.screens.modals import HelpScreen

        self.app.push_screen(HelpScreen(self, self.view.lang))

    def action_request_quit(self) -> None:
        from zzreview.ui.screens.modals import QuitScreen

        def decided(quit_now: bool | None) -> None:
            if quit_now:
                self.app.exit()

        self.app.push_screen(QuitScreen(self.view.lang), decided)

    # -- timer and clock ------------------------------------------------------------------

    def action_toggle_timer(self) -> None:
        now = self._monotonic()
        if self._timer_started is None:
            self._timer_started = now
        else:
            self._elapsed[self._timed_area] = self._step_elapsed(now)
            self._timer_started = None
            self._record_time(self._timed_area)
        self._update_bars()

    @property
    def _timed_area(self) -> int:
        """The agenda step the timer counts for, by its area number (0: 回头看)."""
        return self.view.steps[self.current_step].area_number

    def _step_elapsed(self, now: float | None = None) -> float:
        elapsed = self._elapsed.get(self._timed_area, 0.0)
        if self._timer_started is not None:
            elapsed += (now if now is not None else self._monotonic()) - self._timer_started
        return elapsed

    def _switch_timer(self, index: int) -> None:
        """A running timer keeps running, now for the new step; the old step keeps its time."""
        if self._timer_started is not None and index != self.current_step:
            now = self._monotonic()
            area = self._timed_area
            self._elapsed[area] = self._step_elapsed(now)
            self._timer_started = now
            self._record_time(area)

    def timer_totals(self) -> dict[int, int]:
        """Whole seconds each step has taken so far, the running one included."""
        totals = {area: int(seconds) for area, seconds in self._elapsed.items()}
        if self._timer_started is not None:
            totals[self._timed_area] = int(self._step_elapsed())
        return {area: seconds for area, seconds in totals.items() if seconds > 0}

    def _record_time(self, area: int) -> None:
        """The time an area took goes into the meeting's record, from the chair's seat."""
        seconds = int(self._elapsed.get(area, 0.0))
        if seconds != self.view.meeting.area_seconds.get(area, 0):
            self.post_message(self.AreaTimed(area, seconds))

    def _tick(self) -> None:
        self._update_bars()

    def _set_text(self, selector: str, text: Text) -> None:
        """Update a bar's text only when it changed: the once-a-second tick then repaints
        nothing unless the clock or a running timer moved."""
        widget = self.query_one(selector, Static)
        if widget.content != text:
            widget.update(text)

    def _update_bars(self) -> None:
        lang = self.view.lang
        total = len(self.view.steps)
        if self.showing_overview:
            position = f"{t('ui.overview', lang)} · {self.current_step + 1}/{total}"
        else:
            step = self.view.steps[self.current_step]
            name = (
                t("ui.review_short", lang) if step.is_review else t("ui.area", lang, number=step.area_number)
            )
            position = f"{name} · {self.current_step + 1}/{total}"
        self._set_text("#position", Text(position, style="bold"))
        self._set_text("#clock", Text(self._clock().strftime("%H:%M")))
        timer = self.query_one("#timer", Static)
        step = self.view.steps[self.current_step]
        elapsed = self._step_elapsed()
        timebox = step.timebox_minutes * 60
        label = t("ui.timer", lang, elapsed=format_clock(elapsed), timebox=format_clock(timebox))
        if self._timer_started is None:
            label += t("ui.timer_paused", lang)
        self._set_text("#timer", Text(label))
        for wanted, name in (
            (elapsed > timebox, "-over"),
            (TIMER_WARNING_SHARE * timebox <= elapsed <= timebox, "-near"),
            (self._timer_started is not None, "-running"),
        ):
            if timer.has_class(name) != wanted:  # each class change restyles the widget
                timer.set_class(wanted, name)

    def keys_for(self, binding_id: str) -> frozenset[str]:
        """The keys bound to a binding id now, after the user's keymap."""
        return frozenset(
            key for key, active in self.active_bindings.items() if active.binding.id == binding_id
        )

    def _update_hints(self) -> None:
        hints = self.query_one("#key-hints", Static)
        hints.update(self._hints(hints.size.width or self.size.width))

    def _hints(self, width: int) -> Text:
        """The keys to know, as many as fit in `width` cells: help always, then the walk."""
        lang = self.view.lang
        keys = {}
        for binding in self.active_bindings.values():
            binding_id = binding.binding.id
            if binding_id and binding_id not in keys:
                keys[binding_id] = self.app.get_key_display(binding.binding)
        parts = [
            (keys.get("next_step", "n"), t("key.next_step", lang)),
            (keys.get("previous_step", "p"), t("key.previous_step", lang)),
            ("1–0", t("key.area_any", lang)),
            (keys.get("overview", "o"), t("key.overview", lang)),
            (keys.get("help", "?"), t("key.help", lang)),
        ]
        pieces = [(f" {key} ", f" {word}  ") for key, word in parts]
        # Dropped first when the bar is narrow: the any-area jump, the overview, then back.
        for dropped in (None, 2, 3, 1, 0):
            if dropped is not None:
                pieces[dropped] = None
            shown = [piece for piece in pieces if piece is not None]
            if sum(cell_len(key + word) for key, word in shown) <= width:
                break
        text = Text()
        for key, word in shown:
            text.append(key, style="reverse")
            text.append(word)
        return text
