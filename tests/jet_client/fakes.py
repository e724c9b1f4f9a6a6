"""A scriptable fake Jet for httpx.MockTransport: tokens, recorded requests, queued faults."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from jettui.config import JetSettings, Secret, Settings
from jettui.jet.client import JetClient
from jettui.jet.models import format_jet_date

SECRET = "s3cr3t-DO-NOT-SHOW"
TOKEN_PREFIX = "tok-SECRET-"
BASE = "http://jet.test/api"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def jet_settings(**changes: Any) -> JetSettings:
    base = replace(
        Settings().jet,
        api_url=BASE,
        api_user="jetuser",
        api_secret=Secret(SECRET),
        max_retries=3,
        concurrency=4,
        timeout_seconds=5.0,
    )
    return replace(base, **changes)


class FakeJet:
    """Answers /token with fresh tokens; other paths from ``routes`` or queued ``faults``."""

    def __init__(self, lifetime: float = 3600.0, token_delay: float = 0.0) -> None:
        self.lifetime = lifetime
        self.token_delay = token_delay
        self.requests: list[httpx.Request] = []
        self.tokens: list[str] = []
        self.valid: set[str] = set()
        self.routes: dict[tuple[str, str], Any] = {}  # (method, path) -> JSON or Reply
        self.faults: list[Reply] = []  # served first, one per request (token requests excluded)
        self.token_reply: Callable[[], httpx.Response] | None = None
        self.in_flight = 0
        self.max_in_flight = 0

    @property
    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if not r.url.path.lower().endswith("/token")]

    def revoke_all(self) -> None:
        self.valid.clear()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/api/")
        if path.lower() == "token":
            if self.token_delay:
                await asyncio.sleep(self.token_delay)
            if self.token_reply:
                return self.token_reply()
            body = json.loads(request.content)
            if body != {"user": "jetuser", "pass": SECRET}:
                return httpx.Response(400, json={"errors": ["bad user or password"]})
            token = f"{TOKEN_PREFIX}{len(self.tokens) + 1}"
            self.tokens.append(token)
            self.valid.add(token)
            expires = datetime.now(UTC) + timedelta(seconds=self.lifetime)
            return httpx.Response(
                200,
                json={
                    "id_token": token,
                    "token_type": "Bearer",
                    "expires_on": format_jet_date(expires),
                },
            )
        if "sig=" not in str(request.url):  # blob uploads carry no bearer token
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or token not in self.valid:
                return httpx.Response(401, json={"Message": "Authorization has been denied."})
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0)  # let other calls start: measures the concurrency limit
            reply: Any
            if self.faults:
                reply = self.faults.pop(0)
            else:
                reply = self.routes.get((request.method, path), httpx.Response(404))
            if isinstance(reply, Exception):
                raise reply
            if callable(reply):
                return reply(request)
            if isinstance(reply, httpx.Response):
                return reply
            return httpx.Response(200, json=reply)
        finally:
            self.in_flight -= 1

    def client(self, settings: JetSettings | None = None, **options: Any) -> JetClient:
        options.setdefault("backoff_base", 0.001)
        return JetClient(settings or jet_settings(), transport=httpx.MockTransport(self), **options)
