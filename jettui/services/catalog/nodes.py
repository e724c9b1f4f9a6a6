"""A Jet node asked for by id that the taxonomy cache does not hold yet: fetched from Jet
(the node and its attributes) into the cache, so mapping a category to it needs no full
``categories taxonomy --refresh`` first."""

from __future__ import annotations

from typing import Any

import peewee as pw

from jettui.config import Settings
from jettui.errors import Unreachable
from jettui.jet.errors import JetError, JetNotFound
from jettui.services.jet_session import StoreThread, open_logged_client


class NoSuchNode(LookupError):
    """Jet has no taxonomy node with that id."""


async def ensure_node_cached(settings: Settings, db: pw.Database, node_id: int) -> bool:
    """Fetch ``node_id`` from Jet when the cache lacks it; True when it was fetched.

    Raises :class:`NoSuchNode` when Jet does not know it, Unreachable when Jet is down. The
    node is cached as a leaf (a category is mapped to a leaf); a full refresh later corrects
    that if Jet's tree says otherwise."""
    from jettui.services import categories

    store = StoreThread(db)
    try:
        if await store.run(categories.get_node, None, int(node_id)) is not None:
            return False
        async with open_logged_client(settings, db) as jet:
            try:
                node: dict[str, Any] = await jet.get_taxonomy_node(int(node_id))
            except JetNotFound:
                raise NoSuchNode(f"Jet has no taxonomy node {node_id}") from None
            try:
                attributes = await jet.get_taxonomy_attributes(int(node_id))
            except Unreachable:
                raise
            except JetError:
                attributes = None  # the node is still mappable; its attributes come later
        if not isinstance(node, dict) or "jet_node_id" not in node:
            raise NoSuchNode(f"Jet has no taxonomy node {node_id}")
        node["_leaf"] = True
        if attributes is not None:
            node["_attributes"] = attributes
        await store.run(categories._save_nodes, [node], False)
        return True
    finally:
        await store.close()
