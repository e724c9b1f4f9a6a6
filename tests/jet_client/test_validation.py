"""Every write is validated before sending: a bad payload raises JetValidationError and no
request (not even a token request) leaves the client."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from jettui.jet import models
from jettui.jet.client import JetClient
from jettui.jet.errors import JetValidationError

from . import payloads
from .fakes import FakeJet

RETURN_ID = "a10b4b28467c490984e0b387e1cc2d9a"

Call = Callable[[JetClient, Any], Awaitable[Any]]
CALLS: dict[str, list[Call]] = {
    "validate_merchant_sku": [lambda jet, p: jet.put_sku("sku-1", p)],
    "validate_image": [lambda jet, p: jet.put_image("sku-1", p)],
    "validate_price": [lambda jet, p: jet.put_price("sku-1", p)],
    "validate_inventory": [
        lambda jet, p: jet.put_inventory("sku-1", p),
        lambda jet, p: jet.patch_inventory("sku-1", p),
    ],
    "validate_variation": [lambda jet, p: jet.put_variation("sku-1", p)],
    "validate_shipping_exception": [lambda jet, p: jet.put_shipping_exception("sku-1", p)],
    "validate_returns_exception": [lambda jet, p: jet.put_returns_exception("sku-1", p)],
    "validate_archive": [lambda jet, p: jet.archive("sku-1", p.get("is_archived"))],
    "validate_acknowledge": [lambda jet, p: jet.acknowledge(payloads.ORDER_ID, p)],
    "validate_shipped": [lambda jet, p: jet.ship(payloads.ORDER_ID, p)],
    "validate_complete_return": [lambda jet, p: jet.complete_return(RETURN_ID, p)],
    "validate_refund": [lambda jet, p: jet.create_refund(payloads.ORDER_ID, "r-1", p)],
    "validate_generate_order": [lambda jet, p: jet.generate_orders(p)],
    "validate_merchant_sku_id": [
        lambda jet, p: jet.put_price(p, payloads.price()),
        lambda jet, p: jet.get_sku(p),
    ],
}


def _shared_cases() -> list[tuple[str, Any, str]]:
    """The sandbox engineer's bad payloads, when that module exists."""
    try:
        module = importlib.import_module("jettui.jet.sandbox.cases")
    except ImportError:
        return []
    return [c for c in getattr(module, "VALIDATION_CASES", []) if c[0] in CALLS]


CASES = [
    pytest.param(name, payload, fragment, call, id=f"{source}-{i}-{name}-{n}")
    for source, cases in (("ours", payloads.CASES), ("shared", _shared_cases()))
    for i, (name, payload, fragment) in enumerate(cases)
    for n, call in enumerate(CALLS[name])
    if name != "validate_archive" or isinstance(payload, dict)
]
BAD_SKU_IDS = ["a/b", "", " padded ", "x" * 101, "tab\tsku"]


@pytest.mark.parametrize(("name", "payload"), list(payloads.GOOD.items()))
def test_good_payloads_are_valid(name: str, payload: Any) -> None:
    # the bad cases differ from these by one rule each
    assert models.VALIDATORS[name](payload) == []


@pytest.mark.parametrize(("name", "payload", "fragment", "call"), CASES)
async def test_caught_before_sending(name: str, payload: Any, fragment: str, call: Call) -> None:
    fake = FakeJet()
    async with fake.client() as jet:
        with pytest.raises(JetValidationError) as info:
            await call(jet, payload)
    err = info.value
    assert fake.requests == []
    assert err.status is None
    assert any(fragment in m for m in err.messages), err.messages
    assert fragment in str(err)


@pytest.mark.parametrize("sku", BAD_SKU_IDS)
@pytest.mark.parametrize("call", CALLS["validate_merchant_sku_id"])
async def test_bad_sku_ids_caught_before_sending(sku: str, call: Call) -> None:
    fake = FakeJet()
    async with fake.client() as jet:
        with pytest.raises(JetValidationError, match="merchant_sku"):
            await call(jet, sku)
    assert fake.requests == []


async def test_create_refund_needs_alt_refund_id() -> None:
    fake = FakeJet()
    async with fake.client() as jet:
        with pytest.raises(JetValidationError, match="alt_refund_id"):
            await jet.create_refund(payloads.ORDER_ID, "", payloads.refund(payloads.ITEM_ID))
    assert fake.requests == []
