"""A program in a real pseudo-terminal, read through a terminal emulator (pyte), as a person sees it."""

from __future__ import annotations

import select
import time
from collections.abc import Callable, Sequence

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
    "ctrl+q": "\x11",
    "ctrl+s": "\x13",
    "ctrl+z": "\x1a",
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

    def _pump(self, timeout: float) -> bool:
        """Feed the screen what the program wrote within `timeout`; whether there was any."""
        try:
            ready, _, _ = select.select([self.process.fd], [], [], timeout)
            if ready:
                data = self.process.read(65536)
                self.stream.feed(data)
                return bool(data)
        except (EOFError, OSError):
            pass
        return False

    def text(self) -> str:
        """The screen as plain lines (a wide character's second cell holds nothing)."""
        columns = self.screen.columns
        return "\n".join(
            "".join(self.screen.buffer[y][x].data for x in range(columns)) for y in range(self.screen.lines)
        )

    def wait_for(self, needle: str, timeout: float = 20.0) -> float:
        """Wait until `needle` is on screen; return the seconds it took."""
        return self.wait_until(lambda: needle in self.text(), f"{needle!r} to appear", timeout)

    def wait_gone(self, needle: str, timeout: float = 20.0) -> float:
        """Wait until `needle` is no longer on screen; return the seconds it took."""
        return self.wait_until(lambda: needle not in self.text(), f"{needle!r} to go", timeout)

    def cursor_line(self) -> str:
        """The screen line the terminal's cursor is on: a focused text field puts it there."""
        return self.text().splitlines()[self.screen.cursor.y]

    def wait_for_cursor_on(self, needle: str, timeout: float = 20.0) -> float:
        """Wait until the cursor is on a line holding `needle` (a field's label, say): keys
        typed after that land in that field."""
        return self.wait_until(lambda: needle in self.cursor_line(), f"the cursor on {needle!r}", timeout)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 20.0) -> float:
        """Read the screen until `condition()` holds; return the seconds it took."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if condition():
                return time.monotonic() - start
            if not self.process.isalive():
                self._pump(0.05)
                if condition():
                    return time.monotonic() - start
                raise AssertionError(f"the program ended while waiting for {what}; screen:\n{self.text()}")
            self._pump(0.02)
        raise AssertionError(f"waited {timeout} s for {what} in vain; screen:\n{self.text()}")

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
        self._drain()  # what it wrote last, often the line it ended with, may be unread yet
        self.process.wait()
        return self.process.exitstatus or 0

    def _drain(self) -> None:
        """Read what the ended program left in the pty, to the end."""
        while self._pump(0):
            pass

    def close(self) -> None:
        """End the program if it still runs, and release the pty."""
        if self.process.isalive():
            self.process.terminate(force=True)
        self.process.close()
