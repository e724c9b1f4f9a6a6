"""Async client for the Jet merchant API (docs/jet-api.md sections 1, 2.1–2.6 and 2.9).

One :class:`JetClient` per task (it is an async context manager around an httpx.AsyncClient):

- Auth: POST /token, ``Authorization: Bearer <id_token>``; the token is refreshed shortly before
  ``expires_on`` and once on a 401. One refresh at a time, however many calls wait for it.
- Resilience: a timeout on every call; retries with exponential backoff and jitter on connection
  errors, timeouts and 5xx; 429 honours Retry-After (capped); at most ``concurrency`` calls in
  flight.
- Every write says what a repeat would do (``repeat_safe``). Safe to repeat by value (SKU data,
  price, inventory, variation, exceptions, archive, the order tag): retried like a read. Not
  safe (acknowledge, shipped, returns complete, refunds, files/uploaded, orders/generate):
  retried only when the request provably never reached Jet (connect errors, connect and pool
  timeouts) or Jet answered 429 (refused before processing). Such a write that fails after a
  5xx or a read timeout/dropped connection, or a write answered 4xx on a retry, is raised with
  ``may_have_applied=True``: the caller looks it up before sending it again, through the one
  helper for that, :func:`jettui.jet.once.send_once`.
- Validation: every write runs the matching validator of :mod:`jettui.jet.models` first and
  raises :class:`JetValidationError` (status None) without any network call.
- Secrets: the API secret and the token never reach logs, errors, events or reprs.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

import httpx

from jettui.config import JetSettings, Secret, Settings
from jettui.jet import models
from jettui.jet.errors import (
    JetAuthError,
    JetError,
    JetNotFound,
    JetProtocolError,
    JetRateLimited,
    JetServerError,
    JetUnreachable,
    JetValidationError,
    error_messages,
    safe_path,
)

log = logging.getLogger("jettui.jet")

EventHook = Callable[[str, dict[str, Any]], Any]

TOKEN_EARLY_SECONDS = 60.0  # refresh this long before expires_on (half the lifetime if shorter)
RETRY_AFTER_CAP_SECONDS = 30.0  # never sleep longer than this on a 429
BACKOFF_MAX_SECONDS = 20.0
AUTHCHECK_OK = "This message is authorized."


class _HideBlobSignatures(logging.Filter):
    """httpx logs every request URL at INFO; a blob URL's SAS query is a credential."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any("sig=" in str(a) for a in record.args):
            record.args = tuple(safe_path(str(a)) if "sig=" in str(a) else a for a in record.args)
        return True


logging.getLogger("httpx").addFilter(_HideBlobSignatures())

# Per-SKU writes: path suffix → (validator of the body, how errors name the write).
_SKU_WRITES: dict[str, tuple[Callable[[dict[str, Any]], list[str]], str]] = {
    "": (models.validate_merchant_sku, "SKU '{sku}'"),
    "/image": (models.validate_image, "images of '{sku}'"),
    "/price": (models.validate_price, "price of '{sku}'"),
    "/inventory": (models.validate_inventory, "inventory of '{sku}'"),
    "/variation": (models.validate_variation, "variation of '{sku}'"),
    "/shippingexception": (models.validate_shipping_exception, "shipping exception of '{sku}'"),
    "/returnsexception": (models.validate_returns_exception, "returns exception of '{sku}'"),
    "/status/archive": (models.validate_archive, "archive of '{sku}'"),
}

# Connection failures where the request certainly never reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass
class ClientStats:
    """Counters for the event log, the benchmark and the tests."""

    calls: int = 0  # HTTP requests sent, retries and token requests included
    retries: int = 0
    token_refreshes: int = 0  # POST /token calls that returned a token
    rate_limited: int = 0  # 429 answers
    server_errors: int = 0  # 5xx answers
    connection_errors: int = 0  # timeouts and transport errors


