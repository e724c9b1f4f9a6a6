"""Grid sources for jettui's return and refund tables (jettui.services.listing has the others).

Same shape as listing's sources: a peewee query per page, newest first, filterable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from jettui.services.listing import Column, QuerySource, short_status


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else ""


class ReturnSource(QuerySource):
    columns = (
        Column("created", "Created", 16),
        Column("return_id", "Jet return"),
        Column("order", "Jet order", 16),
        Column("order_id", "OC #", 6, align="right"),
        Column("status", "Status", 10, short=short_status),
    )

    def _model(self) -> Any:
        from jettui.store.jet_tables import JetReturn

        return JetReturn

    def _id_field(self) -> Any:
        return self._model().id

    def _select(self, *fields: Any) -> Any:
        return self._model().select(*fields)

    def _fields(self) -> list[Any]:
        m = self._model()
        return [m.created_at, m.merchant_return_authorization_id, m.merchant_order_id, m.order_id,
                m.status]  # fmt: skip

    def _search(self) -> list[Any]:
        m = self._model()
        return [m.merchant_return_authorization_id, m.merchant_order_id, m.status]

    def _format(self, row: tuple[Any, ...]) -> Sequence[str]:
        created, return_id, order, order_id, status = row
        return (_when(created), return_id, order, str(order_id or ""), status)


class RefundSource(QuerySource):
    columns = (
        Column("created", "Created", 16),
        Column("refund_id", "Refund"),
        Column("order", "Jet order", 16),
        Column("amount", "Amount", 9, align="right"),
        Column("status", "Status", 10, short=short_status),
    )

    def _model(self) -> Any:
        from jettui.store.jet_tables import JetRefund

        return JetRefund

    def _id_field(self) -> Any:
        return self._model().id

    def _select(self, *fields: Any) -> Any:
        return self._model().select(*fields)

    def _fields(self) -> list[Any]:
        m = self._model()
        return [m.created_at, m.refund_id, m.merchant_order_id, m.amount, m.status]

    def _search(self) -> list[Any]:
        m = self._model()
        return [m.refund_id, m.refund_authorization_id, m.merchant_order_id, m.status, m.reason]

    def _format(self, row: tuple[Any, ...]) -> Sequence[str]:
        created, refund_id, order, amount, status = row
        money = "" if amount is None else f"{float(amount):,.2f}"
        return (_when(created), refund_id, order, money, status)
