"""A value saved is worked into the figures incrementally: the points by indicator are brought up
to date from the documents added and removed since (`Repository._points_upto`), and only the
indicators whose points changed are judged again (`plan_status`'s `StatusMemo`). The answers
must be exactly what a fresh repository works out from every document; these tests hold the
two side by side through random saves and undos, and count (never time) what one save redoes."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dose import examples
from zzreview.analysis import DEFAULT_PRESET, PRESETS, plan_status
from zzreview.analysis import status as status_module
from zzreview.domain import DataPoint, MilestoneState, State
from zzreview.meeting.figures import status_at, status_memo
from zzreview.plans.demo import shipped_demo
from zzreview.plans.loader import shipped_plan
from zzreview.storage.layout import VALUES_TABLE
from zzreview.storage.repository import Repository, _TableShape
from zzreview.storage.seed import initial_tables
from zzreview.storage.store import Store

CURRENT = "2024-10-31"
CLOSED = "2024-09-30"
CHINA = timezone(timedelta(hours=8))
RULES = PRESETS[DEFAULT_PRESET]


@functools.cache
def _demo_tables() -> dict[str, Any]:
    plan = shipped_plan()
    return initial_tables(plan, shipped_demo(plan), plan_source="shipped", rules=DEFAULT_PRESET)


def _repo() -> Repository:
    clock = lambda: datetime(2024, 10, 31, 15, 30, tzinfo=CHINA)  # noqa: E731
    return Repository(Store.memory(_demo_tables()), who="测试员", seat="secretary", clock=clock)


def _fresh(repo: Repository) -> Repository:
    """Another repository on the same store: it works everything out from every document."""
    return Repository(repo.store, who="测试员", seat="secretary")


def _full_status(repo: Repository, meeting_id: str):
    """The status a fresh repository works out, without any memo."""
    fresh = _fresh(repo)
    meeting = fresh.meeting(meeting_id)
    figures = fresh.figures(meeting)
    rules = PRESETS[figures.rules] if figures.rules else RULES
    return plan_status(fresh.plan(), dict(figures.points), figures.as_of, rules)


def _assert_same_as_full(repo: Repository) -> None:
    fresh = _fresh(repo)
    closed_upto = repo.store.table("meetings")
    upto = next(doc["snapshot"]["values_upto"] for doc in closed_upto.values() if doc.get("id") == CLOSED)
    for which in (None, upto):
        kept = repo.point_tuples(which)
        again = fresh.point_tuples(which)
        # The same points, and the indicators in the same order.
        assert list(kept.items()) == list(again.items())
        assert repo.data_points(which) == fresh.data_points(which)
    for meeting_id in (CURRENT, CLOSED):
        incremental = status_at(repo, repo.meeting(meeting_id), None)
        full = _full_status(repo, meeting_id)
        assert incremental == full
        assert list(incremental.statuses) == list(full.statuses)
        for mine, theirs in zip(incremental.areas, full.areas, strict=True):
            assert mine.counts == theirs.counts
            assert mine.behind == theirs.behind
            assert mine.mean_gap == theirs.mean_gap


_STATES = ["", *(s.value for s in MilestoneState), *(s.value for s in State)]

points = st.builds(
    lambda indicator, day, value, state, evidence: (indicator, day, value, state, evidence),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=-400, max_value=120),
    st.one_of(st.none(), st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)),
    st.sampled_from(_STATES),
    st.sampled_from(["", "材料已报送", "evidence"]),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.lists(points, min_size=1, max_size=3)),
        st.tuples(st.just("undo"), st.integers(min_value=0, max_value=10_000)),
        st.tuples(st.just("check"), st.just(0)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_incremental_figures_are_what_a_full_recompute_gives(ops) -> None:
    repo = _repo()
    plan = repo.plan()
    # Indicators of each kind, and two ids the plan does not have (so without values until
    # here: their first value can be taken back while a later one stays).
    idents = [*(i.id for i in plan.indicators[:8]), "9.9.8", "9.9.9"]
    _assert_same_as_full(repo)
    recorded = []
    for op, arg in ops:
        if op == "add":
            batch = [
                DataPoint(
                    idents[n % len(idents)],
                    date(2024, 10, 31) + timedelta(days=day),
                    value=value,
                    state=state,
                    evidence=evidence,
                )
                for n, day, value, state, evidence in arg
            ]
            saved = repo.record_points(batch)
            recorded.append(saved.event)
        elif op == "undo" and recorded:
            # Any of the values recorded here, not only the latest: a document leaves the
            # middle of the table as well as its end.
            event = recorded.pop(arg % len(recorded))
            repo.undo(event)
        else:
            continue
        _assert_same_as_full(repo)
    _assert_same_as_full(repo)


def test_an_indicator_whose_first_value_is_taken_back_moves_after_the_others() -> None:
    # The points by indicator list the indicators in the order of their first values: when the
    # first goes and a later one stays, the indicator moves, as a full recompute has it.
    repo = _repo()
    day = date(2024, 10, 31)
    first = repo.record_points([DataPoint("9.9.8", day, value=1.0)]).event
    repo.record_points([DataPoint("9.9.9", day, value=2.0)])
    repo.record_points([DataPoint("9.9.8", day + timedelta(days=1), value=3.0)])
    assert list(repo.point_tuples())[-2:] == ["9.9.8", "9.9.9"]
    repo.undo(first)
    assert list(repo.point_tuples())[-2:] == ["9.9.9", "9.9.8"]
    _assert_same_as_full(repo)


def test_one_value_saved_judges_one_indicator_again(monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo()
    current, closed = repo.meeting(CURRENT), repo.meeting(CLOSED)
    status_at(repo, current, None)
    status_at(repo, closed, None)
    before = repo.point_tuples()
    judged: list[str] = []
    real = status_module.indicator_status

    def counted(indicator, *args, **kwargs):
        judged.append(indicator.id)
        return real(indicator, *args, **kwargs)

    decoded: list[str] = []
    real_decode = repo._decode

    def counted_decode(cls, doc, table):
        decoded.append(table)
        return real_decode(cls, doc, table)

    monkeypatch.setattr(status_module, "indicator_status", counted)
    monkeypatch.setattr(repo, "_decode", counted_decode)
    repo.record_points([DataPoint("4.2.2", date(2024, 10, 31), value=455.0)])

    live = status_at(repo, current, None)
    assert judged == ["4.2.2"]
    assert status_memo(repo, CURRENT).computed == 1
    # The closed meeting saw the values up to its close: nothing of it is judged again.
    status_at(repo, closed, None)
    assert judged == ["4.2.2"]
    assert status_memo(repo, CLOSED).computed == 0
    # The one document added is the only one decoded, and every other indicator keeps its
    # very tuple of points.
    assert decoded == [VALUES_TABLE]
    after = repo.point_tuples()
    assert [k for k in after if after[k] is not before.get(k)] == ["4.2.2"]
    assert live.indicator("4.2.2").current == 455.0
    # Taking it back judges that one indicator again, and only it.
    repo.undo(repo.events()[-1])
    status_at(repo, current, None)
    assert judged == ["4.2.2", "4.2.2"]
    assert status_at(repo, current, None) == _full_status(repo, CURRENT)


# -- the table's listing, step by step ----------------------------------------------------------------


class _Doc:
    """A document that equals only itself (the store never changes one in place)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"doc{self.n}"


