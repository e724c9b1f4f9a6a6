"""Sandbox core: credentials, products, bulk files and taxonomy. States are computed lazily
from timestamps (and, for files and refunds, from the number of reads), so the same rules hold
in-process and over HTTP without background tasks.

Product review (section 3): an incomplete listing is Missing Listing Data; a complete one is
Under Jet Review until ``review_delay_seconds`` have passed, then Jet's verdict shows:
Unauthorized for a brand on :data:`RESTRICTED_BRANDS`, Excluded for the policy-excluded tax
code :data:`EXCLUDED_TAX_CODE`, else Available for Purchase once some node has stock.
Archived wins over everything.

Standard codes: Jet keys a product on its code, so a SKU whose UPC/EAN/ISBN/GTIN another
(unarchived) SKU listed first is flagged ``Invalid SKU identifier`` and stays Missing Listing
Data until it has a code of its own or the other SKU is archived (a SKU renamed by the merchant
hands its code on that way). A Variation group is refused unless each refinement is a variant
attribute of the parent's node and every child carries a value for each refinement."""

from __future__ import annotations

import gzip
import json
import random
import secrets
import time
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from jettui.config import Settings
from jettui.jet import models
from jettui.jet.dates import format_jet_date, new_jet_id
from jettui.jet.enums import FileStatus, FileType, ProductStatus, ProductSubStatus
from jettui.jet.sandbox.db import StateDB

UPLOAD_TOKEN_SECONDS = 600
PROCESS_STEP_SECONDS = 2.0  # files and refunds move one state per step, or per read
MAX_ERROR_EXCERPT = 20
# Brands this sandbox's Jet has not authorised the merchant to sell (compared ignoring case).
RESTRICTED_BRANDS = frozenset({"restricted brand co"})
# AERO ProductTaxCode's "N/A - Inactive": the one policy exclusion the sandbox applies.
EXCLUDED_TAX_CODE = "N/A - Inactive"


class ApiError(Exception):
    """Answered as ``{"errors": [...]}`` with ``status``."""

    def __init__(self, status: int, errors: list[str] | str) -> None:
        self.status = status
        self.errors = [errors] if isinstance(errors, str) else errors
        super().__init__("; ".join(self.errors))


def refuse(errors: list[str]) -> None:
    if errors:
        raise ApiError(400, errors)


@cache
def taxonomy() -> dict[str, Any]:
    text = resources.files("jettui.jet.sandbox").joinpath("taxonomy.json").read_text("utf-8")
    data = json.loads(text)
    data["by_id"] = {n["jet_node_id"]: n for n in data["nodes"]}
    return data


def attribute_problems(listing: dict[str, Any]) -> list[str]:
    """``attributes_node_specific`` against the node's attributes, as a strict Jet: each id an
    attribute of the node, a listed value when the attribute takes no free text, a listed
    unit when it has units. A node without attributes in the taxonomy is not checked."""
    known = {
        a["attribute_id"]: a
        for a in taxonomy()["attributes"].get(str(listing.get("jet_browse_node_id")), [])
    }
    if not known:
        return []
    problems = []
    for i, item in enumerate(listing.get("attributes_node_specific") or []):
        where = f"attributes_node_specific[{i}]"
        attribute = known.get(item.get("attribute_id"))
        if attribute is None:
            problems.append(
                f"{where}.attribute_id: {item.get('attribute_id')} is not an attribute of node "
                f"{listing.get('jet_browse_node_id')}"
            )
            continue
        value, unit = item.get("attribute_value"), item.get("attribute_value_unit")
        if attribute["values"] and not attribute["free_text"] and value not in attribute["values"]:
            problems.append(f"{where}.attribute_value: '{value}' is not a valid value")
        if unit is not None and unit not in attribute["units"]:
            problems.append(f"{where}.attribute_value_unit: '{unit}' is not a valid unit")
    return problems


def iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return format_jet_date(datetime.fromtimestamp(epoch, UTC))


