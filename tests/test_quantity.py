"""Figures, units, targets, dates and direction words as printed in disclosures."""

from decimal import Decimal

import pytest

from checker.quantity import find_dates, find_directions, find_quantities, parse_quantity, parse_target


def figures(text):
    return [(str(q.value), q.decimals, q.unit) for q in find_quantities(text)]


def test_thousands_separators_and_decimals_kept():
    assert figures("收入总计17,091.19万元，其中：财政拨款16,737.76万元，占97.93%") == [
        ("17091.19", 2, "万元"), ("16737.76", 2, "万元"), ("97.93", 2, "%")]


def test_stray_spaces_a_conversion_leaves_inside_a_figure():
    """A space at the thousands comma, a space as the separator, a space before the unit or the %."""
    assert figures("支出3, 415.17万元，收入1 234.56万元，另有2 345.60 万元，占 12.30 %") == [
        ("3415.17", 2, "万元"), ("1234.56", 2, "万元"), ("2345.60", 2, "万元"), ("12.30", 2, "%")]
    text = "收入1 234.56万元"
    (q,) = find_quantities(text)
    assert text[q.start:q.end] == "1 234.56万元"


def test_a_space_between_whole_numbers_still_separates_two_figures():
    assert figures("下设6 123") == [("6", 0, ""), ("123", 0, "")]


def test_full_width_digits_and_percent_keep_offsets():
    text = "支出１２３．４５万元，占５０％"
    qs = find_quantities(text)
    assert [(str(q.value), q.unit) for q in qs] == [("123.45", "万元"), ("50", "%")]
    assert text[qs[0].start:qs[0].end] == "１２３．４５万元"


@pytest.mark.parametrize("unit", ["元", "万元", "亿元", "人", "辆", "个", "套", "家", "次", "场", "批次", "人次",
                                  "平方米", "公里", "台（套）"])
def test_units(unit):
    assert figures(f"共计3{unit}。") == [("3", 0, unit)]


def test_years_dates_and_list_numbers_are_not_figures():
    assert figures("2024年度，1.一般公共服务支出(类)5.00万元，（2）截至2024年12月31日") == [("5.00", 2, "万元")]


def test_dates():
    dates = find_dates("租赁时间2023年7月11日—2024年7月10日，12月10日前完成")
    assert [(d.year, d.month, d.day) for d in dates] == [(2023, 7, 11), (2024, 7, 10), (None, 12, 10)]


@pytest.mark.parametrize(("text", "comparator", "value", "unit"), [
    (">=30家", ">=", "30", "家"), ("≥1辆", ">=", "1", "辆"), ("≤1辆", "<=", "1", "辆"),
    ("<=32.28万元", "<=", "32.28", "万元"), ("=100%", "=", "100", "%"), ("＞５次", ">", "5", "次"),
    ("90%以上", ">=", "90", "%"), ("不低于95%", ">=", "95", "%"), ("10人以下", "<=", "10", "人"),
    ("1426.34亿元", None, "1426.34", "亿元"),
])
def test_targets(text, comparator, value, unit):
    target = parse_target(text)
    assert target.comparator == comparator
    assert target.value.value == Decimal(value) and target.value.unit == unit


def test_deadline_targets():
    target = parse_target("2024年12月20日前")
    assert target.comparator == "<="
    assert (target.value.year, target.value.month, target.value.day) == (2024, 12, 20)


def test_qualitative_target():
    target = parse_target("显著")
    assert target.is_qualitative and target.text == "显著"


def test_parse_quantity_cells():
    assert parse_quantity("9,372.57").value == Decimal("9372.57")
    assert parse_quantity("100.00分").unit == "分"
    assert parse_quantity("0.00", "万元").unit == "万元"
    assert parse_quantity("计划标准") is None


def test_direction_words():
    words = [(sign, word) for _, _, sign, word in find_directions("增加5万元，下降3%，与上年持平，降低")]
    assert words == [(1, "增加"), (-1, "下降"), (0, "持平"), (-1, "降低")]


def test_halfwidth_is_the_character_by_character_translation():
    """`to_halfwidth` replaces the distinct full-width characters a text holds: the same as translating every
    character, offsets kept, whatever mix of them and of other text."""
    import random

    from checker.quantity import _FULLWIDTH, to_halfwidth

    rng = random.Random(5)
    alphabet = [chr(c) for c in range(0xFF00, 0xFF62)] + ["\u3000", "\u2212", "\u2211", "，", "中", "1", " ", "a"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(30)))
        converted = to_halfwidth.__wrapped__(text)
        assert converted == text.translate(_FULLWIDTH)
        assert len(converted) == len(text)
