"""What an event records of one document: the fields that changed, never the whole document.

An entry in an event's `changes` is one of

- ``{"table", "doc_id", "op": "insert", "doc": {...}}`` — a new document, whole;
- ``{"table", "doc_id", "op": "delete", "was": {...}}`` — the document as it was;
- ``{"table", "doc_id", "op": "update", "set": {field: new}, "append": {field: [items]},
  "unset": [field], "was": {field: old}}`` — only what changed: a list that grew at its end (an
  item's history) records just the new items, so a thousand updates to one item add a
  thousand short entries, not a thousand copies of a growing history.

Files written before schema 3 hold ``{"table", "doc_id", "before", "after"}`` entries; they
are read as they are (a journal is replayed in the schema it was written in) and rewritten
in this form by the migration. Undo works from either: `holds` says whether a document still
shows an entry's change, `undone` gives the document with the change taken back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Doc = dict[str, Any]

OPS = ("insert", "update", "delete")


def entry(table: str, doc_id: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> Doc:
    """The entry that takes `before` to `after` (None: no document)."""
    head: Doc = {"table": table, "doc_id": doc_id}
    if before is None:
        return {**head, "op": "insert", "doc": dict(after or {})}
    if after is None:
        return {**head, "op": "delete", "was": dict(before)}
    changed: Doc = {"op": "update"}
    set_: Doc = {}
    append: Doc = {}
    was: Doc = {}
    for key, value in after.items():
        if key in before and before[key] == value:
            continue
        old = before.get(key)
        if (
            isinstance(old, list)
            and isinstance(value, list)
            and len(value) > len(old)
            and value[: len(old)] == old
        ):
            append[key] = value[len(old) :]
            continue
        set_[key] = value
        if key in before:
            was[key] = old
    unset = [key for key in before if key not in after]
    for key in unset:
        was[key] = before[key]
    for name, part in (("set", set_), ("append", append), ("unset", unset), ("was", was)):
        if part:
            changed[name] = part
    return {**head, **changed}


def is_empty(change: Mapping[str, Any]) -> bool:
    """True for an update that changes nothing."""
    return change.get("op") == "update" and not any(change.get(k) for k in ("set", "append", "unset"))


def applied(current: Mapping[str, Any] | None, change: Mapping[str, Any]) -> Doc | None:
    """The document after `change` (None: deleted)."""
    if "op" not in change:  # before schema 3
        after = change["after"]
        return None if after is None else dict(after)
    op = change["op"]
    if op == "insert":
        return dict(change["doc"])
    if op == "delete":
        return None
    doc = dict(current or {})
    doc.update(change.get("set", {}))
    for key, items in change.get("append", {}).items():
        doc[key] = [*doc.get(key, []), *items]
    for key in change.get("unset", ()):
        doc.pop(key, None)
    return doc


def holds(current: Mapping[str, Any] | None, change: Mapping[str, Any], ignore: Iterable[str] = ()) -> bool:
    """True while `current` still shows what `change` did (fields in `ignore` aside): nothing
    that change wrote has been changed again since."""
    skip = set(ignore)
    if "op" not in change:
        after = change["after"]
        if current is None or after is None:
            return current is None and after is None
        return _without(current, skip) == _without(after, skip)
    op = change["op"]
    if op == "insert":
        return current is not None and _without(current, skip) == _without(change["doc"], skip)
    if op == "delete":
        return current is None
    if current is None:
        return False
    for key, value in change.get("set", {}).items():
        if key not in skip and current.get(key) != value:
            return False
    for key, items in change.get("append", {}).items():
        now = current.get(key)
        if key not in skip and not (
            isinstance(now, list) and len(now) >= len(items) and now[len(now) - len(items) :] == items
        ):
            return False
    return all(key in skip or key not in current for key in change.get("unset", ()))


def undone(
    current: Mapping[str, Any] | None, change: Mapping[str, Any], keep: Iterable[str] = ()
) -> Doc | None:
    """`current` with `change` taken back (None: no document); fields in `keep` stay as they
    are now. Call only where `holds` is true."""
    kept = {key: current[key] for key in keep if current is not None and key in current}
    if "op" not in change:
        before = change["before"]
        return None if before is None else {**before, **kept}
    op = change["op"]
    if op == "insert":
        return None
    if op == "delete":
        return {**change["was"], **kept}
    doc = dict(current or {})
    was = change.get("was", {})
    for key in change.get("set", {}):
        if key in was:
            doc[key] = was[key]
        else:
            doc.pop(key, None)
    for key, items in change.get("append", {}).items():
        doc[key] = doc[key][: len(doc[key]) - len(items)]
    for key in change.get("unset", ()):
        doc[key] = was[key]
    return {**doc, **kept}


def shape_problem(change: Any) -> str | None:
    """What keeps `change` from being an entry (either form), or None."""
    if not isinstance(change, dict) or not isinstance(change.get("table"), str):
        return "it names no table"
    if "op" not in change:
        if "after" not in change or not (change["after"] is None or isinstance(change["after"], dict)):
            return "it is not {table, doc_id, before, after}"
        return None
    op = change["op"]
    if op not in OPS:
        return f"its op {op!r} is not one of {', '.join(OPS)}"
    if op == "insert" and not isinstance(change.get("doc"), dict):
        return "an insert without its document"
    if op == "delete" and not isinstance(change.get("was"), dict):
        return "a delete without the document it removed"
    if op == "update":
        if not all(isinstance(change.get(k, {}), dict) for k in ("set", "append", "was")):
            return "an update whose set, append or was is not an object"
        if not isinstance(change.get("unset", []), list):
            return "an update whose unset is not a list"
        if not all(isinstance(v, list) for v in change.get("append", {}).values()):
            return "an update that appends something other than a list"
    return None


def _without(doc: Mapping[str, Any], skip: set[str]) -> Doc:
    return {k: v for k, v in doc.items() if k not in skip}
