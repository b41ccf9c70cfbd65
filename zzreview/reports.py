"""Gathering a meeting's minutes from the repository, for `zzreview export` and the app's preview.

A closed meeting is reported from the snapshot frozen when it closed, so its minutes come out
byte for byte the same however the figures and action items change afterwards; a planned or
running meeting is reported from the live data as of its date.
"""

from __future__ import annotations

from collections.abc import Sequence

from zzreview.analysis import DEFAULT_PRESET, PRESETS, RulePreset, plan_status, preset
from zzreview.domain import ActionItem, Meeting
from zzreview.domain import carried_into as reviewed_items
from zzreview.rendering.minutes import CarriedAction, MinutesInput, render_action_list, render_minutes
from zzreview.storage.repository import Repository

__all__ = ["carried_into", "minutes_input", "minutes_markdown"]


def carried_into(
    meeting: Meeting, meetings: Sequence[Meeting], actions: Sequence[ActionItem]
) -> list[CarriedAction]:
    """The items a meeting reviews (回头看) by the rule, each with the date it was raised."""
    return _with_raise_dates(reviewed_items(meeting, meetings, actions), meetings)


def _with_raise_dates(items: Sequence[ActionItem], meetings: Sequence[Meeting]) -> list[CarriedAction]:
    """Each item with the date of the meeting it was raised at ("carried from")."""
    raised_on = {m.id: m.date for m in meetings}
    return [CarriedAction(item, raised_on.get(item.meeting_id)) for item in items]


def _rules(rules: RulePreset | str | None) -> RulePreset:
    if isinstance(rules, RulePreset):
        return rules
    return preset(rules) if rules else PRESETS[DEFAULT_PRESET]


def minutes_input(
    repo: Repository,
    meeting_id: str | None = None,
    lang: str | None = None,
    *,
    rules: RulePreset | str | None = None,
) -> MinutesInput:
    """Everything the minutes of a meeting show (default: the current meeting).

    Raises RecordError for an unknown meeting id, LookupError when there is no current one.
    """
    plan = repo.plan()
    if meeting_id is None:
        current = repo.current_meeting()
        if current is None:
            raise LookupError("no meeting in progress or planned")
        meeting = current
    else:
        meeting = repo.meeting(meeting_id)
    lang = lang or plan.language
    figures = repo.figures(meeting)
    meetings = repo.meetings()
    return MinutesInput(
        meeting=meeting,
        status=plan_status(plan, figures.points, figures.as_of, _rules(figures.rules or rules)),
        points=figures.points,
        lang=lang,
        carried=tuple(_with_raise_dates(figures.carried(meeting, meetings), meetings)),
        actions=tuple(a for a in figures.actions if a.meeting_id == meeting.id),
        next_meeting=figures.next_meeting,
        notice=repo.notice(lang),
    )


def minutes_markdown(
    repo: Repository,
    meeting_id: str | None = None,
    lang: str | None = None,
    *,
    actions_only: bool = False,
    rules: RulePreset | str | None = None,
) -> str:
    """The minutes of a meeting as Markdown, or with `actions_only` its 交办事项清单 alone."""
    data = minutes_input(repo, meeting_id, lang, rules=rules)
    return render_action_list(data) if actions_only else render_minutes(data)
