"""Turn the bytes of a text disclosure into text, whatever Chinese encoding it was saved in.

Bureau staff save drafts from Word or WPS as UTF-8 (with or without BOM), as "Unicode"
(UTF-16 LE, usually with BOM) or in the ANSI code page of a Chinese Windows (GBK, which
GB18030 decodes). The order of trust is: a byte-order mark, then BOM-less UTF-16 when there
are NUL bytes and the text reads as Chinese, then strict UTF-8 (which non-UTF-8 bytes
almost never pass), then charset-normalizer restricted to the CJK encodings. Binary content
(NUL bytes that are not UTF-16, or text that decodes to control characters) is refused so
that a stray PDF or image never reaches the structure stage as mojibake.
"""

from __future__ import annotations

import codecs
import re

from checker.errors import InputError

BINARY_MESSAGE = "looks like a binary file, not a text, Word or PDF document"
UNDECODABLE_MESSAGE = "cannot be decoded as UTF-8, GB18030 or UTF-16"
EMPTY_MESSAGE = "the file is empty"

#: Encodings charset-normalizer may choose among; GB18030 covers GB2312 and GBK.
CJK_ENCODINGS = ("gb18030", "big5", "utf_16_le", "utf_16_be")

#: Control characters that plain text legitimately contains (tab, line ends, Word's
#: vertical tab for manual line breaks, form feed for page breaks).
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c")
#: The other control characters (Unicode category Cc: U+0000–U+001F and U+007F–U+009F), found by one
#: regular expression rather than a category lookup per character.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

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
    for codec in _utf16_candidates(data):
        text = _try(data, codec)
        if text is not None and _plausible_chinese(text):
            return _checked(text, codec.replace("_", "-"), path)
    if b"\x00" in data:
        raise InputError(path, BINARY_MESSAGE)
    text = _try(data, "utf-8")
    if text is not None:
        return _checked(text, "utf-8", path)
    try:
        return _checked(*_guess(data, path), path)
    except InputError:
        # UTF-16 text without NULs has many bytes below 0x20, so the byte ratio is only a
        # way to word the failure, never a reason to skip a decoding attempt.
        if _control_ratio_bytes(data[:_SAMPLE]) > MAX_CONTROL_RATIO:
            raise InputError(path, BINARY_MESSAGE) from None
        raise


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


def _utf16_candidates(data: bytes) -> list[str]:
    """BOM-less UTF-16 codecs worth trying, likelier first: NULs in UTF-8/GB text mean UTF-16 or binary.

    ASCII digits, tabs and line breaks put a NUL in odd positions in UTF-16 LE and in even
    positions in BE; CJK characters such as 一 (U+4E00) add a few on the other parity, so
    the parity only orders the candidates and the decoded text must read as Chinese.
    """
    if len(data) < 2 or len(data) % 2 or b"\x00" not in data:
        return []
    sample = data[:_SAMPLE - _SAMPLE % 2]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    return ["utf_16_le", "utf_16_be"] if odd >= even else ["utf_16_be", "utf_16_le"]


def _guess(data: bytes, path: str) -> tuple[str, str]:
    """charset-normalizer's best CJK reading; GB18030 wins ties because it is the mainland default.

    Very short inputs can leave charset-normalizer without an answer; strict GB18030 or
    UTF-16 that reads as Chinese is then accepted.
    """
    from charset_normalizer import from_bytes  # only files that are not UTF-8 need it

    matches = sorted(from_bytes(data, cp_isolation=list(CJK_ENCODINGS)),
                     key=lambda m: (m.chaos, -m.coherence, m.encoding != "gb18030"))
    for match in matches:
        text = _try(data, match.encoding)
        if text is None:
            continue
        if match.encoding.startswith("utf_16") and not _plausible_chinese(text):
            continue
        return text, match.encoding.replace("_", "-")
    for codec in ("gb18030", "utf_16_le", "utf_16_be"):
        text = _try(data, codec)
        if text is not None and _plausible_chinese(text):
            return text, codec.replace("_", "-")
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
    if sample and len(_CONTROL_CHARACTERS.findall(sample)) / len(sample) > MAX_CONTROL_RATIO:
        raise InputError(path, BINARY_MESSAGE)
    return text, encoding
