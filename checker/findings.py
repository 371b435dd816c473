"""What evaluation reports: findings (a rule does not hold), rules that could not be evaluated,
and the trace that explains how each side of an assertion was computed.

Everything is a frozen dataclass with tuples, so results compare and sort deterministically
and serialise with `as_dict` for JSON/SARIF writers.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.facts.model import Dims
from checker.model import Location


@dataclass(slots=True, eq=False)
class Trace:
    """One step of a computation: a figure read from the document, or an operation over steps.

    ``label`` is the fact name or the expression source; ``display`` the value as printed (for
    facts, exactly as in the document) or as computed.

    Never changed once made, but not a frozen dataclass: the interpreter makes one per step of every
    rule, and frozen instances cost about four times as much to build. Hashable and equal by value,
    whatever the class: a subclass may work out its label or display when first read (see
    `checker.functions.core`), as most traces are never shown.
    """

    label: str
    display: str
    location: Location | None = None
    source: str = ""
    children: tuple[Trace, ...] = ()

    def _fields(self) -> tuple:
        return self.label, self.display, self.location, self.source, self.children

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Trace):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __reduce__(self) -> tuple:
        """Pickled as a plain trace, its label and display worked out (findings cross processes with ``-j``)."""
        return Trace, self._fields()

    def leaves(self) -> list[Trace]:
        """The figures read from the document, left to right."""
        if not self.children:
            return [self] if self.location is not None else []
        return [leaf for c in self.children for leaf in c.leaves()]

    def render(self, indent: int = 0) -> str:
        """An indented explanation, one step per line: ``label = display  @ where``."""
        pad = "  " * indent
        where = f"  @ {self.location.describe()}" if self.location is not None else ""
        source = self.source if len(self.source) <= 48 else self.source[:47] + "…"
        quote = f"  «{source}»" if source and self.location is not None else ""
        lines = [f"{pad}{self.label} = {self.display}{where}{quote}"]
        lines.extend(c.render(indent + 1) for c in self.children)
        return "\n".join(lines)

    def as_dict(self) -> dict:
        out: dict = {"label": self.label, "display": self.display}
        if self.location is not None:
            out["location"] = self.location.as_dict()
            out["source"] = self.source
        if self.children:
            out["children"] = [c.as_dict() for c in self.children]
        return out


@dataclass(frozen=True)
class Evidence:
    """A figure involved in a finding: its name, displayed text, place and the sentence/cell quoted."""

    name: str
    display: str
    location: Location
    source: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "display": self.display, "location": self.location.as_dict(),
                "source": self.source}


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    title: str
    message: str
    citation: str | None = None
    locations: tuple[Evidence, ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    expected: str | None = None
    difference: str | None = None
    trace: tuple[Trace, ...] = ()
    record: Dims = ()
    rule_file: str = ""
    rule_line: int = 0
    #: Set when a baseline is in use (`checker.baseline`): "new", or "changed" with the figures it had then.
    baseline: str | None = None
    was: tuple[tuple[str, str], ...] = ()

    @property
    def location(self) -> Location | None:
        """The first figure's place in this document: where a reader of the report should look first (a
        figure of another document, such as last year's report, is never the finding's place)."""
        return next((e.location for e in self.locations if e.location.document is None), None)

    def explain(self) -> str:
        return "\n".join(t.render() for t in self.trace)

    def as_dict(self) -> dict:
        return {
            "rule_id": self.rule_id, "severity": self.severity, "title": self.title, "message": self.message,
            "citation": self.citation, "locations": [e.as_dict() for e in self.locations],
            "values": dict(self.values), "expected": self.expected, "difference": self.difference,
            "record": dict(self.record), "trace": [t.as_dict() for t in self.trace],
            "rule_file": self.rule_file, "rule_line": self.rule_line,
        }


@dataclass(frozen=True)
class NotEvaluated:
    """A rule (or one record of a ``for each`` rule) that could not be decided, and why.

    ``missing`` names the facts that were absent; ``reason`` says it in words (including
    "division by zero" and "no records of …").
    """

    rule_id: str
    reason: str
    missing: tuple[str, ...] = ()
    record: Dims = ()
    title: str = ""
    severity: str = ""

    def as_dict(self) -> dict:
        return {"rule_id": self.rule_id, "reason": self.reason, "missing": list(self.missing),
                "record": dict(self.record)}
