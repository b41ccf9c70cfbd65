"""The minutes of a meeting (会议纪要) as Markdown: CommonMark with GFM tables.

Pure text out of a `MinutesInput`: no storage, no Textual and no wall clock, so the same input
always gives the same bytes. The structure follows the Chinese 会议纪要 convention: a header
(who, where, when), 一、回头看 of earlier action items, 二、progress by focus area, 三、decisions,
四、the action-item list, 五、the next meeting, and a sign-off line. Where the meeting's timer
recorded any time, each agenda step says how long it took against its timebox, and the header
the total; where progress lines were recorded at the meeting, the 回头看 table shows them.

Anything a person typed is escaped so it reads back exactly as typed: every table cell and
paragraph parses to the source text, no table ever gains or loses a column, and the only raw
HTML in the output is the `<br>` that carries a line break inside a table cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from zzreview.analysis import AreaStatus, IndicatorStatus, PlanStatus, judgement_differs, measure_state
from zzreview.domain import (
    ActionChange,
    ActionItem,
    ActionStatus,
    Attendee,
    ChangeKind,
    DataPoint,
    Direction,
    IndicatorKind,
    Judgement,
    Measure,
    Meeting,
    MeetingState,
    NoteKind,
    Plan,
    Presence,
    State,
)
from zzreview.i18n import changed_fields, format_number, format_percent, format_points, state_word, t
from zzreview.rendering.names import (
    area_title,
    indicator_name,
    indicator_unit,
    measure_title,
    plan_title,
    state_label,
    value_with_unit,
)

__all__ = [
    "CHART_HEIGHT",
    "CHART_WIDTH",
    "CarriedAction",
    "MinutesInput",
    "escape_cell",
    "escape_paragraph",
    "render_action_list",
    "render_minutes",
]

CHART_WIDTH = 72
"""Cells per line of a chart in the minutes: fits an A4 page in a monospace font."""
CHART_HEIGHT = 14
"""Lines per chart in the minutes."""

_AS_OF_GLYPH = "┊"

_ACTION_MARKS = {
    ActionStatus.DONE: "✓",
    ActionStatus.IN_PROGRESS: "●",
    ActionStatus.OPEN: "○",
    ActionStatus.DROPPED: "✗",
}


@dataclass(frozen=True)
class CarriedAction:
    """An action item reviewed at this meeting (回头看), as it stands now."""

    item: ActionItem
    raised_on: date | None
    """The date of the meeting it was raised at ("carried from")."""


@dataclass(frozen=True)
class MinutesInput:
    """Everything the minutes of one meeting show, gathered by the caller."""

    meeting: Meeting
    status: PlanStatus
    """The plan's status at the meeting's date (frozen figures for a closed meeting)."""
    points: Mapping[str, Sequence[DataPoint]]
    """The data points the status was computed from, by indicator id (for the charts)."""
    lang: str
    carried: tuple[CarriedAction, ...] = ()
    """Items raised at earlier meetings and reviewed at this one, oldest first."""
    actions: tuple[ActionItem, ...] = ()
    """Items raised at this meeting: the 交办事项清单."""
    next_meeting: Meeting | None = None
    notice: str = ""
    """The illustrative-data notice; empty for real figures."""
    charts: bool = True
    """Draw target indicators' charts as fenced text blocks."""
    charts_per_area: int = 12
    """At most this many charts per area: those furthest behind when an area has more."""
    chart_tables: bool = False
    """Give each chart as a table of its months (value, 序时进度, target) instead of text:
    for a Word document, where a text chart does not survive."""
    timeboxes: Mapping[int, int] = field(default_factory=dict)
    """Planned minutes of each agenda step by area number (0 = 回头看), as the meeting's timer
    counted them; a step without one is shown with its time alone."""

    @property
    def plan(self) -> Plan:
        return self.status.plan


# -- safe text -----------------------------------------------------------------------------

# Backslash-escaped wherever they appear: emphasis, code, links, HTML, entities, tables,
# strikethrough, math and headings could all start from one of these.
_ALWAYS_ESCAPED = frozenset("\\`*_[]<>&|~$#")
# Block markers that matter only where a line of a paragraph starts: bullets, setext
# underlines and thematic breaks, and an ordered-list number followed by a space.
_LINE_START_ESCAPED = frozenset("-+=")
_ORDERED_MARKER = re.compile(r"(\d+)[.)](?=\s|$)")


