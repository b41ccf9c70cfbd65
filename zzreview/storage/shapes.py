"""Shape checks: whether JSON data has the shape of a zzreview database.

Each check returns what is wrong in a few words (for a `StoreError` message that names the
file and the fix), or None when nothing is; none of them raises or touches a file.
"""

from __future__ import annotations

import re
from typing import Any

from zzreview.storage.layout import META_ID, META_TABLE


def json_kind(value: Any) -> str:
    """What kind of JSON value `value` is, as a message says it ("an object", "a list"…)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "null"


def is_doc_id(value: Any) -> bool:
    """True for TinyDB's document ids: a whole number written without sign or leading zeros."""
    return (
        isinstance(value, str) and value.isascii() and value.isdigit() and (value == "0" or value[0] != "0")
    )


def is_int(value: Any) -> bool:
    """True for a whole number (JSON's true/false are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _all_docs(docs: dict[Any, Any]) -> bool:
    """True when every key of `docs` is a document id and every value an object, worked out
    at C speed: every open of a city-scale file looks at 70,000 of them (60 ms one by one,
    under 10 here). False says only that `shape_problem` must look one by one to name the
    first that is not. Keys joined are all ASCII digits exactly when each key is digits (or
    empty); joined between NULs, no key is empty or starts with a 0 followed by more."""
    keys = list(docs)
    if not keys:
        return True
    if not set(map(type, keys)) <= {str}:
        return False
    joined = "".join(keys)
    if not (joined.isascii() and joined.isdigit()):
        return False
    marked = "\0" + "\0".join(keys) + "\0"
    if "\0\0" in marked or _LEADING_ZERO.search(marked):
        return False
    return set(map(type, docs.values())) <= {dict}


_LEADING_ZERO = re.compile("\0" + "0[0-9]")


def shape_problem(data: Any, *, need_meta: bool = True) -> str | None:
    """What keeps `data` from being a zzreview database, or None if nothing does."""
    if not isinstance(data, dict):
        return f"the top level is {json_kind(data)}, not an object of tables"
    for name, docs in data.items():
        if not isinstance(docs, dict):
            return f"table {name!r} is {json_kind(docs)}, not an object of documents"
        if _all_docs(docs):
            continue
        for doc_id, doc in docs.items():
            if not is_doc_id(doc_id):
                return f"table {name!r} has a document id {doc_id!r} that is not a whole number"
            if not isinstance(doc, dict):
                return f"document {doc_id} of table {name!r} is {json_kind(doc)}, not an object"
    if not need_meta:
        return None
    meta = data.get(META_TABLE, {}).get(META_ID)
    if meta is None:
        return "it has no meta document (table 'meta', id 1)"
    if not is_int(meta.get("schema_version")) or meta["schema_version"] < 1:
        return "its meta document has no whole-number schema_version"
    return None


def meta_problem(meta: dict[str, Any]) -> str | None:
    """What is missing from the meta document's own keys (checked once the schema is known)."""
    if not isinstance(meta.get("db_id"), str) or not meta["db_id"]:
        return "its meta document has no db_id"
    if not is_int(meta.get("journal_seq")) or meta["journal_seq"] < 0:
        return "its meta document has no whole-number journal_seq"
    return None
