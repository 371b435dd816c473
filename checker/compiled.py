"""A program's expressions compiled once into closures: what the interpreter runs where nobody reads the
steps — every guard, filter and assertion that holds (`Interpreter.truth`) and every value computed
untraced (`Interpreter.traced` off) — instead of finding each node's method by its type at every step of
every case of every document.

A closure takes the interpreter (the facts, the current case's bindings, the per-document caches) and does
what the interpreter's method for its node does untraced: the same lookups in the same order, the same
errors, the same comparisons recorded. Only the traces differ: an untraced value's trace is its node's
label alone, made once. A node whose evaluation needs the interpreter's own bookkeeping (an aggregate's
records, a derived value, last year's report, a plugin's function) is handed back to the interpreter.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from checker.facts.model import Dims, Fact, FactSet
from checker.findings import Trace
from checker.functions import FUNCTIONS, PURE, CallImpl, Env, Missing, Value, dims_text, occurs
from checker.graph import evaluation_order
from checker.interval import COMPARISONS, Interval
from checker.steps import LITERALS, Comparison, arithmetic, combine, holds
from dsl import ast

if TYPE_CHECKING:
    from dsl.compiler import Program


class Interpreter(Env, Protocol):
    """What the closures use of `checker.evaluate.Interpreter`."""

    facts: FactSet
    bindings: dict[str, Dims | str]
    comparisons: list[Comparison]
    fact_values: dict[tuple[int, str], Value]
    results: dict[tuple, tuple[list[Value], Value]]

    def fact_value(self, fact: Fact, kind: str) -> Value: ...
    def eval_node(self, expr: ast.Expr) -> Value: ...
    def call(self, expr: ast.FuncCall) -> Value: ...
    def each(self, expr: ast.Aggregate, one: Callable[[Any], Any], surely: Any = None) -> list: ...


ValueFn = Callable[[Interpreter], Value]
TruthFn = Callable[[Interpreter], bool]

_EXISTS = FUNCTIONS["exists"].impl
_BUILTIN_MODULES = frozenset({"checker.functions.core", "checker.functions.report"})


class CallPlan(NamedTuple):
    """How to call a function node, worked out once per node."""

    impl: CallImpl
    #: How many of the node's arguments are passed (one per parameter).
    count: int
    #: The arguments passed unevaluated (``ref`` parameters).
    refs_at: frozenset[int]
    #: Whether one of those is a figure of last year's report.
    reads_previous: bool
    #: Whether it is the built-in ``exists`` of this report's facts (`Interpreter.truth` answers it directly).
    exists: bool
    #: Whether it is one of this package's functions, which read their arguments' values, never their traces'
    #: steps (a plugin's function is given its arguments fully traced, whatever `Interpreter.traced` says).
    builtin: bool
    #: Whether its value follows from its arguments alone (`checker.functions.PURE`).
    pure: bool


def _implementation(spec: Any) -> CallImpl:
    """A function's implementation: its own (a `checker.functions.FunctionSpec`), or for a program compiled
    against the language's bare signatures (`dsl.compile_text` without ``functions``), the built-in one."""
    impl = getattr(spec, "impl", None)
    return impl if impl is not None else FUNCTIONS[spec.name].impl


