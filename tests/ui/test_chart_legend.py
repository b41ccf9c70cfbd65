"""The chart's legend: each series told apart by its shape, not by colour alone, and laid out
so that nothing in it wraps at 120 columns."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Static

from tests.ui.conftest import build_app
from zzreview.rendering.charts import LEGEND_KEYS, SERIES_GLYPHS, legend_sample
from zzreview.storage.repository import Repository


def test_every_series_has_a_glyph_of_its_own() -> None:
    assert len(set(SERIES_GLYPHS.values())) == len(LEGEND_KEYS)
    samples = [legend_sample(key) for key in LEGEND_KEYS]
    assert len(set(samples)) == len(samples)
    for key, sample in zip(LEGEND_KEYS, samples, strict=True):
        assert SERIES_GLYPHS[key] in sample


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("indicator", ["6.1.2", "4.2.2", "5.3.2"])
async def test_the_legend_shows_each_series_by_its_glyph_and_never_wraps(
    repo: Repository, lang: str, indicator: str
) -> None:
    """6.1.2 (a run-rate of hundreds of trains), 4.2.2 (亿元), 5.3.2 (about one product)."""
    app = build_app(repo, lang=lang)
    area = int(indicator.split(".")[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(str(area % 10))
        screen = app.screen
        screen.select_indicator(indicator)
        await pilot.pause()
        legend = screen.area_view.query_one("#chart-legend", Static)
        text = legend.render()
        plain = str(text)
        for key in LEGEND_KEYS:
            sample = legend_sample(key)
            assert plain.count(sample) == 1, (key, plain)
            spans = [span for span in text.spans if plain[span.start : span.end].startswith(sample)]
            assert spans, f"{key}'s sample is drawn in its own colour"
        lines = plain.split("\n")
        assert len(lines) == 2, plain
        assert legend.size.height == 2, "each of its two lines fits on one row"
        assert all(cell_len(line) <= legend.size.width for line in lines)
