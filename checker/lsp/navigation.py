"""Go to definition and the outline of a rule file.

A derived value goes to its ``let``, a rule id (in a header, a comment or a text) to the rule's header, a
loop variable to its ``for each``, a fact, collection or field to the vocabulary entry that makes it, and an
import to the file. The outline lists the file's imports, derived values and rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from checker.lsp.analysis import Analysis, RuleSet
from checker.lsp.cursor import Span, in_head, lines, loop_variables, name_at, rule_id_at, split_name, string_at
from dsl import ast


@dataclass(frozen=True)
class Place:
    """A place in a file: 0-based line, characters ``start``–``end`` on it (string units)."""

    file: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Symbol:
    """An item of the outline: its name, what it is, its whole extent and the place of its name."""

    name: str
    kind: str  # "rule" | "let" | "import"
    detail: str
    start: tuple[int, int]
    end: tuple[int, int]
    selection: tuple[int, int, int]  # line, start, end of the name


def definition(rules: RuleSet, analysis: Analysis, line: int, character: int) -> Place | None:
    """Where the word at ``line``/``character`` is defined, or None."""
    found = rule_id_at(analysis.text, line, character)
    if found is not None and found.text in (known := analysis.rules()):
        file, rule = known[found.text]
        return _name_place(file, rule, rule.id)
    quoted = string_at(analysis.text, line, character)
    if quoted is not None and re.match(r"\s*(?:import|导入)\s*\"", lines(analysis.text)[line]):
        target = Path(analysis.path).parent / quoted.text
        return Place(str(target), 0, 0, 0) if target.is_file() else None
    span = name_at(analysis.text, line, character)
    if span is None:
        return None
    return _name_definition(rules, analysis, span, character)


def _name_definition(rules: RuleSet, analysis: Analysis, span: Span, character: int) -> Place | None:
    parts = split_name(span.text)
    loops = loop_variables(analysis.text, span.line)
    if parts[0] in loops:
        collection, at_line, at_char = loops[parts[0]]
        if len(parts) == 1 or in_head(span, character):
            return Place(analysis.path, at_line, at_char, at_char + len(parts[0]))
        return _vocabulary_place(rules, f"{collection}.{'.'.join(parts[1:])}")
    lets = analysis.lets()
    if span.text in lets:
        file, let = lets[span.text]
        return _name_place(file, let, let.name)
    return _vocabulary_place(rules, ".".join(parts))


def _vocabulary_place(rules: RuleSet, name: str) -> Place | None:
    origin = rules.names.origin(name)
    if origin is None or origin.file is None:
        return None
    return Place(origin.file, origin.line - 1, 0, 0)


def _name_place(file: str, node: ast.Node, name: str) -> Place:
    """The place of ``name`` inside ``node``'s first line (a rule's id, a let's name)."""
    first = node.src.split("\n", 1)[0]
    offset = max(first.find(name), 0)
    start = node.column - 1 + offset
    return Place(file, node.line - 1, start, start + len(name))


def symbols(analysis: Analysis) -> list[Symbol]:
    """The file's imports, derived values and rules, in document order."""
    out = []
    for item in analysis.items():
        source = item.src.rstrip()
        end_line = item.line - 1 + source.count("\n")
        last = source.rsplit("\n", 1)[-1]
        end_char = len(last) if "\n" in source else item.column - 1 + len(source)
        start = (item.line - 1, item.column - 1)
        match item:
            case ast.Rule():
                name, kind, detail = item.id, "rule", item.title
            case ast.Let():
                name, kind, detail = item.name, "let", "derived value"
            case _:
                name, kind, detail = item.path, "import", "import"
        place = _name_place(analysis.path, item, name)
        out.append(Symbol(name, kind, detail, start, (end_line, end_char), (place.line, place.start, place.end)))
    return out
