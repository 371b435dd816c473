"""Logical tables: a caption, rows, and a way to read a data row by its header's column names.

Word-to-text conversion sometimes splits one table into two (the indicator block of a
self-assessment table arrives as a separate table); a table that directly follows another,
with no paragraph between and no caption of its own, is read as its continuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from checker.model import Block, Cell, Row, Table

HEADER_MAX = 24  # characters: longer cells are never column headings
_CAPTION_TEXT = re.compile(r"(表|^单位[:：].*|^[(（].*年.*[)）])$")


@dataclass(frozen=True)
class LogicalTable:
    tables: tuple[Table, ...]
    caption: tuple[Cell, ...]
    rows: tuple[Row, ...]

    @property
    def title(self) -> str:
        return next((c.text for c in self.caption if c.text.endswith("表")), self.caption[0].text if self.caption
                    else "")


def filled(row: Row) -> list[Cell]:
    """The non-empty cells of a row."""
    return [c for c in row.cells if c.text.strip()]


def split_caption(table: Table) -> tuple[tuple[Cell, ...], tuple[Row, ...]]:
    caption: list[Cell] = []
    rows = list(table.rows)
    # A leading one-cell row is a caption; so is a Word title row merged across the grid when it reads like
    # one (ends in 表, states the unit or the year), unlike a header merged over its columns.
    while rows and len({c.text for c in filled(rows[0])}) == 1 and (
            len(rows[0].cells) <= 2 or _CAPTION_TEXT.search(filled(rows[0])[0].text.strip())):
        caption.append(filled(rows[0])[0])
        rows.pop(0)
    return tuple(caption), tuple(rows)


def logical_tables(blocks: list[Block]) -> list[LogicalTable]:
    """Tables of a document in order, continuations joined to the table they continue."""
    out: list[LogicalTable] = []
    previous_was_table = False
    for block in blocks:
        if not isinstance(block, Table):
            previous_was_table = False
            continue
        caption, rows = split_caption(block)
        if previous_was_table and out and not caption:
            last = out[-1]
            out[-1] = LogicalTable((*last.tables, block), last.caption, last.rows + rows)
        else:
            out.append(LogicalTable((block,), caption, rows))
        previous_was_table = True
    return out


def align(width: int, row: Row) -> dict[int, Cell]:
    """Map column index of a header of ``width`` cells → the row's cell. Rows missing leading (merged) cells
    align right."""
    cells = row.cells
    offset = width - len(cells)
    if offset < 0:
        offset = 0
        cells = cells[:width]
    return {offset + i: c for i, c in enumerate(cells)}


class HeaderMatcher:
    """Finds a table's columns from its header row: field name → column index, matching header cell texts
    against each field's synonyms (exact first, then containment). Built once per vocabulary table, since
    every row of a table is asked whether it is a header."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.fields: list[tuple[str, frozenset[str], re.Pattern[str]]] = []
        for field_name, synonyms in names.items():
            words = {header_text(s) for s in synonyms} - {""}
            self.fields.append((field_name, frozenset(words), _any_of(words)))
        self.words: frozenset[str] = frozenset().union(*(words for _, words, _ in self.fields))
        self.any_word = _any_of(set(self.words))
        # What each distinct text can be, as `_kind` gives it: tables repeat their texts (0.00, -, 万元…) and
        # every row is asked once per matcher.
        self._kinds: dict[str, int] = {}

    def __call__(self, texts: list[str]) -> dict[str, int]:
        """The columns found among a row's cell texts (as `header_text` gives them)."""
        # Only a cell that is a synonym can match exactly, only one holding a synonym by containment; most
        # rows are data and have neither, so they are answered without looking at any field.
        exact: list[tuple[int, str]] = []
        candidates: list[tuple[int, str]] = []
        for i, text in enumerate(texts):
            kind = self._kind_of(text)
            if kind & _SYNONYM:
                exact.append((i, text))
            if kind & _HOLDS_SYNONYM:
                candidates.append((i, text))
        if not exact and not candidates:
            return {}
        found: dict[str, int] = {}
        for field_name, synonyms, _within in self.fields:
            for i, text in exact:
                if text in synonyms and i not in found.values():
                    found[field_name] = i
                    break
        for field_name, _synonyms, within in self.fields:
            if field_name in found:
                continue
            for i, text in candidates:
                if i not in found.values() and within.search(text):
                    found[field_name] = i
                    break
        return found

    def may_match(self, text: str) -> bool:
        """Whether a cell text (as `header_text` gives it) can name a field: a row with no such cell is no
        header, and callers asking several matchers about it can skip them all. Not remembered: callers ask
        once per distinct text and remember the answer themselves."""
        return self._kind(text) != 0

    def _kind_of(self, text: str) -> int:
        """`_kind`, remembered per distinct text."""
        kind = self._kinds.get(text)
        if kind is None:
            kind = self._kinds[text] = self._kind(text)
        return kind

    def _kind(self, text: str) -> int:
        """Whether a text is some field's synonym, and whether it may name a field by containment: header
        cells are short words that hold some synonym; long texts and figures are data (most rows)."""
        kind = _SYNONYM if text in self.words else 0
        if may_hold_synonym(text) and self.any_word.search(text):
            kind |= _HOLDS_SYNONYM
        return kind


def may_hold_synonym(text: str) -> bool:
    """Whether a cell text (as `header_text` gives it) is short enough, and not a figure, to hold a header
    synonym by containment: header cells are short words; long texts and figures are data (most rows)."""
    return bool(text) and len(text) <= HEADER_MAX and not text[0].isdigit()


_SYNONYM, _HOLDS_SYNONYM = 1, 2


def _any_of(words: set[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(words)))) if words else re.compile(r"(?!)")


@lru_cache(maxsize=4096)
def header_text(text: str) -> str:
    """A cell's text as header synonyms are compared: no spaces, full-width parentheses. Remembered per
    distinct text: every row of a table is asked whether it is a header."""
    return "".join(text.split()).replace("(", "（").replace(")", "）")
