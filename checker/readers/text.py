"""Plain-text disclosures, as saved from Word: paragraphs are lines, table cells are tab-led lines.

The convention (BRIEF §1): each table cell is a line starting with a tab; a blank line ends
a table row; two or more blank lines, or an ordinary line, end the table; a lone tab is an
empty (often merged) cell. Leading one-cell rows such as the table's title are kept as rows:
`checker.tables` decides what is a caption and what is a header.
"""

from __future__ import annotations

from checker.model import Block, Cell, Location, Paragraph, Row, Table


def split_lines(text: str) -> list[str]:
    """Lines with CRLF, CR and LF ends all accepted."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_text(text: str) -> list[Block]:
    """Blocks of a decoded text file, each with its 1-based line and column."""
    blocks: list[Block] = []
    rows: list[Row] = []
    cells: list[Cell] = []
    blank_run = 0
    table_count = 0

    def end_row() -> None:
        nonlocal cells
        if cells:
            first = cells[0].location
            rows.append(Row(tuple(cells), Location(first.line, 1, cells[-1].location.line, None, None, first.table,
                                                   first.row)))
            cells = []

    def end_table() -> None:
        nonlocal rows, table_count
        end_row()
        if rows:
            table_count += 1
            first = rows[0].location
            blocks.append(Table(tuple(rows), Location(line=first.line, column=1, end_line=rows[-1].location.end_line,
                                                      table=table_count), table_count))
            rows = []

    for number, line in enumerate(split_lines(text), start=1):
        if line.startswith("\t"):
            if blank_run >= 2:
                end_table()
            blank_run = 0
            lead = line.lstrip()  # the leading tab is whitespace too: the cell's text, as after the tab
            stripped = lead.rstrip()
            column = 1 + len(line) - len(lead)
            # Location's fields by position (line, column, end_line, end_column, paragraph, table, row, cell):
            # a text file has thousands of cells, and keywords cost twice as much to pass.
            cells.append(Cell(stripped, Location(number, column, number, column + len(stripped), None,
                                                 table_count + 1, len(rows) + 1, len(cells) + 1)))
            continue
        lead = line.lstrip()
        if not lead:
            blank_run += 1
            end_row()
            continue
        end_table()
        blank_run = 0
        column = 1 + len(line) - len(lead)
        stripped = lead.rstrip()
        blocks.append(Paragraph(stripped, Location(number, column, number, column + len(stripped))))
    end_table()
    return blocks
