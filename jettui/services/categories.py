"""Categories: the local Jet taxonomy cache and the OpenCart category ↔ Jet node map.

- :func:`refresh_taxonomy` pages Jet's taxonomy links (v1), fetches every node (and the
  attributes of leaf nodes) with at most ``settings.jet.concurrency`` calls in flight, and
  stores them in ``jet_taxonomy_node``. Browsing and searching read that table only.
- :func:`map_categories` / :func:`unmap_categories` link OpenCart categories to a cached node.
- :func:`create_category_and_map` creates an OpenCart category the way OpenCart's admin does
  (category, one description per language, category_to_store, category_path closure rows),
  named after the node, and maps it. OpenCart's file cache shows it in the shop within an hour.

Every action writes a ``JetEvent`` of kind ``category``. Bad input raises
:class:`CategoryError` with one line a person can act on. No Textual here.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import peewee as pw

from jettui.config import Settings
from jettui.errors import Unreachable
from jettui.jet.client import JetClient
from jettui.jet.errors import JetError
from jettui.services.jet_session import EventWriter, StoreThread, open_logged_client
from jettui.services.listing import Column, ListSource, Row
from jettui.services.runtime import fan_out, held_lock
from jettui.store import jet_tables as jt
from jettui.store import opencart as oc
from jettui.store.base import tuple_rows

TAXONOMY_VERSION = "v1"
PAGE_SIZE = 100
EVENT_KIND = "category"
LOCK_NAME = "categories:taxonomy"
LOCK_TTL_SECONDS = 600.0  # refreshed every third of it while the refresh runs
PATH_SEPARATOR = " > "
REFRESH_HINT = "run 'jettui categories taxonomy --refresh' (or T on the Categories screen)"

Progress = Callable[[int, int, str], Any]  # done, total, what is happening


class CategoryError(ValueError):
    """Bad ids or a node missing from the cache: one line, nothing changed."""


# --- taxonomy cache ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxonomyNode:
    node_id: int
    name: str
    path: str  # "Home & Garden > Kitchen & Dining > Cookware"
    parent_id: int | None
    level: int
    is_leaf: bool
    active: bool
    attributes: list[dict[str, Any]]
    fetched_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "node_id": self.node_id,
            "name": self.name,
            "path": self.path,
            "parent_id": self.parent_id,
            "level": self.level,
            "is_leaf": self.is_leaf,
            "active": self.active,
            "attributes": self.attributes,
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
        }


@dataclass
class RefreshResult:
    nodes: int = 0  # nodes stored
    leaves: int = 0
    attributes: int = 0  # leaf nodes whose attributes were stored
    removed: int = 0  # cached nodes Jet no longer lists
    failures: list[tuple[int, str]] = field(default_factory=list)  # (node id, Jet's words)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def line(self) -> str:
        text = (
            f"taxonomy: {self.nodes} nodes cached ({self.leaves} leaves, attributes of "
            f"{self.attributes}) in {self.seconds:.1f} s"
        )
        if self.removed:
            text += f", {self.removed} no longer listed removed"
        if self.failures:
            text += f"; {len(self.failures)} failed"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "nodes": self.nodes,
            "leaves": self.leaves,
            "attributes": self.attributes,
            "removed": self.removed,
            "seconds": round(self.seconds, 3),
            "failures": [{"node_id": n, "error": e} for n, e in self.failures],
        }


def jet_path(raw: str) -> str:
    """Jet's ``A/B/C`` node path as ``A > B > C``."""
    return PATH_SEPARATOR.join(part.strip() for part in str(raw or "").split("/") if part.strip())


