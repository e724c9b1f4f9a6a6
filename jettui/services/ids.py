"""The one way an order or return id typed by a merchant becomes the id jettui stores.

Every command, form and filter taking an order or a return id calls these (store thread,
models bound): the full id, the Jet reference id (``reference_order_id`` /
``reference_return_authorization_id``) or an unambiguous prefix of either — the grids show ids
cut to their column, with a trailing ``…`` that is ignored here. An id that matches nothing
raises :class:`UnknownId`; a prefix that matches several raises :class:`AmbiguousId` listing
the candidates. Both are one line, a :class:`UsageError` (exit 2) and a LookupError.
"""

from __future__ import annotations

from typing import Any

from jettui.errors import UsageError

SHOWN_CANDIDATES = 5  # an ambiguous prefix lists this many candidates, then "…"
MAX_COUNTED = 100  # more candidates than this are counted as "over 100"


class UnknownId(UsageError, LookupError):
    """No order (or return) has this id, reference id or prefix."""


class AmbiguousId(UsageError, LookupError):
    """The prefix names several orders (or returns); ``candidates`` are their full ids."""

    def __init__(self, text: str, candidates: list[str]) -> None:
        self.candidates = candidates
        super().__init__(text)


def resolve_order_id(text: str) -> str:
    """The ``merchant_order_id`` of the Jet order ``text`` names (its Jet id, its reference id
    or an unambiguous prefix of either). Raises :class:`UnknownId` / :class:`AmbiguousId`."""
    from jettui.store.jet_tables import JetOrder

    found = _resolve(
        text, JetOrder, JetOrder.merchant_order_id, JetOrder.reference_order_id, "Jet order"
    )
    if found is None:
        raise UnknownId(f"no Jet order '{text}' in jettui: fetch orders first")
    return found


def resolve_return_id(text: str) -> str:
    """The ``merchant_return_authorization_id`` of the Jet return ``text`` names (its id, its
    reference id or an unambiguous prefix). Raises :class:`UnknownId` / :class:`AmbiguousId`."""
    from jettui.store.jet_tables import JetReturn

    found = _resolve(
        text,
        JetReturn,
        JetReturn.merchant_return_authorization_id,
        JetReturn.reference_return_authorization_id,
        "Jet return",
    )
    if found is None:
        raise UnknownId(f"no Jet return '{text}' in jettui: fetch returns first")
    return found


def order_filter_id(text: str) -> str:
    """The logs filter's ``order:``: the order's full id when jettui knows it (prefix or
    reference id included); text naming no order is kept as typed (the event log also holds
    calls about orders jettui never recorded). An ambiguous prefix raises :class:`AmbiguousId`."""
    try:
        return resolve_order_id(text)
    except UnknownId:
        return text.strip()


def _resolve(text: str, model: Any, key: Any, reference: Any, noun: str) -> str | None:
    """Exact id, else exact reference id, else the one id starting with ``text`` (either)."""
    wanted = text.strip().removesuffix("…").strip()
    if not wanted:
        raise UnknownId(f"give a {noun} id")
    for field in (key, reference):
        exact = model.select(key).where(field == wanted).tuples().first()
        if exact is not None:
            return str(exact[0])
    query = (
        model.select(key)
        .where(key.startswith(wanted) | reference.startswith(wanted))
        .order_by(key)
        .limit(MAX_COUNTED + 1)
        .tuples()
    )
    candidates = [str(row[0]) for row in query]
    if len(candidates) > 1:
        count = f"over {MAX_COUNTED}" if len(candidates) > MAX_COUNTED else str(len(candidates))
        shown = ", ".join(candidates[:SHOWN_CANDIDATES])
        tail = ", …" if len(candidates) > SHOWN_CANDIDATES else ""
        raise AmbiguousId(
            f"'{wanted}' is the start of {count} {noun} ids ({shown}{tail}): give more of it",
            candidates,
        )
    return candidates[0] if candidates else None