def _escape_line(line: str, *, starts_block: bool) -> str:
    """One line of typed text as inline Markdown that renders exactly as typed.

    `starts_block` says the line begins a line of a paragraph, where block markers count.
    """
    core = line.lstrip()
    lead = line[: len(line) - len(core)]
    stripped = core.rstrip()
    trail = core[len(stripped) :]
    ordered = _ORDERED_MARKER.match(stripped) if starts_block and not lead else None
    marker_at = ordered.end(1) if ordered else -1
    out = []
    for index, char in enumerate(stripped):
        if (
            char in _ALWAYS_ESCAPED
            or index == marker_at
            or (index == 0 and starts_block and not lead and char in _LINE_START_ESCAPED)
        ):
            out.append("\\" + char)
        else:
            out.append(char)
    # Leading and trailing whitespace would be trimmed (or turn into a code block or a hard
    # break); as character references they survive as the very same characters, and a line
    # that starts with one can start no block.
    return _entities(lead) + "".join(out) + _entities(trail)


def _entities(whitespace: str) -> str:
    return "".join(f"&#{ord(char)};" for char in whitespace)


def escape_cell(text: str) -> str:
    """Typed text for a GFM table cell: escaped, with line breaks as `<br>`."""
    return "<br>".join(_escape_line(line, starts_block=False) for line in text.split("\n"))


def escape_paragraph(text: str, indent: str = "") -> str:
    """Typed text as a paragraph (or list item body): escaped, line breaks kept as hard breaks.

    Continuation lines start with `indent`, so the text stays inside a list item.
    """
    lines = [_escape_line(line, starts_block=True) for line in text.split("\n")]
    if len(lines) > 1 and lines[-1] == "":
        if len(lines) == 2 and lines[0] == "":
            # A lone line break: a `<br>` alone on a line would be an HTML block.
            return "&#10;"
        # A hard break cannot end a paragraph; the final empty line is carried by a `<br>`.
        return f"\\\n{indent}".join(lines[:-1]) + "<br>"
    return f"\\\n{indent}".join(lines)


def escape_inline(text: str) -> str:
    """Typed text within a line (a heading, a label's value); line breaks become spaces."""
    return _escape_line(" ".join(text.split("\n")), starts_block=False)


# -- small pieces --------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """A GFM table from already-escaped cells; columns in `right` are right-aligned."""
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|")
    for row in rows:
        assert len(row) == len(headers), "a table row must have the header's cell count"
        lines.append("| " + " | ".join(cell if cell else " " for cell in row) + " |")
    return lines


def long_date(day: date, lang: str) -> str:
    return t("minutes.date", lang, year=day.year, month=day.month, day=day.day, iso=day.isoformat())


def _date_cell(day: date | None, lang: str) -> str:
    """A date in a table, as the prose writes it (2024年10月20日); "—" for none."""
    return long_date(day, lang) if day else "—"


def _day_in_year(day: date, year: int, lang: str) -> str:
    """A date within the meeting's year without the year (10月12日), any other in full."""
    if day.year != year:
        return long_date(day, lang)
    return t("minutes.month_day", lang, month=day.month, day=day.day, iso=day.isoformat())


def _dash(text: str) -> str:
    return text if text else "—"


def _duration(seconds: int, lang: str) -> str:
    """A span of time as the minutes say it: 6分12秒, 8分钟, 1小时5分 / 6 min 12 s, 8 min."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(t("minutes.duration.hours", lang, n=hours))
    if minutes:
        key = "minutes.duration.minutes_and" if secs else "minutes.duration.minutes"
        parts.append(t(key, lang, n=minutes))
    if secs or not parts:
        parts.append(t("minutes.duration.seconds", lang, n=secs))
    return ("" if lang == "zh" else " ").join(parts)


def _timed(data: MinutesInput) -> bool:
    """Whether the meeting's timer recorded any time at all."""
    return any(seconds > 0 for seconds in data.meeting.area_seconds.values())


def _time_taken(data: MinutesInput, step: int) -> list[str]:
    """The line under an agenda step's heading: its time against its timebox ([] if untimed)."""
    if not _timed(data):
        return []
    lang = data.lang
    seconds = data.meeting.area_seconds.get(step, 0)
    planned = data.timeboxes.get(step)
    key = "minutes.time_taken" if seconds > 0 else "minutes.not_timed"
    if planned is None:
        key += "_unplanned"
    taken = _duration(seconds, lang)
    return [t(key, lang, taken=taken, planned=_duration((planned or 0) * 60, lang)), ""]


