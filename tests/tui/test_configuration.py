"""The configuration screen: edit, validate, save into the file, reload the app's settings."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from textual.widgets import Input, Label, Select, Static, Switch

from jettui.config import SECTIONS, Settings, load_settings
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.configuration import ConfigurationScreen, field_id

from .conftest import make_app


async def _open_form(pilot) -> ConfigurationScreen:
    await pilot.press("0")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ConfigurationScreen)
    return screen


async def _type_into(pilot, dotted: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#{field_id(dotted)}", Input)
    widget.focus()
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k", *text)  # home, delete to the end, type


async def test_shows_every_setting_with_the_secret_masked(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_form(pilot)
        postcode = screen.query_one(f"#{field_id('returns.postcode')}", Input)
        assert postcode.value == "84047"
        secret = screen.query_one(f"#{field_id('jet.api_secret')}", Input)
        assert secret.value == "" and secret.password
        assert "********" in secret.placeholder and "jetsecret" not in secret.placeholder
        assert isinstance(screen.query_one(f"#{field_id('log.enabled')}"), Switch)
        assert isinstance(screen.query_one(f"#{field_id('pricing.increment_type')}"), Select)
        # Every setting but the mappings (key remapping, field map) that live in the file only.
        every = [
            f"{s}.{f.name}"
            for s, cls in SECTIONS.items()
            for f in fields(cls)
            if f"{s}.{f.name}" not in ("tui.keymap", "catalog.field_map")
        ]
        for dotted in every:
            assert screen.query(f"#{field_id(dotted)}"), f"{dotted} is not in the form"
        assert len(screen.query(".field")) == len(every)


async def test_save_writes_the_file_and_reloads_settings(settings_path: Path, settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_form(pilot)
        await _type_into(pilot, "returns.city", "Salt Lake City")
        await _type_into(pilot, "jet.api_url", "https://merchant-api.jet.com/api")
        screen.query_one(f"#{field_id('log.enabled')}", Switch).value = False
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = settings_path.read_text(encoding="utf-8")
        assert "city: Salt Lake City" in text
        assert "api_url: https://merchant-api.jet.com/api" in text
        assert 'postcode: "84047"   # five digits' in text  # comments survive
        assert "jetsecret-test-1234" in text  # untouched secret kept, not replaced by a mask
        assert app.settings.returns.city == "Salt Lake City"
        assert app.settings.log.enabled is False
        assert app.sub_title.endswith("Jet merchant-api.jet.com")
        assert load_settings(settings_path).returns.city == "Salt Lake City"
        assert any("Saved 3 setting(s)" in n.message for n in app._notifications)


async def test_a_new_secret_replaces_the_old_one(settings_path: Path, settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(pilot)
        await _type_into(pilot, "jet.api_secret", "brand-new-secret")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.settings.jet.api_secret.reveal() == "brand-new-secret"
        assert "brand-new-secret" in settings_path.read_text(encoding="utf-8")
        assert not any("brand-new-secret" in n.message for n in app._notifications)


async def test_bad_postcode_is_refused_and_the_file_unchanged(
    settings_path: Path, settings
) -> None:
    before = settings_path.read_bytes()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_form(pilot)
        await _type_into(pilot, "returns.postcode", "8404")
        await _type_into(pilot, "returns.city", "Provo")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        problems = screen.query_one("#problems", Static)
        assert problems.display
        assert 'returns.postcode: must be exactly 5 digits, e.g. "84047"' in str(problems.content)
        assert any("returns.postcode" in n.message for n in app._notifications)
        assert settings_path.read_bytes() == before
        assert app.settings.returns.city == "Midvale"


async def test_cross_field_rule_from_config_is_shown(settings_path: Path, settings) -> None:
    """-150 is a number (the form accepts it) but config refuses a percent increment ≤ -100."""
    before = settings_path.read_bytes()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_form(pilot)
        await _type_into(pilot, "pricing.increment_amount", "-150")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        problems = str(screen.query_one("#problems", Static).content)
        assert "pricing.increment_amount: a percent increment must be above -100" in problems
        assert settings_path.read_bytes() == before


async def test_saved_settings_reach_the_other_panels(settings_path: Path, demo_settings) -> None:
    """Switching cron.fetch_orders off shows on the cron panel without a restart; theme too."""
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("8")
        await app.workers.wait_for_complete()
        await _open_form(pilot)
        await _type_into(pilot, "cron.fetch_orders", "0")
        app.screen.query_one(f"#{field_id('tui.theme')}", Select).value = "jettui-16"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.theme == "jettui-16"
        await pilot.press("escape", "8")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        rows = dict(app.screen.query_one(GridTable).source.fetch("", None, False, 0, 10))
        assert rows["fetch-orders"][1] == "off"


# --- secrets, switches, numbers (issues 7 and 11) --------------------------------------------

DB_PASSWORD = "Db-S3cret-99"


def _with_mysql(settings_path: Path) -> Settings:
    """The test settings pointing at a MySQL store that is not there (port 1 refuses)."""
    text = settings_path.read_text(encoding="utf-8").replace(
        "database: sqlite:///demo-store.db",
        f"database: mysql://shop:{DB_PASSWORD}@127.0.0.1:1/opencart",
    )
    settings_path.write_text(text, encoding="utf-8")
    return load_settings(settings_path)


async def _save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_saving_another_change_keeps_the_database_password(settings_path: Path) -> None:
    app = make_app(_with_mysql(settings_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_form(pilot)
        database = screen.query_one(f"#{field_id('store.database')}", Input)
        assert DB_PASSWORD not in database.value and "***" in database.value
        await _type_into(pilot, "returns.city", "Provo")
        await _save(pilot)
        assert app.settings.returns.city == "Provo"
        text = settings_path.read_text(encoding="utf-8")
        assert f"mysql://shop:{DB_PASSWORD}@127.0.0.1:1/opencart" in text
        assert "***" not in text
        assert load_settings(settings_path).store.database.endswith(
            f":{DB_PASSWORD}@127.0.0.1:1/opencart"
        )


async def test_editing_the_masked_url_keeps_the_password_unless_retyped(
    settings_path: Path,
) -> None:
    app = make_app(_with_mysql(settings_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(pilot)
        await _type_into(pilot, "store.database", "mysql://shop:***@127.0.0.2:1/opencart")
        await _save(pilot)
        text = settings_path.read_text(encoding="utf-8")
        assert f"mysql://shop:{DB_PASSWORD}@127.0.0.2:1/opencart" in text
        await _type_into(pilot, "store.database", "mysql://shop:N3w-pass@127.0.0.2:1/opencart")
        await _save(pilot)
        text = settings_path.read_text(encoding="utf-8")
        assert "mysql://shop:N3w-pass@127.0.0.2:1/opencart" in text
        assert not any("N3w-pass" in n.message for n in app._notifications)


async def test_switches_say_on_or_off_in_words(settings_path: Path, settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_form(pilot)
        state = screen.query_one(f"#{field_id('log.enabled')}-state", Label)
        assert str(state.content) == "on"
        assert (
            str(screen.query_one(f"#{field_id('returns.restock')}-state", Label).content) == "off"
        )
        screen.query_one(f"#{field_id('log.enabled')}", Switch).value = False
        await pilot.pause()
        assert str(state.content) == "off"


async def test_a_whole_number_is_saved_without_a_decimal_point(
    settings_path: Path, settings
) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(pilot)
        await _type_into(pilot, "jet.timeout_seconds", "45")
        await _save(pilot)
        text = settings_path.read_text(encoding="utf-8")
        assert "timeout_seconds: 45\n" in text
        assert "45.0" not in text
        assert app.settings.jet.timeout_seconds == 45.0


async def test_the_form_applies_the_loader_rules(settings_path: Path, settings) -> None:
    """One rule table: a concurrency the loader caps is refused by the form too."""
    before = settings_path.read_bytes()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_form(pilot)
        await _type_into(pilot, "jet.concurrency", "100000000")
        await _type_into(pilot, "sandbox.token_lifetime_seconds", "99999999999")
        await _save(pilot)
        problems = str(screen.query_one("#problems", Static).content)
        assert "jet.concurrency: must be at most 64" in problems
        assert "sandbox.token_lifetime_seconds: must be at most" in problems
        assert settings_path.read_bytes() == before


async def _change_city_then_leave_the_field(pilot) -> ConfigurationScreen:
    screen = await _open_form(pilot)
    await _type_into(pilot, "returns.city", "Provo")
    screen.query_one("#form").focus()  # out of the field (the edit stays): digits go to panels
    await pilot.pause()
    return screen


async def test_escape_with_unsaved_changes_asks_and_stay_keeps_the_edit(
    settings_path: Path, settings: Settings
) -> None:
    before = settings_path.read_text()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _change_city_then_leave_the_field(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.id == "leave-form"
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one(f"#{field_id('returns.city')}", Input).value == "Provo"
        await pilot.press("3")  # another panel: asks too
        await pilot.pause()
        assert app.screen.id == "leave-form"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
    assert settings_path.read_text() == before


async def test_leave_without_saving_leaves_and_the_file_is_unchanged(
    settings_path: Path, settings: Settings
) -> None:
    before = settings_path.read_text()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _change_city_then_leave_the_field(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "products"
        assert screen.query_one(f"#{field_id('returns.city')}", Input).value != "Provo"
        assert not screen.unsaved_changes()
    assert settings_path.read_text() == before
    assert app.settings.returns.city != "Provo"


async def test_save_then_leave_writes_the_file(settings_path: Path, settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _change_city_then_leave_the_field(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "products"
    assert load_settings(settings_path).returns.city == "Provo"


async def test_escape_without_changes_leaves_at_once(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "products"


async def test_ctrl_q_with_unsaved_changes_asks_before_quitting(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _change_city_then_leave_the_field(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.screen.id == "leave-form"
        await pilot.press("escape")  # stay: still running, the edit kept
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert screen.unsaved_changes()
