"""How many examples a property test tries.

A plain run of the suite tries a quarter of each test's full dose (at least 25), so the whole
suite stays quick on two cores; `ZZREVIEW_PROPERTIES=full python -m pytest` tries every example
each test asks for. Hypothesis keeps the examples that failed before and tries them first either way.
"""

from __future__ import annotations

import os

PROPERTIES_ENV = "ZZREVIEW_PROPERTIES"


def examples(full: int) -> int:
    """The number of examples to try of a property test whose full dose is `full`."""
    if os.environ.get(PROPERTIES_ENV, "").strip().lower() == "full":
        return full
    return min(full, max(25, full // 4))