def _total_time(data: MinutesInput) -> list[tuple[str, str]]:
    """The header's fact of the meeting's total time against the plan ([] if untimed)."""
    if not _timed(data):
        return []
    lang = data.lang
    taken = _duration(sum(s for s in data.meeting.area_seconds.values() if s > 0), lang)
    planned = sum(data.timeboxes.values())
    if planned:
        value = t("minutes.total_time_value", lang, taken=taken, planned=_duration(planned * 60, lang))
    else:
        value = t("minutes.total_time_unplanned", lang, taken=taken)
    return [(t("minutes.total_time", lang), value)]


def _action_state(item: ActionItem, as_of: date, lang: str) -> str:
    word = f"{_ACTION_MARKS[item.status]} {t('action.' + item.status.value, lang)}"
    if item.is_overdue(as_of):
        word += (
            "（" + t("minutes.overdue", lang) + "）" if lang == "zh" else f" ({t('minutes.overdue', lang)})"
        )
    return word


def _lines_at(item: ActionItem, meeting_id: str) -> list[ActionChange]:
    """The entries of an item's history recorded at this meeting that carry a line of text: a
    progress line, the evidence of 销号, the reason for dropping it."""
    return [c for c in item.history if c.meeting_id == meeting_id and c.evidence.strip()]


_PROGRESS_WORDS = {
    ActionStatus.DONE: "minutes.progress.done",
    ActionStatus.DROPPED: "minutes.progress.dropped",
    ActionStatus.OPEN: "minutes.progress.reset",
}


def _latest_change(item: ActionItem, lang: str, year: int, shown: Sequence[ActionChange] = ()) -> str:
    """How the item stands since it was raised (落实情况), as an office writes it: 已于10月12日
    启动，正在办理 / 已于10月31日办结：evidence — an escaped cell. Dates in `year` (the meeting's)
    go without the year.

    Lines in `shown` have a column of their own: a progress entry among them is passed over,
    and a status change among them is given without its line, so no line is said twice.
    """
    changes = [
        c
        for c in item.history
        if c.kind is not ChangeKind.RAISED and not (c.kind is ChangeKind.PROGRESS and c in shown)
    ]
    if not changes:
        return "—"
    last = changes[-1]
    try:
        when = _day_in_year(date.fromisoformat(last.at[:10]), year, lang)
    except ValueError:
        when = last.at[:10]
    evidence = last.evidence if last not in shown else ""
    if last.kind is ChangeKind.PROGRESS:
        words, evidence = t("minutes.progress.line", lang, when=when, evidence=last.evidence), ""
    elif last.kind is ChangeKind.EDITED:
        words = t("minutes.progress.edited", lang, when=when, fields=changed_fields(last, lang))
    elif last.after is ActionStatus.IN_PROGRESS:
        reopened = last.before in (ActionStatus.DONE, ActionStatus.DROPPED)
        words = t("minutes.progress.reopened" if reopened else "minutes.progress.started", lang, when=when)
    elif last.after in _PROGRESS_WORDS:
        words = t(_PROGRESS_WORDS[last.after], lang, when=when)
    else:
        words = when
    if lang == "en":
        words = words[:1].upper() + words[1:]
    if evidence:
        return t("minutes.change_evidence", lang, change=escape_cell(words), evidence=escape_cell(evidence))
    return escape_cell(words)


def _lines_cell(lines: Sequence[ActionChange]) -> str:
    """This meeting's lines on an item as one escaped cell, one line under the other."""
    return "<br>".join(escape_cell(change.evidence) for change in lines) or "—"


def _measure_label(plan: Plan, measure_id: str, area_number: int | None, lang: str) -> str:
    measures = {m.id: m for m in plan.measures}
    if measure_id in measures:
        return escape_cell(f"{measure_id} {measure_title(measures[measure_id], lang)}")
    if measure_id:
        return escape_cell(measure_id)
    if area_number is not None:
        return escape_cell(t("ui.area", lang, number=area_number))
    return "—"


# -- sections ------------------------------------------------------------------------------


def _header(data: MinutesInput, title_key: str) -> list[str]:
    lang, meeting = data.lang, data.meeting
    lines = ["# " + t(title_key, lang, title=escape_inline(meeting.title)), ""]
    if meeting.number:
        # A line of its own: escaped as a paragraph, so "1." or "- 3" typed reads as typed.
        lines += [escape_paragraph(t("minutes.issue_number", lang, number=meeting.number)), ""]
    if data.notice:
        lines += ["> ⚠ " + escape_inline(data.notice), ""]
    if meeting.state is not MeetingState.CLOSED:
        lines += ["> " + t("minutes.draft", lang, date=long_date(meeting.date, lang)), ""]
    return lines


