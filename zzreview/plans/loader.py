"""Reading a plan file (TOML) into a Plan, with errors that name the file, field and need.

The format is documented in docs/plan-format.md. Unknown fields are errors, so a typo in a
plan is caught at load time rather than silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from zzreview.domain import (
    Accumulation,
    Direction,
    FocusArea,
    HorizonKind,
    Indicator,
    IndicatorKind,
    Measure,
    PhasePoint,
    Plan,
)
from zzreview.domain.text import clean_line, clean_text


class PlanError(ValueError):
    """A plan file that cannot be used; the message names the file, the field and the need."""


SHIPPED_PLAN = "plan.toml"
SHIPPED_DEMO = "demo.toml"

_PLAN_FIELDS = {
    "id",
    "title",
    "title_en",
    "short_title",
    "start",
    "end",
    "language",
    "cadence_months",
    "source",
}
_AREA_FIELDS = {"number", "title", "title_en", "measures"}
_MEASURE_FIELDS = {"id", "title", "title_en", "text", "lead_units", "indicators"}
_INDICATOR_FIELDS = {
    "id",
    "kind",
    "name",
    "name_en",
    "source_text",
    "unit",
    "unit_en",
    "target",
    "direction",
    "baseline",
    "horizon",
    "accumulation",
    "phased",
    "due",
    "checklist",
    "note",
}


def shipped_text(name: str) -> str:
    """The text of a file shipped in zzreview's data folder."""
    return (files("zzreview.data") / name).read_text(encoding="utf-8")


@dataclass
class _Reader:
    """Typed access to one table of the file, with the field path for error messages."""

    source: str
    where: str
    table: Mapping[str, Any]

    def fail(self, field: str, need: str) -> PlanError:
        place = ".".join(part for part in (self.where, field) if part)
        return PlanError(f"{self.source}: {place}: {need}")

    def check_fields(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.table) - allowed)
        if unknown:
            raise self.fail(unknown[0], f"unknown field; expected one of {', '.join(sorted(allowed))}")

    def text(self, field: str, *, required: bool = True, multiline: bool = False) -> str:
        value = self.table.get(field)
        if value is None:
            if required:
                raise self.fail(field, "missing; expected text")
            return ""
        if not isinstance(value, str):
            raise self.fail(field, f"expected text, got {type(value).__name__}")
        value = clean_text(value).strip() if multiline else clean_line(value)
        if required and not value:
            raise self.fail(field, "is empty; expected text")
        return value

    def number(self, field: str, *, default: float | None = None) -> float | None:
        value = self.table.get(field, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(field, f"expected a number, got {value!r}")
        return float(value)

    def integer(self, field: str, *, default: int | None = None) -> int:
        value = self.table.get(field, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, f"expected a whole number, got {value!r}")
        return value

    def day(self, field: str, *, required: bool = True) -> date | None:
        value = self.table.get(field)
        if value is None:
            if required:
                raise self.fail(field, "missing; expected a date like 2024-12-31")
            return None
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(field, f"expected a date like 2024-12-31 (unquoted), got {value!r}")
        return value

    def choice(self, field: str, options: list[str], default: str | None = None) -> str:
        value = self.table.get(field, default)
        if value not in options:
            raise self.fail(field, f"expected one of {', '.join(options)}, got {value!r}")
        return value

    def texts(self, field: str) -> tuple[str, ...]:
        value = self.table.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(field, "expected a list of text")
        return tuple(clean_line(v) for v in value if clean_line(v))

    def tables(self, field: str) -> list[_Reader]:
        value = self.table.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(field, "expected a list of tables")
        return [
            _Reader(self.source, f"{self.where + '.' if self.where else ''}{field}[{i + 1}]", item)
            for i, item in enumerate(value)
        ]


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes a PlanError naming the source."""
    import tomllib  # only for a plan file: opening a database never needs it

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlanError(f"{source}: not valid TOML: {error}") from None


def read_plan_file(path: Path) -> Plan:
    """Load and validate a plan file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"{path}: no such plan file") from None
    except UnicodeDecodeError:
        raise PlanError(f"{path}: not UTF-8 text; save the plan file as UTF-8") from None
    except OSError as error:
        raise PlanError(f"{path}: cannot read: {error.strerror}") from None
    return plan_from_toml(text, str(path))


def shipped_plan() -> Plan:
    """The embedded default plan (Zhengzhou 2024 H2)."""
    return plan_from_toml(shipped_text(SHIPPED_PLAN), SHIPPED_PLAN)


def plan_from_toml(text: str, source: str) -> Plan:
    """Build a Plan from TOML text; `source` names the file in error messages."""
    data = parse_toml(text, source)
    root = _Reader(source, "", data)
    root.check_fields({"plan", "areas"})
    if not isinstance(data.get("plan"), dict):
        raise root.fail("plan", "missing; expected a [plan] table")
    head = _Reader(source, "plan", data["plan"])
    head.check_fields(_PLAN_FIELDS)
    start, end = head.day("start"), head.day("end")
    assert start is not None and end is not None
    if start >= end:
        raise head.fail("end", f"must be after plan.start ({start})")
    cadence = head.integer("cadence_months", default=1)
    if not 1 <= cadence <= 12:
        raise head.fail("cadence_months", f"expected 1 to 12, got {cadence}")
    areas = [
        _area(reader, position, start, end) for position, reader in enumerate(root.tables("areas"), start=1)
    ]
    if not areas:
        raise root.fail("areas", "missing; expected at least one [[areas]] table")
    _check_unique_ids(source, areas)
    return Plan(
        id=head.text("id"),
        title=head.text("title"),
        title_en=head.text("title_en", required=False),
        short_title=head.text("short_title", required=False),
        start=start,
        end=end,
        language=head.choice("language", ["zh", "en"], default="zh"),
        cadence_months=cadence,
        source=head.text("source", required=False),
        areas=tuple(areas),
    )


