"""Making the suggested changes in a text disclosure: each figure's characters replaced by its new text,
the rest of the file — encoding, byte-order mark, line ends — left exactly as it was.

Only suggestions that stand as they are change anything: one candidate (never a choice among equally
likely ones) whose every value is singled out. A figure whose characters are not where the suggestion
says (the file changed since it was checked) is left alone.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass

from checker.readers.decode import decode_bytes
from checker.suggest.model import Change, Suggestion

_LINE_END = re.compile(r"(\r\n|\r|\n)")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Applied:
    """One change made (or not: ``reason`` says why)."""

    change: Change
    suggestion: Suggestion
    reason: str = ""

    @property
    def made(self) -> bool:
        return not self.reason


def applicable(suggestions: Iterable[Suggestion]) -> tuple[list[tuple[Change, Suggestion]], list[Suggestion]]:
    """The changes to make (each figure once), and the suggestions that are left as they are."""
    changes: dict[tuple, tuple[Change, Suggestion]] = {}
    skipped: list[Suggestion] = []
    for suggestion in suggestions:
        if not suggestion.applicable:
            skipped.append(suggestion)
            continue
        for change in suggestion.candidates[0].changes:
            changes.setdefault((change.location.line, change.location.column), (change, suggestion))
    return list(changes.values()), skipped


def apply_to_text(data: bytes, path: str, suggestions: Iterable[Suggestion]) -> tuple[bytes, list[Applied],
                                                                                        list[Suggestion]]:
    """The file's bytes with the suggested changes made; what was changed (or why not); the suggestions
    left as they are (several candidates, or values not singled out)."""
    text, encoding = decode_bytes(data, path)
    parts = _LINE_END.split(text)  # line, end, line, end, …, line
    lines, ends = parts[0::2], parts[1::2]
    todo, skipped = applicable(suggestions)
    done: list[Applied] = []
    # right to left within a line, so earlier columns stay where they are
    for change, suggestion in sorted(todo, key=lambda c: (c[0].location.line or 0, -(c[0].location.column or 0))):
        done.append(_replace(lines, change, suggestion))
    done.sort(key=lambda a: (a.change.location.line or 0, a.change.location.column or 0))
    body = "".join(line + (ends[i] if i < len(ends) else "") for i, line in enumerate(lines))
    return _encode(body, encoding, data), done, skipped


def _replace(lines: list[str], change: Change, suggestion: Suggestion) -> Applied:
    loc = change.location
    if loc.line is None or loc.column is None or loc.end_column is None or not 1 <= loc.line <= len(lines):
        return Applied(change, suggestion, "the figure has no line and columns")
    line = lines[loc.line - 1]
    start, end = loc.column - 1, loc.end_column - 1
    if line[start:end] != change.display:
        return Applied(change, suggestion, f"line {loc.line} no longer reads {change.display} there")
    lines[loc.line - 1] = line[:start] + change.replacement + line[end:]
    return Applied(change, suggestion)


def _encode(text: str, encoding: str, original: bytes) -> bytes:
    """``text`` in the encoding the file was read with, with the byte-order mark it had."""
    bom = next((b for b in _BOMS if original.startswith(b)), b"")
    codec = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    return bom + text.encode(codec)
