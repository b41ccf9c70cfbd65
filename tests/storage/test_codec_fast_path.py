"""The decoder's fast path gives exactly what the strict path gives, or hands over to it.

Opening a large database decodes its documents with straight-line code per dataclass
(`codec._fast_dataclass_decoder`); anything unusual goes to the strict decoder, which
either decodes it or names the field that does not fit. These tests hold the two together.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.dose import examples
from zzreview.domain import ActionItem, DataPoint, Meeting
from zzreview.meeting.session import demo_in_memory
from zzreview.storage import codec
from zzreview.storage.codec import CodecError, _decoder, _Misfit, from_doc, to_doc
from zzreview.storage.layout import ACTIONS_TABLE, MEETINGS_TABLE, VALUES_TABLE

TABLES = {ACTIONS_TABLE: ActionItem, VALUES_TABLE: DataPoint, MEETINGS_TABLE: Meeting}


def _docs(table: str) -> list[dict[str, Any]]:
    repo = demo_in_memory()
    return [dict(doc) for doc in repo.store.table(table).values()]


def _fast(cls: type, doc: Any) -> Any:
    return _decoder(cls, True)(doc)


def _strict(cls: type, doc: Any) -> Any:
    return _decoder(cls, True).strict(doc)


def _outcome(decode, doc: Any) -> tuple[str, Any]:
    try:
        return "value", decode(doc)
    except _Misfit as misfit:
        return "misfit", (misfit.reason, list(misfit.path))


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_demo_document_decodes_the_same_on_both_paths(table: str) -> None:
    cls = TABLES[table]
    docs = _docs(table)
    assert docs
    for doc in docs:
        fast = _fast(cls, doc)
        assert fast == _strict(cls, doc) == _decoder(cls, False)(doc) == from_doc(cls, doc)
        assert to_doc(fast) == to_doc(_strict(cls, doc))


def test_a_missing_field_with_a_default_factory_gets_a_fresh_one_each_time() -> None:
    doc = {"id": "2024-11-28", "title": "调度会", "date": "2024-11-28"}
    first, second = from_doc(Meeting, doc), from_doc(Meeting, doc)
    assert first.area_seconds == {} and first.area_seconds is not second.area_seconds
    assert first.agenda == () and first.state.value == "planned"


def test_a_whole_number_is_taken_as_a_float_and_a_date_is_a_date() -> None:
    point = from_doc(DataPoint, {"indicator_id": "1.1.1", "as_of": "2024-10-31", "value": 7})
    assert point.value == 7.0 and isinstance(point.value, float)
    assert point.as_of == date(2024, 10, 31)


def test_a_lone_surrogate_in_text_is_replaced_as_before() -> None:
    point = from_doc(DataPoint, {"indicator_id": "1.1.1", "as_of": "2024-10-31", "note": "好\ud800"})
    assert point.note == "好\ufffd"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"indicator_id": "1.1.1", "as_of": "2024-13-01"}, "as_of: expected a date like 2024-10-31"),
        ({"indicator_id": "1.1.1", "as_of": "2024-10-31", "value": "7"}, "value: expected a number"),
        ({"indicator_id": "1.1.1", "as_of": "2024-10-31", "value": True}, "value: expected a number"),
        ({"as_of": "2024-10-31"}, "missing field 'indicator_id'"),
        ({"indicator_id": 11, "as_of": "2024-10-31"}, "indicator_id: expected text"),
        (["1.1.1"], "expected an object"),
    ],
)
def test_a_document_that_does_not_fit_is_reported_by_field(doc: Any, message: str) -> None:
    with pytest.raises(CodecError) as raised:
        from_doc(DataPoint, doc, "values[3]")
    assert str(raised.value).startswith("values[3]")
    assert message in str(raised.value)


def test_a_bad_status_deep_in_an_action_is_reported_with_its_path() -> None:
    doc = copy.deepcopy(_docs(ACTIONS_TABLE)[0])
    doc["history"][0]["kind"] = "renamed"
    with pytest.raises(CodecError, match=r"history\[0\]\.kind: expected one of"):
        from_doc(ActionItem, doc, "actions[1]")


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "open", "done", "2024-10-31", "2024-02-30", "A1", "好\ud800", "raised"]),
    st.lists(st.sampled_from(["x", 1]), max_size=2),
    st.just({}),
)


@settings(max_examples=examples(150), deadline=None)
@given(
    table=st.sampled_from(sorted(TABLES)),
    index=st.integers(0, 40),
    field=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=14),
    value=ODD_VALUES,
    drop=st.booleans(),
    pick_known=st.booleans(),
)
def test_a_mangled_document_gets_the_strict_answer(
    table: str, index: int, field: str, value: Any, drop: bool, pick_known: bool
) -> None:
    cls = TABLES[table]
    docs = _docs(table)
    doc = copy.deepcopy(docs[index % len(docs)])
    if pick_known:
        keys = sorted(doc)
        field = keys[index % len(keys)]
    if drop:
        doc.pop(field, None)
    else:
        doc[field] = value
    assert _outcome(_decoder(cls, True), doc) == _outcome(_decoder(cls, True).strict, doc)
    assert _outcome(_decoder(cls, False), doc) == _outcome(_decoder(cls, True).strict, doc)


def test_a_type_is_compiled_once_it_has_been_decoded_compile_after_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled: list[str] = []
    build = codec._fast_dataclass_decoder

    def counted(cls: type, *rest: Any) -> Any:
        compiled.append(cls.__name__)
        return build(cls, *rest)

    monkeypatch.setattr(codec, "_fast_dataclass_decoder", counted)
    monkeypatch.setattr(codec, "_decoded", {})
    codec._decoder.cache_clear()
    try:
        doc = _docs(VALUES_TABLE)[0]
        strict = codec._decoder(DataPoint, False)
        for _ in range(codec.COMPILE_AFTER):
            assert from_doc(DataPoint, doc) == strict(doc)
        assert compiled == []
        assert from_doc(DataPoint, doc) == strict(doc)
        assert compiled == ["DataPoint"]
    finally:
        codec._decoder.cache_clear()