async def refresh_taxonomy(
    settings: Settings, db: pw.Database, progress: Progress | None = None
) -> RefreshResult:
    """Fetch Jet's whole taxonomy into the local cache (see the module doc).

    Raises :class:`LockBusy` when another refresh runs, and JetUnreachable/JetAuthError when
    Jet cannot be reached at all (the cache is then left as it was). Nodes that fail one by one
    are reported in ``failures``; their cached rows (if any) are kept.
    """
    started = time.monotonic()
    say = progress or (lambda done, total, message: None)
    store = StoreThread(db)
    writer = EventWriter(store)
    try:
        async with held_lock(store, LOCK_NAME, purpose="taxonomy", ttl_seconds=LOCK_TTL_SECONDS):
            async with open_logged_client(settings, db, events=writer) as jet:
                result, nodes = await _download(jet, settings.jet.concurrency, say)
            say(len(nodes), len(nodes), "saving the taxonomy cache")
            result.removed = await store.run(_save_nodes, nodes, not result.failures)
            result.seconds = time.monotonic() - started
            writer.add(
                {
                    "kind": EVENT_KIND,
                    "message": result.line,
                    "level": "info" if result.ok else "warning",
                    "ref": "taxonomy",
                    "detail": result.as_dict(),
                }
            )
            await writer.flush()
    finally:
        await store.close()
    return result


async def _download(
    jet: JetClient, concurrency: int, say: Progress
) -> tuple[RefreshResult, list[dict[str, Any]]]:
    result = RefreshResult()
    ids: list[int] = []
    while True:
        page = await jet.taxonomy_links(TAXONOMY_VERSION, offset=len(ids), limit=PAGE_SIZE)
        ids.extend(page)
        say(0, len(ids), f"listing nodes: {len(ids)}")
        if len(page) < PAGE_SIZE:
            break
    ids = list(dict.fromkeys(ids))
    done = 0
    total = len(ids)

    async def fetch(
        call: Callable[[int], Awaitable[Any]], node_id: int, into: dict[int, Any]
    ) -> None:
        """One node's call; Jet's refusal is that node's failure, an outage stops them all."""
        nonlocal done
        try:
            into[node_id] = await call(node_id)
        except Unreachable:
            raise
        except JetError as exc:
            result.failures.append((node_id, str(exc)))
        done += 1
        say(done, total, f"fetched {done} of {total}")

    fetched: dict[int, Any] = {}
    await fan_out(ids, lambda i: fetch(jet.get_taxonomy_node, i, fetched), concurrency=concurrency)
    nodes = [n for i in ids if isinstance(n := fetched.get(i), dict) and "jet_node_id" in n]
    parents = {n.get("parent_id") for n in nodes}
    leaves = [n for n in nodes if n["jet_node_id"] not in parents]
    for node in nodes:
        node["_leaf"] = node["jet_node_id"] not in parents
    total += len(leaves)
    attributes: dict[int, Any] = {}
    await fan_out(
        [n["jet_node_id"] for n in leaves],
        lambda i: fetch(jet.get_taxonomy_attributes, i, attributes),
        concurrency=concurrency,
    )
    for node in leaves:
        if node["jet_node_id"] in attributes and attributes[node["jet_node_id"]] is not None:
            node["_attributes"] = attributes[node["jet_node_id"]]
            result.attributes += 1
    result.nodes, result.leaves = len(nodes), len(leaves)
    return result, nodes


def _save_nodes(nodes: list[dict[str, Any]], complete: bool) -> int:
    """Upsert the fetched nodes; when the download was complete, drop nodes Jet no longer
    lists. Returns how many were dropped."""
    Node = jt.JetTaxonomyNode
    now = jt.utcnow()
    rows = [
        {
            "jet_node_id": int(n["jet_node_id"]),
            "name": str(n.get("jet_node_name") or "")[:255],
            "path": jet_path(n.get("jet_node_path") or n.get("jet_node_name") or ""),
            "parent_id": int(n["parent_id"]) if n.get("parent_id") is not None else None,
            "level": int(n.get("jet_level") or 0),
            "is_leaf": bool(n.get("_leaf")),
            "active": bool(n.get("active", True)),
            "attributes": n.get("_attributes", []),
            "fetched_at": now,
        }
        for n in nodes
    ]
    missed = [int(n["jet_node_id"]) for n in nodes if n.get("_leaf") and "_attributes" not in n]
    with jt.database_proxy.atomic():
        # a leaf whose attributes failed to arrive this time keeps the ones cached before
        kept: dict[int, Any] = dict(
            tuple_rows(
                Node.select(Node.jet_node_id, Node.attributes).where(Node.jet_node_id.in_(missed))
            )
        )
        for row in rows:
            if row["jet_node_id"] in kept:
                row["attributes"] = kept[row["jet_node_id"]]
        for start in range(0, len(rows), 100):
            Node.replace_many(rows[start : start + 100]).execute()
        removed = 0
        if complete:
            removed = Node.delete().where(Node.fetched_at < now).execute()
    return int(removed)


