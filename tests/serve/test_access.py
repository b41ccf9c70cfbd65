"""Who may open a browser seat: beyond loopback (here 127.0.0.2) only with the token printed at
start, on loopback too with --token; and never a page or websocket naming another host."""

from __future__ import annotations

import urllib.error
import urllib.request

import aiohttp

from tests.serve.seat import Served

MEETING_TITLE = "2024年下半年经济运行调度会"


def status_of(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


async def websocket_status(url: str, headers: dict[str, str] | None = None, *, drawn: bool = False) -> int:
    """101 when the websocket opened (and, if `drawn`, the app sent its first frame), else the
    refusal's status."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers or {}) as websocket:
                if drawn:
                    message = await websocket.receive(timeout=20)
                    assert message.type == aiohttp.WSMsgType.BINARY, message
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


async def test_beyond_loopback_the_token_is_required(serve) -> None:
    served: Served = serve("--host", "127.0.0.2")
    assert served.host == "127.0.0.2"
    token = served.token
    assert token and len(token) >= 24, "a token is made at start and printed in the URL"
    base = served.base

    for refused in (f"{base}/", f"{base}/?token=wrong", f"{base}/?token=", f"{base}/static/js/textual.js"):
        code, _, text = status_of(refused)
        assert code == 403, refused
        assert "token" in text and MEETING_TITLE not in text
    assert await websocket_status(f"ws://127.0.0.2:{served.port}/ws") == 403
    assert await websocket_status(f"ws://127.0.0.2:{served.port}/ws?token=wrong") == 403

    code, headers, page = status_of(served.url)
    assert code == 200 and MEETING_TITLE in page
    cookie = headers["Set-Cookie"].split(";")[0]  # what the browser sends from now on
    assert token in cookie and "HttpOnly" in headers["Set-Cookie"]
    assert f"ws://127.0.0.2:{served.port}/ws" in page
    assert status_of(f"{base}/static/js/textual.js", {"Cookie": cookie})[0] == 200
    assert await websocket_status(f"ws://127.0.0.2:{served.port}/ws", {"Cookie": cookie}, drawn=True) == 101
    assert await websocket_status(f"ws://127.0.0.2:{served.port}/ws?token={token}") == 101


def test_token_asks_for_one_on_loopback_too(serve) -> None:
    served: Served = serve("--token")
    assert served.host == "127.0.0.1" and served.token
    assert status_of(f"{served.base}/")[0] == 403
    assert status_of(served.url)[0] == 200


def test_on_loopback_without_a_token_the_page_is_open(serve) -> None:
    served: Served = serve()
    assert served.token is None and "token" not in served.url
    code, headers, page = status_of(f"{served.base}/")
    assert code == 200 and MEETING_TITLE in page and "Set-Cookie" not in headers


async def test_a_request_naming_another_host_is_refused(serve) -> None:
    """A web page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) reaches nothing."""
    served: Served = serve()
    for host in ("meeting.example", "127.0.0.1.nip.io", "127.0.0.2"):
        assert status_of(f"{served.base}/", {"Host": f"{host}:{served.port}"})[0] == 403, host
        assert await websocket_status(f"{served.base}/ws", {"Host": f"{host}:{served.port}"}) == 403, host
    assert status_of(f"{served.base}/", {"Host": f"localhost:{served.port}"})[0] == 200


async def test_the_websocket_opens_only_from_the_seats_own_page(serve) -> None:
    """Another site open in the same browser cannot drive or read the seat."""
    served: Served = serve()
    ws = f"ws://127.0.0.1:{served.port}/ws"
    assert await websocket_status(ws, {"Origin": "http://meeting.example"}) == 403
    assert await websocket_status(ws, {"Origin": f"http://127.0.0.1:{served.port + 1}"}) == 403
    assert await websocket_status(ws, {"Origin": served.base}) == 101
    assert await websocket_status(ws, {"Origin": f"http://localhost:{served.port}"}) == 101
