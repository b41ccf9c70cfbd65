"""`zzreview serve` starts, refuses and stops cleanly: bad usage is one line and exit 2, Ctrl-C
ends every tab's app, and no app outlives its tab or its server — even one that will not quit."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import aiohttp
import pytest

from tests.serve.seat import Served, alive, isolated_env, start_server, wait_until, zzreview
from zzreview.ui.serve import ServeError, check_host, end_process, needs_token, public_url_for


@pytest.mark.parametrize(
    ("host", "needed"),
    [("127.0.0.1", False), ("::1", False), ("[::1]", False), ("localhost", False), ("LOCALHOST", False),
     ("127.0.0.2", True), ("0.0.0.0", True), ("192.168.1.20", True), ("meeting-room.local", True)],
)  # fmt: skip
def test_every_host_but_loopback_needs_the_token(host: str, needed: bool) -> None:
    assert needs_token(host) is needed


def test_the_public_url_is_given_or_made_from_host_and_port() -> None:
    assert public_url_for("127.0.0.2", 8123, None) == "http://127.0.0.2:8123"
    assert public_url_for("::1", 8123, None) == "http://[::1]:8123"
    assert public_url_for("127.0.0.2", 80, None) == "http://127.0.0.2"
    assert public_url_for("0.0.0.0", 8000, "https://zz.example/") == "https://zz.example"
    for host, given in [("0.0.0.0", None), ("::", None), ("127.0.0.1", "ftp://x"), ("127.0.0.1", "x:y")]:
        with pytest.raises(ServeError):
            public_url_for(host, 8000, given)
    for bad in ["bad host", "", "1.2.3", "-x.example", "a..b"]:
        with pytest.raises(ServeError):
            check_host(bad)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path)


def one_line_refusal(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zzreview: "), result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--host", "bad host"], ["--host", "bad host"]),
        (["--host", "0.0.0.0"], ["--public-url"]),
        (["--public-url", "ftp://127.0.0.1/"], ["--public-url"]),
        (["--port", "70000"], ["70000"]),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(demo_db: Path, env: dict[str, str], args, words) -> None:
    result = zzreview("--db", str(demo_db), "serve", *args, env=env)
    if "--port" in args:  # click's own message for an out-of-range option
        assert result.returncode == 2 and "Traceback" not in result.stderr and "70000" in result.stderr
        return
    one_line_refusal(result, *words)


def test_a_port_in_use_is_one_line_and_exit_2(demo_db: Path, env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = zzreview("--db", str(demo_db), "serve", "--port", str(port), env=env)
    one_line_refusal(result, f"127.0.0.1:{port}", "in use", "--port")


def test_ctrl_c_stops_the_server_and_every_tabs_app(serve) -> None:
    served: Served = serve()

    async def open_two_tabs_then_interrupt() -> list[int]:
        async with aiohttp.ClientSession() as session:
            tabs = [await session.ws_connect(f"ws://127.0.0.1:{served.port}/ws") for _ in range(2)]
            for tab in tabs:  # each app has drawn
                assert (await tab.receive(timeout=20)).type == aiohttp.WSMsgType.BINARY
            apps = sorted(served.apps())
            served.process.send_signal(signal.SIGINT)
            for tab in tabs:  # the server closes each tab
                while (await tab.receive(timeout=15)).type not in (
                    aiohttp.WSMsgType.CLOSE,
                    aiohttp.WSMsgType.CLOSED,
                ):
                    pass
            return apps

    apps = asyncio.run(open_two_tabs_then_interrupt())
    assert len(apps) == 2
    assert served.process.wait(15) == 0
    assert not [pid for pid in apps if alive(pid)]
    assert "zzreview serve: stopped" in "".join(served.out)
    assert "Traceback" not in "".join(served.out + served.err)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_killed_servers_apps_end_too(serve) -> None:
    served: Served = serve()

    async def open_tab() -> None:
        async with aiohttp.ClientSession() as session:
            tab = await session.ws_connect(f"ws://127.0.0.1:{served.port}/ws")
            assert (await tab.receive(timeout=20)).type == aiohttp.WSMsgType.BINARY
            (app,) = served.apps()
            served.process.kill()  # no chance to tidy up
            served.process.wait(5)
            wait_until(lambda: not alive(app), "the orphaned app to end", 8)
            await tab.close()

    asyncio.run(open_tab())


STUBBORN_APP = textwrap.dedent(
    """
    # A Textual app's stand-in that draws once, then ignores quit, stdin's end and SIGTERM and
    # spins: the leftover once seen after a headless browser disconnected.
    import os, signal, sys
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    out = sys.stdout.buffer
    out.write(b"__GANGLION__\\n")
    screen = b"stubborn app"
    out.write(b"D" + len(screen).to_bytes(4, "big") + screen)
    out.flush()
    while True:
        pass
    """
)

SERVER = textwrap.dedent(
    """
    import sys
    import zzreview.ui.serve as served
    served.QUIT_GRACE = served.TERMINATE_GRACE = 0.5  # short graces, so the test is short
    served.serve([sys.executable, sys.argv[1]], host="127.0.0.1", port=0, public_url=None,
                 want_token=False, title="stubborn", announce=lambda url: print("open", url, flush=True))
    """
)


def start_stubborn_server(tmp_path: Path) -> Served:
    """A server whose tabs run STUBBORN_APP."""
    app = tmp_path / "stubborn_app.py"
    app.write_text(STUBBORN_APP, encoding="utf-8")
    return start_server([sys.executable, "-c", SERVER, str(app)])


async def open_stubborn_tab(session: aiohttp.ClientSession, server: Served):
    """A tab on the stubborn server, once its app has drawn; the tab and the app's pid."""
    known = server.apps()
    tab = await session.ws_connect(f"ws://127.0.0.1:{server.port}/ws")
    message = await tab.receive(timeout=20)
    assert message.data == b"stubborn app"
    (pid,) = server.apps() - known
    return tab, pid