def _node(row: Any) -> TaxonomyNode:
    return TaxonomyNode(
        node_id=int(row.jet_node_id),
        name=row.name,
        path=row.path,
        parent_id=row.parent_id,
        level=row.level,
        is_leaf=bool(row.is_leaf),
        active=bool(row.active),
        attributes=list(row.attributes or []),
        fetched_at=row.fetched_at,
    )


def taxonomy_count(db: pw.Database) -> int:
    """How many nodes the cache holds (0: never refreshed)."""
    return jt.JetTaxonomyNode.select().count()


def get_node(db: pw.Database | None, node_id: int) -> TaxonomyNode | None:
    Node = jt.JetTaxonomyNode
    row = Node.get_or_none(Node.jet_node_id == int(node_id))
    return _node(row) if row is not None else None


def search_taxonomy(db: pw.Database, text: str = "", limit: int = 50) -> list[TaxonomyNode]:
    """Cached nodes whose name or path contains ``text`` (any case), by path; all when empty."""
    Node = jt.JetTaxonomyNode
    query = Node.select().order_by(Node.path)
    needle = text.strip().lower()
    if needle:
        query = query.where(
            pw.fn.LOWER(Node.name).contains(needle) | pw.fn.LOWER(Node.path).contains(needle)
        )
    return [_node(row) for row in query.limit(max(1, limit))]


class TaxonomySource(ListSource):
    """The cached taxonomy as a grid source (the picker filters it as you type)."""

    columns = (
        Column("node_id", "Node", 9, align="right"),
        Column("path", "Jet category", ratio=3, min_width=24, crop="path"),
        Column("leaf", "Leaf", 4),
        Column("attributes", "Attrs", 5, align="right", optional=True),
    )

    def __init__(self, db: pw.Database) -> None:
        super().__init__(self.columns, [])
        self.db = db
        self._loaded = False

    def _load(self) -> list[Row]:
        Node = jt.JetTaxonomyNode
        query = Node.select(Node.jet_node_id, Node.path, Node.is_leaf, Node.attributes)
        return [
            (
                int(node_id),
                (str(node_id), path, "yes" if leaf else "", str(len(attrs or []))),
            )
            for node_id, path, leaf, attrs in tuple_rows(query.order_by(Node.path))
        ]

    def _ensure_loaded(self, reload: bool = False) -> None:
        if reload or not self._loaded:
            self._set_rows(self._load())
            self._loaded = True

    def count(self, filter_text: str) -> int:
        self._ensure_loaded(reload=filter_text == "")  # an unfiltered count re-reads the cache
        return super().count(filter_text)

    # The grid asks for rows before it counts: every entry point reads the cache on first use.
    def fetch(
        self, filter_text: str, sort_key: str | None, descending: bool, offset: int, limit: int
    ) -> list[Row]:
        self._ensure_loaded()
        return super().fetch(filter_text, sort_key, descending, offset, limit)

    def ids(self, filter_text: str) -> list[Any]:
        self._ensure_loaded()
        return super().ids(filter_text)


# --- the category map -------------------------------------------------------------------------


