"""What the whole suite shares: the test harness's own costs kept down (nothing of the product)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def pytest_configure(config) -> None:
    """Two costs of the harness, each paid once instead of over and over (and the cache folder
    of the commands the tests run made the run's own):

    - zzreview's modules are compiled to bytecode before the workers start (on a fresh clone,
      and where PYTHONDONTWRITEBYTECODE is set, each worker and each `zzreview` the tests start
      would otherwise compile every module it imports again);
    - so are the test modules, their asserts rewritten as pytest rewrites them: each worker
      collects every test module, and rewriting them all took each worker ~4.5 s of its
      ~7 s of collection;
    - pytest collects garbage five times over as each worker ends, to report exceptions raised
      in finalizers; on CPython one full collection finds every one of them, and each pass over
      a worker's heap after some hundred app tests takes ~0.4 s.
    """
    if not hasattr(config, "workerinput"):  # the controller, or a run without workers
        _compile_the_package()
        _rewrite_the_tests(config)
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


def _rewrite_the_tests(config) -> None:
    """Each test module and conftest under tests/ rewritten and kept where pytest looks for it
    (as it keeps them itself unless PYTHONDONTWRITEBYTECODE is set); one already kept for the
    file as it is now is left as it is."""
    try:
        from _pytest.assertion import rewrite
        from _pytest.assertion.rewrite import assertstate_key
    except ImportError:  # another pytest: each worker rewrites them itself
        return
    if assertstate_key not in config.stash:  # assertion rewriting is off (--assert=plain)
        return
    state = config.stash[assertstate_key]
    here = Path(__file__).parent
    for source in sorted([*here.rglob("test_*.py"), *here.rglob("conftest.py")]):
        cache = rewrite.get_cache_dir(source)
        kept = cache / (source.name[:-3] + rewrite.PYC_TAIL)
        if rewrite._read_pyc(source, kept) is not None or not rewrite.try_makedirs(cache):
            continue
        stat, code = rewrite._rewrite_test(source, config)
        rewrite._write_pyc(state, code, stat, kept)
