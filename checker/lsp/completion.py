"""Completion in a rule file: fact names one segment at a time (aspects are the segments after a concept),
collections and their fields, loop variables and derived values, functions and aggregations, keywords in
English and Chinese, severities, message placeholders and the rule files an import may name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from checker.lsp.analysis import Analysis, RuleSet
from checker.lsp.cursor import NAME_BEFORE, SEGMENT, SEVERITY_KEYWORD, code_part, lines, loop_variables, split_name
from checker.lsp.language import AGGREGATE_DOCS, KEYWORDS, PLACEHOLDERS, SEVERITY_WORDS
from dsl.compiler import UNIT_WORDS
from dsl.signatures import AGGREGATES

_KINDS = {"fact": types.CompletionItemKind.Field, "collection": types.CompletionItemKind.Class,
          "field": types.CompletionItemKind.Property, "namespace": types.CompletionItemKind.Module,
          "derived": types.CompletionItemKind.Variable}
_PLAIN_SEGMENT = re.compile(rf"{SEGMENT}")


@dataclass(frozen=True)
class Where:
    """The cursor: 0-based line and character (Python string units)."""

    line: int
    character: int


def complete(rules: RuleSet, analysis: Analysis, at: Where) -> list[types.CompletionItem]:
    """The completions at ``at``; each replaces the word being typed (a text edit in string units)."""
    source = lines(analysis.text)[at.line] if at.line < len(lines(analysis.text)) else ""
    before = source[:at.character]
    code, in_string, in_comment = code_part(before)
    if in_comment:
        return []
    if in_string:
        return _in_string(rules, analysis, at, code)
    if SEVERITY_KEYWORD.search(code):
        typed = re.search(r"\S*$", code).group(0)  # type: ignore[union-attr]
        return [_item(word, types.CompletionItemKind.EnumMember, f"= {other}", None, at, len(typed))
                for word, other in SEVERITY_WORDS.items()]
    typed = NAME_BEFORE.search(code).group(0)  # type: ignore[union-attr]
    parent, _, partial = typed.rpartition(".")
    if "." in typed:
        return _children(rules, analysis, at, parent, len(partial))
    at_start = not code[: len(code) - len(typed)].strip()
    return [*_names(rules, analysis, at, len(partial)), *_callables(rules, at, len(partial)),
            *_keywords(at, len(partial), at_start)]


def _item(label: str, kind: types.CompletionItemKind, detail: str | None, doc: str | None, at: Where,
          typed: int, insert: str | None = None, sort: str = "1") -> types.CompletionItem:
    edit = types.TextEdit(types.Range(types.Position(at.line, at.character - typed),
                                      types.Position(at.line, at.character)), insert or label)
    return types.CompletionItem(label=label, kind=kind, detail=detail,
                                documentation=types.MarkupContent(types.MarkupKind.Markdown, doc) if doc else None,
                                text_edit=edit, filter_text=label, sort_text=f"{sort}{label}")


def _segment(text: str) -> str:
    """A name segment as it must be written: quoted with backticks unless it is a plain segment."""
    return text if _PLAIN_SEGMENT.fullmatch(text) else f"`{text}`"


def _children(rules: RuleSet, analysis: Analysis, at: Where, parent: str, typed: int) -> list[types.CompletionItem]:
    parts = split_name(parent)
    loops = loop_variables(analysis.text, at.line)
    if parts[0] in loops:  # 项. → the fields of the collection 项 ranges over
        collection = loops[parts[0]][0]
        fields = rules.schema.collections.get(collection, {})
        if len(parts) > 1:
            return []
        return [_item(_segment(f), types.CompletionItemKind.Property, _unit(kind), _doc(rules, f"{collection}.{f}"),
                      at, typed) for f, kind in fields.items()]
    path = ".".join(parts)
    out = []
    for segment, what in rules.tree.get(path, {}).items():
        full = f"{path}.{segment}"
        origin = rules.names.origin(full)
        detail = _unit(origin.kind) if origin and what != "namespace" else what
        if what == "fact" and f"{full}" in rules.tree:
            detail += " (more after .)"
        out.append(_item(_segment(segment), _KINDS[what], detail, _doc(rules, full), at, typed,
                         sort="0" if what != "namespace" else "1"))
    return out


def _names(rules: RuleSet, analysis: Analysis, at: Where, typed: int) -> list[types.CompletionItem]:
    out = []
    for var, (collection, _, _) in loop_variables(analysis.text, at.line).items():
        out.append(_item(var, types.CompletionItemKind.Variable, f"a record of {collection}", None, at, typed,
                         sort="0"))
    kinds = analysis.program.derived if analysis.program is not None else {}
    for name, (file, let) in analysis.lets().items():
        kind = kinds[name].kind if name in kinds else None
        out.append(_item(name, types.CompletionItemKind.Variable, f"derived value{': ' + _unit(kind) if kind else ''}",
                         f"```\n{let.src}\n```\n{Path(file).name}:{let.line}", at, typed, sort="0"))
    for segment, what in rules.tree.get("", {}).items():
        out.append(_item(_segment(segment), _KINDS[what], "names" if what == "namespace" else what,
                         _doc(rules, segment), at, typed))
    return out


def _callables(rules: RuleSet, at: Where, typed: int) -> list[types.CompletionItem]:
    out = []
    for name, signature in rules.functions.items():
        aliases = [n for n, s in rules.functions.items() if s is signature and n != name]
        params = ", ".join(signature.params)
        result = signature.result if isinstance(signature.result, str) else "the first argument's kind"
        doc = signature.doc + (f"\n\nalso written: {', '.join(aliases)}" if aliases else "")
        out.append(_item(name, types.CompletionItemKind.Function, f"{name}({params}) → {result}", doc, at, typed,
                         sort="2"))
    for name, canonical in AGGREGATES.items():
        others = [n for n, c in AGGREGATES.items() if c == canonical and n != name]
        out.append(_item(name, types.CompletionItemKind.Function, f"aggregation {canonical}",
                         AGGREGATE_DOCS[canonical] + f"\n\nalso written: {', '.join(others)}", at, typed, sort="2"))
    return out


def _keywords(at: Where, typed: int, at_start: bool) -> list[types.CompletionItem]:
    wanted = ("item", "clause") if at_start else ("expression", "clause")
    out = []
    for kw in KEYWORDS:
        if kw.where not in wanted or (not at_start and kw.where == "clause" and kw.spellings[0] != "for each"):
            continue
        for spelling in kw.spellings:
            others = [s for s in kw.spellings if s != spelling]
            out.append(_item(spelling, types.CompletionItemKind.Keyword, f"keyword ({' / '.join(others)})", kw.doc,
                             at, typed, sort="3"))
    return out


def _in_string(rules: RuleSet, analysis: Analysis, at: Where, code: str) -> list[types.CompletionItem]:
    """Inside a text: a message's ``{placeholder}``, or the file an ``import`` names."""
    opened = code.rfind('"')
    text = code[opened + 1:]
    head = code[:opened].strip()
    if head in ("import", "导入"):
        folder = Path(analysis.path).parent
        found = sorted(p.name for p in folder.glob("*.rules") if p.resolve() != Path(analysis.path).resolve()) \
            if folder.is_dir() else []
        return [_item(name, types.CompletionItemKind.File, "rule file", None, at, len(text)) for name in found]
    brace = text.rfind("{")
    if brace < 0 or "}" in text[brace:]:
        return []
    typed = text[brace + 1:]
    parent, _, partial = typed.rpartition(".")
    if parent:
        return _children(rules, analysis, at, parent, len(partial))
    specials = [_item(name, types.CompletionItemKind.Constant, "placeholder", doc, at, len(partial), sort="0")
                for name, doc in PLACEHOLDERS.items()]
    return specials + _names(rules, analysis, at, len(partial))


def _unit(kind: str | None) -> str:
    return UNIT_WORDS.get(kind or "", kind or "")


def _doc(rules: RuleSet, name: str) -> str | None:
    origin = rules.names.origin(name)
    if origin is None:
        return None
    lines_ = [origin.summary, *origin.details]
    if origin.description:
        lines_.append(origin.description)
    return "\n\n".join(lines_)

