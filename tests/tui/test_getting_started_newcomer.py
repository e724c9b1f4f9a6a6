"""The getting-started checklist begins with the extension manual's first two steps: the
configuration (ticked once the settings file holds what the manual asks for) and the API
activation (ticked once every activation step is done)."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console

from jettui.config import Settings
from jettui.services.activation import STEPS, StepResult, _event_row
from tests.pilot_support import settle

from .conftest import make_app


def guide_lines(app) -> list[str]:
    console = Console(width=80, color_system=None)
    with console.capture() as capture:
        console.print(app.screen.query_one("#getting-started").content)
    return [" ".join(line.split()) for line in capture.get().splitlines() if line.strip()]


def _activate_every_step() -> None:
    from jettui.store.jet_tables import JetEvent

    for step in STEPS:
        JetEvent.create(**_event_row(StepResult(step, "ok", "done")))


async def test_configuration_and_activation_are_the_first_two_steps(
    demo_settings: Settings,
) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = guide_lines(app)
        assert lines[1].startswith("✓ 1. Check the configuration and save it")
        assert lines[1].endswith("0, then ctrl+s")
        assert lines[2].startswith("○ 2. Activate the Jet APIs (test calls)")
        assert lines[2].endswith("ctrl+g a, then A")
        assert lines[3].startswith("○ 3. Refresh the Jet taxonomy")

        app.database()
        _activate_every_step()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert guide_lines(app)[2].startswith("✓ 2. Activate the Jet APIs")


async def test_configuration_is_not_ticked_while_a_setting_is_missing(
    demo_settings: Settings,
) -> None:
    empty_node = replace(demo_settings, jet=replace(demo_settings.jet, fulfillment_node_id=""))
    app = make_app(empty_node)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert guide_lines(app)[1].startswith("○ 1. Check the configuration")


def test_the_demo_credentials_do_not_configure_a_real_jet(demo_settings: Settings) -> None:
    from jettui.config import Secret
    from jettui.services.setup_progress import configured, missing_settings

    live = replace(demo_settings.jet, api_url="https://merchant-api.jet.com/api")
    demo_keys = replace(demo_settings, jet=replace(live, api_secret=Secret("jetsecret")))
    assert missing_settings(demo_keys) == ["jet.api_user", "jet.api_secret"]
    assert not configured(demo_keys)
    own_keys = replace(demo_settings, jet=replace(live, api_secret=Secret("partner-secret")))
    assert configured(own_keys)


async def test_an_upload_ticks_its_step_when_the_result_closes(demo_settings: Settings) -> None:
    """No ctrl+r needed: closing the upload's result re-reads the path."""
    from tests.catalog.conftest import map_all_categories

    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.database()
        map_all_categories()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert guide_lines(app)[5].startswith("○ 5. Upload products")
        await pilot.press("down", "space", "u")  # the second product: a valid one
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "1 succeeded" in app.screen.summary
        await pilot.press("y")  # closes the result
        await settle(pilot)
        assert guide_lines(app)[5].startswith("✓ 5. Upload products")
