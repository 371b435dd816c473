"""Views: the scalar facts regrouped as records, so one rule can cover every figure of a kind.

The narrative states changes (增减额/增减率), budget comparisons (预算数/差异率/完成率) and
shares (占比) for many concepts. Grouping them as records of the collections ``变动``,
``预决算`` and ``占比`` (keyed by ``指标``, the concept's name) lets a rule pack say once
"every growth rate equals its change over last year's figure" instead of once per concept.
The facts keep their original places; a view adds no figure the document does not state.
"""

from __future__ import annotations

from checker.facts.model import Fact, FactSet
from checker.quantity import Quantity
from checker.vocabulary import Vocabulary

CHANGE_FIELDS = ("增减额", "增减率", "方向", "原因")
BUDGET_FIELDS = ("预算数", "决算数", "差异率", "完成率", "差异原因")
VIEW_NAMES = ("变动", "预决算", "占比")


def _is_money(fact: Fact | None) -> bool:
    return fact is not None and isinstance(fact.value, Quantity) and fact.value.is_money


def build_views(facts: FactSet, vocabulary: Vocabulary) -> list[Fact]:
    """Record facts of the views for every scalar money concept with the relevant aspects."""
    concepts = {c.name for c in vocabulary.concepts if c.kind == "money" and not c.is_record}
    share_totals: dict[str, str] = vocabulary.views.get("share_totals", {})
    out: list[Fact] = []
    for name in sorted(concepts, key=lambda n: _first_line(facts, n)):
        value = facts.first(name)
        key = (("指标", name),)
        if any(facts.first(f"{name}.{a}") for a in ("增减额", "增减率")) and _is_money(value):
            out.append(_copy(value, "变动.本年", key))
            out.extend(_copy(f, f"变动.{field}", key) for field in CHANGE_FIELDS
                       if (f := facts.first(f"{name}.{field}")) is not None)
        if any(facts.first(f"{name}.{a}") for a in ("预算数", "差异率", "完成率")):
            actual = facts.first(f"{name}.决算数") or value
            budget_fields = {field: facts.first(f"{name}.{field}") for field in BUDGET_FIELDS}
            budget_fields["决算数"] = actual
            out.extend(_copy(f, f"预决算.{field}", key) for field, f in budget_fields.items() if f is not None)
        share = facts.first(f"{name}.占比")
        if share is not None and _is_money(value):
            group = name.split(".", 1)[0]
            share_key = (*key, ("组", group))
            out.append(_copy(value, "占比.数额", share_key))
            out.append(_copy(share, "占比.占比", share_key))
            total = facts.first(share_totals.get(group, ""))
            if total is not None:
                out.append(_copy(total, "占比.合计", share_key))
    return out


def _copy(fact: Fact, name: str, dims) -> Fact:
    return Fact(name, fact.value, fact.location, fact.source, dims)


def _first_line(facts: FactSet, name: str) -> tuple[int, int]:
    fact = facts.first(name)
    if fact is None:
        return (0, 0)
    loc = fact.location
    return (loc.line or loc.paragraph or loc.page or 0, loc.column or 0)
