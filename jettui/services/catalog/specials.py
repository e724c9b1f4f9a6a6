"""The price the shop actually charges: OpenCart's storefront rule for ``product_special``.

The active special of the default customer group (``config_customer_group_id``): started
(``date_start`` zero or before now) and not ended (``date_end`` zero or after now), lowest
``priority`` first, then lowest price. Read afresh on every run, so a special that starts or
ends is picked up by the next sync without any row changing. Store thread only.

Amounts are the shop's default currency (``config_currency``), as OpenCart stores them; the
payload converts them to US dollars (:mod:`jettui.store.currency`) before they go to Jet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jettui.store.text import now

SOURCE_PRICE = "price"
SOURCE_SPECIAL = "special"


def shop_today() -> dt.date:
    """The shop's date (local, like MySQL's NOW() for OpenCart); tests move this clock."""
    return now().date()


@dataclass
class BasePrice:
    amount: Decimal
    source: str = SOURCE_PRICE  # "price" (product.price) or "special" (product_special)
    warnings: list[str] = field(default_factory=list)


def default_customer_group(store_id: int) -> int:
    from jettui.store.opencart import get_setting

    value = get_setting("config_customer_group_id", store_id, None)
    if value in (None, "") and store_id:
        value = get_setting("config_customer_group_id", 0, 1)
    try:
        return int(value or 1)
    except (TypeError, ValueError):
        return 1


def active(start: dt.date | None, end: dt.date | None, today: dt.date) -> bool:
    """OpenCart's window: ``date_start < NOW()`` and ``date_end > NOW()`` (zero = open). A
    date compared with NOW() is that day's midnight: a special ending today has ended."""
    return (start is None or start <= today) and (end is None or end > today)


def base_price(
    product_id: int,
    price: Decimal,
    customer_group_id: int,
    today: dt.date,
    rows: Iterable[Any] | None = None,
) -> BasePrice:
    """``product.price``, or the active special replacing it (see the module doc). ``rows``:
    the product's specials for the group, when already read."""
    from jettui.store.opencart import ProductSpecial

    if rows is None:
        rows = ProductSpecial.select().where(
            (ProductSpecial.product_id == product_id)
            & (ProductSpecial.customer_group_id == customer_group_id)
        )
    warnings: list[str] = []
    candidates: list[tuple[int, Decimal, int]] = []
    for row in rows:
        if row.date_start and row.date_end and row.date_end < row.date_start:
            warnings.append(
                f"special {row.price:.2f} ignored: it ends ({row.date_end}) "
                f"before it starts ({row.date_start})"
            )
            continue
        if active(row.date_start, row.date_end, today):
            candidates.append((int(row.priority or 0), Decimal(row.price), row.product_special_id))
    if not candidates:
        return BasePrice(price, SOURCE_PRICE, warnings)
    _, special, _ = min(candidates)
    return BasePrice(special, SOURCE_SPECIAL, warnings)
