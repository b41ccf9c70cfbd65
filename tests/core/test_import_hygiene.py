"""The core never imports Textual: headless commands stay fast and the layers stay apart."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "zzreview.domain",
    "zzreview.domain.dates",
    "zzreview.domain.text",
    "zzreview.analysis",
    "zzreview.storage.store",
    "zzreview.storage.repository",
    "zzreview.storage.checks",
    "zzreview.plans.loader",
    "zzreview.plans.demo",
    "zzreview.rendering.names",
    "zzreview.rendering.documents",
    "zzreview.rendering.charts",
    "zzreview.rendering.minutes",
    "zzreview.i18n",
    "zzreview.meeting.view",
    "zzreview.meeting.minutes",
    "zzreview.cli",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_textual(module: str) -> None:
    probe = (
        f"import {module}, sys\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'zzreview.ui')))\n"
        "print(bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_message_has_both_languages() -> None:
    from zzreview.i18n import MESSAGES

    for key, entry in MESSAGES.items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"] and entry["en"], key


LAYERS = {
    "zzreview.domain": ("zzreview.analysis", "zzreview.storage", "zzreview.rendering", "zzreview.plans"),
    "zzreview.analysis": ("zzreview.storage", "zzreview.rendering", "zzreview.plans", "zzreview.i18n"),
    "zzreview.storage.repository": ("zzreview.rendering", "zzreview.i18n", "zzreview.plans", "rich"),
    "zzreview.rendering.names": ("zzreview.storage", "rich"),
    "zzreview.rendering.documents": ("zzreview.storage", "rich"),
    "zzreview.rendering.minutes": ("zzreview.storage",),
    "zzreview.rendering.charts": ("zzreview.storage", "plotext"),  # plotext loads when drawing
}


@pytest.mark.parametrize(("module", "forbidden"), LAYERS.items())
def test_data_flows_one_way(module: str, forbidden: tuple[str, ...]) -> None:
    probe = f"import {module}, sys\nprint(sorted(m for m in sys.modules if m.startswith({forbidden!r})))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"{module} imports {result.stdout.strip()}"
