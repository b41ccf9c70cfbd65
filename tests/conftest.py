"""What the whole suite shares: the test harness's own costs kept down (nothing of the product)."""

from __future__ import annotations


def pytest_configure(config) -> None:
    """pytest collects garbage five times over as each worker ends, to report exceptions raised
    in finalizers; on CPython one full collection finds every one of them, and each pass over
    a worker's heap after some hundred app tests takes ~0.4 s."""
    try:
        from _pytest.unraisableexception import gc_collect_iterations_key
    except ImportError:  # another pytest: its own way
        return
    config.stash[gc_collect_iterations_key] = 1
