"""tui.keymap remaps any binding by its id, e.g. the help screen to F2."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console

from jettui.config import Settings
from jettui.tui.app import JettuiApp
from jettui.tui.screens.help import HelpScreen


def app_with_keymap(tmp_path, **keymap: str) -> JettuiApp:
    base = Settings()
    return JettuiApp(
        replace(
            base,
            store=replace(base.store, database=f"sqlite:///{tmp_path / 'store.db'}"),
            tui=replace(base.tui, keymap=tuple(keymap.items())),
        )
    )


async def test_keymap_setting_remaps_help(tmp_path) -> None:
    app = app_with_keymap(tmp_path, help="f2")
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)  # "?" no longer opens help
        await pilot.press("f2")
        assert isinstance(app.screen, HelpScreen)


async def test_help_shows_remapped_keys_and_binding_ids(tmp_path) -> None:
    app = app_with_keymap(tmp_path, go="f5")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        console = Console(width=100, color_system=None)
        with console.capture() as capture:
            for widget in app.screen.query(".help-keys"):
                console.print(widget.content)
        line = next(row for row in capture.get().splitlines() if "Go to" in row)
        assert line.split()[0].lower() == "f5"  # the remapped key, not ctrl+g
        assert line.split()[-1] == "go"  # the binding id tui.keymap remaps it by
