"""A closed meeting keeps what it saw: figures, actions, the items it reviewed, its rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from zzreview.domain import ActionStatus
from zzreview.meeting import commands
from zzreview.meeting.minutes import minutes_markdown
from zzreview.meeting.session import create_database, demo_in_memory
from zzreview.storage.checks import check_repository
from zzreview.storage.repository import Repository
from zzreview.storage.snapshot import frozen_items, pack_items
from zzreview.storage.store import Store


@pytest.fixture
def repo() -> Repository:
    return demo_in_memory(who="t")


def test_a_corrected_value_reaches_live_figures_but_not_a_closed_meeting(repo: Repository) -> None:
    commands.close_meeting(repo, "2024-10-31", rules="yinchuan")
    commands.record_value(repo, "4.2.2", "700", on=date(2024, 10, 31))  # a correction, after closing
    live = repo.data_points()["4.2.2"]
    frozen = repo.figures(repo.meeting("2024-10-31")).points["4.2.2"]
    assert live[-1].value == 700.0
    assert frozen[-1].value == 410.0
    assert [p.as_of for p in live] == [p.as_of for p in frozen]  # one value per date, latest version


def test_actions_are_frozen_as_they_stood_on_the_meeting_date(repo: Repository) -> None:
    # Recorded today, after 10-31, for the next meeting: not what 10-31 saw.
    commands.set_action_status(repo, "A2", "done", evidence="计划已报送", meeting_id="2024-11-29")
    commands.close_meeting(repo, "2024-10-31", rules="yinchuan")
    frozen = {a.id: a for a in repo.figures(repo.meeting("2024-10-31")).actions}
    assert frozen["A2"].status is ActionStatus.OPEN
    assert "计划已报送" not in minutes_markdown(repo, "2024-10-31", "zh")


def test_what_was_recorded_at_the_meeting_is_frozen_whenever_it_was_typed(repo: Repository) -> None:
    # The 10-31 meeting typed up today (the demo's case, or minutes written up the next
    # morning): its 销号 and progress lines are its own and stay in its frozen minutes.
    commands.set_action_status(repo, "A2", "done", evidence="计划已报送", meeting_id="2024-10-31")
    commands.record_progress(repo, "A1", "清单已形成", meeting_id="2024-10-31")
    commands.close_meeting(repo, "2024-10-31", rules="yinchuan")
    frozen = {a.id: a for a in repo.figures(repo.meeting("2024-10-31")).actions}
    assert frozen["A2"].status is ActionStatus.DONE
    minutes = minutes_markdown(repo, "2024-10-31", "zh")
    assert "计划已报送" in minutes and "清单已形成" in minutes


def test_a_meeting_planned_later_before_it_does_not_change_what_it_reviewed(repo: Repository) -> None:
    commands.close_meeting(repo, "2024-10-31", rules="yinchuan")
    before = minutes_markdown(repo, "2024-10-31", "zh")
    commands.new_meeting(repo, date(2024, 10, 15))
    assert minutes_markdown(repo, "2024-10-31", "zh") == before


def test_the_rules_it_was_judged_by_are_frozen(repo: Repository) -> None:
    commands.close_meeting(repo, "2024-10-31", rules="sanya")
    sanya = minutes_markdown(repo, "2024-10-31", "zh", rules="yinchuan")
    assert "序时进度的50%" in sanya  # the Sanya rule's wording, whatever is asked now


def test_check_reads_the_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    assert check_repository(Repository(Store.open(path))) == []
    data = json.loads(path.read_text(encoding="utf-8"))
    closed = next(k for k, d in data["meetings"].items() if d["state"] == "closed")
    items = frozen_items(data["meetings"][closed]["snapshot"])
    items[0]["status"] = "finished"
    data["meetings"][closed]["snapshot"]["actions"] = pack_items(items)
    data["meetings"][closed]["snapshot"]["values_upto"] = "many"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    problems = check_repository(Repository(Store.open(path)))
    assert any("snapshot.actions[0].status" in p for p in problems)
    assert any("values_upto" in p for p in problems)


def test_the_latest_version_wins_across_checkpoints_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    for value in (100.0, 200.0, 300.0):
        store = Store.open(path)
        commands.record_value(Repository(store), "4.2.2", str(value), on=date(2024, 11, 30))
        if value != 200.0:
            store.checkpoint()
        store.close()
    assert Repository(Store.open(path)).data_points()["4.2.2"][-1].value == 300.0