class Compiled:
    """The call plans, literal values and closures of one program's nodes, each made when first asked for,
    by the node's id (the closures keep their nodes alive, so no id is reused while they live)."""

    def __init__(self, functions: Mapping[str, Any]) -> None:
        self._functions = functions
        self._plans: dict[int, CallPlan] = {}
        self._literals: dict[int, Value] = {}
        self._values: dict[int, ValueFn] = {}
        self._truths: dict[int, TruthFn] = {}
        self._derived_order: list[str] | None = None
        #: What `checker.evaluate.RuleRunner` works out once per rule (its ``_split`` and ``_decide``).
        self.splits: dict[str, tuple[frozenset[str], list[ast.Expr]]] = {}
        self.deciders: dict[tuple[str, bool], tuple[TruthFn | None, TruthFn]] = {}

    def derived_order(self, program: Program) -> list[str]:
        """The program's derived values in an order where each comes after those it reads (`evaluation_order`)."""
        if self._derived_order is None:
            nodes = (node.partition(":") for node in evaluation_order(program))
            self._derived_order = [name for kind, _, name in nodes if kind == "derived"]
        return self._derived_order

    def plan(self, expr: ast.FuncCall) -> CallPlan:
        plan = self._plans.get(id(expr))
        if plan is None:
            spec = self._functions[expr.func]
            refs_at = frozenset(i for i, (param, _) in enumerate(zip(spec.params, expr.args, strict=False))
                                if param == "ref")
            reads_previous = any(isinstance(expr.args[i], ast.PreviousRef) for i in refs_at)
            impl = _implementation(spec)
            plan = self._plans[id(expr)] = CallPlan(impl, min(len(spec.params), len(expr.args)), refs_at,
                                                    reads_previous, impl is _EXISTS and not reads_previous,
                                                    getattr(impl, "__module__", None) in _BUILTIN_MODULES,
                                                    impl in PURE and not refs_at)
        return plan

    def literal(self, expr: ast.Number | ast.Percent | ast.String | ast.DateLit | ast.Bool) -> Value:
        """A literal's value, made once: the same object each time, as a pure call's remembered value needs
        (`checker.evaluate.Context.results`)."""
        value = self._literals.get(id(expr))
        if value is None:
            value = self._literals[id(expr)] = LITERALS[type(expr)](expr)
        return value

    def value(self, expr: ast.Expr) -> ValueFn:
        """The closure computing ``expr``'s value untraced."""
        fn = self._values.get(id(expr))
        if fn is None:
            fn = self._values[id(expr)] = self._value(expr)
        return fn

    def truth(self, expr: ast.Expr) -> TruthFn:
        """The closure deciding ``expr`` as `Interpreter.truth` does."""
        fn = self._truths.get(id(expr))
        if fn is None:
            fn = self._truths[id(expr)] = self._truth(expr)
        return fn

    # ---- truths
    def _truth(self, expr: ast.Expr) -> TruthFn:
        kind = type(expr)
        if kind is ast.Logical:
            left, right = self.truth(expr.left), self.truth(expr.right)
            if expr.op == "or":
                return lambda i: left(i) or right(i)
            return lambda i: left(i) and right(i)
        if kind is ast.Not:
            operand = self.truth(expr.operand)
            return lambda i: not operand(i)
        if kind is ast.Compare:
            return self._decide(expr)
        if kind is ast.FuncCall and self.plan(expr).exists:
            return self._exists(expr.args[0])
        if kind is ast.Aggregate and expr.func in ("any", "all") and expr.expr is not None:
            return self._quantified(expr)
        value = self.value(expr)
        return lambda i: bool(value(i).data)

    def _decide(self, expr: ast.Compare) -> TruthFn:
        """Whether a comparison holds, recording no `Comparison` (nobody reads a truth's); two figures
        without a tolerance compared by the operator's test of their ranges directly."""
        left, right = self.value(expr.left), self.value(expr.right)
        test = COMPARISONS.get(expr.op)
        if expr.tolerance is not None or test is None:
            return lambda i: holds(expr, left(i), right(i))

        def decide(i: Interpreter) -> bool:
            lv, rv = left(i), right(i)
            if isinstance(lv.data, Interval) and isinstance(rv.data, Interval):
                return test(lv.data, rv.data)
            return holds(expr, lv, rv)
        return decide

    @staticmethod
    def _exists(ref: ast.Expr) -> TruthFn:
        """``exists(ref)`` as `occurs` answers it; a record's field (most of them) looked up directly."""
        if not isinstance(ref, ast.FieldRef):
            return lambda i: occurs(i, ref)
        name, var = ref.fact_name, ref.var

        def exists(i: Interpreter) -> bool:
            bound = i.bindings.get(var, ())
            return bool(i.facts.every(name, bound if isinstance(bound, tuple) else ()))
        return exists

    def _quantified(self, expr: ast.Aggregate) -> TruthFn:
        """``any``/``all``: every record is asked, as the aggregate asks them (one that cannot be evaluated
        still raises)."""
        condition = self.truth(expr.expr)  # type: ignore[arg-type]  (checked by the caller)
        if expr.func == "any":
            return lambda i: any(i.each(expr, lambda _: condition(i), surely=True))
        return lambda i: all(i.each(expr, lambda _: condition(i), surely=True))

    # ---- values
    def _value(self, expr: ast.Expr) -> ValueFn:
        kind = type(expr)
        if kind in LITERALS:
            value = self.literal(expr)  # type: ignore[arg-type]
            return lambda i: value
        builder = _VALUE_BUILDERS.get(kind)
        if builder is not None:
            return builder(self, expr)
        if kind is ast.FuncCall:
            return self._call(expr)
        if kind is ast.Aggregate and expr.expr is not None and expr.func != "count":
            return self._aggregate(expr)
        # The rest needs the interpreter's bookkeeping: records bound in turn, a derived value computed
        # once traced, last year's report; or is a node it refuses (the interpreter says why).
        return lambda i: i.eval_node(expr)

    def _fact(self, expr: ast.FactRef) -> ValueFn:
        name, kind = expr.name, expr.kind

        def fact(i: Interpreter) -> Value:
            found = i.facts.first(name)
            if found is None:
                raise Missing([name])
            return i.fact_value(found, kind)
        return fact

    def _field(self, expr: ast.FieldRef) -> ValueFn:
        var, name, kind, key, src = expr.var, expr.fact_name, expr.kind, expr.field, expr.src

        def field(i: Interpreter) -> Value:
            bound = i.bindings.get(var, ())
            dims = bound if isinstance(bound, tuple) else ()
            found = i.facts.every(name, dims)
            if found:
                fact = found[0]
                value = i.fact_values.get((id(fact), kind))  # `fact_value`, inline for a value already made
                return value if value is not None else i.fact_value(fact, kind)
            keys = dict(dims)
            if key in keys:  # a dims key read as a text field of the record
                return Value("text", keys[key], Trace(src, keys[key]))
            raise Missing([f"{name}[{dims_text(dims)}]"])
        return field

    def _unary(self, expr: ast.Unary) -> ValueFn:
        operand, trace = self.value(expr.operand), Trace(expr.src, "")

        def negated(i: Interpreter) -> Value:
            v = operand(i)
            return Value(v.kind, -v.interval, trace, v.decimals)
        return negated

    def _binary(self, expr: ast.Binary) -> ValueFn:
        left, right, trace = self.value(expr.left), self.value(expr.right), Trace(expr.src, "")

        def binary(i: Interpreter) -> Value:
            kind, result, decimals = arithmetic(expr, left(i), right(i))
            return Value(kind, result, trace, decimals)
        return binary

    def _compare(self, expr: ast.Compare) -> ValueFn:
        left, right, trace = self.value(expr.left), self.value(expr.right), Trace(expr.src, "")

        def comparison(i: Interpreter) -> Value:
            lv, rv = left(i), right(i)
            held = holds(expr, lv, rv)
            i.comparisons.append(Comparison(expr, lv, rv, held))
            return Value("bool", held, trace)
        return comparison

    def _logical(self, expr: ast.Logical) -> ValueFn:
        left, right, trace, stop = self.value(expr.left), self.value(expr.right), Trace(expr.src, ""), expr.op == "or"

        def logical(i: Interpreter) -> Value:
            lv = left(i)
            if bool(lv.data) == stop:
                return Value("bool", lv.data, trace)
            return Value("bool", right(i).data, trace)
        return logical

    def _not(self, expr: ast.Not) -> ValueFn:
        operand, trace = self.value(expr.operand), Trace(expr.src, "")
        return lambda i: Value("bool", not operand(i).data, trace)

    def _aggregate(self, expr: ast.Aggregate) -> ValueFn:
        """``sum``/``min``/``max``/``all``/``any`` of a value over the records the interpreter binds in turn."""
        body = self.value(expr.expr)  # type: ignore[arg-type]  (checked by the caller)
        return lambda i: combine(expr, i.each(expr, lambda _: body(i)), False)

    def _call(self, expr: ast.FuncCall) -> ValueFn:
        plan = self.plan(expr)
        if not plan.builtin or plan.reads_previous:
            return lambda i: i.call(expr)  # traced for a plugin's function; last year's facts swapped in
        impl = plan.impl
        args = [None if at in plan.refs_at else self.value(arg) for at, arg in enumerate(expr.args[:plan.count])]
        refs = expr.args[:plan.count]

        arguments = _arguments(args, refs)
        if not plan.pure:
            return lambda i: impl(i, arguments(i), expr)
        return lambda i: remembered(i, impl, arguments(i), expr)


