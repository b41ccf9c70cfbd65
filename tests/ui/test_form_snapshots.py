"""What the secretary sees while recording: SVG snapshots of each form open over area 4, at
120×40 and the fixed clock, and of the question that starts a planned meeting.

Update after an intended change with
`python -m pytest tests/ui/test_form_snapshots.py --snapshot-update -n0`, and look at the new
SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.ui.conftest import MEETING, build_app
from tests.ui.test_forms import MILESTONE_4_3_2, TARGET_4_2_2, type_text
from zzreview.meeting import commands
from zzreview.storage.repository import Repository
from zzreview.ui.forms.base import FormScreen

SIZE = (120, 40)


@pytest.fixture
def started(repo: Repository) -> Repository:
    """The demo with its meeting in progress, so a form opens without the start question."""
    commands.start_meeting(repo, MEETING)
    return repo


def typing(*steps: str | tuple[str, ...]) -> Callable[[Pilot], Awaitable[None]]:
    """Open a form and type into it: each step is text to type, or a tuple of keys to press.
    Ends with every write done and the cursor steady (no blink), so the picture is the same
    every run."""

    async def run(pilot: Pilot) -> None:
        for step in steps:
            if isinstance(step, tuple):
                await pilot.press(*step)
            else:
                await type_text(pilot, step)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormScreen), pilot.app.screen
        for field in pilot.app.screen.query("Input, TextArea"):
            assert isinstance(field, Input | TextArea)
            field.cursor_blink = False

    return run


def test_start_meeting_question(repo: Repository, snap_compare) -> None:
    assert snap_compare(build_app(repo), press=["4", "a"], terminal_size=SIZE)


def test_action_form_with_a_resolved_due_date(started: Repository, snap_compare) -> None:
    run = typing(("4", "a"), "梳理未开工项目清单", ("tab",), "张三", ("tab", "tab", "tab"), "+2w")
    assert snap_compare(build_app(started), run_before=run, terminal_size=SIZE)


def test_value_form_for_a_target(started: Repository, snap_compare) -> None:
    run = typing(("4", *TARGET_4_2_2, "v"), "455", ("tab", "tab"), "市统计局")
    assert snap_compare(build_app(started), run_before=run, terminal_size=SIZE)


def test_value_form_for_a_milestone(started: Repository, snap_compare) -> None:
    run = typing(("4", *MILESTONE_4_3_2, "v", "right", "tab"), "已进场施工（示例）")
    assert snap_compare(build_app(started), run_before=run, terminal_size=SIZE)


def test_decision_form(started: Repository, snap_compare) -> None:
    run = typing(("4", "d"), "请市发改委牵头，两周内报送清单")
    assert snap_compare(build_app(started), run_before=run, terminal_size=SIZE)


def test_note_form(started: Repository, snap_compare) -> None:
    run = typing(("4", "m"), "观音寺工程招标已挂网")
    assert snap_compare(build_app(started), run_before=run, terminal_size=SIZE)


def test_judgement_form_with_a_disagreement(started: Repository, snap_compare) -> None:
    """Area 4.2's figures say "needs attention"; the chair's "off track" is flagged beside them."""
    run = typing(("4", *TARGET_4_2_2, "j", "tab", "right", "right", "tab"), "年底难以完成")
    assert snap_compare(build_app(started), run_before=run, terminal_size=SIZE)


def test_action_form_with_a_field_error(started: Repository, snap_compare) -> None:
    """Saved with no owner: the message beside the owner field, the text kept, the cursor there."""
    run = typing(("4", "a"), "核查项目清单", ("tab", "tab", "tab", "tab"), "月底", ("ctrl+s",))
    assert snap_compare(build_app(started), run_before=run, terminal_size=SIZE)
