"""`zzreview serve` as a person starts it: a real server process, bound to a loopback address
only (127.0.0.0/8), and what a test reads off it: the URL it printed, its app processes."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

OPEN_LINE = re.compile(r"open (http://\S+)")
"""The line the server prints once it listens: the URL to open."""


def wait_until(condition: Callable[[], object], what: str, timeout: float) -> float:
    """Poll `condition` until it is true; the seconds it took. Fails naming `what` at the deadline."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            pytest.fail(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.05)
    return time.monotonic() - start


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """This environment with no ZZREVIEW_* and the per-user folders inside `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZZREVIEW_")}
    home = tmp_path / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        ZZREVIEW_USER="测试员",
    )
    return env


def zzreview(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run this interpreter's zzreview to the end."""
    return subprocess.run(
        [sys.executable, "-m", "zzreview", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def descendants(pid: int) -> set[int]:
    """The live (not zombie) processes below `pid`, read from /proc."""
    parent_of: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state not in ("Z", "X"):
            parent_of[int(entry)] = int(ppid)
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parent_of.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Whether `pid` is a running process (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@dataclass
class Served:
    """A running `zzreview serve`: its process, the URL it printed, and all it has printed."""

    process: subprocess.Popen[str]
    url: str
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        """scheme://host:port, without the path or the token."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 80

    @property
    def token(self) -> str | None:
        match = re.search(r"[?&]token=([^&]+)", self.url)
        return match.group(1) if match else None

    def apps(self) -> set[int]:
        """The server's child processes: one app per open tab."""
        return descendants(self.process.pid)

    def stop(self, timeout: float = 15) -> int:
        """Ctrl-C, as a person stops it; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)


def _pump(stream, into: list[str], lines: queue.Queue[str] | None) -> None:
    for line in stream:
        into.append(line)
        if lines is not None:
            lines.put(line)


def start_server(command: list[str], env: dict[str, str] | None = None, timeout: float = 20) -> Served:
    """Start a server process and wait for the URL it prints to open."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out: list[str] = []
    err: list[str] = []
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, out, lines), daemon=True).start()
    threading.Thread(target=_pump, args=(process.stderr, err, None), daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            process.kill()
            pytest.fail(f"{command[:4]} printed no URL in {timeout:.0f} s: {''.join(out + err)}")
        match = OPEN_LINE.search(line)
        if match:
            return Served(process, match.group(1), out, err)


def start_serve(db: Path, env: dict[str, str], *args: str, timeout: float = 20) -> Served:
    """Start `zzreview --db DB serve --port 0 ARGS…` and wait for the URL it prints."""
    command = [sys.executable, "-m", "zzreview", "--db", str(db), "serve", "--port", "0", *args]
    return start_server(command, env, timeout)


class AppScreen:
    """What a tab's websocket shows: its binary frames fed through a terminal emulator (pyte),
    its text frames (JSON, such as a pong) kept in order."""

    def __init__(self, columns: int = 120, lines: int = 40) -> None:
        import pyte

        self.columns, self.lines = columns, lines
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self.screen)
        self.texts: list[str] = []

    def feed(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self._stream.feed(payload)
        else:
            self.texts.append(payload)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def shows(self, wanted: str) -> bool:
        return wanted in self.text()
