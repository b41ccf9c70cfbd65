"""Numbers with their units as a person writes them (issue: readable in both languages)."""

from __future__ import annotations

import pytest

from zzreview.i18n.quantity import format_quantity, quantity_parts, singular

YUAN = ("亿元", "100m yuan")
PEOPLE_10K = ("万人", "10k people")
PRODUCTS = ("个", "products")
FIRMS = ("家", "firms")
TRAINS = ("列", "trains")
PEOPLE = ("名", "people")
PERCENT = ("%", "%")


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        (760, YUAN, "760亿元", "76.0 bn yuan"),
        (3.5, YUAN, "3.5亿元", "350.0 million yuan"),
        (0.5, YUAN, "0.5亿元", "50.0 million yuan"),
        (20, PEOPLE_10K, "20万人", "200,000 people"),
        (21.3, PEOPLE_10K, "21.3万人", "213,000 people"),
        (150, PEOPLE_10K, "150万人", "1.5 million people"),
        (1, PRODUCTS, "1个", "1 product"),
        (3, PRODUCTS, "3个", "3 products"),
        (1, PEOPLE, "1名", "1 person"),
        (2930, TRAINS, "2930列", "2,930 trains"),
        (150_000, FIRMS, "15万家", "150,000 firms"),
        (12.5, PERCENT, "12.5%", "12.5%"),
        (0, FIRMS, "0家", "0 firms"),
        (-1, PRODUCTS, "-1个", "-1 product"),
    ],
)
def test_a_value_reads_as_a_person_writes_it(value, unit, zh: str, en: str) -> None:
    assert format_quantity(value, *unit, "zh") == zh
    assert format_quantity(value, *unit, "en") == en


@pytest.mark.parametrize(
    ("rate", "unit", "zh", "en"),
    [
        (0.66, PRODUCTS, "约1个", "about 1 product"),
        (0.2, FIRMS, "约1家", "about 1 firm"),
        (1.7, FIRMS, "约2家", "about 2 firms"),
        (2.5, FIRMS, "约3家", "about 3 firms"),
        (284.4, TRAINS, "约284列", "about 284 trains"),
        (150_000, FIRMS, "约15万家", "about 150,000 firms"),
        (175.4, YUAN, "175亿元", "17.5 bn yuan"),
        (1.26, YUAN, "1.3亿元", "126.0 million yuan"),
        (0.35, PEOPLE_10K, "0.3万人", "3,500 people"),
    ],
)
def test_a_run_rate_in_a_counted_unit_is_whole_and_says_about(rate, unit, zh: str, en: str) -> None:
    """Nobody needs 0.66 of a product a month: a count is whole (at least 1 when anything is
    needed); an amount keeps a decimal where it is small, as an estimate."""
    assert format_quantity(rate, *unit, "zh", estimate=True) == zh
    assert format_quantity(rate, *unit, "en", estimate=True) == en


def test_the_number_and_the_unit_come_apart_for_a_big_digit_panel() -> None:
    assert quantity_parts(410, *YUAN, "en") == ("41.0", "bn yuan")
    assert quantity_parts(410, *YUAN, "zh") == ("410", "亿元")
    assert quantity_parts(1, *PRODUCTS, "en") == ("1", "product")


def test_without_an_english_unit_english_keeps_the_plans_unit_as_it_is() -> None:
    assert format_quantity(760, "亿元", "", "en") == "760 亿元"
    assert format_quantity(None, *YUAN, "en") == "—"


@pytest.mark.parametrize(
    ("plural", "one"),
    [
        ("products", "product"),
        ("people", "person"),
        ("new firms", "new firm"),
        ("facilities", "facility"),
        ("buses", "bus"),
        ("boxes", "box"),
        ("classes", "class"),
        ("kW", "kW"),
    ],
)
def test_one_of_a_counted_unit_is_singular(plural: str, one: str) -> None:
    assert singular(plural) == one
