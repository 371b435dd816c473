"""The interpreter: a compiled `Program` over one document's facts → findings.

A small tree-walking evaluator over `dsl.ast` (never ``eval``). Every figure becomes an
interval (BRIEF §3) and every value carries a trace, so a finding can quote each figure,
where it was read, and how each side of the failing comparison was computed.
A rule whose inputs are missing is *not evaluated*, never passed. What nobody reads the steps of
— a guard, a filter, an assertion that holds — runs as closures compiled once per program
(`checker.compiled`); a failing case is evaluated again here, traced, for its finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from checker.compiled import CallPlan, TruthFn, compiled, conjunction, remembered
from checker.facts.model import Dims, Fact, FactSet
from checker.filters import RecordFilter, conjuncts, mentions_var
from checker.findings import Evidence, Finding, NotEvaluated, Trace
from checker.functions import Missing, NotComparable, Value, dims_text, display, fact_value
from checker.interval import DivisionByZero, Interval, format_decimal
from checker.model import Document
from checker.steps import LITERALS, Comparison, arithmetic, combine, holds, max_decimals, record_label
from dsl import ast
from dsl.compiler import SPECIAL_PLACEHOLDERS, CompiledRule, Program
from dsl.signatures import NUMERIC

T = TypeVar("T")

#: Why a rule reading last year's report is not evaluated when the check has none.
NO_PREVIOUS = "no previous report: check with --previous LAST (or --previous-dir in a batch)"


@dataclass
class Context:
    """What a rule may look at: the document's facts and, for text searches, the document itself; and last
    year's report's facts (``上年报告.…``), or why there are none.

    ``indexes`` holds the records' text-field indexes the filters build (see `Interpreter._index`) and
    ``values`` each fact's value as the interpreter reads it (keyed by the fact object's id); two contexts
    whose facts differ only in some figures may share both (`over`), as a fix suggestion's trials do — as
    long as every fact either reads stays alive, so that no id is reused."""

    facts: FactSet
    document: Document | None = None
    previous: FactSet | None = None
    no_previous: str = NO_PREVIOUS
    indexes: dict[tuple, tuple[dict[str, set[int]], set[int]]] = field(default_factory=dict)
    values: dict[tuple[int, str], Value] = field(default_factory=dict)
    #: The names of the facts each record states, by its dims (`Interpreter.fields_of`), made at the first
    #: asking; a trial's changed figures keep their names and dims, so its facts share them.
    fields: dict[Dims, frozenset[str]] = field(default_factory=dict)
    #: What each call of a pure function (`checker.functions.PURE`) gave, by the function, the call's text and
    #: its arguments' identities; the arguments are kept with it, so that no identity is reused. The same
    #: figures' values are the same objects (``values``): the guards of several rules asking the same of one
    #: record (同单位(指标.实际值, 指标.目标值)) compute it once.
    results: dict[tuple, tuple[list[Value], Value]] = field(default_factory=dict)

    def over(self, facts: FactSet) -> Context:
        """The same document, last year's report and caches, over other facts (a trial's changed figures)."""
        return replace(self, facts=facts)


@dataclass
class RuleOutcome:
    """One rule's evaluation, with the explanation of every decided case (passing ones too)."""

    rule: CompiledRule
    findings: list[Finding] = field(default_factory=list)
    not_evaluated: list[NotEvaluated] = field(default_factory=list)
    explanations: list[Trace] = field(default_factory=list)
    applicable: int = 0
    #: The records of failing cases whose findings were not asked for (`RuleRunner.run_cases`'s ``known``).
    failed: list[Dims] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.applicable > 0 and not self.findings and not self.not_evaluated and not self.failed


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    not_evaluated: list[NotEvaluated] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Probe:
    """One case of a rule evaluated for what it computed (`RuleRunner.probe`): whether its guard let it
    apply, whether the assertion held (None: not evaluated) and every comparison the assertion made."""

    applies: bool
    holds: bool | None
    comparisons: tuple[Comparison, ...] = ()


