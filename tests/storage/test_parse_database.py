"""The database file is read by orjson where it can and by the standard library where it
cannot: either way the store sees what `json.loads` would give it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.dose import examples
from zzreview.storage import durable
from zzreview.storage.durable import parse_database

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)


def same(a, b) -> bool:
    """Equal and of the same types all the way down (1 and 1.0, -0.0 and 0.0 told apart)."""
    return json.dumps(a) == json.dumps(b)


@settings(max_examples=examples(300), deadline=None)
@given(tables=st.dictionaries(st.sampled_from(["meta", "values", "actions", "mine"]), VALUES, max_size=3))
def test_any_file_reads_as_json_loads_reads_it(tables) -> None:
    for raw in (json.dumps(tables), json.dumps(tables, ensure_ascii=False, indent=1)):
        assert same(parse_database(raw.encode("utf-8", "surrogatepass")), json.loads(raw))


@pytest.mark.parametrize(
    "raw",
    [
        b'{"values": {"1": {"value": NaN}}}',
        b'{"values": {"1": {"value": Infinity}}}',
        b'{"actions": {"1": {"text": "\\ud800"}}}',
        b'{"values": {"1": {"value": 1e400}}}',
        b'{"mine": {"1": {"n": 123456789012345678901234567890}}}',
        b'{"a": 1, "a": 2}',
    ],
    ids=["nan", "infinity", "lone-surrogate", "overflow", "big-int-elsewhere", "duplicate-key"],
)
def test_what_orjson_declines_is_read_as_the_standard_library_reads_it(raw: bytes) -> None:
    assert same(parse_database(raw), json.loads(raw.decode("utf-8")))


@pytest.mark.parametrize(
    "raw, error",
    [
        (b'{"meta": {"1": {"text": "\xff"}}}', UnicodeDecodeError),
        (b'{"meta": {"1": {}}} trailing', json.JSONDecodeError),
        (b"\xef\xbb\xbf{}", json.JSONDecodeError),
        (b"[" * 100_000, RecursionError),
    ],
    ids=["not-utf8", "trailing", "bom", "too-deep"],
)
def test_a_file_that_is_not_json_raises_what_json_loads_raises(raw: bytes, error: type) -> None:
    with pytest.raises(error):
        parse_database(raw)


def test_a_huge_whole_number_in_the_stores_own_tables_reads_as_a_float() -> None:
    """orjson reads it as a float; no field of the store's own holds one, and the decoder
    refuses a float where a whole number belongs (tested with the codec)."""
    data = parse_database(b'{"meta": {"1": {"journal_seq": 123456789012345678901234567890}}}')
    assert data["meta"]["1"]["journal_seq"] == pytest.approx(1.2345678901234568e29)


def test_without_orjson_the_standard_library_reads_every_file(monkeypatch) -> None:
    monkeypatch.setattr(durable, "orjson", None)
    raw = b'{"values": {"1": {"value": 1.5, "n": 123456789012345678901234567890}}}'
    assert same(parse_database(raw), json.loads(raw))
