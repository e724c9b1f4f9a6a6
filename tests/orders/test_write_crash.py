"""SIGKILL trials of ``orders ship``, ``orders acknowledge``, ``returns complete`` and
``refunds create`` (tests/orders/write_crash.py): each killed at a random SQL statement or
right after Jet's answer, JETTUI_WRITE_CRASH_TRIALS times per command (default 20) on SQLite
and on MariaDB; after one more cron run Jet and OpenCart agree on every order and no write was
applied twice. bench/write_crash.py runs more and prints the tally."""

from __future__ import annotations

import os

import pytest

from tests.orders.write_crash import COMMANDS, trials
from tests.shop_support import RETURN_ACTION, write_settings

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("JETTUI_WRITE_CRASH_TRIALS", "20"))


async def test_killed_writes_are_settled_never_applied_twice(oc_database, tmp_path, oc_db):
    settings = write_settings(tmp_path, oc_database, returns=RETURN_ACTION)
    tally = await trials(settings, oc_db, TRIALS, seed=16)
    print({c: dict(tally[c]) for c in COMMANDS})
    for command in COMMANDS:
        assert tally[command]["problems"] == 0
        assert tally[command]["killed"] >= TRIALS // 2, (command, dict(tally[command]))
