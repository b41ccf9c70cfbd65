"""A browser seat: the meeting app served by textual-serve, one app process per browser tab.

Each tab that opens the page gets its own `zzreview … run --role …` process on the same
database, so a tab is one more seat and what it records is logged as its role. The page is our
own template (`templates/app_index.html`): its script, styles and fonts are the files
textual-serve ships, served by this server, so nothing the page loads leaves the machine.

Access: bound to a loopback name (127.0.0.1, ::1, localhost) the server answers anyone on this
machine, unless a token is asked for; bound to any other address it always wants the token
made at start. The page takes it as `?token=…` and hands the browser a cookie for the rest
(the websocket, the static files); anything without it gets 403. Every request must also name
the server by an address it was told about, and the websocket must come from its own page,
so another web site cannot reach a loopback seat through the visitor's browser.

When a tab closes, its app is told to quit, then terminated, then killed, each after a grace
period: an app left behind by a vanished browser once spun at 18–64 % CPU. On Linux each app
also dies with the server, however the server ends.

textual-serve is imported here and nowhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import json
import logging
import os
import re
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

TEMPLATES = Path(__file__).parent / "templates"
"""Our page template; textual-serve's own asks fonts.googleapis.com for its font."""

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
"""Hosts a seat may be served on without a token (unless one is asked for)."""

WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", "*"})
"""Hosts that mean every interface: no address for a browser can be made from them."""

QUIT_GRACE = 3.0
"""Seconds a tab's app has to quit once its tab closed, before it is terminated."""

TERMINATE_GRACE = 2.0
"""Seconds a terminated app has before it is killed."""

HEARTBEAT = 10.0
"""Seconds between websocket pings: a browser that vanished without a word is noticed."""

SHUTDOWN_GRACE = 5.0
"""Seconds the server waits for open requests when it stops."""

PRELUDE = b"__GANGLION__\n"
"""The line a Textual app under the web driver writes before its first packet."""

PRELUDE_LINES = 10
"""Lines of output an app may write before that line; past them it is not a Textual app."""

STDERR_TAIL = 4096
"""Bytes of an app's stderr kept, for the line said when it fails."""


class ServeError(ValueError):
    """The server cannot run as asked; the message says why and what to change."""


def needs_token(host: str) -> bool:
    """Whether serving on `host` requires an access token: every host but loopback's names."""
    return host.strip().lower().strip("[]") not in LOOPBACK_HOSTS


_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def check_host(host: str) -> None:
    """Raise ServeError unless `host` is an IP address or a well-formed host name (checked
    here, so a typo is named without asking a name server)."""
    bare = host.strip().strip("[]")
    if bare in WILDCARD_HOSTS:
        return
    try:
        ipaddress.ip_address(bare)
        return
    except ValueError:
        pass
    labels = bare.rstrip(".").split(".")
    if not bare or len(bare) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise ServeError(f"--host {host!r}: not an IP address or a host name")
    if labels[-1].isdigit():
        raise ServeError(f"--host {host!r}: not an IP address or a host name")


