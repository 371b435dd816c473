"""Facts as plain dicts (for JSON and TOML) and as one-line text."""

from __future__ import annotations

from checker.facts.model import Fact, FactValue
from checker.quantity import DateValue, Direction, Quantity, Target


def value_fields(value: FactValue) -> dict[str, object]:
    """``value`` as a string (Decimals keep their printed digits), plus unit/decimals/comparator where they apply."""
    if isinstance(value, Quantity):
        return {"value": str(value.value), "unit": value.unit, "decimals": value.decimals}
    if isinstance(value, DateValue):
        y = f"{value.year:04d}-" if value.year else ""
        return {"value": f"{y}{value.month:02d}-{value.day:02d}", "unit": "date", "decimals": 0}
    if isinstance(value, Target):
        out: dict[str, object] = {"comparator": value.comparator} if value.comparator else {}
        if value.value is None:
            out.update({"value": value.text, "unit": "text", "decimals": 0})
        else:
            out.update(value_fields(value.value))
        return out
    if isinstance(value, Direction):
        return {"value": value.word, "unit": "direction", "decimals": 0, "sign": value.sign}
    return {"value": value, "unit": "text", "decimals": 0}


def fact_to_dict(fact: Fact) -> dict[str, object]:
    out: dict[str, object] = {"name": fact.name}
    if fact.dims:
        out["dims"] = dict(fact.dims)
    out.update(value_fields(fact.value))
    out["location"] = fact.location.as_dict()
    if fact.source:
        out["text"] = fact.source
    return out


def display(value: FactValue) -> str:
    """The value as a person would read it: ``17,091.19万元``, ``≥1辆``, ``增加``."""
    if isinstance(value, Quantity):
        return f"{value.value}{value.unit}"
    if isinstance(value, Target | DateValue):
        return value.text
    if isinstance(value, Direction):
        return value.word
    return value if len(value) <= 60 else value[:57] + "…"


def fact_line(path: str, fact: Fact) -> str:
    """``path:line:col: name[dims] = value`` (``path:table 2 row 3 cell 4: …`` for Word files)."""
    dims = "[" + ", ".join(f"{k}={v}" for k, v in fact.dims) + "]" if fact.dims else ""
    return f"{path}:{fact.location.describe()}: {fact.name}{dims} = {display(fact.value)}"
