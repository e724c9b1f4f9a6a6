"""Issue 19 items 5 and 18 on the Cron status panel: a job that never ran says so, and the
Result column stays readable at 80x24 and 60x20 (before: "ok…" at 60 columns)."""

from __future__ import annotations

from datetime import datetime

import pytest

from jettui.config import Settings
from jettui.store.jet_tables import JetJobRun
from tests.pilot_support import settle

from .conftest import make_app
from .display_support import screen_lines


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_cron_results_readable(demo_settings: Settings, size: tuple[int, int]) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        JetJobRun.create(
            job="fetch-orders", started_at=datetime(2026, 3, 1, 12, 0),
            finished_at=datetime(2026, 3, 1, 12, 1), result="ok", items_ok=3, message="3 orders",
        )  # fmt: skip
        await pilot.press("8")
        await settle(pilot)
        lines = screen_lines(app)
        row = {
            line.split()[0]: line for line in lines if line.strip().startswith(("fetch-", "sync"))
        }
        assert "ok: 3 orders" in row["fetch-orders"]
        assert "never run" in row["fetch-returns"] and "never run" in row["sync"]
        assert all(len(line) <= size[0] for line in lines)
