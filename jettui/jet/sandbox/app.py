"""The sandbox's HTTP face: a Starlette app serving the Jet API under /api plus the blob
endpoint for bulk files. Auth, fault injection and lazy demo orders wrap every API call."""

from __future__ import annotations

import asyncio
import json
import random
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


def _faults(sb: Sandbox) -> Response | None:
    cfg = sb.settings.sandbox
    if cfg.rate_limit_every > 0:
        with sb.db.transaction():
            calls = int(sb.db.meta("calls", "0")) + 1
            sb.db.set_meta("calls", str(calls))
        if calls % cfg.rate_limit_every == 0:
            return _errors(429, ["too many requests"], {"Retry-After": "1"})
    if cfg.error_rate > 0 and random.random() < cfg.error_rate:
        return _errors(500, ["internal server error (injected by the sandbox)"])
    return None


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
        fault = _faults(sb) if faults else None
        if fault is not None:
            return fault
        if auth and not _authorized(sb, request):
            return _errors(401, ["Authorization has been denied for this request."])
        try:
            if auth:
                sb.maybe_auto_orders()
            result = await handler(sb, request)
        except ApiError as exc:
            return _errors(exc.status, exc.errors)
        if isinstance(result, Response):
            return result
        if result is None:
            return Response(status_code=201)  # Jet answered writes with an empty 2xx body
        return JSONResponse(result)

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


async def token(sb: Sandbox, r: Request) -> Any:
    return sb.issue_token(await _body(r))


async def authcheck(sb: Sandbox, r: Request) -> Any:
    return "This message is authorized."


async def nodes(sb: Sandbox, r: Request) -> Any:
    return [{"fulfillment_node_id": sb.node_id, "name": "Main warehouse", "status": "active",
             "address": {"address1": sb.settings.returns.address1, "city": sb.settings.returns.city,
                         "state": sb.settings.returns.state, "zip_code": sb.settings.returns.postcode}}]  # fmt: skip


def _sku(r: Request) -> str:
    return r.path_params["sku"]


async def sku_put(sb: Sandbox, r: Request) -> Any:
    sb.put_product(_sku(r), await _body(r))


async def sku_get(sb: Sandbox, r: Request) -> Any:
    return sb.product_view(_sku(r))


async def sku_list(sb: Sandbox, r: Request) -> Any:
    return sb.sku_list(_int_param(r, "offset", 0, 0), _int_param(r, "limit", 100, 1))


def _writer(method: str, **kwargs: Any) -> Handler:
    async def handle(sb: Sandbox, r: Request) -> Any:
        getattr(sb, method)(_sku(r), await _body(r), **kwargs)

    return handle


def _reader(method: str, *args: Any) -> Handler:
    async def handle(sb: Sandbox, r: Request) -> Any:
        return getattr(sb, method)(_sku(r), *args)

    return handle


async def upload_token(sb: Sandbox, r: Request) -> Any:
    return sb.upload_token(str(r.base_url))


async def blob_put(sb: Sandbox, r: Request) -> Any:
    sb.put_blob(r.path_params["file_id"], r.query_params.get("sig", ""),
                r.headers.get("x-ms-blob-type", ""), await r.body())  # fmt: skip
    return Response(status_code=201)


async def files_uploaded(sb: Sandbox, r: Request) -> Any:
    return sb.file_uploaded(await _body(r))


async def file_get(sb: Sandbox, r: Request) -> Any:
    return sb.file_status(r.path_params["file_id"])


async def tax_links(sb: Sandbox, r: Request) -> Any:
    return sb.taxonomy_links(r.path_params["version"], _int_param(r, "offset", 0, 0),
                             _int_param(r, "limit", 100, 1))  # fmt: skip


async def tax_node(sb: Sandbox, r: Request) -> Any:
    return sb.taxonomy_node(r.path_params["node_id"])


async def tax_attrs(sb: Sandbox, r: Request) -> Any:
    return sb.taxonomy_attributes(r.path_params["node_id"])


async def orders_generate(sb: Sandbox, r: Request) -> Any:
    return {"order_urls": sb.generate_orders(r.path_params["count"], await _body(r))}


async def orders_list(sb: Sandbox, r: Request) -> Any:
    return sb.list_orders(r.path_params["status"])


async def orders_tagged(sb: Sandbox, r: Request) -> Any:
    include = r.path_params["include"].lower()
    if include not in ("true", "false"):
        raise ApiError(404, f"'{include}' must be true or false")
    return sb.list_orders(r.path_params["status"], r.path_params["tag"], include == "true")


async def orders_directed(sb: Sandbox, r: Request) -> Any:
    return sb.directed_cancels()


async def order_get(sb: Sandbox, r: Request) -> Any:
    return sb.order_view(r.path_params["order_id"])


def _order_writer(method: str) -> Handler:
    async def handle(sb: Sandbox, r: Request) -> Any:
        getattr(sb, method)(r.path_params["order_id"], await _body(r))

    return handle


async def returns_generate(sb: Sandbox, r: Request) -> Any:
    return sb.generate_return(r.path_params["order_id"])


async def returns_list(sb: Sandbox, r: Request) -> Any:
    return sb.list_returns(r.path_params["status"])


async def return_get(sb: Sandbox, r: Request) -> Any:
    return sb.return_view(r.path_params["return_id"])


async def return_complete(sb: Sandbox, r: Request) -> Any:
    sb.complete_return(r.path_params["return_id"], await _body(r))


