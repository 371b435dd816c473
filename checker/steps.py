"""What one step of a rule computes, whoever runs it — the interpreter (`checker.evaluate`) or the closures
compiled from the rule (`checker.compiled`): a literal's value, an aggregate's value from its records' values,
whether a comparison holds, the precision a computed figure is shown with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from checker.facts.model import Dims
from checker.filters import normal_text
from checker.findings import Trace
from checker.functions import Missing, Value, dims_text, display
from checker.interval import DivisionByZero, Interval, compare
from dsl import ast
from dsl.signatures import arith_kind


@dataclass(frozen=True)
class Comparison:
    """One comparison an assertion made: the node, what each side came to, and whether it held."""

    node: ast.Compare
    left: Value
    right: Value
    holds: bool



LITERALS: dict[type, Callable[[Any], Value]] = {
    ast.Number: lambda e: Value("number", Interval.exact(e.value), Trace(e.src, e.src), e.decimals),
    ast.Percent: lambda e: Value("percent", Interval.exact(e.value), Trace(e.src, e.src), max(e.decimals - 2, 0)),
    ast.String: lambda e: Value("text", e.value, Trace(e.src, e.value)),
    ast.DateLit: lambda e: Value("date", e.value, Trace(e.src, e.src)),
    ast.Bool: lambda e: Value("bool", e.value, Trace(e.src, e.src)),
}


def record_label(record: Dims | str) -> str:
    return record if isinstance(record, str) else dims_text(record)


def combine(expr: ast.Aggregate, values: list[Value], traced: bool = True) -> Value:
    """An aggregate's value from its records' values (``traced``: with the trace of each step, see
    `Interpreter.traced`)."""
    if expr.func in ("all", "any"):
        result = all(v.data for v in values) if expr.func == "all" else any(v.data for v in values)
        if not traced:
            return Value("bool", result, Trace(expr.src, ""))
        # Only the records that decide are evidence: the failing ones of all(), the matching ones of any().
        deciding = tuple(v.trace for v in values if bool(v.data) == (expr.func == "any"))
        return Value("bool", result, Trace(expr.src, display("bool", result, None), children=deciding))
    if expr.func == "count":
        n = Interval.exact(len(values))
        trace = Trace(expr.src, str(len(values)), children=tuple(v.trace for v in values)) if traced \
            else Trace(expr.src, "")
        return Value("count", n, trace, 0)
    if not values:
        if expr.func == "sum":
            zero = Interval.exact(0)
            return Value("number", zero, Trace(expr.src, "0 (no matching records)"), 0)
        raise Missing([expr.collection or "list"], f"{expr.func}() over no matching records of {expr.collection}")
    kind = values[0].kind
    decimals = max_decimals(*values)
    if expr.func == "sum":
        total = values[0].interval
        for v in values[1:]:
            total = total + v.interval
        result = total
    elif expr.func == "min":
        result = Interval(min(v.interval.lo for v in values), min(v.interval.hi for v in values))
    else:
        result = Interval(max(v.interval.lo for v in values), max(v.interval.hi for v in values))
    trace = Trace(expr.src, display(kind, result, decimals), children=tuple(v.trace for v in values)) if traced \
        else Trace(expr.src, "")
    return Value(kind, result, trace, decimals)


def holds(expr: ast.Compare, lv: Value, rv: Value) -> bool:
    """Whether a comparison holds for the values of its sides: numbers as intervals (BRIEF §3), with the
    tolerance written; dates, booleans; anything else as text, ignoring spaces."""
    if isinstance(lv.data, Interval) and isinstance(rv.data, Interval):
        right = rv.data
        if expr.tolerance is not None:
            right = right.widen(tolerance(expr.tolerance, lv.kind if lv.kind != "number" else rv.kind, right))
        return compare(expr.op, lv.data, right)
    if isinstance(lv.data, date) and isinstance(rv.data, date):
        return ordered(expr.op, lv.data, rv.data)
    if isinstance(lv.data, bool) and isinstance(rv.data, bool):
        return (lv.data == rv.data) == (expr.op == "==")
    # a text's display is the text itself: taken as it is, not through `display`
    left = lv.data if type(lv.data) is str else lv.display
    right = rv.data if type(rv.data) is str else rv.display
    return (normal_text(left) == normal_text(right)) == (expr.op == "==")


def arithmetic(expr: ast.Binary, lv: Value, rv: Value) -> tuple[str, Interval, int | None]:
    """``lv op rv``: the result's kind, its range and the decimals it is shown with (a sum keeps its parts'
    precision, a product or quotient at least two decimals, a share two)."""
    a, b, op = lv.interval, rv.interval, expr.op
    if op == "+":
        result = a + b
    elif op == "-":
        result = a - b
    elif op == "*":
        result = a * b
    else:
        try:
            result = a / b
        except DivisionByZero:
            raise DivisionByZero(f"division by zero: {expr.right.src} = {rv.display}") from None
    kind = arith_kind(op, lv.kind, rv.kind)
    if kind == "percent":
        decimals = 2 if op in "*/" else max_decimals(lv, rv)
    else:
        decimals = max_decimals(lv, rv) if op in "+-" else max(max_decimals(lv, rv) or 0, 2)
    return kind, result, decimals


def max_decimals(*values: Value) -> int | None:
    found = [v.decimals for v in values if v.decimals is not None]
    return max(found) if found else None


def tolerance(tol: ast.Tolerance, kind: str, right: Interval) -> Decimal:
    """How far to widen the right side: see docs/rule-language.md "Tolerance"."""
    if kind == "percent":
        return tol.value if tol.relative else tol.value / 100
    return tol.value * right.magnitude() if tol.relative else tol.value


def ordered(op: str, a: date, b: date) -> bool:
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


