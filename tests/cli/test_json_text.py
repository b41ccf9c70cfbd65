"""json_text writes exactly what json.dumps(value, ensure_ascii=False, indent=2) writes."""

from __future__ import annotations

import json
import math
from enum import IntEnum, StrEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.dose import examples
from zzreview.cli.output import json_text


class Colour(StrEnum):
    RED = "red"


class Size(IntEnum):
    BIG = 3


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from([Colour.RED, Size.BIG, "新增高新技术企业", 'a"b\\c\n\u2028\x00', -0.0, 1e300, 5e-324])
)
KEYS = st.text() | st.sampled_from([Colour.RED, "id", "名称"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.tuples(inner, inner) | st.dictionaries(KEYS, inner, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=examples(500), deadline=None)
@given(VALUES)
def test_the_same_text_as_json_dumps(value: object) -> None:
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_keys_json_turns_into_text_and_values_it_cannot_write() -> None:
    odd = {7: "seven", 2.5: math.inf, True: None, False: 0, None: [], "": {}}
    assert json_text(odd) == json.dumps(odd, ensure_ascii=False, indent=2)
    try:
        json_text({"when": object()})
    except TypeError:
        pass  # as json.dumps says
    else:
        raise AssertionError("an object json cannot write must raise as json.dumps does")
