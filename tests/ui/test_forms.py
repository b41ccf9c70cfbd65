"""The forms, typed into through the real keys: what each one saves, what a bad entry shows and
keeps, leaving with esc, a save the disk refuses, undo on this seat only, text that looks like
markup or escapes, and a closed meeting that records nothing.

Each test looks where a person would: at the screen (`screen_text`), at the message beside a
field, at the notices, and at what the repository holds afterwards.
"""

from __future__ import annotations

import errno
import itertools
import re
import threading
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import Digits, Input, RadioSet, Static, TextArea

from tests.rendering.test_minutes import Parsed, assert_well_formed, table_with
from tests.storage.storage_support import InjectedFaults
from tests.ui.conftest import MEETING, build_app
from tests.ui.test_keys import screen_text
from tests.ui.test_live import until
from zzreview.domain import ActionStatus, MeetingState, NoteKind, Verdict
from zzreview.meeting import commands
from zzreview.meeting.minutes import minutes_markdown
from zzreview.meeting.session import Seat, create_database
from zzreview.storage.repository import Repository
from zzreview.ui.app import ReviewApp
from zzreview.ui.forms.base import FormScreen
from zzreview.ui.forms.confirm import ConfirmScreen
from zzreview.ui.screens.meeting import MeetingScreen

SIZE = (120, 40)
TALL = (120, 70)
"""Tall enough for the area's panels to show every record a test makes."""

# Area 4's table lists its targets, then its milestones, then its qualitative measures.
TARGET_4_2_2 = ("down",)
MILESTONE_4_3_2 = ("down",) * 3
QUALITATIVE_4_1_1 = ("down",) * 9


# -- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def started(repo: Repository) -> Repository:
    """The demo with its 2024-10-31 meeting in progress, started by the chair before the app opened."""
    commands.start_meeting(repo, MEETING)
    return repo


async def settle(pilot: Pilot) -> None:
    """Every write in flight done, and what it changed on screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_form(pilot: Pilot, *keys: str) -> FormScreen:
    """Press `keys` on the meeting screen; the form they open. A run of the same key (the
    downs to an indicator) goes in one burst, as a held key repeats."""
    for key, run in itertools.groupby(keys):
        repeated = list(run)
        if len(repeated) > 1:
            await press_at_once(pilot, *repeated)
        else:
            await pilot.press(key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, FormScreen), f"{keys} opened {form!r}, not a form"
    return form


def key_event(key: str) -> events.Key:
    """The terminal's event for `key`: a key name as Pilot names it ("backspace", "down"), or
    one character, named as the terminal's driver names it (Pilot cannot name some, such as
    、，（）🚀)."""
    if len(key) == 1:
        return events.Key(_character_to_key(key), key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = None
    return events.Key(key, char)


async def press_at_once(pilot: Pilot, *keys: str) -> None:
    """Press `keys` in one burst, as a terminal sends what is typed quickly (or an input method
    commits, or a held key repeats), then wait for the screen: Pilot's `press` waits for the
    screen after every key. Only for text typed into one field, or a run of one key: a key a
    binding handles (backspace, tab, the arrows) reaches its binding after the characters
    behind it reach the field, and a key that moves the focus or opens a screen must land
    before the next is pressed, so those go through `press`."""
    for key in keys:
        pilot.app.post_message(key_event(key))
    await pilot.pause()  # the app has handed every key on to the focused widget,
    await pilot.pause()  # which has taken them all


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text`, one key event per character, in one burst."""
    await press_at_once(pilot, *text)


async def save(pilot: Pilot, key: str = "ctrl+s") -> None:
    await pilot.press(key)
    await settle(pilot)


def meeting_screen(app: ReviewApp) -> MeetingScreen:
    return next(s for s in app.screen_stack if isinstance(s, MeetingScreen))


def shown_area(app: ReviewApp) -> int | None:
    """The area the meeting screen shows, under whatever is on top of it."""
    screen = meeting_screen(app)
    area = screen.on_area()
    return area if area is None else screen.area_view.area_number


def field_shows(form: FormScreen, name: str) -> str:
    """The text a field holds as drawn: an input's value, a text area's text, the chosen label."""
    widget = form.query_one(f"#field-{name}")
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, RadioSet):
        return next((str(b.label) for b in widget.query("RadioButton") if b.value), "")
    assert isinstance(widget, Input)
    return widget.value


def error_beside(form: FormScreen, name: str) -> str:
    """The message shown beside a field (laid out on screen, not merely set); "" when none is."""
    widget = form.query_one(f"#error-{name}", Static)
    shown = widget.has_class("-shown") and widget.display and widget.region.height > 0
    return str(widget.content) if shown else ""


def shown_errors(form: FormScreen) -> dict[str, str]:
    return {
        widget.id.removeprefix("error-"): str(widget.content)
        for widget in form.query(".form-error")
        if isinstance(widget, Static) and widget.id and widget.has_class("-shown")
    }


