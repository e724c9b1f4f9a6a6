"""Loading, resolving and saving settings the way a merchant relies on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from jettui.config import (
    Secret,
    SettingsError,
    load_settings,
    redact_url,
    settings_to_dict,
    update_settings_file,
)

REPO = Path(__file__).parents[2]
SHIPPED = REPO / "settings.yaml"

# design.md's example: these names are a contract other tools rely on.
DESIGN_KEYS = {
    "jet": {"api_url", "email", "api_user", "api_secret", "fulfillment_node_id"},
    "store": {"database", "table_prefix", "store_id", "language_id"},
    "pricing": {"increment_type", "increment_amount"},
    "orders": {"customer_email", "auto_acknowledge", "acknowledge_within_minutes"},
    "returns": {"address1", "address2", "city", "state", "postcode"},
    "cron": {"fetch_orders", "fetch_errors", "fetch_returns", "acknowledge", "product_status"},
    "log": {"enabled"},
}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JETTUI_CONFIG", raising=False)
    monkeypatch.delenv("JETTUI_JET_API_SECRET", raising=False)


def write(tmp_path: Path, text: str, name: str = "settings.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_shipped_settings_hold_every_design_key_and_load() -> None:
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for section, keys in DESIGN_KEYS.items():
        assert keys <= set(raw[section]), section
    settings = load_settings(SHIPPED)
    assert settings.jet.is_sandbox
    assert settings.store.is_sqlite
    assert settings.returns.postcode == "84047"


def test_relative_paths_resolve_against_the_settings_folder(tmp_path: Path) -> None:
    sub = tmp_path / "conf"
    sub.mkdir()
    path = write(sub, "store:\n  database: sqlite:///data/shop.db\nsandbox:\n  state_file: sb.db\n")
    settings = load_settings(path)
    assert settings.store.database == f"sqlite:///{sub / 'data' / 'shop.db'}"
    assert settings.sandbox.state_file == str(sub / "sb.db")


def test_config_env_variable_is_used_when_no_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "jet:\n  api_user: from-env-file\n")
    monkeypatch.setenv("JETTUI_CONFIG", str(path))
    assert load_settings().jet.api_user == "from-env-file"
    other = write(tmp_path, "jet:\n  api_user: from-flag\n", "other.yaml")
    assert load_settings(other).jet.api_user == "from-flag"


def test_secret_from_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "jet:\n  api_secret: in-file\n")
    monkeypatch.setenv("JETTUI_JET_API_SECRET", "from-env")
    assert load_settings(path).jet.api_secret.reveal() == "from-env"


def test_secret_file_relative_to_settings(tmp_path: Path) -> None:
    secret = tmp_path / "jet.secret"
    secret.write_text("s3cr3t-value\n", encoding="utf-8")
    secret.chmod(0o600)
    settings = load_settings(write(tmp_path, "jet:\n  api_secret_file: jet.secret\n"))
    assert settings.jet.api_secret.reveal() == "s3cr3t-value"
    assert settings.warnings == ()


def test_readable_secret_file_warns(tmp_path: Path) -> None:
    secret = tmp_path / "jet.secret"
    secret.write_text("s3cr3t-value", encoding="utf-8")
    secret.chmod(0o644)
    settings = load_settings(write(tmp_path, "jet:\n  api_secret_file: jet.secret\n"))
    assert any("readable by group/others" in w and "chmod 600" in w for w in settings.warnings)


def test_real_secret_in_world_readable_settings_warns(tmp_path: Path) -> None:
    path = write(tmp_path, "jet:\n  api_url: https://jet.example/api\n  api_secret: real\n")
    path.chmod(0o644)
    assert any("readable by group/others" in w for w in load_settings(path).warnings)
    path.chmod(0o600)
    assert load_settings(path).warnings == ()


def test_secrets_never_show_in_repr_or_dict(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "jet:\n  api_secret: hunter2hunter2\nstore:\n  database: mysql://shop:dbpass99@127.0.0.1:3306/oc\n",
    )
    settings = load_settings(path)
    shown = repr(settings) + str(settings_to_dict(settings))
    assert "hunter2hunter2" not in shown
    assert "dbpass99" not in shown
    assert "dbpass99" not in settings.store.database_display
    assert repr(Secret("x")) == "Secret('********')"


def test_redact_url_keeps_user_and_host() -> None:
    assert redact_url("mysql://shop:pw@db.local:3306/oc") == "mysql://shop:***@db.local:3306/oc"
    assert redact_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_update_keeps_comments_and_validates(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0o640)
    settings = update_settings_file(
        path,
        {"returns.postcode": "07030", "orders.auto_acknowledge": True, "jet.api_user": "shop 1"},
    )
    assert settings.returns.postcode == "07030"
    text = path.read_text(encoding="utf-8")
    assert "# ISO code of the state" in text  # comments survive
    assert load_settings(path).orders.auto_acknowledge is True
    assert load_settings(path).jet.api_user == "shop 1"
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)


def test_update_refuses_bad_value_and_leaves_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    original = SHIPPED.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        update_settings_file(path, {"returns.postcode": "123", "returns.state": "Utah"})
    assert len(caught.value.problems) == 2
    assert path.read_text(encoding="utf-8") == original
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_update_adds_missing_key_to_its_section(tmp_path: Path) -> None:
    path = write(tmp_path, "jet:\n  api_user: a\n\nstore:\n  table_prefix: oc_\n")
    settings = update_settings_file(path, {"jet.concurrency": 2, "tui.theme": "jettui-16"})
    assert settings.jet.concurrency == 2
    assert settings.tui.theme == "jettui-16"
    assert settings.store.table_prefix == "oc_"


def test_keymap_maps_binding_ids_to_keys(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "tui:\n  keymap:\n    help: f1\n    quit: ctrl+x\n"))
    assert dict(settings.tui.keymap) == {"help": "f1", "quit": "ctrl+x"}
    assert settings_to_dict(settings)["tui"]["keymap"] == {"help": "f1", "quit": "ctrl+x"}
    with pytest.raises(SettingsError) as caught:
        load_settings(write(tmp_path, "tui:\n  keymap: [f1]\n", "bad.yaml"))
    assert "tui.keymap: must be a mapping of binding id to keys" in caught.value.problems[0]


def test_field_map_is_a_mapping_of_jet_field_to_source(tmp_path: Path) -> None:
    text = 'catalog:\n  field_map:\n    upc: jan\n    brand: "attribute:Brand"\n'
    settings = load_settings(write(tmp_path, text))
    assert dict(settings.catalog.field_map) == {"upc": "jan", "brand": "attribute:Brand"}
    assert settings_to_dict(settings)["catalog"]["field_map"] == dict(settings.catalog.field_map)
    # every entry commented out below the key: the defaults, not an error
    assert load_settings(write(tmp_path, "catalog:\n  field_map:\n")).catalog.field_map == ()
    with pytest.raises(SettingsError) as caught:
        load_settings(write(tmp_path, "catalog:\n  field_map: [upc]\n", "list.yaml"))
    assert caught.value.problems == [
        "list.yaml: catalog.field_map: must be a mapping of Jet field to OpenCart source, "
        'e.g. upc: jan (use "none" for nothing)'
    ]
    with pytest.raises(SettingsError) as caught:
        bad = "catalog:\n  field_map: {titel: meta_title, ean: upcc}\n"
        load_settings(write(tmp_path, bad, "bad.yaml"))
    assert caught.value.problems == [
        "bad.yaml: catalog.field_map: ean: unknown OpenCart source 'upcc' (did you mean 'upc'?); "
        "unknown Jet field 'titel' (did you mean 'title'?)"
    ]
