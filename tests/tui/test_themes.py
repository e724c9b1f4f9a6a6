"""Themes: the YAML files and the built-in copy agree; jettui-16 survives a 16-colour terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rich.color import Color, ColorSystem
from rich.color_triplet import ColorTriplet
from textual.app import App

from jettui.tui import themes
from jettui.tui.themes import (
    BUILTIN_DEFINITIONS,
    THEMES_DIR,
    load_themes,
    pick_theme,
    terminal_colours,
    theme_from_definition,
)

ANSI16 = {
    "#000000", "#aa0000", "#00aa00", "#aa5500", "#0000aa", "#aa00aa", "#00aaaa", "#aaaaaa",
    "#555555", "#ff5555", "#55ff55", "#ffff55", "#5555ff", "#ff55ff", "#55ffff", "#ffffff",
}  # fmt: skip


def test_theme_files_match_the_builtin_fallback() -> None:
    for name, definition in BUILTIN_DEFINITIONS.items():
        on_disk = yaml.safe_load((THEMES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        assert on_disk == definition, f"themes/{name}.yaml and themes.py disagree"


def test_missing_folder_falls_back_to_builtin_themes(tmp_path: Path) -> None:
    loaded, problems = load_themes(tmp_path / "not-there")
    assert {"jettui", "jettui-16"} <= set(loaded)
    assert problems == []


def test_broken_theme_file_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("name: bad\ncolors: {}\n", encoding="utf-8")
    loaded, problems = load_themes(tmp_path)
    assert "bad" not in loaded and "jettui" in loaded
    assert problems == ["bad.yaml: 'colors' must be a mapping with at least 'primary'"]


def test_jettui16_uses_only_the_16_ansi_colours() -> None:
    definition = BUILTIN_DEFINITIONS["jettui-16"]
    for key, value in {**definition["colors"], **definition["variables"]}.items():
        if value.startswith("#"):
            assert value.lower() in ANSI16, f"{key}={value} is not one of the 16 ANSI colours"


def _standard(hex_colour: str) -> int:
    triplet = ColorTriplet(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))
    return Color.from_triplet(triplet).downgrade(ColorSystem.STANDARD).number


def test_jettui16_layers_stay_distinct_after_downsampling() -> None:
    app = App()
    theme = theme_from_definition(BUILTIN_DEFINITIONS["jettui-16"])
    app.register_theme(theme)
    app.theme = "jettui-16"
    variables = app.get_css_variables()
    layers = {
        name: _standard(variables[name]) for name in ("background", "surface", "panel", "primary")
    }
    assert len(set(layers.values())) == 4, layers


@pytest.mark.parametrize(
    ("environ", "colours"),
    [
        ({"TERM": "xterm"}, 16),
        ({"TERM": "xterm-256color"}, 256),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, 1 << 24),
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, 16),
    ],
)
def test_terminal_colours(environ: dict[str, str], colours: int) -> None:
    assert terminal_colours(environ) == colours


def test_default_theme_becomes_jettui16_on_a_16_colour_terminal() -> None:
    available = {"jettui": 1, "jettui-16": 1, "nord": 1}
    assert pick_theme("jettui", available, {"TERM": "xterm"}) == ("jettui-16", None)
    assert pick_theme("jettui", available, {"TERM": "xterm-256color"}) == ("jettui", None)
    assert pick_theme("nord", available, {"TERM": "xterm"}) == ("nord", None)
    name, warning = pick_theme("nope", available, {"COLORTERM": "truecolor"})
    assert name == themes.DEFAULT_THEME and warning and "nope" in warning
