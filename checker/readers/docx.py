"""Word (.docx) disclosures: body paragraphs and tables in document order.

python-docx loads and validates the package, but the body is walked as XML so that
paragraphs and tables keep their interleaving, content controls (``w:sdt``) are seen
through, and merged cells can be laid out on the table grid:

* a horizontally merged cell (``w:gridSpan`` = n) is emitted once, at its first grid
  column, followed by n − 1 empty cells, so every row has one cell per grid column and
  cell positions line up with the header row (as the text convention's lone-tab cells do);
* a vertically merged continuation (``w:vMerge`` without ``restart``) is an empty cell;
  the text stays in the top cell of the merge;
* ``w:gridBefore``/``w:gridAfter`` skipped columns are padded with empty cells too;
* a table nested in a cell is flattened into that cell's text (cells joined by a space,
  rows by a line break).

Automatic list numbers are rendered into the text (see `checker.readers.numbering`).
Deleted revisions, field codes, drawings and text boxes are not part of the text.
Paragraph locations count every body paragraph (empty ones included, 1-based); empty
paragraphs themselves are not emitted.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from checker.errors import InputError
from checker.model import Block, Cell, Location, Paragraph, Row, Table
from checker.readers.numbering import Numbering

#: Refuse archives whose entries would expand beyond this (zip bombs); real reports are a few MB.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Cells per table row after merged cells are padded out (Word itself allows 63 columns): a few bytes of
#: ``w:gridSpan`` must not expand into millions of cells.
MAX_GRID_COLUMNS = 1000

CORRUPT_MESSAGE = "is not a valid .docx file (corrupt or truncated zip)"
NOT_WORD_MESSAGE = "is a zip archive but not a Word .docx document"

_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_W_T, _W_TAB, _W_BR, _W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_W_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_CONTAINERS = frozenset({_W_SDT_CONTENT, _W_CUSTOM_XML})
#: Subtrees whose text Word does not show inline in the paragraph.
_SKIPPED = frozenset({
    qn("w:pPr"), qn("w:rPr"), qn("w:del"), qn("w:moveFrom"), qn("w:instrText"), qn("w:delText"),
    qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:txbxContent"), qn("w:sdtPr"), qn("w:sdtEndPr"),
    f"{{{_MC_NS}}}AlternateContent", qn("w:footnoteReference"), qn("w:endnoteReference"),
})


def check_archive(data: bytes, path: str, kind: str = ".docx") -> None:
    """Refuse a corrupt, encrypted, non-Office or zip-bomb archive before python-docx (or openpyxl) unpacks it."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise InputError(path, CORRUPT_MESSAGE.replace(".docx", kind)) from error
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise InputError(path, NOT_WORD_MESSAGE if kind == ".docx" else f"is a zip archive but not an Excel {kind} "
                                                                          "workbook")
    if any(info.flag_bits & 0x1 for info in infos):
        raise InputError(path, f"is password-protected; remove the password and save it as {kind}")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError(path, f"expands to {total // (1024 * 1024)} MB when unzipped (limit "
                               f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB); refusing a possible zip bomb")


