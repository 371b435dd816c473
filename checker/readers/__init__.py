"""Reading a disclosure file into blocks, choosing the reader by what the file contains.

Users rename files, and WPS saves .doc content under .docx names, so the extension is
only a hint: each registered reader has a *sniff* function that looks at the first bytes
(and may look at the path), and the first reader whose sniff accepts the file reads it.
Files no reader claims are read as text. The table starts with the built-in readers; the plugin manager,
which assembles a run, hands down what the plugins' ``juesuan_readers`` hooks contribute (the built-in
ones through ``plugins/builtin.py``) with :func:`register_reader` — reading never asks for plugins.
A reader may also refuse a format with a clear message, as the built-in ``ole`` entry
does for legacy Word files and password-protected Office files (it reads legacy .xls workbooks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checker.errors import InputError
from checker.model import Block, Paragraph, Table
from checker.readers.decode import decode_bytes
from checker.readers.text import parse_text

#: How many leading bytes sniff functions receive.
SNIFF_BYTES = 8192
#: Refuse files larger than this before reading them into memory; real reports are far smaller.
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ReadResult:
    """What a reader produced: the format name, the text encoding (text formats only) and the blocks."""

    format: str
    encoding: str | None
    blocks: list[Block]


Sniff = Callable[[bytes, Path], bool]
"""Given the file's first bytes and its path, whether this reader handles the file."""

Read = Callable[[Path, bytes], ReadResult | list[Block]]
"""Given the path (for messages) and the whole content, the blocks; raises InputError on bad input."""


@dataclass(frozen=True)
class ReaderSpec:
    name: str
    sniff: Sniff
    read: Read


_READERS: dict[str, ReaderSpec] = {}


def register_reader(name: str, sniff: Sniff, read: Read) -> None:
    """Add a reader, tried before those registered earlier; re-using a name replaces that reader in place.

    Replacing in place lets a plugin's PDF reader take over the built-in ``pdf`` refusal.
    """
    spec = ReaderSpec(name, sniff, read)
    if name in _READERS:
        _READERS[name] = spec
        return
    others = dict(_READERS)
    _READERS.clear()
    _READERS[name] = spec
    _READERS.update(others)


def unregister_reader(name: str) -> None:
    """Remove a reader (mainly for tests and plugins that withdraw)."""
    _READERS.pop(name, None)


def reader_names() -> list[str]:
    """Registered reader names in the order they are tried (the text fallback is not listed)."""
    return list(_READERS)


def read_blocks(path: str | Path) -> ReadResult:
    """Read ``path`` with the reader its content calls for; InputError (naming the file) for anything unreadable."""
    path = Path(path)
    data = _read_bytes(path)
    name = str(path)
    head = data[:SNIFF_BYTES]
    for spec in _READERS.values():
        if spec.sniff(head, path):
            produced = spec.read(path, data)
            result = produced if isinstance(produced, ReadResult) else ReadResult(spec.name, None, list(produced))
            break
    else:
        result = read_text(path, data)
    if not any(_has_text(block) for block in result.blocks):
        if result.format == "text":
            raise InputError(name, "the file is empty (it contains only whitespace)")
        raise InputError(name, "the document contains no text")
    return result


def read_text(path: Path, data: bytes) -> ReadResult:
    """The fallback reader: decode the bytes and parse the tab-cell text convention."""
    text, encoding = decode_bytes(data, str(path))
    return ReadResult("text", encoding, parse_text(text))


