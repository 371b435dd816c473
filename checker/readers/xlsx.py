"""Excel 2007+ workbooks (.xlsx, .xlsm) with openpyxl: each shown cell's text, as the sheet displays it.

The workbook is opened with the values Excel last calculated (``data_only``), which is what the
final-accounts software exports and what a reader of the sheet sees; a formula never calculated
(a workbook written by a script and never opened in Excel) has no value and reads as blank, so the
rules that need it are reported as not evaluated. Number cells become text through their number
format (`checker.readers.cellformat`); numbers stored as text are read as the text they are.
Laying the sheets out as blocks is `checker.readers.sheets`' job.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from io import BytesIO
from pathlib import Path

from checker.errors import InputError
from checker.model import Block
from checker.readers.cellformat import date_text, number_text
from checker.readers.docx import check_archive
from checker.readers.sheets import Sheet, sheets_to_blocks

#: A sheet's used range may not exceed this many cells (the nine tables are a few thousand).
MAX_CELLS = 2_000_000
CORRUPT = "is not a valid .xlsx workbook (corrupt or truncated)"


def read_xlsx(path: Path, data: bytes) -> list[Block]:
    """Blocks of an .xlsx workbook given as bytes; ``path`` names the file in error messages."""
    name = str(path)
    check_archive(data, name, kind=".xlsx")
    import openpyxl  # loads only for workbooks
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(BytesIO(data), data_only=True)
    except InvalidFileException as error:
        raise InputError(name, CORRUPT) from error
    except (KeyError, zipfile.BadZipFile) as error:  # a part the workbook names is missing
        raise InputError(name, f"{CORRUPT}: a part of the workbook is missing") from error
    except Exception as error:  # openpyxl and the XML parser raise many types on damaged parts
        raise InputError(name, CORRUPT) from error
    try:
        return sheets_to_blocks([_sheet(worksheet, name) for worksheet in workbook.worksheets
                                 if worksheet.sheet_state == "visible"])
    finally:
        workbook.close()


def _sheet(worksheet, name: str) -> Sheet:
    from openpyxl.cell.cell import MergedCell

    size = worksheet.max_row * worksheet.max_column
    if size > MAX_CELLS:
        raise InputError(name, f"sheet {worksheet.title!r} spans {size:,} cells (limit {MAX_CELLS:,}); "
                               "is it a disclosure's tables?")
    sheet = Sheet(worksheet.title)
    sheet.hidden_rows = {r for r, dim in worksheet.row_dimensions.items() if dim.hidden}
    for dim in worksheet.column_dimensions.values():
        if dim.hidden and dim.min is not None:
            sheet.hidden_columns.update(range(dim.min, (dim.max or dim.min) + 1))
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.value is None or isinstance(cell, MergedCell):
                continue
            sheet.cells[(cell.row, cell.column)] = cell_text(cell.value, cell.number_format)
    return sheet


def cell_text(value: object, number_format: str | None) -> str:
    """A cell's value as shown: text as typed, numbers through their format, dates in Chinese."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value, number_format)
    if isinstance(value, datetime | date | time):
        return date_text(value)
    return str(value)
