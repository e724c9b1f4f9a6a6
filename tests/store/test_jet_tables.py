"""jettui's own tables: creation, JSON columns, locks, event log, migrations."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import peewee as pw
import pytest

from jettui.store import LockBusy, StoreSchemaError, ensure_jet_tables, recognise_store
from jettui.store import jet_tables as jt
from jettui.store.base import JET_MODELS, is_mysql
from jettui.store.text import utcnow


@pytest.fixture
def jet(store):
    ensure_jet_tables(store)
    return store


def test_tables_created_with_prefix(jet, backend):
    tables = set(jet.get_tables())
    for model in JET_MODELS:
        assert model._meta.table_name == "oc_" + model.base_table
        assert model._meta.table_name in tables
    assert jt.schema_version(jet) == jt.SCHEMA_VERSION
    assert ensure_jet_tables(jet) == jt.SCHEMA_VERSION  # idempotent
    assert recognise_store(jet).jet_schema_version == jt.SCHEMA_VERSION
    if backend == "mariadb":
        rows = jet.execute_sql(
            "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'oc\\_jet\\_%%'"
        ).fetchall()
        assert len(rows) == len(JET_MODELS)
        assert {r[1] for r in rows} == {"InnoDB"}
        assert all(r[2].startswith("utf8mb4") for r in rows)


def test_product_link_round_trip(jet):
    sku = f"SKU-{utcnow().timestamp()}-🎉"
    link = jt.JetProduct.create(
        product_id=30,
        product_option_value_id=15,
        merchant_sku=sku,
        overrides={
            "brand": "Canon & Co",
            "standard_code": "012345678905",
            "attributes": {"1": "x"},
        },
    )
    back = jt.JetProduct.get(jt.JetProduct.merchant_sku == sku)  # 4-byte chars fine: utf8mb4
    assert back.id == link.id
    assert back.overrides["brand"] == "Canon & Co"
    assert back.sub_statuses == [] and back.is_archived is False and back.status == "Not Uploaded"
    assert isinstance(back.created_at, dt.datetime)
    with pytest.raises(pw.IntegrityError), jet.atomic():
        jt.JetProduct.create(product_id=31, merchant_sku=sku)
    with pytest.raises(pw.IntegrityError), jet.atomic():
        jt.JetProduct.create(product_id=30, product_option_value_id=15, merchant_sku=sku + "-2")


def test_order_ledger_and_other_links(jet):
    moid = f"jet-{utcnow().timestamp()}"
    row = jt.JetOrder.create(merchant_order_id=moid, raw={"order_items": [{"merchant_sku": "A"}]})
    assert row.state == "intent" and row.order_id == 0
    jt.JetOrder.update(state="written", order_id=123).where(jt.JetOrder.id == row.id).execute()
    assert jt.JetOrder.get_by_id(row.id).state == "written"
    assert jt.JetOrder.get_by_id(row.id).raw["order_items"][0]["merchant_sku"] == "A"
    jt.JetRefund.create(merchant_order_id=moid, amount=Decimal("12.34"), items=[{"sku": "A"}])
    jt.JetReturn.create(merchant_return_authorization_id=f"ret-{moid}", merchant_order_id=moid)
    jt.JetCategory.create(
        category_id=10_000 + row.id, jet_node_id=4_000_000_123, node_name="Cameras"
    )
    f = jt.JetFile.create(
        file_type="MerchantSKUs", payload={"SKU": {"product_title": "x" * 70_000}}
    )
    assert len(jt.JetFile.get_by_id(f.id).payload["SKU"]["product_title"]) == 70_000
    run = jt.JetJobRun.create(job="fetch-orders")
    assert run.result == "running"


def test_event_log_redacts_secrets(jet):
    event = jt.log_event(
        "api",
        "POST /token with Authorization: Bearer abc.def.ghi",
        ref="token",
        detail={
            "user": "jetuser",
            "pass": "s3cret",
            "api_secret": "s3cret",
            "nested": [{"id_token": "t"}],
        },
    )
    back = jt.JetEvent.get_by_id(event.id)
    assert "abc.def.ghi" not in back.message and "Bearer ***" in back.message
    assert back.detail == {
        "user": "jetuser",
        "pass": "***",
        "api_secret": "***",
        "nested": [{"id_token": "***"}],
    }


def test_events_written_in_bulk_keep_their_order_and_are_redacted(jet):
    rows = [
        {"kind": "api", "message": f"GET /orders/{n}", "level": "info", "ref": f"o{n}",
         "detail": {"token": "t", "n": n}}
        for n in range(450)  # more than one multi-row INSERT
    ]  # fmt: skip
    rows[7]["message"] = "Bearer abc.def.ghi"
    before = jt.JetEvent.select(pw.fn.MAX(jt.JetEvent.id)).scalar() or 0
    jt.log_events(rows)
    back = list(jt.JetEvent.select().where(jt.JetEvent.id > before).order_by(jt.JetEvent.id))
    assert [e.ref for e in back] == [f"o{n}" for n in range(450)]
    assert back[7].message == "Bearer ***"
    assert all(e.detail == {"token": "***", "n": n} for n, e in enumerate(back))


def test_lock_acquire_release_exclusive(jet):
    name = f"test-lock-{utcnow().timestamp()}"
    assert jt.acquire_lock(name, "cron:1", ttl_seconds=60)
    assert not jt.acquire_lock(name, "tui:2", ttl_seconds=60)
    assert jt.acquire_lock(name, "cron:1", ttl_seconds=60)  # re-entrant refresh
    assert jt.lock_holder(name) == "cron:1"
    assert not jt.release_lock(name, "tui:2")
    assert jt.release_lock(name, "cron:1")
    assert jt.lock_holder(name) is None
    assert jt.acquire_lock(name, "tui:2", ttl_seconds=60)
    assert jt.release_lock(name, "tui:2")


def test_expired_lock_can_be_taken_over(jet):
    name = f"test-expiry-{utcnow().timestamp()}"
    assert jt.acquire_lock(name, "old", ttl_seconds=60)
    jt.JetLock.update(expires_at=utcnow() - dt.timedelta(seconds=5)).where(
        jt.JetLock.name == name
    ).execute()
    assert jt.lock_holder(name) is None
    assert jt.acquire_lock(name, "new", ttl_seconds=60)
    assert jt.lock_holder(name) == "new"
    assert not jt.release_lock(name, "old")


def test_hold_lock_context_manager(jet):
    name = f"test-hold-{utcnow().timestamp()}"
    with jt.hold_lock(name, "first", ttl_seconds=30):
        with pytest.raises(LockBusy) as err, jt.hold_lock(name, "second"):
            pass
        assert err.value.holder == "first"
    assert jt.lock_holder(name) is None


def test_lock_race_between_threads(jet):
    """Eight threads, each with its own connection, race for one lock: exactly one wins."""
    name = f"test-race-{utcnow().timestamp()}"
    barrier = threading.Barrier(8)
    results: dict[int, bool] = {}
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = jt.acquire_lock(name, f"worker-{i}", ttl_seconds=60)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            jet.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert sorted(results.values()) == [False] * 7 + [True]
    winner = next(i for i, ok in results.items() if ok)
    assert jt.lock_holder(name) == f"worker-{winner}"


def test_migration_runs_pending_steps_once(jet, monkeypatch):
    calls = []
    extra = pw.CharField(32, default="", null=False)

    def add_note(ctx: jt.MigrationContext) -> None:
        calls.append(ctx.table(jt.JetEvent))
        ctx.add_column(jt.JetEvent, "note_v2", extra)
        ctx.add_column(jt.JetEvent, "note_v2", extra)  # idempotent helper

    base = jt.SCHEMA_VERSION
    steps = [*jt.MIGRATIONS, jt.Migration(base + 1, "event note", add_note)]
    monkeypatch.setattr(jt, "MIGRATIONS", steps)
    try:
        assert ensure_jet_tables(jet) == base + 1
        assert ensure_jet_tables(jet) == base + 1
        assert calls == ["oc_jet_event"]
        assert "note_v2" in {c.name for c in jet.get_columns("oc_jet_event")}
        versions = [
            v.version for v in jt.JetSchemaVersion.select().order_by(jt.JetSchemaVersion.version)
        ]
        assert versions[-1] == base + 1
        assert jt.lock_holder(jt.MIGRATION_LOCK) is None
    finally:
        # put the shared session database back at the real version
        jt.JetSchemaVersion.delete().where(jt.JetSchemaVersion.version > base).execute()
        q = "`" if is_mysql(jet) else '"'
        jet.execute_sql(f"ALTER TABLE {q}oc_jet_event{q} DROP COLUMN {q}note_v2{q}")


def test_newer_schema_is_refused(jet):
    jt.JetSchemaVersion.create(version=jt.SCHEMA_VERSION + 50, description="from the future")
    try:
        with pytest.raises(StoreSchemaError, match="newer than this jettui"):
            ensure_jet_tables(jet)
    finally:
        jt.JetSchemaVersion.delete().where(
            jt.JetSchemaVersion.version > jt.SCHEMA_VERSION
        ).execute()


def test_fresh_database_gets_latest_version(tmp_path):
    from jettui.store import connect_url

    db = connect_url(f"sqlite:///{tmp_path / 'jet-only.db'}", "z_")
    assert jt.schema_version(db) == 0
    assert ensure_jet_tables(db) == jt.SCHEMA_VERSION
    assert set(db.get_tables()) == {m._meta.table_name for m in JET_MODELS}
    assert all(name.startswith("z_jet_") for name in db.get_tables())
    db.close()


def test_lock_of_a_crashed_process_is_taken_over(jet):
    import socket
    import subprocess
    import sys

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    dead_holder = f"{socket.gethostname()}:{ended.pid}:cron"
    name = f"test-crashed-{utcnow().timestamp()}"
    assert jt.acquire_lock(name, dead_holder, 3600)
    assert jt.acquire_lock(name, "me", 60)  # no hour-long wait after a crash
    assert jt.lock_holder(name) == "me"


def test_lock_of_a_live_process_or_other_host_is_respected(jet):
    import os
    import socket

    alive = f"{socket.gethostname()}:{os.getpid()}:tui"
    name = f"test-live-{utcnow().timestamp()}"
    assert jt.acquire_lock(name, alive, 3600)
    assert not jt.acquire_lock(name, "someone-else", 60)
    jt.release_lock(name, alive)
    remote = name + "-remote"
    assert jt.acquire_lock(remote, "elsewhere.example:1:cron", 3600)  # another host: can't tell
    assert not jt.acquire_lock(remote, "me", 60)


def test_events_collected_on_a_thread_are_written_at_the_end_of_the_block(jet):
    before = jt.JetEvent.select(pw.fn.MAX(jt.JetEvent.id)).scalar() or 0
    with jt.collected_events():
        for n in range(3):
            jt.log_event("order", f"imported {n}", ref=f"o{n}", detail={"token": "t"})
        assert jt.JetEvent.select().where(jt.JetEvent.id > before).count() == 0
    back = list(jt.JetEvent.select().where(jt.JetEvent.id > before).order_by(jt.JetEvent.id))
    assert [e.ref for e in back] == ["o0", "o1", "o2"]
    assert all(e.detail == {"token": "***"} for e in back)


def test_a_failing_block_still_writes_its_events_and_its_error_is_the_one_raised(jet):
    before = jt.JetEvent.select(pw.fn.MAX(jt.JetEvent.id)).scalar() or 0
    with pytest.raises(ValueError, match="the block's own"), jt.collected_events():
        jt.log_event("order", "imported before the failure", ref="o9")
        raise ValueError("the block's own error")
    assert [e.ref for e in jt.JetEvent.select().where(jt.JetEvent.id > before)] == ["o9"]
