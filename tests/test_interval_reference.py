"""Interval construction and arithmetic as written for speed give what the plain formulas give: the same
ends (with the same exponents, as a report may print them), openness and nominal value."""

from __future__ import annotations

import itertools
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

import pytest

from checker.interval import Interval, format_decimal

DOWN = Context(prec=40, rounding=ROUND_FLOOR)
UP = Context(prec=40, rounding=ROUND_CEILING)

FIGURES = ["0", "0.00", "1", "42", "-3.5", "553.48", "17091.185", "0.001", "-0.02", "12345678901234.56", "97.93"]
SCALES = [Decimal(1), Decimal("0.01"), Decimal("0.0001"), Decimal("0.1"), Decimal(10000), Decimal(-2), Decimal(0)]


def same(a: Interval, b: Interval) -> bool:
    """Equal ends written alike, equal openness and nominal (`Interval` equality compares the ends only)."""
    return (str(a.lo), str(a.hi), a.closed, str(a.nominal)) == (str(b.lo), str(b.hi), b.closed, str(b.nominal))


def reference_rounded(value: Decimal, decimals: int, scale: Decimal) -> Interval:
    if value == 0:
        return Interval(Decimal(0), Decimal(0), True, Decimal(0))
    half = Decimal(5).scaleb(-(decimals + 1))
    lo = DOWN.multiply(DOWN.subtract(value, half), scale)
    hi = UP.multiply(UP.add(value, half), scale)
    return Interval(min(lo, hi), max(lo, hi), False, value * scale)


def reference(op: str, a: Interval, b: Interval) -> Interval:
    both = a.nominal is not None and b.nominal is not None
    if op in "+-":
        lo = DOWN.add(a.lo, b.lo) if op == "+" else DOWN.subtract(a.lo, b.hi)
        hi = UP.add(a.hi, b.hi) if op == "+" else UP.subtract(a.hi, b.lo)
        nominal = (a.nominal + b.nominal if op == "+" else a.nominal - b.nominal) if both else None
    else:
        pairs = [(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        down, up = (DOWN.multiply, UP.multiply) if op == "*" else (DOWN.divide, UP.divide)
        lo, hi = min(down(x, y) for x, y in pairs), max(up(x, y) for x, y in pairs)
        nominal = (a.nominal * b.nominal if op == "*" else UP.divide(a.nominal, b.nominal)) if both else None
    return Interval(lo, hi, (a.closed and b.closed) or lo == hi, nominal)


def figures() -> list[Interval]:
    out = []
    for text, scale in itertools.product(FIGURES, SCALES):
        decimals = len(text.split(".")[1]) if "." in text else 0
        out.append(Interval.rounded(Decimal(text), decimals, scale))
    # Ends equal in value but written differently: ties that min and max break by order.
    ties = [Interval(Decimal("0.00"), Decimal("0.000")), Interval(Decimal("2.0"), Decimal("2.00"), True, Decimal(2)),
            Interval(Decimal("1"), Decimal("1.000")), Interval(Decimal("0.0"), Decimal("3.00"))]
    return [*out, Interval.exact(3), Interval.exact("-0.5"), Interval(Decimal(1), Decimal(2)), *ties]


@pytest.mark.parametrize("text", FIGURES)
@pytest.mark.parametrize("scale", SCALES)
def test_a_rounded_figure_is_the_formula_s_range(text: str, scale: Decimal) -> None:
    decimals = len(text.split(".")[1]) if "." in text else 0
    assert same(Interval.rounded(Decimal(text), decimals, scale), reference_rounded(Decimal(text), decimals, scale))


@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_arithmetic_is_the_formula_s(op: str) -> None:
    for a, b in itertools.product(figures(), repeat=2):
        if op == "/" and b.lo <= 0 <= b.hi:
            continue
        made = {"+": Interval.__add__, "-": Interval.__sub__, "*": Interval.__mul__, "/": Interval.__truediv__}[op]
        assert same(made(a, b), reference(op, a, b)), (a, op, b)


def test_an_interval_built_from_its_ends_is_still_checked() -> None:
    with pytest.raises(ValueError):
        Interval(Decimal(2), Decimal(1))


@pytest.mark.parametrize("decimals", [0, 1, 2, 4, 15])
def test_a_long_figure_is_formatted_with_room_for_every_digit(decimals: int) -> None:
    value = Decimal("123456789012345678901234567890.123456789")
    assert format_decimal(value, decimals, grouping=False) == f"{value:.{decimals}f}"