class Interpreter(RecordFilter):
    """Evaluates expressions of one program against one context; implements `checker.functions.Env`."""

    def __init__(self, program: Program, context: Context) -> None:
        self.program = program
        self.facts = context.facts
        self.document = context.document
        self.previous = context.previous
        self.no_previous = context.no_previous
        self.bindings: dict[str, Dims | str] = {}
        self.comparisons: list[Comparison] = []
        self._derived: dict[str, Value | Exception] = {}
        self._key_cache = context.indexes
        self._fields = context.fields
        self.fact_values = context.values
        #: Whether shortcuts may skip nodes (`truth`, and records passed over in `RuleRunner`): not for a
        #: subclass that watches what `eval` evaluates.
        self.lean = type(self).eval is Interpreter.eval
        #: Whether computed values carry their full traces (each step's display and the steps it was computed
        #: from). `truth` turns it off, as its values are never shown, nor are a probe's that only solves;
        #: a computed value's trace keeps its label either way (errors name it).
        self.traced = True
        #: The pure calls' values (`Context.results`): shared with the compiled closures.
        self.results = context.results
        self._compiled = compiled(program)

    # ---- Env protocol
    def dims_of(self, var: str) -> Dims:
        bound = self.bindings.get(var, ())
        return bound if isinstance(bound, tuple) else ()

    # ---- derived values
    def derived(self, name: str) -> Value:
        if name not in self._derived:
            traced, self.traced = self.traced, True  # computed once for every rule: with its trace
            try:
                value = self.eval(self.program.derived[name].expr)
                self._derived[name] = Value(value.kind, value.data, Trace(name, value.display, children=(value.trace,)),
                                            value.decimals)
            except (Missing, DivisionByZero, NotComparable) as err:
                self._derived[name] = err
            finally:
                self.traced = traced
        cached = self._derived[name]
        if isinstance(cached, Exception):
            raise cached
        return cached

    # ---- expressions
    def eval(self, expr: ast.Expr) -> Value:
        """The value of an expression: untraced, by the node's compiled closure (`checker.compiled`); traced
        (or by an interpreter that watches what it evaluates), by the node's method (`eval_node`)."""
        if not self.traced and self.lean:
            return self._compiled.value(expr)(self)
        return self.eval_node(expr)

    def eval_node(self, expr: ast.Expr) -> Value:
        """The value of an expression by the method for its node type."""
        method = _EVALUATORS.get(type(expr))
        if method is None:
            raise NotComparable(f"cannot evaluate {expr.src}")
        return method(self, expr)

    def _literal(self, expr: ast.Number | ast.Percent | ast.String | ast.DateLit | ast.Bool) -> Value:
        return self._compiled.literal(expr)

    def _fact(self, expr: ast.FactRef) -> Value:
        fact = self.facts.first(expr.name)
        if fact is None:
            raise Missing([expr.name])
        return self.fact_value(fact, expr.kind)

    def _previous_facts(self) -> FactSet:
        if self.previous is None:
            raise Missing([ast.PREVIOUS], self.no_previous)
        return self.previous

    def _previous_ref(self, expr: ast.PreviousRef) -> Value:
        """A figure of last year's report: the same fact, or the record with the current record's dims."""
        previous = self._previous_facts()
        inner = expr.inner
        if isinstance(inner, ast.FactRef):
            fact = previous.first(inner.name)
            if fact is None:
                raise Missing([expr.name])
            return self.fact_value(fact, inner.kind)
        dims = self.dims_of(inner.var)
        fact = previous.first(inner.fact_name, dims)
        if fact is not None:
            return self.fact_value(fact, inner.kind)
        keys = dict(dims)
        if inner.field in keys and dims in previous.records(inner.collection):
            return Value("text", keys[inner.field], Trace(expr.src, keys[inner.field]))
        raise Missing([f"{expr.name}[{dims_text(dims)}]"])

    def _record(self, expr: ast.RecordRef) -> Value:
        bound = self.bindings.get(expr.var, ())
        text = bound if isinstance(bound, str) else dims_text(bound)
        return Value("text", text, Trace(expr.var, text))

    def _derived_ref(self, expr: ast.DerivedRef) -> Value:
        return self.derived(expr.name)

    def _unary(self, expr: ast.Unary) -> Value:
        v = self.eval(expr.operand)
        result = -v.interval
        trace = Trace(expr.src, display(v.kind, result, v.decimals), children=(v.trace,)) if self.traced \
            else Trace(expr.src, "")
        return Value(v.kind, result, trace, v.decimals)

    def _logical(self, expr: ast.Logical) -> Value:
        lv = self.eval(expr.left)
        if bool(lv.data) == (expr.op == "or"):
            trace = Trace(expr.src, lv.display, children=(lv.trace,)) if self.traced else Trace(expr.src, "")
            return Value("bool", lv.data, trace)
        rv = self.eval(expr.right)
        trace = Trace(expr.src, rv.display, children=(lv.trace, rv.trace)) if self.traced else Trace(expr.src, "")
        return Value("bool", rv.data, trace)

    def _not(self, expr: ast.Not) -> Value:
        v = self.eval(expr.operand)
        flipped = not v.data
        trace = Trace(expr.src, display("bool", flipped, None), children=(v.trace,)) if self.traced \
            else Trace(expr.src, "")
        return Value("bool", flipped, trace)

    def field(self, ref: ast.FieldRef) -> Value:
        bound = self.bindings.get(ref.var, ())  # `dims_of`, inline: every field of every record comes here
        dims = bound if isinstance(bound, tuple) else ()
        found = self.facts.every(ref.fact_name, dims)
        if found:
            fact = found[0]
            value = self.fact_values.get((id(fact), ref.kind))
            return value if value is not None else self.fact_value(fact, ref.kind)
        keys = dict(dims)
        if ref.field in keys:  # a dims key read as a text field of the record
            return Value("text", keys[ref.field], Trace(ref.src, keys[ref.field]))
        raise Missing([f"{ref.fact_name}[{dims_text(dims)}]"])

    def fact_value(self, fact: Fact, kind: str) -> Value:
        """A fact as a value, made once per fact and kind: many rules read the same figures."""
        key = (id(fact), kind)
        value = self.fact_values.get(key)
        if value is None:
            value = self.fact_values[key] = fact_value(fact, kind)
        return value

    def binary(self, expr: ast.Binary) -> Value:
        lv, rv = self.eval(expr.left), self.eval(expr.right)
        kind, result, decimals = arithmetic(expr, lv, rv)
        trace = Trace(expr.src, display(kind, result, decimals), children=(lv.trace, rv.trace)) if self.traced \
            else Trace(expr.src, "")
        return Value(kind, result, trace, decimals)

    def compare(self, expr: ast.Compare) -> Value:
        lv, rv = self.eval(expr.left), self.eval(expr.right)
        held = holds(expr, lv, rv)
        self.comparisons.append(Comparison(expr, lv, rv, held))
        trace = Trace(expr.src, display("bool", held, None), children=(lv.trace, rv.trace)) if self.traced \
            else Trace(expr.src, "")
        return Value("bool", held, trace)

    def truth(self, expr: ast.Expr) -> bool:
        """``bool(self.eval(expr).data)`` — the same answer, the same lookups, the same errors — without making
        the values and traces of and/or/not and of the comparisons: a guard, a filter, or an assertion that
        holds needs only the answer (a failing one is evaluated again for its finding). It records no
        `Comparison`. An interpreter whose `eval` is overridden (one that watches the nodes evaluated, as
        `checker.coverage` does) evaluates every node through it. What it computes is not shown: untraced,
        by the node's compiled closure (`checker.compiled.Compiled.truth`)."""
        if not self.lean:
            return bool(self.eval(expr).data)
        decide = self._compiled.truth(expr)
        if not self.traced:
            return decide(self)
        self.traced = False
        try:
            return decide(self)
        finally:
            self.traced = True

    def call(self, expr: ast.FuncCall) -> Value:
        plan = self._plan(expr)
        if not (plan.builtin or self.traced):
            self.traced = True
            try:
                return self.call(expr)
            finally:
                self.traced = False
        impl, count, refs_at, reads_previous = plan.impl, plan.count, plan.refs_at, plan.reads_previous
        args = [arg if i in refs_at else self.eval(arg) for i, arg in enumerate(expr.args[:count])]
        if plan.pure:
            return remembered(self, impl, args, expr)
        if not reads_previous:
            return impl(self, args, expr)
        # exists(上年报告.…), 或零(上年报告.…): the function looks the name up in last year's report.
        previous = self._previous_facts()
        refs = [arg.inner if isinstance(arg, ast.PreviousRef) else arg for arg in args]
        saved = self.facts
        self.facts = previous
        try:
            return impl(self, refs, expr)
        finally:
            self.facts = saved

    def fields_of(self, record: Dims) -> frozenset[str]:
        """The names of the facts stated for ``record`` (its fields, of whatever collection)."""
        if not self._fields:
            names: dict[Dims, set[str]] = {}
            for fact in self.facts:
                if fact.dims:
                    names.setdefault(fact.dims, set()).add(fact.name)
            self._fields.update((dims, frozenset(found)) for dims, found in names.items())
            self._fields[()] = frozenset()  # made: never built again, even for a document without records
        return self._fields.get(record, self._fields[()])

    def _plan(self, expr: ast.FuncCall) -> CallPlan:
        return self._compiled.plan(expr)

    def decider(self, expr: ast.Expr) -> TruthFn:
        """What decides ``expr`` as `truth` does, for a caller that has turned `traced` off: its compiled
        closure, or (an interpreter watching what it evaluates) `truth` itself."""
        return self._compiled.truth(expr) if self.lean else lambda interp: interp.truth(expr)

    def records(self, source: ast.Source, collection: str | None) -> list[Dims | str]:
        if source.strings is not None:
            return list(source.strings)
        assert collection is not None
        found = self.facts.records(collection)
        if not found and collection not in self.facts.exhaustive:
            raise Missing([collection], f"no records of {collection}")
        return list(found)

    def aggregate(self, expr: ast.Aggregate) -> Value:
        def one(record: Dims | str) -> Value:
            if expr.expr is None or expr.func == "count":
                return Value("count", Interval.exact(1), Trace(record_label(record), "1"))
            return self.eval(expr.expr)

        return combine(expr, self.each(expr, one), self.traced)

    def each(self, expr: ast.Aggregate, one: Callable[[Dims | str], T], surely: T | None = None) -> list[T]:
        """``one(record)`` for each record an aggregate runs over (those its filter keeps), with the record
        bound to the aggregate's variable; ``surely``: the answer for a record ``any()``'s condition surely
        holds for without error (see `_key_filter`), given instead of asking ``one``."""
        saved = self.bindings
        out: list[T] = []
        try:
            records = self.records(expr.source, expr.collection)
        except Missing:
            if expr.func not in ("count", "any"):
                raise
            # "How many?" and "is there any?" have an answer when there is nothing: 0 and false.
            # A sum, min, max or all over a collection the document lacks stays not evaluated.
            records = []
        records, sure = self._key_filter(expr, records)
        try:
            for at, record in enumerate(records):
                self.bindings = {**saved, expr.var: record}
                if at in sure:
                    if expr.where is None and surely is not None:  # any()'s own condition that surely holds
                        out.append(surely)
                        continue
                elif expr.where is not None:
                    # A filter's comparisons choose records; they are never the finding's left and right.
                    mark = len(self.comparisons)
                    keep = self.truth(expr.where)
                    del self.comparisons[mark:]
                    if not keep:
                        continue
                out.append(one(record))
        finally:
            self.bindings = saved
        return out


