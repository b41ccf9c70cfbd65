"""What the whole suite shares: the test harness's own costs kept down (nothing of the product)."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config) -> None:
    """Two costs of the harness, each paid once instead of over and over (and the cache folder
    of the commands the tests run made the run's own):

    - zzreview's modules are compiled to bytecode before the workers start (on a fresh clone,
      and where PYTHONDONTWRITEBYTECODE is set, each worker and each `zzreview` the tests start
      would otherwise compile every module it imports again);
    - pytest collects garbage five times over as each worker ends, to report exceptions raised
      in finalizers; on CPython one full collection finds every one of them, and each pass over
      a worker's heap after some hundred app tests takes ~0.4 s.
    """
    if not hasattr(config, "workerinput"):  # the controller, or a run without workers
        _compile_the_package()
    # What commands keep between runs (meeting.kept) goes to a folder of this run's own, for
    # the commands the tests start too: never the user's cache, never one test's for another's.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="zzreview-tests-cache-")
    try:
        from _pytest.unraisableexception import gc_collect_iterations_key
    except ImportError:  # another pytest: its own way
        return
    config.stash[gc_collect_iterations_key] = 1


def _compile_the_package() -> None:
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("zzreview")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        compileall.compile_dir(folder, quiet=1)
