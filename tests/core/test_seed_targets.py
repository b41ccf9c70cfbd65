"""The shipped plan (data/plan.toml) follows its seed text (data/seed-plan.txt).

The TOML is read with tomllib directly, so these checks do not depend on the plan loader.
Every number the seed states with a unit is either a target in the plan or listed in
EXCLUDED with the reason it is not one; so a target missing from the plan fails here.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SEED_PATH = ROOT / "data" / "seed-plan.txt"
PLAN_PATH = ROOT / "data" / "plan.toml"
DEMO_PATH = ROOT / "data" / "demo.toml"

YEAR_END = date(2024, 12, 31)

# (phrase in the seed, number, unit, horizon, accumulation) for every numeric target.
TARGETS: list[tuple[str, float, str, str, str]] = [
    ("力争全年新增高新技术企业1000家以上", 1000, "家", "year", "cumulative"),
    ("新引进培育高层次人才100名以上", 100, "名", "period", "cumulative"),
    ("产业骨干人才800名以上", 800, "名", "period", "cumulative"),
    ("全年吸引来郑留郑大学生20万人", 20, "万人", "year", "cumulative"),
    ("新型铝合金项目等800个重大工业项目建设", 800, "个", "period", "level"),
    ("力争下半年新增工业投资760亿元", 760, "亿元", "period", "cumulative"),
    ("全年完成投资1300亿元", 1300, "亿元", "year", "cumulative"),
    ("力争年内新增3个上市品种", 3, "个", "year", "cumulative"),
    ("力争全年开行3500列以上", 3500, "列", "year", "cumulative"),
    ("新增物流豫军企业10家左右", 10, "家", "year", "cumulative"),
    ("A级物流企业10家以上", 10, "家", "year", "cumulative"),
]

# Every dated deliverable (年底前: all in the sentences that say so): name and due date.
MILESTONES: dict[str, date] = {
    "观音寺调蓄工程开工建设": YEAR_END,
    "城市轨道交通6号线一期建成通车": YEAR_END,
    "城市轨道交通7号线一期建成通车": YEAR_END,
    "城市轨道交通8号线一期建成通车": YEAR_END,
    "华润登封电厂长输供热管线建成投用": YEAR_END,
    "大唐巩义电厂长输供热管线工程主体完工": YEAR_END,
    "“郑好融”征信公司获得央行牌照": YEAR_END,
}

# A number (Arabic or Chinese numerals) followed by a unit-like character.
NUMBER_WITH_UNIT = re.compile(
    r"(?:\d+(?:\.\d+)?|[零〇一二三四五六七八九十百千万亿两]+)\s*"
    r"(?:万人|万元|亿元|小时|号线|公里|平方米|家|名|列|个|人|条|所|项|批|届|次|年|月|日|天|周"
    r"|倍|件|座|台|辆|吨|%|％)"
)

# Seed numbers that are not targets, with the reason.
EXCLUDED: dict[str, str] = {
    "十个": "十个方面: the number of focus areas",
    "38条": "38条举措: the number of measures",
    "27所": "中电科第27所: the name of a research institute",
    "713所": "中船重工第713所: the name of a research institute",
    "一批": "打造一批消费场景: no number stated",
    "五届": "第五届“醉美·夜郑州”消费季: an edition",
    "144小时": "144小时过境免签: the visa-free transit policy",
    "8月": "8月15日上午: the date of the report",
    "15日": "8月15日上午: the date of the report",
    "十二届": "第十二届委员会: the party committee's term",
    "六次": "第六次全体会议: the plenary session",
    "2024年": "2024年下半年 / 2024年促进跨境贸易便利化专项行动: a year",
    "8号线": "6、7、8号线: line numbers (milestones 4.4.1-4.4.3, not targets)",
    "三个": "三个省级民营经济示范城市试点: existing pilot sites, nothing to add",
    "三年": "三年行动计划: the span of an ongoing action plan",
    "万家": "万家灯火: a figure of speech",
    "万人": "“万人助万企”: the name of a campaign",
}

# Arabic numbers that stand alone (no unit) and are not targets.
BARE_NUMBERS_ALLOWED = {
    "重点工作": "heading numbers 重点工作1-10",
    "“1+8+N”": "event format",
    "“1+N”": "policy-system format",
    "S2、T1、T3线": "rail line names",
    "6、7、8号线": "rail line names",
}


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan() -> dict:
    with PLAN_PATH.open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def demo() -> dict:
    with DEMO_PATH.open("rb") as f:
        return tomllib.load(f)


def measures(plan: dict) -> list[dict]:
    return [m for a in plan["areas"] for m in a["measures"]]


def indicators(plan: dict) -> list[dict]:
    return [i for m in measures(plan) for i in m["indicators"]]


def of_kind(plan: dict, kind: str) -> list[dict]:
    return [i for i in indicators(plan) if i["kind"] == kind]


def number_unit(number: float, unit: str) -> str:
    """How the seed writes a target: 1000 家 -> "1000家"."""
    return f"{number:g}{unit}"


# --- structure ------------------------------------------------------------------------


def test_plan_header(plan: dict) -> None:
    head = plan["plan"]
    assert head["id"] == "zhengzhou-2024h2"
    assert head["title"] == "郑州市扎实推进2024年下半年经济稳进向好若干措施"
    assert head["short_title"] == "十个方面38条举措"
    assert head["start"] == date(2024, 7, 1)
    assert head["end"] == YEAR_END
    assert head["language"] == "zh"
    assert head["cadence_months"] == 1


def test_area_titles_follow_seed_headings(seed: str, plan: dict) -> None:
    headings = re.findall(r"^重点工作(\d+):\s*(\S+)\s*$", seed, flags=re.MULTILINE)
    assert [int(n) for n, _ in headings] == list(range(1, 11))
    assert [(a["number"], a["title"]) for a in plan["areas"]] == [(int(n), title) for n, title in headings]
    assert all(a.get("title_en") for a in plan["areas"])


def test_exactly_38_measures(plan: dict) -> None:
    assert len(measures(plan)) == 38


def test_ids_follow_text_order(plan: dict) -> None:
    for area in plan["areas"]:
        for k, measure in enumerate(area["measures"], start=1):
            assert measure["id"] == f"{area['number']}.{k}"
            assert measure["indicators"], f"measure {measure['id']} has no indicator"
            for j, ind in enumerate(measure["indicators"], start=1):
                assert ind["id"] == f"{measure['id']}.{j}"
                assert ind.get("name_en"), f"{ind['id']} lacks name_en"
                if ind["kind"] == "target":
                    assert ind.get("unit_en"), f"{ind['id']} lacks unit_en"


def test_measure_text_is_the_seeds_own_words(seed: str, plan: dict) -> None:
    for measure in measures(plan):
        text = measure["text"].strip()
        assert text and text in seed, f"measure {measure['id']} text is not in the seed"
        assert measure["title"].strip()
        assert measure.get("title_en")


def test_source_text_is_the_seeds_own_words(seed: str, plan: dict) -> None:
    for ind in indicators(plan):
        source = ind["source_text"].strip()
        assert source and source in seed, f"{ind['id']} source_text is not in the seed"


def test_lead_units_are_named_in_the_measure_text(plan: dict) -> None:
    for measure in measures(plan):
        for unit in measure["lead_units"]:
            assert unit in measure["text"], f"{measure['id']}: {unit} is not in its text"


# --- targets --------------------------------------------------------------------------


@pytest.mark.parametrize(("phrase", "number", "unit", "horizon", "accumulation"), TARGETS)
def test_each_seed_target_is_in_the_plan(
    seed: str,
    plan: dict,
    phrase: str,
    number: float,
    unit: str,
    horizon: str,
    accumulation: str,
) -> None:
    assert phrase in seed
    assert number_unit(number, unit) in phrase
    found = [i for i in of_kind(plan, "target") if phrase in i["source_text"]]
    assert len(found) == 1, f"{phrase}: {len(found)} target indicators"
    ind = found[0]
    assert ind["target"] == number
    assert ind["unit"] == unit
    assert ind["horizon"] == horizon
    assert ind["accumulation"] == accumulation
    assert ind["direction"] == ">="
    assert ind.get("baseline", 0) == 0


def test_plan_has_no_target_beyond_the_table(plan: dict) -> None:
    assert len(of_kind(plan, "target")) == len(TARGETS)


def test_targets_sit_in_the_measure_that_states_them(plan: dict) -> None:
    for measure in measures(plan):
        for ind in measure["indicators"]:
            if ind["kind"] == "target":
                written = number_unit(ind["target"], ind["unit"])
                assert written in ind["source_text"], ind["id"]
                assert written in measure["text"], ind["id"]


def test_every_number_in_the_seed_is_a_target_or_excluded(seed: str, plan: dict) -> None:
    found = Counter(m.group() for m in NUMBER_WITH_UNIT.finditer(seed))
    unexplained = Counter({k: n for k, n in found.items() if k not in EXCLUDED})
    planned = Counter(number_unit(i["target"], i["unit"]) for i in of_kind(plan, "target"))
    assert unexplained == planned
    stale_exclusions = set(EXCLUDED) - set(found)
    assert not stale_exclusions, f"EXCLUDED lists numbers the seed lacks: {stale_exclusions}"


def test_no_bare_number_is_left_unexplained(seed: str) -> None:
    rest = seed
    for phrase in BARE_NUMBERS_ALLOWED:
        if phrase == "重点工作":
            rest = re.sub(r"重点工作\d+", "", rest)
        else:
            assert phrase in seed
            rest = rest.replace(phrase, "")
    rest = NUMBER_WITH_UNIT.sub("", rest)
    assert re.findall(r"\d+", rest) == []


# --- milestones and qualitative indicators --------------------------------------------


def test_milestones_are_the_dated_deliverables(plan: dict) -> None:
    got = {i["name"]: i["due"] for i in of_kind(plan, "milestone")}
    assert got == MILESTONES
    for ind in of_kind(plan, "milestone"):
        assert "target" not in ind
        assert plan["plan"]["start"] <= ind["due"] <= plan["plan"]["end"]


def test_year_end_items_are_due_on_the_31st(seed: str, plan: dict) -> None:
    sentences = [s for s in re.split(r"[。\n]", seed) if "年底前" in s]
    for ind in of_kind(plan, "milestone"):
        if any(ind["source_text"] in s for s in sentences):
            assert ind["due"] == YEAR_END, ind["id"]


def test_qualitative_indicators_have_no_target(plan: dict) -> None:
    for ind in of_kind(plan, "qualitative"):
        assert "target" not in ind, ind["id"]
        assert "due" not in ind, ind["id"]
        assert ind["checklist"], f"{ind['id']} has an empty checklist"


def test_only_known_kinds(plan: dict) -> None:
    assert {i["kind"] for i in indicators(plan)} <= {"target", "milestone", "qualitative"}


# --- demo data ------------------------------------------------------------------------


def test_demo_is_labelled_illustrative(demo: dict) -> None:
    assert demo["demo"]["illustrative"] is True
    assert "示例" in demo["demo"]["notice"]
    assert demo["demo"]["notice_en"]


def test_demo_refers_only_to_plan_indicators_of_the_right_kind(plan: dict, demo: dict) -> None:
    kinds = {i["id"]: i["kind"] for i in indicators(plan)}
    for section, kind in (("values", "target"), ("milestones", "milestone")):
        for row in demo[section]:
            assert kinds.get(row["indicator"]) == kind, (section, row["indicator"])
    for row in demo["evidence"]:
        assert kinds.get(row["indicator"]) == "qualitative", row["indicator"]


def test_demo_measures_meetings_and_areas_exist(plan: dict, demo: dict) -> None:
    measure_area = {m["id"]: a["number"] for a in plan["areas"] for m in a["measures"]}
    meeting_ids = {m["id"] for m in demo["meetings"]}
    for meeting in demo["meetings"]:
        for judgement in meeting.get("judgements", []):
            assert judgement["measure"] in measure_area
        for row in meeting.get("decisions", []) + meeting.get("notes", []):
            if "area" in row:
                assert row["area"] in measure_area.values()
        for item in meeting.get("agenda", []):
            assert item["area"] in measure_area.values()
    for action in demo["actions"]:
        assert action["meeting"] in meeting_ids
        assert measure_area[action["measure"]] == action["area"], action["id"]


def test_demo_has_values_for_every_target(plan: dict, demo: dict) -> None:
    with_values = {row["indicator"] for row in demo["values"]}
    assert with_values == {i["id"] for i in of_kind(plan, "target")}


def test_demo_reports_every_milestone(plan: dict, demo: dict) -> None:
    reported = {row["indicator"] for row in demo["milestones"]}
    assert reported == {i["id"] for i in of_kind(plan, "milestone")}
    states = {row["state"] for row in demo["milestones"]}
    assert states == {"not_started", "in_progress", "done", "slipped"}


def test_exactly_one_target_goes_stale(demo: dict) -> None:
    latest: dict[str, date] = {}
    for row in demo["values"]:
        latest[row["indicator"]] = max(latest.get(row["indicator"], row["as_of"]), row["as_of"])
    stale = [k for k, d in latest.items() if d < date(2024, 9, 1)]
    assert len(stale) == 1, stale


def test_demo_fates_vary_at_end_of_october(plan: dict, demo: dict) -> None:
    """Completion minus 序时进度 at 2024-10-31: ahead, on track, behind, far behind, achieved."""
    as_of = date(2024, 10, 31)
    period = (plan["plan"]["start"], plan["plan"]["end"])
    year = (date(2024, 1, 1), date(2024, 12, 31))
    values = {row["indicator"]: row["value"] for row in demo["values"] if row["as_of"] == as_of}
    gaps = []
    for ind in of_kind(plan, "target"):
        if ind["id"] not in values or ind["accumulation"] != "cumulative":
            continue
        start, end = period if ind["horizon"] == "period" else year
        expected = ((as_of - start).days + 1) / ((end - start).days + 1)
        completion = values[ind["id"]] / ind["target"]
        gaps.append((completion - expected) * 100)
        if ind["horizon"] == "period":
            assert expected == pytest.approx(0.668, abs=0.001)
        else:
            assert expected == pytest.approx(0.833, abs=0.001)
    assert any(g > 5 for g in gaps), "nothing ahead"
    assert any(0 <= g <= 3 for g in gaps), "nothing on track"
    assert any(-30 <= g <= -10 for g in gaps), "nothing behind"
    assert any(g < -30 for g in gaps), "nothing far behind"
    completions = [values[i["id"]] / i["target"] for i in of_kind(plan, "target") if i["id"] in values]
    assert any(c >= 1 for c in completions), "nothing achieved"


def test_demo_meetings_and_actions(demo: dict) -> None:
    meetings = {m["id"]: m for m in demo["meetings"]}
    september = meetings["2024-09-30"]
    assert september["state"] == "closed"
    assert 8 <= len(september["attendees"]) <= 12
    presence = Counter(a["presence"] for a in september["attendees"])
    assert presence["absent"] >= 1 and presence["deputised"] >= 1
    assert 3 <= len(september["decisions"]) <= 4
    assert meetings["2024-10-31"]["state"] == "planned"

    actions = demo["actions"]
    assert 6 <= len(actions) <= 9
    assert all(a["meeting"] == "2024-09-30" for a in actions)
    still_open = [a for a in actions if a["status"] in ("open", "in_progress")]
    assert len(still_open) > len(actions) / 2
    assert any(a["due"] < date(2024, 10, 31) for a in still_open), "nothing overdue"
    done = [a for a in actions if a["status"] == "done"]
    assert len(done) == 1 and done[0]["evidence"]
    assert any(len(a["supporting_units"]) > 1 for a in actions)
