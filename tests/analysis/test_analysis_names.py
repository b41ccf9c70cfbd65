"""zzreview.analysis loads each of its names from its submodule when first asked for."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


def test_every_public_name_is_found_in_its_submodule() -> None:
    analysis = importlib.import_module("zzreview.analysis")
    homes = analysis._HOME

    assert sorted(analysis.__all__) == sorted(homes)
    for name in analysis.__all__:
        submodule = importlib.import_module(f"zzreview.analysis.{homes[name]}")
        assert getattr(analysis, name) is getattr(submodule, name), name
    assert set(analysis.__all__) <= set(dir(analysis))


def test_an_unknown_name_is_an_attribute_error() -> None:
    import zzreview.analysis as analysis

    with pytest.raises(AttributeError, match="no_such_name"):
        analysis.no_such_name  # noqa: B018


def test_the_rule_presets_alone_load_no_status_or_league_table() -> None:
    probe = (
        "import sys\n"
        "from zzreview.analysis import PRESETS\n"
        "print(sorted(m for m in sys.modules if m.startswith('zzreview.analysis.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['zzreview.analysis.rules']"
