"""The sandbox's HTTP face: a Starlette app serving the Jet API under /api plus the blob
endpoint for bulk files. Auth, fault injection and lazy demo orders wrap every API call.

Fault injection (``sandbox:`` settings), decided with ``Sandbox.rng`` (seed it in tests):
``latency_ms`` delays every call; ``rate_limit_every`` answers every Nth call 429 and
``error_rate`` a share of calls 500, both before anything is applied; ``lost_answer_rate``
applies a share of successful writes (POST, PUT, PATCH) and then loses the answer, one of
:data:`LOST_ANSWER_KINDS` at random: a 504 from "the gateway"; a dropped connection (the app
stops after the status line; uvicorn and the in-process transport both close the connection:
httpx.RemoteProtocolError); or no answer until the client's read timeout (httpx.ReadTimeout;
in-process at once). ``Sandbox.lose_next_answers()`` plans such losses for chosen calls and
``Sandbox.fail_next_calls()`` 500s before applying them (test hooks, kept in the state file); ``Sandbox.lost_answers()`` lists the answers lost. The
token and blob endpoints take none of these faults (see :data:`TOKEN_FAULTS`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from jettui.config import Settings
from jettui.jet.sandbox.engine import ApiError
from jettui.jet.sandbox.orders import Sandbox

# Jet's token endpoint would suffer the same faults; they are off here by default so a demo
# with a high error_rate can still log in. Set True to inject faults into /api/token too.
TOKEN_FAULTS = False

Handler = Callable[[Sandbox, Request], Awaitable[Any]]


class _Lazy:
    """Opens the state on first use: ASGITransport runs no lifespan events."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sandbox: Sandbox | None = None

    def get(self) -> Sandbox:
        if self.sandbox is None:
            self.sandbox = Sandbox(self.settings)
        return self.sandbox


def _errors(status: int, errors: list[str], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status, headers=headers)


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, "body: not valid JSON") from None


# Jet ran on ASP.NET Web API (its 401 text is that framework's); unknown routes and methods get
# that framework's wording (I), in the sandbox's usual errors body.
async def _not_found(request: Request, exc: Exception) -> Response:
    path = _raw_path(request).decode("latin-1") or request.url.path
    return _errors(404, [f"No HTTP resource was found that matches the request URI "
                         f"'{path}'."])  # fmt: skip


async def _not_allowed(request: Request, exc: Exception) -> Response:
    headers = getattr(exc, "headers", None)
    return _errors(405, [f"The requested resource does not support http method "
                         f"'{request.method}'."], headers)  # fmt: skip


def _encoded_slash(request: Request) -> bool:
    """A '%2F' in the path: a merchant SKU never holds '/', so no resource matches (without
    this check 'x%2Fimage' would reach the image of SKU 'x')."""
    return b"%2f" in _raw_path(request).lower()


def _raw_path(request: Request) -> bytes:
    """The path as sent (httpx's in-process transport appends the query string)."""
    return request.scope.get("raw_path", b"").split(b"?", 1)[0]


def _faults(sb: Sandbox, request: Request) -> Response | None:
    cfg = sb.settings.sandbox
    if sb.planned_failure(request.method, _raw_path(request).decode("latin-1")):
        return _errors(500, ["internal server error (planned by the sandbox's test hook)"])
    if cfg.rate_limit_every > 0:
        with sb.db.transaction():
            calls = int(sb.db.meta("calls", "0")) + 1
            sb.db.set_meta("calls", str(calls))
        if calls % cfg.rate_limit_every == 0:
            return _errors(429, ["too many requests"], {"Retry-After": "1"})
    if cfg.error_rate > 0 and sb.rng.random() < cfg.error_rate:
        return _errors(500, ["internal server error (injected by the sandbox)"])
    return None


WRITES = frozenset({"POST", "PUT", "PATCH"})
LOST_ANSWER_HEADER = "x-jettui-sandbox-fault"  # names the fault on an answer sent half-way
# How an answer is lost: a 504 from "the gateway", the connection closed after the status line,
# or no answer at all until the client's read timeout.
LOST_ANSWER_KINDS = ("504", "dropped", "timeout")


