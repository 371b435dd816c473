"""Built-in functions for the report's own conventions: optional addends, performance targets, text tests.

They sit beside the core built-ins of `checker.functions.core` and register into the same table, so
rule packs call them like any other function (Chinese names first, English aliases after; the
signatures are the language's, `dsl.signatures`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from checker.findings import Trace
from checker.functions.core import (
    PURE,
    Env,
    NotComparable,
    Value,
    _bool,
    _Computed,
    _occurrences,
    display,
    fact_value,
    find_phrase,
    implement,
    ref_target,
    stated_figure,
)
from checker.interval import Interval
from checker.model import Document, Section
from checker.quantity import FIGURE_NOT_YEAR, DateValue, Quantity, Target, to_halfwidth
from dsl import ast

ONE = Interval.exact(1)


def _or_zero(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    """The figure if the report states it, else an exact 0 (a part the report leaves out is nil)."""
    name, dims = ref_target(env, args[0])
    kind = getattr(args[0], "kind", "money")
    found = _occurrences(env, name, dims)
    if found:
        return fact_value(found[0], kind)
    return Value(kind, Interval.exact(0), Trace(f"{name} (not stated: 0)", "0"), 2 if kind == "money" else 0)


def _unwrap(value: Value) -> Quantity | DateValue | str | None:
    data = value.data
    if isinstance(data, Target):
        return data.value if data.value is not None else data.text
    if isinstance(data, date):
        return DateValue(data.year, data.month, data.day, display("date", data, None))
    return data if isinstance(data, str) else None


def _measure(value: Value, item: Quantity | DateValue | str | None) -> tuple[str, Interval | date | str]:
    """(unit family, comparable payload) of a value that may be a figure, a target or a date (``item``: the
    value `_unwrap`ped)."""
    if isinstance(value.data, Interval):
        return value.kind, value.data
    if isinstance(item, Quantity):  # a target's figure (`_unwrap`)
        kind, interval, _ = stated_figure(value)
        return (kind if kind in ("money", "percent") else f"unit:{item.unit}"), interval
    if isinstance(item, DateValue):
        d = item.as_date()
        if d is None:
            raise NotComparable(f"{item.text} has no year")
        return "date", d
    if isinstance(item, str):
        return "text", item
    raise NotComparable(f"{value.trace.label} has no value to compare")


def _measure_pair(first: Value, second: Value) -> tuple[tuple[str, Any], tuple[str, Any]]:
    """Both values measured; a date printed without its year (11月30日) takes the other date's year."""
    items = (_unwrap(first), _unwrap(second))
    if not isinstance(items[0], DateValue) and not isinstance(items[1], DateValue):  # most: two figures
        return _measure(first, items[0]), _measure(second, items[1])
    years = [i.year for i in items if isinstance(i, DateValue) and i.year]
    out = []
    for value, item in zip((first, second), items, strict=True):
        if isinstance(item, DateValue) and item.year is None:
            d = item.as_date(years[0] if years else 2000)
            if d is None:
                raise NotComparable(f"{item.text} is not a calendar date")
            out.append(("date", d))
        else:
            out.append(_measure(value, item))
    return out[0], out[1]


