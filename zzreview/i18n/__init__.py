"""The zh/en message catalogue and language-aware number formatting.

Every string a person reads on a screen, in the dashboard or in the minutes comes from here,
keyed by a stable name, so both languages stay complete (a test checks every key has both).
"""

from __future__ import annotations

from zzreview.domain import ActionChange, ChangeKind
from zzreview.i18n import catalogue, forms, screens

MESSAGES: dict[str, dict[str, str]] = {**catalogue.MESSAGES, **screens.MESSAGES, **forms.MESSAGES}

LANGUAGES = ("zh", "en")


def t(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang` ("zh" or "en"), with `{name}` placeholders filled in."""
    entry = MESSAGES[key]
    text = entry["en" if lang == "en" else "zh"]
    return text.format(**values) if values else text


def describe_change(change: ActionChange, lang: str) -> str:
    """An action item's history entry in words: raised → 交办, open → done → 未办结→已办结,
    an edit → 修改：… with the fields it changed."""
    if change.kind is ChangeKind.STATUS and change.before is not None and change.after is not None:
        before, after = (t(f"action.{s.value}", lang) for s in (change.before, change.after))
        return t("history.status", lang, before=before, after=after)
    if change.kind is ChangeKind.EDITED:
        return t("history.edited", lang, fields=changed_fields(change, lang))
    if change.kind is ChangeKind.PROGRESS:
        return t("history.progress", lang)
    return t("history.raised", lang)


def changed_fields(change: ActionChange, lang: str) -> str:
    """The fields an edit changed, in words: 时限、责任人 / due date, owner."""
    return t("history.field_separator", lang).join(
        t(f"history.field.{name}", lang) if f"history.field.{name}" in MESSAGES else name
        for name in change.fields
    )


def state_word(state: str, lang: str) -> str:
    """The word for a State value, e.g. "off_track" → 落后 / off track."""
    return t(f"state.{state}", lang)


def format_number(
    value: float | None, lang: str = "zh", *, digits: int | None = None, scale_words: bool = True
) -> str:
    """A number as people write it: grouping in en, no trailing zeros, "—" for nothing.

    Large plain numbers in zh use 万 / 亿 (12,000 → 1.2万), unless `scale_words` is off: a
    number in a unit that already carries one (亿元, 万人) never gets a second.
    """
    if value is None:
        return "—"
    if digits is None:
        magnitude = abs(value)
        digits = 0 if magnitude >= 1000 or float(value).is_integer() else 1 if magnitude >= 10 else 2
    if lang == "zh" and scale_words and abs(value) >= 100_000:
        for size, word in ((100_000_000, "亿"), (10_000, "万")):
            if abs(value) >= size:
                return f"{_trim(value / size, 2)}{word}"
    return _trim(value, digits, grouping=lang == "en")


def _trim(value: float, digits: int, grouping: bool = False) -> str:
    text = f"{value:,.{digits}f}" if grouping else f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_percent(fraction: float | None) -> str:
    """A fraction as a whole percentage (0.668 → 67%); "—" for nothing."""
    return "—" if fraction is None else f"{fraction * 100:.0f}%"


def format_points(points: float | None, lang: str = "zh", *, short: bool = False) -> str:
    """A gap in percentage points with its sign (−12.3 → −12 pp / −12个百分点; short: −12)."""
    if points is None:
        return "—"
    rounded = round(points)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else "±"
    return f"{sign}{abs(rounded)}" + ("" if short else t("unit.points", lang))


def format_clock(seconds: float, *, padded: bool = True) -> str:
    """A duration as a clock reads it: 05:05 (padded; 5:05 not), 1:02:03 past the hour."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}" if padded else f"{minutes}:{secs:02d}"