_EVALUATORS: dict[type, Callable[[Interpreter, Any], Value]] = {
    **dict.fromkeys(LITERALS, Interpreter._literal), ast.FactRef: Interpreter._fact,
    ast.FieldRef: Interpreter.field, ast.RecordRef: Interpreter._record, ast.DerivedRef: Interpreter._derived_ref,
    ast.PreviousRef: Interpreter._previous_ref,
    ast.Unary: Interpreter._unary, ast.Binary: Interpreter.binary, ast.Compare: Interpreter.compare,
    ast.Logical: Interpreter._logical, ast.Not: Interpreter._not, ast.FuncCall: Interpreter.call,
    ast.Aggregate: Interpreter.aggregate,
}


# ---- rules → findings --------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _difference(left: Value, right: Value) -> str | None:
    if not (isinstance(left.data, Interval) and isinstance(right.data, Interval)) or left.kind not in NUMERIC:
        return None
    diff = left.data.value - right.data.value
    if left.kind == "percent" or right.kind == "percent":
        return format_decimal(diff * 100, 2, grouping=False) + "%"
    decimals = max_decimals(left, right)
    return format_decimal(diff, 2 if decimals is None else decimals)


def _evidence(traces: tuple[Trace, ...]) -> tuple[Evidence, ...]:
    seen: dict[tuple, Evidence] = {}
    for trace in traces:
        for leaf in trace.leaves():
            assert leaf.location is not None
            key = (leaf.label, leaf.location)
            seen.setdefault(key, Evidence(leaf.label, leaf.display, leaf.location, leaf.source))
    return tuple(seen.values())