def _lose_answer(sb: Sandbox, request: Request, response: Response) -> Response:
    """``response`` of an applied write, or a lost answer instead (module docstring)."""
    if request.method not in WRITES or response.status_code >= 400:
        return response
    path = _raw_path(request).decode("latin-1")
    kind = sb.planned_lost_answer(request.method, path)
    rate = sb.settings.sandbox.lost_answer_rate
    if kind is None and rate > 0 and sb.rng.random() < rate:
        kind = sb.rng.choice(LOST_ANSWER_KINDS)
    if kind is None:
        return response
    sb.note_lost_answer(request.method, path, kind)
    if kind == "504":
        return _errors(504, ["gateway timeout: the change was applied but the answer was lost "
                             "(injected by the sandbox)"], {LOST_ANSWER_HEADER: "answer-lost"})  # fmt: skip
    if kind == "timeout":
        return _HeldAnswer()
    return _DroppedAnswer(response)


class _HeldAnswer(Response):
    """Never answers: waits until the client gives up (its read timeout) and disconnects.
    In-process the transport sees the wait and raises the client's ReadTimeout at once."""

    def __init__(self) -> None:
        super().__init__(status_code=504)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass  # the rest of a request body nobody read


class _DroppedAnswer(Response):
    """Sends the status line and headers of ``response``, never its body: the connection is
    closed mid-answer, as when a server dies after committing."""

    def __init__(self, response: Response) -> None:
        super().__init__(status_code=response.status_code, headers={
            "content-length": str(max(len(response.body), 1)), LOST_ANSWER_HEADER: "dropped"})  # fmt: skip

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": self.raw_headers})  # fmt: skip


def _authorized(sb: Sandbox, request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(token.strip()) and sb.check_token(token.strip())


def endpoint(handler: Handler, *, auth: bool = True, faults: bool = True) -> Callable:
    async def run(request: Request) -> Response:
        if _encoded_slash(request):
            return await _not_found(request, ValueError())
        sb = request.app.state.lazy.get()
        if sb.settings.sandbox.latency_ms:
            await asyncio.sleep(sb.settings.sandbox.latency_ms / 1000)
        fault = _faults(sb, request) if faults else None
        if fault is not None:
            return fault
        if auth and not _authorized(sb, request):
            return _errors(401, ["Authorization has been denied for this request."])
        try:
            if auth:
                sb.demo_tick()
            result = await handler(sb, request)
        except ApiError as exc:
            return _errors(exc.status, exc.errors)
        if isinstance(result, Response):
            response = result
        elif result is None:
            response = Response(status_code=201)  # Jet answered writes with an empty 2xx body
        else:
            response = JSONResponse(result)
        return _lose_answer(sb, request, response) if faults else response

    return run


def _int_param(request: Request, name: str, default: int, lo: int) -> int:
    raw = request.query_params.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name}: must be a whole number (got {raw!r})") from None
    if value < lo:
        raise ApiError(400, f"{name}: must be at least {lo} (got {value})")
    return value


# ---- handlers (thin: the engine does the work) -----------------------------------------------


def call(method: str, *params: str, body: bool = False, **options: Any) -> Handler:
    """A handler that calls ``Sandbox.<method>`` with the named path parameters, then the JSON
    body when ``body``, then ``options``; a None result is answered as an empty 201."""

    async def handle(sb: Sandbox, r: Request) -> Any:
        args = [r.path_params[p] for p in params]
        if body:
            args.append(await _body(r))
        return getattr(sb, method)(*args, **options)

    return handle


async def authcheck(sb: Sandbox, r: Request) -> Any:
    return "This message is authorized."


async def nodes(sb: Sandbox, r: Request) -> Any:
    return [{"fulfillment_node_id": sb.node_id, "name": "Main warehouse", "status": "active",
             "address": {"address1": sb.settings.returns.address1, "city": sb.settings.returns.city,
                         "state": sb.settings.returns.state, "zip_code": sb.settings.returns.postcode}}]  # fmt: skip


async def sku_list(sb: Sandbox, r: Request) -> Any:
    return sb.sku_list(_int_param(r, "offset", 0, 0), _int_param(r, "limit", 100, 1))


async def upload_token(sb: Sandbox, r: Request) -> Any:
    return sb.upload_token(str(r.base_url))


async def blob_put(sb: Sandbox, r: Request) -> Any:
    sb.put_blob(r.path_params["file_id"], r.query_params.get("sig", ""),
                r.headers.get("x-ms-blob-type", ""), await r.body())  # fmt: skip
    return Response(status_code=201)


async def tax_links(sb: Sandbox, r: Request) -> Any:
    return sb.taxonomy_links(r.path_params["version"], _int_param(r, "offset", 0, 0),
                             _int_param(r, "limit", 100, 1))  # fmt: skip


async def orders_generate(sb: Sandbox, r: Request) -> Any:
    return {"order_urls": sb.generate_orders(r.path_params["count"], await _body(r))}