def public_url_for(host: str, port: int, public_url: str | None) -> str:
    """The address browsers open, without a trailing slash: `public_url` checked, or made from
    the host and port. Raises ServeError for a URL that is not http(s) or a wildcard host."""
    if public_url:
        parts = urlsplit(public_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ServeError(f"--public-url {public_url!r}: expected http://HOST[:PORT] or https://…")
        if parts.query or parts.fragment:
            raise ServeError(f"--public-url {public_url!r}: no query or fragment, just the address")
        try:
            parts.port  # noqa: B018 - a bad port raises here
        except ValueError:
            raise ServeError(f"--public-url {public_url!r}: the port is not a number") from None
        return public_url.strip().rstrip("/")
    bare = host.strip().strip("[]")
    if bare in WILDCARD_HOSTS:
        raise ServeError(
            f"--host {host} listens on every interface: give the address browsers use with --public-url"
        )
    name = f"[{bare}]" if ":" in bare else bare
    return f"http://{name}" if port == 80 else f"http://{name}:{port}"


def _address(text: str, default_port: int) -> tuple[str, int] | None:
    """(host, port) of a Host header or URL netloc, lower case, brackets off; None if unreadable."""
    try:
        parts = urlsplit(f"//{text}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname.lower(), port or default_port


@dataclass(frozen=True)
class Access:
    """Who may use the seat: the token (or None), the cookie that carries it, and the
    (host, port) pairs a request may name the server by."""

    token: str | None
    cookie: str
    names: frozenset[tuple[str, int]]
    secure: bool = False

    def knows(self, address: str, default_port: int) -> bool:
        return _address(address, default_port) in self.names

    def admits(self, given: str | None) -> bool:
        if self.token is None:
            return True
        return given is not None and secrets.compare_digest(given.encode(), self.token.encode())


def access_for(host: str, port: int, public_url: str, token: str | None) -> Access:
    """The access rule of a server bound to host:port and opened at `public_url`."""
    public = urlsplit(public_url)
    default = 443 if public.scheme == "https" else 80
    pairs = {((public.hostname or "").lower(), public.port or default)}
    bare = host.strip().strip("[]").lower()
    pairs.add((bare, port))
    if bare in LOOPBACK_HOSTS:
        pairs.update((name, port) for name in LOOPBACK_HOSTS)
    return Access(
        token=token, cookie=f"zzreview_token_{port}", names=frozenset(pairs), secure=public.scheme == "https"
    )


def _forbidden(reason: str) -> web.Response:
    return web.Response(status=403, text=f"403 Forbidden: {reason}\n", headers={"Cache-Control": "no-store"})


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a function for the forked child that has the kernel kill it when the server
    goes, however it goes; elsewhere None. Resolved before the fork, so the child only calls.

    SIGKILL, not SIGTERM: with the server gone nobody is left to escalate, and an app that
    ignores SIGTERM would spin on. Every save is durable before it is acknowledged, so a kill
    loses nothing; the tab that could have typed more has gone with the server."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    set_parent_death_signal = 1  # PR_SET_PDEATHSIG

    def arm() -> None:
        prctl(set_parent_death_signal, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the server went between the fork and the prctl
            os._exit(1)

    return arm


async def end_process(process: asyncio.subprocess.Process, grace: float) -> str | None:
    """Wait up to `grace` s for `process` to end, then terminate its group, then kill it.
    Returns the name of the last signal it took, or None if it ended by itself."""
    sent: str | None = None
    for next_signal, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, TERMINATE_GRACE), (None, None)):
        try:
            await asyncio.wait_for(process.wait(), wait)
            return sent
        except TimeoutError:
            pass
        if next_signal is None:
            return sent
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, next_signal)  # its own session: the group is its pid
        sent = next_signal.name
    return sent


