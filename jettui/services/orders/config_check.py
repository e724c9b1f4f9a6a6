"""``config check``'s orders part: the status ids of ``orders.status_*`` exist in the shop."""

from __future__ import annotations

from jettui.config import OrderSettings, Settings


def check_order_statuses(settings: Settings) -> list[str]:
    """One line per ``orders.status_*`` setting whose id is not in ``oc_order_status`` (for the
    configured language, or any language), e.g. ``orders.status_refunded: order status 42 does
    not exist in oc_order_status``. Empty when all exist. Needs the store connected (models
    bound); runs on the calling thread."""
    from jettui.store.base import tuple_rows
    from jettui.store.opencart import OrderStatus

    wanted = {key: int(getattr(settings.orders, key)) for key in OrderSettings.STATUS_KEYS}
    rows = OrderStatus.select(OrderStatus.order_status_id, OrderStatus.language_id).where(
        OrderStatus.order_status_id.in_(sorted(set(wanted.values())))
    )
    found: dict[int, set[int]] = {}
    for status_id, language_id in tuple_rows(rows):
        found.setdefault(int(status_id), set()).add(int(language_id))
    problems = []
    for key, status_id in wanted.items():
        languages = found.get(status_id)
        if not languages:
            problems.append(
                f"orders.{key}: order status {status_id} does not exist in oc_order_status"
            )
        elif settings.store.language_id not in languages:
            problems.append(
                f"orders.{key}: order status {status_id} has no name in language "
                f"{settings.store.language_id}"
            )
    return problems


def refunded_status_warnings(settings: Settings) -> list[str]:
    """A line when ``orders.status_refunded`` is outside the shop's processing and complete
    statuses: OpenCart's ``addOrderHistory`` restocks every line of an order moved there, so
    jettui leaves a refunded order in its status (with a history row) unless every unit is
    back in stock (:mod:`jettui.services.orders.account`). Needs the store connected."""
    from jettui.store.errors import StoreError
    from jettui.store.oc_orders import shop_context

    try:
        shop = shop_context(settings)
    except StoreError:
        return []  # no USD currency: said by the store check itself
    status = int(settings.orders.status_refunded)
    if status in shop.stock_statuses:
        return []
    return [
        f"orders.status_refunded: status {status} is outside the shop's processing and "
        "complete statuses (config_processing_status, config_complete_status), so OpenCart "
        "restocks every line of an order moved there: jettui moves a refunded order there only "
        "once every unit is back in stock, else it keeps the order's status and writes the "
        "refund in its history"
    ]
