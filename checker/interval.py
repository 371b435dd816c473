"""Decimal interval arithmetic for rounded figures (BRIEF §3).

A figure printed with d decimals stands for every value within ±0.5·10^−d of it. We carry
that range through + − × ÷ with outward rounding (the low end rounded down, the high end
up), so a computed range always contains every value the true figures could produce.
Two figures are *consistent* when their ranges intersect — the XBRL Calculations 1.1 rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

_DOWN = Context(prec=40, rounding=ROUND_FLOOR)
_UP = Context(prec=40, rounding=ROUND_CEILING)
_ZERO = Decimal(0)


class DivisionByZero(ArithmeticError):
    """The divisor's range contains 0, so the quotient is unbounded."""


@dataclass(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    # ---- construction
    @classmethod
    def exact(cls, value: Decimal | int | str) -> Interval:
        v = Decimal(value)
        return cls(v, v)

    @classmethod
    def rounded(cls, value: Decimal, decimals: int, scale: Decimal = Decimal(1)) -> Interval:
        """The range a figure displayed as ``value`` with ``decimals`` decimals stands for, times ``scale``."""
        half = Decimal(5).scaleb(-(decimals + 1))
        lo = _DOWN.multiply(_DOWN.subtract(value, half), scale)
        hi = _UP.multiply(_UP.add(value, half), scale)
        return cls(min(lo, hi), max(lo, hi))

    # ---- properties
    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    @property
    def width(self) -> Decimal:
        return self.hi - self.lo

    @property
    def is_exact(self) -> bool:
        return self.lo == self.hi

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    def contains_zero(self) -> bool:
        return self.contains(_ZERO)

    def magnitude(self) -> Decimal:
        return max(abs(self.lo), abs(self.hi))

    # ---- arithmetic
    def __add__(self, other: Interval) -> Interval:
        return Interval(_DOWN.add(self.lo, other.lo), _UP.add(self.hi, other.hi))

    def __sub__(self, other: Interval) -> Interval:
        return Interval(_DOWN.subtract(self.lo, other.hi), _UP.subtract(self.hi, other.lo))

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __mul__(self, other: Interval) -> Interval:
        pairs = [(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(_DOWN.multiply(a, b) for a, b in pairs), max(_UP.multiply(a, b) for a, b in pairs))

    def __truediv__(self, other: Interval) -> Interval:
        if other.contains_zero():
            raise DivisionByZero(f"divisor range [{other.lo}, {other.hi}] contains 0")
        pairs = [(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(_DOWN.divide(a, b) for a, b in pairs), max(_UP.divide(a, b) for a, b in pairs))

    def __abs__(self) -> Interval:
        if self.lo >= 0:
            return self
        if self.hi <= 0:
            return -self
        return Interval(_ZERO, max(-self.lo, self.hi))

    def widen(self, amount: Decimal) -> Interval:
        """The range grown by ``amount`` on both sides (an explicit tolerance)."""
        return Interval(_DOWN.subtract(self.lo, amount), _UP.add(self.hi, amount))

    # ---- comparison: "could the true values satisfy the relation?"
    def intersects(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def possibly_lt(self, other: Interval) -> bool:
        return self.lo < other.hi

    def possibly_le(self, other: Interval) -> bool:
        return self.lo <= other.hi

    def __str__(self) -> str:
        return str(self.lo) if self.is_exact else f"[{self.lo}, {self.hi}]"


def compare(op: str, left: Interval, right: Interval) -> bool:
    """Whether ``left op right`` can hold for some true values inside the two ranges.

    ``==`` means the ranges meet; ``!=`` means they cannot be equal (disjoint). Ordering
    relations hold when some pair of values satisfies them, so rounding never raises a finding.
    """
    match op:
        case "==":
            return left.intersects(right)
        case "!=":
            return not left.intersects(right)
        case "<":
            return left.possibly_lt(right)
        case "<=":
            return left.possibly_le(right)
        case ">":
            return right.possibly_lt(left)
        case ">=":
            return right.possibly_le(left)
    raise ValueError(f"unknown comparison {op}")


def format_decimal(value: Decimal, decimals: int, grouping: bool = True) -> str:
    """``17091.19`` → ``17,091.19``: the way the reports print figures, rounded half up."""
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) if decimals >= 0 else value
    text = format(q, f"{',' if grouping else ''}.{max(decimals, 0)}f")
    return "0" + text[2:] if text.startswith("-0") and q == 0 else text