def _attendance(attendees: Sequence[Attendee], lang: str) -> list[tuple[str, str]]:
    separator = t("minutes.list_separator", lang)
    groups: list[tuple[str, str]] = []
    for presence, key in (
        (Presence.PRESENT, "minutes.present"),
        (Presence.DEPUTISED, "minutes.deputised"),
        (Presence.ABSENT, "minutes.absent"),
        (Presence.OBSERVING, "minutes.observing"),
    ):
        people = [a for a in attendees if a.presence is presence]
        if not people:
            continue
        names = []
        for person in people:
            name = escape_inline(person.name)
            if person.unit and person.unit not in person.name:
                name += (
                    f"（{escape_inline(person.unit)}）"
                    if lang == "zh"
                    else f" ({escape_inline(person.unit)})"
                )
            if presence is Presence.DEPUTISED and person.deputy:
                name = t("minutes.deputy", lang, name=name, deputy=escape_inline(person.deputy))
            names.append(name)
        groups.append((t(key, lang), separator.join(names)))
    return groups


def _facts(data: MinutesInput) -> list[str]:
    lang, meeting = data.lang, data.meeting
    colon = "：" if lang == "zh" else ": "
    facts = [(t("minutes.time", lang), long_date(meeting.date, lang))]
    if meeting.place:
        facts.append((t("minutes.place", lang), escape_inline(meeting.place)))
    if meeting.chair:
        facts.append((t("minutes.chair", lang), escape_inline(meeting.chair)))
    if meeting.secretary:
        facts.append((t("minutes.secretary", lang), escape_inline(meeting.secretary)))
    facts += _attendance(meeting.attendees, lang)
    facts += _total_time(data)
    return [f"- {label}{colon}{value}" for label, value in facts] + [""]


def _intro(data: MinutesInput) -> list[str]:
    lang, meeting = data.lang, data.meeting
    where = t("minutes.where", lang, place=escape_inline(meeting.place)) if meeting.place else ""
    values = {
        "date": long_date(meeting.date, lang),
        "where": where,
        "title": escape_inline(meeting.title),
        "plan": escape_inline(plan_title(data.plan, lang)),
    }
    if meeting.chair:
        text = t("minutes.intro_chair", lang, chair=escape_inline(meeting.chair), **values)
    else:
        text = t("minutes.intro", lang, **values)
    return [text, "", *_marked_notes(data)]


MARKED_NOTES = (NoteKind.NOTED, NoteKind.STRESSED, NoteKind.REQUIRED)
"""The notes the minutes set out after the introduction, in this order: what the meeting
pointed out, stressed and required (会议指出 / 会议强调 / 会议要求)."""


def _marked_notes(data: MinutesInput) -> list[str]:
    """A paragraph for each note marked as the meeting's own words, 会议指出，… first."""
    lang, lines = data.lang, []
    for kind in MARKED_NOTES:
        word = t(f"note.kind.{kind.value}", lang)
        for note in data.meeting.notes:
            if note.kind is kind:
                text = note.text.strip()
                # Typed with its own lead-in (会议强调，…): said once.
                said = text if text.startswith(word) else t("minutes.marked_note", lang, kind=word, text=text)
                lines += [escape_paragraph(said), ""]
    return lines


def _carried_section(data: MinutesInput) -> list[str]:
    lang, as_of = data.lang, data.meeting.date
    lines = ["## " + t("minutes.section.carried", lang), ""]
    if data.carried or data.meeting.area_seconds.get(0, 0) > 0:
        lines += _time_taken(data, 0)
    if not data.carried:
        return [*lines, t("minutes.carried_none", lang), ""]
    items = [c.item for c in data.carried]
    separator = "、" if lang == "zh" else ", "
    parts = [
        t("minutes.carried_part", lang, word=t(f"action.{status.value}", lang), count=count)
        for status in (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.OPEN, ActionStatus.DROPPED)
        if (count := sum(1 for i in items if i.status is status))
    ]
    overdue = sum(1 for i in items if i.is_overdue(as_of))
    lines += [
        t(
            "minutes.carried_summary",
            lang,
            count=len(items),
            parts=separator.join(parts),
            overdue=t("minutes.carried_overdue", lang, count=overdue) if overdue else "",
        ),
        "",
    ]
    headers = [
        t("minutes.col.number", lang),
        t("col.id", lang),
        t("col.text", lang),
        t("col.owner", lang),
        t("col.lead_unit", lang),
        t("col.due", lang),
        t("minutes.col.carried_from", lang),
        t("minutes.col.progress", lang),
        t("minutes.col.latest", lang),
    ]
    lines_here = [_lines_at(c.item, data.meeting.id) for c in data.carried]
    # The column of this meeting's lines appears once any was recorded: minutes of a meeting
    # that recorded none read as they always have.
    with_lines = any(lines_here)
    if with_lines:
        headers.append(t("minutes.col.this_meeting", lang))
    rows = []
    for number, (carried, here) in enumerate(zip(data.carried, lines_here, strict=True), start=1):
        item = carried.item
        row = [
            str(number),
            escape_cell(item.id),
            escape_cell(item.text),
            escape_cell(item.owner),
            escape_cell(_dash(item.lead_unit)),
            _date_cell(item.due, lang),
            _date_cell(carried.raised_on, lang) if carried.raised_on else escape_cell(item.meeting_id),
            _action_state(item, as_of, lang),
            _latest_change(item, lang, as_of.year, here),
        ]
        if with_lines:
            row.append(_lines_cell(here))
        rows.append(row)
    return [*lines, *_table(headers, rows, right=(0,)), ""]


