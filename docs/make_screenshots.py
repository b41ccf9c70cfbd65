"""Regenerate the README's screenshots (Textual's own SVG export) from the demo meeting.

python docs/make_screenshots.py
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from zzreview.meeting.session import demo_in_memory
from zzreview.ui.launch import make_app

SHOTS = {"screenshot-area.svg": ["4", "down"], "screenshot-overview.svg": ["o"]}


async def shoot(name: str, keys: list[str]) -> None:
    repo = demo_in_memory()
    app = make_app(repo, "2024-10-31", clock=lambda: datetime(2024, 10, 31, 9, 30))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        app.save_screenshot(name, path=str(Path(__file__).parent))


async def main() -> None:
    for name, keys in SHOTS.items():
        await shoot(name, keys)


if __name__ == "__main__":
    asyncio.run(main())
