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
