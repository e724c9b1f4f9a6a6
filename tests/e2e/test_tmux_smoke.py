"""End to end: the real `jettui` dashboard in tmux at 80x24, driven by keys like a merchant.

Starts `python -m jettui.cli --config <tmp settings>` (first start builds the demo store), then
selects, filters, switches panel and quits, reading the screen with capture-pane. Needs tmux:
skipped locally without it, a failure in CI (.ci/run installs it).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

SETTINGS_YAML = """\
jet:
  api_url: sandbox
  email: merchant@example.com
  api_user: jetuser
  api_secret: e2e-secret-5678
  fulfillment_node_id: node-1
store:
  database: sqlite:///demo-store.db
sandbox:
  state_file: ":memory:"
  order_every_seconds: 0
tui:
  theme: jettui
"""
TIMEOUT = 30.0
POLL = 0.1
STATUS = re.compile(r"([\d,]+)(\+?) rows? · ([\d,]+) selected")  # "1 row" too

if shutil.which("tmux") is None:
    if os.environ.get("CI"):
        pytest.fail("tmux is missing (.ci/run installs it)", pytrace=False)
    pytest.skip("tmux is not installed", allow_module_level=True)


class Tmux:
    """One detached tmux session of a unique name (other sessions on the server stay alone)."""

    def __init__(self, name: str) -> None:
        self.base = ["tmux"]
        self.target = name

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [*self.base, *args], capture_output=True, text=True, timeout=10, check=True
        )
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)

    def wait_for(self, what: str, check: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + TIMEOUT
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"waited {TIMEOUT:.0f} s for {what}; the screen:\n{screen}")
            time.sleep(POLL)

    def quit(self, exit_status: Path) -> str:
        """ctrl+q, then the dashboard's exit status once the session's shell has written it
        to ``exit_status``."""
        self.keys("C-q")
        deadline = time.monotonic() + TIMEOUT
        while not exit_status.exists() or not exit_status.read_text().strip():
            assert time.monotonic() < deadline, f"still running after ctrl+q:\n{self.screen()}"
            time.sleep(POLL)
        return exit_status.read_text().strip()


def status_line(screen: str) -> tuple[int, bool, int]:
    """(rows, still counting, selected) from the grid's status line."""
    match = STATUS.search(screen)
    assert match, screen
    return int(match[1].replace(",", "")), bool(match[2]), int(match[3].replace(",", ""))


def products_matching(database: Path, needle: str) -> int:
    """What the products filter should find: name, model, SKU, UPC or EAN contain the text."""
    with sqlite3.connect(database) as con:
        (count,) = con.execute(
            "SELECT COUNT(*) FROM oc_product p"
            " JOIN oc_product_description d ON d.product_id = p.product_id AND d.language_id = 1"
            " WHERE d.name LIKE :n OR p.model LIKE :n OR p.sku LIKE :n OR p.upc LIKE :n"
            " OR p.ean LIKE :n",
            {"n": f"%{needle}%"},
        ).fetchone()
    return count


def test_dashboard_in_tmux_select_filter_switch_and_quit(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text(SETTINGS_YAML, encoding="utf-8")
    (tmp_path / "settings.yaml").chmod(0o600)
    # The pane gets the tmux server's environment, not ours: say what matters explicitly.
    command = " ".join(
        [
            "env -u COLORTERM TERM=xterm-256color",
            f"PYTHONPATH={shlex.quote(str(Path(__file__).resolve().parents[2]))}",
            shlex.quote(sys.executable),
            "-m jettui.cli --config settings.yaml;",
            "echo $? > exit-status",  # tmux's own #{pane_dead_status} is not always filled in
        ]
    )
    tmux = Tmux(f"jettui-e2e-{uuid.uuid4().hex[:12]}")
    try:
        tmux.run("new-session", "-d", "-s", tmux.target, "-x", "80", "-y", "24",
                 "-c", str(tmp_path), command)  # fmt: skip
        tmux.run("set-option", "-w", "-t", tmux.target, "remain-on-exit", "on")

        screen = tmux.wait_for("the products grid", lambda s: STATUS.search(s) is not None)
        screen = tmux.wait_for("the exact count", lambda s: not status_line(s)[1])
        total, _, selected = status_line(screen)
        assert "Products" in screen.splitlines()[0]
        assert total > 0 and selected == 0

        tmux.keys("Space")
        tmux.wait_for("one row selected", lambda s: status_line(s)[2] == 1)
        tmux.keys("a")
        tmux.wait_for("every row selected", lambda s: status_line(s)[2] == total)

        needle = "kestrel"
        expected = products_matching(tmp_path / "demo-store.db", needle)
        assert 0 < expected < total
        tmux.keys("/" + needle, literal=True)  # one burst, as a paste or a fast typist sends it
        tmux.keys("Enter")
        screen = tmux.wait_for(
            "the filtered count",
            lambda s: f"filter: {needle}" in s and status_line(s)[:2] == (expected, False),
        )
        assert status_line(screen)[2] == total  # the selection outlives the filter

        tmux.keys("2")
        # The title can be painted a frame before the grid: wait for both.
        tmux.wait_for(
            "the categories panel with its grid",
            lambda s: "Categories" in s.split("\n")[0] and "Category" in s.split("\n")[1],
        )

        assert tmux.quit(tmp_path / "exit-status") == "0"
    finally:
        subprocess.run([*tmux.base, "kill-session", "-t", tmux.target],
                       capture_output=True, timeout=10, check=False)  # fmt: skip
