"""Immutable syntax tree of a rule file.

The parser builds the *surface* nodes (``Name``, ``Call`` …) with their position; the
compiler rewrites names into *resolved* references (``FactRef``, ``FieldRef`` …) and calls
into ``Aggregate`` nodes, so the interpreter never has to guess what a name means.
Every node keeps ``line``/``column`` (1-based) and ``src``, its source text, for diagnostics
and for the explanation trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property


@dataclass(frozen=True, kw_only=True)
class Node:
    """Positions and source text are excluded from equality, so equal trees mean equal rules."""

    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)
    src: str = field(default="", compare=False)


# ---- surface expressions ------------------------------------------------------------

@dataclass(frozen=True)
class Number(Node):
    value: Decimal
    decimals: int


@dataclass(frozen=True)
class Percent(Node):
    """``97.5%``: ``value`` is the ratio (0.975)."""

    value: Decimal
    decimals: int


@dataclass(frozen=True)
class String(Node):
    value: str


@dataclass(frozen=True)
class DateLit(Node):
    value: date


@dataclass(frozen=True)
class Bool(Node):
    value: bool


@dataclass(frozen=True)
class Name(Node):
    """A dotted reference as written; the compiler decides what it denotes."""

    parts: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Expr


@dataclass(frozen=True)
class Binary(Node):
    """Arithmetic: ``op`` is one of ``+ - * /`` (× ÷ − are normalised)."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Tolerance(Node):
    """``within 0.01`` (absolute) or ``within 1%`` (``relative``)."""

    value: Decimal
    relative: bool


@dataclass(frozen=True)
class Compare(Node):
    """``op`` is one of ``== != < <= > >=`` (= ≠ ≤ ≥ are normalised)."""

    op: str
    left: Expr
    right: Expr
    tolerance: Tolerance | None = None


@dataclass(frozen=True)
class Logical(Node):
    op: str  # "and" | "or"
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not(Node):
    operand: Expr


@dataclass(frozen=True)
class Source(Node):
    """What a loop ranges over: a collection name, or a literal list of strings."""

    name: Name | None = None
    strings: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Comprehension(Node):
    var: str
    source: Source
    where: Expr | None = None


@dataclass(frozen=True)
class Call(Node):
    """``f(a, b)``; ``f(e for x in C where w)`` (``comprehension``); ``f(e where w)`` (``where``)."""

    func: str
    args: tuple[Expr, ...]
    comprehension: Comprehension | None = None
    where: Expr | None = None


# ---- resolved expressions (built by the compiler) -----------------------------------

@dataclass(frozen=True)
class FactRef(Node):
    """A scalar fact: its first occurrence in document order."""

    name: str
    kind: str


@dataclass(frozen=True)
class DerivedRef(Node):
    name: str
    kind: str


@dataclass(frozen=True)
class CollectionRef(Node):
    name: str


@dataclass(frozen=True)
class RecordRef(Node):
    """A loop variable bound to a record (or, for string lists, to the string)."""

    var: str
    collection: str | None


@dataclass(frozen=True)
class FieldRef(Node):
    """``项.决算数``: a field (or a dims key read as text) of the current record of ``var``."""

    var: str
    collection: str
    field: str
    kind: str

    @cached_property  # asked for at every record of every loop
    def fact_name(self) -> str:
        return f"{self.collection}.{self.field}"


@dataclass(frozen=True)
class PreviousRef(Node):
    """``上年报告.收入.收入总计``: a figure read from last year's report instead of this one — a scalar fact, or
    (``上年报告.项.决算数``) the field of the record with the same dims as the current record of ``项``."""

    inner: FactRef | FieldRef
    kind: str

    @property
    def name(self) -> str:
        inner = self.inner
        return f"{PREVIOUS}.{inner.name if isinstance(inner, FactRef) else inner.fact_name}"


#: The name prefix that reads last year's report, and its English spelling.
PREVIOUS = "上年报告"
PREVIOUS_HEADS = (PREVIOUS, "previous")


@dataclass(frozen=True)
class FuncCall(Node):
    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Aggregate(Node):
    """``sum``/``count``/``min``/``max``/``all``/``any`` of ``expr`` over the records of a source."""

    func: str
    var: str
    source: Source
    collection: str | None
    expr: Expr | None
    where: Expr | None


Expr = (Number | Percent | String | DateLit | Bool | Name | Unary | Binary | Compare | Logical | Not | Call
        | FactRef | DerivedRef | CollectionRef | RecordRef | FieldRef | PreviousRef | FuncCall | Aggregate)


# ---- statements ---------------------------------------------------------------------

@dataclass(frozen=True)
class Import(Node):
    path: str


@dataclass(frozen=True)
class Let(Node):
    name: str
    expr: Expr


@dataclass(frozen=True)
class Clause(Node):
    """One line of a rule body: ``keyword`` is the canonical English keyword."""

    keyword: str
    value: object


@dataclass(frozen=True)
class Rule(Node):
    id: str
    title: str
    clauses: tuple[Clause, ...]

    def clause(self, keyword: str) -> Clause | None:
        return next((c for c in self.clauses if c.keyword == keyword), None)


@dataclass(frozen=True)
class Module(Node):
    path: str
    text: str = field(compare=False, repr=False)
    imports: tuple[Import, ...]
    lets: tuple[Let, ...]
    rules: tuple[Rule, ...]
    #: The file's own ``applies``/``region`` lines (before its imports and rules): they hold for every rule
    #: of the file that does not state its own.
    header: tuple[Clause, ...] = ()

    def clause(self, keyword: str) -> Clause | None:
        return next((c for c in self.header if c.keyword == keyword), None)


def children(expr: Expr) -> tuple[Expr, ...]:
    """Direct sub-expressions, for generic walks (dependency collection, graph building). A `PreviousRef` is
    a leaf: the name inside it is last year's report's, not a fact this report is read for."""
    match expr:
        case Unary(operand=o) | Not(operand=o):
            return (o,)
        case Binary(left=a, right=b) | Compare(left=a, right=b) | Logical(left=a, right=b):
            return (a, b)
        case Call(args=args, comprehension=comp, where=w):
            extra = tuple(x for x in (comp.where if comp else None, w) if x is not None)
            return tuple(args) + extra
        case FuncCall(args=args):
            return tuple(args)
        case Aggregate(expr=e, where=w):
            return tuple(x for x in (e, w) if x is not None)
    return ()


def walk(expr: Expr):
    """``expr`` and all its sub-expressions, depth first, left to right."""
    yield expr
    for child in children(expr):
        yield from walk(child)
