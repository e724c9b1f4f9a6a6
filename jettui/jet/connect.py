"""Open a JetClient for the configured Jet: the embedded sandbox or a real API URL."""

from __future__ import annotations

from typing import Any

from jettui.config import Settings
from jettui.jet.client import EventHook, JetClient

SANDBOX_BASE_URL = "http://sandbox.jettui/api"


def open_jet_client(
    settings: Settings, on_event: EventHook | None = None, **options: Any
) -> JetClient:
    """A JetClient for ``settings.jet``; in-process sandbox when ``jet.api_url`` is "sandbox".

    ``options`` go to :class:`JetClient` (e.g. ``backoff_base``). Use it as
    ``async with open_jet_client(settings) as jet: ...``.
    """
    if settings.jet.is_sandbox:
        from jettui.jet.sandbox import sandbox_transport  # the sandbox is only loaded when used

        return JetClient(
            settings.jet,
            transport=sandbox_transport(settings),
            base_url=SANDBOX_BASE_URL,
            on_event=on_event,
            **options,
        )
    return JetClient(settings.jet, on_event=on_event, **options)
