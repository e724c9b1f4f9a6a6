"""`jettui orders ...`: list and ship Jet orders. Not available yet: the orders service adds
its handlers here (replace ``not_available`` in ``set_defaults``)."""

from __future__ import annotations

from typing import Any

from .parser import add_json, sku_qty
from .session import not_available


def register(commands: Any) -> None:
    orders = commands.add_parser("orders", help="list and ship Jet orders")
    actions = orders.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list Jet orders")
    listing.add_argument("--status", metavar="S", help="only orders in this status")
    ship = actions.add_parser("ship", help="ship (and/or cancel units of) an order")
    ship.add_argument("order_id", metavar="JET_ORDER_ID")
    ship.add_argument("--carrier", required=True, metavar="C")
    ship.add_argument("--method", required=True, metavar="M")
    ship.add_argument("--tracking", required=True, metavar="T")
    ship.add_argument("--zip", required=True, metavar="Z", help="ship-from ZIP (5 digits)")
    ship.add_argument("--ship", action="append", default=[], metavar="SKU=QTY", type=sku_qty)
    ship.add_argument("--cancel", action="append", default=[], metavar="SKU=QTY", type=sku_qty)
    for sub in (listing, ship):
        add_json(sub)
        sub.set_defaults(handler=not_available)
