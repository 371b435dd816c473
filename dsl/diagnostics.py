"""Positioned error messages for rule authors.

A diagnostic names the file, line and column, quotes the source line with a caret under the
column, says what was expected and, when we can guess, what the author probably meant.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    message: str
    source_line: str = ""
    expected: str | None = None
    suggestion: str | None = None
    code: str = "error"
    severity: str = "error"

    def render(self) -> str:
        """``file:line:col: error: message``, the source line with a caret, then expected/help lines."""
        out = [f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"]
        if self.source_line:
            gutter = f"{self.line:>4} | "
            out.append(gutter + self.source_line)
            # Wide (CJK) characters take two columns in a terminal; pad the caret to match.
            prefix = self.source_line[: max(self.column - 1, 0)]
            pad = sum(2 if _is_wide(ch) else 1 for ch in prefix)
            out.append(" " * (len(gutter) - 2) + "| " + " " * pad + "^")
        if self.expected:
            out.append(f"  expected: {self.expected}")
        if self.suggestion:
            out.append(f"  help: {self.suggestion}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


class CompileError(Exception):
    """Raised when a rule file cannot be compiled; ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.file, d.line, d.column, d.message))
        super().__init__(self.render())

    def render(self) -> str:
        return "\n\n".join(d.render() for d in self.diagnostics)


def source_line(text: str, line: int) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str | None:
    """A "did you mean …?" hint from the closest candidates, or None."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=n, cutoff=0.5)
    if not matches:
        return None
    return "did you mean " + " or ".join(f"`{m}`" for m in matches) + "?"


def make(text: str, file: str, line: int, column: int, message: str, *, expected: str | None = None,
         suggestion: str | None = None, code: str = "error") -> Diagnostic:
    """A diagnostic at ``line:column`` of ``text`` with its source line filled in."""
    return Diagnostic(file, line, column, message, source_line(text, line), expected, suggestion, code)
