"""Token fetch, refresh before expiry and on 401, one refresh for many waiters."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from jettui.jet.errors import JetAuthError, JetProtocolError

from .fakes import SECRET, FakeJet, jet_settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_token_is_fetched_once_and_sent_as_bearer() -> None:
    fake = FakeJet()
    fake.routes[("GET", "authcheck")] = "This message is authorized."
    async with fake.client() as jet:
        assert await jet.authcheck()
        assert await jet.authcheck()
    token_calls = [r for r in fake.requests if r.url.path == "/api/token"]
    assert len(token_calls) == 1
    assert [r.headers["Authorization"] for r in fake.api_requests] == ["Bearer tok-SECRET-1"] * 2
    assert jet.stats.token_refreshes == 1


@pytest.mark.parametrize(
    ("lifetime", "still_fine", "then_due"),
    [
        (600, 530, 15),  # 70 s left: fine; 55 s left: inside the 60 s margin
        (10, 4, 2),  # short lifetime: refreshed once past half of it
    ],
    ids=["60s-margin", "half-life"],
)
async def test_token_refreshed_before_expiry(lifetime: int, still_fine: int, then_due: int) -> None:
    fake = FakeJet(lifetime=lifetime)
    fake.routes[("GET", "authcheck")] = "This message is authorized."
    clock = Clock()
    async with fake.client(clock=clock) as jet:
        await jet.authcheck()
        clock.now += still_fine
        await jet.authcheck()
        assert jet.stats.token_refreshes == 1
        clock.now += then_due
        await jet.authcheck()
        assert jet.stats.token_refreshes == 2
    # the refresh happened before Jet ever refused a token
    assert len(fake.api_requests) == 3
    assert fake.api_requests[-1].headers["Authorization"] == "Bearer tok-SECRET-2"


async def test_one_refresh_on_401_for_20_concurrent_waiters() -> None:
    fake = FakeJet(token_delay=0.05)
    fake.routes[("GET", "authcheck")] = "This message is authorized."
    async with fake.client(jet_settings(concurrency=20)) as jet:
        await jet.authcheck()
        fake.revoke_all()  # Jet forgets the token: every in-flight call gets a 401
        results = await asyncio.gather(*(jet.authcheck() for _ in range(20)))
    assert all(results)
    assert len(fake.tokens) == 2
    assert jet.stats.token_refreshes == 2
    refused = [r for r in fake.api_requests if r.headers["Authorization"] == "Bearer tok-SECRET-1"]
    assert len(refused) == 21  # the first call plus the 20 refused ones
    assert sum(r.headers["Authorization"] == "Bearer tok-SECRET-2" for r in fake.api_requests) == 20


async def test_concurrent_first_calls_share_one_token_request() -> None:
    fake = FakeJet(token_delay=0.05)
    fake.routes[("GET", "authcheck")] = "This message is authorized."
    async with fake.client() as jet:
        await asyncio.gather(*(jet.authcheck() for _ in range(20)))
    assert len(fake.tokens) == 1


async def test_second_401_is_an_auth_error_not_a_loop() -> None:
    fake = FakeJet()
    fake.routes[("GET", "authcheck")] = httpx.Response(401, json={"Message": "denied"})
    async with fake.client() as jet:
        with pytest.raises(JetAuthError) as info:
            await jet.authcheck()
    assert info.value.status == 401
    assert info.value.messages == ["denied"]
    assert len(fake.api_requests) == 2 and len(fake.tokens) == 2


async def test_bad_credentials_raise_auth_error_without_the_secret() -> None:
    fake = FakeJet()
    settings = jet_settings(api_user="someone")
    async with fake.client(settings) as jet:
        with pytest.raises(JetAuthError) as info:
            await jet.authcheck()
    assert info.value.status == 400
    assert "someone" in str(info.value)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    assert fake.api_requests == []


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"token_type": "Bearer", "expires_on": "2030-01-01T00:00:00Z"}, "id_token"),
        ({"id_token": "tok-SECRET-x", "token_type": "Bearer"}, "expires_on"),
        ({"id_token": "tok-SECRET-x", "expires_on": "next tuesday"}, "expires_on"),
        (["not", "an", "object"], "not a JSON object"),
    ],
)
async def test_malformed_token_response_is_a_protocol_error(body: object, fragment: str) -> None:
    fake = FakeJet()
    fake.token_reply = lambda: httpx.Response(200, json=body)
    async with fake.client() as jet:
        with pytest.raises(JetProtocolError) as info:
            await jet.authcheck()
    assert fragment in str(info.value)
    assert "tok-SECRET" not in str(info.value)
    assert fake.api_requests == []


async def test_token_not_json_is_a_protocol_error() -> None:
    fake = FakeJet()
    fake.token_reply = lambda: httpx.Response(200, text="<html>gateway</html>")
    async with fake.client() as jet:
        with pytest.raises(JetProtocolError, match="not JSON"):
            await jet.authcheck()
