"""A program in a real pseudo-terminal, timed by the bytes it writes, as a person would see them.

`PtyApp` spawns a command in a pty of 120 × 40 (ptyprocess, raw bytes). A reader thread
time-stamps every chunk of output as it arrives (`time.perf_counter`, CLOCK_MONOTONIC on
Linux) and only queues it; the terminal emulator (pyte) is fed later, while the output is
quiet, so the emulator's own parsing — slow, in Python — is in no figure and does not hold
the interpreter while a chunk is waiting to be stamped.

- launch: spawn → the last byte of the first complete screen (`wait_screen` on the spawn);
- key → repaint: the key written → the last byte of the repaint that shows the expected text.

Both find the first chunk after which every wanted needle is on screen, then extend to the
end of that burst of output: the chunks that follow it less than `GAP` (30 ms) apart. A chunk
that only moves a clock (the app's once-a-second tick: at most a few digits or colons change)
is not repaint: it never extends the end, though a burst may go on past it. `Repaint` keeps
the three times (key, first chunk showing the needles, last byte of the burst).

Also: the resident memory of the program (VmRSS, VmHWM from /proc), a quiet wait, and a close
that asks the program to quit first. The module needs pyte and ptyprocess.
"""

from __future__ import annotations

import os
import re
import select
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

try:
    import pyte
    from ptyprocess import PtyProcess
except ModuleNotFoundError as missing:  # pragma: no cover - a message, not a feature
    raise SystemExit(f"the pty benches need {missing.name}: python -m pip install pyte ptyprocess") from None

COLUMNS, LINES = 120, 40
GAP = 0.030
"""Chunks closer than this belong to one burst of output (one repaint)."""
HOLD = 1.0
"""The longest the emulator waits for quiet before it reads anyway (an app that never stops
writing would otherwise never be read)."""
TICK_CELLS = 16
"""A chunk that changes at most this many cells, all of them in clocks, is a clock's tick."""

KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
    "backspace": b"\x7f",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "space": b" ",
    "ctrl+q": b"\x11",
    "ctrl+s": b"\x13",
    "ctrl+z": b"\x1a",
}


def key_bytes(key: str) -> bytes:
    """A key by name (see KEYS), or literal text."""
    return KEYS.get(key, key.encode("utf-8"))


@dataclass(frozen=True)
class Chunk:
    at: float
    data: bytes


@dataclass(frozen=True)
class Repaint:
    """One wait for a screen, in perf_counter seconds."""

    start: float
    """The spawn, or the key written."""
    shown: float
    """The arrival of the chunk after which every needle was on screen."""
    end: float
    """The arrival of the last chunk of that burst (clock ticks left out)."""

    @property
    def seconds(self) -> float:
        return self.end - self.start


CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
"""A time of day or a timer on screen: 14:43, 00:02, 1:05:09."""


def is_tick(before: Sequence[str], after: Sequence[str], lines: Iterable[int]) -> bool:
    """Whether going from `before` to `after` (the screen's lines) changed only a few cells,
    each inside a clock or timer (14:43, 00:02) before and after: a clock moving on."""
    changed = 0
    for y in lines:
        old, new = before[y], after[y]
        if len(old) != len(new):
            return False
        inside = [False] * len(new)
        for line in (old, new):
            for found in CLOCK.finditer(line):
                for x in range(*found.span()):
                    inside[x] = True
        for x, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                changed += 1
                if not inside[x] or changed > TICK_CELLS:
                    return False
    return True


