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
