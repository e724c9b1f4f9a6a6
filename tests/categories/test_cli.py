"""`jettui categories ...`: JSON on stdout, one human line on stderr, exit codes."""

from __future__ import annotations

import json

import pytest

from jettui.cli import main

from .conftest import COOKWARE, SANDBOX_NODES


def run(settings, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["--config", str(settings.path), "categories", *args, "--json"])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def test_taxonomy_refresh_search_map_list_unmap_create(settings, capsys) -> None:
    code, doc, err = run(settings, capsys, "taxonomy")
    assert (code, doc["cached"]) == (0, 0)
    assert "taxonomy cache is empty" in err

    code, doc, err = run(settings, capsys, "taxonomy", "--refresh", "--search", "cookware")
    assert code == 0 and doc["refresh"]["nodes"] == SANDBOX_NODES
    assert doc["cached"] == SANDBOX_NODES
    assert [n["node_id"] for n in doc["nodes"]] == [COOKWARE]
    assert "399 nodes cached" in err

    code, doc, err = run(settings, capsys, "map", "2", "4", "--node", str(COOKWARE))
    assert code == 0 and doc["category_ids"] == [2, 4]
    assert "2 categories mapped to Home & Garden > Kitchen & Dining > Cookware" in err

    code, doc, _ = run(settings, capsys, "list", "--mapped")
    assert [(c["category_id"], c["jet_node_id"]) for c in doc["categories"]] == [
        (2, COOKWARE),
        (4, COOKWARE),
    ]

    code, doc, _ = run(settings, capsys, "unmap", "4")
    assert code == 0 and doc["category_ids"] == [4]

    code, doc, err = run(settings, capsys, "create", "--node", str(COOKWARE), "--parent", "6")
    assert code == 0 and doc["created"]["path"] == "Home & Garden > Cookware"
    new_id = doc["created"]["category_id"]
    code, doc, _ = run(settings, capsys, "list", "--mapped")
    assert [c["category_id"] for c in doc["categories"]] == [new_id, 2]


def test_bad_ids_exit_2_with_one_line(settings, capsys) -> None:
    code, doc, err = run(settings, capsys, "map", "99999", "--node", str(COOKWARE))
    assert code == 2 and doc["ok"] is False
    assert err.strip().splitlines() == [
        "jettui: no OpenCart category with id 99999; nothing changed"
    ]
    code, doc, err = run(settings, capsys, "create", "--node", "5")
    assert code == 2 and "Jet has no taxonomy node 5; nothing changed" in doc["error"]


def test_unreachable_jet_is_exit_3(make_settings, tmp_path, capsys) -> None:
    settings = make_settings()
    text = settings.path.read_text().replace("api_url: sandbox", "api_url: http://127.0.0.1:9")
    settings.path.write_text(text)
    code, doc, err = run(settings, capsys, "taxonomy", "--refresh")
    assert code == 3 and doc["ok"] is False
    assert "jetsecret" not in err + json.dumps(doc)