def progress(start: float, reads: int, now: float, steps: int) -> int:
    """How many steps a time/read-driven state machine has taken (each read advances one)."""
    return min(steps, max(reads, int((now - start) // PROCESS_STEP_SECONDS)))


class SandboxCore:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.db = StateDB(settings.sandbox.state_file or ":memory:")
        self.clock = clock
        # Every random choice of the sandbox (faults, demo orders and returns): seed it in tests.
        self.rng = random.Random()

    def note_lost_answer(self, method: str, path: str, kind: str) -> None:
        """Record a write applied whose answer the fault injection lost (``lost_answers()``)."""
        now = self.clock()
        with self.db.transaction():
            self.db.put("lost_answer", new_jet_id(), {"method": method, "path": path,
                                                      "kind": kind, "at": iso(now)}, now)  # fmt: skip

    def lose_next_answers(
        self, method: str, path_contains: str, count: int = 1, kind: str = "timeout"
    ) -> None:
        """Test hook: the next ``count`` successful ``method`` calls whose path contains
        ``path_contains`` (e.g. "POST", "/refunds/") are applied, then their answer is lost as
        ``kind`` ("504", "dropped" or "timeout"), whatever ``lost_answer_rate`` says. Kept in
        the state file, so a sandbox serving another client or process on the same
        ``state_file`` honours it too."""
        if kind not in ("504", "dropped", "timeout"):
            raise ValueError(f"kind: '{kind}' is not one of 504, dropped, timeout")
        with self.db.transaction():
            planned = json.loads(self.db.meta("planned_lost_answers", "[]"))
            planned.append({"method": method.upper(), "path": path_contains, "count": count,
                            "kind": kind})  # fmt: skip
            self.db.set_meta("planned_lost_answers", json.dumps(planned))

    def planned_lost_answer(self, method: str, path: str) -> str | None:
        """The kind of loss :meth:`lose_next_answers` planned for this call (used up), if any."""
        plan = self._use_plan("planned_lost_answers", method, path)
        return None if plan is None else str(plan["kind"])

    def fail_next_calls(self, method: str, path_contains: str, count: int = 1) -> None:
        """Test hook: the next ``count`` ``method`` calls whose path contains ``path_contains``
        are answered 500 BEFORE anything is applied (what ``error_rate`` does at random): the
        client cannot tell it from a lost answer and must look the write up. Kept in the state
        file, like :meth:`lose_next_answers`."""
        with self.db.transaction():
            planned = json.loads(self.db.meta("planned_failures", "[]"))
            planned.append({"method": method.upper(), "path": path_contains, "count": count})
            self.db.set_meta("planned_failures", json.dumps(planned))

    def planned_failure(self, method: str, path: str) -> bool:
        """Whether :meth:`fail_next_calls` planned a 500 for this call (used up)."""
        return self._use_plan("planned_failures", method, path) is not None

    def _use_plan(self, key: str, method: str, path: str) -> dict[str, Any] | None:
        """Use up one call of the first plan under meta ``key`` that matches ``method`` and
        ``path`` (the plan, or None when none does)."""
        if self.db.meta(key, "[]") == "[]":
            return None  # the usual case: no write lock taken
        with self.db.transaction():
            planned = json.loads(self.db.meta(key, "[]"))
            for plan in planned:
                if plan["method"] == method and plan["path"] in path and plan["count"] > 0:
                    plan["count"] -= 1
                    left = [p for p in planned if p["count"] > 0]
                    self.db.set_meta(key, json.dumps(left))
                    return dict(plan)
        return None

    def lost_answers(self) -> list[dict[str, Any]]:
        """The writes applied whose answer was lost, oldest first: ``{method, path, kind, at}``
        with kind "504" (gateway timeout) or "dropped" (connection closed mid-answer)."""
        return self.db.all("lost_answer")

    @property
    def node_id(self) -> str:
        return self.settings.jet.fulfillment_node_id

    # ---- auth -----------------------------------------------------------------------------

    def issue_token(self, body: Any) -> dict[str, Any]:
        jet = self.settings.jet
        ok = (
            isinstance(body, dict)
            and _same(body.get("user", ""), jet.api_user)
            and _same(body.get("pass", ""), jet.api_secret.reveal())
        )
        if not ok:
            raise ApiError(400, "invalid user or pass")
        token = secrets.token_urlsafe(48)
        expires = self.clock() + self.settings.sandbox.token_lifetime_seconds
        with self.db.transaction():
            self.db.put("token", token, {"expires": expires}, self.clock())
        return {"id_token": token, "token_type": "Bearer", "expires_on": iso(expires)}

    def check_token(self, token: str) -> bool:
        doc = self.db.get("token", token)
        if not doc:
            return False
        return bool(doc["expires"] > self.clock())

    def check_node(self, node: Any, where: str) -> list[str]:
        if node != self.node_id:
            return [f"{where}: unknown fulfillment node '{node}'"]
        return []

    # ---- products -------------------------------------------------------------------------

    def product(self, sku: str) -> dict[str, Any]:
        doc = self.db.get("sku", sku)
        if doc is None:
            raise ApiError(404, f"merchant SKU '{sku}' not found")
        return doc

    def _save_product(self, doc: dict[str, Any]) -> None:
        now = self.clock()
        complete = not self.sub_statuses(doc)
        if complete and doc.get("complete_since") is None:
            doc["complete_since"] = now  # Jet's review starts once the listing is complete
        elif not complete:
            doc["complete_since"] = None
        doc["last_update"] = iso(now)
        self.db.put("sku", doc["merchant_sku"], doc, now)

    def sub_statuses(self, doc: dict[str, Any]) -> list[str]:
        listing = doc["listing"]
        subs = models.listing_sub_statuses(listing, has_price=doc.get("price") is not None)
        node = listing.get("jet_browse_node_id")
        if node and node not in taxonomy()["by_id"]:
            subs.append(str(ProductSubStatus.INVALID_CATEGORY))
        invalid = str(ProductSubStatus.INVALID_SKU_IDENTIFIER)
        if invalid not in subs and self.code_taken_from(doc):
            subs.append(invalid)
        return subs

    def code_taken_from(self, doc: dict[str, Any]) -> list[str]:
        """The unarchived SKUs that listed one of ``doc``'s standard codes before it."""
        taken: list[str] = []
        for code in _codes(doc["listing"]):
            holders = (self.db.get("code", code) or {}).get("skus", [])
            for other in (
                holders[: holders.index(doc["merchant_sku"])]
                if doc["merchant_sku"] in holders
                else holders
            ):
                other_doc = self.db.get("sku", other)
                if other_doc is not None and not other_doc.get("is_archived"):
                    taken.append(other)
        return sorted(set(taken))

    def _index_codes(self, sku: str, before: set[str], after: set[str]) -> None:
        """The code index (code → the SKUs listing it, first first); in the caller's
        transaction."""
        now = self.clock()
        for code in before - after:
            held = self.db.get("code", code) or {"skus": []}
            self.db.put("code", code, {"skus": [s for s in held["skus"] if s != sku]}, now)
        for code in after - before:
            held = self.db.get("code", code) or {"skus": []}
            if sku not in held["skus"]:
                self.db.put("code", code, {"skus": [*held["skus"], sku]}, now)

    def status(self, doc: dict[str, Any]) -> tuple[str, list[str]]:
        if doc.get("is_archived"):
            return ProductStatus.ARCHIVED, []
        subs = self.sub_statuses(doc)
        if subs:
            return ProductStatus.MISSING_DATA, subs
        # complete since it was saved, or since what flagged it went away (an archived SKU
        # handing its code on): the review starts then
        since = doc.get("complete_since")
        since = self.clock() if since is None else since
        reviewed = self.clock() - since >= self.settings.sandbox.review_delay_seconds
        if not reviewed:
            return ProductStatus.UNDER_REVIEW, []
        listing = doc["listing"]
        if str(listing.get("brand", "")).strip().lower() in RESTRICTED_BRANDS:
            return ProductStatus.UNAUTHORIZED, []
        if listing.get("product_tax_code") == EXCLUDED_TAX_CODE:
            return ProductStatus.EXCLUDED, []
        if sum(doc.get("inventory", {}).values()) > 0:
            return ProductStatus.AVAILABLE, []
        return ProductStatus.UNDER_REVIEW, []

    def put_product(self, sku: str, body: Any) -> None:
        refuse(models.validate_merchant_sku_id(sku) or models.validate_merchant_sku(body))
        with self.db.transaction():
            doc = self.db.get("sku", sku) or {
                "merchant_sku": sku,
                "merchant_sku_id": new_jet_id(),
                "producer_id": new_jet_id(),
                "jet_retail_sku": new_jet_id()[:12],
                "listing": {},
                "price": None,
                "inventory": {},
                "is_archived": False,
            }
            refuse(attribute_problems({**doc["listing"], **body}))
            before = _codes(doc["listing"])
            doc["listing"] = {**doc["listing"], **body}
            self._index_codes(sku, before, _codes(doc["listing"]))
            doc["correlation_id"] = new_jet_id()
            doc["sku_last_update"] = iso(self.clock())
            self._save_product(doc)

    def _update(self, sku: str, change: Callable[[dict[str, Any]], None]) -> None:
        with self.db.transaction():
            doc = self.product(sku)
            change(doc)
            self._save_product(doc)

    def put_image(self, sku: str, body: Any) -> None:
        refuse(models.validate_image(body))
        self._update(sku, lambda d: d["listing"].update(body))

    def put_price(self, sku: str, body: Any) -> None:
        refuse(models.validate_price(body))
        nodes = body.get("fulfillment_nodes") or []
        refuse([e for i, n in enumerate(nodes)
                for e in self.check_node(n["fulfillment_node_id"], f"fulfillment_nodes[{i}].fulfillment_node_id")])  # fmt: skip

        def change(doc: dict[str, Any]) -> None:
            doc.update(price=body["price"], price_nodes=nodes, price_last_update=iso(self.clock()))

        self._update(sku, change)

    def put_inventory(self, sku: str, body: Any, *, partial: bool = False) -> None:
        refuse(models.validate_inventory(body))
        nodes = body["fulfillment_nodes"]
        refuse([e for i, n in enumerate(nodes)
                for e in self.check_node(n["fulfillment_node_id"], f"fulfillment_nodes[{i}].fulfillment_node_id")])  # fmt: skip

        def change(doc: dict[str, Any]) -> None:
            new = {n["fulfillment_node_id"]: n["quantity"] for n in nodes}
            doc["inventory"] = {**doc["inventory"], **new} if partial else new
            doc["inventory_last_update"] = iso(self.clock())

        self._update(sku, change)

    def put_variation(self, sku: str, body: Any) -> None:
        refuse(models.validate_variation(body))
        children = [c["merchant_sku"] if isinstance(c, dict) else c for c in body["children_skus"]]
        unknown = [c for c in children if self.db.get("sku", c) is None]
        refuse([f"children_skus: unknown merchant SKU '{c}'" for c in unknown])
        refuse(
            [f"children_skus: the parent '{sku}' cannot be its own child"]
            if sku in children
            else []
        )
        refuse(self._refinement_problems(sku, body["variation_refinements"], children))
        self._update(sku, lambda d: d.__setitem__("variation", {**body, "children_skus": children}))

    def _refinement_problems(
        self, sku: str, refinements: list[int], children: list[str]
    ) -> list[str]:
        """Each refinement a variant attribute of the parent's node (when the taxonomy lists
        its attributes); each child with a value for each refinement."""
        parent = self.db.get("sku", sku)
        node = (parent or {}).get("listing", {}).get("jet_browse_node_id")
        known = {a["attribute_id"]: a for a in taxonomy()["attributes"].get(str(node), [])}
        problems = [
            f"variation_refinements: {r} is not a variant attribute of node {node}"
            for r in refinements
            if known and not known.get(r, {}).get("variant")
        ]
        for child in children:
            items = (self.db.get("sku", child) or {}).get("listing", {}).get(
                "attributes_node_specific"
            ) or []
            given = {i.get("attribute_id") for i in items if str(i.get("attribute_value") or "")}
            for r in refinements:
                if r not in given:
                    name = known.get(r, {}).get("attribute_description", f"attribute {r}")
                    problems.append(
                        f"children_skus: '{child}' has no value for the variant attribute "
                        f"{r} ({name}) in its attributes_node_specific"
                    )
        return problems

    def put_shipping_exception(self, sku: str, body: Any) -> None:
        refuse(models.validate_shipping_exception(body))
        refuse([e for i, n in enumerate(body["fulfillment_nodes"])
                for e in self.check_node(n["fulfillment_node_id"], f"fulfillment_nodes[{i}].fulfillment_node_id")])  # fmt: skip
        self._update(sku, lambda d: d.__setitem__("shipping_exceptions", body["fulfillment_nodes"]))

    def put_returns_exception(self, sku: str, body: Any) -> None:
        refuse(models.validate_returns_exception(body))
        self._update(sku, lambda d: d.__setitem__("returns_exception", body))

    def put_archive(self, sku: str, body: Any) -> None:
        refuse(models.validate_archive(body))
        self._update(sku, lambda d: d.__setitem__("is_archived", body["is_archived"]))

    def product_view(self, sku: str) -> dict[str, Any]:
        doc = self.product(sku)
        status, subs = self.status(doc)
        view = dict(doc["listing"])
        view.update({key: doc.get(key) for key in (
            "merchant_sku", "merchant_sku_id", "producer_id", "jet_retail_sku", "correlation_id",
            "is_archived", "price", "sku_last_update", "last_update", "price_last_update")})  # fmt: skip
        view["status"] = str(status)
        view["sub_status"] = subs
        view["inventory_by_fulfillment_node"] = self._inventory(doc)
        if doc.get("shipping_exceptions"):
            view["shipping_exceptions"] = doc["shipping_exceptions"]
        return view

    def _inventory(self, doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"fulfillment_node_id": k, "quantity": v} for k, v in doc.get("inventory", {}).items()
        ]

    def price_view(self, sku: str) -> dict[str, Any]:
        doc = self.product(sku)
        if doc.get("price") is None:
            raise ApiError(404, f"no price for merchant SKU '{sku}'")
        return {"price": doc["price"], "price_last_update": doc.get("price_last_update"),
                "fulfillment_nodes": doc.get("price_nodes", [])}  # fmt: skip

    def inventory_view(self, sku: str) -> dict[str, Any]:
        doc = self.product(sku)
        return {"fulfillment_nodes": self._inventory(doc),
                "inventory_last_update": doc.get("inventory_last_update")}  # fmt: skip

    def part_view(self, sku: str, part: str) -> dict[str, Any]:
        doc = self.product(sku)
        value = doc.get(part)
        if value is None:
            raise ApiError(404, f"merchant SKU '{sku}' has no {part.replace('_', ' ')}")
        if part == "variation":
            return {**value, "children_skus": [{"merchant_sku": c} for c in value["children_skus"]]}
        if part == "shipping_exceptions":
            return {"fulfillment_nodes": value}
        return value

    def sales_data(self, sku: str) -> dict[str, Any]:
        doc = self.product(sku)
        if self.status(doc)[0] != ProductStatus.AVAILABLE:
            raise ApiError(
                404, f"no sales data: merchant SKU '{sku}' is not Available for Purchase"
            )
        now = iso(self.clock())
        sold = sum(
            1 for o in self.db.all("order") for i in o["order_items"] if i["merchant_sku"] == sku
        )
        offer = {"shipping_method": "UPS Ground", "item_price": doc["price"], "shipping_price": 0,
                 "last_update": now}  # fmt: skip
        return {"sales_rank": {"level_0": 1000 + len(sku) * 37, "last_update": now},
                "units_sold": {"last_30_days": sold, "last_update": now},
                "my_best_offer": [offer], "best_marketplace_offer": [offer]}  # fmt: skip

    def sku_list(self, offset: int, limit: int) -> dict[str, Any]:
        skus = [d["merchant_sku"] for d in self.db.all("sku")][offset : offset + limit]
        return {"sku_urls": [f"merchant-skus/{s}" for s in skus]}

    # ---- bulk files -----------------------------------------------------------------------

    def upload_token(self, base_url: str) -> dict[str, Any]:
        file_id = new_jet_id()
        sig = secrets.token_urlsafe(24)
        url = f"{base_url.rstrip('/')}/blob/{file_id}?sig={sig}"
        doc = {"jet_file_id": file_id, "url": url, "sig": sig, "blob": None,
               "expires": self.clock() + UPLOAD_TOKEN_SECONDS}  # fmt: skip
        with self.db.transaction():
            self.db.put("file", file_id, doc, self.clock())
        return {"url": url, "jet_file_id": file_id, "expires_in_seconds": UPLOAD_TOKEN_SECONDS}

    def put_blob(self, file_id: str, sig: str, blob_type: str, body: bytes) -> None:
        doc = self.db.get("file", file_id)
        if doc is None or not secrets.compare_digest(sig, doc["sig"]):
            raise ApiError(403, "signature did not match")
        if doc["expires"] < self.clock():
            raise ApiError(403, "upload URL expired")
        if blob_type.lower() != "blockblob":
            raise ApiError(400, "x-ms-blob-type: must be BlockBlob")
        try:
            data = json.loads(gzip.decompress(body))
        except (OSError, EOFError, ValueError):
            raise ApiError(400, "body: must be gzip-compressed JSON") from None
        if not isinstance(data, dict):
            raise ApiError(400, "body: the file must be one JSON object keyed by merchant SKU")
        with self.db.transaction():
            doc["blob"] = data
            self.db.put("file", file_id, doc, self.clock())

    def file_uploaded(self, body: Any) -> dict[str, Any]:
        refuse(models.fields(body, {
            "url": (models.text(1, 2000), True),
            "file_type": (models.one_of(FileType), True),
            "file_name": (models.text(1, 500), True),
        }))  # fmt: skip
        match = next((d for d in self.db.all("file") if d["url"] == body["url"]), None)
        if match is None:
            raise ApiError(400, "url: not an upload URL issued by files/uploadToken")
        if match["blob"] is None:
            raise ApiError(400, "url: nothing was uploaded to this URL")
        if match.get("received"):
            raise ApiError(400, "url: this file was already registered")
        now = self.clock()
        match.update(
            file_type=body["file_type"], file_name=body["file_name"], received=now, reads=0
        )
        with self.db.transaction():
            self.db.put("file", match["jet_file_id"], match, now)
        return {"jet_file_id": match["jet_file_id"], "status": str(FileStatus.ACKNOWLEDGED)}

    def file_status(self, file_id: str) -> dict[str, Any]:
        with self.db.transaction():
            doc = self.db.get("file", file_id)
            if doc is None or not doc.get("received"):
                raise ApiError(404, f"file '{file_id}' not found")
            step = progress(doc["received"], doc["reads"], self.clock(), 2)
            doc["reads"] += 1
            if step >= 1 and "processing_start" not in doc:
                doc["processing_start"] = iso(self.clock())
            if step >= 2 and "errors" not in doc:
                doc["errors"] = self._process(doc["file_type"], doc["blob"])
                doc["processing_end"] = iso(self.clock())
            self.db.put("file", file_id, doc, doc["received"])
        out = {k: doc.get(k) for k in ("jet_file_id", "url", "file_type", "file_name")}
        out["received"] = iso(doc["received"])
        out["status"] = str([FileStatus.ACKNOWLEDGED, FileStatus.PROCESSING][step] if step < 2 else
                            FileStatus.PROCESSED_WITH_ERRORS if doc["errors"] else FileStatus.PROCESSED_OK)  # fmt: skip
        if step >= 1:
            out["processing_start"] = doc["processing_start"]
        if step >= 2:
            out.update(processing_end=doc["processing_end"], error_count=len(doc["errors"]),
                       error_excerpt=doc["errors"][:MAX_ERROR_EXCERPT], error_url=None)  # fmt: skip
        return out

    def _process(self, file_type: str, blob: dict[str, Any]) -> list[str]:
        """Apply every valid SKU of a bulk file; one error line per problem of the others."""
        apply = {
            FileType.MERCHANT_SKUS: self.put_product,
            FileType.PRICE: self.put_price,
            FileType.INVENTORY: self.put_inventory,
            FileType.VARIATION: self.put_variation,
            FileType.ARCHIVE: self.put_archive,
            FileType.SHIPPING_EXCEPTION: self.put_shipping_exception,
            FileType.RETURNS_EXCEPTION: self.put_returns_exception,
        }[FileType(file_type)]
        errors: list[str] = []
        for sku, body in blob.items():
            try:
                refuse(models.validate_merchant_sku_id(sku))
                apply(sku, body)
            except ApiError as exc:
                errors.extend(f"SKU '{sku}': {e}" for e in exc.errors)
        return errors

    # ---- taxonomy -------------------------------------------------------------------------

    def taxonomy_links(self, version: str, offset: int, limit: int) -> dict[str, Any]:
        if version not in ("v1", "1.03"):
            raise ApiError(404, f"taxonomy version '{version}' not found; use v1 or 1.03")
        nodes = taxonomy()["nodes"][offset : offset + limit]
        return {"node_urls": [f"/taxonomy/nodes/{n['jet_node_id']}" for n in nodes]}

    def taxonomy_node(self, node_id: int) -> dict[str, Any]:
        node = taxonomy()["by_id"].get(node_id)
        if node is None:
            raise ApiError(404, f"taxonomy node {node_id} not found")
        return node

    def taxonomy_attributes(self, node_id: int) -> dict[str, Any]:
        self.taxonomy_node(node_id)
        return {"attributes": taxonomy()["attributes"].get(str(node_id), [])}


def _codes(listing: dict[str, Any]) -> set[str]:
    """The standard product codes of a listing (the digits Jet keys a product on)."""
    return {
        str(c.get("standard_product_code"))
        for c in listing.get("standard_product_codes") or []
        if isinstance(c, dict) and c.get("standard_product_code")
    }


def _same(given: Any, expected: str) -> bool:
    """Constant-time equality of credentials, any characters (compare_digest refuses non-ASCII
    str, so both sides are compared as UTF-8 bytes)."""
    return secrets.compare_digest(str(given).encode("utf-8"), expected.encode("utf-8"))
