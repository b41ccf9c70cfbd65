"""Where zzreview keeps a user's database, config and themes (platformdirs), made on demand."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "zzreview"


def data_dir() -> Path:
    """The per-user data folder (the default database lives here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The per-user config folder (config.toml and the themes folder)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The per-user cache folder: what can be worked out again, kept to save the time."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_database() -> Path:
    """The database used when neither --db nor ZZREVIEW_DB names one."""
    return data_dir() / "review.json"


def config_file() -> Path:
    """The user's config file (TOML); it need not exist."""
    return config_dir() / "config.toml"


def user_themes_dir() -> Path:
    """Where a user drops extra theme files (TOML)."""
    return config_dir() / "themes"
