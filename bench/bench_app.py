"""The meeting app in a real terminal against a bare Textual app, in the same run.

Measures, through a pseudo-terminal read by a terminal emulator (what a person sees):

- launch: spawn → the first agenda step fully drawn (ours) / the one label drawn (bare app);
- key → repaint: a key that changes area → the new area's screen drawn (ours) / a key that
  changes the label → the new label drawn (bare app).

on the demo database and on a generated scale database (1,000 indicators × 60 points,
10,000 actions, 200 meetings). Goals (PRODUCT.md): launch ≤ 1.5× bare (demo), ≤ 2.5× (scale);
area switch ≤ 2× bare (demo), ≤ 3× (scale).

    python bench/bench_app.py [--launches 5] [--keys 20] [--no-scale]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, ZZREVIEW, prepare_interpreter


def load_terminal() -> type:
    """The test suite's pty + terminal emulator, loaded by path: putting the repository on the
    import path would let the source tree shadow the installed zzreview."""
    path = REPO / "tests" / "e2e" / "terminal.py"
    spec = importlib.util.spec_from_file_location("e2e_terminal", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ModuleNotFoundError as missing:
        sys.exit(f"bench_app.py needs {missing.name}: run `python -m pip install pyte ptyprocess`")
    return module.Terminal


Terminal = load_terminal()

BARE_APP = """
from textual.app import App
from textual.widgets import Label

class Bare(App):
    BINDINGS = [("n", "bump", "bump"), ("q", "quit", "quit")]
    count = 0
    def compose(self):
        yield Label("ready 0", id="label")
    def action_bump(self):
        self.count += 1
        self.query_one(Label).update(f"ready {self.count}")

Bare().run()
"""


def wait_all(terminal: Terminal, needles: list[str], timeout: float = 60.0) -> float:
    start = time.perf_counter()
    for needle in needles:
        terminal.wait_for(needle, timeout=timeout)
    return time.perf_counter() - start


def measure_bare(
    launches: int, keys: int, env: dict[str, str], folder: Path
) -> tuple[list[float], list[float]]:
    script = folder / "bare_app.py"
    script.write_text(BARE_APP, encoding="utf-8")
    launch_times, key_times = [], []
    for run in range(launches):
        start = time.perf_counter()
        terminal = Terminal([sys.executable, str(script)], env=env)
        try:
            terminal.wait_for("ready 0", timeout=60)
            launch_times.append(time.perf_counter() - start)
            if run == 0:
                for count in range(1, keys + 1):
                    start = time.perf_counter()
                    terminal.press("n")
                    terminal.wait_for(f"ready {count}", timeout=30)
                    key_times.append(time.perf_counter() - start)
            terminal.press("q")
            terminal.wait_exit()
        finally:
            terminal.close()
    return launch_times, key_times


def measure_app(
    db: Path,
    first_screen: list[str],
    areas: dict[str, list[str]],
    launches: int,
    keys: int,
    env: dict[str, str],
) -> tuple[list[float], list[float]]:
    launch_times, key_times = [], []
    command = [*ZZREVIEW, "--db", str(db), "run"]
    order = list(areas)
    for run in range(launches):
        start = time.perf_counter()
        terminal = Terminal(command, env=env)
        try:
            for needle in first_screen:
                terminal.wait_for(needle, timeout=120)
            launch_times.append(time.perf_counter() - start)
            if run == 0:
                for count in range(keys):
                    key = order[count % len(order)]
                    start = time.perf_counter()
                    terminal.press(key)
                    wait_all(terminal, areas[key])
                    key_times.append(time.perf_counter() - start)
            terminal.press("\x11")  # ctrl+q
            terminal.wait_exit(30)
        finally:
            terminal.close()
    return launch_times, key_times


def report(name: str, values: list[float], floor: float, goal: float | None) -> None:
    median = statistics.median(values)
    p90 = sorted(values)[int(0.9 * (len(values) - 1))]
    met = goal is not None and median / floor <= goal
    verdict = "" if goal is None else f"  goal ≤ {goal:.1f}× {'met' if met else 'MISSED'}"
    print(f"{name:38} {median * 1000:9.1f} {p90 * 1000:9.1f} {median / floor:8.2f}{verdict}")


def main() -> None:
    prepare_interpreter()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--no-scale", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZZREVIEW_")}
        env.update(
            HOME=str(folder), XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config")
        )
        demo = folder / "demo.json"
        subprocess.run([*ZZREVIEW, "--db", str(demo), "init", "--demo"], check=True, env=env)
        bare_launch, bare_keys = measure_bare(args.launches, args.keys, env, folder)
        demo_launch, demo_keys = measure_app(
            demo,
            ["回头看", "配合人民银行做好", "示例数据"],
            {
                "1": ["强化创新驱动发展", "组织高新技术企业后备库", "还需每月"],
                "2": ["提升产业链群能级", "新能源汽车产量增长较快"],
            },
            args.launches,
            args.keys,
            env,
        )
        results = {"demo": (demo_launch, demo_keys)}
        if not args.no_scale:
            scale = folder / "scale.json"
            subprocess.run(
                [sys.executable, str(Path(__file__).with_name("make_scale_db.py")), str(scale)],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            results["scale"] = measure_app(
                scale,
                ["回头看", "规模测试交办事项"],
                {"1": ["规模测试领域1", "规模测试指标 1-1-1"], "2": ["规模测试领域2", "规模测试指标 2-1-1"]},
                args.launches,
                args.keys,
                env,
            )
    floor_launch, floor_key = statistics.median(bare_launch), statistics.median(bare_keys)
    print(f"{'case':38} {'median ms':>9} {'p90 ms':>9} {'× bare':>8}")
    report("bare Textual app: launch", bare_launch, floor_launch, None)
    report("bare Textual app: key → repaint", bare_keys, floor_key, None)
    goals = {"demo": (1.5, 2.0), "scale": (2.5, 3.0)}
    for name, (launch, keys) in results.items():
        report(f"zzreview ({name}): launch → first step", launch, floor_launch, goals[name][0])
        report(f"zzreview ({name}): key → area switched", keys, floor_key, goals[name][1])
    print(f"launches per case: {args.launches}; keys per case: {args.keys}; terminal 120×40")


if __name__ == "__main__":
    main()
