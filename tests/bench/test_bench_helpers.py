"""The benchmarks' pure helpers: the scale generator's history, the pty timing's burst and
clock rules, the full-screen floor's pages. No timing here: the benches measure, these check
that what they measure is what they say.

The bench modules are loaded by path, with a stand-in for bench/common.py: the real one takes
the repository off the import path (the benches time the installed package), which must not
happen inside the test run.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from datetime import date
from pathlib import Path

import pytest
from wcwidth import wcswidth

from zzreview.analysis import DEFAULT_PRESET
from zzreview.domain import ActionItem, DataPoint, Meeting, MeetingState
from zzreview.storage.checks import check_repository
from zzreview.storage.codec import from_doc
from zzreview.storage.repository import Repository
from zzreview.storage.snapshot import freeze, frozen_items
from zzreview.storage.store import Store

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    injected = "common" not in sys.modules
    if injected:
        sys.modules["common"] = types.ModuleType("common")
    try:
        spec.loader.exec_module(module)
    finally:
        if injected:
            del sys.modules["common"]
    return module


make_scale_db = load("make_scale_db")
pty_timing = load("pty_timing")
floor_screen = load("floor_screen")

SMALL = make_scale_db.Shape(
    measures_per_area=2, meetings=40, actions=800, cadence=(4, 3), areas=3, indicators_per_measure=2
)


@pytest.fixture(scope="module")
def small_tables() -> dict:
    return make_scale_db.build_tables(3, shape=SMALL)


def test_a_generated_database_passes_check(small_tables: dict) -> None:
    repo = Repository(Store.memory(small_tables), who="测试", seat="cli")
    assert check_repository(repo) == []


def test_every_closed_meeting_froze_what_freeze_gives_from_every_item(small_tables: dict) -> None:
    """The generator hands `freeze` only the items a meeting could show: the snapshots must be
    those of every item, as the app would freeze them on that day."""
    meetings = sorted(
        (from_doc(Meeting, d, "m") for d in small_tables["meetings"].values()), key=lambda m: m.date
    )
    items = [from_doc(ActionItem, d, "a") for d in small_tables["actions"].values()]
    docs = {d["id"]: d for d in small_tables["meetings"].values()}
    closed = [m for m in meetings if m.state is MeetingState.CLOSED]
    assert len(closed) == SMALL.meetings - 2
    for index, meeting in enumerate(closed):
        then = [*closed[:index], meeting, meetings[index + 1]]
        stored = docs[meeting.id]["snapshot"]
        again = freeze(meeting, then, items, values_upto=stored["values_upto"], rules=DEFAULT_PRESET)
        next_planned = dict(again["next_meeting"], state=MeetingState.PLANNED.value)
        assert stored == again | {"next_meeting": next_planned}, meeting.id


def test_snapshots_hold_a_meetings_items_not_every_item(small_tables: dict) -> None:
    last = max((d for d in small_tables["meetings"].values() if "snapshot" in d), key=lambda d: d["date"])
    shown = len(frozen_items(last["snapshot"]))
    assert 0 < shown < SMALL.actions / 4


def test_values_are_numbered_in_the_order_they_were_reported(small_tables: dict) -> None:
    points = [(int(key), from_doc(DataPoint, doc, "v")) for key, doc in small_tables["values"].items()]
    months = [p.as_of for _, p in sorted(points, key=lambda kp: kp[0])]
    assert months == sorted(months)
    for doc in small_tables["meetings"].values():
        if "snapshot" not in doc:
            continue
        upto, day = doc["snapshot"]["values_upto"], date.fromisoformat(doc["date"])
        seen = [p for key, p in points if key <= upto]
        assert all(p.as_of < day for p in seen)
        # Every value of a month ended 21 days or more before the meeting was reported by then.
        assert all(key <= upto for key, p in points if (day - p.as_of).days > 20)


def test_values_upto_counts_the_documents_reported_by_that_day() -> None:
    reported = [date(2024, 1, 5), date(2024, 1, 5), date(2024, 1, 9)]
    assert make_scale_db.values_upto(reported, date(2024, 1, 4)) == 0
    assert make_scale_db.values_upto(reported, date(2024, 1, 5)) == 2
    assert make_scale_db.values_upto(reported, date(2024, 2, 1)) == 3


def test_double_scale_is_twice_the_scale() -> None:
    one, two = make_scale_db.SHAPES[1], make_scale_db.SHAPES[2]
    assert (one.indicators, one.actions, one.meetings) == (1_000, 10_000, 200)
    assert (two.indicators, two.actions, two.meetings) == (2_000, 20_000, 400)
    days = make_scale_db.meeting_dates(two)
    assert len(set(days)) == len(days) and days == sorted(days)


# -- pty timing -------------------------------------------------------------------------------


def chunks(*stamps: float) -> list:
    return [pty_timing.Chunk(at, b"x") for at in stamps]


def test_a_burst_ends_at_the_last_chunk_less_than_the_gap_after_the_one_before() -> None:
    fed = []
    end, after = pty_timing.burst_end(
        chunks(0.0, 0.010, 0.035, 0.060, 0.200), 1, lambda c: fed.append(c) or False, gap=0.030
    )
    assert (end, after) == (0.060, 4)
    assert [c.at for c in fed] == [0.035, 0.060]


def test_a_clock_tick_in_a_burst_does_not_extend_it() -> None:
    end, after = pty_timing.burst_end(chunks(0.0, 0.020), 0, lambda c: True, gap=0.030)
    assert (end, after) == (0.0, 2)


def test_a_tick_is_a_few_digits_moving() -> None:
    before = ["计时 00:01 / 08:00   14:43", "重点工作1"]
    assert pty_timing.is_tick(before, ["计时 00:02 / 08:00   14:43", "重点工作1"], [0])
    assert pty_timing.is_tick(before, ["计时 00:02 / 08:00   14:44", "重点工作1"], [0])
    assert not pty_timing.is_tick(before, ["计时 00:02 / 08:00   14:43", "重点工作2"], [0, 1])
    assert not pty_timing.is_tick(before, ["计时 00:02 / 08:00 · 14:43", "重点工作1"], [0])
    assert not pty_timing.is_tick(["重点工作1 · 2/11"], ["重点工作2 · 3/11"], [0])
    many = [" ".join(["00:00"] * 8)]
    assert not pty_timing.is_tick(many, [" ".join(["11:11"] * 8)], [0])


def test_keys_by_name_or_as_text() -> None:
    assert pty_timing.key_bytes("ctrl+s") == b"\x13"
    assert pty_timing.key_bytes("1") == b"1"
    assert pty_timing.key_bytes("中") == "中".encode()


# -- the full-screen floor ----------------------------------------------------------------------


def test_a_floor_page_fills_every_cell_and_the_next_changes_every_character() -> None:
    page, following = (floor_screen.page_text(n, 120, 40).split("\n") for n in (4, 5))
    assert len(page) == 40
    assert all(wcswidth(line) == 120 for line in page + following)
    assert page[0].startswith(floor_screen.first_marker(4))
    assert page[-1].endswith(floor_screen.last_marker(4))
    assert any(wcswidth(c) == 2 for c in page[1]) and any(c.isascii() for c in page[1])
    for old, new in zip(page[1:-1], following[1:-1], strict=True):
        assert len(old) == len(new)
        assert all(a != b for a, b in zip(old, new, strict=True))


def test_the_styled_page_is_the_same_text() -> None:
    assert floor_screen.styled_page(3, 120, 40).plain == floor_screen.page_text(3, 120, 40)