def _check_unique_ids(source: str, areas: list[FocusArea]) -> None:
    seen: set[str] = set()
    for area in areas:
        for measure in area.measures:
            for ident in (measure.id, *(i.id for i in measure.indicators)):
                if ident in seen:
                    raise PlanError(f"{source}: id {ident!r} is used twice; ids must be unique")
                seen.add(ident)


def _area(reader: _Reader, position: int, start: date, end: date) -> FocusArea:
    reader.check_fields(_AREA_FIELDS)
    number = reader.integer("number")
    if number != position:
        raise reader.fail(
            "number", f"expected {position} (areas are numbered 1, 2, 3 … in order), got {number}"
        )
    measures = tuple(_measure(m, number, start, end) for m in reader.tables("measures"))
    if not measures:
        raise reader.fail("measures", "missing; expected at least one [[areas.measures]] table")
    return FocusArea(
        number=number,
        title=reader.text("title"),
        title_en=reader.text("title_en", required=False),
        measures=measures,
    )


def _measure(reader: _Reader, area_number: int, start: date, end: date) -> Measure:
    reader.check_fields(_MEASURE_FIELDS)
    ident = reader.text("id")
    if ident.split(".")[0] != str(area_number):
        raise reader.fail("id", f"expected an id starting with {area_number}. (its area), got {ident!r}")
    indicators = tuple(_indicator(i, ident, start, end) for i in reader.tables("indicators"))
    if not indicators:
        raise reader.fail("indicators", "missing; expected at least one indicator per measure")
    return Measure(
        id=ident,
        area_number=area_number,
        title=reader.text("title"),
        title_en=reader.text("title_en", required=False),
        text=reader.text("text", multiline=True),
        lead_units=reader.texts("lead_units"),
        indicators=indicators,
    )


def _indicator(reader: _Reader, measure_id: str, start: date, end: date) -> Indicator:
    reader.check_fields(_INDICATOR_FIELDS)
    ident = reader.text("id")
    if not ident.startswith(measure_id + "."):
        raise reader.fail("id", f"expected an id starting with {measure_id}. (its measure), got {ident!r}")
    kind = IndicatorKind(reader.choice("kind", [k.value for k in IndicatorKind]))
    common = {
        "id": ident,
        "measure_id": measure_id,
        "kind": kind,
        "name": reader.text("name"),
        "name_en": reader.text("name_en", required=False),
        "source_text": reader.text("source_text", required=False, multiline=True),
        "note": reader.text("note", required=False),
    }
    target_only = ("unit", "target", "direction", "baseline", "horizon", "accumulation", "phased")
    if kind is not IndicatorKind.TARGET:
        for field in target_only:
            if field in reader.table:
                raise reader.fail(field, f"only a target indicator has {field}; this one is {kind}")
    if kind is not IndicatorKind.MILESTONE and "due" in reader.table:
        raise reader.fail("due", f"only a milestone has a due date; this one is {kind}")
    if kind is not IndicatorKind.QUALITATIVE and "checklist" in reader.table:
        raise reader.fail("checklist", f"only a qualitative indicator has a checklist; this one is {kind}")
    if kind is IndicatorKind.MILESTONE:
        return Indicator(**common, due=reader.day("due"))
    if kind is IndicatorKind.QUALITATIVE:
        return Indicator(**common, checklist=reader.texts("checklist"))

    target = reader.number("target")
    if target is None:
        raise reader.fail("target", "missing; a target indicator needs a number")
    baseline = reader.number("baseline", default=0.0)
    assert baseline is not None
    if target == baseline:
        raise reader.fail("target", f"must differ from baseline ({baseline:g})")
    direction = Direction(reader.choice("direction", [">=", "<="], default=">="))
    if (direction is Direction.HIGHER) != (target > baseline):
        need = "above" if direction is Direction.HIGHER else "below"
        raise reader.fail(
            "target", f"with direction {direction.value} it must be {need} baseline ({baseline:g})"
        )
    horizon = HorizonKind(reader.choice("horizon", ["period", "year"], default="period"))
    h_start, h_end = (
        (start, end) if horizon is HorizonKind.PERIOD else (date(end.year, 1, 1), date(end.year, 12, 31))
    )
    phased = []
    for point in reader.tables("phased"):
        point.check_fields({"on", "value"})
        on = point.day("on")
        assert on is not None
        if not h_start <= on <= h_end:
            raise point.fail("on", f"must lie inside the horizon {h_start} to {h_end}, got {on}")
        value = point.number("value")
        if value is None:
            raise point.fail("value", "missing; expected the planned value at that date")
        phased.append(PhasePoint(on=on, value=value))
    return Indicator(
        **common,
        unit=reader.text("unit"),
        unit_en=reader.text("unit_en", required=False),
        target=target,
        direction=direction,
        baseline=baseline,
        horizon=horizon,
        horizon_start=h_start,
        horizon_end=h_end,
        accumulation=Accumulation(
            reader.choice("accumulation", ["cumulative", "level"], default="cumulative")
        ),
        phased=tuple(sorted(phased, key=lambda p: p.on)),
    )
