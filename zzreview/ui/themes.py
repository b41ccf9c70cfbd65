"""Themes as TOML files, loaded into `textual.theme.Theme` objects.

Shipped themes live in the package's themes folder; a user's own go in the per-user themes
folder and may replace a shipped one by name. A broken file is skipped and reported once; the
app then falls back to the default theme.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from textual.theme import Theme

from zzreview.config import DEFAULT_THEME

__all__ = ["DEFAULT_THEME", "STATUS_VARIABLES", "ThemeError", "ThemeSet", "load_themes", "theme_from_toml"]

STATUS_VARIABLES: dict[str, str] = {
    "status-achieved": "#2e9e55",
    "status-on-track": "#3fae63",
    "status-attention": "#c88a00",
    "status-off-track": "#d93636",
    "status-not-started": "#888888",
    "status-no-data": "#9b59b6",
    "chart-actual": "#3b82f6",
    "chart-target": "#0891b2",
    "chart-expected": "#db2777",
    "chart-forecast": "#888888",
}
"""App-specific theme variables and the defaults a theme that omits them gets."""

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
)


class ThemeError(ValueError):
    """A theme file that cannot be used; the message names the file and the field."""


@dataclass
class ThemeSet:
    """Every theme that loaded, and a line for each file that did not."""

    themes: dict[str, Theme] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def theme_from_toml(text: str, source: str) -> Theme:
    """Build a Theme from TOML text; ThemeError names the source and the bad field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ThemeError(f"{source}: not valid TOML: {error}") from None
    unknown = set(data) - {"name", "dark", "colors", "variables"}
    if unknown:
        raise ThemeError(f"{source}: unknown field {sorted(unknown)[0]!r}")
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ThemeError(f"{source}: name: expected a lower-case name like 'projector-dark'")
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeError(f"{source}: dark: expected true or false")
    colours = data.get("colors", {})
    variables = data.get("variables", {})
    if not isinstance(colours, dict) or not isinstance(variables, dict):
        raise ThemeError(f"{source}: [colors] and [variables] must be tables")
    for key, value in colours.items():
        if key not in _COLOUR_FIELDS:
            raise ThemeError(f"{source}: colors.{key}: unknown; expected one of {', '.join(_COLOUR_FIELDS)}")
        if not isinstance(value, str) or not _COLOUR.match(value):
            raise ThemeError(f"{source}: colors.{key}: expected a colour like #1a2b3c, got {value!r}")
    for key, value in variables.items():
        if not isinstance(value, str) or not _COLOUR.match(value):
            raise ThemeError(f"{source}: variables.{key}: expected a colour like #1a2b3c, got {value!r}")
    if "primary" not in colours:
        raise ThemeError(f"{source}: colors.primary: missing")
    return Theme(name=name, dark=dark, variables={**STATUS_VARIABLES, **variables}, **colours)


def load_themes(user_folder: Path | None = None) -> ThemeSet:
    """The shipped themes, then the user's (a user theme replaces a shipped one by name)."""
    result = ThemeSet()
    sources: list[tuple[str, str]] = []
    for entry in sorted(files("zzreview.themes").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            sources.append((entry.name, entry.read_text(encoding="utf-8")))
    if user_folder is not None and user_folder.is_dir():
        for path in sorted(user_folder.glob("*.toml")):
            try:
                sources.append((str(path), path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as error:
                result.problems.append(f"{path}: cannot read: {error}")
    for source, text in sources:
        try:
            theme = theme_from_toml(text, source)
        except ThemeError as error:
            result.problems.append(str(error))
            continue
        result.themes[theme.name] = theme
    return result
