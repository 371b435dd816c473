"""Spreadsheet sheets as the document model's blocks: the tables on a sheet, and the title rows around them.

Both Excel readers (.xlsx and .xls) load a workbook into `Sheet`s — each shown cell's text, as the
sheet displays it, by 1-based row and column — and this module lays them out the way the other
readers lay out a Word file, so the facts read from a workbook are the facts read from the same
tables in a .docx or .txt:

* a row whose every filled cell reads like a caption (a title ending in 表, 单位：万元, 编制单位：…,
  a year) or a note (注：… or a long sentence) is a paragraph, one per filled cell;
* the rows between are a table; two blank rows in a row end it (one blank row does not, as in the
  text convention), and so does a caption or note row, so a sheet may hold several tables;
* a table's cells cover the columns its rows fill, one cell per column: a merged cell's text is in
  its top-left cell and the cells it covers are empty, as the .docx reader does;
* hidden sheets, rows and columns are not shown, so they are not read;
* a sheet with no title row of its own is preceded by its name as a paragraph (unless the name is
  a default such as Sheet1), so a sheet named 收入决算表 still names its table.

Every paragraph and cell carries its sheet and A1 address; table cells also carry
``table``/``row``/``cell`` (tables numbered across the workbook) for the reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.model import Block, Cell, Location, Paragraph, Row, Table

#: Text of a cell that belongs around a table rather than in it.
_CAPTION = re.compile(r"表\s*[)）]?$|单位\s*[:：]|^(?:编制|填报|填表)单位|^部门\s*[:：]|^\d{4}\s*年(?:度)?$|"
                      r"^\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$|^公开\s*\d+\s*表|[（(]\s*公开\s*\d+\s*表")
_NOTE = re.compile(r"^(?:注|说明|备注|填表说明)\s*\d*\s*[:：、]")
_DEFAULT_SHEET = re.compile(r"(?i)^(?:sheet|工作表|表)\s*\d*$")
#: Longer cells alone on a row are sentences (a note under the table), not table rows.
NOTE_LENGTH = 40
MAX_CAPTION = 60


@dataclass
class Sheet:
    """A worksheet as a reader loaded it: shown cells' text by (row, column), 1-based."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)


def column_letters(column: int) -> str:
    """1 → A, 27 → AA: the column part of an A1 address."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def address(row: int, column: int) -> str:
    return f"{column_letters(column)}{row}"


def sheets_to_blocks(sheets: list[Sheet]) -> list[Block]:
    """The blocks of a workbook, sheet after sheet, tables numbered from 1 across the workbook."""
    blocks: list[Block] = []
    for sheet in sheets:
        blocks.extend(_sheet_blocks(sheet, first_table=1 + sum(isinstance(b, Table) for b in blocks)))
    return blocks


def _is_caption(text: str) -> bool:
    return len(text) <= MAX_CAPTION and bool(_CAPTION.search(text))


def _is_note(filled: list[tuple[int, str]]) -> bool:
    return len(filled) == 1 and (bool(_NOTE.match(filled[0][1])) or len(filled[0][1]) > NOTE_LENGTH)


def _sheet_blocks(sheet: Sheet, first_table: int) -> list[Block]:
    shown = {(r, c): t.strip() for (r, c), t in sheet.cells.items()
             if t.strip() and r not in sheet.hidden_rows and c not in sheet.hidden_columns}
    if not shown:
        return []
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in sorted(shown.items()):
        by_row.setdefault(r, []).append((c, text))
    blocks: list[Block] = []
    table_rows: list[int] = []
    blank_run = 0

    def close() -> None:
        nonlocal table_rows
        if table_rows:
            if not blocks and not _DEFAULT_SHEET.match(sheet.name.strip()):
                blocks.append(Paragraph(sheet.name.strip(), Location(sheet=sheet.name)))
            number = first_table + sum(isinstance(b, Table) for b in blocks)
            blocks.append(_table(sheet, table_rows, shown, number))
            table_rows = []

    for r in range(min(by_row), max(by_row) + 1):
        if r in sheet.hidden_rows:
            continue
        filled = by_row.get(r, [])
        if not filled:
            blank_run += 1
            if blank_run >= 2:
                close()
            continue
        blank_run = 0
        if all(_is_caption(text) for _, text in filled) or _is_note(filled):
            close()
            blocks.extend(Paragraph(text, Location(sheet=sheet.name, address=address(r, c))) for c, text in filled)
        else:
            table_rows.append(r)
    close()
    return blocks


def _table(sheet: Sheet, rows: list[int], shown: dict[tuple[int, int], str], number: int) -> Table:
    columns = [c for c in range(min(c for (r, c) in shown if r in rows), max(c for (r, c) in shown if r in rows) + 1)
               if c not in sheet.hidden_columns]
    out: list[Row] = []
    for i, r in enumerate(rows, start=1):
        cells = tuple(Cell(shown.get((r, c), ""), Location(sheet=sheet.name, address=address(r, c), table=number,
                                                           row=i, cell=j))
                      for j, c in enumerate(columns, start=1))
        out.append(Row(cells, Location(sheet=sheet.name, address=f"{address(r, columns[0])}:{address(r, columns[-1])}",
                                       table=number, row=i)))
    span = f"{address(rows[0], columns[0])}:{address(rows[-1], columns[-1])}"
    return Table(tuple(out), Location(sheet=sheet.name, address=span, table=number), number)
