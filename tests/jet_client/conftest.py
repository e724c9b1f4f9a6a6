"""Sandbox fixtures: the client against the sandbox in-process and over real HTTP (uvicorn on a
free loopback port in a background thread, one per test session)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jettui.config import Settings
from jettui.jet.client import JetClient

BACKOFF = 0.005  # keep retry sleeps short in tests
_FIGURES = pytest.StashKey[list[str]]()


def make_settings(state_file: Path | str, **sandbox: Any) -> Settings:
    base = Settings()
    jet = replace(base.jet, api_url="sandbox", max_retries=4, concurrency=4, timeout_seconds=10.0)
    box = replace(
        base.sandbox,
        state_file=str(state_file),
        review_delay_seconds=0.0,
        order_every_seconds=0.0,
        **sandbox,
    )
    return replace(base, jet=jet, sandbox=box)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HttpSandbox:
    """uvicorn serving create_app(settings) in a thread; ``stop()`` ends it."""

    def __init__(self, settings: Settings) -> None:
        import uvicorn

        from jettui.jet.sandbox import create_app

        self.settings = settings
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/api"
        self.app = create_app(settings)  # app.state.lazy.get() is its Sandbox
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="http-sandbox", daemon=True)

    def start(self) -> HttpSandbox:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("HTTP sandbox did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def http_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpSandbox]:
    server = HttpSandbox(make_settings(tmp_path_factory.mktemp("http-sandbox") / "state.db"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings for a fresh in-process sandbox with its own state file."""
    return lambda **sandbox: make_settings(tmp_path / "state.db", **sandbox)


@pytest.fixture(params=["inprocess", "http"])
async def jet(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[JetClient]:
    """A client on the sandbox: in-process (fresh state) or over HTTP (shared session server)."""
    if request.param == "inprocess":
        from jettui.jet.connect import open_jet_client

        client = open_jet_client(make_settings(tmp_path / "state.db"), backoff_base=BACKOFF)
    else:
        server: HttpSandbox = request.getfixturevalue("http_sandbox")
        settings = replace(server.settings.jet, api_url=server.base_url)
        client = JetClient(settings, backoff_base=BACKOFF)
    async with client:
        yield client


@pytest.fixture
def ci_figures(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record a line for the run's terminal summary: CI runs ``pytest -q`` without ``-s``, so a
    ``print`` in a passing test never reaches its log, but the summary does."""
    return request.config.stash.setdefault(_FIGURES, []).append


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    figures = config.stash.get(_FIGURES, [])
    if figures:
        terminalreporter.section("Jet client figures")
        for line in figures:
            terminalreporter.write_line(line)