def _rule_line(status: PlanStatus, lang: str) -> str:
    rules = status.rules
    if rules.basis == "points":
        red = format_number(rules.red_below, lang).replace("-", "−")
        return t("minutes.rule_points", lang, red=red)
    return t("minutes.rule_ratio", lang, red=format_number(rules.red_below * 100, lang))


_OVERVIEW_STATES = (
    State.ACHIEVED,
    State.ON_TRACK,
    State.ATTENTION,
    State.OFF_TRACK,
    State.NOT_STARTED,
    State.NO_DATA,
)


def _overview(areas: Sequence[AreaStatus], lang: str) -> list[str]:
    headers = [
        t("minutes.col.area", lang),
        t("col.status", lang),
        *(f"{s.mark} {state_word(s.value, lang)}" for s in _OVERVIEW_STATES),
    ]
    rows = [
        [
            escape_cell(t("minutes.area_short", lang, number=a.area.number, title=area_title(a.area, lang))),
            state_label(a, lang),
            *(str(a.counts.get(s, 0)) for s in _OVERVIEW_STATES),
        ]
        for a in areas
    ]
    right = tuple(range(2, len(headers)))
    return ["**" + t("minutes.overview", lang) + "**", "", *_table(headers, rows, right=right), ""]


def _indicator_label(status: IndicatorStatus, lang: str) -> str:
    return escape_cell(f"{status.indicator.id} {indicator_name(status.indicator, lang)}")


def _targets_table(targets: Sequence[IndicatorStatus], lang: str) -> list[str]:
    headers = [
        t("col.indicator", lang),
        t("col.target", lang),
        t("col.current", lang),
        t("col.completion", lang),
        t("col.expected", lang),
        t("col.gap", lang),
        t("col.status", lang),
    ]
    rows = []
    for status in targets:
        ind = status.indicator
        horizon = t(f"horizon.{ind.horizon.value}", lang)
        target = value_with_unit(ind.target, ind, lang)
        target += f"（{horizon}）" if lang == "zh" else f" ({horizon})"
        current = value_with_unit(status.current, ind, lang)
        if status.current_date is not None and status.current_date != status.as_of:
            day = long_date(status.current_date, lang)
            current += f"（{day}）" if lang == "zh" else f" ({day})"
        rows.append(
            [
                _indicator_label(status, lang),
                escape_cell(target),
                escape_cell(current),
                format_percent(status.completion),
                format_percent(status.expected),
                format_points(status.gap, lang),
                state_label(status, lang),
            ]
        )
    return ["**" + t("minutes.targets", lang) + "**", "", *_table(headers, rows, right=(1, 2, 3, 4, 5)), ""]


def _run_rate_verb(status: IndicatorStatus, lang: str) -> str:
    ind = status.indicator
    if ind.direction is Direction.LOWER:
        return t("minutes.verb.lower", lang)
    if ind.accumulation.value == "cumulative":
        return t("minutes.verb.cumulative", lang)
    return t("minutes.verb.higher", lang)


