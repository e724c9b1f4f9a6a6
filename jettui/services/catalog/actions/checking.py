"""Checking a part's products against Jet's rules, a chunk per store-thread call."""

from __future__ import annotations

from jettui.services.catalog.actions.report import CHECKING, Progress, Stage, call
from jettui.services.catalog.payload import (
    Checker,
    ProductCheck,
)
from jettui.services.jet_session import StoreThread

CHECK_CHUNK = 500  # products checked per store-thread call: progress moves while checking


async def check_in_chunks(
    checker: Checker,
    store: StoreThread,
    product_ids: list[int],
    progress: Progress | None,
    stage: Stage | None,
) -> list[ProductCheck]:
    """Every product checked, :data:`CHECK_CHUNK` per store-thread call, the progress moving
    with the products (a long check is not a silent wait)."""
    await call(stage, CHECKING)
    ids = list(dict.fromkeys(product_ids))
    checks: list[ProductCheck] = []
    for start in range(0, len(ids), CHECK_CHUNK):
        checks += await store.run(checker.check_many, ids[start : start + CHECK_CHUNK])
        await call(progress, len(checks), len(ids))
    return checks
