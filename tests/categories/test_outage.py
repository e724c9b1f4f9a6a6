"""A Jet outage part-way through a taxonomy refresh: every fetch stops before the refresh
raises (no call to Jet afterwards), the cache is left as it was and the lock is free."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jettui.jet.client import JetClient
from jettui.jet.errors import JetUnreachable
from jettui.services.categories import LOCK_NAME, refresh_taxonomy, taxonomy_count
from jettui.store.jet_tables import lock_holder

REAL_GET_NODE = JetClient.get_taxonomy_node


async def test_outage_mid_refresh_stops_every_fetch(
    settings, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    returned = False
    late: list[int] = []

    async def get_node(self: JetClient, node_id: int) -> Any:
        if returned:
            late.append(node_id)
        calls.append(node_id)
        await asyncio.sleep(0.05)  # each call takes a while: others are in flight at the failure
        if len(calls) > 20:  # Jet went away: calls time out
            raise JetUnreachable(method="GET", path=f"/taxonomy/nodes/{node_id}")
        return await REAL_GET_NODE(self, node_id)

    monkeypatch.setattr(JetClient, "get_taxonomy_node", get_node)
    with pytest.raises(JetUnreachable):
        await refresh_taxonomy(settings, db)
    returned = True
    done = len(calls)
    await asyncio.sleep(0.3)  # fetches left running would call Jet again now

    assert late == [] and len(calls) == done
    assert taxonomy_count(db) == 0  # nothing half-saved
    assert lock_holder(LOCK_NAME) is None
