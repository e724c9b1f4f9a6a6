"""The Jet sandbox: a faithful stand-in for merchant-api.jet.com (closed in 2020).

In-process (``jet.api_url: sandbox``) through :func:`sandbox_transport`, or over HTTP through
:func:`serve` (``jettui sandbox``). Its state lives in ``settings.sandbox.state_file``.
"""

from __future__ import annotations

import httpx

from jettui.config import Settings
from jettui.jet.sandbox.app import TOKEN_FAULTS, create_app

__all__ = ["TOKEN_FAULTS", "create_app", "sandbox_transport", "serve"]


def sandbox_transport(settings: Settings) -> httpx.ASGITransport:
    """An httpx transport that answers from an in-process sandbox (base URL
    ``http://sandbox.jettui/api``)."""
    return httpx.ASGITransport(app=create_app(settings))


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8089) -> None:
    """Serve the sandbox over HTTP until interrupted (blocking)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
