"""The Jet sandbox over HTTP for the benchmarks: ``jettui.jet.sandbox.serve`` in its own process
on a loopback port, so that the measured process is jettui alone and the server's work does
not share its event loop or its CPU time.

    with sandbox_server(settings_path) as base_url:  # http://127.0.0.1:PORT/api
        ...

Loopback only; the server is stopped (terminated, killed after 10 s) however the block ends.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SERVE = (
    "import sys; from jettui.config import load_settings; from jettui.jet.sandbox import serve; "
    "serve(load_settings(sys.argv[1]), '127.0.0.1', int(sys.argv[2]))"
)

#: The served sandbox's own settings (``.format(state=..., store=...)``): the benchmarks' Jet
#: credentials, no review delay, no demo orders.
SERVER_SETTINGS = """\
jet:
  api_url: sandbox
  api_user: benchuser
  api_secret: bench-secret
  fulfillment_node_id: node-1
sandbox:
  state_file: {state}
  review_delay_seconds: 0
  order_every_seconds: 0
store:
  database: sqlite:///{store}
"""


def free_port() -> int:
    """A loopback port nothing listens on now (for settings that must name it up front)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_url(port: int) -> str:
    """The Jet API base URL of a sandbox served on ``port``."""
    return f"http://127.0.0.1:{port}/api"


def wait_until_up(base_url: str, process: subprocess.Popen, seconds: float = 30.0) -> None:
    """Return once the sandbox answers ``/authcheck``; exit if it died or stayed silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"sandbox exited with {process.returncode}")
        try:
            httpx.get(f"{base_url}/authcheck", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"sandbox did not answer within {seconds:g} s")


@contextmanager
def sandbox_server(
    settings_path: Path, port: int | None = None, *, seconds: float = 30.0
) -> Iterator[str]:
    """Serve the sandbox of ``settings_path`` (its ``sandbox:`` section: state file, delays) on
    ``port`` (a free one when None) until the block ends; yields its API base URL."""
    port = port or free_port()
    base_url = api_url(port)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(settings_path), str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base_url, server, seconds)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