def notices(app: ReviewApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def on_screen(app: ReviewApp, text: str) -> bool:
    return any(text in line for line in screen_text(app).splitlines())


def points_of(repo: Repository, indicator_id: str, day: date = date(2024, 10, 31)) -> list:
    """The values recorded for an indicator as of `day` (the latest version of each)."""
    return [p for p in repo.data_points().get(indicator_id, []) if p.as_of == day]


async def add_action(pilot: Pilot, text: str, owner: str = "张三") -> None:
    """The action form on the area on screen, filled with `text` and `owner`, saved."""
    await open_form(pilot, "a")
    await type_text(pilot, text)
    await pilot.press("tab")
    await type_text(pilot, owner)
    await save(pilot)
    assert isinstance(pilot.app.screen, MeetingScreen), shown_errors(pilot.app.screen)


async def record(pilot: Pilot, key: str, text: str, *, typed: bool = True) -> None:
    """Open the form `key` (a, d or m) on the area on screen, type `text` in it (and an owner), save.
    With `typed` false the text arrives whole, as a paste does."""
    if key == "a":
        await add_action(pilot, text)
        return
    form = await open_form(pilot, key)
    if typed:
        await type_text(pilot, text)
    else:
        form.query_one("#field-text", TextArea).insert(text)
    await save(pilot)
    assert isinstance(pilot.app.screen, MeetingScreen), shown_errors(pilot.app.screen)


# -- the first record at a planned meeting ---------------------------------------------------


async def test_the_first_record_at_a_planned_meeting_asks_to_start_it(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "a")
        assert isinstance(app.screen, ConfirmScreen)
        assert on_screen(app, "本次会议尚未开始")
        await pilot.press("n")  # no: nothing starts, and the n did not walk on either
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4
        assert repo.meeting(MEETING).state is MeetingState.PLANNED
        assert "meeting.start" not in [e.kind for e in repo.events()]

        await pilot.press("a", "y")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert repo.meeting(MEETING).state is MeetingState.IN_PROGRESS
        assert "会议已开始" in notices(app)
        assert "进行中" in str(meeting_screen(app).query_one("#state-banner", Static).content)


async def test_keys_typed_on_after_the_start_question_is_answered_are_no_second_answer(
    repo: Repository,
) -> None:
    # A secretary who presses `a` and types the item straight away: the first character
    # answers the question (no), the rest arrive while it is going and must answer nothing.
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "a")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        for character in "梳理测试":
            question.post_message(events.Key(character, character))
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4
        assert repo.meeting(MEETING).state is MeetingState.PLANNED


