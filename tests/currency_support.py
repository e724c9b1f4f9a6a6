"""A shop whose default currency is not the US dollar (shared by the order, return and catalog
money tests): OpenCart's own shape of it, and the admin's arithmetic the tests compare with."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def make_gbp_shop(usd_value: str = "1.25") -> None:
    """Turn the bound OpenCart demo store into a pound shop, as OpenCart's admin leaves it:
    ``config_currency`` GBP, rates against it (GBP 1.0, USD ``usd_value``, EUR 1.17)."""
    from jettui.store.opencart import Currency, Setting

    updated = (
        Setting.update(value="GBP")
        .where((Setting.key == "config_currency") & (Setting.store_id == 0))
        .execute()
    )
    assert updated == 1
    for code, value in (("GBP", 1.0), ("USD", float(usd_value)), ("EUR", 1.17)):
        Currency.update(value=value).where(Currency.code == code).execute()


def admin_shows(value: Decimal, currency_value: Decimal) -> Decimal:
    """What OpenCart's admin prints for an order amount: ``currency->format(value, code,
    currency_value)`` = round(value × currency_value, 2) (PHP's round: half away from zero)."""
    return (Decimal(str(value)) * Decimal(str(currency_value))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
