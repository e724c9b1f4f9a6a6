"""Dollars written in a shop's default currency come back to the cent in OpenCart's admin
(amount × currency_value, rounded): the 4 decimals OpenCart keeps are enough for any real rate
(jettui.store.currency's claim), from a yen-like 0.0067 to a dinar-like 3.2571."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from jettui.store.currency import from_usd, shown_in

RATES = ["0.0067", "0.61250001", "1", "1.25", "1.3195", "3.2571", "99.5"]


@pytest.mark.parametrize("rate", RATES)
def test_every_cent_comes_back(rate: str) -> None:
    value = Decimal(rate)
    rng = random.Random(rate)
    cents = [1, 2, 5, 99, 100, 10_001, 99_999_99, *(rng.randrange(1, 10**8) for _ in range(3000))]
    for amount in (Decimal(c) / 100 for c in cents):
        stored = from_usd(amount, value)
        assert stored == stored.quantize(Decimal("0.0001"))  # fits decimal(15,4)
        assert shown_in(stored, value) == amount, (amount, stored)


def test_a_rate_of_one_stores_the_dollars() -> None:
    assert from_usd(Decimal("216.80"), Decimal(1)) == Decimal("216.8000")
