"""A seat among seats: what this app tells the others, and what it hears from them.

- The chair's seat publishes what it shows (area, selected indicator, zoom, blank) and the time
  each area took, off the UI thread, latest wins.
- Every seat watches the database: a cheap check of the files every `WATCH_SECONDS` on the UI
  thread; when they changed, a worker catches up (only the events since the last one seen),
  rebuilds the view from disk, and the screen refreshes in place with a notice saying what
  changed and from which seat.
- Other seats follow the chair by default (`f` toggles; navigating by hand pauses it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from zzreview.domain import MeetingState
from zzreview.i18n import MESSAGES, t
from zzreview.meeting import commands
from zzreview.meeting.session import USER_ERRORS, watch_conflict_copies

if TYPE_CHECKING:
    from zzreview.meeting.view import MeetingView
    from zzreview.storage.repository import Repository
    from zzreview.storage.store import Event
    from zzreview.ui.writer import Writer

WATCH_SECONDS = 0.1
"""How often a seat looks at the database's files for other seats' changes."""

QUIET_KINDS = frozenset({"meeting.follow", "meeting.time"})
"""Changes other seats make that are not worth a notice (the chair moving, the clock)."""

TELL_SECONDS = 2.0
"""Other seats' changes are told at most this often (one notice, the rest counted)."""

NOTICE_EVENTS = 3
"""At most this many changes are named in one notice; the rest are counted."""


Shown = commands.Followed
"""What a seat shows: what the chair publishes and the others follow."""


def seat_word(seat: str, lang: str) -> str:
    key = f"seat.{seat}"
    return t(key, lang) if key in MESSAGES else seat


def event_words(kind: str, lang: str) -> str:
    """What a kind of change is called on screen (`action.add` → 新增交办事项)."""
    key = f"event.{kind}"
    return t(key, lang) if key in MESSAGES else kind


def others_said(events: list[Event], lang: str) -> str:
    """One notice for other seats' changes: who, from which seat, what."""
    told = [e for e in events if e.kind not in QUIET_KINDS]
    if not told:
        return ""
    parts = []
    for event in told[:NOTICE_EVENTS]:
        what = event_words("undo", lang) if event.undoes is not None else event_words(event.kind, lang)
        who = f"{seat_word(event.seat, lang)} {event.who}".strip()
        parts.append(t("notice.other_change", lang, who=who, what=what))
    if len(told) > NOTICE_EVENTS:
        parts.append(t("notice.more_changes", lang, count=len(told) - NOTICE_EVENTS))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


