"""The sandbox taxonomy has a fitting node for every kind of product of the demo store
(issue 11: the 17 demo books had no Books node), without moving the ids already mapped."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from jettui.jet.sandbox.demo import DEMO_CATEGORY_PATHS
from jettui.jet.sandbox.engine import taxonomy
from jettui.jet.sandbox.gen_taxonomy import build

from .conftest import jet_for, make_settings


def demo_leaves() -> dict[str, dict[str, Any]]:
    """The demo store's leaf categories by path ("Books > Fiction")."""
    text = resources.files("jettui.store").joinpath("data", "catalog.json").read_text("utf-8")
    found: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], path: list[str]) -> None:
        here = [*path, node["name"]]
        for child in node.get("children", []):
            walk(child, here)
        if "children" not in node:
            found[" > ".join(here)] = node

    for top in json.loads(text)["categories"]:
        walk(top, [])
    return found


def test_every_demo_category_has_a_taxonomy_leaf() -> None:
    by_path = {n["jet_node_path"]: n for n in taxonomy()["nodes"]}
    assert set(DEMO_CATEGORY_PATHS) == set(demo_leaves())  # every demo category, no stale one
    missing = [p for p in DEMO_CATEGORY_PATHS.values() if p not in by_path]
    assert missing == []
    assert all(by_path[p]["jet_level"] == 2 for p in DEMO_CATEGORY_PATHS.values())
    assert all(str(by_path[p]["jet_node_id"]) in taxonomy()["attributes"]
               for p in DEMO_CATEGORY_PATHS.values())  # fmt: skip


def test_books_have_their_own_branch() -> None:
    books = [p for p, node in demo_leaves().items() if node.get("books")]
    assert len(books) == 4
    assert all(DEMO_CATEGORY_PATHS[p].startswith("Books/") for p in books)
    top = next(n for n in taxonomy()["nodes"] if n["jet_node_path"] == "Books")
    assert top["jet_level"] == 0 and top["parent_id"] is None
    fiction = next(n for n in taxonomy()["nodes"] if n["jet_node_path"] == "Books/Fiction/Romance")
    attributes = taxonomy()["attributes"][str(fiction["jet_node_id"])]
    assert "Format" in {a["attribute_description"] for a in attributes}


def test_the_file_is_what_the_generator_builds() -> None:
    data = json.loads(
        resources.files("jettui.jet.sandbox").joinpath("taxonomy.json").read_text("utf-8")
    )
    assert data == build()


def test_ids_mapped_before_do_not_move() -> None:
    by_id = taxonomy()["by_id"]
    assert by_id[4000188]["jet_node_path"] == "Home & Garden/Kitchen & Dining/Cookware"
    assert by_id[3000001]["jet_node_path"] == "Grocery & Gourmet Food/Beverages/Coffee"
    assert by_id[4000002]["jet_node_path"] == "Home & Garden/Kitchen & Dining/Bakeware"
    assert by_id[1000002]["jet_node_path"] == "Electronics/TV & Video/Televisions"
    assert by_id[12000120]["jet_node_path"].endswith("/All-Purpose Cleaners")


async def test_a_book_listed_in_the_books_node_is_complete() -> None:
    j = jet_for(make_settings())
    await j.login()
    node = next(n for n in taxonomy()["nodes"] if n["jet_node_path"] == "Books/Fiction/Romance")
    await j.product("book-1", jet_browse_node_id=node["jet_node_id"])
    view = (await j.c.get("/merchant-skus/book-1")).json()
    assert view["status"] == "Available for Purchase" and view["sub_status"] == []