@dataclass(frozen=True)
class _Call:
    method: str
    path: str  # relative to base_url, or an absolute blob URL
    body: bytes | None = None
    params: Mapping[str, Any] | None = None
    headers: Mapping[str, str] | None = None
    auth: bool = True
    repeat_safe: bool = True  # sending it twice leaves Jet as sending it once

    @property
    def is_write(self) -> bool:
        """A call that changes something on Jet: after a 5xx or a lost connection it may have
        taken effect (``may_have_applied``), retried or not."""
        return self.method not in ("GET", "HEAD")


class JetClient:
    """Typed async methods for every Jet endpoint. Create it with :func:`connect.open_jet_client`
    (which picks the sandbox or the real API) or directly from ``settings.jet``."""

    def __init__(
        self,
        settings: JetSettings | Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        base_url: str | None = None,
        on_event: EventHook | None = None,
        backoff_base: float = 0.5,
        retry_after_cap: float = RETRY_AFTER_CAP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        jet = settings.jet if isinstance(settings, Settings) else settings
        self.settings = jet
        self.base_url = (base_url or jet.api_url).rstrip("/")
        self.user = jet.api_user
        self._secret: Secret = jet.api_secret
        self.max_retries = jet.max_retries
        self.backoff_base = backoff_base
        self.retry_after_cap = retry_after_cap
        self.on_event = on_event
        self.stats = ClientStats()
        self._clock = clock
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            transport=transport,
            timeout=httpx.Timeout(jet.timeout_seconds),
            headers={"Accept": "application/json"},
        )
        self._limit = asyncio.Semaphore(jet.concurrency)
        self._token_lock = asyncio.Lock()
        self._token: Secret | None = None
        self._token_type = "Bearer"
        self._refresh_at = 0.0  # clock() value after which the token is refreshed first

    def __repr__(self) -> str:
        return f"JetClient(user={self.user!r}, base_url={self.base_url!r})"

    async def __aenter__(self) -> JetClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------------ auth

    async def _auth_header(self, stale: Secret | None = None) -> tuple[str, Secret]:
        """A valid Authorization header; refresh first if expiring or if ``stale`` was refused."""
        token = self._token
        if token is None or token is stale or self._clock() >= self._refresh_at:
            async with self._token_lock:
                # Whoever waited on the lock finds the token another caller already renewed.
                token = self._token
                if token is None or token is stale or self._clock() >= self._refresh_at:
                    await self._fetch_token()
                    token = self._token
        assert token is not None
        return f"{self._token_type} {token.reveal()}", token

    async def _fetch_token(self) -> None:
        body = jet_json({"user": self.user, "pass": self._secret.reveal()})
        try:
            data = await self._send(_Call("POST", "token", body=body, auth=False))
        except (JetValidationError, JetAuthError) as exc:
            # Jet answers bad credentials with 400 (AERO); its words may echo the user, never
            # the secret, but keep only the status to be safe.
            raise JetAuthError(
                f"Jet refused the API user '{self.user}' and secret",
                status=exc.status,
                method="POST",
                path="token",
            ) from None
        if not isinstance(data, dict):
            raise JetProtocolError(
                "token response is not a JSON object", method="POST", path="token"
            )
        missing = [k for k in ("id_token", "expires_on") if not data.get(k)]
        if missing:
            raise JetProtocolError(
                f"token response lacks {', '.join(missing)}", method="POST", path="token"
            )
        try:
            expires = models.parse_jet_date(str(data["expires_on"]))
        except (ValueError, TypeError):
            raise JetProtocolError(
                "token response has an unreadable expires_on", method="POST", path="token"
            ) from None
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        lifetime = (expires - datetime.now(UTC)).total_seconds()
        early = min(TOKEN_EARLY_SECONDS, max(lifetime, 0.0) / 2)
        self._token = Secret(str(data["id_token"]))
        self._token_type = str(data.get("token_type") or "Bearer")
        self._refresh_at = self._clock() + lifetime - early
        self.stats.token_refreshes += 1
        self._emit("token", {"expires_in_seconds": round(lifetime, 1)})

    async def authcheck(self) -> bool:
        """True when Jet accepts the credentials (GET /authcheck)."""
        return await self._request("GET", "authcheck") == AUTHCHECK_OK

    # --------------------------------------------------------------- transport

    async def _request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        params: Mapping[str, Any] | None = None,
        repeat_safe: bool = True,
    ) -> Any:
        body = None if payload is None else jet_json(payload)
        return await self._send(_Call(method, path, body, params, repeat_safe=repeat_safe))

    async def _send(self, call: _Call) -> Any:
        shown = safe_path(call.path)
        token: Secret | None = None
        refreshed_on_401 = False
        attempt = 0
        uncertain = False  # an earlier attempt of this write may have reached Jet
        while True:
            headers = dict(call.headers or {})
            if call.body is not None:
                headers.setdefault("Content-Type", "application/json")
            if call.auth:
                headers["Authorization"], token = await self._auth_header()
            self.stats.calls += 1
            started = time.perf_counter()
            try:
                async with self._limit:
                    started = time.perf_counter()  # the duration excludes the queueing
                    response = await self._http.request(
                        call.method,
                        call.path,
                        content=call.body,
                        params=call.params,
                        headers=headers,
                    )
            except httpx.TransportError as exc:  # timeouts included
                self.stats.connection_errors += 1
                elapsed = time.perf_counter() - started
                reason = type(exc).__name__
                self._emit_call(call, shown, None, elapsed, attempt, error=reason)
                safe = call.repeat_safe or isinstance(exc, _NOT_SENT)
                uncertain = uncertain or not isinstance(exc, _NOT_SENT)
                if safe and attempt < self.max_retries:
                    attempt = await self._backoff(attempt, call, shown, reason)
                    continue
                raise JetUnreachable(
                    f"Jet unreachable ({reason}) after {attempt + 1} attempt(s)",
                    method=call.method,
                    path=shown,
                    may_have_applied=call.is_write and uncertain,
                ) from None
            elapsed = time.perf_counter() - started
            status = response.status_code
            self._emit_call(call, shown, status, elapsed, attempt)
            if status == 401 and call.auth and not refreshed_on_401:
                refreshed_on_401 = True
                await self._auth_header(stale=token)
                continue
            if status == 429:
                self.stats.rate_limited += 1
                wait = _retry_after(response.headers.get("Retry-After"))
                if attempt < self.max_retries:
                    attempt = await self._backoff(attempt, call, shown, "429", wait)
                    continue
                raise JetRateLimited(
                    retry_after=wait,
                    status=429,
                    messages=error_messages(_json_or_none(response)),
                    method=call.method,
                    path=shown,
                    may_have_applied=call.is_write and uncertain,
                )
            if status >= 500:
                self.stats.server_errors += 1
                uncertain = True
                if call.repeat_safe and attempt < self.max_retries:
                    attempt = await self._backoff(attempt, call, shown, f"HTTP {status}")
                    continue
                raise JetServerError(
                    status=status,
                    messages=error_messages(_json_or_none(response)),
                    method=call.method,
                    path=shown,
                    may_have_applied=call.is_write,
                )
            if status >= 400:
                error = _client_error(status, response, call.method, shown)
                # a refusal of a repeat: the first try may be the one Jet applied
                error.may_have_applied = call.is_write and uncertain
                raise error
            return _parse_success(response, call.method, shown)

    async def _backoff(
        self, attempt: int, call: _Call, shown: str, reason: str, wait: float | None = None
    ) -> int:
        """Sleep before the next attempt; Retry-After wins over the exponential delay."""
        if wait is None:
            ceiling = min(BACKOFF_MAX_SECONDS, self.backoff_base * 2**attempt)
            wait = ceiling / 2 + random.uniform(0, ceiling / 2)
        else:
            wait = min(wait, self.retry_after_cap)
        self.stats.retries += 1
        self._emit(
            "retry",
            {
                "method": call.method,
                "path": shown,
                "reason": reason,
                "wait_seconds": round(wait, 3),
            },
        )
        await asyncio.sleep(wait)
        return attempt + 1

    def _emit_call(
        self,
        call: _Call,
        shown: str,
        status: int | None,
        elapsed: float,
        attempt: int,
        error: str | None = None,
    ) -> None:
        detail: dict[str, Any] = {
            "method": call.method,
            "path": shown,
            "status": status,
            "duration_ms": round(elapsed * 1000, 1),
            "attempt": attempt + 1,
        }
        if error:
            detail["error"] = error
        log.debug("%s %s -> %s in %.1f ms", call.method, shown, status or error, elapsed * 1000)
        self._emit("call", detail)

    def _emit(self, kind: str, detail: dict[str, Any]) -> None:
        if self.on_event is None:
            return
        try:
            self.on_event(kind, detail)
        except Exception:  # a broken event log must not break Jet calls
            log.exception("on_event hook failed for %s", kind)

    # ------------------------------------------------------------- validation

    @staticmethod
    def _check(what: str, problems: list[str]) -> None:
        if problems:
            raise JetValidationError(f"{what} not sent: invalid", messages=problems)

    async def _write(
        self,
        method: str,
        path: str,
        payload: Mapping[str, Any],
        validator: Callable[[dict[str, Any]], list[str]],
        what: str,
        *,
        repeat_safe: bool = True,
    ) -> Any:
        """Serialise (datetimes become Jet's ISO form), validate what will be sent, send.
        ``repeat_safe``: sending it twice leaves Jet as sending it once (module docstring)."""
        body = jet_json(payload)
        self._check(what, validator(json.loads(body)))
        return await self._send(_Call(method, path, body, repeat_safe=repeat_safe))

    def _sku_path(self, sku: str, suffix: str = "") -> str:
        self._check("merchant SKU", models.validate_merchant_sku_id(sku))
        return f"merchant-skus/{_seg(sku)}{suffix}"

    async def _write_sku(
        self, sku: str, suffix: str, payload: Mapping[str, Any], method: str = "PUT"
    ) -> None:
        validator, what = _SKU_WRITES[suffix]
        path = self._sku_path(sku, suffix)
        await self._write(method, path, payload, validator, what.format(sku=sku))

    # ------------------------------------------------------ 2.1 merchant SKUs

    async def put_sku(self, sku: str, product: Mapping[str, Any]) -> None:
        await self._write_sku(sku, "", product)

    async def get_sku(self, sku: str) -> dict[str, Any]:
        return await self._get_dict(self._sku_path(sku))

    async def put_image(self, sku: str, images: Mapping[str, Any]) -> None:
        await self._write_sku(sku, "/image", images)

    async def put_price(self, sku: str, price: Mapping[str, Any]) -> None:
        await self._write_sku(sku, "/price", price)

    async def get_price(self, sku: str) -> dict[str, Any]:
        return await self._get_dict(self._sku_path(sku, "/price"))

    async def put_inventory(self, sku: str, inventory: Mapping[str, Any]) -> None:
        """Replace the inventory of every node (PUT)."""
        await self._write_sku(sku, "/inventory", inventory)

    async def patch_inventory(self, sku: str, inventory: Mapping[str, Any]) -> None:
        """Change only the listed nodes (PATCH)."""
        await self._write_sku(sku, "/inventory", inventory, "PATCH")

    async def get_inventory(self, sku: str) -> dict[str, Any]:
        return await self._get_dict(self._sku_path(sku, "/inventory"))

    async def put_variation(self, parent_sku: str, variation: Mapping[str, Any]) -> None:
        await self._write_sku(parent_sku, "/variation", variation)

    async def get_variation(self, parent_sku: str) -> dict[str, Any]:
        """The variation group; ``children_skus`` is always a list of SKU strings (Jet's reader
        sent objects ``{"merchant_sku": ...}``, its writer strings: both are accepted)."""
        data = await self._get_dict(self._sku_path(parent_sku, "/variation"))
        children = data.get("children_skus") or []
        data["children_skus"] = [
            str(c.get("merchant_sku", "")) if isinstance(c, dict) else str(c) for c in children
        ]
        return data

    async def put_shipping_exception(self, sku: str, exception: Mapping[str, Any]) -> None:
        await self._write_sku(sku, "/shippingexception", exception)

    async def get_shipping_exception(self, sku: str) -> dict[str, Any]:
        return await self._get_dict(self._sku_path(sku, "/shippingexception"))

    async def put_returns_exception(self, sku: str, exception: Mapping[str, Any]) -> None:
        await self._write_sku(sku, "/returnsexception", exception)

    async def get_returns_exception(self, sku: str) -> dict[str, Any]:
        return await self._get_dict(self._sku_path(sku, "/returnsexception"))

    async def archive(self, sku: str, archived: bool = True) -> None:
        """Archive (True) or unarchive (False) a SKU."""
        await self._write_sku(sku, "/status/archive", {"is_archived": archived})

    async def list_skus(self, offset: int = 0, limit: int = 100) -> list[str]:
        """Merchant SKUs, one page (parsed from ``sku_urls``)."""
        if offset < 0 or limit < 1:
            raise JetValidationError(messages=["offset must be >= 0 and limit >= 1"])
        data = await self._get_dict("merchant-skus", {"offset": offset, "limit": limit})
        return [_last_segment(u) for u in _url_list(data, "sku_urls", "merchant-skus")]

    async def get_sales_data(self, sku: str) -> dict[str, Any]:
        return await self._get_dict(self._sku_path(sku, "/salesdata"))

    # -------------------------------------------------------- 2.2 bulk files

    async def get_upload_token(self) -> dict[str, Any]:
        """``{"url", "jet_file_id", "expires_in_seconds"}`` for one bulk file."""
        data = await self._get_dict("files/uploadToken")
        if not data.get("url"):
            raise JetProtocolError("upload token lacks url", method="GET", path="files/uploadToken")
        return data

    async def upload_blob(self, url: str, gzipped: bytes) -> None:
        """PUT the gzipped file to the pre-signed blob URL (no Authorization header)."""
        headers = {"x-ms-blob-type": "BlockBlob", "Content-Type": "application/x-gzip"}
        await self._send(_Call("PUT", url, gzipped, headers=headers, auth=False))

    async def notify_uploaded(self, url: str, file_type: str, file_name: str) -> dict[str, Any]:
        """POST files/uploaded: Jet starts processing. NOT safe to repeat: Jet refuses a second
        registration of the same url (look the file up by its jet_file_id instead)."""
        body = {"url": url, "file_type": file_type, "file_name": file_name}
        data = await self._request("POST", "files/uploaded", body, repeat_safe=False)
        return data if isinstance(data, dict) else {}

    async def get_file(self, jet_file_id: str) -> dict[str, Any]:
        return await self._get_dict(f"files/{_seg(jet_file_id)}")

    # ---------------------------------------------------------- 2.3 taxonomy

    async def taxonomy_links(
        self, version: str = "v1", offset: int = 0, limit: int = 100
    ) -> list[int]:
        """Node ids of one page of the taxonomy (parsed from ``node_urls``)."""
        data = await self._get_dict(
            f"taxonomy/links/{_seg(version)}", {"offset": offset, "limit": limit}
        )
        ids = []
        for url in _url_list(data, "node_urls", "taxonomy/links"):
            try:
                ids.append(int(_last_segment(url)))
            except ValueError:
                raise JetProtocolError(
                    f"node url '{url}' has no numeric id", method="GET", path="taxonomy/links"
                ) from None
        return ids

    async def get_taxonomy_node(self, node_id: int) -> dict[str, Any]:
        return await self._get_dict(f"taxonomy/nodes/{int(node_id)}")

    async def get_taxonomy_attributes(self, node_id: int) -> list[dict[str, Any]]:
        data = await self._get_dict(f"taxonomy/nodes/{int(node_id)}/attributes")
        attributes = data.get("attributes") or []
        return [a for a in attributes if isinstance(a, dict)]

    # ------------------------------------------------------------ 2.4 orders

    async def list_orders(
        self, status: str, tag: str | None = None, include: bool | None = None
    ) -> list[str]:
        """merchant_order_ids in ``status`` (first 1000); with ``tag``, those that have
        (include=True, the default) or lack (include=False) the tag."""
        path = f"orders/{_seg(status)}"
        if tag is not None:
            path += f"/{_seg(tag)}/{'false' if include is False else 'true'}"
        data = await self._get_dict(path)
        return [_last_segment(u) for u in _url_list(data, "order_urls", path)]

    async def get_order(self, merchant_order_id: str) -> dict[str, Any]:
        return await self._get_dict(f"orders/withoutShipmentDetail/{_seg(merchant_order_id)}")

    async def acknowledge(self, merchant_order_id: str, ack: Mapping[str, Any]) -> None:
        path = f"orders/{_seg(merchant_order_id)}/acknowledge"
        what = f"acknowledgement of {merchant_order_id}"
        await self._write("PUT", path, ack, models.validate_acknowledge, what, repeat_safe=False)

    async def ship(self, merchant_order_id: str, shipped: Mapping[str, Any]) -> None:
        """PUT shipped: shipments and/or cancellations."""
        path = f"orders/{_seg(merchant_order_id)}/shipped"
        what = f"shipment of {merchant_order_id}"
        await self._write("PUT", path, shipped, models.validate_shipped, what, repeat_safe=False)

    async def tag(self, merchant_order_id: str, tag: str | None) -> None:
        """Set the order's tag; None clears it."""
        body = {} if tag is None else {"tag": tag}
        await self._request("PUT", f"orders/{_seg(merchant_order_id)}/tag", body)

    async def list_directed_cancels(self) -> list[str]:
        data = await self._get_dict("orders/directedCancel")
        return [_last_segment(u) for u in _url_list(data, "order_urls", "orders/directedCancel")]

    # ----------------------------------------------------------- 2.5 returns

    async def list_returns(self, status: str) -> list[str]:
        """Return ids in ``status`` (RUBY's and NODE's spellings are both passed through)."""
        path = f"returns/{_seg(status)}"
        data = await self._get_dict(path)
        return [_last_segment(u) for u in _url_list(data, "return_urls", path)]

    async def get_return(self, return_id: str) -> dict[str, Any]:
        """Return detail. Items appear under ``items`` whatever the state: Jet named them
        ``return_merchant_SKUs`` while ``created`` (that key is kept too)."""
        data = await self._get_dict(f"returns/state/{_seg(return_id)}")
        if "items" not in data and isinstance(data.get("return_merchant_SKUs"), list):
            data["items"] = data["return_merchant_SKUs"]
        return data

    async def complete_return(self, return_id: str, completion: Mapping[str, Any]) -> None:
        path = f"returns/{_seg(return_id)}/complete"
        what = f"completion of return {return_id}"
        validator = models.validate_complete_return
        await self._write("PUT", path, completion, validator, what, repeat_safe=False)

    # ----------------------------------------------------------- 2.6 refunds

    async def create_refund(
        self, merchant_order_id: str, alt_refund_id: str, refund: Mapping[str, Any]
    ) -> str:
        """POST a merchant refund; returns ``refund_authorization_id``. Not blindly retried: on
        ``err.may_have_applied`` look for ``alt_refund_id`` before sending again."""
        if not alt_refund_id:
            raise JetValidationError(messages=["alt_refund_id: must not be empty"])
        path = f"refunds/{_seg(merchant_order_id)}/{_seg(alt_refund_id)}"
        what = f"refund for {merchant_order_id}"
        data = await self._write(
            "POST", path, refund, models.validate_refund, what, repeat_safe=False
        )
        if not isinstance(data, dict) or not data.get("refund_authorization_id"):
            raise JetProtocolError(
                "response lacks refund_authorization_id", method="POST", path=path
            )
        return str(data["refund_authorization_id"])

    async def get_refund(self, refund_authorization_id: str) -> dict[str, Any]:
        return await self._get_dict(f"refunds/state/{_seg(refund_authorization_id)}")

    async def list_refunds(self, status: str) -> list[str]:
        path = f"refunds/{_seg(status)}"
        data = await self._get_dict(path)
        return [_last_segment(u) for u in _url_list(data, "refund_urls", path)]

    # --------------------------------------------- 2.8 / 2.9 helpers, sandbox

    async def fulfillment_nodes(self) -> Any:
        """GET /fulfillmentnodesbymerchantid (field names unknown: returned as Jet sends them)."""
        return await self._request("GET", "fulfillmentnodesbymerchantid")

    async def generate_orders(self, order: Mapping[str, Any], count: int = 1) -> list[str]:
        """Test accounts only: POST /orders/generate/{count}; the new merchant_order_ids.
        Not blindly retried (each success creates orders)."""
        path = f"orders/generate/{int(count)}"
        data = await self._write(
            "POST", path, order, models.validate_generate_order, "generated order",
            repeat_safe=False,
        )  # fmt: skip
        if not isinstance(data, dict):
            raise JetProtocolError("response is not a JSON object", method="POST", path=path)
        return [_last_segment(u) for u in _url_list(data, "order_urls", path)]

    async def generate_return(self, merchant_order_id: str) -> str:
        """Test accounts only: GET /returns/generate/{id}; the new return id."""
        path = f"returns/generate/{_seg(merchant_order_id)}"
        data = await self._get_dict(path)
        if not data.get("url"):
            raise JetProtocolError("response lacks url", method="GET", path=path)
        return _last_segment(str(data["url"]))

    # ---------------------------------------------------------------- helpers

    async def _get_dict(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        data = await self._request("GET", path, params=params)
        if not isinstance(data, dict):
            raise JetProtocolError("expected a JSON object", method="GET", path=path)
        return data


def _client_error(status: int, response: httpx.Response, method: str, path: str) -> JetError:
    messages = error_messages(_json_or_none(response))
    kind: type[JetError] = {
        400: JetValidationError,
        401: JetAuthError,
        403: JetAuthError,
        404: JetNotFound,
    }.get(status, JetError)
    return kind(status=status, messages=messages, method=method, path=path)


def _parse_success(response: httpx.Response, method: str, path: str) -> Any:
    """Parsed JSON, or None for an empty body (Jet's usual answer to PUT/PATCH writes).
    GET and POST calls (token, files/uploaded, refunds, generators) must answer JSON."""
    wants_json = method in ("GET", "POST")
    if not response.content.strip():
        if method == "GET":
            raise JetProtocolError(
                "empty response", status=response.status_code, method=method, path=path
            )
        return None
    try:
        return response.json()
    except ValueError:
        if wants_json:
            raise JetProtocolError(
                "response is not JSON", status=response.status_code, method=method, path=path
            ) from None
        return None  # a write acknowledged with text: success all the same


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        text = response.text.strip()
        return text[:200] if text else None


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _url_list(data: dict[str, Any], key: str, path: str) -> list[str]:
    urls = data.get(key)
    if urls is None:
        return []
    if not isinstance(urls, list):
        raise JetProtocolError(f"'{key}' is not a list", method="GET", path=path)
    return [str(u) for u in urls]


def _last_segment(url: str) -> str:
    """The id at the end of ``/orders/withoutShipmentDetail/{id}`` and similar URLs."""
    return unquote(url.rstrip("/").rsplit("/", 1)[-1])


def _seg(value: str) -> str:
    """One URL path segment, quoted (SKUs may hold spaces; statuses do)."""
    return quote(str(value), safe="")


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):  # OpenCart prices come out of the database as Decimal
        return float(value)
    if isinstance(value, datetime):
        return models.format_jet_date(value)
    if isinstance(value, date):
        return models.format_jet_date(datetime(value.year, value.month, value.day, tzinfo=UTC))
    raise TypeError(f"cannot send {type(value).__name__} to Jet")


def jet_json(payload: Any) -> bytes:
    """JSON for Jet; datetimes become Jet's ISO form."""
    return json.dumps(payload, default=_encode, separators=(",", ":")).encode()