def archive_names(data: bytes) -> set[str]:
    """The entry names of a zip archive (empty when it cannot be opened): which Office document it is."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return set()


def read_docx(path: Path, data: bytes) -> list[Block]:
    """Blocks of a .docx file given as bytes; ``path`` is only used in error messages."""
    import docx  # python-docx is slow to import; text-only runs should not pay for it

    name = str(path)
    check_archive(data, name)
    try:
        document = docx.Document(BytesIO(data))
    except ValueError as error:
        if "not a Word file" in str(error):
            raise InputError(name, NOT_WORD_MESSAGE) from error
        raise InputError(name, CORRUPT_MESSAGE) from error
    except Exception as error:  # python-docx/lxml/zlib raise many types on damaged parts
        raise InputError(name, CORRUPT_MESSAGE) from error
    part = document.part
    try:
        numbering_element = part.part_related_by(RT.NUMBERING).element
    except (KeyError, AttributeError):
        numbering_element = None
    except Exception as error:
        raise InputError(name, CORRUPT_MESSAGE) from error
    try:
        styles_element = part.part_related_by(RT.STYLES).element
    except (KeyError, AttributeError):
        styles_element = None
    except Exception as error:
        raise InputError(name, CORRUPT_MESSAGE) from error
    body = getattr(document.element, "body", None)  # a damaged main part may parse to some other element
    if body is None:
        raise InputError(name, CORRUPT_MESSAGE)
    return _BodyWalker(Numbering(numbering_element, styles_element)).walk(body)


class _BodyWalker:
    """Walks ``w:body`` once, numbering paragraphs and tables as it goes."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0

    def walk(self, body) -> list[Block]:
        for element in _block_children(body):
            if element.tag == _W_P:
                self.paragraphs += 1
                text = self.paragraph_text(element)
                if text:
                    self.blocks.append(Paragraph(text, Location(paragraph=self.paragraphs)))
            else:
                self.tables += 1
                self.blocks.append(self.table(element, self.tables))
        return self.blocks

    def paragraph_text(self, p) -> str:
        """The paragraph's visible text with its list number; empty when it has no text of its own."""
        label = self.numbering.label(p)
        text = _inline_text(p).strip()
        return f"{label}{text}".strip() if text else ""

    def table(self, tbl, index: int) -> Table:
        rows: list[Row] = []
        for tr in _children(tbl, _W_TR):
            row_number = len(rows) + 1
            texts = self.row_texts(tr)
            cells = tuple(Cell(text, Location(table=index, row=row_number, cell=c))
                          for c, text in enumerate(texts, start=1))
            rows.append(Row(cells, Location(table=index, row=row_number)))
        return Table(tuple(rows), Location(table=index), index)

    def row_texts(self, tr) -> list[str]:
        """One text per grid column: merged cells padded, vertical continuations empty."""
        trpr = tr.find(qn("w:trPr"))
        texts = [""] * _grid_count(trpr, "gridBefore")
        for tc in _children(tr, _W_TC):
            tcpr = tc.find(qn("w:tcPr"))
            span = max(1, _grid_count(tcpr, "gridSpan"))
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            continuation = vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue"
            text = self.cell_text(tc)
            texts.append("" if continuation else text)
            texts.extend([""] * (span - 1))
            if len(texts) >= MAX_GRID_COLUMNS:
                break
        texts.extend([""] * _grid_count(trpr, "gridAfter"))
        return texts[:MAX_GRID_COLUMNS]

    def cell_text(self, tc) -> str:
        """Paragraphs of a cell joined by line breaks; nested tables flattened in place."""
        parts: list[str] = []
        for element in _block_children(tc):
            if element.tag == _W_P:
                text = self.paragraph_text(element)
            else:
                text = "\n".join(" ".join(t for t in self.row_texts(tr) if t)
                                 for tr in _children(element, _W_TR)).strip()
            if text:
                parts.append(text)
        return "\n".join(parts)


def _grid_count(props, name: str) -> int:
    if props is None:
        return 0
    child = props.find(qn(f"w:{name}"))
    if child is None:
        return 0
    try:
        return max(0, min(int(child.get(qn("w:val"), "0")), 1000))
    except ValueError:
        return 0


def _block_children(parent):
    """``w:p`` and ``w:tbl`` children in order, looking through content controls and custom XML."""
    for child in parent:
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _block_children(content)
        elif child.tag in _CONTAINERS:
            yield from _block_children(child)


def _children(parent, tag: str):
    """Rows of a table or cells of a row, looking through content controls and custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in _CONTAINERS:
            yield from _children(child, tag)


def _inline_text(element) -> str:
    """Text of runs under ``element`` in order: ``w:t``, tabs and line breaks, skipping hidden subtrees."""
    out: list[str] = []
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _W_T:
            out.append(child.text or "")
        elif tag == _W_TAB:
            out.append("\t")
        elif tag == _W_BR:
            out.append("" if child.get(qn("w:type")) in ("page", "column") else "\n")
        elif tag == _W_CR:
            out.append("\n")
        elif tag == _W_NO_BREAK_HYPHEN:
            out.append("-")
        else:
            stack.append(iter(child))
    return "".join(out)
