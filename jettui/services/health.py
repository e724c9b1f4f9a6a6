"""`jettui config check`: can we reach the store and Jet with these settings?"""

from __future__ import annotations

import asyncio
from typing import Any

from jettui.config import Settings


def check_store(settings: Settings) -> dict[str, Any]:
    """Connect, and confirm the schema is OpenCart's with the configured prefix."""
    from jettui.store.db import connect, recognise_store

    try:
        db = connect(settings, must_exist=True, wal=False)  # a check never changes the file
        info = recognise_store(db)
    except Exception as exc:  # noqa: BLE001 - reported as one line, never a traceback
        return {"ok": False, "message": str(exc), "database": settings.store.database_display}
    facts = info.as_dict() if hasattr(info, "as_dict") else dict(vars(info))
    try:
        facts["order_status_problems"] = _order_status_problems(settings)
        facts["warnings"] = (
            list(facts.get("warnings") or [])
            + _image_warnings(settings)
            + _field_map_warnings(settings)
            + _refunded_status_warnings(settings)
        )
    finally:
        db.close()
    summary = (
        f"OpenCart {facts.get('version_guess', '?')} on {facts.get('backend', '?')}, "
        f"prefix {facts.get('prefix', '?')}, {facts.get('product_count', '?')} products, "
        f"{facts.get('category_count', '?')} categories, store '{facts.get('store_name', '')}'"
    )
    for warning in facts.get("warnings") or []:
        summary += f"; warning: {warning}"
    return {
        "ok": True,
        "message": f"{settings.store.database_display}: {summary}",
        "database": settings.store.database_display,
        **facts,
    }


def _image_warnings(settings: Settings) -> list[str]:
    """No store.url and no config_url: every product would go to Jet without images."""
    from jettui.services.catalog.images import NO_BASE, image_base

    try:
        return [] if image_base(settings) else [NO_BASE]
    except Exception:  # noqa: BLE001 - an unreadable setting table is the store check's business
        return []


def _field_map_warnings(settings: Settings) -> list[str]:
    """catalog.field_map entries naming an attribute the store does not have."""
    from jettui.services.catalog.field_map import unknown_attribute_warnings

    try:
        return unknown_attribute_warnings(settings)
    except Exception:  # noqa: BLE001 - an unreadable attribute table is the store check's business
        return []


def _refunded_status_warnings(settings: Settings) -> list[str]:
    """``orders.status_refunded`` outside the statuses that hold stock (OpenCart would restock)."""
    from jettui.services.orders.config_check import refunded_status_warnings

    try:
        return refunded_status_warnings(settings)
    except Exception:  # noqa: BLE001 - an unreadable setting table is the store check's business
        return []


async def check_jet(settings: Settings) -> dict[str, Any]:
    """Obtain a token and make one authorised call."""
    from jettui.jet.connect import open_jet_client

    where = "embedded sandbox" if settings.jet.is_sandbox else settings.jet.api_url
    try:
        async with open_jet_client(settings) as client:
            await client.authcheck()
    except Exception as exc:  # noqa: BLE001 - reported as one line, never a traceback
        return {"ok": False, "message": f"{where}: {exc}", "api_url": settings.jet.api_url}
    return {"ok": True, "message": f"{where}: token obtained", "api_url": settings.jet.api_url}


def _order_status_problems(settings: Settings) -> list[str]:
    """``orders.status_*`` ids missing from the shop's oc_order_status (one line each)."""
    from jettui.services.orders.config_check import check_order_statuses

    return check_order_statuses(settings)


async def check_all(settings: Settings) -> dict[str, dict[str, Any]]:
    store, jet = await asyncio.gather(asyncio.to_thread(check_store, settings), check_jet(settings))
    return {"store": store, "jet": jet}
