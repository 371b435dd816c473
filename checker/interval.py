"""Decimal interval arithmetic for rounded figures (BRIEF §3).

A figure printed with d decimals stands for every value within ±0.5·10^−d of it. We carry
that range through + − × ÷ with outward rounding (the low end rounded down, the high end
up), so a computed range always contains every value the true figures could produce.
Two figures are *consistent* when their ranges intersect — the XBRL Calculations 1.1 rule.

Two refinements keep rounding from excusing real errors:
- the range of a rounded figure is open at its ends (34.02 stands for [34.015, 34.025): a value
  of exactly 34.025 would have been printed 34.03), so ranges that merely touch do not meet;
- a figure printed as zero (0.00) is nil, not "anything below half a cent".
Each interval also carries its *nominal* value, computed from the figures as printed, which is
what a report shows as "should be" (111.11%, not the midpoint of a lopsided range).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

_DOWN = Context(prec=40, rounding=ROUND_FLOOR)
_UP = Context(prec=40, rounding=ROUND_CEILING)
_ZERO = Decimal(0)


class DivisionByZero(ArithmeticError):
    """The divisor's range contains 0, so the quotient is unbounded."""


@dataclass(slots=True, unsafe_hash=True)
class Interval:
    """The values a figure or a computation may have: [lo, hi], open at the ends of a rounded range.
    Never changed once made; not frozen only because arithmetic makes one per operation (see
    `checker.findings.Trace`)."""

    lo: Decimal
    hi: Decimal
    closed: bool = field(default=True, compare=False)
    nominal: Decimal | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    # ---- construction
    @classmethod
    def exact(cls, value: Decimal | int | str) -> Interval:
        v = Decimal(value)
        return cls(v, v, True, v)

    @classmethod
    def rounded(cls, value: Decimal, decimals: int, scale: Decimal = Decimal(1)) -> Interval:
        """The range a figure displayed as ``value`` with ``decimals`` decimals stands for, times ``scale``."""
        if value == 0:
            return cls.exact(_ZERO)
        half = Decimal(5).scaleb(-(decimals + 1))
        lo = _DOWN.multiply(_DOWN.subtract(value, half), scale)
        hi = _UP.multiply(_UP.add(value, half), scale)
        return cls(min(lo, hi), max(lo, hi), False, value * scale)

    # ---- properties
    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    @property
    def value(self) -> Decimal:
        """The value computed from the figures as printed (the midpoint when that is unknown)."""
        return self.nominal if self.nominal is not None else self.mid

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
    def _with(self, other: Interval, lo: Decimal, hi: Decimal, nominal) -> Interval:
        both = self.nominal is not None and other.nominal is not None
        # A computed range that collapsed to one point (0 ÷ anything) is exact.
        return Interval(lo, hi, (self.closed and other.closed) or lo == hi, nominal() if both else None)

    def __add__(self, other: Interval) -> Interval:
        return self._with(other, _DOWN.add(self.lo, other.lo), _UP.add(self.hi, other.hi),
                          lambda: self.nominal + other.nominal)

    def __sub__(self, other: Interval) -> Interval:
        return self._with(other, _DOWN.subtract(self.lo, other.hi), _UP.subtract(self.hi, other.lo),
                          lambda: self.nominal - other.nominal)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.closed, None if self.nominal is None else -self.nominal)

    def __mul__(self, other: Interval) -> Interval:
        pairs = [(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return self._with(other, min(_DOWN.multiply(a, b) for a, b in pairs),
                          max(_UP.multiply(a, b) for a, b in pairs), lambda: self.nominal * other.nominal)

    def __truediv__(self, other: Interval) -> Interval:
        if other.contains_zero():
            raise DivisionByZero(f"divisor range [{other.lo}, {other.hi}] contains 0")
        pairs = [(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        nominal_ok = other.nominal is not None and other.nominal != 0
        result = self._with(other, min(_DOWN.divide(a, b) for a, b in pairs),
                            max(_UP.divide(a, b) for a, b in pairs),
                            lambda: _UP.divide(self.nominal, other.nominal))
        return result if nominal_ok else Interval(result.lo, result.hi, result.closed)


    def __abs__(self) -> Interval:
        nominal = None if self.nominal is None else abs(self.nominal)
        if self.lo >= 0:
            return self
        if self.hi <= 0:
            return -self
        # The range straddles 0: its low end is 0 itself, a real end.
        return Interval(_ZERO, max(-self.lo, self.hi), True, nominal)

    def widen(self, amount: Decimal) -> Interval:
        """The range grown by ``amount`` on both sides (an explicit tolerance, whose ends count)."""
        return Interval(_DOWN.subtract(self.lo, amount), _UP.add(self.hi, amount), True, self.nominal)

    # ---- comparison: "could the true values satisfy the relation?"
    def _touching_counts(self, other: Interval) -> bool:
        """Ranges that touch at one end meet only when both ends are real (exact figures, tolerances)."""
        return (self.closed or self.is_exact) and (other.closed or other.is_exact)

    def intersects(self, other: Interval) -> bool:
        if self.lo < other.hi and other.lo < self.hi:
            return True
        return self._touching_counts(other) and self.lo <= other.hi and other.lo <= self.hi

    def possibly_lt(self, other: Interval) -> bool:
        return self.lo < other.hi

    def possibly_le(self, other: Interval) -> bool:
        return self.lo < other.hi or (self._touching_counts(other) and self.lo <= other.hi)

    def __str__(self) -> str:
        return str(self.lo) if self.is_exact else f"[{self.lo}, {self.hi}]"


#: Each comparison operator as a test of two ranges (see `compare`).
COMPARISONS: dict[str, Callable[[Interval, Interval], bool]] = {
    "==": Interval.intersects,
    "!=": lambda left, right: not left.intersects(right),
    "<": Interval.possibly_lt,
    "<=": Interval.possibly_le,
    ">": lambda left, right: right.possibly_lt(left),
    ">=": lambda left, right: right.possibly_le(left),
}


def compare(op: str, left: Interval, right: Interval) -> bool:
    """Whether ``left op right`` can hold for some true values inside the two ranges.

    ``==`` means the ranges meet; ``!=`` means they cannot be equal (disjoint). Ordering
    relations hold when some pair of values satisfies them, so rounding never raises a finding.
    """
    test = COMPARISONS.get(op)
    if test is None:
        raise ValueError(f"unknown comparison {op}")
    return test(left, right)


def format_decimal(value: Decimal, decimals: int, grouping: bool = True) -> str:
    """``17091.19`` → ``17,091.19``: the way the reports print figures, rounded half up."""
    if decimals >= 0:  # with room for every digit: a figure may be longer than the default 28 digits
        room = Context(prec=max(28, max(value.adjusted(), 0) + decimals + 2))
        q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=room)
    else:
        q = value
    text = format(q, f"{',' if grouping else ''}.{max(decimals, 0)}f")
    return "0" + text[2:] if text.startswith("-0") and q == 0 else text
