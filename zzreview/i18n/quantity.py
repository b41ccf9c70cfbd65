"""Numbers with their units, as a person writes them, in the plan's language or in English.

- zh keeps the plan's own unit and scale: 760亿元 stays 760亿元, 20万人 stays 20万人.
- English has no 万 or 亿. A unit that carries one becomes its plain unit, and the number is
  scaled with it: 760亿元 is "76.0 bn yuan", 20万人 is "200,000 people".
- A counted unit agrees with its number: "1 product", "2 products", "1 person".
- An estimate in a counted unit (a run-rate, a forecast) is whole and says so. Nobody needs
  0.66 of a firm a month: "约1个" / "about 1 product".
"""

from __future__ import annotations

import math
import re

from zzreview.i18n import format_number

ZH_SCALES: tuple[tuple[str, int], ...] = (("亿", 100_000_000), ("万", 10_000))
"""The scale words a Chinese unit can start with, and what each stands for."""

COUNTED_ZH = frozenset(
    [
        "家",
        "个",
        "列",
        "名",
        "项",
        "人",
        "户",
        "座",
        "所",
        "台",
        "件",
        "次",
        "条",
        "套",
        "部",
        "辆",
        "批",
        "场",
        "处",
        "宗",
        "款",
        "支",
        "位",
        "只",
        "艘",
        "架",
        "栋",
    ]
)
"""Units of things counted one by one: an estimate in them is a whole number."""

_EN_SCALE_WORD = re.compile(
    r"^(?:100\s*m(?:illion|n)?|10\s*k|10,000|ten thousand|hundred million)\s+", re.IGNORECASE
)
"""How a plan's English unit names the Chinese scale: "100m yuan", "10k people"."""

_IRREGULAR_SINGULAR = {"people": "person", "persons": "person", "children": "child", "men": "man"}

_BILLION, _MILLION = 1_000_000_000, 1_000_000


def zh_scale(unit: str) -> tuple[int, str]:
    """(what the unit's scale word stands for, the unit without it): ("亿元") -> (10**8, "元");
    (1, unit) for a unit with no scale word, or one that is nothing but it."""
    for word, size in ZH_SCALES:
        if unit.startswith(word) and len(unit) > len(word):
            return size, unit[len(word) :]
    return 1, unit


def is_counted(unit: str) -> bool:
    """Whether `unit` (the plan's Chinese unit) counts things one by one: 家, 个, 名…"""
    return zh_scale(unit)[0] == 1 and unit in COUNTED_ZH


def singular(unit_en: str) -> str:
    """The English unit for exactly one: "products" -> "product", "people" -> "person"."""
    head, _, last = unit_en.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR_SINGULAR:
        word = _IRREGULAR_SINGULAR[lower]
    elif lower.endswith("ies") and len(lower) > 3:
        word = last[:-3] + "y"
    elif lower.endswith(("sses", "xes", "zes", "ches", "shes", "uses")):
        word = last[:-2]
    elif lower.endswith("s") and not lower.endswith("ss") and len(lower) > 1:
        word = last[:-1]
    else:
        word = last
    return f"{head} {word}" if head else word


def quantity_parts(
    value: float, unit: str, unit_en: str, lang: str, *, estimate: bool = False
) -> tuple[str, str]:
    """The number and the unit to write beside it, apart (a big-digit panel shows them so):
    ("76.0", "bn yuan"), ("约1", "个"), ("about 1", "product").

    `unit` is the plan's Chinese unit, `unit_en` its English one ("" when the plan gives
    none: English then keeps the Chinese unit and its scale as they are).
    """
    counted = is_counted(unit)
    if lang != "en":
        if estimate and counted:
            return f"约{format_number(_whole(value), 'zh', digits=0)}", unit
        scale = zh_scale(unit)[0]
        digits = _estimate_digits(value) if estimate else None
        number = format_number(value, "zh", digits=digits, scale_words=scale == 1)
        return number, unit
    if not unit_en:
        return format_number(value, "en", digits=_estimate_digits(value) if estimate else None), unit
    scale, _ = zh_scale(unit)
    if scale > 1:
        number, magnitude = _scaled_en(value * scale, estimate)
        base = _EN_SCALE_WORD.sub("", unit_en, count=1)
        return number, f"{magnitude} {base}" if magnitude else base
    if estimate and counted:
        whole = _whole(value)
        return f"about {format_number(whole, 'en', digits=0)}", singular(unit_en) if abs(
            whole
        ) == 1 else unit_en
    number = format_number(value, "en", digits=_estimate_digits(value) if estimate else None)
    return number, singular(unit_en) if number in ("1", "-1") else unit_en


def format_quantity(
    value: float | None, unit: str, unit_en: str, lang: str, *, estimate: bool = False
) -> str:
    """A value with its unit: "760亿元" / "76.0 bn yuan", "约1个" / "about 1 product"; "—" for
    nothing. Percentages and Chinese units sit against the number, English words apart."""
    if value is None:
        return "—"
    number, shown = quantity_parts(value, unit, unit_en, lang, estimate=estimate)
    if not shown:
        return number
    if lang != "en" or shown in ("%", "％"):
        return f"{number}{shown}"
    return f"{number} {shown}"


def _whole(value: float) -> int:
    """A whole estimate of a count: rounded, and at least 1 when anything is needed at all."""
    whole = math.floor(abs(value) + 0.5)
    if whole == 0 and value != 0:
        whole = 1
    return whole if value >= 0 else -whole


def _estimate_digits(value: float) -> int:
    """Decimals for an estimate: "150" or "1.7", never "149.7"."""
    return 0 if abs(value) >= 100 else 1


def _scaled_en(amount: float, estimate: bool) -> tuple[str, str]:
    """An amount in plain units as English writes a large one, with its magnitude word apart:
    ("76.0", "bn"), ("3.5", "million"), ("200,000", "")."""
    magnitude = abs(amount)
    if magnitude >= _BILLION:
        return f"{amount / _BILLION:.1f}", "bn"
    if magnitude >= _MILLION:
        return f"{amount / _MILLION:.1f}", "million"
    return format_number(amount, "en", digits=_estimate_digits(amount) if estimate else None), ""
