"""The shipped OpenCart reference rows: the facts orders and returns depend on."""

from __future__ import annotations

import json

import pytest
from reference_extract import DEFAULT_SQL, REFERENCE_JSON, dump, extract

REFERENCE = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))["tables"]


@pytest.mark.skipif(not DEFAULT_SQL.exists(), reason="OpenCart install SQL not available")
def test_shipped_json_matches_a_fresh_extraction():
    assert REFERENCE_JSON.read_text(encoding="utf-8") == dump(extract(DEFAULT_SQL))


def test_usd_is_currency_2_at_rate_1_and_the_default():
    usd = [c for c in REFERENCE["currency"] if c["code"] == "USD"]
    assert usd and usd[0]["currency_id"] == 2 and usd[0]["value"] == 1.0
    settings = {s["key"]: s["value"] for s in REFERENCE["setting"]}
    assert settings["config_currency"] == "USD"


def test_united_states_and_its_65_zones_with_codes():
    us = [c for c in REFERENCE["country"] if c["iso_code_2"] == "US"]
    assert us and us[0]["country_id"] == 223 and us[0]["iso_code_3"] == "USA"
    assert len(REFERENCE["country"]) == 253
    zones = {z["code"]: z["zone_id"] for z in REFERENCE["zone"] if z["country_id"] == 223}
    assert len(zones) == 65
    assert zones["CA"] == 3624 and zones["NY"] == 3655 and zones["UT"] == 3670


def test_escaped_names_are_unescaped_from_sql():
    names = {c["name"] for c in REFERENCE["country"]}
    assert "Cote D'Ivoire" in names


def test_order_settings_present():
    settings = {s["key"]: s for s in REFERENCE["setting"]}
    for key in (
        "config_name",
        "config_email",
        "config_language",
        "config_customer_group_id",
        "config_order_status_id",
        "config_processing_status",
        "config_complete_status",
        "config_invoice_prefix",
        "config_return_status_id",
        "config_weight_class_id",
        "config_length_class_id",
        "total_sub_total_sort_order",
        "total_shipping_sort_order",
        "total_tax_sort_order",
        "total_total_sort_order",
    ):
        assert key in settings, key
    assert json.loads(settings["config_processing_status"]["value"]) == ["5", "1", "2", "12", "3"]
    assert settings["config_processing_status"]["serialized"] == 1
    statuses = {s["order_status_id"]: s["name"] for s in REFERENCE["order_status"]}
    assert statuses[1] == "Pending" and statuses[5] == "Complete" and statuses[7] == "Canceled"
