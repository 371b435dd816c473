"""Interval arithmetic for rounded figures (BRIEF §3)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from checker.interval import DivisionByZero, Interval, compare, format_decimal


def fig(text: str) -> Interval:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Interval.rounded(Decimal(text), decimals)


def pct(text: str) -> Interval:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Interval.rounded(Decimal(text), decimals, Decimal("0.01"))


def test_a_displayed_figure_is_a_half_unit_interval():
    assert fig("553.48") == Interval(Decimal("553.475"), Decimal("553.485"))
    assert fig("42") == Interval(Decimal("41.5"), Decimal("42.5"))


def test_percent_becomes_a_ratio_with_its_rounding():
    assert pct("97.93") == Interval(Decimal("0.979250"), Decimal("0.979350"))


def test_parts_reconcile_with_a_total_one_cent_off():
    total = fig("516.40") + fig("37.09")
    assert total == Interval(Decimal("553.480"), Decimal("553.500"))
    assert compare("==", fig("553.48"), total)
    assert not compare("==", fig("553.46"), total)


def test_three_shares_summing_to_99_97_are_not_100_percent():
    shares = pct("33.32") + pct("33.32") + pct("33.33")
    assert not compare("==", shares, Interval.exact(1))
    assert compare("==", pct("33.33") + pct("33.33") + pct("33.33"), Interval.exact(1))


def test_subtraction_and_negation_widen_correctly():
    assert fig("10.0") - fig("3.0") == Interval(Decimal("6.90"), Decimal("7.10"))
    assert -fig("1.0") == Interval(Decimal("-1.05"), Decimal("-0.95"))


def test_multiplication_takes_all_endpoint_products():
    assert Interval(Decimal(-2), Decimal(3)) * Interval(Decimal(-1), Decimal(4)) == Interval(Decimal(-8), Decimal(12))


def test_division_rounds_outward_and_contains_the_true_quotient():
    rate = fig("-21.03") / fig("375.78")
    assert rate.lo < Decimal("-21.03") / Decimal("375.78") < rate.hi
    third = Interval.exact(1) / Interval.exact(3)
    assert Fraction(third.lo) < Fraction(1, 3) < Fraction(third.hi)


def test_growth_rate_through_input_intervals():
    change, current = fig("3856.59"), fig("7365.20")
    assert compare("==", pct("109.92"), change / (current - change))
    assert not compare("==", pct("109.80"), change / (current - change))


def test_division_by_an_interval_containing_zero_is_explicit():
    with pytest.raises(DivisionByZero):
        fig("5.00") / fig("0.00")
    with pytest.raises(DivisionByZero):
        fig("5.00") / Interval(Decimal(-1), Decimal(1))


def test_tolerance_widens():
    # 100.00 stands for [99.995, 100.005) and 100.05 ± 0.04 for [100.005, 100.095]: they only touch.
    assert not compare("==", fig("100.00"), fig("100.05").widen(Decimal("0.04")))
    assert compare("==", fig("100.00"), fig("100.05").widen(Decimal("0.045")))
    assert not compare("==", fig("100.00"), fig("100.05").widen(Decimal("0.03")))


def test_ordering_gives_rounding_the_benefit_of_the_doubt():
    # 10.00 is at least 9.995 and 9.99 below 9.995: ranges that only touch cannot satisfy <=.
    assert not compare("<=", fig("10.00"), fig("9.99"))
    assert compare("<=", fig("10.00"), fig("10.00"))
    assert not compare("<", fig("10.10"), fig("10.00"))
    # Two figures printed at two decimals that differ by 0.01 cannot stand for the same value …
    assert compare("!=", fig("1.00"), fig("1.02")) and compare("!=", fig("1.00"), fig("1.01"))
    # … but a sum of two such figures can (0.50 + 0.51 may be 1.005 − ε, printed 1.00).
    assert not compare("!=", fig("1.00"), fig("0.50") + fig("0.51"))


def test_zero_is_nil_and_touching_ranges_do_not_meet():
    # 34.03 + 0.00 cannot be 34.02: zero is exact and [34.025, 34.035) does not meet [34.015, 34.025).
    assert not compare("==", fig("34.02"), fig("34.03") + fig("0.00"))
    assert not compare("<=", fig("34.03"), fig("34.02"))
    assert fig("0.00").is_exact


def test_nominal_value_is_computed_from_the_printed_figures():
    ratio = fig("100") / fig("90")
    assert str(ratio.value.quantize(Decimal("0.0001"))) == "1.1111"


def test_abs_and_exact():
    assert abs(Interval(Decimal(-2), Decimal(1))) == Interval(Decimal(0), Decimal(2))
    assert Interval.exact("3").is_exact and not fig("3").is_exact
    with pytest.raises(ValueError):
        Interval(Decimal(2), Decimal(1))


def test_format_decimal_prints_like_the_reports():
    assert format_decimal(Decimal("17091.185"), 2) == "17,091.19"
    assert format_decimal(Decimal("-0.001"), 2) == "0.00"
    assert format_decimal(Decimal("5"), 0) == "5"
