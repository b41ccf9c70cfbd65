"""A program in a real pseudo-terminal, read through a terminal emulator (pyte), as a person sees it."""

from __future__ import annotations

import select
import time
from collections.abc import Sequence

import pyte
from ptyprocess import PtyProcessUnicode

KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "pagedown": "\x1b[6~",
    "pageup": "\x1b[5~",
    "space": " ",
}


class Terminal:
    """Run `command` in a pty of `columns` × `lines` and read its screen."""

    def __init__(
        self, command: Sequence[str], *, columns: int = 120, lines: int = 40, env: dict[str, str]
    ) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.Stream(self.screen)
        full_env = dict(env, TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines))
        self.process = PtyProcessUnicode.spawn(list(command), dimensions=(lines, columns), env=full_env)

    def _pump(self, timeout: float) -> None:
        try:
            ready, _, _ = select.select([self.process.fd], [], [], timeout)
            if ready:
                self.stream.feed(self.process.read(65536))
        except (EOFError, OSError):
            pass

    def text(self) -> str:
        """The screen as plain lines (a wide character's second cell holds nothing)."""
        columns = self.screen.columns
        return "\n".join(
            "".join(self.screen.buffer[y][x].data for x in range(columns)) for y in range(self.screen.lines)
        )

    def wait_for(self, needle: str, timeout: float = 20.0) -> float:
        """Wait until `needle` is on screen; return the seconds it took."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if needle in self.text():
                return time.monotonic() - start
            if not self.process.isalive():
                self._pump(0.05)
                if needle in self.text():
                    return time.monotonic() - start
                raise AssertionError(f"the program ended before {needle!r} appeared; screen:\n{self.text()}")
            self._pump(0.02)
        raise AssertionError(f"{needle!r} did not appear within {timeout} s; screen:\n{self.text()}")

    def press(self, *keys: str) -> None:
        """Send keys by name (see KEYS) or as literal characters."""
        for key in keys:
            self.process.write(KEYS.get(key, key))

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Wait for the program to end; return its exit status."""
        start = time.monotonic()
        while self.process.isalive() and time.monotonic() - start < timeout:
            self._pump(0.05)
        if self.process.isalive():
            self.process.terminate(force=True)
            raise AssertionError("the program did not exit")
        self.process.wait()
        return self.process.exitstatus or 0

    def close(self) -> None:
        """End the program if it still runs, and release the pty."""
        if self.process.isalive():
            self.process.terminate(force=True)
        self.process.close()
