"""Turn the bytes of a text disclosure into text, whatever Chinese encoding it was saved in.

Bureau staff save drafts from Word or WPS as UTF-8 (with or without BOM), as "Unicode"
(UTF-16 LE, usually with BOM) or in the ANSI code page of a Chinese Windows (GBK, which
GB18030 decodes). The order of trust is: a byte-order mark, then strict UTF-8 (which random
non-UTF-8 bytes almost never pass), then the NUL pattern of BOM-less UTF-16, then
charset-normalizer restricted to the CJK encodings. Binary files are refused before any
guess so that a stray PDF or image never reaches the structure stage as mojibake.
"""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from checker.errors import InputError

BINARY_MESSAGE = "looks like a binary file, not a text or Word document"
UNDECODABLE_MESSAGE = "cannot be decoded as UTF-8, GB18030 or UTF-16"
EMPTY_MESSAGE = "the file is empty"

#: Encodings charset-normalizer may choose among; GB18030 covers GB2312 and GBK.
CJK_ENCODINGS = ("gb18030", "big5", "utf_16_le", "utf_16_be")

#: Control characters that plain text legitimately contains (tab, line ends, Word's
#: vertical tab for manual line breaks, form feed for page breaks).
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c")

#: Above this share of control characters (bytes or decoded characters) the input is binary.
MAX_CONTROL_RATIO = 0.05

#: How many leading bytes the binary heuristics look at; enough to see a header and a body.
_SAMPLE = 64 * 1024

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding it was read with.

    Raises InputError naming ``path`` for empty, binary and undecodable input.
    """
    if not data:
        raise InputError(path, EMPTY_MESSAGE)
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, codec, path), name, path)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text = _try(data, utf16)
        if text is not None:
            return _checked(text, utf16.replace("_", "-"), path)
    if b"\x00" in data or _control_ratio_bytes(data[:_SAMPLE]) > MAX_CONTROL_RATIO:
        raise InputError(path, BINARY_MESSAGE)
    text = _try(data, "utf-8")
    if text is not None:
        return _checked(text, "utf-8", path)
    return _checked(*_guess(data, path), path)


def _strict(data: bytes, codec: str, path: str) -> str:
    """Decode with a codec the BOM has vouched for; a failure means the file is damaged."""
    text = _try(data, codec)
    if text is None:
        raise InputError(path, UNDECODABLE_MESSAGE)
    return text


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf_16_le``/``utf_16_be`` when NUL bytes sit on one parity, as ASCII digits and line ends do in UTF-16.

    A disclosure is full of digits, tabs and line breaks, so its UTF-16 form has a NUL in
    most odd (LE) or even (BE) positions and almost none on the other parity.
    """
    if len(data) < 2 or len(data) % 2:
        return None
    sample = data[:_SAMPLE - _SAMPLE % 2]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd >= pairs * 0.2 and even <= odd * 0.05:
        return "utf_16_le"
    if even >= pairs * 0.2 and odd <= even * 0.05:
        return "utf_16_be"
    return None


def _guess(data: bytes, path: str) -> tuple[str, str]:
    """charset-normalizer's best CJK reading; GB18030 wins ties because it is the mainland default."""
    matches = sorted(from_bytes(data, cp_isolation=list(CJK_ENCODINGS)),
                     key=lambda m: (m.chaos, -m.coherence, m.encoding != "gb18030"))
    for match in matches:
        text = _try(data, match.encoding)
        if text is None:
            continue
        if match.encoding.startswith("utf_16") and not _plausible_chinese(text):
            continue
        return text, match.encoding.replace("_", "-")
    raise InputError(path, UNDECODABLE_MESSAGE)


def _plausible_chinese(text: str) -> bool:
    """Whether BOM-less UTF-16 without NULs reads as Chinese prose; almost any even-length bytes decode as UTF-16."""
    sample = text[:_SAMPLE]
    ordinary = sum(1 for ch in sample if ch.isspace() or " " <= ch <= "~" or "\u4e00" <= ch <= "\u9fff"
                   or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or ch in "“”‘’…—")
    return bool(sample) and ordinary / len(sample) >= 0.9


def _control_ratio_bytes(data: bytes) -> float:
    if not data:
        return 0.0
    controls = sum(1 for b in data if (b < 0x20 and chr(b) not in _ALLOWED_CONTROLS) or b == 0x7F)
    return controls / len(data)


def _checked(text: str, encoding: str, path: str) -> tuple[str, str]:
    """Refuse decoded text that is mostly control characters (binary that happened to decode)."""
    sample = text[:_SAMPLE]
    if "\x00" in sample:
        raise InputError(path, BINARY_MESSAGE)
    if sample:
        controls = sum(1 for ch in sample if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc")
        if controls / len(sample) > MAX_CONTROL_RATIO:
            raise InputError(path, BINARY_MESSAGE)
    return text, encoding
