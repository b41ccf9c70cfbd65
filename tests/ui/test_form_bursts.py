"""Keys that arrive in one burst (quick typing, an input method's commit, a paste of keys)
land where they would have landed one by one: the text before tab in its field, the text after
it in the next, and ctrl+s saves every character sent before it."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key

from tests.ui.conftest import build_app
from zzreview.meeting import commands
from zzreview.storage.repository import Repository
from zzreview.ui.forms.base import FormScreen
from zzreview.ui.screens.meeting import MeetingScreen

MEETING = "2024-10-31"


def burst(app, *parts: str) -> None:
    """Post every key at once, as the terminal driver hands a read of several keys over."""
    for part in parts:
        if part in ("tab", "shift+tab", "ctrl+s", "enter"):
            character = {"tab": "\t", "enter": "\r"}.get(part)
            app.post_message(events.Key(part, character))
            continue
        for char in part:
            app.post_message(events.Key(_character_to_key(char) if char.isascii() else char, char))


async def test_text_tab_text_ctrl_s_in_one_burst_saves_each_field(repo: Repository) -> None:
    commands.start_meeting(repo, MEETING)
    before = {a.id for a in repo.actions()}
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        burst(app, "实测交办事项一", "tab", "张三", "ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen), "the form saved and closed"
    (new,) = [a for a in repo.actions() if a.id not in before]
    assert (new.text, new.owner) == ("实测交办事项一", "张三")


async def test_shift_tab_in_a_burst_goes_back_a_field(repo: Repository) -> None:
    commands.start_meeting(repo, MEETING)
    app = build_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "a")
        await pilot.pause()
        form = app.screen
        burst(app, "事项", "tab", "李四", "shift+tab", "甲")
        await pilot.pause()
        assert form.query_one("#field-text").value == "事项甲"
        assert form.query_one("#field-owner").value == "李四"
