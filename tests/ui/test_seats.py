"""The seat an app runs as is the seat its writes are logged under; only the chair publishes
the area on screen, so the other seats can follow it."""

from __future__ import annotations

from tests.ui.conftest import build_app
from zzreview.meeting.session import demo_in_memory

SIZE = (120, 40)


def _follow_events(repo) -> list[tuple[str, str, str]]:
    return [(e.seat, e.who, e.summary) for e in repo.events() if e.kind == "meeting.follow"]


async def test_the_chairs_walk_is_published_under_the_chairs_seat() -> None:
    repo = demo_in_memory(who="李主任", seat="chair")
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "4")
        await app.workers.wait_for_complete()
        await pilot.pause()
    events = _follow_events(repo)
    assert events and all(seat == "chair" and who == "李主任" for seat, who, _ in events)
    assert repo.followed_area("2024-10-31") == 4


async def test_other_seats_write_nothing_by_walking() -> None:
    for seat in ("secretary", "viewer"):
        repo = demo_in_memory(who="王秘书", seat=seat)
        before = len(repo.events())
        app = build_app(repo)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("n", "4", "o")
            await app.workers.wait_for_complete()
        assert len(repo.events()) == before, seat


async def test_a_closed_meeting_is_never_written_to() -> None:
    repo = demo_in_memory(who="李主任", seat="chair")
    before = len(repo.events())
    app = build_app(repo, meeting="2024-09-30")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "3")
        await app.workers.wait_for_complete()
    assert len(repo.events()) == before


async def test_the_last_area_shown_is_the_one_published() -> None:
    repo = demo_in_memory(who="李主任", seat="chair")
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "2", "3", "4", "5", "6", "7", "o", "9")
        await app.workers.wait_for_complete()
    assert repo.followed_area("2024-10-31") == 9


async def test_a_publish_that_fails_is_said_once_and_retried(monkeypatch) -> None:
    from zzreview.meeting import commands
    from zzreview.storage.errors import StoreError

    repo = demo_in_memory(who="李主任", seat="chair")
    real = commands.publish_area
    failing = {"on": True}

    def flaky(*args, **kwargs):
        if failing["on"]:
            raise StoreError(None, "review.json is locked by another process")
        return real(*args, **kwargs)

    monkeypatch.setattr(commands, "publish_area", flaky)
    app = build_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        warnings = [n for n in app._notifications if "locked by another process" in n.message]
        assert len(warnings) == 1
        failing["on"] = False
        await pilot.press("4")
        await app.workers.wait_for_complete()
    assert repo.followed_area("2024-10-31") == 4
