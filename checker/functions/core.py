"""The rule language's functions as the evaluator runs them: values, the function table and the core built-ins.

The language (`dsl`) knows a function only by its signature (`dsl.signatures`); here each
signature gets its implementation, ``impl(env, args, node) -> Value``. `FunctionSpec` is a
signature with its implementation — what a plugin's ``juesuan_functions`` hook returns, and what
the built-in plugin contributes for every built-in (`builtin_functions`). ``ref`` parameters
arrive unevaluated (the AST node), every other argument as a `Value`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from checker.facts.model import Dims, Fact, FactSet
from checker.findings import Trace
from checker.interval import Interval, compare, format_decimal
from checker.model import Document, Paragraph, Table
from checker.quantity import MONEY_SCALE, DateValue, Direction, Quantity, Target, to_halfwidth
from dsl import ast
from dsl.signatures import NUMERIC, SIGNATURES, Signature, add_signature

DIRECTION_WORD = {1: "增加", -1: "减少", 0: "持平"}
_ONE = Decimal(1)


class Missing(Exception):
    """A fact the rule needs is absent: the rule is *not evaluated*, never passed."""

    def __init__(self, names: Sequence[str], reason: str | None = None) -> None:
        self.names = tuple(names)
        self.reason = reason or "missing " + ", ".join(self.names)
        super().__init__(self.reason)


class NotComparable(Exception):
    """A value exists but cannot be used (qualitative target, date without a year …)."""


@dataclass(slots=True, unsafe_hash=True)
class Value:
    """A value as the interpreter sees it: kind, payload, display precision and how it was obtained.

    Numbers are `Interval`s in canonical units (money in 万元, percent as a ratio);
    ``decimals`` is the display precision in the kind's printed unit (percent points for %).
    Never changed once made (but for the target's figure `stated_figure` keeps); not frozen only because it
    is built for every step of every rule (see `checker.findings.Trace`).
    """

    kind: str
    data: Interval | date | str | bool | Target | None
    trace: Trace
    decimals: int | None = None
    #: A target's figure as `quantity_interval` reads it, kept by `stated_figure` (unset until it is asked).
    figure: tuple[str, Interval, int] = field(init=False, repr=False, compare=False)

    @property
    def interval(self) -> Interval:
        if not isinstance(self.data, Interval):
            raise NotComparable(f"{self.trace.label} is not a number")
        return self.data

    @property
    def display(self) -> str:
        return display(self.kind, self.data, self.decimals)


def display(kind: str, data: object, decimals: int | None) -> str:
    """A computed value the way the report would print it (midpoint, sensible decimals)."""
    if type(data) is str:  # a text (a record's key, a fact's words): filters compare it at every record
        return data
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, Interval):
        if kind == "direction":
            words = sorted({DIRECTION_WORD[int(s)] for s in (data.lo, data.hi)})
            return "或".join(words)
        if kind == "percent":
            return format_decimal(data.value * 100, 2 if decimals is None else decimals, grouping=False) + "%"
        if decimals is None:
            decimals = 0 if data.value == data.value.to_integral_value() else 2
        return format_decimal(data.value, decimals)
    if isinstance(data, date):
        return f"{data.year}年{data.month}月{data.day}日"
    if isinstance(data, Target):
        return data.text
    return "" if data is None else str(data)


def stated_figure(value: Value) -> tuple[str, Interval, int]:
    """`quantity_interval` of the figure a target value states (its ``data.value``), worked out once per
    value: 完成度, 相符 and 达标 each ask it of every indicator's target and actual."""
    figure = getattr(value, "figure", None)
    if figure is None:
        value.figure = figure = quantity_interval(value.data.value)  # type: ignore[union-attr]
    return figure


class _Computed(Trace):
    """A built-in's trace whose display is worked out when first read: most values are made untraced (for a
    guard, an assertion that holds) and never shown, and printing a figure costs more than the rest of the
    step. Equal to, hashed and pickled as the plain `Trace` it stands for."""

    __slots__ = ("_shown",)

    def __init__(self, label: str, kind: str, data: object, decimals: int | None,
                 children: tuple[Trace, ...]) -> None:
        self.label, self.location, self.source, self.children = label, None, "", children
        self._shown = kind, data, decimals

    def __getattr__(self, name: str) -> str:
        if name != "display":
            raise AttributeError(name)
        self.display = shown = display(*self._shown)
        return shown


class _Read(Trace):
    """A fact's trace, naming the fact when first read (`Fact.label` joins a record's dims): made for every
    figure a check reads, shown for few. Equal to, hashed and pickled as the plain `Trace` it stands for."""

    __slots__ = ("_fact",)

    def __init__(self, fact: Fact, text: str) -> None:
        self.display, self.location, self.source, self.children, self._fact = text, fact.location, fact.source, (), fact

    def __getattr__(self, name: str) -> str:
        if name != "label":
            raise AttributeError(name)
        self.label = label = self._fact.label
        return label


def dims_text(dims: Dims) -> str:
    return "/".join(v for _, v in dims)


# Whole things counted (人, 辆, 家 …) are exact when printed without decimals: 3辆 is not 2.5–3.5 辆.
COUNT_UNITS = frozenset({
    "人", "人次", "人天", "辆", "个", "家", "次", "项", "件", "份", "所", "名",
    "户", "户次", "处", "批", "批次", "场", "场次", "台", "套", "台（套）", "架次", "车次",
    "篇", "条", "本", "册", "部", "间", "座", "张", "株", "棵", "头", "只",
    "期",
})


_PERCENT_SCALE = Decimal("0.01")  # a percent figure as a ratio
_COUNTABLE = frozenset({"count", "number"})


def quantity_interval(q: Quantity, kind: str = "number") -> tuple[str, Interval, int]:
    """A printed figure as (kind, interval in canonical units, display decimals)."""
    decimals, unit = q.decimals, q.unit
    if decimals == 0 and (kind in _COUNTABLE or unit in COUNT_UNITS) and not q.is_percent and not q.is_money:
        # Whole things (3辆) and assigned points (权重 15, 得分 6) are exact, not rounded measurements.
        return ("count" if kind not in NUMERIC else kind), Interval.exact(q.value), 0
    if kind == "percent" or unit == "%":
        return "percent", Interval.rounded(q.value, decimals, _PERCENT_SCALE), decimals
    if kind == "money" or q.is_money:
        scale = MONEY_SCALE.get(unit, _ONE)
        return "money", Interval.rounded(q.value, decimals, scale), decimals if scale == 1 else 2
    return (kind if kind in NUMERIC else "number"), Interval.rounded(q.value, decimals), decimals


def fact_value(fact: Fact, kind: str) -> Value:
    """A fact as a `Value`: figures become intervals in canonical units (BRIEF §3)."""
    v = fact.value
    if isinstance(v, Quantity):  # most facts: read first
        qkind, interval, decimals = quantity_interval(v, kind)
        return Value(qkind, interval, _Read(fact, v.text or str(v)), decimals)
    trace = _Read(fact, getattr(v, "text", None) or (v.word if isinstance(v, Direction) else str(v)))
    if isinstance(v, DateValue):
        d = v.as_date()
        if d is None:
            raise NotComparable(f"{fact.label} ({v.text}) has no year or is not a calendar date")
        return Value("date", d, trace)
    if isinstance(v, Direction):
        return Value("direction", Interval.exact(v.sign), trace)
    if isinstance(v, Target):
        return Value("target", v, trace)
    return Value("text", str(v), trace)


class Env(Protocol):
    """What a built-in may see while evaluating: the facts, the document, the current records."""

    facts: FactSet
    document: Document | None

    def dims_of(self, var: str) -> Dims: ...


CallImpl = Callable[[Env, Sequence[Any], ast.Expr], Value]


@dataclass(frozen=True, init=False)
class FunctionSpec(Signature):
    """A function a rule may call: its signature (name, parameter kinds, result kind) and its implementation."""

    impl: CallImpl

    def __init__(self, name: str, params: tuple[str, ...], result: str | Callable[[Sequence[str]], str],
                 impl: CallImpl, doc: str = "") -> None:
        for attribute, value in (("name", name), ("params", params), ("result", result), ("impl", impl),
                                 ("doc", doc)):
            object.__setattr__(self, attribute, value)


#: The built-in functions (every name and alias), each a `dsl.signatures.SIGNATURES` entry with its
#: implementation; the built-in plugin contributes them through the ``juesuan_functions`` hook.
FUNCTIONS: dict[str, FunctionSpec] = {}

#: The implementations whose value (or error) follows from their arguments' values and the call's text alone,
#: never from the facts, the document or the records bound: the evaluator may give a call the value it gave
#: the same arguments before (`checker.evaluate.Interpreter.call`).
PURE: set[CallImpl] = set()


def register_function(spec: FunctionSpec, aliases: Sequence[str] = (),
                      registry: dict[str, FunctionSpec] | None = None) -> FunctionSpec:
    """Add ``spec`` (and its aliases) to a function table (`FUNCTIONS` by default)."""
    add_signature(spec, aliases, FUNCTIONS if registry is None else registry)  # type: ignore[arg-type]
    return spec


def implement(name: str, impl: CallImpl) -> FunctionSpec:
    """Register the implementation of the language's built-in ``name`` under the names the language gives it."""
    signature = SIGNATURES[name]
    aliases = [alias for alias, other in SIGNATURES.items() if other is signature and alias != signature.name]
    return register_function(FunctionSpec(signature.name, signature.params, signature.result, impl, signature.doc),
                             aliases)


def builtin_functions() -> list[tuple[FunctionSpec, tuple[str, ...]]]:
    """The function table as ``juesuan_functions`` items: each function with its aliases, in table order."""
    names: dict[int, tuple[FunctionSpec, list[str]]] = {}
    for name, spec in FUNCTIONS.items():
        names.setdefault(id(spec), (spec, []))[1].append(name)
    return [(spec, tuple(n for n in found if n != spec.name)) for spec, found in names.values()]


# ---- reference helpers ----------------------------------------------------------------

def ref_target(env: Env, ref: ast.Expr) -> tuple[str, Dims]:
    """The fact name and record dims a reference argument designates."""
    # A field first: most references are a record's (``exists(指标.完成率)`` at every record), and its name is
    # made once per node (`ast.FieldRef.fact_name`), not once per call.
    if isinstance(ref, ast.FieldRef):
        return ref.fact_name, env.dims_of(ref.var)
    if isinstance(ref, ast.FactRef):
        return ref.name, ()
    if isinstance(ref, ast.RecordRef) and isinstance(ref.collection, str):
        return ref.collection, env.dims_of(ref.var)
    raise NotComparable(f"{ref.src} is not a fact reference")


def _occurrences(env: Env, name: str, dims: Dims) -> list[Fact]:
    return env.facts.every(name, dims)


def _bool(value: bool, label: str, children: Sequence[Trace] = ()) -> Value:
    return Value("bool", value, Trace(label, "true" if value else "false", None, "", tuple(children)))


def _fact_traces(facts: Sequence[Fact]) -> list[Trace]:
    return [_Read(f, getattr(f.value, "text", None) or str(f.value)) for f in facts]


# ---- built-ins ------------------------------------------------------------------------

def _exists(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    name, dims = ref_target(env, args[0])
    found = _occurrences(env, name, dims)
    return _bool(bool(found), node.src, _fact_traces(found[:1]))


def occurs(env: Env, ref: ast.Expr) -> bool:
    """What ``exists(ref)`` answers, without its value and trace (for guards that only need the answer)."""
    if isinstance(ref, ast.FieldRef):  # most guards ask a record's field: `ref_target`'s first case, inline
        return bool(env.facts.every(ref.fact_name, env.dims_of(ref.var)))
    return bool(env.facts.every(*ref_target(env, ref)))


def _reason(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    ref = args[0]
    name, dims = ref_target(env, ref)
    if isinstance(ref, ast.FieldRef | ast.RecordRef):
        name = f"{ref.collection}.原因"
    elif not name.endswith(".原因"):
        name = f"{name}.原因"
    found = [f for f in _occurrences(env, name, dims) if str(getattr(f.value, "text", f.value)).strip()]
    return _bool(bool(found), node.src, _fact_traces(found[:1]))


def _normal(text: str) -> str:
    return "".join(to_halfwidth(text).split())


def _blocks_in(document: Document, section: str | None) -> list[Paragraph | Table]:
    if section is None:
        return list(document.blocks)
    wanted = _normal(section)
    blocks: list[Paragraph | Table] = []
    for sec in document.sections():
        if wanted in _normal(sec.title):
            for inner in sec.walk():
                blocks.extend(inner.blocks)
    return blocks


def _texts(blocks: Sequence[Paragraph | Table]):
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text, block.location
        else:
            for row in block.rows:
                for cell in row.cells:
                    yield cell.text, cell.location


def _searchable(document: Document, section: str | None, paragraphs_only: bool = False) -> list[tuple[str, str, Any]]:
    """(normalised text, text, location) of every paragraph (and table cell), worked out once per document."""
    cache = document.__dict__.setdefault("_searchable", {})
    key = (section, paragraphs_only)
    if key not in cache:
        blocks = [b for b in _blocks_in(document, section) if not paragraphs_only or isinstance(b, Paragraph)]
        cache[key] = [(_normal(text), text, loc) for text, loc in _texts(blocks)]
    return cache[key]


def find_phrase(env: Env, phrase: str, node: ast.Expr, section: str | None = None,
                paragraphs_only: bool = False, discount: Callable[[str, int, int], bool] | None = None) -> Value:
    """Whether the phrase occurs in the document (or one section, or its paragraphs only), pointing at it.
    An occurrence at ``text[start:end]`` for which ``discount(text, start, end)`` holds does not count."""
    if env.document is None:
        raise Missing(["document"], "the document text is not available to search for a phrase")
    wanted = _normal(phrase)
    for normal, text, loc in _searchable(env.document, section, paragraphs_only):
        if wanted not in normal:
            continue
        at = text.find(phrase)
        if at < 0:  # spaces inside the phrase in the text
            return _bool(True, node.src, [Trace("提及", text[:60], loc, text)])
        while at >= 0 and discount is not None and discount(text, at, at + len(phrase)):
            at = text.find(phrase, at + len(phrase))
        if at >= 0:
            return _bool(True, node.src, [Trace("提及", phrase, loc.narrow(at, at + len(phrase)), text)])
    return _bool(False, node.src)


def _mentions(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    return find_phrase(env, args[0].data, node, args[1].data if len(args) > 1 else None)


def _defined(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    term = _normal(args[0].data)
    glossary = env.facts.all("名词解释.定义")
    if glossary:
        found = [f for f in glossary if any(_normal(v) == term for _, v in f.dims)]
        return _bool(bool(found), node.src, _fact_traces(found[:1]))
    if env.document is None:
        raise Missing(["名词解释"], "no glossary (名词解释) facts and no document text")
    for text, loc in _texts(env.document.blocks):
        body = _normal(text).lstrip("0123456789.、()（）一二三四五六七八九十")
        if body.startswith(term) and body[len(term):len(term) + 1] in (":", "：", "是", "指"):
            return _bool(True, node.src, [Trace("definition", text[:60], loc, text)])
    return _bool(False, node.src)


def _consistent(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    name, dims = ref_target(env, args[0])
    found = _occurrences(env, name, dims)
    if not found:
        raise Missing([name])
    kind = getattr(args[0], "kind", "number")
    values = [fact_value(f, kind) for f in found]
    ok = True
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            if isinstance(a.data, Interval) and isinstance(b.data, Interval):
                ok = ok and a.data.intersects(b.data)
            else:
                ok = ok and a.display == b.display
    return _bool(ok, node.src, [v.trace for v in values])


def _growth_rate(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    change, previous = args
    ci, pi = change.interval, previous.interval
    children = (change.trace, previous.trace)
    if pi.contains_zero() and ci.lo > 0:
        # A new item (上年 0) is reported as 增长100% by convention.
        return Value("percent", Interval.exact(1), Trace(node.src, "100.00% (new item)", children=children), 2)
    if pi.contains_zero() and ci.contains_zero():
        return Value("percent", Interval.exact(0), Trace(node.src, "0.00% (unchanged)", children=children), 2)
    result = ci / pi
    return Value("percent", result, _Computed(node.src, "percent", result, 2, children), 2)


def _sign(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    x = args[0].interval

    def sgn(d: Decimal) -> int:
        return (d > 0) - (d < 0)

    result = Interval(Decimal(sgn(x.lo)), Decimal(sgn(x.hi)))
    return Value("direction", result, _Computed(node.src, "direction", result, None, (args[0].trace,)))


def _abs(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    x = args[0]
    result = abs(x.interval)
    return Value(x.kind, result, _Computed(node.src, x.kind, result, x.decimals, (x.trace,)), x.decimals)


def _same_family(a: Quantity, b: Quantity) -> bool:
    return a.unit == b.unit or (a.is_money and b.is_money) or not a.unit or not b.unit


#: A target's comparator as the operator `_met` tests (a target without one is a floor: 不低于).
_TARGET_OPERATORS = {"=": "==", None: ">="}


def _met(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    actual, target = args
    t: Target = target.data
    if t.value is None:
        raise NotComparable(f"target {t.text!r} is qualitative")
    a = actual.data.value if isinstance(actual.data, Target) else actual.data
    if isinstance(a, Quantity):
        a = stated_figure(actual)[1]
    goal: Any = t.value
    if isinstance(a, DateValue):
        # A date printed without its year (11月30日) is read in the target's year, or a common year when
        # neither states one: only month and day are compared then.
        a = a.as_date(goal.year or 2000 if isinstance(goal, DateValue) else None)
    if isinstance(goal, DateValue) and goal.year is None and not isinstance(a, date):
        raise NotComparable(f"cannot compare {actual.display} with target {t.text}")
    if isinstance(goal, Quantity):
        if isinstance(a, Interval) and actual.kind == "percent" and goal.unit != "%":
            raise NotComparable(f"{actual.display} and target {t.text} are in different units")
        goal = stated_figure(target)[1]
    elif isinstance(goal, DateValue):
        goal = goal.as_date(a.year if isinstance(a, date) else None)
    if isinstance(goal, Quantity | Interval) and isinstance(a, Interval) and isinstance(t.value, Quantity) and \
            isinstance(actual.data, Target) and isinstance(actual.data.value, Quantity) and \
            not _same_family(actual.data.value, t.value):
        raise NotComparable(f"{actual.display} and target {t.text} are in different units")
    if a is None or goal is None or type(a) is not type(goal):
        raise NotComparable(f"cannot compare {actual.display} with target {t.text}")
    op = _TARGET_OPERATORS.get(t.comparator, t.comparator)
    if isinstance(a, Interval):
        ok = compare(op, a, goal)
    else:
        ok = {"==": a == goal, "<=": a <= goal, "<": a < goal, ">=": a >= goal, ">": a > goal}[op]
    return _bool(ok, node.src, [actual.trace, target.trace])


implement("exists", _exists)
implement("reason", _reason)
implement("mentions", _mentions)
implement("defined", _defined)
implement("consistent", _consistent)
implement("growth_rate", _growth_rate)
implement("sign", _sign)
implement("abs", _abs)
implement("met", _met)
PURE.update({_growth_rate, _sign, _abs, _met})
