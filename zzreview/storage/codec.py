"""Converting domain dataclasses to TinyDB documents (plain JSON) and back.

One generic converter driven by the dataclasses' type hints: dates become ISO strings, enums
their values, tuples lists, and `dict[int, …]` keys strings (JSON objects only have string
keys). Decoding is strict about shape so a hand-edited file that lost a field is reported,
not half-read; text comes out with any surrogate code point (never a character) as U+FFFD.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from zzreview.domain.text import SURROGATES, replace_surrogates

T = TypeVar("T")


class CodecError(ValueError):
    """A stored document that does not have the shape its type needs."""


class _Misfit(Exception):
    """Raised inside decoding; the path to the bad field is added on the way out, so the
    happy path never formats a field path it will not need."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str] = []


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


Decoder = Callable[[Any], Any]


def from_doc(cls: type[T], doc: Any, where: str = "") -> T:
    """Decode `doc` into `cls`; CodecError names the field that does not fit."""
    try:
        return _decoder(cls)(doc)
    except _Misfit as misfit:
        path = "".join(reversed(misfit.path))
        raise CodecError(f"{where or cls.__name__}{path}: {misfit.reason}") from None


@cache
def _decoder(hint: Any) -> Decoder:
    """A function that decodes one value of type `hint`, built once per type.

    Opening a large database decodes tens of thousands of documents; looking at the type
    hints once per type instead of once per value makes that about ten times faster.
    """
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(typing.get_args(hint))
    if origin is tuple:
        item = _decoder(typing.get_args(hint)[0])

        def decode_tuple(value: Any) -> tuple:
            if not isinstance(value, list):
                raise _Misfit(f"expected a list, got {value!r}")
            result = []
            for index, entry in enumerate(value):
                try:
                    result.append(item(entry))
                except _Misfit as misfit:
                    misfit.path.append(f"[{index}]")
                    raise
            return tuple(result)

        return decode_tuple
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        decode_value = _decoder(value_type)

        def decode_dict(value: Any) -> dict:
            if not isinstance(value, dict):
                raise _Misfit(f"expected an object, got {value!r}")
            result = {}
            for key, entry in value.items():
                try:
                    result[key_type(key)] = decode_value(entry)
                except ValueError:
                    raise _Misfit(f"keys must be {key_type.__name__}, got {key!r}") from None
                except _Misfit as misfit:
                    misfit.path.append(f".{key}")
                    raise
            return result

        return decode_dict
    if dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_decoder(hint)
    if hint is date:
        return _decode_date
    if hint in _SCALARS:
        return _SCALARS[hint]
    if hint is Any:
        return lambda value: value
    raise CodecError(f"cannot decode type {hint!r}")


def _union_decoder(options: tuple[Any, ...]) -> Decoder:
    optional = type(None) in options
    decoders = [_decoder(option) for option in options if option is not type(None)]

    def decode_union(value: Any) -> Any:
        if value is None and optional:
            return None
        first: _Misfit | None = None
        for decode in decoders:
            try:
                return decode(value)
            except _Misfit as misfit:
                first = first or misfit
        raise first or _Misfit(f"unexpected {value!r}")

    return decode_union


def _dataclass_decoder(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = [
        (
            field.name,
            _decoder(hints[field.name]),
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING,
        )
        for field in dataclasses.fields(cls)
    ]

    def decode_dataclass(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _Misfit(f"expected an object, got {value!r}")
        kwargs = {}
        for name, decode, required in fields:
            if name in value:
                try:
                    kwargs[name] = decode(value[name])
                except _Misfit as misfit:
                    misfit.path.append(f".{name}")
                    raise
            elif required:
                raise _Misfit(f"missing field {name!r}")
        return cls(**kwargs)

    return decode_dataclass


def _enum_decoder(cls: type[Enum]) -> Decoder:
    options = ", ".join(str(m.value) for m in cls)

    def decode_enum(value: Any) -> Enum:
        try:
            return cls(value)
        except ValueError:
            raise _Misfit(f"expected one of {options}, got {value!r}") from None

    return decode_enum


def _decode_date(value: Any) -> date:
    if not isinstance(value, str):
        raise _Misfit(f"expected a date, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Misfit(f"expected a date like 2024-10-31, got {value!r}") from None


def _decode_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Misfit(f"expected a number, got {value!r}")
    return float(value)


def _decode_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Misfit(f"expected a whole number, got {value!r}")
    return value


def _decode_str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Misfit(f"expected text, got {value!r}")
    # Another program can write "\ud800" into the file: valid JSON, but not a character, and
    # printing or saving it would fail. `zzreview check` names where it is.
    if value.isascii() or SURROGATES.search(value) is None:
        return value
    return replace_surrogates(value)


def _decode_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Misfit(f"expected true/false, got {value!r}")
    return value


_SCALARS: dict[Any, Decoder] = {float: _decode_float, int: _decode_int, str: _decode_str, bool: _decode_bool}
