"""services/ids.py on SQLite and MariaDB: the full id, the reference id or an unambiguous
prefix (LIKE's wildcards are plain characters here); several or none is one line."""

from __future__ import annotations

import pytest

from jettui.errors import UsageError
from jettui.services.ids import AmbiguousId, UnknownId, order_filter_id, resolve_order_id


def _orders() -> None:
    from jettui.store.jet_tables import JetOrder

    for jet_id, reference in (
        ("a1b2c3d4e5f60001", "100000000001"),
        ("a1b2c3d4e5f60002", "100000000002"),
        ("b_%x", "200000000001"),
        ("bqzx", "300000000001"),
    ):
        JetOrder.create(merchant_order_id=jet_id, reference_order_id=reference)


def test_an_order_is_named_by_id_reference_or_prefix(oc_db) -> None:
    _orders()
    assert resolve_order_id("a1b2c3d4e5f60001") == "a1b2c3d4e5f60001"
    assert resolve_order_id(" a1b2c3d4e5f60002 ") == "a1b2c3d4e5f60002"
    assert resolve_order_id("100000000002") == "a1b2c3d4e5f60002"  # Jet's reference id
    assert resolve_order_id("20000") == "b_%x"  # a reference id's start
    assert resolve_order_id("b_") == "b_%x"  # "_" is no wildcard: bqzx is not a candidate
    assert resolve_order_id("b_%…") == "b_%x"  # the grid's cut id, ellipsis and all
    with pytest.raises(AmbiguousId) as ambiguous:
        resolve_order_id("a1b2c3d4e")
    assert str(ambiguous.value) == (
        "'a1b2c3d4e' is the start of 2 Jet order ids (a1b2c3d4e5f60001, a1b2c3d4e5f60002): "
        "give more of it"
    )
    assert ambiguous.value.candidates == ["a1b2c3d4e5f60001", "a1b2c3d4e5f60002"]
    with pytest.raises(UnknownId, match="^no Jet order 'zz' in jettui: fetch orders first$"):
        resolve_order_id("zz")
    for error in (AmbiguousId, UnknownId):  # exit 2, and a LookupError for callers
        assert issubclass(error, UsageError) and issubclass(error, LookupError)
    # the logs filter keeps text naming no order (events about orders never recorded)
    assert order_filter_id("O-7") == "O-7"
    assert order_filter_id("3000") == "bqzx"
