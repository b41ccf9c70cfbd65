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


COMPILE_AFTER = 128
"""Documents of a type decoded the strict way before its fast decoder is built. Building one
compiles code (~0.5 ms a type, ~7 ms for the domain's fourteen), as long as decoding a hundred
documents the strict way: a command on a small database (the demo) never gets there and
compiles nothing; at scale the values and action items pass it within the first
milliseconds."""

_decoded: dict[type, int] = {}
"""How many documents of each type `from_doc` has decoded, up to COMPILE_AFTER."""


def from_doc(cls: type[T], doc: Any, where: str = "") -> T:
    """Decode `doc` into `cls`; CodecError names the field that does not fit."""
    seen = _decoded.get(cls, 0)
    if seen < COMPILE_AFTER:
        _decoded[cls] = seen + 1
        decode = _decoder(cls, False)
    else:
        decode = _decoder(cls, True)
    try:
        return decode(doc)
    except _Misfit as misfit:
        path = "".join(reversed(misfit.path))
        raise CodecError(f"{where or cls.__name__}{path}: {misfit.reason}") from None


@cache
def _decoder(hint: Any, compiled: bool) -> Decoder:
    """A function that decodes one value of type `hint`, built once per type.

    Opening a large database decodes tens of thousands of documents; looking at the type
    hints once per type instead of once per value makes that about ten times faster.
    `compiled`: dataclasses (and those inside them) get their fast decoder, written out as
    code (`_fast_dataclass_decoder`); without it, only the strict one, built at no cost.
    """
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(typing.get_args(hint), compiled)
    if origin is tuple:
        item = _decoder(typing.get_args(hint)[0], compiled)

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
        decode_value = _decoder(value_type, compiled)

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
        return _dataclass_decoder(hint, compiled)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_decoder(hint)
    if hint is date:
        return _decode_date
    if hint in _SCALARS:
        return _SCALARS[hint]
    if hint is Any:
        return lambda value: value
    raise CodecError(f"cannot decode type {hint!r}")


def _union_decoder(options: tuple[Any, ...], compiled: bool) -> Decoder:
    optional = type(None) in options
    decoders = [_decoder(option, compiled) for option in options if option is not type(None)]

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


def _dataclass_decoder(cls: type, compiled: bool) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = [
        (
            field.name,
            _decoder(hints[field.name], compiled),
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

    if not compiled:
        return decode_dataclass
    return _fast_dataclass_decoder(cls, hints, decode_dataclass)


class _Slow(Exception):
    """A value the fast path does not take as it is; the strict path decides."""


_MISSING = object()


def _fast_dataclass_decoder(cls: type, hints: dict[str, Any], strict: Decoder) -> Decoder:
    """A decoder for `cls` written out as straight-line code for its fields, built once.

    A document of the right shape (nearly all of them) is decoded with one dict lookup and
    one type test per field, and a frozen dataclass without `__post_init__` is filled in
    without its `__setattr__` guard: about three times faster than the loop of `strict`.
    Anything the fast path does not take as it is (a missing field, a wrong type, text
    holding a surrogate) goes to `strict`, which decodes it or says exactly what is wrong.
    """
    env: dict[str, Any] = {
        "cls": cls,
        "strict": strict,
        "_Slow": _Slow,
        "_Misfit": _Misfit,
        "_MISSING": _MISSING,
        "_new": object.__new__,
        "_fromiso": date.fromisoformat,
        "_float": _decode_float,
        "_surrogate": SURROGATES.search,
    }
    body: list[str] = []
    assigned: list[str] = []
    for index, field in enumerate(dataclasses.fields(cls)):
        var = f"v{index}"
        check = _field_check(var, hints[field.name], env, index)
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            body.append(f"{var} = value[{field.name!r}]")
            body.extend(check)
        else:
            body.append(f"{var} = get({field.name!r}, _MISSING)")
            if field.default is not dataclasses.MISSING:
                env[f"default{index}"] = field.default
                missing = f"default{index}"
            else:
                env[f"factory{index}"] = field.default_factory
                missing = f"factory{index}()"
            body.append(f"if {var} is _MISSING:")
            body.append(f"    {var} = {missing}")
            if check:
                body.append("else:")
                body.extend(f"    {line}" for line in check)
        assigned.append(f"{field.name}={var}")
    plain = "__post_init__" not in dir(cls)
    slots = cls.__dict__.get("__slots__")
    if plain and slots is None:
        body += ["made = _new(cls)", f"made.__dict__.update({', '.join(assigned)})", "return made"]
    elif plain and set(slots) == {field.name for field in dataclasses.fields(cls)}:
        # A slotted class (the ones there are tens of thousands of) is filled slot by slot
        # through its member descriptors, past the frozen guard likewise.
        body.append("made = _new(cls)")
        for index, field in enumerate(dataclasses.fields(cls)):
            env[f"set{index}"] = cls.__dict__[field.name].__set__
            body.append(f"set{index}(made, v{index})")
        body.append("return made")
    else:
        body.append(f"return cls({', '.join(assigned)})")
    source = "\n".join(
        [
            "def decode_fast(value):",
            "    if type(value) is not dict:",
            "        return strict(value)",
            "    get = value.get",
            "    try:",
            *(f"        {line}" for line in body),
            "    except (KeyError, TypeError, ValueError, _Slow, _Misfit):",
            "        return strict(value)",
        ]
    )
    exec(compile(source, f"<decoder of {cls.__name__}>", "exec"), env)
    fast = env["decode_fast"]
    fast.strict = strict  # the tests hold the two to the same answers
    return fast


def _field_check(var: str, hint: Any, env: dict[str, Any], index: int) -> list[str]:
    """The lines that take `var` as `hint` needs it, or raise for the strict path."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(hint) if option is not type(None)]
        if len(options) == 1 and len(typing.get_args(hint)) == 2:
            inner = _field_check(var, options[0], env, index)
            return [f"if {var} is not None:", *(f"    {line}" for line in inner)] if inner else []
    if hint is str:
        return [
            f"if type({var}) is not str:",
            "    raise _Slow",
            f"if not {var}.isascii() and _surrogate({var}) is not None:",
            "    raise _Slow",
        ]
    if hint is int:
        return [f"if type({var}) is not int:", "    raise _Slow"]
    if hint is bool:
        return [f"if type({var}) is not bool:", "    raise _Slow"]
    if hint is float:
        return [f"if type({var}) is not float:", f"    {var} = _float({var})"]
    if hint is date:
        return [f"if type({var}) is not str:", "    raise _Slow", f"{var} = _fromiso({var})"]
    if hint is Any:
        return []
    if isinstance(hint, type) and issubclass(hint, Enum):
        env[f"members{index}"] = {member.value: member for member in hint}
        return [f"{var} = members{index}[{var}]"]
    env[f"decode{index}"] = _decoder(hint, True)
    return [f"{var} = decode{index}({var})"]


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
