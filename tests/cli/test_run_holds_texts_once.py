"""`zzreview run` (the app, long-lived) holds each text repeated through the values once; a
command that ends soon does not pay for it (storage.durable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zzreview.storage import durable


def test_the_app_holds_the_values_texts_once_and_a_command_does_not(
    run, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held: set[str] = set()
    monkeypatch.setattr(durable, "_SHARED", held)
    launched: list[set[str]] = []
    monkeypatch.setattr("zzreview.ui.launch.launch", lambda *args, **kwargs: launched.append(set(held)))
    assert run("--db", str(demo_db), "status").returncode == 0
    assert held == set()
    result = run("--db", str(demo_db), "run")
    assert result.returncode == 0, result.stderr
    assert launched == [{"values"}]
