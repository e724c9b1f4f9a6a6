"""The JetProduct link of each SKU about to be uploaded, and SKUs renamed in OpenCart.

A link is one JetProduct row per (product, option value). When the SKU a product (or one of its
option values) generates today differs from its link's ``merchant_sku`` — the SKU or the option
value was renamed in OpenCart after an upload — the rename is resolved before anything is sent,
as ``catalog.renamed_sku`` says:

- ``archive``: the old row is *retired*: it keeps its SKU and history but gives up its
  (product, option value) slot (its option value id is stored as ``-row id``, unique and below
  0); the new SKU gets a new row (the product's edited Jet data copied to it) and is uploaded;
  the upload then archives the old SKU on Jet (retried by later uploads until Jet confirms).
- ``move``: the row is moved to the new SKU (it must be uploaded again: ``sent_at`` cleared);
  the old SKU is left on Jet as it is.

A SKU that another product's link (live or retired) already carries is refused: Jet knows one
product under one SKU. Store-thread functions; ``apply=False`` plans without writing (dry run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jettui.services.catalog.payload import Listing
from jettui.store.base import database_proxy, tuple_rows
from jettui.store.text import utcnow

ARCHIVE = "archive"
IN_CHUNK = 900  # ids per IN (...): under SQLite's 999 variables of old builds
MOVE = "move"


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    product_id: int


@dataclass
class LinkPlan:
    refused: dict[str, str] = field(default_factory=dict)  # listing SKU → why it is not sent
    moved: list[Rename] = field(default_factory=list)  # links moved; old SKU left on Jet
    retired: list[Rename] = field(default_factory=list)  # old SKUs retired by this run
    to_archive: list[str] = field(default_factory=list)  # retired SKUs not archived on Jet yet


def is_retired(option_value_id: int) -> bool:
    """A retired link (a SKU renamed in OpenCart): its option value id is below 0."""
    return option_value_id < 0


def plan_links(listings: Iterable[Listing], mode: str, apply: bool = True) -> LinkPlan:
    """Resolve renamed SKUs and collisions for ``listings`` (one transaction when applied)."""
    from jettui.store.jet_tables import JetProduct

    plan = LinkPlan()
    listings = list(listings)
    product_ids = sorted({x.product_id for x in listings})
    known = _Known(listings)
    with database_proxy.atomic():
        for x in listings:
            if known.settled(x):
                continue
            _plan_one(plan, x, mode, apply)
            known.touch(x)
        if product_ids:
            rows = JetProduct.select(JetProduct.merchant_sku).where(
                JetProduct.product_id.in_(product_ids)
                & (JetProduct.product_option_value_id < 0)
                & JetProduct.sent_at.is_null(False)
                & (JetProduct.is_archived == False)  # noqa: E712 (peewee expression)
            )
            pending = [sku for (sku,) in tuple_rows(rows.order_by(JetProduct.id))]
            planned = [r.old for r in plan.retired]
            plan.to_archive = list(dict.fromkeys(pending + planned))
    return plan


class _Known:
    """The links of a chunk's listings read in two queries, to settle the common cases without
    a query per SKU: linked as it is, or never linked (no row for the slot nor the SKU). Any
    other case (a rename, a collision) goes through :func:`_plan_one`, which reads afresh; the
    slots and SKUs it may have written are not trusted from the prefetch afterwards."""

    def __init__(self, listings: list[Listing]) -> None:
        from jettui.store.jet_tables import JetProduct

        self.slots: dict[tuple[int, int], str] = {}  # (product, option value) → its SKU
        self.skus: set[str] = set()  # SKUs some row carries
        self.touched_slots: set[tuple[int, int]] = set()
        self.touched_skus: set[str] = set()
        ids = sorted({x.product_id for x in listings})
        skus = [x.sku for x in listings]
        for start in range(0, len(ids), IN_CHUNK):
            rows = JetProduct.select(
                JetProduct.product_id, JetProduct.product_option_value_id, JetProduct.merchant_sku
            ).where(JetProduct.product_id.in_(ids[start : start + IN_CHUNK]))
            for product_id, value_id, sku in tuple_rows(rows):
                self.slots[(int(product_id), int(value_id))] = sku
        for start in range(0, len(skus), IN_CHUNK):
            rows = JetProduct.select(JetProduct.merchant_sku).where(
                JetProduct.merchant_sku.in_(skus[start : start + IN_CHUNK])
            )
            self.skus.update(sku for (sku,) in tuple_rows(rows))

    def settled(self, x: Listing) -> bool:
        """Nothing to plan for ``x``: its slot carries its SKU, or neither exists yet."""
        slot = (x.product_id, x.option_value_id)
        if slot in self.touched_slots or x.sku in self.touched_skus:
            return False
        linked = self.slots.get(slot)
        return linked == x.sku or (linked is None and x.sku not in self.skus)

    def touch(self, x: Listing) -> None:
        """``x`` went through :func:`_plan_one`: its slot, its SKU and the slot's former SKU
        may have changed."""
        slot = (x.product_id, x.option_value_id)
        self.touched_slots.add(slot)
        self.touched_skus.add(x.sku)
        if slot in self.slots:
            self.touched_skus.add(self.slots[slot])


def _plan_one(plan: LinkPlan, x: Listing, mode: str, apply: bool) -> None:
    from jettui.store.jet_tables import JetProduct

    slot = JetProduct.get_or_none(
        (JetProduct.product_id == x.product_id)
        & (JetProduct.product_option_value_id == x.option_value_id)
    )
    holder = JetProduct.get_or_none(JetProduct.merchant_sku == x.sku)
    if slot is not None and slot.merchant_sku == x.sku:
        return  # linked as it is
    if holder is not None and (
        holder.product_id != x.product_id or not is_retired(holder.product_option_value_id)
    ):
        owner = f"product {holder.product_id}"
        if holder.product_id == x.product_id:
            owner = "another option value of this product"
        plan.refused[x.sku] = f"SKU '{x.sku}' is already linked to {owner} on Jet"
        return
    if slot is None:
        if holder is not None and apply:  # this product's own retired SKU, back in use
            _take_slot(holder, x)
        return
    if slot.sent_at is None:  # never on Jet: nothing to archive or move
        if apply and holder is None:
            _rename(slot, x.sku)
        elif apply:
            _release(slot)
            _take_slot(holder, x, slot.overrides)
        return
    rename = Rename(slot.merchant_sku, x.sku, x.product_id)
    if mode == MOVE and holder is None:
        plan.moved.append(rename)
        if apply:
            _rename(slot, x.sku)
        return
    plan.retired.append(rename)
    if apply:
        _retire(slot)
        if holder is not None:
            _take_slot(holder, x, slot.overrides)
        else:
            JetProduct.insert(
                product_id=x.product_id,
                product_option_value_id=x.option_value_id,
                merchant_sku=x.sku,
                parent_sku=x.parent_sku,
                overrides=dict(slot.overrides or {}),
                last_error=f"renamed from '{slot.merchant_sku}' in OpenCart",
            ).execute()


def _rename(row: Any, sku: str) -> None:
    """The row now stands for ``sku``, a SKU Jet has not seen: upload it afresh."""
    from jettui.store.jet_tables import JetProduct

    JetProduct.update(
        merchant_sku=sku,
        sent_at=None,
        sent_hash=None,
        status="Not Uploaded",
        sub_statuses=[],
        is_archived=False,
        last_error=f"renamed from '{row.merchant_sku}' in OpenCart",
        updated_at=utcnow(),
    ).where(JetProduct.id == row.id).execute()


def _retire(row: Any) -> None:
    from jettui.store.jet_tables import JetProduct

    JetProduct.update(
        product_option_value_id=-row.id,
        last_error="renamed in OpenCart: to be archived on Jet",
        updated_at=utcnow(),
    ).where(JetProduct.id == row.id).execute()


def _release(row: Any) -> None:
    """A never-sent link gives up its slot to a retired row coming back: drop it."""
    from jettui.store.jet_tables import JetProduct

    JetProduct.delete().where(JetProduct.id == row.id).execute()


def _take_slot(row: Any, x: Listing, overrides: dict[str, Any] | None = None) -> None:
    """A retired row of the product takes (product, option value) back, with the edited Jet
    data of the row it replaces when there is one."""
    from jettui.store.jet_tables import JetProduct

    values: dict[str, Any] = {"product_option_value_id": x.option_value_id}
    if overrides is not None:
        values["overrides"] = dict(overrides)
    JetProduct.update(
        **values, parent_sku=x.parent_sku, last_error=None, updated_at=utcnow()
    ).where(JetProduct.id == row.id).execute()


def record_archived(sku: str, error: str | None) -> None:
    """A retired SKU's archive on Jet: done (error None) or refused with Jet's words."""
    from jettui.store.jet_tables import JetProduct

    values: dict[str, Any] = {"last_error": error, "updated_at": utcnow()}
    if error is None:
        values.update(is_archived=True, last_error="renamed in OpenCart: archived on Jet")
    JetProduct.update(**values).where(JetProduct.merchant_sku == sku).execute()