def burst_end(
    chunks: Sequence[Chunk], shown: int, feed: Callable[[Chunk], bool], gap: float = GAP
) -> tuple[float, int]:
    """The end of the burst that chunk `shown` belongs to: (the arrival of its last chunk that
    is not a tick, the index after the burst). `feed(chunk)` feeds one chunk after `shown` to
    the emulator and says whether it was a tick. The chunks after the burst are not fed."""
    end = chunks[shown].at
    index = shown + 1
    while index < len(chunks) and chunks[index].at - chunks[index - 1].at < gap:
        if not feed(chunks[index]):
            end = chunks[index].at
        index += 1
    return end, index


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (resident now) and VmHWM (the most it was resident) of process `pid`, in MB."""
    found = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(rest.split()[0]) / 1024
    return found


class PtyApp:
    """`command` in a pty of `columns` × `lines`; its output stamped on arrival, read later."""

    def __init__(
        self,
        command: Sequence[str],
        env: dict[str, str],
        *,
        columns: int = COLUMNS,
        lines: int = LINES,
    ) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        full_env = dict(env, TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines))
        self._chunks: list[Chunk] = []
        self._fed = 0
        self._arrived = threading.Condition()
        self._ended = False
        self.ended_at: float | None = None
        """When the pty closed: the program and every child holding it had ended."""
        self._stop = False
        self.spawned = time.perf_counter()
        self.process = PtyProcess.spawn(list(command), dimensions=(lines, columns), env=full_env)
        self.pid = self.process.pid
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    # -- the reader thread ---------------------------------------------------------------------

    def _read(self) -> None:
        fd = self.process.fd
        while not self._stop:
            try:
                ready, _, _ = select.select([fd], [], [], 0.2)
                if not ready:
                    continue
                data = os.read(fd, 1 << 16)
            except OSError:  # EIO: the program ended and the pty closed
                data = b""
            at = time.perf_counter()
            with self._arrived:
                if data:
                    self._chunks.append(Chunk(at, data))
                else:
                    self._ended, self.ended_at = True, at
                self._arrived.notify_all()
            if not data:
                return

    # -- reading ----------------------------------------------------------------------------

    def _wait_quiet(self, deadline: float) -> None:
        """Until no chunk has come for GAP (or the program ended, or `deadline`, or HOLD
        after the oldest unread chunk): the emulator is fed only then."""
        with self._arrived:
            while not self._ended:
                now = time.perf_counter()
                if now >= deadline:
                    return
                if len(self._chunks) > self._fed:
                    quiet = now - self._chunks[-1].at
                    if quiet >= GAP or now - self._chunks[self._fed].at >= HOLD:
                        return
                    self._arrived.wait(min(GAP - quiet, deadline - now))
                else:
                    self._arrived.wait(deadline - now)

    def _unread(self) -> list[Chunk]:
        with self._arrived:
            return self._chunks[self._fed :]

    def _feed(self, chunk: Chunk) -> None:
        self.stream.feed(chunk.data)
        self._fed += 1

    def _feed_telling_tick(self, chunk: Chunk) -> bool:
        before = self.lines()
        self.screen.dirty.clear()
        self._feed(chunk)
        return is_tick(before, self.lines(), sorted(self.screen.dirty))

    def lines(self) -> list[str]:
        """The screen as lines of text (a wide character's second cell holds nothing)."""
        buffer, columns = self.screen.buffer, self.screen.columns
        return ["".join(buffer[y][x].data for x in range(columns)) for y in range(self.screen.lines)]

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_screen(
        self,
        needles: Sequence[str],
        start: float,
        *,
        timeout: float = 60.0,
        condition: Callable[[str], bool] | None = None,
    ) -> Repaint:
        """Read until every needle is on screen (and `condition(text)`, if given); then to the
        end of that burst. `start` is what the figure counts from (a key's stamp, the spawn)."""

        def met() -> bool:
            text = self.text()
            return all(n in text for n in needles) and (condition is None or condition(text))

        deadline = time.perf_counter() + timeout
        if met():
            raise RuntimeError(f"{list(needles)} are on screen already: they cannot time a repaint")
        while True:
            self._wait_quiet(deadline)
            chunks = self._unread()
            if not chunks:
                if self._ended or time.perf_counter() >= deadline:
                    why = "the program ended" if self._ended else f"{timeout:g} s passed"
                    raise TimeoutError(f"{list(needles)} never all on screen ({why}); screen:\n{self.text()}")
                continue
            for index, chunk in enumerate(chunks):
                self._feed(chunk)
                if not met():
                    continue
                end, after = burst_end(chunks, index, self._feed_telling_tick)
                while after == len(chunks):  # the burst may go on past what had come so far
                    self._wait_quiet(time.perf_counter() + HOLD)
                    more = self._unread()
                    if not more or more[0].at - chunks[-1].at >= GAP:
                        break
                    chunks = [chunks[-1], *more]
                    later, after = burst_end(chunks, 0, self._feed_telling_tick)
                    if later > chunks[0].at:
                        end = later
                return Repaint(start, chunk.at, end)

    def settle(self, quiet: float = 0.3, most: float = 5.0) -> None:
        """Read (and feed) output until none has come for `quiet` seconds (counted from now at
        the earliest), at most `most`."""
        called = time.perf_counter()
        end = called + most
        with self._arrived:
            while not self._ended:
                now = time.perf_counter()
                last = max(self._chunks[-1].at if self._chunks else called, called)
                if now - last >= quiet or now >= end:
                    break
                self._arrived.wait(min(quiet - (now - last), end - now))
            pending = self._chunks[self._fed :]
        for chunk in pending:
            self._feed(chunk)

    # -- writing, memory, closing -------------------------------------------------------------

    def press(self, key: str) -> float:
        """Write one key (by name, or literal text); the perf_counter stamp just before."""
        data = key_bytes(key)
        at = time.perf_counter()
        os.write(self.process.fd, data)
        return at

    def type(self, text: str) -> None:
        os.write(self.process.fd, text.encode("utf-8"))

    def memory(self) -> dict[str, float]:
        return memory_mb(self.pid)

    def wait_exit(self, timeout: float = 30.0) -> int | None:
        """Wait for the program to end (reading its output meanwhile); its exit status."""
        end = time.perf_counter() + timeout
        while self.process.isalive() and time.perf_counter() < end:
            self.settle(0.05, 0.2)
        if self.process.isalive():
            return None
        self.process.wait()
        return self.process.exitstatus

    def close(self, quit_key: str | None = "ctrl+q", wait: float = 10.0) -> float | None:
        """Ask the program to quit (`quit_key`), kill it if it has not within `wait` seconds,
        and release the pty; the seconds from the key to the pty closing, if it quit. With
        no `quit_key`, kill it at once (SIGKILL: no exit work to load the machine)."""
        took = None
        try:
            if quit_key is None:
                os.kill(self.pid, signal.SIGKILL)
                self.wait_exit(5)
            elif self.process.isalive():
                at = self.press(quit_key)
                self.wait_exit(wait)
                took = None if self.ended_at is None else self.ended_at - at
        except OSError:
            pass
        finally:
            self._stop = True
            if self.process.isalive():
                self.process.terminate(force=True)
            self._reader.join(1)
            self.process.close()
        return took

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def run_to_exit(command: Sequence[str], env: dict[str, str], timeout: float = 120.0) -> float:
    """Seconds from spawning `command` in a pty to the pty closing as it exits: a headless
    command writing to a terminal (its output read, not parsed)."""
    app = PtyApp(command, env)
    try:
        with app._arrived:
            deadline = time.perf_counter() + timeout
            while app.ended_at is None:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"{list(command)} did not end within {timeout:g} s")
                app._arrived.wait(left)
        app.process.wait()
        if app.process.exitstatus:
            raise RuntimeError(f"{list(command)} failed ({app.process.exitstatus})")
        return app.ended_at - app.spawned
    finally:
        app.close()
