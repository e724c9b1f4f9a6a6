"""US dollars and the shop's default currency, as OpenCart converts them (store thread).

OpenCart keeps every amount (``product.price``, ``product_special.price``, order totals and
lines) in the shop's default currency (``config_currency``); ``oc_currency.value`` is each
currency's rate against it (the default's own value is 1.0). It shows an amount in another
currency as ``amount × value`` (system/library/cart/currency.php ``format()``, rounded to the
currency's ``decimal_place``), and the admin shows an order's amounts as ``amount ×
order.currency_value`` in ``order.currency_code``. Jet is in US dollars, so:

- a catalog price goes to Jet as the dollars a USD shopper sees in the storefront:
  :meth:`UsdRate.to_usd` = ``amount × USD value``, rounded half up to the cent;
- a Jet order is written in the default currency with ``currency_code`` USD and
  ``currency_value`` the USD value, each amount :func:`from_usd` = ``dollars / USD value``
  kept to OpenCart's 4 decimals (``decimal(15,4)``), so that the admin's ``amount ×
  currency_value`` rounds back to exactly the dollars Jet charged: the 4-decimal rounding moves
  the shown amount by at most 0.00005 × the rate, under half a cent for any rate below 100
  dollars per unit of the default currency (every real currency).

A shop with no USD currency (or a USD value of 0 or less) has no rate: the catalog refuses to
price its products and the order import refuses to write orders (``config check`` warns).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .opencart import Currency, get_setting

CENT = Decimal("0.01")
OC_AMOUNT = Decimal("0.0001")  # OpenCart's decimal(15,4) money columns
OC_RATE = Decimal("0.00000001")  # order.currency_value decimal(15,8)


def from_usd(dollars: Decimal, rate: Decimal) -> Decimal:
    """``dollars`` in the default currency (4 decimals) for a shop whose USD value is
    ``rate``: what the admin multiplies back by ``rate`` to show the dollars."""
    return (dollars / rate).quantize(OC_AMOUNT, rounding=ROUND_HALF_UP)


def shown_in(amount: Decimal, rate: Decimal) -> Decimal:
    """An amount stored in the default currency as OpenCart shows it in a currency of value
    ``rate``: ``amount × rate``, rounded half up to the cent."""
    return (Decimal(amount) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class UsdRate:
    """The shop's US dollar: its ``oc_currency`` row and the default currency's code."""

    currency_id: int
    value: Decimal  # dollars per unit of the default currency (8 decimals, as orders store it)
    default_code: str  # config_currency ("" when the setting is missing)

    @property
    def converts(self) -> bool:
        """Whether the shop's amounts are not dollars already (shown in price sources)."""
        return self.value != 1 or self.default_code not in ("", "USD")

    def to_usd(self, amount: Decimal) -> Decimal:
        """A default-currency amount in dollars, to the cent."""
        return shown_in(amount, self.value)

    def from_usd(self, dollars: Decimal) -> Decimal:
        return from_usd(dollars, self.value)


def usd_rate(store_id: int = 0) -> UsdRate | None:
    """The shop's USD rate, or None when it has no USD currency with a value above 0."""
    usd = Currency.select().where(Currency.code == "USD").first()
    if usd is None:
        return None
    value = Decimal(str(usd.value or 0)).quantize(OC_RATE, rounding=ROUND_HALF_UP)
    if value <= 0:
        return None
    default = get_setting("config_currency", store_id, None)
    if default in (None, "") and store_id:
        default = get_setting("config_currency", 0, "")
    return UsdRate(int(usd.currency_id), value, str(default or "").strip().upper())


def no_usd_problem() -> str:
    """What jettui says (and does) for a shop without a usable USD currency."""
    return (
        "no USD currency with a rate above 0 in oc_currency: Jet is in US dollars, so jettui "
        "cannot convert prices (products are refused, nothing is sent) nor write Jet orders "
        "(the order import stops) until one is added in System > Localisation > Currencies"
    )
