"""End to end, the README's newcomer path (issue 19): the real dashboard in tmux at 80x24 on a
fresh embedded demo, driven by keys like a merchant on the first day, reading the screen with
capture-pane at each step:

configuration (edit, ctrl+s) → API activation (A) → map a category (T, m) → upload (u, y) →
fetch orders (f) and the first order on the Orders panel.

Needs tmux: skipped locally without it, a failure in CI (.ci/run installs it).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.e2e.test_tmux_smoke import STATUS, Tmux, status_line

SETTINGS_YAML = """\
jet:
  api_url: sandbox
  email: merchant@example.com
  api_user: jetuser
  api_secret: e2e-newcomer-5678
  fulfillment_node_id: node-1
store:
  database: sqlite:///demo-store.db
sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 60
tui:
  theme: jettui
"""
NEW_EMAIL = "newcomer@example.com"
CATEGORY = "cookbooks"  # the demo's Books > Cookbooks: one product
LEAF = "wine > cookbooks"  # Books > Cookbooks, Food & Wine > Cookbooks (13000027), a leaf
FIRST_ORDER_SECONDS = 60.0  # the sandbox's first demo order: once a SKU is for sale


def title(screen: str) -> str:
    return screen.split("\n")[0]


def row(screen: str, label: str) -> str:
    """The first line of the screen that begins (after blanks) with ``label``."""
    return next((line for line in screen.splitlines() if line.strip().startswith(label)), "")


def step(screen: str, number: int) -> str:
    """The getting-started line of step ``number``: '✓ 2. ...' or '○ 2. ...'."""
    line = next((line for line in screen.splitlines() if f" {number}. " in line), "")
    return " ".join(line.split())


def test_newcomer_path_from_configuration_to_the_first_order(tmp_path: Path) -> None:
    settings = tmp_path / "settings.yaml"
    settings.write_text(SETTINGS_YAML, encoding="utf-8")
    settings.chmod(0o600)
    command = " ".join(
        [
            "env -u COLORTERM TERM=xterm-256color",
            f"PYTHONPATH={shlex.quote(str(Path(__file__).resolve().parents[2]))}",
            shlex.quote(sys.executable),
            "-m jettui.cli --config settings.yaml;",
            "echo $? > exit-status",
        ]
    )
    tmux = Tmux(f"jettui-newcomer-{uuid.uuid4().hex[:12]}")
    try:
        tmux.run("new-session", "-d", "-s", tmux.target, "-x", "80", "-y", "24",
                 "-c", str(tmp_path), command)  # fmt: skip
        tmux.run("set-option", "-w", "-t", tmux.target, "remain-on-exit", "on")

        # First start: the demo store is built, the getting-started path shows its six steps.
        screen = tmux.wait_for("the getting-started path", lambda s: "Getting started" in s)
        assert step(screen, 1).startswith("✓ 1. Check the configuration")
        assert step(screen, 2).startswith("○ 2. Activate the Jet APIs")

        # 1. Configuration: check it, change the Jet e-mail, save (ctrl+s).
        tmux.keys("0")
        tmux.wait_for("the configuration form", lambda s: "Configuration" in title(s)
                      and row(s, "api_url"))  # fmt: skip
        tmux.keys("Tab")  # into the form: api_url
        time.sleep(0.3)
        tmux.keys("Tab")  # email
        time.sleep(0.3)
        tmux.keys("End", "C-u")
        tmux.wait_for("the e-mail field emptied", lambda s: row(s, "email").split() == ["email"])
        tmux.keys(NEW_EMAIL, literal=True)
        tmux.wait_for("the new e-mail typed", lambda s: NEW_EMAIL in row(s, "email"))
        tmux.keys("C-s")
        tmux.wait_for("the save", lambda s: "Saved 1 setting(s): jet.email" in s)
        assert f"email: {NEW_EMAIL}" in settings.read_text(encoding="utf-8")

        # 2. API activation: ctrl+g a, then A runs the three test steps.
        tmux.keys("C-g")
        tmux.wait_for("the go menu", lambda s: "API activation" in s)
        tmux.keys("a")
        tmux.wait_for("the activation screen", lambda s: "API activation" in title(s))
        tmux.keys("A")
        screen = tmux.wait_for("every step done", lambda s: s.count("done at ") == 3)
        assert "failed" not in screen

        # 3. Map a category: refresh the taxonomy (T), filter, m, pick a leaf node.
        tmux.keys("2")
        tmux.wait_for("the categories grid", lambda s: "Categories" in title(s)
                      and STATUS.search(s) is not None)  # fmt: skip
        tmux.keys("T")
        tmux.wait_for("the taxonomy cached", lambda s: "nodes cached" in s)
        tmux.keys("/" + CATEGORY, literal=True)
        tmux.keys("Enter")
        tmux.wait_for("one category, the filter closed", lambda s: f"filter: {CATEGORY}" in s
                      and STATUS.search(s) is not None and status_line(s)[0] == 1
                      and "m Map to Jet" in s.splitlines()[-1])  # fmt: skip
        tmux.keys("m")
        tmux.wait_for("the taxonomy picker", lambda s: "Map 1 category to" in s)
        tmux.keys(LEAF, literal=True)
        tmux.wait_for("the one leaf", lambda s: "13000027" in s and "13000026" not in s)
        tmux.keys("Enter")
        screen = tmux.wait_for("the mapping", lambda s: "1 category mapped to" in s)
        assert "13000027" in screen

        # 4. Upload: the products of mapped categories (m), select (space), u, y.
        tmux.keys("1")
        tmux.wait_for("the products with step 4 ticked", lambda s: "Products" in title(s)
                      and step(s, 4).startswith("✓ 4."))  # fmt: skip
        tmux.keys("m")
        tmux.wait_for("the mapped products only", lambda s: "mapped categories only" in s
                      and STATUS.search(s) is not None and status_line(s)[:2] == (1, False))  # fmt: skip
        tmux.keys("Space")
        tmux.wait_for("the product selected", lambda s: status_line(s)[2] == 1)
        tmux.keys("u")
        tmux.wait_for("the upload confirm", lambda s: "Upload to Jet: 1 product" in s)
        tmux.keys("y")
        screen = tmux.wait_for("the upload result", lambda s: "upload: " in s
                               and "succeeded" in s)  # fmt: skip
        assert "upload: 1 succeeded" in screen
        tmux.keys("y")  # closes the result
        tmux.wait_for("step 5 ticked", lambda s: step(s, 5).startswith("✓ 5."))

        # 5. The first order: Orders (3), fetch (f) until Jet has placed it.
        tmux.keys("3")
        tmux.wait_for("the orders panel, empty", lambda s: "Orders" in title(s)
                      and "No Jet orders yet" in s)  # fmt: skip
        deadline = time.monotonic() + FIRST_ORDER_SECONDS
        while True:
            tmux.keys("f")
            time.sleep(3)
            screen = tmux.screen()
            assert "rejected" not in screen and "failed" not in screen, screen
            if STATUS.search(screen) and status_line(screen)[0] >= 1:
                break
            assert time.monotonic() < deadline, f"no order after {FIRST_ORDER_SECONDS} s:\n{screen}"
        assert "fetch-orders: ok" in screen
        assert " ready " in screen or "acknowledged" in screen  # the order's row, Jet status

        assert tmux.quit(tmp_path / "exit-status") == "0"
    finally:
        subprocess.run([*tmux.base, "kill-session", "-t", tmux.target],
                       capture_output=True, timeout=10, check=False)  # fmt: skip


pytestmark = pytest.mark.slow
