"""Converting domain dataclasses to TinyDB documents (plain JSON) and back.

One generic converter driven by the dataclasses' type hints: dates become ISO strings, enums
their values, tuples lists, and `dict[int, …]` keys strings (JSON objects only have string
keys). Decoding is strict about shape so a hand-edited file that lost a field is reported,
not half-read.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


class CodecError(ValueError):
    """A stored document that does not have the shape its type needs."""


def to_doc(value: Any) -> Any:
    """Encode a dataclass (or any value inside one) as JSON-able data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_doc(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_doc(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_doc(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_doc(cls: type[T], doc: Any, where: str = "") -> T:
    """Decode `doc` into `cls`; CodecError names the field that does not fit."""
    return _decode(cls, doc, where or cls.__name__)


def _decode(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _decode(option, value, where)
            except CodecError as error:
                errors.append(str(error))
        raise CodecError(errors[0] if errors else f"{where}: unexpected {value!r}")
    if origin is tuple:
        if not isinstance(value, list):
            raise CodecError(f"{where}: expected a list, got {value!r}")
        item = typing.get_args(hint)[0]
        return tuple(_decode(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        if not isinstance(value, dict):
            raise CodecError(f"{where}: expected an object, got {value!r}")
        try:
            return {key_type(k): _decode(value_type, v, f"{where}.{k}") for k, v in value.items()}
        except ValueError:
            raise CodecError(f"{where}: keys must be {key_type.__name__}") from None
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise CodecError(f"{where}: expected an object, got {value!r}")
        hints = _hints(hint)
        kwargs = {}
        for field in dataclasses.fields(hint):
            if field.name in value:
                kwargs[field.name] = _decode(hints[field.name], value[field.name], f"{where}.{field.name}")
            elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise CodecError(f"{where}: missing field {field.name!r}")
        return hint(**kwargs)
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError:
            options = ", ".join(str(m.value) for m in hint)
            raise CodecError(f"{where}: expected one of {options}, got {value!r}") from None
    if hint is date:
        if not isinstance(value, str):
            raise CodecError(f"{where}: expected a date, got {value!r}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CodecError(f"{where}: expected a date like 2024-10-31, got {value!r}") from None
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CodecError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CodecError(f"{where}: expected a whole number, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise CodecError(f"{where}: expected text, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise CodecError(f"{where}: expected true/false, got {value!r}")
        return value
    if hint is Any:
        return value
    raise CodecError(f"{where}: cannot decode type {hint!r}")
