"""The shape check's fast path (every open at city scale runs it over 70,000 documents) gives
the same verdict as looking at each document id on its own, so a file with one odd id is
still refused and named."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zzreview.storage.shapes import is_doc_id, shape_problem

ODD_IDS = ["01", "00", "-1", "-0", "+1", " 1", "1 ", "1_0", "１", "٣", "", "1\x00", "0x1", "1.0", "1e3"]

keys = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.sampled_from(ODD_IDS),
    st.text(alphabet="0123456789-+_ ０１\x00", max_size=4),
)
documents = st.one_of(st.just({}), st.just([]), st.just("x"), st.just(None))


def one_by_one(table: dict) -> bool:
    return all(is_doc_id(key) and isinstance(doc, dict) for key, doc in table.items())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, documents, max_size=8))
def test_the_fast_check_agrees_with_looking_at_each_id(table: dict) -> None:
    assert (shape_problem({"t": table}, need_meta=False) is None) == one_by_one(table)


@pytest.mark.parametrize("odd", ODD_IDS)
def test_one_odd_id_among_many_is_named(odd: str) -> None:
    table = {str(n): {} for n in range(1, 5000)}
    table[odd] = {}
    problem = shape_problem({"values": table}, need_meta=False)
    assert problem == f"table 'values' has a document id {odd!r} that is not a whole number"


def test_one_document_that_is_not_an_object_is_named() -> None:
    table = {str(n): {} for n in range(1, 5000)}
    table["4000"] = [1, 2]
    problem = shape_problem({"values": table}, need_meta=False)
    assert problem == "document 4000 of table 'values' is a list, not an object"
