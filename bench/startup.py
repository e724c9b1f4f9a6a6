"""Headless start-up: `jettui cron due` with nothing due against `python -c "import httpx, peewee"`.

    python bench/startup.py              # median of 7 whole-process runs each, and the ratio
    python bench/startup.py --runs 15 --max-ratio 1.5   # exit 1 above the target

Cron starts `jettui cron due` every few minutes and most runs find nothing due, so its cost is
start-up: interpreter, imports, opening the store. The baseline is the two libraries no
headless run can do without. Both run in a temporary folder with the shipped settings (the demo
store, built first); after a first `cron due` ran the due jobs, nothing is due in the timed
runs (checked). The two commands are timed alternately, so machine load hits both alike; the
CPU time (user + system) is printed too, as it varies less on a busy machine.
Byte-code caching is on for the timed processes (as for an installed jettui), whatever
PYTHONDONTWRITEBYTECODE says in this shell.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = [sys.executable, "-c", "import httpx, peewee"]
CRON_DUE = [sys.executable, "-m", "jettui.cli", "--config", "settings.yaml", "cron", "due"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = _run(argv, cwd, env)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def _prepare(folder: Path, env: dict[str, str]) -> None:
    """Settings and demo store in ``folder``; the due jobs run once; byte-code cached."""
    shutil.copy(ROOT / "settings.yaml", folder / "settings.yaml")
    (folder / "settings.yaml").chmod(0o600)
    first = _run(CRON_DUE, folder, env)  # builds the demo store and runs what is due
    if first.returncode not in (0, 1):
        sys.exit(f"first `cron due` failed ({first.returncode}): {first.stderr.strip()}")
    _run(BASELINE, folder, env)
    check = _run([*CRON_DUE, "--json"], folder, env)
    ran = [o["job"] for o in json.loads(check.stdout)["outcomes"] if o["result"] not in
           ("skipped", "unavailable")]  # fmt: skip
    if ran:
        sys.exit(f"jobs still due after the first run: {', '.join(ran)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--max-ratio", type=float, help="exit 1 when the ratio is above this")
    args = parser.parse_args()
    env = _env()
    with tempfile.TemporaryDirectory(prefix="jettui-startup-") as tmp:
        folder = Path(tmp)
        _prepare(folder, env)
        base: list[tuple[float, float]] = []
        cron: list[tuple[float, float]] = []
        for _ in range(args.runs):
            base.append(_timed(BASELINE, folder, env))
            cron.append(_timed(CRON_DUE, folder, env))
    wall = [statistics.median(s for s, _ in runs) for runs in (base, cron)]
    cpu = [statistics.median(c for _, c in runs) for runs in (base, cron)]
    ratio = wall[1] / wall[0]
    print(f"median of {args.runs} whole-process runs each   wall      cpu (user+sys)")
    print(f'python -c "import httpx, peewee"          {wall[0]:.3f} s   {cpu[0]:.3f} s')
    print(f"jettui cron due (nothing due)             {wall[1]:.3f} s   {cpu[1]:.3f} s")
    target = f" (target <= {args.max_ratio}x)" if args.max_ratio else ""
    print(
        f"ratio                                     {ratio:.2f}x     {cpu[1] / cpu[0]:.2f}x{target}"
    )
    return 1 if args.max_ratio is not None and ratio > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
