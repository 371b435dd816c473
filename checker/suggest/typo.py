"""How far a suggested value is from the printed one, counted in keystrokes.

A mistyped figure usually differs from the right one by one slip: a wrong digit (44.87 for 43.87), two
neighbouring digits swapped (368.44 for 386.44), a digit doubled or dropped. The distance between the two
numbers' digits (optimal string alignment: substitutions, insertions, deletions and swaps of neighbours,
each one step) ranks candidates that explain the same findings equally well: the smaller slip is the
likelier one. Separators, signs and the unit do not count.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

#: The most slips a change found only together with another change may take (a pair, or one of several
#: single changes that explain a group between them); a figure that alone explains everything may take any.
PLAUSIBLE = 2
ENUMERATED = 400  # fitting ranges up to this many values are searched value by value for the nearest


def digits(value: Decimal, decimals: int) -> str:
    """The digits of ``value`` printed with ``decimals`` decimals: 3,415.17 → 341517."""
    text = format(abs(value).quantize(Decimal(1).scaleb(-decimals)), f".{max(decimals, 0)}f")
    return text.replace(".", "")


@lru_cache(maxsize=8192)  # a fitting range's values are each compared with the printed figure, often again
def slips(a: str, b: str) -> int:
    """Substitutions, insertions, deletions and swaps of neighbouring characters between ``a`` and ``b``."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


@lru_cache(maxsize=4096)  # asked again for each option at every sort and check of a search
def distance(old: Decimal, new: Decimal, decimals: int) -> int:
    """The slips between a figure as printed and the value suggested for it (a sign change counts one)."""
    sign = 1 if (old < 0) != (new < 0) and old != 0 and new != 0 else 0
    return slips(digits(old, decimals), digits(new, decimals)) + sign


def nearest(printed: Decimal, decimals: int, low: Decimal, high: Decimal) -> list[Decimal]:
    """The values between ``low`` and ``high`` (at ``decimals``) a slip or two of the keys from the printed
    figure, the fewest slips only: the likeliest intended values when several fit."""
    start = digits(printed, decimals)
    negative = printed < 0 or (printed == 0 and high <= 0)
    step = Decimal(1).scaleb(-decimals)
    count = int((high - low) / step) + 1
    if count <= ENUMERATED:
        values = [low + i * step for i in range(count)]
        near = [(slips(start, digits(v, decimals)), v) for v in values]
        fewest = min((n for n, _ in near), default=PLAUSIBLE + 1)
        return [v for n, v in near if n == fewest] if fewest <= PLAUSIBLE else []
    seen = {start}
    ring = {start}
    for _ in range(PLAUSIBLE):
        ring = {n for text in ring for n in _neighbours(text)} - seen
        seen |= ring
        found = sorted(v for text in ring if low <= (v := _value(text, decimals, negative)) <= high)
        if found:
            return found
    return []


def _neighbours(text: str) -> set[str]:
    """Every string one slip from ``text``."""
    out: set[str] = set()
    for i in range(len(text) + 1):
        for d in "0123456789":
            out.add(text[:i] + d + text[i:])
            if i < len(text):
                out.add(text[:i] + d + text[i + 1:])
        if i < len(text) and len(text) > 1:
            out.add(text[:i] + text[i + 1:])
        if i + 1 < len(text):
            out.add(text[:i] + text[i + 1] + text[i] + text[i + 2:])
    out.discard(text)
    return {t for t in out if t}


def _value(text: str, decimals: int, negative: bool) -> Decimal:
    value = Decimal(int(text)).scaleb(-decimals)
    return -value if negative else value
