"""`categories create` on MyISAM (no rollback): a crash between its inserts is completed by the
re-run — one category, complete and mapped, never a second one (issue 7, item 5)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from jettui.services import categories as cat
from jettui.store import jet_tables as jt
from jettui.store import opencart as oc
from jettui.store.db import connect, ensure_jet_tables

from .conftest import COOKWARE

NAME = "Crash Test Cookware"


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler catches it."""


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def store(request, make_settings) -> Iterator[tuple[Any, Any]]:
    url = request.getfixturevalue("mariadb_url") if request.param == "mariadb" else None
    settings = make_settings(database=url) if url else make_settings()
    db = connect(settings)
    ensure_jet_tables(db)
    assert asyncio.run(cat.refresh_taxonomy(settings, db)).ok
    yield settings, db
    db.close()


def _crash_on(monkeypatch: pytest.MonkeyPatch, target: Any, name: str) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise Crash(name)

    monkeypatch.setattr(target, name, crash)


CRASH_POINTS = [
    pytest.param(lambda: (oc.CategoryDescription, "create"), id="after-category-row"),
    pytest.param(lambda: (oc.CategoryToStore, "create"), id="after-descriptions"),
    pytest.param(lambda: (oc, "write_category_path"), id="before-path"),
    pytest.param(lambda: (cat, "_link"), id="before-the-map"),
]


@pytest.mark.parametrize("where", CRASH_POINTS)
def test_rerun_completes_the_interrupted_category(store, monkeypatch, where) -> None:
    settings, db = store
    before = oc.Category.select().count()
    with monkeypatch.context() as patch:
        _crash_on(patch, *where())
        with pytest.raises(Crash):
            cat.create_category_and_map(db, settings, COOKWARE, name=NAME)

    result = cat.create_category_and_map(db, settings, COOKWARE, name=NAME)
    new_id = result.created["category_id"]
    assert oc.Category.select().count() == before + 1  # never a second one
    named = oc.CategoryDescription.select().where(oc.CategoryDescription.name == NAME)
    assert {d.category_id for d in named} == {new_id}
    assert oc.CategoryToStore.select().where(oc.CategoryToStore.category_id == new_id).count()
    assert oc.category_breadcrumbs(1, [new_id]) == {new_id: NAME}
    assert jt.JetCategory.get(jt.JetCategory.category_id == new_id).jet_node_id == COOKWARE
    assert "completed after an interrupted run" in result.message
    ledger = jt.JetCategoryCreation.get(jt.JetCategoryCreation.category_id == new_id)
    assert ledger.state == "done"


def test_another_create_first_completes_the_interrupted_one(store, monkeypatch) -> None:
    settings, db = store
    with monkeypatch.context() as patch:
        _crash_on(patch, oc, "write_category_path")
        with pytest.raises(Crash):
            cat.create_category_and_map(db, settings, COOKWARE, name=NAME)
    other = cat.create_category_and_map(db, settings, COOKWARE, name="Other Pans")
    assert "interrupted" not in other.message
    (first,) = [d.category_id for d in oc.CategoryDescription.select().where(
        oc.CategoryDescription.name == NAME)]  # fmt: skip
    assert oc.category_breadcrumbs(1, [first]) == {first: NAME}
    assert jt.JetCategory.get(jt.JetCategory.category_id == first).jet_node_id == COOKWARE
    assert other.created["category_id"] != first
