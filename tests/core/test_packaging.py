"""What `pip install .` ships: every package of the source tree (a package left out of
pyproject's list installs an app that fails the first time a key needs it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_in_the_source_tree_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    in_tree = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "zzreview").rglob("__init__.py")
    }
    assert in_tree - listed == set()
