"""Rule presets: the one place that holds the thresholds turning a gap into a traffic light.

Two presets ship, after the review practice of two cities:

- ``yinchuan`` (the default) compares the gap in percentage points: gap ≥ 0 is green
  (● on track), −30 ≤ gap < 0 is yellow (▲ needs attention), gap < −30 is red (■ off track).
- ``sanya`` compares the ratio completion / expected-to-date: ≥ 1 is green, ≥ 0.5 is yellow,
  < 0.5 is red, i.e. red when more than 50% behind the share expected by now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zzreview.domain.model import Light

__all__ = ["DEFAULT_PRESET", "PRESETS", "RulePreset", "preset"]

# Gaps and ratios come from decimal inputs through binary floats: a gap the room reads as
# exactly −30 may compute as −30.000000000000004. Comparisons allow this much slack so a value
# on a boundary lands on the side the preset names.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class RulePreset:
    """Thresholds for judging indicators; see the module docstring for the shipped presets."""

    name: str
    """The name users pick the preset by."""

    basis: Literal["points", "ratio"]
    """Compare the gap in percentage points, or the ratio completion / expected-to-date."""

    red_below: float
    """Points: red when gap < red_below (e.g. −30). Ratio: red when the ratio < red_below."""

    stale_after_days_per_cadence_month: int = 31
    """A value older than cadence_months × this many days is stale."""

    milestone_red_months: int = 3
    """An unfinished milestone this many months past its due month is red."""

    def __post_init__(self) -> None:
        if self.basis not in ("points", "ratio"):
            raise ValueError(f"rule preset {self.name!r}: basis must be 'points' or 'ratio'")
        if self.basis == "points" and self.red_below > 0:
            raise ValueError(f"rule preset {self.name!r}: red_below in points must be ≤ 0")
        if self.basis == "ratio" and not 0 <= self.red_below <= 1:
            raise ValueError(f"rule preset {self.name!r}: red_below as a ratio must be in [0, 1]")
        if self.stale_after_days_per_cadence_month < 1 or self.milestone_red_months < 1:
            raise ValueError(f"rule preset {self.name!r}: day and month limits must be ≥ 1")

    def light(self, completion: float, expected: float) -> Light:
        """The light for a completion against the expected-to-date share, both fractions."""
        if self.basis == "points":
            gap = (completion - expected) * 100
            if gap >= -_TOLERANCE:
                return Light.GREEN
            if gap >= self.red_below - _TOLERANCE:
                return Light.YELLOW
            return Light.RED
        if expected <= 0:
            # Nothing was expected yet, so any completion is on (or ahead of) plan.
            return Light.GREEN
        ratio = completion / expected
        if ratio >= 1 - _TOLERANCE:
            return Light.GREEN
        if ratio >= self.red_below - _TOLERANCE:
            return Light.YELLOW
        return Light.RED


PRESETS: dict[str, RulePreset] = {
    "yinchuan": RulePreset("yinchuan", "points", -30.0),
    "sanya": RulePreset("sanya", "ratio", 0.5),
}

DEFAULT_PRESET = "yinchuan"


def preset(name: str) -> RulePreset:
    """The preset with this name; ValueError naming the valid names if there is none."""
    try:
        return PRESETS[name]
    except KeyError:
        valid = ", ".join(sorted(PRESETS))
        raise ValueError(f"unknown rule preset {name!r}; valid presets: {valid}") from None
