"""An incremental parser for the editor: a rule file is parsed item by item, and an item whose text did not
change is not parsed again.

A rule file is a sequence of items (``import``, ``let``, ``rule``), each starting on a line that begins with
its keyword. The text is cut before every such line; each piece is parsed on its own (remembered by its text)
and moved to its line. Pieces that all parse make exactly the module `dsl.parse_rules` makes of the whole
text. When one does not, the text from that piece to the end is parsed in one go, as the whole-file parser
would reach it, so a syntax error is reported with the same words and place as ``juesuan check --rules``.
A cut in the wrong place (a continued line that starts with a keyword-like name) fails to parse, and is
then parsed together with what follows, so it is never wrong, only slower.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from dsl import ast
from dsl.diagnostics import CompileError
from dsl.parser import parse_rules

#: A line that starts an item: a top-level keyword standing alone.
ITEM_START = re.compile(r"[ \t]*(?:import|导入|let|定义|令|rule|规则)(?=[ \t\"]|$)")
_POSITION = {"line", "column", "src"}


@dataclass(frozen=True)
class Piece:
    """Lines ``start`` (0-based) up to the next item's line, and their text."""

    start: int
    text: str


def pieces(text: str) -> list[Piece]:
    """The text cut before every line that starts an item (the first piece holds what comes before any)."""
    lines = _lines(text)
    cuts = [0] + [i for i, line in enumerate(lines) if i and ITEM_START.match(line)]
    return [Piece(start, "".join(lines[start:end])) for start, end in zip(cuts, [*cuts[1:], len(lines)], strict=True)]


def shifted(node: object, lines: int) -> object:
    """``node`` moved down by ``lines`` (every position in it); the nodes are frozen, so copies are made."""
    if isinstance(node, ast.Node):
        moved = copy.copy(node)
        if node.line:
            object.__setattr__(moved, "line", node.line + lines)
        for name in _content_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, ast.Node | tuple):
                object.__setattr__(moved, name, shifted(value, lines))
        return moved
    if isinstance(node, tuple):
        return tuple(shifted(v, lines) if isinstance(v, ast.Node | tuple) else v for v in node)
    return node


_FIELDS: dict[type, tuple[str, ...]] = {}


def _content_fields(cls: type) -> tuple[str, ...]:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in _POSITION)
    return _FIELDS[cls]


@dataclass
class IncrementalParser:
    """Parses rule files as `dsl.parse_rules` does, remembering each item's parse by its text.

    ``parsed`` and ``reused`` count pieces parsed and pieces taken from memory (for tests and the benchmark).
    Memory is bounded: when it holds more than ``limit`` pieces, it starts again."""

    limit: int = 20000
    #: a folder the parser may keep its LALR tables in (the user's cache folder: a faster start)
    tables: Path | None = None
    parsed: int = 0
    reused: int = 0
    _memory: dict[str, tuple[ast.Import | ast.Let | ast.Rule, ...] | None] = field(default_factory=dict)
    _placed: dict[tuple[str, int], tuple[ast.Import | ast.Let | ast.Rule, ...]] = field(default_factory=dict)

    def __call__(self, text: str, path: str) -> ast.Module:
        """The module of ``text`` as file ``path``; raises `CompileError` exactly as `dsl.parse_rules` does."""
        text = text.removeprefix("\ufeff")
        items: list[ast.Import | ast.Let | ast.Rule] = []
        offset = 0
        for piece in pieces(text):
            found = self._items(piece, path)
            if found is None:
                # Parse from here to the end as the whole-file parser would: its first error is the file's.
                module = parse_rules("\n" * piece.start + text[offset:], path, self.tables)
                items.extend((*module.imports, *module.lets, *module.rules))
                break
            items.extend(found)
            offset += len(piece.text)
        items.sort(key=lambda item: (item.line, item.column))
        return ast.Module(path=path, text=text, imports=tuple(i for i in items if isinstance(i, ast.Import)),
                          lets=tuple(i for i in items if isinstance(i, ast.Let)),
                          rules=tuple(i for i in items if isinstance(i, ast.Rule)), line=1, column=1)

    def salvage(self, text: str, path: str) -> tuple[ast.Import | ast.Let | ast.Rule, ...]:
        """The items of the pieces that parse on their own: a file's outline while one of its rules is being
        typed and does not parse."""
        text = text.removeprefix("\ufeff")
        found: list[ast.Import | ast.Let | ast.Rule] = []
        for piece in pieces(text):
            found.extend(self._items(piece, path) or ())
        return tuple(found)

    def _items(self, piece: Piece, path: str) -> tuple[ast.Import | ast.Let | ast.Rule, ...] | None:
        """The items of one piece at its place, or None when the piece does not parse on its own."""
        key = (piece.text, piece.start)
        if key in self._placed:
            self.reused += 1
            return self._placed[key]
        if piece.text not in self._memory:
            if len(self._memory) > self.limit or len(self._placed) > self.limit:
                self._memory.clear()
                self._placed.clear()
            self.parsed += 1
            try:
                module = parse_rules(piece.text, path, self.tables)
            except CompileError:
                self._memory[piece.text] = None
                return None
            self._memory[piece.text] = (*module.imports, *module.lets, *module.rules)
        else:
            self.reused += 1
        found = self._memory[piece.text]
        if found is None:
            return None
        placed = found if piece.start == 0 else shifted(found, piece.start)
        if len(self._placed) > self.limit:
            self._placed.clear()
        self._placed[key] = placed  # type: ignore[assignment]
        return placed  # type: ignore[return-value]


def _lines(text: str) -> list[str]:
    """The lines of ``text`` with their ends, cut at "\\n" only (as the parser counts lines)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]