def _attention_lines(targets: Sequence[IndicatorStatus], lang: str) -> list[str]:
    """A sentence for each target indicator that is behind, stale or unreported."""
    lines = []
    end = t("minutes.sentence_end", lang)
    for status in targets:
        ind = status.indicator
        name = f"{ind.id} {indicator_name(ind, lang)}"
        if status.current is None and status.state is State.NO_DATA:
            text = t("minutes.no_figures", lang, name=name)
        elif status.stale:
            day = long_date(status.current_date, lang) if status.current_date else "—"
            text = t("minutes.stale", lang, name=name, date=day)
        elif status.state in (State.ATTENTION, State.OFF_TRACK):
            text = t(
                "minutes.behind",
                lang,
                name=name,
                completion=format_percent(status.completion),
                expected=format_percent(status.expected),
                gap=format_points(status.gap, lang),
            )
            if status.required_per_month is not None and status.required_per_month > 0:
                amount = value_with_unit(status.required_per_month, ind, lang, estimate=True)
                text += t("minutes.run_rate", lang, verb=_run_rate_verb(status, lang), amount=amount)
            if status.forecast is not None and status.forecast_completion is not None:
                text += t(
                    "minutes.forecast",
                    lang,
                    value=value_with_unit(status.forecast, ind, lang, estimate=True),
                    completion=format_percent(status.forecast_completion),
                )
        else:
            continue
        lines.append(f"- {state_label(status, lang)} {escape_inline(text)}{end}")
    return [*lines, ""] if lines else []


