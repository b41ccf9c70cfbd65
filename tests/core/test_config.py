"""Settings: the config file, then ZZREVIEW_* variables, then the flags the user typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from zzreview.config import ConfigError, load_settings


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("ZZREVIEW_CONFIG", str(path))
    for name in ("ZZREVIEW_DB", "ZZREVIEW_LANG", "ZZREVIEW_USER", "ZZREVIEW_RULES", "ZZREVIEW_THEME"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_file_then_environment_then_flags(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.write_text(
        'lang = "en"\nuser = "李秘书"\nrules = "sanya"\ntheme = "high-contrast"\n[keymap]\nnext_step = "n,j"\n',
        encoding="utf-8",
    )
    settings = load_settings()
    assert (settings.lang, settings.user, settings.rules, settings.theme) == (
        "en",
        "李秘书",
        "sanya",
        "high-contrast",
    )
    assert settings.keymap == {"next_step": "n,j"}
    monkeypatch.setenv("ZZREVIEW_LANG", "zh")
    assert load_settings().lang == "zh"
    assert load_settings(lang="en", user=None).lang == "en"
    assert load_settings(user="主持人").user == "主持人"


def test_no_file_gives_defaults_and_a_user(config: Path) -> None:
    settings = load_settings()
    assert settings.lang is None and settings.rules == "yinchuan" and settings.user


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("lang = ", "not valid TOML"),
        ("colour = 1", "unknown setting 'colour'"),
        ("user = 7", "user"),
        ('lang = "fr"', "lang"),
    ],
)
def test_a_bad_config_is_named(config: Path, text: str, needle: str) -> None:
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert needle in str(error.value)
