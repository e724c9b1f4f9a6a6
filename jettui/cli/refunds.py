"""`jettui refunds ...`: merchant-initiated refunds. Not available yet: the refunds service
adds its handlers here (replace ``not_available`` in ``set_defaults``)."""

from __future__ import annotations

from typing import Any

from .parser import add_json
from .session import not_available


def register(commands: Any) -> None:
    refunds = commands.add_parser("refunds", help="merchant-initiated refunds")
    actions = refunds.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="refund items of an order")
    create.add_argument("order_id", metavar="JET_ORDER_ID")
    listing = actions.add_parser("list", help="list refunds and their state")
    for sub in (create, listing):
        add_json(sub)
        sub.set_defaults(handler=not_available)
