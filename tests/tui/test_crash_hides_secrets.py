"""A crash inside the dashboard prints a traceback without local variables or secrets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jettui.config import Secret, Settings
from jettui.tui.app import JettuiApp


async def test_crash_traceback_has_no_locals_and_no_secret(tmp_path, capsys) -> None:
    base = Settings()
    settings = replace(
        base,
        jet=replace(base.jet, api_secret=Secret("Sup3rSecretJet")),
        store=replace(base.store, database=f"sqlite:///{tmp_path / 'store.db'}"),
    )
    app = JettuiApp(settings)

    def explode() -> None:
        connection_url = "mysql://shop:Sup3rSecretJet@db/oc"  # a local the old traceback showed
        raise RuntimeError(f"could not use {connection_url}")

    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            app.call_later(explode)
            await pilot.pause()
    rendered = capsys.readouterr().err  # Textual prints the crash on exit
    assert "RuntimeError" in rendered
    assert "Sup3rSecretJet" not in rendered
    assert "─ locals ─" not in rendered  # no table of local variables
