"""The whole Runway once with the store on MariaDB (real OpenCart 3.0 tables + jettui's)."""

from __future__ import annotations

import asyncio
import json

import pytest

from jettui.services.activation import activation_status, run_activation
from jettui.store.db import connect, ensure_jet_tables
from jettui.store.jet_tables import lock_holder
from tests.service_support import events

from .conftest import SECRET, sandbox_tokens


@pytest.mark.mariadb
async def test_runway_with_a_mariadb_store(make_settings, mariadb_url: str) -> None:
    settings = make_settings(database=mariadb_url)
    db = connect(settings)
    try:
        ensure_jet_tables(db)
        results = await run_activation(settings, db, ["all"])
        assert [r.outcome for r in results] == ["ok", "ok", "ok"], [r.message for r in results]

        states = await asyncio.to_thread(activation_status)
        assert states["return"].last.ids == results[2].ids
        assert all(s.label.startswith("done at ") for s in states.values())
        assert lock_holder("activation") is None

        logged = events("api")
        assert any(
            e.message.startswith("PUT /orders/") and "/shipped → 201" in e.message for e in logged
        )
        text = json.dumps([[e.message, e.detail] for e in events()])
        assert SECRET not in text
        assert not any(token in text for token in sandbox_tokens(settings))
    finally:
        db.close()