class LiveSeat:
    """Mixed into the app: publishing, timing, watching and following."""

    repo: Repository
    writer: Writer
    view: MeetingView

    following = False
    """Whether this seat follows the chair's screen now (toggled with `f`)."""
    _wanted: Shown | None = None
    _publish_failed = False
    _catching_up = False
    _copies = None
    _telling = False

    def _init_told(self) -> None:
        self._untold: list[Event] = []

    def start_live(self) -> None:
        self._init_told()
        self.following = self.repo.seat != "chair"
        if self.repo.store.path is not None:  # a database in memory has no other seats
            self._copies = watch_conflict_copies(self.repo)
            self.set_interval(WATCH_SECONDS, self._watch, name="watch")  # type: ignore[attr-defined]

    @property
    def _publishing(self) -> bool:
        """Only the chair's seat says what is on screen, and only for an open meeting."""
        return (
            self.repo.seat == "chair"
            and self.repo.writable
            and self.view.meeting.state is not MeetingState.CLOSED
        )

    # -- the chair tells ---------------------------------------------------------------------

    def publish(self, shown: Shown) -> None:
        if self._publishing and shown != self._wanted:
            self._wanted = shown
            self._publish()

    @work(thread=True, group="publish")
    def _publish(self) -> None:
        """Record what is on screen for the other seats, off the UI thread: a key never waits
        on the disk. Publishes run one at a time and each writes the latest wanted, so the last
        one on disk is the one on screen, whatever order the threads run in."""
        with self.writer.lock:
            wanted = self._wanted
            if wanted is None:
                return
            try:
                self.writer.quiet(
                    commands.publish_area,
                    wanted.area,
                    indicator=wanted.indicator,
                    zoom=wanted.zoom,
                    blank=wanted.blank,
                    meeting_id=self.view.meeting.id,
                )
            except USER_ERRORS as error:
                # Said once until a publish goes through again; the next change retries.
                if not self._publish_failed:
                    self._publish_failed = True
                    self._warn_from_thread(t("ui.publish_failed", self.view.lang, problem=str(error)))
            else:
                self._publish_failed = False

    def record_time(self, area: int, seconds: int) -> None:
        if self._publishing:
            self._record_time(area, seconds)

    @work(thread=True, group="timing")
    def _record_time(self, area: int, seconds: int) -> None:
        """The time an area took, recorded off the UI thread by the chair's seat; a failure is
        said as a warning, and the next stop of the timer tries again."""
        with self.writer.lock:
            try:
                self.writer.quiet(commands.record_area_time, area, seconds, meeting_id=self.view.meeting.id)
            except USER_ERRORS as error:
                self._warn_from_thread(t("ui.time_failed", self.view.lang, problem=str(error)))

    def _warn_from_thread(self, text: str) -> None:
        self.call_from_thread(self.notify, text, severity="warning", timeout=8, markup=False)  # type: ignore[attr-defined]

    # -- hearing the others ------------------------------------------------------------------

    def _watch(self) -> None:
        """On the UI thread, every WATCH_SECONDS: a stat of two files, nothing more."""
        if self._copies is not None and self._copies.due():
            self._look_for_copies()
        if self._catching_up:
            return
        try:
            changed = self.repo.store.changed_on_disk()
        except OSError:
            changed = True  # let the worker read it and say what is wrong
        if changed:
            self._catching_up = True
            self._catch_up()

    @work(thread=True, group="watch", exclusive=True)
    def _catch_up(self) -> None:
        try:
            with self.writer.lock:
                try:
                    outside = self.repo.store.catch_up()
                except USER_ERRORS as error:
                    self._warn_from_thread(t("notice.read_failed", self.view.lang, problem=str(error)))
                    return
                events = list(outside.events)
                loud = [e for e in events if e.kind != "meeting.follow"]
                view = self.writer.view_locked() if loud or outside.unusual else None
                followed = self.repo.followed(self.writer.meeting_id)
        finally:
            self.call_from_thread(self._done_catching_up)  # type: ignore[attr-defined]
        self.call_from_thread(self._heard, view, events, followed, outside)  # type: ignore[attr-defined]

    @work(thread=True, group="copies", exclusive=True)
    def _look_for_copies(self) -> None:
        """A sync tool's conflict copy appearing beside the database is said when it appears."""
        try:
            found = self._copies.check()
        except OSError:
            return
        if found is not None:
            self.call_from_thread(  # type: ignore[attr-defined]
                self.notify, found.message, severity="warning", timeout=15, markup=False
            )

    def _done_catching_up(self) -> None:
        self._catching_up = False

    def _heard(self, view: MeetingView | None, events: list[Event], followed: Shown | None, outside) -> None:
        screen = self.meeting_screen
        if screen is None:
            return
        lang = self.view.lang
        if view is not None:
            screen.show_view(view)
        if outside.unusual:
            self.notify(  # type: ignore[attr-defined]
                t("notice.outside", lang, problem=outside.message),
                severity="warning",
                timeout=15,
                markup=False,
            )
        self._tell(events)
        if self.following and followed is not None:
            screen.follow(followed)

    def _tell(self, events: list[Event]) -> None:
        """Other seats' changes in one notice at most every TELL_SECONDS: a seat saving fast
        must not pile notices over the figures (what comes meanwhile is told together next)."""
        self._untold.extend(e for e in events if e.kind not in QUIET_KINDS)
        if not self._untold or self._telling:
            return
        said = others_said(self._untold, self.view.lang)
        self._untold = []
        self.notify(said, timeout=TELL_SECONDS + 1, markup=False)  # type: ignore[attr-defined]
        self._telling = True

        def again() -> None:
            self._telling = False
            self._tell([])

        self.set_timer(TELL_SECONDS, again)  # type: ignore[attr-defined]

    # -- following ---------------------------------------------------------------------------

    @property
    def meeting_screen(self):
        from zzreview.ui.screens.meeting import MeetingScreen

        for screen in reversed(self.screen_stack):  # type: ignore[attr-defined]
            if isinstance(screen, MeetingScreen):
                return screen
        return None

    def toggle_following(self) -> None:
        """`f`: follow the chair again (catching up at once), or stop following."""
        self.following = not self.following
        screen = self.meeting_screen
        if screen is not None:
            screen.show_following()
        if self.following:
            self._follow_now()

    @work(thread=True, group="watch-follow")
    def _follow_now(self) -> None:
        with self.writer.lock:
            self.repo.refresh()
            followed = self.repo.followed(self.writer.meeting_id)
        screen = self.meeting_screen
        if followed is not None and screen is not None:
            self.call_from_thread(screen.follow, followed)  # type: ignore[attr-defined]

    def pause_following(self) -> None:
        """Navigating by hand on a following seat pauses following (until `f`)."""
        if self.following:
            self.following = False
            screen = self.meeting_screen
            if screen is not None:
                screen.show_following()