async def test_escape_pressed_twice_on_an_untouched_form_closes_only_the_form(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.action_cancel()  # escape, and escape again before the form has gone
        form.action_cancel()
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4


# -- each form saves what was typed --------------------------------------------------------


async def test_the_action_form_saves_every_field_with_the_due_date_counted_from_the_meeting(
    started: Repository,
) -> None:
    before = {a.id for a in started.actions()}
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "a")
        for text in ("梳理未开工项目清单", "张三", "市发改委", "市财政局、市自然资源和规划局"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await type_text(pilot, "+2w")
        # Resolved under the field while it is typed, from the meeting's date (a Thursday).
        assert on_screen(app, "→ 2024-11-14（周四）")
        assert {a.id for a in started.actions()} == before
        assert field_shows(form, "measure") == "4.2"  # the selected indicator's measure
        await pilot.press("enter")  # to the measure, the last line field
        assert isinstance(app.screen, FormScreen)
        await save(pilot, "enter")  # enter there saves

        assert isinstance(app.screen, MeetingScreen)
        (new,) = [a for a in started.actions() if a.id not in before]
        assert (new.text, new.owner, new.lead_unit) == ("梳理未开工项目清单", "张三", "市发改委")
        assert new.supporting_units == ("市财政局", "市自然资源和规划局")
        assert new.due == date(2024, 11, 14)
        assert (new.measure_id, new.area_number, new.meeting_id) == ("4.2", 4, MEETING)
        assert new.status is ActionStatus.OPEN
        assert on_screen(app, "梳理未开工项目清单")
        assert any(line for line in screen_text(app).splitlines() if "张三" in line and "2024-11-14" in line)
        assert notices(app)[-1] == f"已保存：新增交办事项 {new.id}"


async def test_the_value_form_records_a_number_and_the_figures_follow(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", *TARGET_4_2_2, "v")
        assert on_screen(app, "4.2.2 新增工业投资") and on_screen(app, "当前 410亿元")
        await type_text(pilot, "455")
        assert on_screen(app, "→ 455亿元")
        assert field_shows(form, "date") == MEETING
        await pilot.press("enter", "enter")
        await type_text(pilot, "市统计局")
        await save(pilot, "enter")

        assert isinstance(app.screen, MeetingScreen)
        (point,) = points_of(started, "4.2.2")
        assert (point.value, point.source, point.entered_by) == (455.0, "市统计局", "测试员")
        row = next(line for line in screen_text(app).splitlines() if "4.2.2 新增工业投资" in line)
        assert "455亿元" in row and "60%" in row
        digits = [d.value for d in app.screen.query(Digits)]
        assert "455" in digits and "60%" in digits


async def test_a_form_closes_onto_the_figures_it_saved_never_the_old_ones(
    started: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No frame shows the meeting screen with the figures from before the save: the form's
    save rebuilds the view before the form closes, and the screen shows both in one repaint."""
    painted: list[bool] = []  # each repaint of the meeting screen with no form over it: new figures?
    repaint = MeetingScreen._compositor_refresh

    def noted(screen: MeetingScreen) -> None:
        if screen.app.screen is screen and saved.is_set():
            painted.append(screen.view is not before)
        repaint(screen)

    monkeypatch.setattr(MeetingScreen, "_compositor_refresh", noted)
    saved = threading.Event()
    real = commands.record_value

    def recording(*args, **kwargs):
        recorded = real(*args, **kwargs)
        saved.set()
        return recorded

    monkeypatch.setattr(commands, "record_value", recording)
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "4", *TARGET_4_2_2, "v")
        before = meeting_screen(app).view
        await type_text(pilot, "455")
        await save(pilot)
        assert isinstance(app.screen, MeetingScreen) and painted and all(painted), painted
        row = next(line for line in screen_text(app).splitlines() if "4.2.2 新增工业投资" in line)
        assert "455亿元" in row


async def test_the_value_form_records_a_milestones_state_and_evidence(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", *MILESTONE_4_3_2, "v")
        assert field_shows(form, "state") == "未开工"
        await pilot.press("right")
        assert field_shows(form, "state") == "推进中"
        await pilot.press("tab")
        await type_text(pilot, "已进场施工（示例）")
        await save(pilot)

        assert isinstance(app.screen, MeetingScreen)
        (point,) = points_of(started, "4.3.2")
        assert (point.state, point.evidence) == ("in_progress", "已进场施工（示例）")
        row = next(line for line in screen_text(app).splitlines() if "4.3.2 观音寺调蓄工程开工建设" in line)
        assert "推进中" in row and "未开工" not in row


async def test_the_value_form_records_a_qualitative_measures_evidence(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", *QUALITATIVE_4_1_1, "v")
        assert on_screen(app, "4.1.1")
        assert field_shows(form, "state") == "不评估"
        await pilot.press("tab")
        await type_text(pilot, "已储备项目12个并上报（示例）")
        await save(pilot)

        assert isinstance(app.screen, MeetingScreen)
        (point,) = points_of(started, "4.1.1")
        assert (point.evidence, point.state) == ("已储备项目12个并上报（示例）", "")
        panel = str(app.screen.area_view.query_one("#milestone-list", Static).content)
        assert "已储备项目12个并上报（示例）" in panel


async def test_the_decision_form_saves_the_decision_under_the_area(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "d")
        assert field_shows(form, "area") == "4"
        await type_text(pilot, "请市发改委牵头，两周内报送清单")
        await save(pilot)

        assert isinstance(app.screen, MeetingScreen)
        (decision,) = started.meeting(MEETING).decisions
        assert (decision.text, decision.area_number) == ("请市发改委牵头，两周内报送清单", 4)
        assert on_screen(app, "请市发改委牵头，两周内报送清单")


async def test_the_note_form_saves_a_note_under_the_area_signed_by_this_seat(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "4", "m")
        assert on_screen(app, "新增记录 · 重点工作4")
        await type_text(pilot, "观音寺工程招标已挂网")
        await pilot.press("enter")
        await type_text(pilot, "第二行")
        await save(pilot)

        assert isinstance(app.screen, MeetingScreen)
        (note,) = started.meeting(MEETING).notes
        assert (note.text, note.area_number, note.author) == ("观音寺工程招标已挂网\n第二行", 4, "测试员")
        assert on_screen(app, "观音寺工程招标已挂网")


async def test_a_note_can_be_marked_as_what_the_meeting_stressed(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "m")
        await type_text(pilot, "要倒排工期")
        assert field_shows(form, "kind") == "记录"
        await pilot.press("tab", "right", "right")
        assert field_shows(form, "kind") == "会议强调"
        await save(pilot)

        assert isinstance(app.screen, MeetingScreen)
        (note,) = started.meeting(MEETING).notes
        assert (note.text, note.kind) == ("要倒排工期", NoteKind.STRESSED)
        assert on_screen(app, "·会议强调：要倒排工期")


async def test_the_judgement_form_flags_a_verdict_that_disagrees_with_the_light(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", *TARGET_4_2_2, "j")
        assert field_shows(form, "measure") == "4.2"

        def measure_line() -> str:
            return str(form.query_one("#hint-measure", Static).content)

        # The figures give 4.2 "needs attention"; "on track" (the first choice) disagrees.
        assert field_shows(form, "verdict") == "正常"
        assert "测算：▲ 需关注" in measure_line() and "与测算不一致" in measure_line()
        await pilot.press("tab", "right")
        assert field_shows(form, "verdict") == "有风险"
        assert "与测算不一致" not in measure_line()
        await pilot.press("right")
        assert field_shows(form, "verdict") == "落后" and "与测算不一致" in measure_line()
        await pilot.press("tab")
        await type_text(pilot, "主持人认为年底难以完成")
        await save(pilot, "enter")

        assert isinstance(app.screen, MeetingScreen)
        (judgement,) = started.meeting(MEETING).judgements
        assert (judgement.measure_id, judgement.verdict, judgement.text) == (
            "4.2",
            Verdict.OFF_TRACK,
            "主持人认为年底难以完成",
        )
        panel = str(app.screen.area_view.query_one("#milestone-list", Static).content)
        line = next(line for line in panel.splitlines() if line.startswith("4.2 "))
        assert "落后" in line and "与测算不一致" in line and "主持人认为年底难以完成" in line


# -- typing in a form types --------------------------------------------------------------------

NAVIGATION_KEYS = "np o 1 0 4 9 . ? q z t e f a v d m j"
"""The meeting's own keys — next, previous, overview, the areas, blank, help, quit, … — as text."""


@pytest.mark.parametrize(
    ("keys", "first_field"),
    [
        (("a",), "text"),  # a line field
        (("d",), "text"),  # a text area (the note form's is the same widget)
        ((*TARGET_4_2_2, "v"), "value"),
    ],
)
async def test_the_meetings_keys_type_in_a_form_and_never_walk(
    started: Repository, keys: tuple[str, ...], first_field: str
) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", *keys)
        held = field_shows(form, first_field)
        await press_at_once(pilot, *NAVIGATION_KEYS)
        await settle(pilot)
        assert app.screen is form
        assert field_shows(form, first_field) == held + NAVIGATION_KEYS
        assert shown_area(app) == 4
        assert "重点工作4" in str(meeting_screen(app).query_one("#position", Static).content)
        await pilot.press("escape", "y")
        assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4


async def test_the_items_added_at_this_meeting_show_in_the_order_they_were_raised(
    started: Repository,
) -> None:
    app = build_app(started)
    async with app.run_test(size=TALL) as pilot:
        await pilot.press("4")
        for text in ("第一件事项", "第二件事项", "第三件事项"):
            await add_action(pilot, text)
        raised = [a.id for a in started.actions() if a.meeting_id == MEETING]
        assert raised == ["A9", "A10", "A11"]
        lines = screen_text(app).splitlines()
        shown = [
            next(i for i, line in enumerate(lines) if re.search(rf"(?<![A-Z0-9]){ident}(?!\d)", line))
            for ident in raised
        ]
        assert shown in (sorted(shown), sorted(shown, reverse=True)), dict(zip(raised, shown, strict=True))


# -- a bad entry: the message beside the field, everything kept, nothing saved ------------------


@pytest.mark.parametrize(
    ("bad_field", "typed"),
    [
        ("owner", {"text": "核查项目清单 n 1", "owner": "", "due": "+1w"}),
        ("due", {"text": "核查项目清单 n 1", "owner": "张三", "due": "2024-13-45"}),
        ("measure", {"text": "核查项目清单 n 1", "owner": "张三", "due": "月底", "measure": "9.9"}),
        ("measure", {"text": "核查项目清单", "owner": "张三", "measure": "5.1"}),  # another area's
    ],
)
async def test_a_bad_action_entry_is_named_beside_its_field_and_loses_nothing(
    started: Repository, bad_field: str, typed: dict[str, str]
) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "a")
        for name in ("text", "owner", "lead_unit", "supporting", "due", "measure"):
            if name in typed:
                await press_at_once(pilot, *["backspace"] * len(field_shows(form, name)))
                await type_text(pilot, typed[name])
            await pilot.press("tab")
        expected = {name: typed.get(name, field_shows(form, name)) for name in form.values()}
        events_before, actions_before = len(started.events()), started.actions()
        await save(pilot)

        assert app.screen is form
        assert list(shown_errors(form)) == [bad_field]
        message = error_beside(form, bad_field)
        assert message.startswith("✗ ") and on_screen(app, message[:24])
        assert app.focused is form.query_one(f"#field-{bad_field}")
        assert {name: field_shows(form, name) for name in form.values()} == expected
        assert len(started.events()) == events_before and started.actions() == actions_before


@pytest.mark.parametrize(
    ("bad_field", "indicator", "value", "date_typed"),
    [
        ("value", TARGET_4_2_2, "45x", None),
        ("value", TARGET_4_2_2, "", None),
        ("date", TARGET_4_2_2, "455", "2024-13-45"),
        ("state", QUALITATIVE_4_1_1, None, None),  # neither an assessment nor evidence
    ],
)
async def test_a_bad_value_entry_is_named_beside_its_field_and_loses_nothing(
    started: Repository, bad_field: str, indicator: tuple[str, ...], value: str | None, date_typed: str | None
) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", *indicator, "v")
        if value is not None:
            await type_text(pilot, value)
        await pilot.press("tab")
        if "evidence" in form.values():
            await pilot.press("tab")
        if date_typed is not None:
            await press_at_once(pilot, *["backspace"] * len(MEETING))
            await type_text(pilot, date_typed)
        await pilot.press("tab")
        await type_text(pilot, "市统计局")
        expected = {name: field_shows(form, name) for name in form.values()}
        points_before, events_before = started.data_points(), len(started.events())
        await save(pilot)

        assert app.screen is form
        assert list(shown_errors(form)) == [bad_field]
        message = error_beside(form, bad_field)
        assert message.startswith("✗ ") and on_screen(app, message[:24])
        assert {name: field_shows(form, name) for name in form.values()} == expected
        assert field_shows(form, "source") == "市统计局"
        assert started.data_points() == points_before and len(started.events()) == events_before


async def test_a_milestone_always_has_a_state_to_save(started: Repository) -> None:
    """The milestone's state is a row of choices with one always chosen, so "no state" cannot be
    typed: the arrows move the choice round, and pressing the chosen one again keeps it."""
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", *MILESTONE_4_3_2, "v")
        seen = []
        for _ in range(4):
            seen.append(field_shows(form, "state"))
            await pilot.press("right")
        assert seen == ["未开工", "推进中", "已完成", "滞后"]
        assert field_shows(form, "state") == "未开工"
        await pilot.press("space", "enter")
        assert field_shows(form, "state") == "未开工"


async def test_a_decision_with_no_text_is_refused_beside_the_text(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "d")
        await type_text(pilot, "   ")
        await pilot.press("tab")
        await pilot.press("backspace")
        await type_text(pilot, "12")
        await save(pilot)
        assert app.screen is form
        assert list(shown_errors(form)) == ["text"]
        assert field_shows(form, "text") == "   " and field_shows(form, "area") == "12"
        assert started.meeting(MEETING).decisions == ()


# -- leaving with esc --------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [("a",), ("j",), (*TARGET_4_2_2, "v")])
async def test_esc_on_an_untouched_form_closes_it_at_once(started: Repository, keys: tuple[str, ...]) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "4", *keys)
        events_before = len(started.events())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4
    assert len(started.events()) == events_before


async def test_esc_with_text_typed_asks_and_any_key_but_y_keeps_it(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "a")
        await type_text(pilot, "未保存的事项")
        await pilot.press("tab")
        await type_text(pilot, "李四")
        for other_key in ("n", "escape", "enter", "space", "q"):
            await pilot.press("escape")
            assert isinstance(app.screen, ConfirmScreen) and on_screen(app, "放弃已输入的内容")
            await pilot.press(other_key)
            assert app.screen is form, other_key
            assert (field_shows(form, "text"), field_shows(form, "owner")) == ("未保存的事项", "李四")
        events_before = len(started.events())

        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4
        assert len(started.events()) == events_before
        assert "未保存的事项" not in [a.text for a in started.actions()]


async def test_esc_while_the_save_is_under_way_neither_asks_nor_loses_the_save(
    started: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save cannot be called back once it is on its way (another seat may hold the lock
    for seconds): esc then does nothing, and the form closes on the save with the item shown."""
    gate = threading.Event()
    calls = []
    real = commands.add_action

    def waiting_for_the_lock(*args, **kwargs):
        calls.append(args)
        assert gate.wait(timeout=10), "the test never let the save through"
        return real(*args, **kwargs)

    monkeypatch.setattr(commands, "add_action", waiting_for_the_lock)
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "a")
        await type_text(pilot, "慢盘上的事项")
        await pilot.press("tab")
        await type_text(pilot, "张三")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: on_screen(app, "正在保存"), "a save held up says it is saving")
        await pilot.press("ctrl+s", "escape")  # a second save, and leaving: neither happens
        assert app.screen is form and field_shows(form, "text") == "慢盘上的事项"
        assert on_screen(app, "正在保存")
        gate.set()
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert len(calls) == 1
        assert [a.text for a in started.actions()].count("慢盘上的事项") == 1
        assert on_screen(app, "慢盘上的事项")


async def test_a_save_ends_as_saved_even_when_the_form_closes_before_its_thread_returns(
    started: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine the form can be gone before its save's thread has returned: the save
    still ends as done, not as called off with the form (which a test waiting on every write,
    or anything told when a save ends, would take for a lost save)."""
    app = build_app(started)
    real = type(app).call_from_thread
    forms: list[FormScreen] = []

    def slow_to_return(self, callback, *args, **kwargs):
        answer = real(self, callback, *args, **kwargs)
        closed = threading.Event()
        while forms and forms[0].is_attached and not closed.wait(0.01):
            pass  # the thread returns only after the form it answered for has gone
        return answer

    saves = []
    run_worker = FormScreen.run_worker

    def kept(self, *args, **kwargs):
        saves.append(run_worker(self, *args, **kwargs))
        return saves[-1]

    monkeypatch.setattr(type(app), "call_from_thread", slow_to_return)
    monkeypatch.setattr(FormScreen, "run_worker", kept)
    async with app.run_test(size=SIZE) as pilot:
        forms.append(await open_form(pilot, "4", "a"))
        await type_text(pilot, "线程慢回的事项")
        await pilot.press("tab")
        await type_text(pilot, "张三")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not forms[0].is_attached, "the form closes on its save")
        await settle(pilot)
        assert [w.state.name for w in saves] == ["SUCCESS"]
        assert [a.text for a in started.actions()].count("线程慢回的事项") == 1
        assert on_screen(app, "线程慢回的事项")


# -- a save the disk refuses ---------------------------------------------------------------------


@pytest.fixture
def on_disk(tmp_path: Path) -> Iterator[Repository]:
    """The demo in a database file, its meeting in progress, opened as the chair's seat."""
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    seat = Seat(path, seat="chair", who="李主任")
    commands.start_meeting(seat.repo(), MEETING)
    yield seat.repo()
    seat.close()


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
async def test_a_save_the_disk_refuses_keeps_the_form_with_the_error_and_every_field(
    on_disk: Repository, tmp_path: Path, error: int
) -> None:
    app = build_app(on_disk)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "a")
        for typed, tabs in (("磁盘满时交办的事项", 1), ("张三", 1), ("市发改委", 2), ("+2w", 0)):
            await type_text(pilot, typed)
            await pilot.press(*["tab"] * tabs)
        typed = {name: field_shows(form, name) for name in form.values()}
        events_before = len(on_disk.events())
        with InjectedFaults(tmp_path, fail_at=1, error=error, persistent=True) as faults:
            await save(pilot)
        assert faults.calls, "the save never reached the disk"

        assert app.screen is form
        problem = str(form.query_one("#form-problem", Static).content)
        assert "nothing was saved" in problem and "review.json" in problem
        assert on_screen(app, problem[:30])
        assert {name: field_shows(form, name) for name in form.values()} == typed
        on_disk.refresh()
        assert len(on_disk.events()) == events_before
        assert "磁盘满时交办的事项" not in [a.text for a in on_disk.actions()]

        await save(pilot)  # the disk is back: the same form saves, once
        assert isinstance(app.screen, MeetingScreen)
        assert [a.text for a in on_disk.actions()].count("磁盘满时交办的事项") == 1


