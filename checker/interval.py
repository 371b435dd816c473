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
_ONE = Decimal(1)
# The context operations, bound once: arithmetic makes an interval per operation of every rule.
_add_down, _add_up = _DOWN.add, _UP.add
_sub_down, _sub_up = _DOWN.subtract, _UP.subtract
_mul_down, _mul_up = _DOWN.multiply, _UP.multiply
_div_down, _div_up = _DOWN.divide, _UP.divide
#: Half a unit of the last decimal shown (0.005 for 2 decimals), for the decimals figures are printed with.
_HALVES = {decimals: Decimal(5).scaleb(-(decimals + 1)) for decimals in range(-4, 13)}


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
        v = value if type(value) is Decimal else Decimal(value)
        return _span(v, v, True, v)

    @classmethod
    def rounded(cls, value: Decimal, decimals: int, scale: Decimal = _ONE) -> Interval:
        """The range a figure displayed as ``value`` with ``decimals`` decimals stands for, times ``scale``
        (a unit's factor to 万元, a percent's to a ratio)."""
        if value == 0:
            return cls.exact(_ZERO)
        half = _HALVES.get(decimals)
        if half is None:
            half = Decimal(5).scaleb(-(decimals + 1))
        lo, hi = _sub_down(value, half), _add_up(value, half)
        if scale != _ONE:  # times one is the same number: not worked out
            lo, hi = _mul_down(lo, scale), _mul_up(hi, scale)
            if lo > hi:  # a negative factor
                lo, hi = hi, lo
        return _span(lo, hi, False, value * scale)

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
        return self.lo <= _ZERO <= self.hi

    def magnitude(self) -> Decimal:
        return max(abs(self.lo), abs(self.hi))

    # ---- arithmetic: the ends rounded outward, so each result's ends are ordered by construction
    def __add__(self, other: Interval) -> Interval:
        lo, hi, a, b = _add_down(self.lo, other.lo), _add_up(self.hi, other.hi), self.nominal, other.nominal
        return _span(lo, hi, (self.closed and other.closed) or lo == hi,
                     None if a is None or b is None else a + b)

    def __sub__(self, other: Interval) -> Interval:
        lo, hi, a, b = _sub_down(self.lo, other.hi), _sub_up(self.hi, other.lo), self.nominal, other.nominal
        return _span(lo, hi, (self.closed and other.closed) or lo == hi,
                     None if a is None or b is None else a - b)

    def __neg__(self) -> Interval:
        return _span(-self.hi, -self.lo, self.closed, None if self.nominal is None else -self.nominal)

    def __mul__(self, other: Interval) -> Interval:
        a, b, c, d = self.lo, self.hi, other.lo, other.hi
        lo = min(_mul_down(a, c), _mul_down(a, d), _mul_down(b, c), _mul_down(b, d))
        hi = max(_mul_up(a, c), _mul_up(a, d), _mul_up(b, c), _mul_up(b, d))
        x, y = self.nominal, other.nominal
        # A computed range that collapsed to one point (0 × anything) is exact.
        return _span(lo, hi, (self.closed and other.closed) or lo == hi,
                     None if x is None or y is None else x * y)

    def __truediv__(self, other: Interval) -> Interval:
        a, b, c, d = self.lo, self.hi, other.lo, other.hi
        if c <= _ZERO <= d:
            raise DivisionByZero(f"divisor range [{c}, {d}] contains 0")
        if a >= _ZERO and c > _ZERO:
            lo, hi = _positive_quotient(a, b, c, d)
        else:
            lo = min(_div_down(a, c), _div_down(a, d), _div_down(b, c), _div_down(b, d))
            hi = max(_div_up(a, c), _div_up(a, d), _div_up(b, c), _div_up(b, d))
        x, y = self.nominal, other.nominal
        return _span(lo, hi, (self.closed and other.closed) or lo == hi,
                     None if x is None or y is None else _div_up(x, y))

    def __abs__(self) -> Interval:
        nominal = None if self.nominal is None else abs(self.nominal)
        if self.lo >= 0:
            return self
        if self.hi <= 0:
            return -self
        # The range straddles 0: its low end is 0 itself, a real end.
        return _span(_ZERO, max(-self.lo, self.hi), True, nominal)

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


_new = object.__new__


def _positive_quotient(a: Decimal, b: Decimal, c: Decimal, d: Decimal) -> tuple[Decimal, Decimal]:
    """The ends of [a, b] ÷ [c, d] for a ≥ 0 < c (a share, a rate: most divisions) from four of the eight
    quotients. The least is a/d and the greatest b/c; a/c, first in the order `__truediv__` takes the
    eight in, is taken instead where it rounds to the same end (as min and max take the first of equals)."""
    first_down, first_up = _div_down(a, c), _div_up(a, c)
    lo, hi = _div_down(a, d), _div_up(b, c)
    return (first_down if first_down <= lo else lo), (first_up if first_up >= hi else hi)


def _span(lo: Decimal, hi: Decimal, closed: bool, nominal: Decimal | None) -> Interval:
    """An interval whose ends are ordered by construction, made without `Interval.__post_init__`'s check
    (arithmetic makes one per operation of every rule)."""
    made = _new(Interval)
    made.lo, made.hi, made.closed, made.nominal = lo, hi, closed, nominal
    return made


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


#: The unit of the last decimal shown (0.01 for 2 decimals), for the decimals figures are printed with.
_QUANTA = {decimals: Decimal(1).scaleb(-decimals) for decimals in range(13)}
_ROOM = Context(prec=28, rounding=ROUND_HALF_UP)  # room for the digits of every figure but the longest
_quantize = _ROOM.quantize


def format_decimal(value: Decimal, decimals: int, grouping: bool = True) -> str:
    """``17091.19`` → ``17,091.19``: the way the reports print figures, rounded half up."""
    if decimals >= 0:
        quantum = _QUANTA.get(decimals)
        if quantum is None:
            quantum = Decimal(1).scaleb(-decimals)
        digits = max(value.adjusted(), 0) + decimals + 2
        # with room for every digit: a figure may be longer than the default 28 digits
        q = _quantize(value, quantum) if digits <= 28 else \
            value.quantize(quantum, context=Context(prec=digits, rounding=ROUND_HALF_UP))
    else:
        q = value
    text = format(q, f"{',' if grouping else ''}.{max(decimals, 0)}f")
    return "0" + text[2:] if text.startswith("-0") and q == 0 else text
