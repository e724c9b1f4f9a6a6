"""Crash tally of the line accounts: return completion (refunds + restock) and merchant refunds
(creation to acceptance) SIGKILLed after a random SQL statement, many times, then settled by
one more run and checked (tests/returns/test_account_crash.py's trials, with more of them).

    python bench/account_crash.py [--trials 100] [--seed 15] [--backend sqlite|mariadb|both]

MariaDB needs JETTUI_TEST_MYSQL_URL (and JETTUI_OPENCART_SQL for the OpenCart demo), as the
tests do. Prints one tally line per operation and backend: trials, runs killed, problems (a
problem fails the run with the trial's details)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--backend", choices=("sqlite", "mariadb", "both"), default="both")
    args = parser.parse_args()
    os.environ["JETTUI_ACCOUNT_CRASH_TRIALS"] = str(args.trials)
    os.environ["JETTUI_ACCOUNT_CRASH_SEED"] = str(args.seed)
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    sys.path.insert(0, str(ROOT))
    import pytest

    selection = {"sqlite": "sqlite", "mariadb": "mariadb", "both": "sqlite or mariadb"}
    return int(
        pytest.main(
            [
                str(ROOT / "tests" / "returns" / "test_account_crash.py"),
                "-q",
                "-s",
                "-p",
                "no:cacheprovider",
                "-k",
                selection[args.backend],
            ]  # fmt: skip
        )
    )


if __name__ == "__main__":
    sys.exit(main())
