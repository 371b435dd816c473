"""What the rule language may refer to: fact names and collections with the kind of each.

Built from the vocabulary (``rules/vocabulary/*.toml``) by `checker.vocabulary`; the compiler
uses it to reject unknown names and mismatched kinds before any document is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# money: amounts (万元/元/亿元, compared in 万元); percent: shares and rates; count: 人/辆/个…;
# number: a bare number (weights, scores); date; text; direction (增加/减少/持平); target (>=30家).
KINDS = ("money", "percent", "count", "number", "date", "text", "direction", "target")


@dataclass
class Schema:
    """Known scalar facts (name → kind) and collections (name → field → kind)."""

    scalars: dict[str, str] = field(default_factory=dict)
    collections: dict[str, dict[str, str]] = field(default_factory=dict)

    def kind_of(self, name: str) -> str | None:
        return self.scalars.get(name)

    def all_names(self) -> list[str]:
        """Every referable name, for "did you mean" suggestions."""
        names = list(self.scalars) + list(self.collections)
        for coll, fields in self.collections.items():
            names.extend(f"{coll}.{f}" for f in fields)
        return names
