"""The value a figure should have: solved from the comparisons of a failing case, then checked.

A failing comparison ``left op right`` has a gap, left − right, computed from the figures as printed.
Seen as a function of one figure's value the gap is a line for a sum or a difference (the needed value
follows from two evaluations) and a smooth curve for a share or a rate (a few secant steps find where it
is zero). The root is rounded to the figure's displayed decimals and kept only if the case then holds
under the rounding semantics (BRIEF §3) — or one step to either side does.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from checker.evaluate import Comparison
from checker.interval import Interval
from checker.suggest.figures import Figure
from checker.suggest.trial import Changes, Key, Trials
from dsl.functions import NUMERIC

STEPS = 8  # secant steps at most
WIDEST = 2 ** 20  # fitting values are looked for this many steps of the figure either side at most
FAR = 10 ** 6  # a root this many times the printed value (or its step) away is no typo's


def gap(comparison: Comparison) -> Decimal | None:
    """left − right of a numeric comparison (from the nominal values), None for any other."""
    left, right = comparison.left, comparison.right
    if not (isinstance(left.data, Interval) and isinstance(right.data, Interval)):
        return None
    if left.kind not in NUMERIC or right.kind not in NUMERIC:
        return None
    return left.data.value - right.data.value


def involves(comparison: Comparison, figure: Figure) -> bool:
    """Whether the figure is among what either side of the comparison read."""
    return any(leaf.location == figure.location
               for side in (comparison.left, comparison.right) for leaf in side.trace.leaves())


def is_numeric(trials: Trials, key: Key) -> bool:
    """Whether a failing case fails on a comparison of numbers (what changing a figure can reconcile);
    a missing reason, a glossary entry or a word is no figure's to fix."""
    probe = trials.probe(key, {})
    return probe.holds is False and any(not c.holds and gap(c) is not None for c in probe.comparisons)


def candidates(trials: Trials, figure: Figure, key: Key, changes: Changes) -> list[Decimal]:
    """Values of ``figure`` (at its displayed precision) under which the case ``key`` holds, with the
    ``changes`` made to other figures: one per failing comparison that reads the figure, at most."""
    probe = trials.probe(key, changes)
    if probe.holds is not False:
        return []
    out: list[Decimal] = []
    for index, comparison in enumerate(probe.comparisons):
        if comparison.holds or comparison.node.op == "!=" or not involves(comparison, figure):
            continue
        start = gap(comparison)
        if start is None:
            continue
        root = _secant(lambda x, i=index, c=comparison: _gap_at(trials, key, changes, figure, x, i, c),
                       figure, start)
        if root is None:
            continue
        value = _holding(trials, key, changes, figure, root)
        if value is not None and value not in out:
            out.append(value)
    return out


def _gap_at(trials: Trials, key: Key, changes: Changes, figure: Figure, x: Decimal, index: int,
            comparison: Comparison) -> Decimal | None:
    """The gap of the same comparison with the figure at ``x``."""
    probe = trials.probe(key, {**changes, figure: x})
    same = [c for c in probe.comparisons if c.node is comparison.node]
    if not same:
        return None
    at = probe.comparisons[index] if index < len(probe.comparisons) else None
    return gap(at if at is not None and at.node is comparison.node else same[0])


def _secant(gap_at: Callable[[Decimal], Decimal | None], figure: Figure, start: Decimal) -> Decimal | None:
    """Where the gap is zero, from the figure's printed value (None when the gap does not depend on it)."""
    x0, g0 = figure.quantity.value, start
    x1 = x0 + max(figure.ulp, abs(x0) / 100)
    far = max(abs(x0), figure.ulp) * FAR
    for _ in range(STEPS):
        g1 = gap_at(x1)
        if g1 is None or g1 == g0:
            return None
        x2 = x1 - g1 * (x1 - x0) / (g1 - g0)
        if abs(x2) > far:
            return None
        if abs(x2 - x1) <= figure.ulp / 1000:
            return x2
        x0, g0, x1 = x1, g1, x2
    return x1


def _holding(trials: Trials, key: Key, changes: Changes, figure: Figure, root: Decimal) -> Decimal | None:
    """The root at the figure's precision if the case holds there, else a step to either side that does."""
    value = figure.quantize(root)
    for candidate in (value, value - figure.ulp, value + figure.ulp):
        if figure.allows(candidate) and trials.probe(key, {**changes, figure: candidate}).holds:
            return candidate
    return None


def fitting(fits: Callable[[Decimal], bool], figure: Figure, best: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest values that still fit, around ``best`` (which does): looked for by doubling
    the step, then halving it; never across zero where a word carries the sign. None where values keep
    fitting `WIDEST` steps away."""
    return _edge(fits, figure, best, -1), _edge(fits, figure, best, 1)


def _edge(fits: Callable[[Decimal], bool], figure: Figure, best: Decimal, direction: int) -> Decimal | None:
    good, step = 0, 1
    bad: int | None = None
    while step <= WIDEST:
        value = best + direction * step * figure.ulp
        if not figure.allows(value) or not fits(value):
            bad = step
            break
        good, step = step, step * 2
    if bad is None:
        return None
    while bad - good > 1:
        middle = (good + bad) // 2
        value = best + direction * middle * figure.ulp
        if figure.allows(value) and fits(value):
            good = middle
        else:
            bad = middle
    return best + direction * good * figure.ulp
