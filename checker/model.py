"""The document model every reader produces and every later stage reads.

A reader turns a file into a flat list of blocks (paragraphs and tables), each carrying
its exact place in the source. `checker.structure` then nests the blocks into sections.
Nothing here knows about any particular report's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace


@dataclass(slots=True, unsafe_hash=True)
class Location:
    """Where a piece of text sits in the source file. Never changed once made (hashable by value), but not
    frozen: thousands are made per document, and frozen instances cost about four times as much to build.

    Text files use 1-based ``line``/``column`` (columns count characters, end exclusive).
    Word files use 1-based ``paragraph`` or ``table``/``row``/``cell`` indices, with
    ``column`` as the character offset inside that paragraph or cell.
    PDF files give the 1-based ``page`` and a ``bbox`` in PDF points measured from the
    page's top-left corner as displayed (x0, top, x1, bottom); table cells add
    ``table``/``row``/``cell``.
    Spreadsheets (.xlsx/.xls) give the ``sheet`` name and the cell's ``address`` in A1 notation, and
    ``table``/``row``/``cell`` of the table read from the sheet (tables numbered across the workbook).
    ``file`` is set when the document is a bundle of several files (``juesuan check --bundle``): the
    member file the text comes from, as the user named it.
    """

    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    #: The file the place is in, when it is not the document being checked (a figure of last year's report).
    document: str | None = field(default=None, repr=False)
    sheet: str | None = None
    address: str | None = None
    file: str | None = None

    def narrow(self, start: int, end: int) -> Location:
        """The location of characters ``start:end`` of the text this location points at."""
        # Built field by field, not with dataclasses.replace: thousands are narrowed per document, and replace
        # (which looks the fields up by name) costs about six times as much.
        first = self.column or 1
        return Location(self.line, first + start, self.line if self.line is not None else self.end_line,
                        first + end, self.paragraph, self.table, self.row, self.cell, self.page, self.bbox,
                        self.document, self.sheet, self.address, self.file)

    def parts(self) -> list[tuple[str, int | str]]:
        """The place as (unit, value) pairs, outermost first: page, then line and column for text, a sheet
        and its cell address for spreadsheets, or table/row/cell or paragraph with the character offset —
        for each report to word. The member ``file`` of a bundle is not a part: reports name it apart."""
        if self.sheet is not None:
            return [("sheet", self.sheet), *([("address", self.address)] if self.address else [])]
        out: list[tuple[str, int | str]] = [("page", self.page)] if self.page is not None else []
        if self.line is not None:
            return [*out, ("line", self.line), ("column", self.column or 1)]
        if self.table is not None:
            out.append(("table", self.table))
            out.extend((unit, n) for unit, n in (("row", self.row), ("cell", self.cell)) if n is not None)
        elif self.paragraph is not None:
            out.append(("paragraph", self.paragraph))
        if self.column is not None and (self.paragraph or self.cell):
            out.append(("offset", self.column))
        return out

    def describe(self) -> str:
        """A short human form: ``12:5`` for text, ``收入决算表!C7`` for a spreadsheet cell (Excel's own
        notation, the sheet quoted when its name has spaces or punctuation), ``table 2 row 3 cell 4`` or
        ``paragraph 7`` otherwise."""
        if self.sheet is not None:
            sheet = self.sheet if re.fullmatch(r"[\w.]+", self.sheet) else "'" + self.sheet.replace("'", "''") + "'"
            return f"{sheet}!{self.address}" if self.address else sheet
        words = {"page": "page", "table": "table", "row": "row", "cell": "cell", "paragraph": "paragraph",
                 "offset": "col"}
        parts = self.parts()
        if self.line is not None:
            head = [f"page {self.page}"] if self.page is not None else []
            where = " ".join([*head, f"{self.line}:{self.column or 1}"])
        else:
            where = " ".join(f"{words[unit]} {n}" for unit, n in parts) or "?"
        return f"{self.document}:{where}" if self.document is not None else where

    def key(self) -> str:
        """`describe` with the bundle member's file in front: distinct across the files of a bundle."""
        return f"{self.file}:{self.describe()}" if self.file else self.describe()

    def as_dict(self) -> dict[str, int | str | list[float]]:
        """The fields that are set, for JSON/TOML reports (``bbox`` as a list of four numbers)."""
        out: dict[str, int | str | list[float]] = {}
        for key in _LOCATION_FIELDS:
            value = getattr(self, key)
            if value is not None:
                out[key] = list(value) if isinstance(value, tuple) else value
        return out


_LOCATION_FIELDS = tuple(f.name for f in fields(Location))


#: Cell, Row and Paragraph, like Location, are never changed once made and not frozen only to be cheap to build.
@dataclass(slots=True, unsafe_hash=True)
class Cell:
    text: str
    location: Location


@dataclass(slots=True, unsafe_hash=True)
class Row:
    cells: tuple[Cell, ...]
    location: Location

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass(slots=True, unsafe_hash=True)
class Paragraph:
    text: str
    location: Location


@dataclass(frozen=True)
class Table:
    """A table as read: its rows in order. ``index`` is the 1-based table number in the document."""

    rows: tuple[Row, ...]
    location: Location
    index: int


Block = Paragraph | Table


def with_file(block: Block, file: str) -> Block:
    """The block with every location in it (its own, its rows' and cells') naming ``file``: a bundle's
    blocks keep the member file they were read from."""
    if isinstance(block, Paragraph):
        return Paragraph(block.text, replace(block.location, file=file))
    rows = tuple(Row(tuple(Cell(c.text, replace(c.location, file=file)) for c in row.cells),
                     replace(row.location, file=file)) for row in block.rows)
    return Table(rows, replace(block.location, file=file), block.index)


@dataclass
class Section:
    """A heading and everything up to the next heading of the same or a higher level.

    ``level`` follows the Chinese numbering style (第一部分 = 1, 一、 = 2, （一） = 3,
    1. = 4, (1) = 5); the root section has level 0 and no heading.
    """

    title: str
    number: str | None
    style: str | None
    level: int
    heading: Paragraph | None
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False, compare=False)

    def path(self) -> list[Section]:
        """This section and its ancestors, outermost first (root excluded)."""
        chain: list[Section] = []
        node: Section | None = self
        while node is not None and node.level > 0:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def walk(self):
        """This section and all its descendants in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Document:
    """A read disclosure: its flat blocks in order and their section tree."""

    path: str
    format: str
    blocks: list[Block]
    root: Section
    encoding: str | None = None
    #: A bundle's member files in the order read (each block's locations name its file); empty otherwise.
    files: tuple[str, ...] = ()

    def sections(self) -> list[Section]:
        return [s for s in self.root.walk() if s.level > 0]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
