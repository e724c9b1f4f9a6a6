"""The in-process sandbox as an httpx transport that fails the way a socket would.

httpx's ASGITransport calls the app directly: it applies no timeout at all, turns an app that
stops answering half-way into an AssertionError and one that never answers into a hang. Over
HTTP the same situations are a ``ReadTimeout`` (no answer within the read timeout; raised at
once when the app is visibly waiting for the client to leave) and a ``RemoteProtocolError``
(the server closed the connection), and the client's retry policy depends on exactly those errors. This
transport makes the embedded sandbox raise them too, so a test or a demo behaves the same
in-process and over HTTP (issue 7 item 13).

Like a real server, the sandbox keeps working on a request whose client gave up: the call
runs on in a task of its own until it ends or the transport is closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _ConnectionDropped(Exception):
    """The app returned without finishing its answer: over HTTP the server closes the socket."""


class _NoAnswer(Exception):
    """The app waits for the client to go away without answering: over HTTP the client's read
    timeout ends the wait."""


def _as_over_http(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so that an answer left unfinished raises :class:`_ConnectionDropped` and
    waiting for the disconnect before answering raises :class:`_NoAnswer`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        finished = started = body_read = False

        async def tracking_receive() -> Message:
            nonlocal body_read
            if body_read and not started:
                raise _NoAnswer  # all read, nothing sent: only a disconnect can come now
            message = await receive()
            body_read = message["type"] == "http.request" and not message.get("more_body")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal finished, started
            started = True
            if message["type"] == "http.response.body" and not message.get("more_body"):
                finished = True
            await send(message)

        await app(scope, tracking_receive, tracking_send)
        if scope["type"] == "http" and not finished:
            raise _ConnectionDropped

    return wrapped


class InProcessTransport(httpx.AsyncBaseTransport):
    """An ASGI app behind the failure modes of a network connection (module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._inner = httpx.ASGITransport(app=_as_over_http(app))
        self._running: set[asyncio.Task[httpx.Response]] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        read_timeout = (request.extensions.get("timeout") or {}).get("read")
        task = asyncio.create_task(self._inner.handle_async_request(request))
        self._running.add(task)
        task.add_done_callback(self._forget)
        try:
            # shield: a timeout abandons the answer, not the work (see the module docstring)
            return await asyncio.wait_for(asyncio.shield(task), read_timeout)
        except (TimeoutError, _NoAnswer):  # _NoAnswer: no answer will come, skip the wait
            raise httpx.ReadTimeout("timed out waiting for the sandbox", request=request) from None
        except _ConnectionDropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a complete response.", request=request
            ) from None

    def _forget(self, task: asyncio.Task[httpx.Response]) -> None:
        self._running.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: an abandoned call's failure is no "never retrieved"

    async def aclose(self) -> None:
        """Stop calls still running for clients that gave up on them."""
        for task in list(self._running):
            task.cancel()
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
        await self._inner.aclose()
