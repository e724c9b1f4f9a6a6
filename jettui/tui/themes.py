"""Themes: YAML colour definitions in the top-level themes/ folder, loaded into Textual Themes.

The folder sits next to the package in a checkout (and an editable install). A plain
``pip install`` does not ship it, so the same two themes are also defined here; a test keeps
both copies equal.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from textual.theme import Theme

THEMES_DIR = Path(__file__).resolve().parents[2] / "themes"
DEFAULT_THEME = "jettui"
SIXTEEN_COLOUR_THEME = "jettui-16"

# Mirrors themes/*.yaml (used when that folder is missing).
BUILTIN_DEFINITIONS: dict[str, dict[str, Any]] = {
    "jettui": {
        "name": "jettui",
        "dark": True,
        "colors": {
            "primary": "#3a9fb8",
            "secondary": "#6a7fdb",
            "accent": "#f2a541",
            "warning": "#f2a541",
            "error": "#e5534b",
            "success": "#57ab5a",
            "foreground": "#dce3ea",
            "background": "#10151c",
            "surface": "#1c2430",
            "panel": "#2c3848",
        },
        "variables": {
            "footer-key-foreground": "#f2a541",
            "block-cursor-text-style": "bold",
        },
    },
    "jettui-16": {
        "name": "jettui-16",
        "dark": True,
        "colors": {
            "primary": "#00aaaa",
            "secondary": "#aa00aa",
            "accent": "#ffff55",
            "warning": "#ffff55",
            "error": "#ff5555",
            "success": "#55ff55",
            "foreground": "#ffffff",
            "background": "#000000",
            "surface": "#0000aa",
            "panel": "#555555",
            "boost": "#555555",
        },
        "variables": {
            "footer-key-foreground": "#ffff55",
            "footer-background": "#555555",
            "block-cursor-background": "#00aaaa",
            "block-cursor-foreground": "#000000",
            "block-cursor-text-style": "bold",
            "block-cursor-blurred-background": "#555555",
            "block-cursor-blurred-foreground": "#ffffff",
            "text-muted": "#aaaaaa",
            "text-disabled": "#aaaaaa",
            "input-selection-background": "#aa00aa",
            "scrollbar": "#555555",
            "scrollbar-hover": "#aaaaaa",
            "scrollbar-active": "#ffffff",
            "scrollbar-background": "#000000",
        },
    },
}


class ThemeFileError(ValueError):
    """A theme file that cannot be turned into a Theme."""


def theme_from_definition(data: Mapping[str, Any], origin: str = "theme") -> Theme:
    if not isinstance(data, Mapping) or not isinstance(data.get("name"), str):
        raise ThemeFileError(f"{origin}: needs a 'name' and a 'colors' mapping")
    colors = data.get("colors") or {}
    variables = data.get("variables") or {}
    if not isinstance(colors, Mapping) or "primary" not in colors:
        raise ThemeFileError(f"{origin}: 'colors' must be a mapping with at least 'primary'")
    # colour keywords (primary, secondary...) are strings; an unknown name is a TypeError
    colour_kwargs: dict[str, Any] = {str(k): str(v) for k, v in colors.items()}
    try:
        return Theme(
            name=data["name"],
            dark=bool(data.get("dark", True)),
            variables={str(k): str(v) for k, v in variables.items()},
            **colour_kwargs,
        )
    except TypeError as exc:  # an unknown colour name
        raise ThemeFileError(f"{origin}: {exc}") from None


def load_theme_file(path: Path) -> Theme:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ThemeFileError(f"{path.name}: cannot read: {exc}") from None
    return theme_from_definition(data, path.name)


def load_themes(folder: Path | None = THEMES_DIR) -> tuple[dict[str, Theme], list[str]]:
    """Built-in themes overlaid with the folder's ``*.yaml``; also the problems met."""
    themes = {name: theme_from_definition(d, name) for name, d in BUILTIN_DEFINITIONS.items()}
    problems: list[str] = []
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            try:
                theme = load_theme_file(path)
            except ThemeFileError as exc:
                problems.append(str(exc))
                continue
            themes[theme.name] = theme
    return themes, problems


def stylesheet_paths(folder: Path | None = THEMES_DIR) -> list[Path]:
    """Shared .tcss files of the themes folder (cosmetic; the layout CSS lives in the package)."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob("*.tcss"))


def terminal_colours(environ: Mapping[str, str] = os.environ) -> int:
    """Colours the terminal offers, judged the way Textual/Rich pick their colour system."""
    forced = environ.get("TEXTUAL_COLOR_SYSTEM", "").lower()
    if forced:
        return {"standard": 16, "256": 256, "truecolor": 1 << 24}.get(forced, 1 << 24)
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return 1 << 24
    term = environ.get("TERM", "").lower()
    suffix = term.rsplit("-", 1)[-1]
    if suffix in ("256color", "kitty", "direct", "truecolor"):
        return 256
    return 16


def pick_theme(
    configured: str, available: Mapping[str, Any], environ: Mapping[str, str] = os.environ
) -> tuple[str, str | None]:
    """The theme to start with, and a warning when the configured one was not usable."""
    name = configured or DEFAULT_THEME
    warning = None
    if name not in available:
        warning = f"Theme '{name}' is unknown; using {DEFAULT_THEME}"
        name = DEFAULT_THEME
    if name == DEFAULT_THEME and terminal_colours(environ) <= 16:
        name = SIXTEEN_COLOUR_THEME
    return name, warning
