"""The crontab line is the one to paste (absolute jettui, absolute settings), `jettui cron
install` prints it, and `jettui cron sync` exits 75 while the products lock is held."""

from __future__ import annotations

import shlex
from pathlib import Path

from textual.widgets import Static

from jettui.cli import main
from jettui.config import Settings
from jettui.store.jet_tables import acquire_lock

from .conftest import make_app, settle


def test_cron_install_prints_the_line_to_paste(settings: Settings, capsys) -> None:
    assert main(["--config", str(settings.path), "cron", "install"]) == 0
    out = capsys.readouterr()
    (line,) = out.out.splitlines()  # stdout: the line alone, ready for a pipe
    words = shlex.split(line)
    assert words[:5] == ["*/5", "*", "*", "*", "*"]
    assert Path(words[5]).is_absolute()
    assert words[-4:] == ["--config", str(settings.path.absolute()), "cron", "due"]
    assert "crontab -e" in out.err


async def test_cron_screen_shows_the_same_line(demo_settings: Settings, capsys) -> None:
    main(["--config", str(demo_settings.path), "cron", "install"])
    line = capsys.readouterr().out.strip()
    app = make_app(demo_settings)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        hint = str(app.screen.query_one("#cron-hint", Static).render())
        assert line in hint.replace("\n", "")


def test_cron_sync_with_the_products_lock_held_exits_75(demo_settings: Settings, capsys) -> None:
    from jettui.store.db import open_store

    db = open_store(demo_settings)
    try:
        assert acquire_lock("products", "other-box:42:products upload", 600)
    finally:
        db.close()
    code = main(["--config", str(demo_settings.path), "cron", "sync"])
    assert code == 75
    assert "other-box:42" in capsys.readouterr().err
