"""`jettui products ACTION (--all | SKU...) [--dry-run] [--json]`: exit codes and JSON."""

from __future__ import annotations

import json

from jettui.cli import main
from jettui.store.jet_tables import acquire_lock
from tests.catalog.conftest import SECRET, jet_products, map_all_categories


def products(settings, capsys, *args: str) -> tuple[int, dict, str]:
    code = main(["--config", str(settings.path), "products", *args, "--json"])
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    return code, json.loads(out.out), out.err


def test_upload_all_reports_invalid_and_exit_1(settings, db, capsys) -> None:
    from jettui.store.opencart import Product

    map_all_categories()
    Product.update(manufacturer_id=0).where(Product.product_id == 3).execute()
    code, doc, err = products(settings, capsys, "upload", "--all")
    assert code == 1 and doc["exit_code"] == 1 and doc["ok"] is False
    items = {i["sku"]: i for i in doc["items"]}
    assert items["BRW-CK00003"]["outcome"] == "not attempted"
    assert "no brand" in items["BRW-CK00003"]["reason"]
    assert items["ACM-WB00002"]["outcome"] == "succeeded"
    assert "BRW-CK00003: not attempted - " in err
    assert "will never go live" in err  # the MPN-only warning, named by SKU
    assert "ACM-WB00002" in jet_products()


def test_dry_run_by_sku_exit_0(settings, db, capsys) -> None:
    map_all_categories()
    code, doc, err = products(settings, capsys, "upload", "ACM-WB00002", "--dry-run")
    assert code == 0, err
    assert doc["dry_run"] is True
    (item,) = doc["items"]
    assert (item["sku"], item["outcome"]) == ("ACM-WB00002", "would send")
    assert item["reason"] == "MerchantSKUs, Price, Inventory"
    assert item["preview"]["bodies"]["Price"]["price"] == item["preview"]["price"]
    assert jet_products() == {}


def test_unknown_sku_and_bad_usage_exit_2(settings, db, capsys) -> None:
    code, doc, _ = products(settings, capsys, "status", "NO-SUCH-SKU")
    assert code == 2 and "NO-SUCH-SKU" in doc["error"]
    assert main(["--config", str(settings.path), "products", "status"]) == 2
    assert "--all" in capsys.readouterr().err


def test_lock_held_exit_75(settings, db, capsys) -> None:
    map_all_categories()
    acquire_lock("products", "otherhost:1", 600)
    code, doc, _ = products(settings, capsys, "sync", "--all")
    assert code == 75 and "lock" in doc["error"]


def test_jet_unreachable_exit_3(make_settings, tmp_path, capsys) -> None:
    settings = make_settings()
    text = settings.path.read_text().replace("api_url: sandbox", "api_url: http://127.0.0.1:9")
    settings.path.write_text(text)
    from jettui.config import load_settings
    from jettui.store.db import connect, ensure_jet_tables

    settings = load_settings(settings.path)
    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    code, doc, _ = products(settings, capsys, "upload", "ACM-WB00002")
    db.close()
    assert code == 3
    assert doc["items"][0]["outcome"] == "not attempted"


def test_status_and_sync_all_skip_products_not_on_jet_yet_exit_0(settings, db, capsys) -> None:
    """A cron run over a catalog partly uploaded exits 0: never-uploaded SKUs are skipped."""
    map_all_categories()
    code, doc, err = products(settings, capsys, "upload", "ACM-WB00002")
    assert code == 0, err
    for action in ("status", "sync"):
        code, doc, err = products(settings, capsys, action, "--all")
        assert code == 0 and doc["ok"], (action, err)
        items = {i["sku"]: i for i in doc["items"]}
        assert items["ACM-WB00002"]["outcome"] in ("succeeded", "unchanged")
        skipped = [i for i in doc["items"] if i["outcome"] == "skipped"]
        assert skipped and all(i["reason"] == "not on Jet yet" for i in skipped)
        assert "BRW-CK00003: skipped - not on Jet yet" in err
