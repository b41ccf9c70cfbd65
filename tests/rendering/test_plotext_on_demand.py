"""Charts import only plotext's drawing modules; plotext's own API still works afterwards."""

from __future__ import annotations

import subprocess
import sys

DRAW_THEN_USE_PLOTEXT = """
import sys
from datetime import date
from zzreview.plans.demo import shipped_demo
from zzreview.plans.loader import shipped_plan
from zzreview.rendering.charts import chart_data, render_chart

plan = shipped_plan()
indicator = next(i for i in plan.indicators if i.id == "4.2.2")
points = [p for p in shipped_demo(plan).points if p.indicator_id == indicator.id]
chart = render_chart(chart_data(indicator, points, date(2024, 10, 31)), 72, 16)
print(len(chart.splitlines()), "plotext._doc" in sys.modules, "plotext._kernel.api" in sys.modules)

import plotext
print(isinstance(plotext.figure.build().string(colorless=True), str), "plotext._doc" in sys.modules)
print(sorted(name for name in vars(plotext) if not name.startswith("_")))
"""

PLAIN_IMPORT = """
import plotext
print(sorted(name for name in vars(plotext) if not name.startswith("_")))
"""


def test_drawing_leaves_plotexts_init_for_whoever_asks_for_plotext() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DRAW_THEN_USE_PLOTEXT], capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 0, done.stderr
    drawn, used, names = done.stdout.splitlines()
    assert drawn == "16 False False"  # drawn without plotext's API or documentation objects
    assert used == "True True"  # which `import plotext` then loads in full
    plain = subprocess.run([sys.executable, "-c", PLAIN_IMPORT], capture_output=True, text=True, timeout=60)
    assert names == plain.stdout.strip()
