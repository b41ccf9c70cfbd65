"""Command palette providers: jump to any area, indicator or action owner by typing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from zzreview.i18n import t
from zzreview.rendering.names import area_title, indicator_name

if TYPE_CHECKING:
    from zzreview.ui.screens.meeting import MeetingScreen


def _highlight(matcher: Matcher, text: str) -> Content:
    """The text with the matched characters marked, never parsed as markup (an owner may be
    called `x [/] y`)."""
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content


class _MeetingProvider(Provider):
    """A provider whose commands act on the meeting screen underneath the palette."""

    def _meeting_screen(self) -> MeetingScreen | None:
        from zzreview.ui.screens.meeting import MeetingScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MeetingScreen):
                return screen
        return None

    def entries(self, screen: MeetingScreen) -> Iterator[tuple[str, Callable[[], None], str]]:
        """(text, command, help) for each thing this provider offers."""
        raise NotImplementedError

    async def search(self, query: str) -> Hits:
        screen = self._meeting_screen()
        if screen is None or not screen.figures_in():
            return
        matcher = self.matcher(query)
        for text, command, help_text in self.entries(screen):
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlight(matcher, text), command, text=text, help=help_text)

    async def discover(self) -> Hits:
        screen = self._meeting_screen()
        if screen is None or not screen.figures_in():
            return
        for text, command, help_text in self.entries(screen):
            yield DiscoveryHit(Content(text), command, text=text, help=help_text)


class AreaCommands(_MeetingProvider):
    """Go to a focus area."""

    def entries(self, screen: MeetingScreen) -> Iterator[tuple[str, Callable[[], None], str]]:
        lang = screen.view.lang
        for area in screen.view.plan.areas:
            text = t("palette.area", lang, number=area.number, title=area_title(area, lang))
            yield text, (lambda n=area.number: screen.action_go_area(n)), t("palette.area_help", lang)


class IndicatorCommands(_MeetingProvider):
    """Show an indicator's area with that indicator selected."""

    def entries(self, screen: MeetingScreen) -> Iterator[tuple[str, Callable[[], None], str]]:
        lang = screen.view.lang
        for indicator in screen.view.plan.indicators:
            text = t("palette.indicator", lang, id=indicator.id, name=indicator_name(indicator, lang))
            yield (
                text,
                (lambda i=indicator.id: screen.select_indicator(i)),
                t("palette.indicator_help", lang),
            )


class OwnerCommands(_MeetingProvider):
    """Go to the area of an owner's first open action item."""

    def entries(self, screen: MeetingScreen) -> Iterator[tuple[str, Callable[[], None], str]]:
        lang = screen.view.lang
        first_area: dict[str, int] = {}
        counts: Counter[str] = Counter()
        for area_number, items in screen.view.actions_by_area.items():
            for item in items:
                if item.status.is_open and area_number is not None:
                    counts[item.owner] += 1
                    first_area.setdefault(item.owner, area_number)
        for owner in sorted(counts):
            text = t("palette.owner", lang, owner=owner, count=counts[owner])
            yield text, (lambda n=first_area[owner]: screen.action_go_area(n)), t("palette.owner_help", lang)


class RecordCommands(_MeetingProvider):
    """The meeting's own record: attendance, details, a new meeting, the agenda, closing."""

    def entries(self, screen: MeetingScreen) -> Iterator[tuple[str, Callable[[], None], str]]:
        lang = screen.view.lang
        for key, command in (
            ("attendance", screen.action_attendance),
            ("details", screen.action_meeting_details),
            ("red_first", screen.order_red_first),
            ("new_meeting", screen.plan_meeting),
            ("close_meeting", screen.close_this_meeting),
        ):
            yield t(f"palette.{key}", lang), command, t(f"palette.{key}_help", lang)