async def orders_tagged(sb: Sandbox, r: Request) -> Any:
    include = r.path_params["include"].lower()
    if include not in ("true", "false"):
        raise ApiError(404, f"'{include}' must be true or false")
    return sb.list_orders(r.path_params["status"], r.path_params["tag"], include == "true")


def api(path: str, handler: Handler, method: str = "GET", **options: Any) -> Route:
    """One route under /api; ``options`` go to :func:`endpoint`."""
    return Route("/api" + path, endpoint(handler, **options), methods=[method])


SKU = "/merchant-skus/{sku}"
ORDER = "/orders/{order_id}"
TOKEN = call("issue_token", body=True)
ROUTES = [
    api("/token", TOKEN, "POST", auth=False, faults=TOKEN_FAULTS),
    api("/Token", TOKEN, "POST", auth=False, faults=TOKEN_FAULTS),
    api("/authcheck", authcheck),
    api("/fulfillmentnodesbymerchantid", nodes),
    api("/merchant-skus", sku_list),
    api(SKU, call("put_product", "sku", body=True), "PUT"),
    api(SKU, call("product_view", "sku")),
    api(SKU + "/image", call("put_image", "sku", body=True), "PUT"),
    api(SKU + "/price", call("put_price", "sku", body=True), "PUT"),
    api(SKU + "/price", call("price_view", "sku")),
    api(SKU + "/inventory", call("put_inventory", "sku", body=True), "PUT"),
    api(SKU + "/inventory", call("put_inventory", "sku", body=True, partial=True), "PATCH"),
    api(SKU + "/inventory", call("inventory_view", "sku")),
    api(SKU + "/variation", call("put_variation", "sku", body=True), "PUT"),
    api(SKU + "/variation", call("part_view", "sku", part="variation")),
    api(SKU + "/shippingexception", call("put_shipping_exception", "sku", body=True), "PUT"),
    api(SKU + "/shippingexception", call("part_view", "sku", part="shipping_exceptions")),
    api(SKU + "/returnsexception", call("put_returns_exception", "sku", body=True), "PUT"),
    api(SKU + "/returnsexception", call("part_view", "sku", part="returns_exception")),
    api(SKU + "/status/archive", call("put_archive", "sku", body=True), "PUT"),
    api(SKU + "/salesdata", call("sales_data", "sku")),
    api("/files/uploadToken", upload_token),
    api("/files/uploaded", call("file_uploaded", body=True), "POST"),
    api("/files/{file_id}", call("file_status", "file_id")),
    Route("/blob/{file_id}", endpoint(blob_put, auth=False, faults=False), methods=["PUT"]),
    api("/taxonomy/links/{version}", tax_links),
    api("/taxonomy/nodes/{node_id:int}", call("taxonomy_node", "node_id")),
    api("/taxonomy/nodes/{node_id:int}/attributes", call("taxonomy_attributes", "node_id")),
    api("/orders/generate/{count:int}", orders_generate, "POST"),
    api("/orders/directedCancel", call("directed_cancels")),
    api("/orders/withoutShipmentDetail/{order_id}", call("order_view", "order_id")),
    api(ORDER + "/acknowledge", call("acknowledge", "order_id", body=True), "PUT"),
    api(ORDER + "/shipped", call("ship", "order_id", body=True), "PUT"),
    api(ORDER + "/tag", call("tag_order", "order_id", body=True), "PUT"),
    api("/orders/{status}/{tag}/{include}", orders_tagged),
    api("/orders/{status}", call("list_orders", "status")),
    api("/returns/generate/{order_id}", call("generate_return", "order_id")),
    api("/returns/state/{return_id}", call("return_view", "return_id")),
    api("/returns/{return_id}/complete", call("complete_return", "return_id", body=True), "PUT"),
    api("/returns/{status}", call("list_returns", "status")),
    api("/refunds/state/{refund_id}", call("refund_view", "refund_id")),
    api(
        "/refunds/{order_id}/{alt_refund_id}",
        call("create_refund", "order_id", "alt_refund_id", body=True),
        "POST",
    ),
    api("/refunds/{status}", call("list_refunds", "status")),
]


def create_app(settings: Settings) -> Starlette:
    """The Jet sandbox as an ASGI app; its state opens on the first request."""
    app = Starlette(routes=ROUTES, exception_handlers={404: _not_found, 405: _not_allowed})
    app.router.redirect_slashes = False  # 'merchant-skus/' is no SKU: 404, not a redirect
    app.state.lazy = _Lazy(settings)
    return app