async def refund_create(sb: Sandbox, r: Request) -> Any:
    return sb.create_refund(
        r.path_params["order_id"], r.path_params["alt_refund_id"], await _body(r)
    )


async def refund_get(sb: Sandbox, r: Request) -> Any:
    return sb.refund_view(r.path_params["refund_id"])


async def refunds_list(sb: Sandbox, r: Request) -> Any:
    return sb.list_refunds(r.path_params["status"])


SKU = "/api/merchant-skus/{sku}"
ROUTES = [
    Route("/api/token", endpoint(token, auth=False, faults=TOKEN_FAULTS), methods=["POST"]),
    Route("/api/Token", endpoint(token, auth=False, faults=TOKEN_FAULTS), methods=["POST"]),
    Route("/api/authcheck", endpoint(authcheck), methods=["GET"]),
    Route("/api/fulfillmentnodesbymerchantid", endpoint(nodes), methods=["GET"]),
    Route("/api/merchant-skus", endpoint(sku_list), methods=["GET"]),
    Route(SKU, endpoint(sku_put), methods=["PUT"]),
    Route(SKU, endpoint(sku_get), methods=["GET"]),
    Route(SKU + "/image", endpoint(_writer("put_image")), methods=["PUT"]),
    Route(SKU + "/price", endpoint(_writer("put_price")), methods=["PUT"]),
    Route(SKU + "/price", endpoint(_reader("price_view")), methods=["GET"]),
    Route(SKU + "/inventory", endpoint(_writer("put_inventory")), methods=["PUT"]),
    Route(SKU + "/inventory", endpoint(_writer("put_inventory", partial=True)), methods=["PATCH"]),
    Route(SKU + "/inventory", endpoint(_reader("inventory_view")), methods=["GET"]),
    Route(SKU + "/variation", endpoint(_writer("put_variation")), methods=["PUT"]),
    Route(SKU + "/variation", endpoint(_reader("part_view", "variation")), methods=["GET"]),
    Route(SKU + "/shippingexception", endpoint(_writer("put_shipping_exception")), methods=["PUT"]),
    Route(
        SKU + "/shippingexception",
        endpoint(_reader("part_view", "shipping_exceptions")),
        methods=["GET"],
    ),
    Route(SKU + "/returnsexception", endpoint(_writer("put_returns_exception")), methods=["PUT"]),
    Route(
        SKU + "/returnsexception",
        endpoint(_reader("part_view", "returns_exception")),
        methods=["GET"],
    ),
    Route(SKU + "/status/archive", endpoint(_writer("put_archive")), methods=["PUT"]),
    Route(SKU + "/salesdata", endpoint(_reader("sales_data")), methods=["GET"]),
    Route("/api/files/uploadToken", endpoint(upload_token), methods=["GET"]),
    Route("/api/files/uploaded", endpoint(files_uploaded), methods=["POST"]),
    Route("/api/files/{file_id}", endpoint(file_get), methods=["GET"]),
    Route("/blob/{file_id}", endpoint(blob_put, auth=False, faults=False), methods=["PUT"]),
    Route("/api/taxonomy/links/{version}", endpoint(tax_links), methods=["GET"]),
    Route("/api/taxonomy/nodes/{node_id:int}", endpoint(tax_node), methods=["GET"]),
    Route("/api/taxonomy/nodes/{node_id:int}/attributes", endpoint(tax_attrs), methods=["GET"]),
    Route("/api/orders/generate/{count:int}", endpoint(orders_generate), methods=["POST"]),
    Route("/api/orders/directedCancel", endpoint(orders_directed), methods=["GET"]),
    Route("/api/orders/withoutShipmentDetail/{order_id}", endpoint(order_get), methods=["GET"]),
    Route(
        "/api/orders/{order_id}/acknowledge",
        endpoint(_order_writer("acknowledge")),
        methods=["PUT"],
    ),
    Route("/api/orders/{order_id}/shipped", endpoint(_order_writer("ship")), methods=["PUT"]),
    Route("/api/orders/{order_id}/tag", endpoint(_order_writer("tag_order")), methods=["PUT"]),
    Route("/api/orders/{status}/{tag}/{include}", endpoint(orders_tagged), methods=["GET"]),
    Route("/api/orders/{status}", endpoint(orders_list), methods=["GET"]),
    Route("/api/returns/generate/{order_id}", endpoint(returns_generate), methods=["GET"]),
    Route("/api/returns/state/{return_id}", endpoint(return_get), methods=["GET"]),
    Route("/api/returns/{return_id}/complete", endpoint(return_complete), methods=["PUT"]),
    Route("/api/returns/{status}", endpoint(returns_list), methods=["GET"]),
    Route("/api/refunds/state/{refund_id}", endpoint(refund_get), methods=["GET"]),
    Route("/api/refunds/{order_id}/{alt_refund_id}", endpoint(refund_create), methods=["POST"]),
    Route("/api/refunds/{status}", endpoint(refunds_list), methods=["GET"]),
]


def create_app(settings: Settings) -> Starlette:
    """The Jet sandbox as an ASGI app; its state opens on the first request."""
    app = Starlette(routes=ROUTES, exception_handlers={404: _not_found, 405: _not_allowed})
    app.router.redirect_slashes = False  # 'merchant-skus/' is no SKU: 404, not a redirect
    app.state.lazy = _Lazy(settings)
    return app
