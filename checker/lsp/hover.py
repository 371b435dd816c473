"""Hover in a rule file: what the word under the cursor is — a fact with its description, unit and the
vocabulary entry and report wording it comes from; a collection or field; a derived value with its
definition; a loop variable; a function's signature; a keyword; a rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from checker.lsp.analysis import Analysis, RuleSet, same_file
from checker.lsp.cursor import Span, in_head, lines, loop_variables, name_at, rule_id_at, split_name
from checker.lsp.language import AGGREGATE_DOCS, keyword
from checker.lsp.names import Origin
from checker.ruledocs import doc_block
from dsl import ast
from dsl.compiler import UNIT_WORDS
from dsl.signatures import AGGREGATES


@dataclass(frozen=True)
class Hover:
    markdown: str
    span: Span


def hover(rules: RuleSet, analysis: Analysis, line: int, character: int) -> Hover | None:
    """What to show for the word at ``line``/``character`` (0-based, string units), or None."""
    found = rule_id_at(analysis.text, line, character)
    if found is not None and found.text in (known := analysis.rules()):
        file, rule = known[found.text]
        return Hover(_rule(file, rule, analysis), found)
    span = name_at(analysis.text, line, character)
    if span is None:
        return None
    text = _markdown_for(rules, analysis, span, character)
    return Hover(text, span) if text else None


def _markdown_for(rules: RuleSet, analysis: Analysis, span: Span, character: int) -> str | None:
    parts = split_name(span.text)
    after = (lines(analysis.text)[span.line][span.end:] or " ").lstrip()
    if len(parts) == 1 and after.startswith("("):
        if span.text in AGGREGATES:
            return f"**{span.text}** — aggregation\n\n{AGGREGATE_DOCS[AGGREGATES[span.text]]}"
        signature = rules.functions.get(span.text)
        if signature is not None:
            aliases = [n for n, s in rules.functions.items() if s is signature and n != span.text]
            result = signature.result if isinstance(signature.result, str) else "the first argument's kind"
            return (f"```\n{span.text}({', '.join(signature.params)}) → {result}\n```\n{signature.doc}"
                    + (f"\n\nalso written: {', '.join(aliases)}" if aliases else ""))
    loops = loop_variables(analysis.text, span.line)
    if parts[0] in loops:
        collection = loops[parts[0]][0]
        if len(parts) == 1 or in_head(span, character):
            return f"**{parts[0]}** — loop variable: a record of `{collection}`" + _origin_tail(
                rules.names.origin(collection))
        origin = rules.names.origin(f"{collection}.{'.'.join(parts[1:])}")
        return _origin(origin) if origin else None
    lets = analysis.lets()
    if span.text in lets:
        file, let = lets[span.text]
        derived = analysis.program.derived.get(span.text) if analysis.program is not None else None
        kind = f" — {UNIT_WORDS.get(derived.kind, derived.kind)}" if derived is not None else ""
        return f"**{let.name}** — derived value{kind}\n\n```\n{let.src}\n```\n\n*{_shown(file)}:{let.line}*"
    kw = keyword(span.text) if len(parts) == 1 else None
    if kw is not None:
        return f"**{span.text}** — keyword ({' / '.join(kw.spellings)})\n\n{kw.doc}"
    name = ".".join(parts)
    origin = rules.names.origin(name)
    if origin is not None:
        return _origin(origin)
    # an unknown full name: the part up to the segment under the cursor (a namespace, a concept)
    upto = span.text[: max(0, character - span.start)]
    upto_parts = split_name(span.text[: len(upto) + len(re.match(r"[^.]*", span.text[len(upto):]).group(0))])
    prefix = ".".join(upto_parts)
    origin = rules.names.origin(prefix)
    if origin is not None:
        return _origin(origin)
    below = rules.tree.get(prefix)
    if below:
        return f"**{prefix}** — {len(below)} names below: {', '.join(list(below)[:12])}" + (
            "…" if len(below) > 12 else "")
    return None


def _origin(origin: Origin) -> str:
    head = f"**{origin.name}** — {origin.unit}\n\n{origin.summary}"
    return head + _origin_tail(origin)


def _origin_tail(origin: Origin | None) -> str:
    if origin is None:
        return ""
    out = ""
    if origin.details:
        out += "\n\n" + "\n".join(f"- {d}" for d in origin.details)
    if origin.description:
        out += f"\n\n{origin.description}"
    if origin.file:
        out += f"\n\n*{_shown(origin.file)}:{origin.line}*"
    return out


def _rule(file: str, rule: ast.Rule, analysis: Analysis) -> str:
    severity = rule.clause("severity")
    cite = rule.clause("cite")
    out = f"**{rule.id}** {rule.title}"
    if severity is not None:
        out += f"\n\nseverity: {severity.value}"
    if cite is not None:
        out += f"\n\ncite: {cite.value}"
    if same_file(file, analysis.path):
        text = analysis.text.split("\n")
    else:
        try:
            text = Path(file).read_text(encoding="utf-8-sig").split("\n")
        except (OSError, UnicodeDecodeError):
            text = []
    doc = doc_block(text, rule.line)
    if doc:
        out += f"\n\n{doc}"
    return out + f"\n\n*{_shown(file)}:{rule.line}*"


def _shown(file: str) -> str:
    path = Path(file)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name
