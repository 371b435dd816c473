"""Views: facts regrouped as records, so one rule can cover every figure of a kind.

The narrative states changes (增减额/增减率), budget comparisons (预算数/差异率/完成率) and
shares (占比) for many concepts and records, and states some figures more than once.
Grouping them as records of ``变动``, ``预决算``, ``占比`` and ``多处`` (keyed by ``指标``,
the figure's name) lets a rule pack say once "every growth rate equals its change over last
year's figure" instead of once per concept. A view adds no figure the document does not
state: every view fact is a copy of an extracted fact, with its original place.
"""

from __future__ import annotations

from collections.abc import Iterable

from checker.facts.model import Dims, Fact, FactSet
from checker.facts.narrative import UNCLASSIFIED
from checker.quantity import Quantity
from checker.vocabulary import Vocabulary

CHANGE_ASPECTS = ("增减额", "增减率", "上年数")
BUDGET_ASPECTS = ("预算数", "差异率", "完成率", "预算差额")
VALUE_FIELDS = ("决算数", "数量", "值")
VIEW_NAMES = ("变动", "预决算", "占比", "多处")
# The fields a 预决算 record copies, in the order it lists them.
_BUDGET_VIEW_FIELDS = (*BUDGET_ASPECTS, "决算数", "差异原因", "原因", "预算方向", "预算未超")
# The names a 预决算 record gives them (and the 本年 it may add).
_BUDGET_VIEW_NAMES = {name: f"预决算.{name}" for name in (*_BUDGET_VIEW_FIELDS, "本年")}
# The names a 变动 record gives the fields it copies, in the order it lists them.
_CHANGE_VIEW_NAMES = {name: "变动.上年" if name == "上年数" else f"变动.{name}"
                      for name in (*CHANGE_ASPECTS, "方向", "原因")}


def _label(base: str, dims: Dims) -> str:
    return f"{base}[{'/'.join(v for _, v in dims)}]" if dims else base


def _copy(fact: Fact, name: str, dims: Dims) -> Fact:
    # the fields by position, and the label made here: thousands of copies are made per document
    return Fact(name, fact.value, fact.location, fact.source, dims, fact.origin or _label(fact.name, fact.dims))


def _is_money(fact: Fact | None) -> bool:
    return fact is not None and isinstance(fact.value, Quantity) and fact.value.is_money


class _Subjects:
    """The (base name, dims) pairs that carry aspect facts, with their facts by field."""

    def __init__(self, facts: FactSet) -> None:
        self.facts = facts
        self.order: dict[tuple[str, Dims], None] = {}
        aspects = frozenset(CHANGE_ASPECTS + BUDGET_ASPECTS + ("占比",))
        split = {name: name.rpartition(".") for name in facts.names()}  # once per name, not per fact
        bases_of = {name: base for name, (base, _, field) in split.items() if field in aspects}
        for fact in facts:
            base = bases_of.get(fact.name)
            if base is not None:
                self.order.setdefault((base, fact.dims), None)
        # The subjects' facts by field, in document order: each subject asks for a dozen fields, most of them
        # not stated, so they are looked up here rather than by building and finding each full name. Only the
        # subjects' own: a record collection's other records (most of its facts) are never asked for.
        bases = {base for base, _ in self.order}
        self.fields: dict[tuple[str, Dims], dict[str, list[Fact]]] = {subject: {} for subject in self.order}
        for name, (base, dot, field) in split.items():
            if dot and base in bases:
                for fact in facts.all(name):
                    stated = self.fields.get((base, fact.dims))
                    if stated is not None:
                        stated.setdefault(field, []).append(fact)

    def stated(self, base: str, dims: Dims) -> dict[str, list[Fact]]:
        """The facts ``base.<field>`` with ``dims``, by field (each list non-empty, in document order)."""
        return self.fields.get((base, dims), {})

    def scalar(self, name: str) -> Fact | None:
        """The first fact ``name`` without dims: found among that name's facts, not through the index of every
        (name, dims) pair, which these few lookups would build over all facts for nothing else."""
        return next((f for f in self.facts.all(name) if not f.dims), None)

    def value(self, base: str, dims: Dims, stated: dict[str, list[Fact]]) -> Fact | None:
        """The figure itself: the scalar fact ``base``, or the record's 决算数 (or 数量/值)."""
        if not dims:
            return self.scalar(base)
        return next((f for name in VALUE_FIELDS if (f := _first(stated, name)) is not None), None)


def _first(stated: dict[str, list[Fact]], field: str) -> Fact | None:
    found = stated.get(field)
    return found[0] if found else None


