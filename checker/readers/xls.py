"""Legacy Excel 97–2003 workbooks (.xls, BIFF8) with xlrd: each shown cell's text, as the sheet displays it.

xlrd reads the number formats, merged ranges and hidden rows and columns only with
``formatting_info``, so the workbook is opened with it. A workbook saved with a password to open
is refused with one line (xlrd cannot decrypt it). Laying the sheets out as blocks is
`checker.readers.sheets`' job, as for .xlsx.
"""

from __future__ import annotations

from pathlib import Path

from checker.errors import InputError
from checker.model import Block
from checker.readers.cellformat import date_text, is_date_format, number_text
from checker.readers.sheets import Sheet, sheets_to_blocks

CORRUPT = "is not a valid .xls workbook (corrupt or truncated)"
PROTECTED = "is password-protected; remove the password (or save it without one) and check it again"


def read_xls(path: Path, data: bytes) -> list[Block]:
    """Blocks of an .xls workbook given as bytes; ``path`` names the file in error messages."""
    import xlrd  # loads only for legacy workbooks

    name = str(path)
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=_Discard())
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise InputError(name, PROTECTED) from error
        raise InputError(name, CORRUPT) from error
    except Exception as error:  # xlrd raises assertion, index and struct errors on damaged records
        raise InputError(name, CORRUPT) from error
    try:
        sheets = []
        for index in range(book.nsheets):
            try:
                worksheet = book.sheet_by_index(index)
            except Exception as error:
                raise InputError(name, f"{CORRUPT}: sheet {index + 1} cannot be read") from error
            if worksheet.visibility == 0:
                sheets.append(_sheet(book, worksheet))
        return sheets_to_blocks(sheets)
    finally:
        book.release_resources()


def _sheet(book, worksheet) -> Sheet:
    import xlrd

    sheet = Sheet(worksheet.name)
    sheet.hidden_rows = {r + 1 for r, info in worksheet.rowinfo_map.items() if info.hidden}
    sheet.hidden_columns = {c + 1 for c, info in worksheet.colinfo_map.items() if info.hidden}
    covered = {(r, c) for rlo, rhi, clo, chi in worksheet.merged_cells for r in range(rlo, rhi)
               for c in range(clo, chi) if (r, c) != (rlo, clo)}
    for r in range(worksheet.nrows):
        for c in range(worksheet.ncols):
            if (r, c) in covered:
                continue
            cell = worksheet.cell(r, c)
            kind = cell.ctype
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            if kind == xlrd.XL_CELL_TEXT:
                text = cell.value
            elif kind == xlrd.XL_CELL_NUMBER:
                fmt = _format(book, cell.xf_index)
                if is_date_format(fmt):
                    text = date_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
                else:
                    text = number_text(cell.value, fmt)
            elif kind == xlrd.XL_CELL_DATE:
                text = date_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
            elif kind == xlrd.XL_CELL_BOOLEAN:
                text = "TRUE" if cell.value else "FALSE"
            elif kind == xlrd.XL_CELL_ERROR:
                text = xlrd.error_text_from_code.get(cell.value, "#ERROR")
            else:
                text = str(cell.value)
            sheet.cells[(r + 1, c + 1)] = text
    return sheet


def _format(book, xf_index: int | None) -> str | None:
    if xf_index is None or xf_index >= len(book.xf_list):
        return None
    fmt = book.format_map.get(book.xf_list[xf_index].format_key)
    return fmt.format_str if fmt is not None else None


class _Discard:
    """xlrd writes warnings about odd records to a log file; a reader's only output is its blocks or one error."""

    def write(self, text: str) -> int:
        return len(text)
