"""The documents of a new database: meta, the plan, and the demo data when asked for.

`plans/` reads the plan and the demo into domain objects; laying them out as tables is the
storage layer's business, so it happens here.
"""

from __future__ import annotations

from typing import Any

from zzreview.domain import MeetingState, Plan
from zzreview.domain.text import clean_line, clean_text
from zzreview.plans.demo import DemoData
from zzreview.storage.codec import to_doc
from zzreview.storage.layout import (
    ACTIONS_TABLE,
    MEETINGS_TABLE,
    META_ID,
    META_TABLE,
    PLAN_TABLE,
    VALUES_TABLE,
)
from zzreview.storage.snapshot import freeze


def initial_tables(
    plan: Plan, demo: DemoData | None, *, plan_source: str, rules: str
) -> dict[str, dict[str, Any]]:
    """The tables of a new database for `plan`, with `demo`'s values, meetings and items;
    the demo's closed meetings are frozen as judged by the preset `rules`."""
    meta: dict[str, Any] = {
        "plan_id": plan.id,
        "plan_source": clean_line(plan_source),
        "illustrative": demo is not None,
    }
    if demo is not None:
        meta["notice"] = clean_text(demo.notice)
        meta["notice_en"] = clean_text(demo.notice_en)
    tables: dict[str, dict[str, Any]] = {META_TABLE: {META_ID: meta}, PLAN_TABLE: {"1": to_doc(plan)}}
    if demo is None:
        return tables
    tables[VALUES_TABLE] = {str(i): to_doc(p) for i, p in enumerate(demo.points, start=1)}
    tables[ACTIONS_TABLE] = {str(i): to_doc(a) for i, a in enumerate(demo.actions, start=1)}
    meetings = {}
    for i, meeting in enumerate(demo.meetings, start=1):
        doc = to_doc(meeting)
        if meeting.state is MeetingState.CLOSED:
            # The demo's closed meetings were closed with every demo value already reported.
            doc["snapshot"] = freeze(
                meeting, demo.meetings, demo.actions, values_upto=len(demo.points), rules=rules
            )
        meetings[str(i)] = doc
    tables[MEETINGS_TABLE] = meetings
    return tables
