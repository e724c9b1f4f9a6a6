"""Saving settings never changes another setting, whatever the file's layout.

The configuration screen saves through :func:`update_settings_file`. A regex editor used to
append a second ``jet:`` block to a flow-style section (``jet: {api_url: ..., ...}``); the
later block won and ``api_url`` silently went back to ``sandbox``.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

from jettui.config import (
    SECTIONS,
    Secret,
    SettingsError,
    load_settings,
    parse_settings,
    settings_to_dict,
    update_settings_file,
)

SHIPPED = (Path(__file__).parents[2] / "settings.yaml").read_text(encoding="utf-8")

# A valid new value for each text setting; numbers and switches are derived from the default.
NEW_TEXT = {
    "jet.api_url": "https://merchant-api.jet.com/api",
    "jet.email": "shop@example.org",
    "jet.api_user": "shop-user",
    "jet.api_secret": "a-new-secret-123",
    "jet.fulfillment_node_id": "node-9",
    "sandbox.state_file": "other-state.db",
    "store.database": "sqlite:///other-store.db",
    "store.table_prefix": "shop_",
    "store.url": "https://shop.example.org/",
    "store.image_dir": "/srv/shop/image",  # absolute: resolving leaves it as it is
    "pricing.increment_type": "fixed",
    "catalog.renamed_sku": "move",
    "orders.customer_email": "orders@example.org",
    "returns.address1": "1 Main Street",
    "returns.address2": "",
    "returns.city": "Provo",
    "returns.state": "NY",
    "returns.postcode": "07030",  # must stay text: leading zero
    "tui.theme": "jettui-16",
    "log.file": "jettui.log",
}
# Not edited one by one: set in the file only (api_secret_file excludes api_secret).
SKIPPED = {"jet.api_secret_file", "tui.keymap", "catalog.field_map"}


def new_value(dotted: str, default: Any) -> Any:
    if dotted in NEW_TEXT:
        return NEW_TEXT[dotted]
    if dotted in ("sandbox.error_rate", "sandbox.lost_answer_rate"):
        return 0.25
    if isinstance(default, bool):
        return not default
    if isinstance(default, int):
        return default + 3
    if isinstance(default, float):
        return 45 if dotted == "jet.timeout_seconds" else default + 1.5
    raise AssertionError(f"no new value for {dotted}")


def every_change() -> dict[str, Any]:
    changes = {}
    for section, cls in SECTIONS.items():
        for f in fields(cls):
            dotted = f"{section}.{f.name}"
            if dotted not in SKIPPED:
                changes[dotted] = new_value(dotted, getattr(cls(), f.name))
    return changes


def _flow(section: str, values: dict[str, Any]) -> str:
    inner = ", ".join(
        f"{key}: {yaml.safe_dump(value).splitlines()[0]}" for key, value in values.items()
    )
    return f"{section}: {{{inner}}}"


def flow_style() -> str:
    """The shipped settings with every section in flow style, comments between them."""
    raw = yaml.safe_load(SHIPPED)
    lines = ["# every section in flow style"]
    for section, values in raw.items():
        lines.append(f"# the {section} section")
        lines.append(_flow(section, values) + f"  # end of {section}")
    return "\n".join(lines) + "\n"


LAYOUTS = {
    "block-with-comments": SHIPPED,
    "flow-style": flow_style(),
    "empty-file": "",
    "empty-sections": "".join(f"{section}:\n" for section in SECTIONS),
}


def comments(text: str) -> list[str]:
    return [line[line.index("#") :].strip() for line in text.splitlines() if "#" in line]


def dumped(settings: Any) -> dict[str, Any]:
    data = settings_to_dict(settings, reveal=True)
    return data


@pytest.mark.parametrize("layout", LAYOUTS, ids=list(LAYOUTS))
def test_saving_every_key_one_by_one_reloads_to_the_same_values(
    tmp_path: Path, layout: str
) -> None:
    path = tmp_path / "settings.yaml"
    original = LAYOUTS[layout]
    path.write_text(original, encoding="utf-8")
    path.chmod(0o600)
    changes = every_change()
    for dotted, value in changes.items():
        update_settings_file(path, {dotted: value})

    # The same values written plainly, in the same folder (relative paths resolve alike).
    plain: dict[str, dict[str, Any]] = {}
    for dotted, value in changes.items():
        section, _, key = dotted.partition(".")
        plain.setdefault(section, {})[key] = value
    expected_path = tmp_path / "expected.yaml"
    expected_path.write_text(yaml.safe_dump(plain), encoding="utf-8")
    expected = dumped(load_settings(expected_path))

    reloaded = dumped(load_settings(path))
    assert reloaded == expected
    assert reloaded["jet"]["api_url"] == "https://merchant-api.jet.com/api"
    assert reloaded["returns"]["postcode"] == "07030"
    text = path.read_text(encoding="utf-8")
    for comment in comments(original):
        assert comment in text, f"comment lost: {comment}"
    assert text.count("\njet:") + text.startswith("jet:") <= 1  # never a second jet: block


def test_flow_style_section_keeps_its_other_keys(tmp_path: Path) -> None:
    """The reported case: flow-style jet section, saving jet.email."""
    path = tmp_path / "settings.yaml"
    path.write_text(
        "jet: {api_url: https://merchant-api.jet.com/api, api_user: shop, api_secret: s3cret-x}\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    settings = update_settings_file(path, {"jet.email": "me@example.org"})
    assert settings.jet.api_url == "https://merchant-api.jet.com/api"
    assert settings.jet.email == "me@example.org"
    assert load_settings(path).jet.api_user == "shop"
    assert path.read_text(encoding="utf-8").count("jet:") == 1


def test_whole_number_saved_to_a_number_setting_is_written_plainly(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("jet:\n  timeout_seconds: 30   # seconds\n", encoding="utf-8")
    update_settings_file(path, {"jet.timeout_seconds": 45.0, "pricing.increment_amount": 2.5})
    text = path.read_text(encoding="utf-8")
    assert "timeout_seconds: 45   # seconds" in text
    assert "45.0" not in text
    assert "increment_amount: 2.5" in text
    assert load_settings(path).jet.timeout_seconds == 45.0


def test_a_secret_is_saved_as_its_value(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("jet:\n  api_user: a\n", encoding="utf-8")
    path.chmod(0o600)
    update_settings_file(path, {"jet.api_secret": Secret("s3cret: with # and 'quotes'")})
    assert load_settings(path).jet.api_secret.reveal() == "s3cret: with # and 'quotes'"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("jet:\n  api_user: a\nstore:\n  store_id: 0\njet:\n  api_user: b\n", "'jet'"),
        ("jet:\n  api_user: a\n  api_user: b\n", "'api_user'"),
        ("jet: {api_url: sandbox, api_url: https://merchant-api.jet.com/api}\n", "'api_url'"),
    ],
    ids=["top-level", "in-a-section", "in-a-flow-section"],
)
def test_a_key_given_twice_is_refused(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings(text, tmp_path / "settings.yaml")
    (problem,) = caught.value.problems
    assert key in problem and "twice" in problem
    # ...and the editor refuses to edit such a file rather than pick one of the two.
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError):
        update_settings_file(path, {"jet.email": "x@example.org"})
    assert path.read_text(encoding="utf-8") == text


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Type problems and rule problems together, not the rules only once the types are fixed."""
    text = (
        "jet:\n  concurrency: many\n  email: nobody\n"
        "returns:\n  postcode: 84047\n  state: Utah\n"
        "cron:\n  fetch_orders: -1\n"
        "colours: {}\n"
    )
    with pytest.raises(SettingsError) as caught:
        parse_settings(text, tmp_path / "settings.yaml")
    problems = "\n".join(caught.value.problems)
    assert len(caught.value.problems) == 6, problems
    for fragment in (
        "jet.concurrency: must be a whole number",
        "jet.email",
        "returns.postcode: must be text",
        "returns.state",
        "cron.fetch_orders: must not be negative",
        "unknown section 'colours'",
    ):
        assert fragment in problems