def remembered(i: Interpreter, impl: CallImpl, values: list[Value], expr: ast.FuncCall) -> Value:
    """A pure call's value, remembered per document (`checker.evaluate.Context.results`) by the function, the
    call's text and its arguments' identities, and kept with the arguments so that no identity is reused. A
    call that raises is not remembered: it raises again when called."""
    key = (impl, expr.src, *map(id, values))
    known = i.results.get(key)
    if known is not None:
        return known[1]
    value = impl(i, values, expr)
    i.results[key] = (values, value)
    return value


def _arguments(args: list[ValueFn | None], refs: tuple[ast.Expr, ...]) -> Callable[[Interpreter], list]:
    """What computes a call's arguments: each evaluated, or (None: a ``ref`` parameter) passed as its node."""
    if None not in args and len(args) == 2:  # the usual call, 同单位(a, b), 完成度(a, b): its arguments inline
        first, second = args
        return lambda i: [first(i), second(i)]  # type: ignore[misc]  (no None: checked above)
    return lambda i: [ref if fn is None else fn(i) for fn, ref in zip(args, refs, strict=True)]


def conjunction(parts: list[TruthFn]) -> TruthFn:
    """Whether every part holds, asked in order until one does not (``and``)."""
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        first, second = parts
        return lambda i: first(i) and second(i)
    return lambda i: all(part(i) for part in parts)


_VALUE_BUILDERS: dict[type, Callable[[Compiled, Any], ValueFn]] = {
    ast.FactRef: Compiled._fact, ast.FieldRef: Compiled._field, ast.Unary: Compiled._unary,
    ast.Binary: Compiled._binary, ast.Compare: Compiled._compare, ast.Logical: Compiled._logical,
    ast.Not: Compiled._not,
}

#: Each live program's compiled nodes, by the program's id; an entry goes with its program.
_BY_PROGRAM: dict[int, Compiled] = {}


def compiled(program: Program) -> Compiled:
    """The compiled nodes of ``program``, shared by every document it checks."""
    found = _BY_PROGRAM.get(id(program))
    if found is None:
        found = _BY_PROGRAM[id(program)] = Compiled(program.functions)
        weakref.finalize(program, _BY_PROGRAM.pop, id(program), None)
    return found
