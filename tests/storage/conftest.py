"""Fixtures for the storage tests (helpers live in storage_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_support import FIXED_TIME


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's database lives; nothing exists there yet."""
    return tmp_path / "review.json"


@pytest.fixture
def fixed_clock():
    return lambda: FIXED_TIME