def test_an_app_that_will_not_quit_is_killed_when_its_tab_closes(tmp_path: Path) -> None:
    server = start_stubborn_server(tmp_path)
    try:

        async def open_and_close_tab() -> int:
            async with aiohttp.ClientSession() as session:
                tab, pid = await open_stubborn_tab(session, server)
                await tab.send_str(json.dumps(["stdin", "q"]))
                await tab.close()
            return pid

        pid = asyncio.run(open_and_close_tab())
        took = wait_until(lambda: not alive(pid), "the stubborn app to be killed", 6)
        assert took < 6
        assert server.process.poll() is None, "the server goes on serving"
    finally:
        server.stop()
    err = "".join(server.err)
    assert "did not quit when its tab closed: ended with SIGKILL" in err
    assert "Traceback" not in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_an_app_that_will_not_quit_ends_with_a_killed_server(tmp_path: Path) -> None:
    server = start_stubborn_server(tmp_path)
    try:

        async def open_tab_and_kill_the_server() -> int:
            async with aiohttp.ClientSession() as session:
                tab, pid = await open_stubborn_tab(session, server)
                server.process.kill()  # no chance to tidy up
                server.process.wait(5)
                await tab.close()
            return pid

        pid = asyncio.run(open_tab_and_kill_the_server())
        wait_until(lambda: not alive(pid), "the orphaned stubborn app to end", 5)
    finally:
        server.process.kill()
        server.process.wait(15)


async def test_end_process_terminates_then_kills(monkeypatch: pytest.MonkeyPatch) -> None:
    import zzreview.ui.serve as served

    monkeypatch.setattr(served, "TERMINATE_GRACE", 0.3)
    ignores_term = "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(flush=True); time.sleep(60)"
    quits = "print(flush=True)"
    endings = []
    for code in (ignores_term, "import time; print(flush=True); time.sleep(60)", quits):
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE, start_new_session=True
        )
        await process.stdout.readline()  # its signal handling is in place
        endings.append(await end_process(process, grace=0.3))
        assert process.returncode is not None
        with pytest.raises(ProcessLookupError):
            os.kill(process.pid, 0)
    assert endings == ["SIGKILL", "SIGTERM", None]
