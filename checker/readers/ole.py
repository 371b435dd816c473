"""Office compound files (OLE2): which kind of document a ``D0 CF 11 E0`` file is, by the streams it holds.

Three very different files share that signature: a legacy Excel workbook (a ``Workbook`` or ``Book``
stream, read by `checker.readers.xls`), a legacy Word document (``WordDocument``, refused: save it as
.docx), and any Office 2007+ file saved with a password to open (``EncryptedPackage``: the .docx or
.xlsx inside is encrypted and cannot be read without the password). olefile reads the directory.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from checker.errors import InputError

ENCRYPTED = "is password-protected (an encrypted Office file); remove the password and save it again"
LEGACY_WORD = "is a legacy Word .doc file; save it as .docx"


def ole_kind(data: bytes, path: str) -> str:
    """``xls``, ``doc`` or ``encrypted``; InputError for a damaged or unknown compound file."""
    import olefile

    try:
        with olefile.OleFileIO(BytesIO(data)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    except Exception as error:  # olefile raises OSError and others on a damaged directory
        raise InputError(path, "is not a valid Office file (corrupt compound document)") from error
    if "encryptedpackage" in streams:
        return "encrypted"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "worddocument" in streams:
        return "doc"
    raise InputError(path, "is an Office compound file but neither an Excel workbook nor a Word document")


def refuse(kind: str, path: Path) -> InputError:
    """The one-line error for a compound file that is not read."""
    return InputError(str(path), ENCRYPTED if kind == "encrypted" else LEGACY_WORD)