def _same_value(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    """Two statements of one figure agree: same unit family and, for numbers, intervals that meet."""
    (ka, a), (kb, b) = _measure_pair(args[0], args[1])
    if ka != kb or ka == "text":
        raise NotComparable(f"{args[0].display} and {args[1].display} are not figures of the same unit")
    ok = a.intersects(b) if isinstance(a, Interval) else a == b
    return _bool(ok, node.src, [args[0].trace, args[1].trace])


def _unit_family(value: Value) -> str:
    item = _unwrap(value)
    if isinstance(item, Quantity):
        if item.is_money:
            return "money"
        return item.unit or "number"
    if isinstance(item, DateValue):
        return "date"
    return "qualitative"


def _same_unit(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    """A target and its actual are stated in the same unit (money units count as one; words match words)."""
    a, b = _unit_family(args[0]), _unit_family(args[1])
    bare = {a, b} - {"number"}
    ok = a == b or (len(bare) == 1 and "qualitative" not in bare and "date" not in bare)
    return _bool(ok, f"{node.src} ({a} / {b})", [args[0].trace, args[1].trace])


def _completion(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    """The completion rate a target and an actual imply.

    ``>=``/``>``/``=``/none: actual ÷ target; ``<=``/``<`` (a ceiling, e.g. a cost): 100% when met,
    else target ÷ actual; a date target: 100% when met, 0% when missed.
    """
    actual, target = args
    t = target.data
    if not isinstance(t, Target) or t.value is None:
        raise NotComparable(f"target {target.display} is qualitative")
    (kind_a, a), (kind_t, goal) = _measure_pair(actual, target)
    if kind_a != kind_t:
        raise NotComparable(f"{actual.display} and target {t.text} are in different units")
    children = (actual.trace, target.trace)
    if isinstance(goal, date):
        rate = ONE if a <= goal else Interval.exact(0)
    elif t.comparator in ("<=", "<"):
        if a.hi <= goal.lo or a.intersects(goal):
            rate = ONE
        elif a.contains_zero():
            raise NotComparable(f"{actual.display} may be 0")
        else:
            rate = goal / a
    else:
        if goal.contains_zero():
            if a.contains_zero():
                rate = ONE
            else:
                raise NotComparable(f"target {t.text} is 0")
        else:
            rate = a / goal
    return Value("percent", rate, _Computed(node.src, "percent", rate, 2, children), 2)


def _quantitative(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    """A target or actual with a figure or a date (not words such as 显著, 达到预期指标)."""
    return _bool(_unit_family(args[0]) != "qualitative", node.src, [args[0].trace])


def _cap(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    """The smaller of a value and a cap (得分 by 完成比例 is capped at the weight)."""
    value, cap = args
    vi, ci = value.interval, cap.interval
    nominal = min(vi.nominal, ci.nominal) if vi.nominal is not None and ci.nominal is not None else None
    # Where the cap binds, the top of the range is the cap itself, an exact end.
    closed = (vi.closed and ci.closed) or (ci.is_exact and vi.hi >= ci.hi)
    result = Interval(min(vi.lo, ci.lo), min(vi.hi, ci.hi), closed, nominal)
    return Value(value.kind, result, _Computed(node.src, value.kind, result, value.decimals, (value.trace, cap.trace)),
                 value.decimals)


@lru_cache(maxsize=4096)
def _compact(text: str) -> str:
    """A text as `包含` and `有章节` compare it: half-width, without spaces (asked of the same record fields
    and headings by several rules)."""
    return "".join(to_halfwidth(text).split())


def _contains(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    text, phrase = args
    return _bool(_compact(str(phrase.data)) in _compact(str(text.data)), node.src, [text.trace])


def _heading_words(text: str) -> str:
    """A heading's words as `有章节` compares them: `_compact`, without quotation marks."""
    return _compact(text).replace("“", "").replace("”", "")


def _headings(document: Document) -> list[tuple[str, Section]]:
    """Every section with its heading's words, worked out once per document: `有章节` asks at every record."""
    headings = document.__dict__.get("_headings")
    if headings is None:
        headings = document.__dict__["_headings"] = [(_heading_words(s.title), s) for s in document.sections()]
    return headings


def _has_section(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    """A heading of the document contains the words (whatever its numbering)."""
    if env.document is None:
        raise NotComparable("the document is not available")
    wanted = _heading_words(args[0].data)
    for words, section in _headings(env.document):
        if wanted in words:
            heading = section.heading
            return _bool(True, node.src, [Trace("章节", section.title, heading.location if heading else None,
                                                section.title)])
    return _bool(False, node.src)


# A category named only to say it is empty: 上缴上级支出0.00万元, 使用非财政拨款结余（含专用结余）0.00万元.
_ZERO_AMOUNT = re.compile(r"(?:[（(][^（）()]{0,12}[）)])?\s*[:：为]?\s*0+(?:\.0+)?\s*(?:亿元|万元|元)")
# A clause that says the unit has none of a list of things: (1.) (本部门)(2024年度)无/没有/未发生/不涉及 …
_NONE_CLAUSE = re.compile(r"^\s*(?:\d+\s*[.、．]\s*)?(?:本[\u4e00-\u9fff]{1,3}?|我[\u4e00-\u9fff]{1,3}?)?"
                          r"(?:\d{4}\s*年度?)?(?:均)?(?:无|没有|未发生|不涉及|未涉及)")
_CLAUSE_END = re.compile(r"[，,；;。:：！!？?]")


def _not_a_use(text: str, start: int, end: int) -> bool:
    """Whether a term at ``text[start:end]`` names a category the report does not have: listed at a zero
    amount, or in a clause that says there is none of it (本部门无上缴上级支出、经营支出。), figures aside."""
    if _ZERO_AMOUNT.match(text, end):
        return True
    before = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    after = next((m.start() for m in _CLAUSE_END.finditer(text, end)), len(text))
    none = _NONE_CLAUSE.match(text[before:after])
    return none is not None and not FIGURE_NOT_YEAR.search(text, before + none.end(), after)


def _mentions_in_text(env: Env, args: Sequence[Any], node: ast.Expr) -> Value:
    """The phrase occurs in a paragraph of the narrative (table headings do not count as using a term, nor
    does a category the report says it does not have: listed at a zero amount, or in a clause of none)."""
    return find_phrase(env, args[0].data, node, paragraphs_only=True, discount=_not_a_use)


implement("或零", _or_zero)
implement("相符", _same_value)
implement("同单位", _same_unit)
implement("完成度", _completion)
implement("可量化", _quantitative)
implement("封顶", _cap)
implement("包含", _contains)
implement("正文提及", _mentions_in_text)
implement("有章节", _has_section)
PURE.update({_same_value, _same_unit, _completion, _quantitative, _cap, _contains})
