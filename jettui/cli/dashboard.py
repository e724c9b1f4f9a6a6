"""`jettui` without a command: the dashboard (the only place Textual is imported)."""

from __future__ import annotations

import argparse

from .output import Output
from .session import ensure_demo, load


def run(args: argparse.Namespace, out: Output) -> int:
    """Start the TUI; with the shipped settings the demo store is built on first start. Store
    failures are shown inside the dashboard (whose configuration screen can fix them), so the
    store is not opened here."""
    settings = load(args, out)
    ensure_demo(settings, out)
    from jettui.tui.app import run_dashboard  # Textual only here

    return run_dashboard(settings)
