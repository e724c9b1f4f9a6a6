"""`jettui returns ...`: list and complete Jet returns. Not available yet: the returns service
adds its handlers here (replace ``not_available`` in ``set_defaults``)."""

from __future__ import annotations

from typing import Any

from .parser import add_json
from .session import not_available


def register(commands: Any) -> None:
    returns = commands.add_parser("returns", help="list and complete Jet returns")
    actions = returns.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list Jet returns")
    complete = actions.add_parser("complete", help="complete a return with refund amounts")
    complete.add_argument("return_ids", nargs="+", metavar="RETURN_ID")
    for sub in (listing, complete):
        add_json(sub)
        sub.set_defaults(handler=not_available)
