"""The agenda put in order (worst light first, timeboxes weighted by light) and the time each
area took.

On the shipped demo at the current meeting (2024-10-31), under the default rules, the areas'
lights are: 5 and 7 off track (5 with a mean gap of −50 pp, 7 with none), 6, 4, 1 and 2 needing
attention (mean gaps about −18.8, −3.6 and +6.4 pp; 2 none), 8 no data, 9 and 10 on track, 3
achieved. Every area's timebox is 8 minutes: 80 in all.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.meeting.conftest import CLOSED, MEETING, recorded, refused
from zzreview.analysis import DEFAULT_PRESET, PRESETS
from zzreview.domain import AgendaItem, State
from zzreview.meeting import commands
from zzreview.meeting.commands import EntryError, split_minutes
from zzreview.meeting.figures import status_at
from zzreview.storage.repository import Repository

RED_FIRST = [5, 7, 6, 4, 1, 2, 8, 9, 10, 3]
PLAN_ORDER = list(range(1, 11))


def areas(agenda) -> list[int]:
    return [item.area_number for item in agenda]


def minutes(agenda) -> list[int]:
    return [item.timebox_minutes for item in agenda]


def set_agenda(repo: Repository, *steps: tuple[int, int]) -> None:
    """Give the current meeting this agenda directly (as another plan, or an older file, might)."""
    agenda = tuple(AgendaItem(area, timebox) for area, timebox in steps)
    repo.update_meeting(MEETING, lambda m: replace(m, agenda=agenda), kind="test", summary="agenda")


def test_the_demo_lights_are_what_these_tests_expect(repo: Repository) -> None:
    status = status_at(repo, repo.meeting(MEETING), DEFAULT_PRESET)
    states = {a.area.number: a.state for a in status.areas}
    assert [n for n, s in states.items() if s is State.OFF_TRACK] == [5, 7]
    assert [n for n, s in states.items() if s is State.ATTENTION] == [1, 2, 4, 6]
    assert (states[8], states[9], states[10], states[3]) == (
        State.NO_DATA,
        State.ON_TRACK,
        State.ON_TRACK,
        State.ACHIEVED,
    )
    assert sum(minutes(repo.meeting(MEETING).agenda)) == 80


# -- order_agenda ------------------------------------------------------------------------------


def test_red_first_puts_the_worst_light_first_then_the_furthest_behind(repo: Repository) -> None:
    result = commands.order_agenda(repo)
    recorded(result, repo, "meeting.agenda")
    assert areas(result.value) == RED_FIRST
    assert minutes(result.value) == [8] * 10  # even: as it was
    assert repo.meeting(MEETING).agenda == result.value


def test_weighted_timeboxes_follow_the_lights_and_keep_the_total(repo: Repository) -> None:
    agenda = commands.order_agenda(repo, weighted=True).value
    assert areas(agenda) == RED_FIRST
    # 80 minutes by 1.5 / 1.2 / 1.0 / 0.8: 10.7, 8.6, 7.1 and 5.7, then the largest remainders.
    assert minutes(agenda) == [11, 11, 9, 8, 8, 8, 7, 6, 6, 6]
    assert sum(minutes(agenda)) == 80


def test_plan_order_and_even_restore_the_agenda(repo: Repository) -> None:
    first = repo.meeting(MEETING).agenda
    commands.order_agenda(repo, weighted=True)
    restored = commands.order_agenda(repo, red_first=False, weighted=False).value
    assert restored == first
    assert areas(restored) == PLAN_ORDER


def test_weighted_in_plan_order(repo: Repository) -> None:
    agenda = commands.order_agenda(repo, red_first=False, weighted=True).value
    assert areas(agenda) == PLAN_ORDER
    by_area = dict(zip(areas(agenda), minutes(agenda), strict=True))
    assert by_area[5] == by_area[7] == 11 and by_area[3] == 6
    assert sum(by_area.values()) == 80


def test_the_same_order_again_records_nothing(repo: Repository) -> None:
    commands.order_agenda(repo, weighted=True)
    events = len(repo.events())
    again = commands.order_agenda(repo, weighted=True)
    assert again.event is None and len(repo.events()) == events
    assert commands.order_agenda(repo, red_first=False).event is not None


def test_undo_takes_the_order_back(repo: Repository) -> None:
    first = repo.meeting(MEETING).agenda
    commands.order_agenda(repo, weighted=True)
    assert commands.undo(repo).value.kind == "meeting.agenda"
    assert repo.meeting(MEETING).agenda == first


def test_the_total_of_any_agenda_is_kept_and_odd_minutes_go_first_to_the_worst(repo: Repository) -> None:
    set_agenda(repo, (3, 5), (5, 7), (9, 10))
    even = commands.order_agenda(repo).value
    assert list(zip(areas(even), minutes(even), strict=True)) == [(5, 8), (9, 7), (3, 7)]
    weighted = commands.order_agenda(repo, weighted=True).value
    # 22 minutes by 1.5 / 0.8 / 0.8: 10.6, 5.7, 5.7.
    assert minutes(weighted) == [10, 6, 6]


def test_an_area_the_plan_no_longer_has_keeps_its_time_at_the_end(repo: Repository) -> None:
    set_agenda(repo, (42, 8), (9, 8), (5, 8))
    agenda = commands.order_agenda(repo).value
    assert areas(agenda) == [5, 9, 42]
    assert sum(minutes(agenda)) == 24


def test_a_meeting_without_an_agenda_gets_every_area(repo: Repository) -> None:
    set_agenda(repo)
    agenda = commands.order_agenda(repo, red_first=False).value
    assert areas(agenda) == PLAN_ORDER and minutes(agenda) == [8] * 10


def test_the_rules_judge_the_lights(repo: Repository) -> None:
    by_name = commands.order_agenda(repo, rules="sanya").value
    commands.undo(repo)
    assert commands.order_agenda(repo, rules=PRESETS["sanya"]).value == by_name


@pytest.mark.parametrize(
    ("field", "args", "kwargs"),
    [
        ("meeting", (CLOSED,), {}),
        ("meeting", ("2030-01-01",), {}),
        ("rules", (), {"rules": "bogus"}),
    ],
)
def test_an_agenda_that_cannot_be_ordered_is_refused(repo: Repository, field: str, args, kwargs) -> None:
    refused(repo, field, commands.order_agenda, *args, **kwargs)


def test_an_agenda_too_short_for_two_minutes_each_is_refused_when_weighted(repo: Repository) -> None:
    set_agenda(repo, (1, 1), (2, 1), (3, 1))
    refused(repo, "agenda", commands.order_agenda, weighted=True)


# -- split_minutes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10, [1, 1, 1], [4, 3, 3]),  # the spare minute to the first on a tie
        (7, [1, 1, 1], [3, 2, 2]),
        (6, [5, 1, 1], [2, 2, 2]),  # the minimum before the weights
        (12, [10, 1, 1], [8, 2, 2]),  # those below the minimum get it; the rest share what is left
        (20, [10, 1, 1, 1], [14, 2, 2, 2]),
        (10, [1, 3], [3, 7]),  # 2.5 and 7.5: the tie to the first
        (11, [1, 3], [3, 8]),  # 2.75 and 8.25
        (10, [0.8, 1.5], [3, 7]),  # 3.48 and 6.52
        (9, [0, 0, 0], [3, 3, 3]),
        (0, [], []),
    ],
)
def test_minutes_are_split_by_largest_remainder(
    total: int, weights: list[float], expected: list[int]
) -> None:
    assert split_minutes(total, weights) == expected


def test_any_split_keeps_the_total_and_the_minimum() -> None:
    weight_sets = [[1.5, 1.2, 0.8, 1.0, 0.8], [1.5] * 7 + [0.8] * 3, [0.8, 1.5, 1.2] * 4, [1.0]]
    for weights in weight_sets:
        for total in range(2 * len(weights), 2 * len(weights) + 90):
            split = split_minutes(total, weights)
            assert sum(split) == total and min(split) >= 2, (total, weights, split)
            heavier = [m for m, w in zip(split, weights, strict=True) if w == max(weights)]
            lighter = [m for m, w in zip(split, weights, strict=True) if w == min(weights)]
            assert min(heavier) >= max(lighter) - 1, (total, weights, split)


def test_a_total_too_small_for_the_minimum_is_an_entry_error() -> None:
    with pytest.raises(EntryError) as caught:
        split_minutes(5, [1, 1, 1])
    assert caught.value.field == "agenda" and "5 minutes" in caught.value.message


# -- record_area_time ---------------------------------------------------------------------------


def test_an_areas_time_is_its_total_not_an_addition(repo: Repository) -> None:
    result = commands.record_area_time(repo, 0, 300)
    recorded(result, repo, "meeting.time")
    assert result.value == 300
    commands.record_area_time(repo, 0, 420)
    commands.record_area_time(repo, "4", "605")
    assert repo.meeting(MEETING).area_seconds == {0: 420, 4: 605}
    assert commands.record_area_time(repo, 5, 61, meeting_id="2024-11-29").value == 61
    assert repo.meeting("2024-11-29").area_seconds == {5: 61}
    assert repo.meeting(MEETING).area_seconds == {0: 420, 4: 605}


def test_the_same_time_again_records_nothing_and_zero_clears(repo: Repository) -> None:
    commands.record_area_time(repo, 4, 600)
    events = len(repo.events())
    assert commands.record_area_time(repo, 4, 600).event is None
    assert commands.record_area_time(repo, 6, 0).event is None  # never timed: nothing to clear
    assert len(repo.events()) == events
    assert commands.record_area_time(repo, 4, 0).event is not None
    assert repo.meeting(MEETING).area_seconds == {}


@pytest.mark.parametrize(
    ("field", "args", "kwargs"),
    [
        ("area", (11, 60), {}),
        ("area", (-1, 60), {}),
        ("area", (None, 60), {}),
        ("area", ("", 60), {}),
        ("area", (True, 60), {}),
        ("area", ("四", 60), {}),
        ("seconds", (4, -1), {}),
        ("seconds", (4, 24 * 60 * 60), {}),
        ("seconds", (4, "abc"), {}),
        ("seconds", (4, 1.5), {}),
        ("seconds", (4, True), {}),
        ("meeting", (4, 60), {"meeting_id": CLOSED}),
        ("meeting", (0, 60), {"meeting_id": "2030-01-01"}),
    ],
)
def test_a_time_that_cannot_be_recorded_is_refused(repo: Repository, field: str, args, kwargs) -> None:
    refused(repo, field, commands.record_area_time, *args, **kwargs)


def test_the_time_is_never_undone_and_never_blocks_undoing_a_record(repo: Repository) -> None:
    note = commands.add_note(repo, 4, "项目开工率偏低").value
    commands.record_area_time(repo, 4, 480)
    undone = commands.undo(repo)
    assert undone.value.kind == "meeting.note"  # the note, past the time recorded after it
    meeting = repo.meeting(MEETING)
    assert note not in meeting.notes
    assert meeting.area_seconds == {4: 480}
    with pytest.raises(EntryError, match="nothing to undo"):
        commands.undo(repo)
    assert repo.meeting(MEETING).area_seconds == {4: 480}


def test_the_chairs_clock_does_not_block_the_secretarys_undo(repo: Repository, chair: Repository) -> None:
    commands.add_decision(repo, "加快项目开工", area=4)
    commands.record_area_time(chair, 4, 480)
    commands.record_area_time(chair, 4, 540)
    commands.undo(repo)
    assert repo.meeting(MEETING).decisions == ()
    assert repo.meeting(MEETING).area_seconds == {4: 540}
