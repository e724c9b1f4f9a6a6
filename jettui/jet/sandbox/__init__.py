"""The Jet sandbox: a faithful stand-in for merchant-api.jet.com (closed in 2020).

In-process (``jet.api_url: sandbox``) through :func:`sandbox_transport`, or over HTTP through
:func:`serve` (``jettui sandbox``). Its state lives in ``settings.sandbox.state_file``.
"""

from __future__ import annotations

from jettui.config import Settings
from jettui.jet.sandbox.app import TOKEN_FAULTS, create_app
from jettui.jet.sandbox.transport import InProcessTransport

__all__ = ["TOKEN_FAULTS", "InProcessTransport", "create_app", "sandbox_transport", "serve"]


def sandbox_transport(settings: Settings) -> InProcessTransport:
    """An httpx transport that answers from an in-process sandbox (base URL
    ``http://sandbox.jettui/api``), with the client's timeouts and dropped connections as
    over HTTP. ``transport.app.state.lazy.get()`` is the :class:`Sandbox` (for tests)."""
    return InProcessTransport(create_app(settings))


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8089) -> None:
    """Serve the sandbox over HTTP until interrupted (blocking)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