def build_views(facts: FactSet, vocabulary: Vocabulary) -> list[Fact]:
    """Records of 变动, 预决算, 占比 and 多处, from the extracted facts."""
    subjects = _Subjects(facts)
    share_totals: dict[str, str] = vocabulary.views.get("share_totals", {})
    share_groups: dict[str, str] = vocabulary.views.get("share_groups", {})
    out: list[Fact] = []
    for base, dims in subjects.order:
        key = (("指标", _label(base, dims)),)
        stated = subjects.stated(base, dims)
        value = subjects.value(base, dims, stated)
        # 会议费全年预算数15,000.00元，决算数12,450.00元，较上年减少…: the actual is this year's figure
        out.extend(_change_view(stated, key, value or _first(stated, "决算数")))
        out.extend(_budget_view(stated, dims, key, value))
        if not dims:
            out.extend(_share_view(subjects, base, stated, key, value, share_totals, share_groups))
    out.extend(_repeat_view(facts))
    return out


def _change_view(stated: dict[str, list[Fact]], key: Dims, value: Fact | None) -> Iterable[Fact]:
    if not _is_money(value) or stated.keys().isdisjoint(CHANGE_ASPECTS):
        return []
    out = [_copy(value, "变动.本年", key)]
    for field, name in _CHANGE_VIEW_NAMES.items():
        for fact in stated.get(field, ()):
            out.append(_copy(fact, name, key))
    return out


def _budget_view(stated: dict[str, list[Fact]], dims: Dims, key: Dims, value: Fact | None) -> Iterable[Fact]:
    if stated.keys().isdisjoint(BUDGET_ASPECTS):
        return []
    fields = {name: found[0] if (found := stated.get(name)) else None for name in _BUDGET_VIEW_FIELDS}
    if not dims and fields["决算数"] is not None:
        fields["本年"] = value  # the figure stated apart from the comparison's own 决算数, to hold them together
    fields["决算数"] = fields["决算数"] or value
    return [_copy(f, _BUDGET_VIEW_NAMES[name], key) for name, f in fields.items() if f is not None]


def _share_view(subjects: _Subjects, base: str, stated: dict[str, list[Fact]], key: Dims, value: Fact | None,
                share_totals: dict[str, str], share_groups: dict[str, str]) -> Iterable[Fact]:
    share = _first(stated, "占比")
    if share is None or not _is_money(value):
        return []
    group = share_groups.get(base, base.split(".", 1)[0])
    share_key = (*key, ("组", group))
    out = [_copy(value, "占比.数额", share_key), _copy(share, "占比.占比", share_key)]
    total = subjects.scalar(share_totals.get(group, ""))
    if total is not None:
        out.append(_copy(total, "占比.合计", share_key))
    return out


def figure_view(facts: FactSet, vocabulary: Vocabulary) -> list[Fact]:
    """Every money figure of a report as a ``变动`` record's 本年, beside the records the report's own changes
    make. For last year's report only: this year's report compares its figures with last year's, so every
    figure of last year's report is the 上年 of some 变动 record this year (``上年报告.项.本年``), whether or
    not last year's report compared it with the year before."""
    scalars, records = vocabulary.figures()
    have = {f.dims for f in facts.all("变动.本年")}
    out: list[Fact] = []
    for fact in facts:
        if not _is_money(fact) or fact.name == UNCLASSIFIED:
            continue
        base, _, field = fact.name.rpartition(".")
        if fact.dims and records.get(base) == field:
            key = (("指标", _label(base, fact.dims)),)
        elif not fact.dims and fact.name in scalars:
            key = (("指标", fact.name),)
        else:
            continue
        if key not in have:
            have.add(key)
            out.append(_copy(fact, "变动.本年", key))
    return out


def _repeat_view(facts: FactSet) -> list[Fact]:
    """A figure stated again: one 多处 record per later statement, beside the first statement."""
    seen: dict[tuple[str, Dims], Fact] = {}
    count: dict[tuple[str, Dims], int] = {}
    out: list[Fact] = []
    for fact in facts:
        if not isinstance(fact.value, Quantity) or fact.name == UNCLASSIFIED:
            continue
        key = (fact.name, fact.dims)
        first = seen.setdefault(key, fact)
        if first is fact:
            continue
        count[key] = count.get(key, 1) + 1
        dims = (("指标", _label(fact.name, fact.dims)), ("处", str(count[key])))
        out.append(_copy(fact, "多处.数值", dims))
        out.append(_copy(first, "多处.首次", dims))
    return out
