"""ctrl+c during `jettui products upload --all` (issue 19 item 12): the first SIGINT stops after
the part in flight (exit 130, the document says what was left), and `jettui status --nagios`
then warns (not OK) naming the SKUs left, until the next complete upload."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from jettui.jet.sandbox.orders import Sandbox
from tests.catalog.test_sigkill_trials import ROOT, _prepare, _registered_files

PART = 4  # products per part in the child (16 demo products: 4 parts)
UPLOAD = f"""
import sys
from jettui.services.catalog.actions import run
from jettui.cli import main
run.STREAM_PRODUCTS = {PART}
sys.exit(main(sys.argv[1:]))
"""


def _jettui(settings_path: Path, *args: str, code: str = "") -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    head = ["-c", code] if code else ["-m", "jettui.cli"]
    return subprocess.Popen(
        [sys.executable, *head, "--config", str(settings_path), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _interrupt_during_first_part(proc: subprocess.Popen[bytes], sandbox: Sandbox) -> None:
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if _registered_files(sandbox):  # the first part's MerchantSKUs file is with Jet
            proc.send_signal(signal.SIGINT)
            return
        time.sleep(0.02)
    raise AssertionError("the upload ended before the first file was registered")


def _nagios(settings_path: Path) -> tuple[int, str]:
    proc = _jettui(settings_path, "status", "--nagios", "--no-jet")
    out, _ = proc.communicate(timeout=60)
    return proc.returncode, out.decode()


def test_first_ctrl_c_stops_after_the_part_in_flight_and_status_warns(tmp_path) -> None:
    settings = _prepare(tmp_path / "shop", None)
    path = tmp_path / "shop" / "settings.yaml"
    sandbox = Sandbox(settings)

    upload = _jettui(path, "products", "upload", "--all", "--json", code=UPLOAD)
    _interrupt_during_first_part(upload, sandbox)
    out, err = upload.communicate(timeout=120)
    doc = json.loads(out)

    assert upload.returncode == 130, err.decode()[-2000:]
    assert doc["exit_code"] == 130 and doc["ok"] is False
    assert "stopping after the part in flight" in err.decode()
    left = [i for i in doc["items"] if i["outcome"] == "not attempted"]
    sent = [i for i in doc["items"] if i["outcome"] == "succeeded"]
    assert left and sent
    total = len(doc["items"])
    assert doc["stopped"] == (
        f"stopped: {total - len(left)} of {total} SKUs sent; {len(left)} left — run upload again"
    )
    on_jet = {d["merchant_sku"] for d in sandbox.db.all("sku")}
    assert not on_jet & {i["sku"] for i in left}  # the rest untouched
    assert {i["sku"] for i in sent} <= on_jet  # the part in flight finished (not half-sent)

    code, line = _nagios(path)
    assert code == 1 and line.startswith("JETTUI WARNING - "), line
    assert f"with {len(left)} SKU(s) left unfinished" in line

    again = _jettui(path, "products", "upload", "--all", "--json")
    again.communicate(timeout=300)
    assert again.returncode in (0, 1)
    code, line = _nagios(path)
    assert "left unfinished" not in line, line
