"""The signatures of the functions a rule may call — names, parameter kinds, result kinds — and the kind algebra.

The language knows functions only as signatures: the compiler checks a call's name, argument count
and kinds against a table it is given (``compile_files(..., functions=)``) and records the result
kind; what a function *does* is the evaluator's business (`checker.functions` implements every
signature of `SIGNATURES`, a plugin brings its own). Parameters are declared by kind: a value kind
(``money`` …), ``numeric`` (any number-like kind), ``any``, ``text``, or ``ref`` — a fact reference
passed unevaluated, for functions that ask *whether* a fact is there rather than what it says. A
trailing ``?`` marks an optional one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

NUMERIC = frozenset({"money", "percent", "count", "number", "direction"})


def compatible(a: str, b: str) -> bool:
    """Whether two kinds may be compared or added: same kind, or a bare number with any numeric kind."""
    if a == b or "error" in (a, b):
        return True
    return a in NUMERIC and b in NUMERIC and "number" in (a, b)


def arith_kind(op: str, lk: str, rk: str) -> str:
    """The kind of ``l op r`` for compatible numeric kinds.

    Amounts add to amounts; an amount times a share is an amount; an amount divided by an
    amount of the same kind is a ratio (percent); anything else is a plain number.
    """
    if op in "+-":
        return rk if lk == "number" else lk
    if op == "*":
        # A share scales what it multiplies: 权重 × 完成率 is a number of points, 支出 × 占比 an amount.
        if lk == "percent" or rk == "percent":
            return "percent" if lk == rk else (rk if lk == "percent" else lk)
        return rk if lk == "number" else (lk if rk == "number" else "number")
    if lk == rk:
        return "percent"
    return lk if rk in ("number", "percent") else "number"


def accepts(param: str, kind: str) -> bool:
    param = param.rstrip("?")
    if kind == "error" or param == "any":
        return True
    if param == "numeric":
        return kind in NUMERIC
    return compatible(param, kind)


@dataclass(frozen=True)
class Signature:
    """A function as the language sees it: its name, parameter kinds and result kind (a kind, or a rule from
    the argument kinds to one)."""

    name: str
    params: tuple[str, ...]
    result: str | Callable[[Sequence[str]], str]
    doc: str = ""

    @property
    def min_args(self) -> int:
        return sum(1 for p in self.params if not p.endswith("?"))

    @property
    def max_args(self) -> int:
        return len(self.params)

    def result_kind(self, arg_kinds: Sequence[str]) -> str:
        return self.result(arg_kinds) if callable(self.result) else self.result


def first_argument_kind(kinds: Sequence[str]) -> str:
    """A result of the first argument's kind (abs, 或零, 封顶)."""
    return kinds[0] if kinds else "number"


AGGREGATES: dict[str, str] = {
    "sum": "sum", "求和": "sum", "count": "count", "计数": "count", "min": "min", "最小值": "min",
    "max": "max", "最大值": "max", "all": "all", "全部": "all", "any": "any", "任一": "any",
}


def add_signature(signature: Signature, aliases: Sequence[str], table: dict[str, Signature]) -> Signature:
    """Add ``signature`` under its name and aliases to ``table``; an aggregation's name cannot be taken."""
    for name in (signature.name, *aliases):
        if name in AGGREGATES:
            raise ValueError(f"{name} is an aggregation and cannot be redefined")
        table[name] = signature
    return signature


#: The language's built-in functions, each with its other names (a Chinese or English spelling).
BUILTINS: tuple[tuple[Signature, tuple[str, ...]], ...] = (
    (Signature("exists", ("ref",), "bool",
               "the fact is stated in the document (for the current record in a loop)"), ("存在",)),
    (Signature("reason", ("ref",), "bool", "a 原因 (主要原因是…) is given for the figure or record"), ("有原因",)),
    (Signature("mentions", ("text", "text?"), "bool",
               "a paragraph or table cell contains the phrase (optionally within a section whose title contains "
               "the second argument)"), ("提及",)),
    (Signature("defined", ("text",), "bool", "the glossary (名词解释) defines the term"), ("已定义",)),
    (Signature("consistent", ("ref",), "bool",
               "every occurrence of the figure states the same value (within rounding)"), ("一致",)),
    (Signature("growth_rate", ("numeric", "numeric"), "percent",
               "增减率 = 增减额 / 上年, where a new item (上年 0) counts as 增长100%"), ("增长率",)),
    (Signature("sign", ("numeric",), "direction", "the direction (增加/减少/持平) of a change"), ("方向",)),
    (Signature("abs", ("numeric",), first_argument_kind, "absolute value"), ("绝对值",)),
    (Signature("met", ("any", "target"), "bool",
               "the actual value meets a target such as >=30家 or 2024年12月20日前"), ("达成",)),
    # the report's own conventions: optional addends, performance targets, text tests
    (Signature("或零", ("ref",), first_argument_kind,
               "the figure, or exactly 0 when the report does not state it"), ("or_zero",)),
    (Signature("相符", ("any", "any"), "bool",
               "two statements of a figure (numbers, targets or dates) agree within rounding"), ("same_value",)),
    (Signature("同单位", ("any", "any"), "bool", "a target and its actual are in the same unit"), ("same_unit",)),
    (Signature("完成度", ("any", "target"), "percent",
               "the completion rate implied by an actual and its target (a met ceiling or deadline is 100%)"),
     ("completion",)),
    (Signature("可量化", ("any",), "bool", "the target or actual states a figure or a date, not words"),
     ("quantitative",)),
    (Signature("封顶", ("numeric", "numeric"), first_argument_kind, "the value, but no more than the cap"), ("cap",)),
    (Signature("包含", ("text", "text"), "bool", "the text contains the phrase"), ("contains",)),
    (Signature("正文提及", ("text",), "bool",
               "a paragraph of the narrative contains the phrase (tables not searched)"), ("mentions_in_text",)),
    (Signature("有章节", ("text",), "bool", "a section heading contains the words"), ("has_section",)),
)


def signature_table(entries: Iterable[tuple[Signature, Sequence[str]]]) -> dict[str, Signature]:
    """Every name and alias of ``entries`` → its signature, in order."""
    table: dict[str, Signature] = {}
    for signature, aliases in entries:
        add_signature(signature, aliases, table)
    return table


#: Every built-in name and alias → its signature: the table the compiler checks calls against by default.
SIGNATURES: Mapping[str, Signature] = signature_table(BUILTINS)