def _fence(body: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def _charted(area: AreaStatus, limit: int) -> tuple[list[IndicatorStatus], int]:
    """The target indicators to chart, in plan order, and how many with figures are left out.

    An area with more than `limit` of them (a plan far larger than a city's) gets charts for
    those furthest behind: the minutes stay readable and quick to make at any size.
    """
    with_figures = [
        s for s in area.statuses if s.indicator.kind is IndicatorKind.TARGET and s.current is not None
    ]
    if len(with_figures) <= limit:
        return with_figures, 0
    chosen = {id(s) for s in [s for s in area.behind if s.current is not None][:limit]}
    return [s for s in with_figures if id(s) in chosen], len(with_figures) - limit


def _charts(area: AreaStatus, data: MinutesInput) -> list[str]:
    # Imported here: only minutes with charts need the charts (and plotext); the meeting
    # layer imports this module for CarriedAction alone.
    from zzreview.rendering.charts import SERIES_GLYPHS, chart_data, legend_items, render_chart

    lang = data.lang
    targets, left_out = _charted(area, max(0, data.charts_per_area))
    lines: list[str] = []
    if left_out:
        lines += [t("minutes.charts_left_out", lang, limit=len(targets), count=left_out), ""]
    if data.chart_tables:
        return lines + [line for status in targets for line in _month_table(status, data)]
    glyph_words = [(SERIES_GLYPHS[key], word) for key, word in legend_items(lang)]
    glyph_words.append((_AS_OF_GLYPH, t("minutes.legend_as_of", lang)))
    legend = t(
        "minutes.legend",
        lang,
        items=t("minutes.legend_separator", lang).join(
            f"{escape_inline(glyph)} {escape_inline(word)}" for glyph, word in glyph_words
        ),
    )
    for status in targets:
        ind = status.indicator
        unit = indicator_unit(ind, lang)
        caption_key = "minutes.chart" if unit else "minutes.chart_no_unit"
        caption = t(caption_key, lang, id=ind.id, name=indicator_name(ind, lang), unit=unit)
        chart = render_chart(
            chart_data(ind, data.points.get(ind.id, ()), status.as_of), CHART_WIDTH, CHART_HEIGHT, lang=lang
        )
        fence = _fence(chart)
        lines += [escape_inline(caption), "", f"{fence}text", chart, fence, "", legend, ""]
    return lines


def _month_table(status: IndicatorStatus, data: MinutesInput) -> list[str]:
    """A target indicator's chart as a table: each month's value beside 序时进度 and the target."""
    from zzreview.rendering.charts import chart_data, monthly_rows

    lang, ind = data.lang, status.indicator
    unit = indicator_unit(ind, lang)
    caption_key = "minutes.month_table" if unit else "minutes.month_table_no_unit"
    caption = t(caption_key, lang, id=ind.id, name=indicator_name(ind, lang), unit=unit)
    rows = monthly_rows(chart_data(ind, data.points.get(ind.id, ()), status.as_of))
    if not rows:
        return []
    headers = [
        t("minutes.col.month", lang),
        t("chart.actual", lang),
        t("chart.expected", lang),
        t("chart.target", lang),
    ]

    def number(value: float | None) -> str:
        return format_number(value, lang, scale_words=False)

    body = [
        [
            _month(row.month, status.as_of.year, lang),
            number(row.actual),
            number(row.expected),
            number(ind.target),
        ]
        for row in rows
    ]
    return [escape_inline(caption), "", *_table([h.capitalize() for h in headers], body, right=(1, 2, 3)), ""]


def _month(month: date, year: int, lang: str) -> str:
    if lang != "zh":
        return f"{month.year}-{month.month:02d}"
    return f"{month.month}月" if month.year == year else f"{month.year}年{month.month}月"


def _milestones(statuses: Sequence[IndicatorStatus], lang: str) -> list[str]:
    if not statuses:
        return []
    headers = [
        t("minutes.col.milestone", lang),
        t("col.due", lang),
        t("minutes.col.reported", lang),
        t("col.status", lang),
        t("minutes.col.latest_report", lang),
    ]
    rows = [
        [
            _indicator_label(s, lang),
            _date_cell(s.indicator.due, lang),
            t(f"milestone.{s.milestone_state.value}", lang) if s.milestone_state else "—",
            state_label(s, lang),
            escape_cell(_dash(s.evidence)),
        ]
        for s in statuses
    ]
    return ["**" + t("minutes.milestones", lang) + "**", "", *_table(headers, rows), ""]


def _qualitative(statuses: Sequence[IndicatorStatus], lang: str) -> list[str]:
    if not statuses:
        return []
    reported = [s for s in statuses if s.reason == "assessed" or s.evidence]
    unreported = [s for s in statuses if s not in reported]
    lines = ["**" + t("minutes.qualitative", lang) + "**", ""]
    if reported:
        headers = [t("minutes.col.qualitative", lang), t("col.status", lang), t("minutes.col.evidence", lang)]
        rows = [
            [
                _indicator_label(s, lang),
                state_label(s, lang)
                if s.reason == "assessed"
                else f"{s.state.mark} {t('minutes.not_assessed', lang)}",
                escape_cell(_dash(s.evidence)),
            ]
            for s in reported
        ]
        lines += [*_table(headers, rows), ""]
    if unreported:
        separator = t("minutes.item_separator", lang)
        names = separator.join(f"{s.indicator.id} {indicator_name(s.indicator, lang)}" for s in unreported)
        lines += [
            f"{State.NO_DATA.mark} "
            + t("minutes.unreported", lang, count=len(unreported), items=escape_inline(names)),
            "",
        ]
    return lines


def _judgements(
    judgements: Sequence[Judgement], area: AreaStatus, measures: Mapping[str, Measure], lang: str
) -> list[str]:
    if not judgements:
        return []
    headers = [
        t("minutes.col.qualitative", lang),
        t("minutes.col.judgement", lang),
        t("minutes.col.computed", lang),
        t("minutes.col.remarks", lang),
    ]
    rows = []
    for judgement in judgements:
        measure = measures[judgement.measure_id]
        computed = measure_state(area.statuses, measure.id)
        computed_text = f"{computed.mark} {state_word(computed.value, lang)}"
        if judgement_differs(judgement, area.statuses):
            computed_text += " " + t("minutes.differs", lang)
        rows.append(
            [
                escape_cell(f"{measure.id} {measure_title(measure, lang)}"),
                t(f"minutes.verdict.{judgement.verdict.value}", lang),
                computed_text,
                escape_cell(_dash(judgement.text)),
            ]
        )
    return ["**" + t("minutes.judgements", lang) + "**", "", *_table(headers, rows), ""]


def _notes(texts: Sequence[str], lang: str) -> list[str]:
    if not texts:
        return []
    lines = ["**" + t("minutes.notes", lang) + "**", ""]
    lines += [f"- {escape_paragraph(text, indent='  ')}" for text in texts]
    return [*lines, ""]


def _area_order(data: MinutesInput) -> list[AreaStatus]:
    by_number = {a.area.number: a for a in data.status.areas}
    agenda = [item.area_number for item in data.meeting.agenda if item.area_number in by_number]
    numbers = list(dict.fromkeys(agenda)) or list(by_number)
    return [by_number[n] for n in numbers]


def _progress_section(data: MinutesInput) -> list[str]:
    lang = data.lang
    areas = _area_order(data)
    lines = [
        "## " + t("minutes.section.progress", lang),
        "",
        t("minutes.area_as_of", lang, date=long_date(data.status.as_of, lang))
        + ("" if lang == "zh" else " ")
        + _rule_line(data.status, lang),
        "",
        *_overview(areas, lang),
    ]
    measures = {m.id: m for m in data.plan.measures}
    for area in areas:
        number = area.area.number
        title = t(
            "minutes.area",
            lang,
            number=number,
            title=area_title(area.area, lang),
            state=state_label(area, lang),
        )
        lines += ["### " + escape_inline(title), ""]
        lines += _time_taken(data, number)
        by_kind: dict[IndicatorKind, list[IndicatorStatus]] = {kind: [] for kind in IndicatorKind}
        for status in area.statuses:
            by_kind[status.indicator.kind].append(status)
        targets = by_kind[IndicatorKind.TARGET]
        if targets:
            lines += _targets_table(targets, lang)
            lines += _attention_lines(targets, lang)
            if data.charts:
                lines += _charts(area, data)
        lines += _milestones(by_kind[IndicatorKind.MILESTONE], lang)
        lines += _qualitative(by_kind[IndicatorKind.QUALITATIVE], lang)
        area_measures = {m.id for m in area.area.measures}
        judgements = [j for j in data.meeting.judgements if j.measure_id in area_measures]
        lines += _judgements(judgements, area, measures, lang)
        notes = [n.text for n in data.meeting.notes if n.area_number == number and n.kind is NoteKind.NOTE]
        lines += _notes(notes, lang)
    return lines


def _decisions_section(data: MinutesInput) -> list[str]:
    lang = data.lang
    lines = ["## " + t("minutes.section.decisions", lang), ""]
    if not data.meeting.decisions:
        return [*lines, t("minutes.decisions_none", lang), ""]
    for number, decision in enumerate(data.meeting.decisions, start=1):
        marker = f"{number}. "
        lines.append(marker + escape_paragraph(decision.text, indent=" " * len(marker)))
    return [*lines, ""]


def _actions_table(data: MinutesInput) -> list[str]:
    lang = data.lang
    if not data.actions:
        return [t("minutes.actions_none", lang), ""]
    headers = [
        t("minutes.col.number", lang),
        t("col.id", lang),
        t("col.text", lang),
        t("col.owner", lang),
        t("col.lead_unit", lang),
        t("col.supporting_units", lang),
        t("col.due", lang),
        t("minutes.col.measure", lang),
    ]
    separator = "、" if lang == "zh" else "; "
    rows = [
        [
            str(number),
            escape_cell(item.id),
            escape_cell(item.text),
            escape_cell(item.owner),
            escape_cell(_dash(item.lead_unit)),
            separator.join(escape_cell(unit) for unit in item.supporting_units) or "—",
            _date_cell(item.due, lang),
            _measure_label(data.plan, item.measure_id, item.area_number, lang),
        ]
        for number, item in enumerate(data.actions, start=1)
    ]
    return [*_table(headers, rows, right=(0,)), "", t("minutes.actions_count", lang, count=len(rows)), ""]


def _next_section(data: MinutesInput) -> list[str]:
    lang, following = data.lang, data.next_meeting
    lines = ["## " + t("minutes.section.next", lang), ""]
    if following is None:
        return [*lines, t("minutes.next_none", lang), ""]
    where = t("minutes.where", lang, place=escape_inline(following.place)) if following.place else ""
    return [*lines, t("minutes.next", lang, date=long_date(following.date, lang), where=where), ""]


def _sign_off(data: MinutesInput) -> list[str]:
    secretary = escape_inline(data.meeting.secretary) if data.meeting.secretary else "＿＿＿＿＿＿"
    return ["---", "", t("minutes.sign_off", data.lang, secretary=secretary), "", *_imprint(data)]


def _imprint(data: MinutesInput) -> list[str]:
    """The minutes' 版记: who they are sent to (分送), and who issued them on what day (印发),
    where the meeting's details say."""
    lang, meeting = data.lang, data.meeting
    lines = []
    # Each a paragraph of its own, escaped as one (the zh 印发 line begins with what was typed).
    if meeting.distribution:
        lines += [escape_paragraph(t("minutes.distribution", lang, names=meeting.distribution)), ""]
    if meeting.issuer:
        issued = t("minutes.issued", lang, issuer=meeting.issuer, date=long_date(meeting.date, lang))
        lines += [escape_paragraph(issued), ""]
    return lines


def _join(lines: Sequence[str]) -> str:
    text = "\n".join(lines)
    return text.rstrip("\n") + "\n"


def render_minutes(data: MinutesInput) -> str:
    """The minutes of a meeting as Markdown; the same input always gives the same text."""
    lines = [
        *_header(data, "minutes.title"),
        *_intro(data),
        *_facts(data),
        *_carried_section(data),
        *_progress_section(data),
        *_decisions_section(data),
        "## " + t("minutes.section.actions", data.lang),
        "",
        *_actions_table(data),
        *_next_section(data),
        *_sign_off(data),
    ]
    return _join(lines)


def render_action_list(data: MinutesInput) -> str:
    """The meeting's action-item list (交办事项清单) on its own, as Markdown."""
    lang = data.lang
    lines = [
        *_header(data, "minutes.actions_title"),
        t("minutes.meeting_date", lang, date=long_date(data.meeting.date, lang)),
        "",
        *_actions_table(data),
    ]
    return _join(lines)