class RuleRunner:
    """Runs compiled rules, one finding per failing case (per record for ``for each`` rules)."""

    def __init__(self, program: Program, context: Context, interpreter: type[Interpreter] | None = None,
                 explain: bool = False) -> None:
        self.program = program
        self.interp = (interpreter or Interpreter)(program, context)
        #: Whether each decided case keeps its explanation (`RuleOutcome.explanations`); without, a case
        #: whose guard is false or whose assertion holds is decided by `Interpreter.truth`, no traces made.
        self.explain = explain
        # Worked out once per rule, and for a plain interpreter once per program (every runner of a fix
        # suggestion's trials shares them): each loop rule's guard split into the fields it begins by asking
        # exists() for and its other parts (`_guard_split`); each rule's deciders (`_deciders`), by the rule and
        # whether a record's guard is asked whole.
        plans = compiled(program)
        self._split: dict[str, tuple[frozenset[str], list[ast.Expr]]] = plans.splits if self.interp.lean else {}
        self._decide: dict[tuple[str, bool], tuple[TruthFn | None, TruthFn]] = \
            plans.deciders if self.interp.lean else {}

    def run(self, rule: CompiledRule) -> RuleOutcome:
        outcome = RuleOutcome(rule)
        if rule.loop is None:
            self._case(rule, {}, (), outcome)
            return outcome
        try:
            records = self.interp.records(rule.loop.source, rule.loop.collection)
        except Missing as err:
            if not self._guard_rules_out(rule):
                outcome.not_evaluated.append(NotEvaluated(rule.id, err.reason, err.names, (), rule.title,
                                                          rule.severity))
            return outcome
        if not records:
            # An exhaustive collection with no records (no repeated word found): checked, nothing wrong.
            outcome.applicable += 1
            return outcome
        required, rest = self._guard_split(rule)
        var = rule.loop.var
        # A runner that watches its cases by overriding `_case` (what each looked up, say) gets the quick path
        # only if it watches `_decided` too.
        decide = not self.explain and (type(self)._case is RuleRunner._case
                                       or type(self)._decided is not RuleRunner._decided)
        guard_holds, assertion_holds = self._deciders(rule, rest if required else None) if decide else (None, None)
        for record in records:
            if isinstance(record, str):
                self._case(rule, {var: record}, ((var, record),), outcome)
                continue
            if required and not required <= self.interp.fields_of(record):
                continue  # its guard is surely false: the case does not apply
            if decide and self._decided(rule, record, var, guard_holds, assertion_holds, outcome):
                continue
            self._case(rule, {var: record}, record, outcome, rest=rest if required else None)
        if self.interp.previous is None:
            _once_without_previous(outcome)
        return outcome

    def _decided(self, rule: CompiledRule, record: Dims, var: str, guard_holds: TruthFn | None,
                 assertion_holds: TruthFn, outcome: RuleOutcome) -> bool:
        """Whether a case of ``rule``'s loop is decided untraced — its guard is false, or its assertion holds —
        without the bookkeeping of `_case`. Any other case (failing, or not evaluable) is for `_case` to
        evaluate again and report."""
        interp = self.interp
        interp.bindings = {var: record}
        interp.traced = False
        try:
            if guard_holds is not None and not guard_holds(interp):
                return True
            if assertion_holds(interp):
                outcome.applicable += 1
                return True
        except (Missing, DivisionByZero, NotComparable):
            pass
        finally:
            interp.traced = True
        return False

    def _guard_split(self, rule: CompiledRule) -> tuple[frozenset[str], list[ast.Expr]]:
        """The record fields a loop rule's guard begins by asking for (``when exists(r.a) and exists(r.b) and …``),
        and the guard's other parts. A record lacking one of those fields is not a case of the rule, and is
        passed over without evaluating the guard (most records of the indicator tables lack what a given rule
        compares). ``exists`` never raises, so skipping such a record changes nothing: the guard would be
        false, the case not applicable, and no change of a figure's value can make a missing fact exist. A
        record having them all is decided by the other parts: those ``exists`` hold."""
        if not self.interp.lean or rule.loop is None or rule.guard is None:
            return frozenset(), []
        if rule.id not in self._split:
            required = []
            parts = conjuncts(rule.guard)
            for part in parts:
                if not (isinstance(part, ast.FuncCall) and self.interp._plan(part).exists
                        and isinstance(part.args[0], ast.FieldRef) and part.args[0].var == rule.loop.var):
                    break
                required.append(part.args[0].fact_name)
            self._split[rule.id] = (frozenset(required), parts[len(required):])
        return self._split[rule.id]

    def cases(self, rule: CompiledRule) -> list[Dims] | None:
        """The records ``rule`` is evaluated for, as its findings carry them (``[()]`` for a rule without a
        loop); None when its collection is missing (the rule as a whole is not evaluated or applicable)."""
        if rule.loop is None:
            return [()]
        try:
            records = self.interp.records(rule.loop.source, rule.loop.collection)
        except Missing:
            return None
        return [((rule.loop.var, r),) if isinstance(r, str) else r for r in records]

    def run_cases(self, rule: CompiledRule, records: Iterable[Dims], known: Collection[Dims] = ()) -> RuleOutcome:
        """Only the cases of ``rule`` for ``records`` (as `cases` gives them); a case of ``known`` that fails
        is noted in `RuleOutcome.failed`, its finding not made (a trial needs only to know it still fails)."""
        outcome = RuleOutcome(rule)
        for record in records:
            self._case(rule, self._bindings(rule, record), record, outcome, record not in known)
        return outcome

    def _bindings(self, rule: CompiledRule, record: Dims) -> dict[str, Dims | str]:
        if rule.loop is None:
            return {}
        var = rule.loop.var
        return {var: dict(record).get(var, "") if rule.loop.source.strings is not None else record}

    def probe(self, rule: CompiledRule, record: Dims, traced: bool = True) -> Probe:
        """The case of ``rule`` for ``record`` (the dims a finding carries; ``()`` for a rule without a
        loop), with the values its comparisons compared: what a fix suggestion solves and verifies with.
        Without ``traced``, the comparisons' computed values have no steps to their traces (see
        `Interpreter.traced`): a solver's step needs only the values."""
        interp = self.interp
        interp.bindings = self._bindings(rule, record)
        interp.comparisons = []
        try:
            if rule.guard is not None and not interp.truth(rule.guard):
                return Probe(False, None)
            interp.comparisons = []
            interp.traced = traced
            held = bool(interp.eval(rule.assertion).data)
        except (Missing, DivisionByZero, NotComparable):
            return Probe(True, None, tuple(interp.comparisons))
        finally:
            interp.traced = True
        return Probe(True, held, tuple(interp.comparisons))

    def _guard_rules_out(self, rule: CompiledRule) -> bool:
        """Whether the guard is false without looking at any record (a table the document lacks): then a
        loop over an absent collection is not applicable rather than not evaluated."""
        if rule.guard is None or rule.loop is None:
            return False
        self.interp.bindings = {}
        for part in conjuncts(rule.guard):
            if mentions_var(part.src, rule.loop.var):
                continue
            try:
                if not self.interp.truth(part):
                    return True
            except (Missing, DivisionByZero, NotComparable):
                continue
        return False

    def _case(self, rule: CompiledRule, bindings: Mapping[str, Dims | str], record: Dims,
              outcome: RuleOutcome, finding: bool = True, rest: Sequence[ast.Expr] | None = None) -> None:
        """One case into ``outcome``; without ``finding``, a failing one only noted as failed (see `run_cases`).
        ``rest``: the parts of the guard (a conjunction) left to ask, the others known to hold (`_guard_split`)."""
        interp = self.interp
        interp.bindings = dict(bindings)
        interp.comparisons = []
        guard: Value | None = None
        try:
            if not self.explain:
                guard_holds, assertion_holds = self._deciders(rule, rest)
                interp.traced = False
                try:
                    if guard_holds is not None and not guard_holds(interp):
                        return
                    outcome.applicable += 1
                    if assertion_holds(interp):
                        return
                finally:
                    interp.traced = True
                if not finding:
                    outcome.failed.append(record)
                    return
                outcome.applicable -= 1  # counted again below, as the case is evaluated again for its finding
            if rule.guard is not None:
                guard = interp.eval(rule.guard)
                if not guard.data:
                    return
            outcome.applicable += 1
            interp.comparisons = []
            verdict = interp.eval(rule.assertion)
        except Missing as err:
            outcome.not_evaluated.append(NotEvaluated(rule.id, err.reason, err.names, record, rule.title,
                                                      rule.severity))
            return
        except (DivisionByZero, NotComparable) as err:
            outcome.not_evaluated.append(NotEvaluated(rule.id, str(err), (), record, rule.title, rule.severity))
            return
        if self.explain:
            outcome.explanations.append(verdict.trace)
        if not verdict.data:
            outcome.findings.append(self._finding(rule, verdict, interp.comparisons, record, guard))

    def _deciders(self, rule: CompiledRule, rest: Sequence[ast.Expr] | None) -> tuple[TruthFn | None, TruthFn]:
        """What decides a case of ``rule`` untraced, as `Interpreter.truth` would: its guard (None: it has none,
        or only parts known to hold) — or only the ``rest`` of its parts (`_guard_split`) — and its assertion."""
        key = (rule.id, rest is None)
        found = self._decide.get(key)
        if found is None:
            truth = self.interp.decider
            parts = [rule.guard] if rest is None and rule.guard is not None else list(rest or ())
            found = self._decide[key] = (conjunction([truth(part) for part in parts]) if parts else None,
                                         truth(rule.assertion))
        return found

    def _finding(self, rule: CompiledRule, verdict: Value, comparisons: list[Comparison], record: Dims,
                 guard: Value | None = None) -> Finding:
        failing = next((c for c in comparisons if not c.holds), None)
        left, right = (failing.left, failing.right) if failing else (None, None)
        traces = (left.trace, right.trace) if left and right else (verdict.trace,)
        # The figures the assertion read come first; the ones the guard read (what made the rule apply)
        # follow, so a finding on "a reason is missing" still points at the figures that differ.
        evidence = _evidence((verdict.trace,) if guard is None else (verdict.trace, guard.trace))
        specials: dict[str, str] = {}
        expected = None
        if left and right:
            # An exact literal (100%) is shown with the precision of the figure it is compared with.
            expected = display(right.kind, right.data, max_decimals(left, right))
            specials = {"left": left.display, "right": right.display, "expected": expected,
                        "difference": _difference(left, right) or ""}
        message = self._message(rule, specials, record)
        return Finding(
            rule_id=rule.id, severity=rule.severity, title=rule.title, message=message, citation=rule.citation,
            locations=evidence, values=tuple((e.name, e.display) for e in evidence),
            expected=expected,
            difference=_difference(left, right) if left and right else None,
            trace=traces, record=record, rule_file=rule.file, rule_line=rule.line)

    def _message(self, rule: CompiledRule, specials: dict[str, str], record: Dims) -> str:
        if rule.message is None:
            base = rule.title
            if specials:
                base += f"：{specials['left']} ≠ {specials['right']}"
            return base + (f"（{dims_text(record)}）" if record else "")
        named = dict(rule.placeholders)

        def fill(m: re.Match) -> str:
            key = m.group(1).strip()
            if key in SPECIAL_PLACEHOLDERS:
                return specials.get(SPECIAL_PLACEHOLDERS[key], "?")
            if key in named:
                try:
                    return self.interp.eval(named[key]).display
                except (Missing, DivisionByZero, NotComparable):
                    return "?"
            return m.group(0)

        return _PLACEHOLDER.sub(fill, rule.message)


