"""Themes: readable from the back of the room, loaded from files, broken ones reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import build_app
from zzreview.storage.repository import Repository
from zzreview.ui.themes import STATUS_VARIABLES, ThemeError, load_themes, theme_from_toml

SHIPPED = ["projector-light", "projector-dark", "high-contrast"]
STATUS = [name for name in STATUS_VARIABLES if name.startswith("status-")]


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", SHIPPED)
def test_projector_themes_meet_the_contrast_bars(name: str) -> None:
    theme = load_themes().themes[name]
    assert contrast(theme.foreground, theme.background) >= 7.0
    for surface in {theme.background, theme.surface, theme.panel}:
        assert contrast(theme.foreground, surface) >= 7.0, surface
    for variable in STATUS:
        colour = theme.variables[variable]
        for surface in {theme.background, theme.surface}:
            assert contrast(colour, surface) >= 4.5, (variable, colour, surface)


@pytest.mark.parametrize("name", [*SHIPPED, "defaults"])
def test_the_target_and_expected_lines_are_in_colours_that_mean_no_status(name: str) -> None:
    """A red target line reads as 落后, an amber trajectory as 需关注: the chart's own lines
    keep out of the status colours (and stand out from the background)."""
    variables = STATUS_VARIABLES if name == "defaults" else load_themes().themes[name].variables
    statuses = {variables[variable].lower() for variable in STATUS}
    for line in ("chart-target", "chart-expected"):
        assert variables[line].lower() not in statuses, (line, variables[line])
    if name != "defaults":
        theme = load_themes().themes[name]
        for line in ("chart-actual", "chart-target", "chart-expected", "chart-forecast"):
            assert contrast(theme.variables[line], theme.background) >= 3.0, line


def test_a_broken_theme_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text(
        'name = "broken"\n[colors]\nprimary = "blue-ish"\n', encoding="utf-8"
    )
    (tmp_path / "mine.toml").write_text('name = "mine"\n[colors]\nprimary = "#123456"\n', encoding="utf-8")
    loaded = load_themes(tmp_path)
    assert set(SHIPPED) <= set(loaded.themes) and "mine" in loaded.themes
    assert len(loaded.problems) == 1
    assert "broken.toml" in loaded.problems[0] and "colors.primary" in loaded.problems[0]
    assert loaded.themes["mine"].variables["status-off-track"] == STATUS_VARIABLES["status-off-track"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name = 1", "name"),
        ('name = "x"\n[colors]\nprimary = "#12345"', "colors.primary"),
        ('name = "x"\n[colors]\nprimary = "#123456"\nsparkle = "#123456"', "colors.sparkle"),
        ('name = "x"\n[colors]\nsecondary = "#123456"', "colors.primary: missing"),
        ('name = "x"\ncolour = 1', "unknown field"),
        ("name = ", "not valid TOML"),
    ],
)
def test_theme_errors_name_the_field(text: str, needle: str) -> None:
    with pytest.raises(ThemeError) as error:
        theme_from_toml(text, "t.toml")
    assert str(error.value).startswith("t.toml: ") and needle in str(error.value)


async def test_the_app_notifies_once_about_a_broken_theme_file(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "themes"
    folder.mkdir()
    (folder / "bad.toml").write_text("name = [", encoding="utf-8")
    monkeypatch.setattr("zzreview.ui.launch.user_themes_dir", lambda: folder)
    app = build_app(repo, theme="projector-light")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert len(messages) == 1 and "bad.toml" in messages[0]
        assert app.theme == "projector-light"


@pytest.mark.parametrize("name", SHIPPED)
async def test_the_app_opens_in_the_theme_asked_for(
    repo: Repository, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.color import Color
    from textual.css.stylesheet import Stylesheet

    reparsed: list[str] = []
    reparse = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda sheet: reparsed.append("x") or reparse(sheet))
    theme = load_themes().themes[name]
    app = build_app(repo, theme=name)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == name and app.has_class(f"-theme-{name}")
        assert app.has_class("-dark-mode") is theme.dark and app.has_class("-light-mode") is not theme.dark
        assert app.screen.styles.background == Color.parse(theme.background)
        assert app.screen.query_one("#meeting-title").styles.color.a > 0
        if theme.dark:
            # Started in it, not switched to: the style sheet is parsed once, in its colours.
            assert reparsed == []
        app.theme = "projector-light" if theme.dark else "projector-dark"
        await pilot.pause()
        assert app.screen.styles.background == Color.parse(load_themes().themes[app.theme].background)
        assert not app.has_class(f"-theme-{name}")