@dataclass
class MapResult:
    action: str  # map | unmap | create
    category_ids: list[int]
    node_id: int | None = None
    node_path: str = ""
    previous: dict[int, int] = field(default_factory=dict)  # category → node it was mapped to
    not_mapped: list[int] = field(default_factory=list)  # unmap: ids that had no node
    created: dict[str, Any] | None = None  # create: the new category
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "action": self.action,
            "category_ids": self.category_ids,
            "node_id": self.node_id,
            "node_path": self.node_path,
            "previous": {str(k): v for k, v in self.previous.items()},
            "not_mapped": self.not_mapped,
            "created": self.created,
            "message": self.message,
        }


def _category_ids(ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        raise CategoryError("no category ids given")
    found = {
        cid
        for (cid,) in tuple_rows(
            oc.Category.select(oc.Category.category_id).where(oc.Category.category_id.in_(wanted))
        )
    }
    missing = [i for i in wanted if i not in found]
    if missing:
        raise CategoryError(
            f"no OpenCart category with id {', '.join(map(str, missing))}; nothing changed"
        )
    return wanted


def _cached_node(node_id: int) -> TaxonomyNode:
    node = get_node(None, node_id)
    if node is None:
        raise CategoryError(f"Jet node {node_id} is not in the taxonomy cache; {REFRESH_HINT}")
    return node


LEAVES_NAMED = 1  # leaves below a refused node named as an example


def _leaf_node(node_id: int) -> TaxonomyNode:
    """The cached node, refused (one line, nothing changed) when it is not a leaf: Jet lists
    products on leaf nodes only, so a category mapped higher up would never go live."""
    node = _cached_node(node_id)
    if node.is_leaf:
        return node
    Node = jt.JetTaxonomyNode
    below = (
        Node.select(Node.jet_node_id, Node.path)
        .where(Node.is_leaf & Node.path.startswith(node.path + PATH_SEPARATOR))
        .order_by(Node.path)
        .limit(LEAVES_NAMED)
    )
    examples = ", ".join(f"{row.path} ({row.jet_node_id})" for row in below)
    hint = f"; pick a leaf below it, e.g. {examples}" if examples else ""
    raise CategoryError(
        f"Jet node {node.node_id} ({node.path}) is not a leaf: Jet lists products on leaf "
        f"nodes only{hint}; nothing changed"
    )


def _categories(n: int) -> str:
    return f"{n} {'category' if n == 1 else 'categories'}"


def _link(category_ids: Sequence[int], node: TaxonomyNode) -> dict[int, int]:
    """Map each category to ``node`` (replacing any old link); the old node per category."""
    JetCategory = jt.JetCategory
    previous = {
        row.category_id: int(row.jet_node_id)
        for row in JetCategory.select().where(JetCategory.category_id.in_(list(category_ids)))
    }
    values = {
        "jet_node_id": node.node_id,
        "node_name": node.name[:255],
        "node_path": node.path,
        "attributes": [a.get("attribute_id") for a in node.attributes if "attribute_id" in a],
        "updated_at": jt.utcnow(),
    }
    for category_id in category_ids:
        if category_id in previous:
            JetCategory.update(values).where(JetCategory.category_id == category_id).execute()
        else:
            JetCategory.create(category_id=category_id, **values)
    return {cid: nid for cid, nid in previous.items() if nid != node.node_id}


def map_categories(db: pw.Database, category_ids: Iterable[int], node_id: int) -> MapResult:
    """Map OpenCart categories (one or many) to one cached Jet leaf node; a re-map replaces.
    A node that is not a leaf (Books, 13000000) is refused: :class:`CategoryError`."""
    with jt.database_proxy.atomic():
        ids = _category_ids(category_ids)
        node = _leaf_node(node_id)
        previous = _link(ids, node)
        message = f"{_categories(len(ids))} mapped to {node.path} ({node.node_id})"
        if previous:
            message += f"; {len(previous)} re-mapped from another node"
        jt.log_event(
            EVENT_KIND,
            message,
            ref=str(node.node_id),
            detail={"category_ids": ids, "node_id": node.node_id, "previous": previous},
        )
    return MapResult("map", ids, node.node_id, node.path, previous=previous, message=message)


def unmap_categories(db: pw.Database, category_ids: Iterable[int]) -> MapResult:
    """Remove the Jet node of these categories (ids without one are listed, not an error)."""
    JetCategory = jt.JetCategory
    with jt.database_proxy.atomic():
        ids = _category_ids(category_ids)
        previous = {
            row.category_id: int(row.jet_node_id)
            for row in JetCategory.select().where(JetCategory.category_id.in_(ids))
        }
        JetCategory.delete().where(JetCategory.category_id.in_(ids)).execute()
        not_mapped = [i for i in ids if i not in previous]
        message = f"{_categories(len(previous))} unmapped"
        if not_mapped:
            message += f"; {len(not_mapped)} had no Jet node"
        jt.log_event(
            EVENT_KIND,
            message,
            ref="unmap",
            detail={"category_ids": ids, "previous": previous},
        )
    return MapResult(
        "unmap", list(previous), previous=previous, not_mapped=not_mapped, message=message
    )


def create_category_and_map(
    db: pw.Database, settings: Settings, node_id: int, parent_id: int = 0, name: str | None = None
) -> MapResult:
    """Create an enabled OpenCart category named after the node (or ``name``) under
    ``parent_id`` (0 = top level) in the configured store, and map it to the node.

    Crash-safe on MyISAM (no rollback): the intent, with the category id chosen, is recorded
    first (:class:`~jettui.store.jet_tables.JetCategoryCreation`); each step then only adds
    what is missing. A create a crash interrupted is completed by the next create: when it
    asked for the same category, that one is the result (never a second category). A node
    that is not a leaf is refused, as by :func:`map_categories`."""
    node = _leaf_node(node_id)
    parent_id = int(parent_id or 0)
    if parent_id:
        _category_ids([parent_id])
    title = (name if name is not None else node.name).strip()
    if not title:
        raise CategoryError("the new category needs a name")
    finished = finish_interrupted_creates(settings)
    same = [
        i
        for i in finished
        if (i.jet_node_id, i.parent_id, i.name) == (node.node_id, parent_id, title)
    ]
    if same:
        return _created(settings, same[-1], node, "completed after an interrupted run: ")
    intent = _record_intent(node, parent_id, title)
    _complete(settings, intent)
    return _created(settings, intent, node)


def _record_intent(node: TaxonomyNode, parent_id: int, title: str) -> Any:
    """The ledger row, with the next free category id (a racing create: try the next)."""
    Ledger = jt.JetCategoryCreation
    for _attempt in range(5):
        highest = oc.Category.select(pw.fn.MAX(oc.Category.category_id)).scalar() or 0
        taken = Ledger.select(pw.fn.MAX(Ledger.category_id)).scalar() or 0
        try:
            with jt.database_proxy.atomic():
                return Ledger.create(
                    category_id=max(int(highest), int(taken)) + 1,
                    parent_id=parent_id,
                    jet_node_id=node.node_id,
                    name=title[:255],
                )
        except pw.IntegrityError:
            continue
    raise CategoryError("another create is choosing category ids; try again")


def finish_interrupted_creates(settings: Settings) -> list[Any]:
    """Complete every create a crash or failure left half-done; returns those completed.
    One whose category id was meanwhile taken by another category (OpenCart's admin) is
    marked abandoned: there is nothing of jettui's to remove."""
    Ledger = jt.JetCategoryCreation
    done = []
    for intent in Ledger.select().where(Ledger.state == "intent").order_by(Ledger.id):
        if _taken_by_another(settings, intent):
            Ledger.update(state="abandoned", updated_at=jt.utcnow()).where(
                Ledger.id == intent.id
            ).execute()
            continue
        _complete(settings, intent)
        done.append(intent)
    return done


def _taken_by_another(settings: Settings, intent: Any) -> bool:
    names = {
        row.name
        for row in oc.CategoryDescription.select().where(
            oc.CategoryDescription.category_id == intent.category_id
        )
    }
    return bool(names) and intent.name not in names


def _complete(settings: Settings, intent: Any) -> None:
    """Every row of the category that is missing, then the map, then the ledger says done.
    Each step is idempotent: a crash anywhere leaves a state this finishes."""
    category_id, parent_id, title = intent.category_id, intent.parent_id, intent.name
    node = _cached_node(intent.jet_node_id)
    created = intent.created_at
    if not oc.Category.select().where(oc.Category.category_id == category_id).exists():
        # What OpenCart 3.0's admin (model/catalog/category.php addCategory) writes for its
        # default form: top unchecked, 1 column, enabled; meta_title is required, = the name.
        oc.Category.insert(
            category_id=category_id,
            parent_id=parent_id,
            top=0,
            column=1,
            sort_order=0,
            status=1,
            date_added=created,
            date_modified=created,
        ).execute()
    described = {
        lid
        for (lid,) in tuple_rows(
            oc.CategoryDescription.select(oc.CategoryDescription.language_id).where(
                oc.CategoryDescription.category_id == category_id
            )
        )
    }
    language_ids = [lid for (lid,) in tuple_rows(oc.Language.select(oc.Language.language_id))]
    for language_id in language_ids or [settings.store.language_id]:
        if language_id not in described:
            oc.CategoryDescription.create(
                category_id=category_id,
                language_id=language_id,
                name=title,
                description="",
                meta_title=title,
                meta_description="",
                meta_keyword="",
            )
    in_store = (
        oc.CategoryToStore.select()
        .where(
            (oc.CategoryToStore.category_id == category_id)
            & (oc.CategoryToStore.store_id == settings.store.store_id)
        )
        .exists()
    )
    if not in_store:
        oc.CategoryToStore.create(category_id=category_id, store_id=settings.store.store_id)
    oc.write_category_path(category_id, parent_id)  # delete + replace: idempotent
    with jt.database_proxy.atomic():
        _link([category_id], node)
        jt.JetCategoryCreation.update(state="done", updated_at=jt.utcnow()).where(
            jt.JetCategoryCreation.id == intent.id
        ).execute()


def _created(settings: Settings, intent: Any, node: TaxonomyNode, note: str = "") -> MapResult:
    category_id, title = int(intent.category_id), intent.name
    path = oc.category_breadcrumbs(settings.store.language_id, [category_id]).get(
        category_id, title
    )
    message = f"{note}category '{path}' ({category_id}) created and mapped to {node.path}"
    created = {
        "category_id": category_id,
        "name": title,
        "parent_id": int(intent.parent_id),
        "path": path,
    }
    jt.log_event(
        EVENT_KIND, message, ref=str(node.node_id), detail={**created, "node_id": node.node_id}
    )
    return MapResult(
        "create", [category_id], node.node_id, node.path, created=created, message=message
    )


def list_categories(
    db: pw.Database, settings: Settings, mapped_only: bool = False
) -> list[dict[str, Any]]:
    """The store's categories as ``{category_id, path, jet_node_id, jet_path}``, by path."""
    JetCategory = jt.JetCategory
    in_store = [
        cid
        for (cid,) in tuple_rows(
            oc.CategoryToStore.select(oc.CategoryToStore.category_id).where(
                oc.CategoryToStore.store_id == settings.store.store_id
            )
        )
    ]
    paths = oc.category_breadcrumbs(settings.store.language_id, in_store)
    mapped = {
        cid: (int(nid), path)
        for cid, nid, path in tuple_rows(
            JetCategory.select(
                JetCategory.category_id, JetCategory.jet_node_id, JetCategory.node_path
            )
        )
    }
    rows = []
    for cid in in_store:
        node_id, node_path = mapped.get(cid, (None, ""))
        if mapped_only and node_id is None:
            continue
        rows.append(
            {
                "category_id": cid,
                "path": paths.get(cid, ""),
                "jet_node_id": node_id,
                "jet_path": node_path,
            }
        )
    rows.sort(key=lambda r: r["path"].casefold())
    return rows
