"""`jettui categories ...`: the Jet taxonomy cache and the OpenCart category ↔ Jet node map.

Listings (`list`, `taxonomy`) go to stdout so they can be piped; progress and messages stay on
stderr; with --json the document carries the listing instead."""

from __future__ import annotations

import argparse
from typing import Any

from jettui.errors import ExitCode, Unreachable, UsageError, is_unreachable, one_line

from .output import Output
from .parser import add_json, record_id
from .session import load, store

TAXONOMY_SHOWN = 200  # nodes listed by 'categories taxonomy'
FAILURES_SHOWN = 20  # failed nodes listed after a refresh


def register(commands: Any) -> None:
    categories = commands.add_parser(
        "categories", help="the Jet taxonomy and the OpenCart category ↔ Jet node map"
    )
    actions = categories.add_subparsers(dest="action", metavar="ACTION", required=True)
    taxonomy = actions.add_parser("taxonomy", help="show or refresh the Jet taxonomy")
    taxonomy.add_argument("--refresh", action="store_true", help="fetch it from Jet first")
    taxonomy.add_argument("--search", metavar="TEXT", help="nodes whose name or path has TEXT")
    mapping = actions.add_parser("map", help="map categories to one Jet node")
    mapping.add_argument("category_ids", nargs="+", type=record_id, metavar="CATEGORY_ID")
    mapping.add_argument("--node", type=record_id, required=True, metavar="NODE_ID")
    unmap = actions.add_parser("unmap", help="remove the Jet node of categories")
    unmap.add_argument("category_ids", nargs="+", type=record_id, metavar="CATEGORY_ID")
    create = actions.add_parser(
        "create", help="create an OpenCart category named after a Jet node, mapped to it"
    )
    create.add_argument("--node", type=record_id, required=True, metavar="NODE_ID")
    create.add_argument("--parent", type=record_id, default=0, metavar="CATEGORY_ID")
    listing = actions.add_parser("list", help="the store's categories")
    listing.add_argument("--mapped", action="store_true", help="only mapped categories")
    for sub in (taxonomy, mapping, unmap, create, listing):
        add_json(sub)
        sub.set_defaults(handler=run)
    for sub in (mapping, unmap):  # `map 2 --node 5 4`: the 4 is a category id too
        sub.set_defaults(strays=("category_ids", record_id, "CATEGORY_ID"))


def run(args: argparse.Namespace, out: Output) -> int:
    """0 ok, 1 some nodes failed to refresh, 2 bad ids, 3 Jet/store unreachable, 75 another
    taxonomy refresh runs."""
    from jettui.services import categories

    out.note(action=args.action)
    settings = load(args, out)
    with store(settings, out) as db:
        if args.action == "taxonomy":
            return _taxonomy(args, out, settings, db)
        if args.action == "list":
            return _list(args, out, settings, db)
        try:
            if args.action in ("map", "create"):
                _fetch_node(settings, db, args.node)
            if args.action == "map":
                result = categories.map_categories(db, args.category_ids, args.node)
            elif args.action == "unmap":
                result = categories.unmap_categories(db, args.category_ids)
            else:
                result = categories.create_category_and_map(db, settings, args.node, args.parent)
        except categories.CategoryError as exc:
            raise UsageError(str(exc)) from None
    out.note(**result.as_dict())
    out.say(result.message)
    return ExitCode.OK


def _fetch_node(settings: Any, db: Any, node_id: int) -> None:
    """A node not cached yet is fetched from Jet (not refused with "run --refresh")."""
    import asyncio

    from jettui.services import categories
    from jettui.services.catalog.nodes import NoSuchNode, ensure_node_cached

    try:
        asyncio.run(ensure_node_cached(settings, db, node_id))
    except NoSuchNode as exc:
        raise categories.CategoryError(f"{exc}; nothing changed") from None


def _list(args: argparse.Namespace, out: Output, settings: Any, db: Any) -> int:
    from jettui.services import categories

    rows = categories.list_categories(db, settings, mapped_only=args.mapped)
    out.note(categories=rows)
    for row in rows:
        node = f"{row['jet_node_id']} {row['jet_path']}" if row["jet_node_id"] else "-"
        out.show(f"{row['category_id']:>6}  {row['path']}  →  {node}")
    return ExitCode.OK


def _taxonomy(args: argparse.Namespace, out: Output, settings: Any, db: Any) -> int:
    import asyncio

    from jettui.services import categories

    out.note(search=args.search)
    result = None
    if args.refresh:

        def progress(done: int, total: int, message: str) -> None:
            out.progress(f"taxonomy: {message}")

        try:
            result = asyncio.run(categories.refresh_taxonomy(settings, db, progress=progress))
        except Exception as exc:
            if not is_unreachable(exc):
                raise
            raise Unreachable(f"taxonomy not refreshed: {one_line(exc)}") from None
        out.note(refresh=result.as_dict())
        out.say(result.line)
        for node_id, error in result.failures[:FAILURES_SHOWN]:
            out.say(f"  node {node_id}: {error}")
    cached = categories.taxonomy_count(db)
    nodes = categories.search_taxonomy(db, args.search or "", limit=TAXONOMY_SHOWN)
    out.note(cached=cached, refresh=result.as_dict() if result else None)
    out.note(nodes=[n.as_dict() for n in nodes])
    if not cached:
        out.say(f"jettui: the taxonomy cache is empty; {categories.REFRESH_HINT}")
    elif args.search is not None or not args.refresh:
        for node in nodes:
            leaf = f"  ({len(node.attributes)} attributes)" if node.is_leaf else ""
            out.show(f"{node.node_id:>10}  {node.path}{leaf}")
        if len(nodes) == TAXONOMY_SHOWN:
            out.say(f"  ... first {TAXONOMY_SHOWN} shown (--search narrows)")
    return ExitCode.PARTIAL if result is not None and not result.ok else ExitCode.OK