@settings(max_examples=examples(200), deadline=None)
@given(
    st.integers(min_value=0, max_value=30),
    st.sets(st.integers(min_value=0, max_value=30)),
    st.sets(st.integers(min_value=0, max_value=30)),
    st.integers(min_value=0, max_value=5),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_a_listing_diff_reproduces_the_table_or_declines(
    size, removed, replaced, added, shuffle, rnd
) -> None:
    keys = [str(n) for n in range(1, size + 1)]
    docs = [_Doc(n) for n in range(size)]
    shape = _TableShape(keys, docs, {}, 0, ())
    table = dict(zip(keys, docs, strict=True))
    for n in removed:
        table.pop(str(n), None)
    for n in replaced:
        if str(n) in table:
            table[str(n)] = _Doc(100 + n)
    for n in range(added):
        table[str(size + 1 + n)] = _Doc(200 + n)
    items = list(table.items())
    if shuffle:
        rnd.shuffle(items)
    new_keys, new_docs = [k for k, _ in items], [d for _, d in items]
    diff = shape.diff(new_keys, new_docs)
    if diff is None:
        # Declined only when the documents were put in another order.
        assert shuffle
        return
    patched = dict(zip(keys, docs, strict=True))
    for key in diff.removed:
        del patched[key]
    for key, doc in diff.replaced:
        patched[key] = doc
    for key, doc in diff.added:
        patched[key] = doc
    assert list(patched.items()) == items
