"""One settings object: the config file, then the environment, then the flags the user typed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zzreview.analysis.rules import DEFAULT_PRESET, PRESETS
from zzreview.domain.text import clean_line
from zzreview.locations import config_file

DEFAULT_THEME = "projector-dark"
"""The theme the app opens with unless the user picks another."""


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Settings:
    """What a run of zzreview uses, wherever each value came from."""

    db: Path | None = None
    """The database file; None means the per-user default, made from the demo on first use."""

    lang: str | None = None
    """Language of screens and output ("zh" or "en"); None means the plan's own language."""

    user: str = ""
    """Who is making changes, as recorded in the event log and in items' history."""

    rules: str = DEFAULT_PRESET
    """The rule preset that turns a gap into a light ("yinchuan" or "sanya")."""

    theme: str = DEFAULT_THEME
    """The app's theme name."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Key remappings by binding id, e.g. {"next_step": "j"}."""


_FIELDS = {"db", "lang", "user", "rules", "theme", "keymap"}


def _from_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    import tomllib  # only when there is a file to read: most runs have none

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(_FIELDS))}")
    for name in ("db", "lang", "user", "rules", "theme"):
        if name in data and not isinstance(data[name], str):
            raise ConfigError(f"{path}: {name}: expected text, got {data[name]!r}")
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f'{path}: [keymap]: expected binding-id = "keys" lines')
    if "db" in data:
        data["db"] = Path(data["db"]).expanduser()
    return data


def _where(path: Path) -> str:
    return f"from {path}, ZZREVIEW_* or the command line"


def load_settings(**flags: Any) -> Settings:
    """Settings from the config file, then ZZREVIEW_* variables, then non-None `flags`."""
    path = Path(os.environ["ZZREVIEW_CONFIG"]) if os.environ.get("ZZREVIEW_CONFIG") else config_file()
    values: dict[str, Any] = _from_file(path)
    env = {
        "db": os.environ.get("ZZREVIEW_DB"),
        "lang": os.environ.get("ZZREVIEW_LANG"),
        "user": os.environ.get("ZZREVIEW_USER"),
        "rules": os.environ.get("ZZREVIEW_RULES"),
        "theme": os.environ.get("ZZREVIEW_THEME"),
    }
    for name, value in env.items():
        if value:
            values[name] = Path(value).expanduser() if name == "db" else value
    for name, value in flags.items():
        if value is not None:
            values[name] = value
    if isinstance(values.get("user"), str):
        # Who is recorded in every event and history entry: one clean line, whatever the terminal sent.
        values["user"] = clean_line(values["user"])
    settings = replace(Settings(), **values)
    if settings.lang not in (None, "zh", "en"):
        raise ConfigError(f"lang: expected zh or en, got {settings.lang!r} ({_where(path)})")
    if settings.rules not in PRESETS:
        raise ConfigError(
            f"rules: expected one of {', '.join(PRESETS)}, got {settings.rules!r} ({_where(path)})"
        )
    if not settings.user:
        import getpass  # imports termios: paid only when no user was named

        try:
            settings = replace(settings, user=getpass.getuser())
        except (KeyError, OSError):
            settings = replace(settings, user="unknown")
    return settings
