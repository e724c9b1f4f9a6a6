"""Mapping a category to a Jet node the taxonomy cache does not hold yet fetches it from Jet."""

from __future__ import annotations

import json

from jettui.cli import main
from tests.catalog.conftest import JET_NODE


def categories(settings, capsys, *args: str) -> tuple[int, dict, str]:
    code = main(["--config", str(settings.path), "categories", *args, "--json"])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def test_map_to_an_uncached_node_fetches_it(settings, db, capsys) -> None:
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode

    assert JetTaxonomyNode.select().count() == 0  # no taxonomy refresh was ever run
    code, doc, err = categories(settings, capsys, "map", "2", "--node", str(JET_NODE))
    assert code == 0, err
    node = JetTaxonomyNode.get(JetTaxonomyNode.jet_node_id == JET_NODE)
    assert node.name and node.attributes  # the node and its attributes, from Jet
    assert JetCategory.get(JetCategory.category_id == 2).jet_node_id == JET_NODE

    code, doc, err = categories(settings, capsys, "map", "2", "--node", "5")
    assert code == 2
    assert err.strip().splitlines() == ["jettui: Jet has no taxonomy node 5; nothing changed"]
    assert JetCategory.get(JetCategory.category_id == 2).jet_node_id == JET_NODE
