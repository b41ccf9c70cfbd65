"""The app works a meeting's figures out in a worker while its other threads save and its UI
thread reads: the repository works its derived answers out one thread at a time."""

from __future__ import annotations

import threading


def test_a_thread_asking_for_an_answer_waits_while_another_works_one_out(repo) -> None:
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def slow() -> int:
        inside.set()
        release.wait(10)
        order.append("first")
        return 1

    def quick() -> int:
        order.append("second")
        return 2

    first = threading.Thread(target=repo.remember, args=(("test", 1), slow))
    second = threading.Thread(target=repo.remember, args=(("test", 2), quick))
    first.start()
    assert inside.wait(10)
    second.start()
    second.join(0.3)
    assert second.is_alive() and order == [], "the second waits for the first"
    release.set()
    first.join(10)
    second.join(10)
    assert order == ["first", "second"]
    # …and one computation may ask for another on the same thread (the lock is re-entrant).
    assert repo.remember(("test", 3), lambda: repo.remember(("test", 4), lambda: 4) + 1) == 5


def test_the_figures_and_the_rank_change_asked_from_two_threads_both_come(repo) -> None:
    # The worker works the figures out (the areas' items with them) while the UI thread asks
    # how the areas moved, which asks for the figures: neither may wait on a lock the other holds.
    from zzreview.meeting.view import build_meeting_view

    view = build_meeting_view(repo, "2024-10-31", "zh", None)
    in_figures, rank_asked = threading.Event(), threading.Event()
    figures, previous_ranks = view.figures, view.previous_ranks

    def slow_figures():
        in_figures.set()
        rank_asked.wait(10)
        return figures()

    def asked_previous_ranks():
        rank_asked.set()
        return previous_ranks()

    view.figures, view.previous_ranks = slow_figures, asked_previous_ranks
    worker = threading.Thread(target=view.work_out, daemon=True)
    worker.start()
    assert in_figures.wait(10)
    ui = threading.Thread(target=lambda: view.rank_change, daemon=True)
    ui.start()
    worker.join(10)
    ui.join(10)
    assert not worker.is_alive() and not ui.is_alive(), "two threads waited on each other"
    assert set(view.rank_change) == {area.number for area in view.plan.areas}