def _read_bytes(path: Path) -> bytes:
    name = str(path)
    try:
        if path.is_dir():
            raise InputError(name, "is a directory")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(name, f"is too large ({size // (1024 * 1024)} MB; the limit is "
                                   f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")
        with path.open("rb") as handle:
            # read(n) reserves n bytes up front: ask for the size the file has, not the limit
            data = handle.read(size + 1)
            if len(data) > size:  # the file grew since stat, or is a special file that reports no size
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
            return data
    except FileNotFoundError as error:
        raise InputError(name, "no such file") from error
    except IsADirectoryError as error:
        raise InputError(name, "is a directory") from error
    except PermissionError as error:
        raise InputError(name, "cannot be read: permission denied") from error
    except OSError as error:
        raise InputError(name, f"cannot be read: {error.strerror or error}") from error


def _has_text(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return bool(block.text.strip())
    if isinstance(block, Table):
        return any(cell.text.strip() for row in block.rows for cell in row.cells)
    return False


def _is_zip(head: bytes, path: Path) -> bool:
    return head.startswith(b"PK\x03\x04")


#: Suffixes that name an Excel 2007+ workbook; the zip's own entries decide when the name says nothing.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _is_xlsx(head: bytes, path: Path) -> bool:
    return _is_zip(head, path) and (b"xl/" in head or path.suffix.lower() in WORKBOOK_SUFFIXES)


def _is_ole(head: bytes, path: Path) -> bool:
    return head.startswith(b"\xd0\xcf\x11\xe0")


def _is_workbook_archive(data: bytes) -> bool:
    from checker.readers.docx import archive_names

    names = archive_names(data)
    return "xl/workbook.xml" in names and "word/document.xml" not in names


def _read_docx(path: Path, data: bytes) -> ReadResult:
    if _is_workbook_archive(data):  # a workbook whose first entries did not show it (or named .docx)
        return _read_xlsx(path, data)
    from checker.readers.docx import read_docx

    return ReadResult("docx", None, read_docx(path, data))


def _read_xlsx(path: Path, data: bytes) -> ReadResult:
    from checker.readers.docx import archive_names

    if "word/document.xml" in archive_names(data):  # a Word file saved under a workbook's name
        from checker.readers.docx import read_docx

        return ReadResult("docx", None, read_docx(path, data))
    from checker.readers.xlsx import read_xlsx

    return ReadResult("xlsx", None, read_xlsx(path, data))


def _read_ole(path: Path, data: bytes) -> ReadResult:
    """A legacy .xls workbook is read; a legacy .doc or a password-protected Office file gets one line."""
    from checker.readers.ole import ole_kind, refuse

    kind = ole_kind(data, str(path))
    if kind != "xls":
        raise refuse(kind, path)
    from checker.readers.xls import read_xls

    return ReadResult("xls", None, read_xls(path, data))


def _is_pdf(head: bytes, path: Path) -> bool:
    """Whether the content is a PDF (``%PDF-`` near the start, after an optional BOM or blank lines). Asked of
    every file first: it stays here, so that the PDF reader (and ctypes) load only for a PDF."""
    return head.lstrip(b"\xef\xbb\xbf\r\n\t ")[:5] == b"%PDF-" or head.startswith(b"%PDF")


def _read_pdf(path: Path, data: bytes) -> ReadResult:
    from checker.readers.pdf import read_pdf  # pypdfium2 loads only for PDF input

    return ReadResult("pdf", None, read_pdf(path, data))


#: The built-in readers, in the order the built-in plugin (``plugins/builtin.py``) registers them through
#: the ``juesuan_readers`` hook; the last registered is tried first. The table starts with them, so that
#: reading works before (or without) any plugins being activated.
BUILTIN_READERS = (ReaderSpec("pdf", _is_pdf, _read_pdf), ReaderSpec("ole", _is_ole, _read_ole),
                   ReaderSpec("docx", _is_zip, _read_docx), ReaderSpec("xlsx", _is_xlsx, _read_xlsx))

for _spec in BUILTIN_READERS:
    register_reader(_spec.name, _spec.sniff, _spec.read)
del _spec

__all__ = ["BUILTIN_READERS", "WORKBOOK_SUFFIXES", "ReadResult", "ReaderSpec", "read_blocks", "read_text",
           "reader_names", "register_reader", "unregister_reader"]