def _once_without_previous(outcome: RuleOutcome) -> None:
    """With no previous report at all, a loop comparing with it is not evaluated once, not once per record."""
    lacking = [n for n in outcome.not_evaluated if n.missing == (ast.PREVIOUS,)]
    if lacking:
        first = lacking[0]
        outcome.not_evaluated = [n for n in outcome.not_evaluated if n.missing != (ast.PREVIOUS,)]
        outcome.not_evaluated.insert(0, NotEvaluated(first.rule_id, first.reason, first.missing, (), first.title,
                                                     first.severity))


def evaluate_rule(program: Program, rule: CompiledRule | str, context: Context,
                  interpreter: type[Interpreter] | None = None) -> RuleOutcome:
    """One rule, with the explanation trace of every case (for ``--explain`` and rule tests). ``interpreter``
    replaces the `Interpreter` (a subclass that records what it evaluates: `checker.coverage`)."""
    compiled = program.rule(rule) if isinstance(rule, str) else rule
    return RuleRunner(program, context, interpreter, explain=True).run(compiled)


def evaluate(program: Program, context: Context, runner: RuleRunner | None = None,
             only: Callable[[CompiledRule], bool] | None = None) -> Result:
    """Every rule of ``program`` against one document, in program order (deterministic); ``runner``: one
    made for ``context`` that also watches the evaluation (as fix suggestions record what each case read);
    with ``only``, the rules it accepts (the rules in force for the report's year and region, say) — the
    others are not run."""
    runner = runner or RuleRunner(program, context)
    for name in compiled(program).derived_order(program):
        with suppress(Missing, DivisionByZero, NotComparable):  # reported by the rules that use it
            runner.interp.derived(name)
    result = Result()
    for rule in program.rules:
        if only is not None and not only(rule):
            continue
        outcome = runner.run(rule)
        result.findings.extend(outcome.findings)
        result.not_evaluated.extend(outcome.not_evaluated)
        if outcome.passed:
            result.passed.append(rule.id)
        elif outcome.applicable == 0 and not outcome.not_evaluated:
            result.not_applicable.append(rule.id)
    return result
