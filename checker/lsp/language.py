"""The rule language's keywords, in every spelling, with what each does: for completion and hover."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keyword:
    spellings: tuple[str, ...]  # English first, then Chinese
    where: str  # "item" (starts a file item), "clause" (a rule's clause), "expression"
    doc: str


KEYWORDS: tuple[Keyword, ...] = (
    Keyword(("import", "导入"), "item", 'import "other.rules": load another rule file (its rules and derived values)'),
    Keyword(("let", "定义", "令"), "item", "let 名 = expression: a derived value, usable by every rule of the run"),
    Keyword(("rule", "规则"), "item", 'rule ID "title": a rule, followed by its clauses'),
    Keyword(("severity", "级别"), "clause", "severity error|warning|info (错误|警告|提示); error by default"),
    Keyword(("cite", "依据"), "clause", 'cite "…": the regulation or template section the rule enforces'),
    Keyword(("when", "当", "如果"), "clause",
            "when condition: the rule applies only where the condition holds (otherwise: not applicable)"),
    Keyword(("for each", "对每个", "对于"), "clause",
            "for each 项 in 集合: the rule is checked once per record, one finding per failing record"),
    Keyword(("assert", "断言", "要求"), "clause", "assert condition: what must hold; exactly one per rule"),
    Keyword(("applies", "适用"), "clause",
            "applies 2021.. (适用 2021年起): the fiscal years the rule (or, at the top, the file) is in force for"),
    Keyword(("region", "地区"), "clause",
            "region xinjiang (地区 新疆): the region the rule (or, at the top, the file) is in force for"),
    Keyword(("message", "消息"), "clause",
            'message "…{left}…{right}…": the finding\'s text; {left} {right} {expected} {difference} and names'),
    Keyword(("and", "且", "并且"), "expression", "both conditions hold"),
    Keyword(("or", "或", "或者"), "expression", "at least one condition holds"),
    Keyword(("not", "非", "不"), "expression", "the condition does not hold"),
    Keyword(("in", "属于"), "expression", "for each 项 in 集合: the collection (or list of texts) looped over"),
    Keyword(("where", "其中"), "expression", "sum(… where condition): only the records for which it holds"),
    Keyword(("within", "允差"), "expression", "a == b within 0.05 (or 1%): an explicit tolerance, when a rule "
            "sets one; rounding is already accounted for"),
    Keyword(("true", "真"), "expression", "the condition that always holds"),
    Keyword(("false", "假"), "expression", "the condition that never holds"),
)

SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示",
                  "错误": "error", "警告": "warning", "提示": "info"}

#: Message placeholders besides names.
PLACEHOLDERS = {
    "left": "the left side of the failing comparison", "right": "its right side",
    "expected": "the right side at the precision of the left", "difference": "left − right",
    "左边": "the left side of the failing comparison", "右边": "its right side",
    "应为": "the right side at the precision of the left", "差额": "left − right",
}

AGGREGATE_DOCS = {
    "sum": "sum(项.决算数 for each 项 in 集合 where …) or sum(集合.字段 where …): the total; 0 over no records",
    "count": "count(集合) or count(… where …): the number of records (0 when there are none)",
    "min": "min(…): the smallest value over the records", "max": "max(…): the largest value over the records",
    "all": "all(condition for each x in …): the condition holds for every record",
    "any": "any(condition for each x in …): the condition holds for some record (false over none)",
}


def keyword(word: str) -> Keyword | None:
    """The keyword spelled ``word`` (``each`` counts as part of ``for each``)."""
    for kw in KEYWORDS:
        if word in kw.spellings or (word in ("for", "each") and "for each" in kw.spellings):
            return kw
    return None