async def test_a_value_the_disk_refuses_keeps_the_value_form(on_disk: Repository, tmp_path: Path) -> None:
    app = build_app(on_disk)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", *TARGET_4_2_2, "v")
        await type_text(pilot, "455")
        await pilot.press("tab", "tab")
        await type_text(pilot, "市统计局")
        points_before = on_disk.data_points()
        with InjectedFaults(tmp_path, fail_at=1, error=errno.ENOSPC, persistent=True):
            await save(pilot)
        assert app.screen is form
        assert "nothing was saved" in str(form.query_one("#form-problem", Static).content)
        assert (field_shows(form, "value"), field_shows(form, "source")) == ("455", "市统计局")
        on_disk.refresh()
        assert on_disk.data_points() == points_before


# -- undo ----------------------------------------------------------------------------------------


async def test_ctrl_z_takes_back_the_action_just_added_and_says_so(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await add_action(pilot, "马上撤销的事项")
        assert on_screen(app, "马上撤销的事项")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "马上撤销的事项" not in [a.text for a in started.actions()]
        assert not on_screen(app, "马上撤销的事项")
        assert notices(app)[-1] == "已撤销：新增交办事项"


async def test_ctrl_z_twice_in_a_row_takes_back_two_changes(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await add_action(pilot, "先加的事项")
        await record(pilot, "m", "后记的一条")
        assert len(started.meeting(MEETING).notes) == 1
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        assert started.meeting(MEETING).notes == ()
        assert "先加的事项" not in [a.text for a in started.actions()]
        assert [e.kind for e in started.events()].count("undo") == 2
        assert len([n for n in notices(app) if n.startswith("已撤销")]) == 2
        assert not on_screen(app, "先加的事项") and not on_screen(app, "后记的一条")


async def test_with_nothing_to_undo_on_this_seat_a_notice_says_so(repo: Repository) -> None:
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        events_before = len(repo.events())
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "本席位没有可撤销的改动" in notices(app)
        assert len(repo.events()) == events_before


async def test_undo_never_takes_back_what_another_seat_recorded(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    create_database(path, demo=True)
    chair, secretary = Seat(path, seat="chair", who="李主任"), Seat(path, seat="secretary", who="王秘书")
    try:
        commands.start_meeting(secretary.repo(), MEETING)
        commands.add_decision(secretary.repo(), "秘书记下的议定事项", area=4)
        app = build_app(chair.repo())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("4")
            await add_action(pilot, "主持人交办的事项")
            commands.add_note(secretary.repo(), 4, "秘书随后记的一条")  # the last change is the secretary's
            await pilot.press("ctrl+z")
            await settle(pilot)
            repo = chair.repo()
            assert "主持人交办的事项" not in [a.text for a in repo.actions()]
            assert [n.text for n in repo.meeting(MEETING).notes] == ["秘书随后记的一条"]

            await pilot.press("ctrl+z")
            await settle(pilot)
            assert notices(app)[-1] == "本席位没有可撤销的改动"
        repo = chair.repo()
        repo.refresh()
        meeting = repo.meeting(MEETING)
        assert meeting.state is MeetingState.IN_PROGRESS
        assert [d.text for d in meeting.decisions] == ["秘书记下的议定事项"]
        assert [n.text for n in meeting.notes] == ["秘书随后记的一条"]
        assert all(e.seat == "chair" for e in repo.events() if e.kind == "undo")
    finally:
        chair.close()
        secretary.close()


# -- text that looks like markup, escapes, HTML, any script ----------------------------------------

HOSTILE_TYPED = [
    "x [/] y",
    "[@click=app.quit]",
    "[b red]红[/b]",
    "a | b | c",
    "`code` ``x``",
    "<script>alert(1)</script>",
    "郑州，进度（序时）🚀",
]
"""Typed key by key, as a person would."""

RECORDS = {"a": "action", "d": "decision", "m": "note"}


def minutes_of(repo: Repository) -> Parsed:
    """The meeting's minutes, parsed; well formed, with no formatting user text could have made."""
    parsed = assert_well_formed(minutes_markdown(repo, MEETING, "zh"))
    assert not parsed.formatting - {"strong_open", "strong_close"}, parsed.formatting
    return parsed


def recorded_texts(repo: Repository, key: str) -> list[str]:
    """The texts of the records a form key makes, oldest first (actions: those of this meeting)."""
    meeting = repo.meeting(MEETING)
    if key == "a":
        return [a.text for a in repo.actions() if a.meeting_id == MEETING]
    return [d.text for d in meeting.decisions] if key == "d" else [n.text for n in meeting.notes]


def missing_from_the_minutes(repo: Repository, key: str, *texts: str) -> list[str]:
    """Those of `texts` that are not, exactly, a cell of the action list or a decision or note
    of the minutes (written once for them all)."""
    parsed = minutes_of(repo)
    if key == "a":
        rows = table_with(parsed, "配合单位")[1:]
        return [text for text in texts if not any(text in row for row in rows)]
    return [text for text in texts if text not in parsed.paragraphs]


@pytest.mark.parametrize("key", list(RECORDS), ids=list(RECORDS.values()))
async def test_text_that_looks_like_markup_is_kept_and_shown_literally(started: Repository, key: str) -> None:
    """Typed key by key into the action form's line fields; arriving whole into the text areas
    of the decision and note forms (typing into a text area is tested above)."""
    app = build_app(started)
    async with app.run_test(size=TALL) as pilot:
        await pilot.press("4")
        for text in HOSTILE_TYPED:
            await record(pilot, key, text, typed=key == "a")
        assert app.is_running
        drawn = screen_text(app).splitlines()
        missing = [text for text in HOSTILE_TYPED if not any(text in line for line in drawn)]
        assert not missing, missing
    assert recorded_texts(started, key)[-len(HOSTILE_TYPED) :] == HOSTILE_TYPED
    missing = missing_from_the_minutes(started, key, *HOSTILE_TYPED)
    assert not missing, missing


ESCAPES = "\x1b]0;evil\x07 title \x1b[31mred\x1b[0m \u202eabc"
"""An OSC title change, a colour, a bidi override, pasted: a terminal hands a paste over whole."""
WITHOUT_ESCAPES = "]0;evil title [31mred[0m abc"
"""What is left once the control characters are gone (ESC, BEL and U+202E)."""


@pytest.mark.parametrize("key", list(RECORDS), ids=list(RECORDS.values()))
async def test_escapes_pasted_into_a_form_never_reach_the_terminal_or_the_record(
    started: Repository, key: str
) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", key)
        app.post_message(events.Paste(ESCAPES))  # as the driver delivers a paste
        await pilot.pause()
        assert field_shows(form, "text") == WITHOUT_ESCAPES
        drawn = screen_text(app)
        assert "\x1b" not in drawn and "\u202e" not in drawn
        if key == "a":
            await pilot.press("tab")
            await type_text(pilot, "张三")
        await save(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert on_screen(app, WITHOUT_ESCAPES)
    assert recorded_texts(started, key)[-1:] == [WITHOUT_ESCAPES]
    assert not missing_from_the_minutes(started, key, WITHOUT_ESCAPES)
    assert "\x1b" not in minutes_markdown(started, MEETING, "zh")


async def test_lines_pasted_into_a_one_line_field_are_all_kept(started: Repository) -> None:
    """A paste of several lines (from a document, say) into a one-line field keeps every line,
    joined by spaces, where it was pasted; a several-line field keeps them as lines."""
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", "a")
        await type_text(pilot, "交办：")
        app.post_message(events.Paste("梳理清单\n逐项明确时间\r\n实行周调度"))
        await pilot.pause()
        assert field_shows(form, "text") == "交办：梳理清单 逐项明确时间 实行周调度"
        await pilot.press("tab")
        await type_text(pilot, "张三")
        await save(pilot)
        assert [a.text for a in started.actions()][-1] == "交办：梳理清单 逐项明确时间 实行周调度"

        form = await open_form(pilot, "d")
        app.post_message(events.Paste("第一条\n第二条"))
        await pilot.pause()
        assert field_shows(form, "text") == "第一条\n第二条"


LONG_LINE = ("进度" + "x" * 97 + "|") * 1000
"""One line of 100,000 characters (over 100 kB in UTF-8), with a pipe every hundred."""


@pytest.mark.parametrize("key", ["a", "m"], ids=["action", "note"])
async def test_a_100_kb_line_is_kept_whole(started: Repository, key: str) -> None:
    assert len(LONG_LINE) == 100_000
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "4", key)
        field = form.query_one("#field-text")
        if isinstance(field, TextArea):
            field.text = LONG_LINE
        else:
            field.value = LONG_LINE
        await pilot.pause()
        if key == "a":
            await pilot.press("tab")
            await type_text(pilot, "张三")
        await save(pilot)
        assert isinstance(app.screen, MeetingScreen) and app.is_running
        if key != "a":  # the action list shows a 2,000-line item from wherever it last scrolled
            assert on_screen(app, "进度xxxxxxxx")
    assert recorded_texts(started, key)[-1:] == [LONG_LINE]
    assert not missing_from_the_minutes(started, key, LONG_LINE)


# -- a closed meeting ----------------------------------------------------------------------------


async def test_a_closed_meeting_records_nothing_and_says_why(repo: Repository) -> None:
    events_before = len(repo.events())
    app = build_app(repo, meeting="2024-09-30")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "down")
        for count, key in enumerate(["a", "v", "d", "m", "j", "ctrl+z"], start=1):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, MeetingScreen) and shown_area(app) == 4, key
            assert notices(app) == ["本次会议已闭会，纪要已冻结，不能再记录"] * count, key
    assert len(repo.events()) == events_before


# -- what the notices say --------------------------------------------------------------------------


async def test_the_notices_after_a_save_and_an_undo_say_what_in_the_screens_language(
    started: Repository,
) -> None:
    app = build_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await add_action(pilot, "说明通知的事项")
        (new,) = [a for a in started.actions() if a.text == "说明通知的事项"]
        await record(pilot, "m", "一条记录")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert notices(app)[-3:] == [f"已保存：新增交办事项 {new.id}", "已保存：记录", "已撤销：记录"]


async def test_the_meeting_details_carry_what_the_minutes_are_printed_with(started: Repository) -> None:
    app = build_app(started)
    async with app.run_test(size=TALL) as pilot:
        form = await open_form(pilot, "i")
        assert field_shows(form, "number") == "第10期"
        await pilot.press("tab", "tab", "tab", "tab", "end", "backspace", "backspace")
        await type_text(pilot, "1期")
        await pilot.press("tab", "end")
        await type_text(pilot, "（秘书处）")
        await save(pilot)

        assert isinstance(app.screen, MeetingScreen), shown_errors(app.screen)
        meeting = started.meeting(MEETING)
        assert (meeting.number, meeting.issuer) == ("第11期", "郑州市人民政府办公室（秘书处）")
        assert meeting.title == "2024年下半年经济运行调度会（10月）"  # untouched fields stay


async def test_a_closed_meetings_details_form_holds_only_what_its_minutes_are_printed_with(
    repo: Repository,
) -> None:
    closed = "2024-09-30"
    before = minutes_markdown(repo, closed, "zh")
    app = build_app(repo, meeting=closed)
    async with app.run_test(size=TALL) as pilot:
        form = await open_form(pilot, "i")
        assert [f.name for f in form.fields()] == ["number", "issuer", "distribution"]
        await pilot.press("end")
        await type_text(pilot, "（修订）")
        await save(pilot)
        assert isinstance(app.screen, MeetingScreen), shown_errors(app.screen)
    assert repo.meeting(closed).number == "第9期（修订）"
    assert minutes_markdown(repo, closed, "zh") == before.replace("\n第9期\n", "\n第9期（修订）\n")
    app = build_app(repo, meeting=closed)
    async with app.run_test(size=TALL) as pilot:
        for key in ("a", "d", "m"):  # every other form stays shut on a closed meeting
            await pilot.press("4", key)
            await pilot.pause()
            assert isinstance(app.screen, MeetingScreen), key


async def test_a_form_opened_on_an_item_found_unreadable_ends_the_app_in_one_line() -> None:
    # Only 回头看's items are read for the first screen: an item edited by hand into something
    # unreadable is found when a form first reads them all, and the app ends as a launch
    # refuses such a file (one line, exit 2), never with a traceback.
    from tests.storage.test_reviewing import _with_unreadable_due_on_an_item_not_reviewed

    repo, _ = _with_unreadable_due_on_an_item_not_reviewed()
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
    assert "due" in app.unreadable and "zzreview check" in app.unreadable
    assert app.return_code == 2