class BrowserTab(AppService):
    """One tab's app process: started by exec (no shell), in its own session, fed by the tab's
    websocket. Its output is read to the end even once the tab has gone (dropped, so the app is
    never blocked writing), and what it says on stderr stays out of the console but its last
    line, should it fail."""

    def __init__(self, argv: Sequence[str], websocket: web.WebSocketResponse, server: Server) -> None:
        super().__init__(
            shlex.join(argv),
            write_bytes=self._to_browser,
            write_str=self._to_browser,
            close=websocket.close,
            download_manager=server.download_manager,
        )
        self.argv = list(argv)
        self._websocket = websocket
        self._stopping: asyncio.Future[None] | None = None
        self._stderr_tail = bytearray()
        self._signalled: str | None = None

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        return self._process

    async def _to_browser(self, data: bytes | str) -> None:
        if self._websocket.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            if isinstance(data, bytes):
                await self._websocket.send_bytes(data)
            else:
                await self._websocket.send_str(data)

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
            preexec_fn=_die_with_parent(),
        )
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's packets (D: screen bytes, M: meta as JSON, P: packed) until it
        closes its output. The app announces itself with a line of its own first."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        stdout = process.stdout
        stderr_reader = asyncio.ensure_future(self._keep_stderr_tail(process.stderr))
        handlers = {b"D": self.on_data, b"M": self.on_meta, b"P": self.on_packed}
        try:
            for _ in range(PRELUDE_LINES):
                line = await stdout.readline()
                if not line or line == PRELUDE:
                    break
            if line == PRELUDE:
                while True:
                    kind = await stdout.readexactly(1)
                    size = int.from_bytes(await stdout.readexactly(4), "big")
                    payload = await stdout.readexactly(size)
                    handler = handlers.get(kind)
                    if handler is not None:
                        await handler(payload)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass  # the app has gone, or said something that is not the protocol
        finally:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(stderr_reader, TERMINATE_GRACE)

    async def _keep_stderr_tail(self, stderr: asyncio.StreamReader) -> None:
        while chunk := await stderr.read(4096):
            self._stderr_tail += chunk
            del self._stderr_tail[:-STDERR_TAIL]

    def failure(self) -> str | None:
        """One line on how the app ended, if it failed by itself; None if it ended well."""
        process = self._process
        if process is None or process.returncode in (None, 0):
            return None
        if self._signalled:
            return f"a tab's app did not quit when its tab closed: ended with {self._signalled}"
        lines = [line.strip() for line in self._stderr_tail.decode("utf-8", "replace").splitlines()]
        last = next((line for line in reversed(lines) if line.strip("│╰─╯ ")), "")
        return f"a tab's app ended with exit code {process.returncode}" + (f": {last}" if last else "")

    async def stop(self) -> None:
        """Tell the app to quit and make sure it has ended; safe to call more than once."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
            with contextlib.suppress(OSError, RuntimeError):
                self.stdin.close()
        self._signalled = await end_process(process, QUIT_GRACE)
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._task, TERMINATE_GRACE)
            self._task = None
        problem = self.failure()
        if problem:
            logging.getLogger("zzreview.serve").warning("%s", problem)


class BrowserSeatServer(Server):
    """textual-serve's server with our page, the access rule, and tabs whose apps always end."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        host: str,
        port: int,
        public_url: str | None,
        token: str | None,
        title: str,
        announce: Callable[[str], None],
    ) -> None:
        self._public_url_given = public_url
        super().__init__(
            shlex.join(argv),
            host=host,
            port=port,
            title=title,
            public_url=public_url_for(host, port, public_url),
            templates_path=TEMPLATES,
        )
        self.argv = list(argv)
        self.token = token
        self.access = access_for(host, port, self.public_url, token)
        self.announce = announce
        self.tabs: set[BrowserTab] = set()

    @property
    def open_url(self) -> str:
        """The URL to open in a browser, with the token when one is needed."""
        return f"{self.public_url}/?token={self.token}" if self.token else f"{self.public_url}/"

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        access = lambda: self.access  # noqa: E731 - read at each request: the port is known once bound

        @web.middleware
        async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
            rule = access()
            default_port = 443 if rule.secure else 80
            if not rule.knows(request.host, default_port):
                return _forbidden("this seat answers only to the address it was opened at")
            origin = request.headers.get("Origin")
            if request.path == "/ws" and origin is not None:
                netloc = urlsplit(origin).netloc
                if not netloc or not rule.knows(netloc, default_port):
                    return _forbidden("the websocket is for the seat's own page")
            offered = request.query.get("token")
            if not rule.admits(offered or request.cookies.get(rule.cookie)):
                return _forbidden(
                    "this meeting seat needs its access token: open the URL `zzreview serve` printed"
                )
            response = await handler(request)
            if rule.token is not None and offered and not response.prepared:
                response.set_cookie(
                    rule.cookie, rule.token, httponly=True, samesite="Strict", path="/", secure=rule.secure
                )
            if request.path == "/" and not response.prepared:
                response.headers["Cache-Control"] = "no-store"
                response.headers["Referrer-Policy"] = "no-referrer"
            return response

        app.middlewares.append(guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Announced by `run` once bound, not here: with port 0 the address is not known yet."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Every tab's app ends before the server does."""
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs)), return_exceptions=True)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A tab's terminal: its own app process, fed what the tab types, until either side goes."""
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT)
        await websocket.prepare(request)
        tab = BrowserTab(self.argv, websocket, self)
        self.tabs.add(tab)
        try:
            await tab.start(_size(request, "width", 80), _size(request, "height", 24))
            await self._relay(websocket, tab)
        except (OSError, RuntimeError, ValueError) as error:
            logging.getLogger("zzreview.serve").warning("a tab's app stopped: %s", error)
        finally:
            await tab.stop()
            self.tabs.discard(tab)
            await websocket.close()
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, tab: BrowserTab) -> None:
        """The page's messages to the app: keys (`stdin`), `resize`, `focus`, `blur`; `ping`
        is answered here. Anything else, or malformed, is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await tab.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                with contextlib.suppress(TypeError, ValueError, KeyError):
                    await tab.set_terminal_size(int(data["width"]), int(data["height"]))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "focus":
                await tab.focus()
            elif kind == "blur":
                await tab.blur()

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT (Ctrl-C) or SIGTERM; every tab's app ends first. Raises ServeError
        when the address cannot be listened on."""
        _quiet_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(
            await self._make_app(), handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_GRACE
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            try:
                await site.start()
            except OSError as error:
                raise ServeError(_listen_problem(self.host, self.port, error)) from None
            if self.port == 0:
                self._bound_to(_bound_port(runner, self.port))
            self.announce(self.open_url)
            await stop.wait()
        finally:
            await runner.cleanup()

    def _bound_to(self, port: int) -> None:
        """Port 0 asked for any free port: the addresses are made from the one bound."""
        self.port = port
        self.public_url = public_url_for(self.host, port, self._public_url_given)
        self.access = access_for(self.host, port, self.public_url, self.token)


def _size(request: web.Request, name: str, default: int) -> int:
    try:
        return max(1, min(int(request.query.get(name, default)), 1000))
    except ValueError:
        return default


def _bound_port(runner: web.AppRunner, fallback: int) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return fallback


def _listen_problem(host: str, port: int, error: OSError) -> str:
    where = f"{host}:{port}"
    if isinstance(error, socket.gaierror):
        return f"--host {host}: no such host or address ({error.strerror or error})"
    if error.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: the port is in use (choose another with --port)"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {where}: no interface of this machine has the address {host}"
    if error.errno == errno.EACCES:
        return f"cannot listen on {where}: permission denied (choose a port above 1023 with --port)"
    return f"cannot listen on {where}: {error.strerror or error}"


class _OneLine(logging.Formatter):
    """A log record as one line, an exception as its message: no traceback on the console."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"zzreview serve: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            text += f": {record.exc_info[1]}"
        return text


def _quiet_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    for name in ("zzreview.serve", "textual-serve", "aiohttp", "asyncio"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def serve(
    argv: Sequence[str],
    *,
    host: str,
    port: int,
    public_url: str | None,
    want_token: bool,
    title: str,
    announce: Callable[[str], None],
) -> None:
    """Serve the app `argv` starts (one process per tab) at host:port until Ctrl-C. A token is
    made when `want_token` or the host is not loopback; `announce` is told the URL to open."""
    token = secrets.token_urlsafe(24) if want_token or needs_token(host) else None
    server = BrowserSeatServer(
        argv, host=host, port=port, public_url=public_url, token=token, title=title, announce=announce
    )
    server.serve()
