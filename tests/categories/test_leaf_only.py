"""Jet lists products on leaf nodes only: mapping a category to a node with children (Books,
13000000) is refused in one line, nothing changed, by the service the CLI and screen share."""

from __future__ import annotations

import json

import pytest

from jettui.cli import main
from jettui.services.categories import CategoryError, map_categories

from .conftest import COOKWARE

BOOKS = 13000000  # a top node of the sandbox taxonomy, with leaves below it


def test_cli_map_to_a_non_leaf_is_exit_2_with_one_line(settings, capsys) -> None:
    config = ["--config", str(settings.path), "categories"]
    assert main([*config, "taxonomy", "--refresh", "--json"]) == 0
    capsys.readouterr()

    code = main([*config, "map", "2", "--node", str(BOOKS), "--json"])
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert code == 2 and doc["ok"] is False
    (line,) = out.err.strip().splitlines()
    assert line.startswith(f"jettui: Jet node {BOOKS} (Books) is not a leaf: Jet lists products")
    assert "pick a leaf below it, e.g. Books > " in line and line.endswith("nothing changed")

    code = main([*config, "list", "--mapped", "--json"])
    assert json.loads(capsys.readouterr().out)["categories"] == []
    code = main([*config, "create", "--node", str(BOOKS), "--json"])
    assert code == 2 and "is not a leaf" in json.loads(capsys.readouterr().out)["error"]


def test_service_refuses_a_non_leaf_and_maps_a_leaf(settings, db, cached) -> None:
    with pytest.raises(CategoryError, match="is not a leaf"):
        map_categories(db, [2], BOOKS)
    assert map_categories(db, [2], COOKWARE).node_id == COOKWARE
