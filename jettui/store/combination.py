"""The slot of a variation child: which OpenCart option value(s) one Jet SKU stands for.

Shared by the catalog (which uploads a child per combination) and the store and order code
(which find the order line a child's SKU was sold as): one small module both layers import.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

#: slots of combinations (several option values) start here, above any real value id
COMBINATION_SLOT_BASE = 2**30


def combination_slot(value_ids: Sequence[int]) -> int:
    """The ``JetProduct.product_option_value_id`` of a child: the value id itself for a single
    option, else a stable id from the (sorted) value ids, above any real value id."""
    if len(value_ids) == 1:
        return int(value_ids[0])
    key = ",".join(str(v) for v in sorted(value_ids)).encode()
    return COMBINATION_SLOT_BASE + zlib.crc32(key) % COMBINATION_SLOT_BASE


def stands_for(values: Sequence[int] | set[int], slot: int) -> bool:
    """Does an order line with these option values stand for a SKU linked to ``slot`` (0:
    any line of the product; a value id; or the combination slot of several values)?"""
    if not slot:
        return True
    return slot in values or (len(values) > 1 and combination_slot(sorted(values)) == slot)
