"""The value a figure should have: solved from the comparisons of a failing case, then checked.

A failing comparison ``left op right`` has a gap, left − right, computed from the figures as printed.
Seen as a function of one figure's value the gap is a line for a sum or a difference (the needed value
follows from two evaluations) and a smooth curve for a share or a rate (a few secant steps find where it
is zero). Each estimate is rounded to the figure's displayed decimals and evaluated, and the first at which
the case holds under the rounding semantics (BRIEF §3) is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from checker.evaluate import Comparison
from checker.findings import Trace
from checker.functions.core import quantity_interval
from checker.interval import Interval
from checker.quantity import Quantity
from checker.suggest.figures import Figure
from checker.suggest.trial import Changes, Key, Trials
from dsl import ast
from dsl.signatures import NUMERIC

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
    probe = trials.probe(key, {}, traced=False)
    return probe.holds is False and any(not c.holds and gap(c) is not None for c in probe.comparisons)


def candidates(trials: Trials, figure: Figure, key: Key, changes: Changes) -> list[Decimal]:
    """Values of ``figure`` (at its displayed precision) under which the case ``key`` holds, with the
    ``changes`` made to other figures: one per failing comparison that reads the figure, at most."""
    probe = trials.probe(key, changes)
    if probe.holds is not False:
        return []
    out: list[Decimal] = []
    involved = [involves(comparison, figure) for comparison in probe.comparisons]
    alone = involved.count(True) == 1  # no other comparison reads the figure (see `slope`)
    for index, comparison in enumerate(probe.comparisons):
        if comparison.holds or comparison.node.op == "!=" or not involved[index]:
            continue
        start = gap(comparison)
        if start is None:
            continue
        known = slope(trials, key, comparison, figure) if alone else None
        value = _solve(lambda x, i=index, c=comparison: _at(trials, key, changes, figure, x, i, c), figure, start,
                       known)
        if value is not None and value not in out:
            out.append(value)
    return out


def _at(trials: Trials, key: Key, changes: Changes, figure: Figure, x: Decimal, index: int,
        comparison: Comparison) -> tuple[Decimal | None, bool]:
    """The gap of the same comparison with the figure at ``x``, and whether the case holds there."""
    probe = trials.probe(key, {**changes, figure: x}, traced=False)  # only the gap and the answer are asked
    same = [c for c in probe.comparisons if c.node is comparison.node]
    if not same:
        return None, bool(probe.holds)
    at = probe.comparisons[index] if index < len(probe.comparisons) else None
    return gap(at if at is not None and at.node is comparison.node else same[0]), bool(probe.holds)


def _solve(at: Callable[[Decimal], tuple[Decimal | None, bool]], figure: Figure, start: Decimal,
           known: Decimal | None = None) -> Decimal | None:
    """The value at the figure's precision where the case holds, by secant steps on the gap from the printed
    value: each step's estimate is rounded to the figure's decimals and evaluated once, and kept as soon as
    the case holds there (or, once the steps stop moving, one step to either side). None when the gap
    does not depend on the figure or the root is no value the figure may print. ``known``: the gap's slope
    when the rule's text gives it (`slope`), which spares the first, exploratory step's evaluation."""
    x0, g0 = figure.quantity.value, start
    x1 = x0 + max(figure.ulp, abs(x0) / 100)
    far = max(abs(x0), figure.ulp) * FAR
    g1 = at(x1)[0] if known is None else g0 + known * (x1 - x0)
    for _ in range(STEPS):
        if g1 is None or g1 == g0:
            return None
        estimate = x1 - g1 * (x1 - x0) / (g1 - g0)
        if abs(estimate) > far:
            return None
        value = figure.quantize(estimate)
        if not figure.allows(value):
            return None
        g2, holds = at(value)
        if holds:
            return _centred(at, figure, value, g2, x1, g1)
        if value in (x0, x1):  # no progress on the grid: the root lies between two printable values
            return next((v for v in (value - figure.ulp, value + figure.ulp) if figure.allows(v) and at(v)[1]), None)
        x0, g0, x1, g1 = x1, g1, value, g2
    return None


def slope(trials: Trials, key: Key, comparison: Comparison, figure: Figure) -> Decimal | None:
    """How the gap of a comparison of the case ``key`` — the only one it made that reads the figure — moves
    with the figure's value, when the rule's text says: each side a sum or difference of figures (或零 of
    one, or a sum over records, with constants and parts that read no value of the figure), the figure read
    nowhere else the case's answer depends on (its guard, the rest of its assertion, a derived value). Then
    the gap is a line whose slope is the figure's units' scale times how often it is added less how often
    it is taken away. None otherwise (the solver finds the slope by evaluating the case once more)."""
    left, right = comparison.left.data, comparison.right.data
    if not (isinstance(left, Interval) and isinstance(right, Interval)) or left.nominal is None \
            or right.nominal is None:
        return None
    rule, names, node = trials.rules[key[0]], figure.names, comparison.node
    if trials.reads_value(rule.guard, names) or trials.reads_value(rule.assertion, names, node):
        return None
    on_left = _linear(trials, node.left, comparison.left.trace, figure)
    if on_left is None:
        return None
    on_right = _linear(trials, node.right, comparison.right.trace, figure)
    return None if on_right is None else on_left - on_right


def _linear(trials: Trials, expr: ast.Expr, trace: Trace, figure: Figure) -> Decimal | None:
    """The slope of ``expr``'s value (as traced) in the figure's value, None when not a line of it."""
    if isinstance(expr, ast.FuncCall) and expr.func == "或零" and len(expr.args) == 1:
        expr = expr.args[0]
    if isinstance(expr, (ast.FactRef, ast.FieldRef)):  # one fact: the figure's, or another (another record's)
        if trace.children:
            return None
        return _scale(figure.quantity.unit, figure.quantity.decimals, expr.kind) \
            if trace.location == figure.location else _ZERO
    children = trace.children
    if isinstance(expr, ast.Binary) and expr.op in "+-" and len(children) == 2:
        a = _linear(trials, expr.left, children[0], figure)
        b = None if a is None else _linear(trials, expr.right, children[1], figure)
        return None if a is None or b is None else a + b if expr.op == "+" else a - b
    if isinstance(expr, ast.Unary) and expr.op == "-" and len(children) == 1:
        inner = _linear(trials, expr.operand, children[0], figure)
        return None if inner is None else -inner
    if isinstance(expr, ast.Aggregate) and expr.func == "sum" and expr.expr is not None \
            and not trials.reads_value(expr.where, figure.names):
        total = _ZERO
        for child in children:  # one per record summed
            part = _linear(trials, expr.expr, child, figure)
            if part is None:
                return None
            total += part
        return total
    if any(leaf.location == figure.location for leaf in trace.leaves()):
        return None
    return None if trials.reads_value(expr, figure.names) else _ZERO


_ZERO = Decimal(0)


@lru_cache(maxsize=64)
def _scale(unit: str, decimals: int, kind: str) -> Decimal:
    """How much a figure of ``unit`` read as ``kind`` adds to a value per unit of its own (0.01 for a share:
    1% is 0.01); `quantity_interval` reads only the unit and decimals to scale a figure."""
    return quantity_interval(Quantity(Decimal(1), decimals, unit, ""), kind)[1].value


def _centred(at: Callable[[Decimal], tuple[Decimal | None, bool]], figure: Figure, value: Decimal,
             gap_there: Decimal | None, previous: Decimal, gap_before: Decimal | None) -> Decimal:
    """A value where the case holds moved one more secant step towards the root, if it still holds there:
    a step converging from one side stops at the first value that fits, near the edge of those that do."""
    if not gap_there or gap_before is None or gap_there == gap_before:
        return value
    closer = figure.quantize(value - gap_there * (value - previous) / (gap_there - gap_before))
    if closer != value and figure.allows(closer) and at(closer)[1]:
        return closer
    return value


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
