"""What is under the cursor in a rule file's text: the name or rule id, whether it is inside a text or a
comment, and the loop variables in scope — read from the text itself, so that it works while the line is
being typed and does not parse.

Positions here are 0-based lines and characters of the Python string; the server converts them to the
client's units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.lsp.chunks import pieces

SEGMENT = r"[A-Za-z0-9_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff“”‘’《》〈〉（）、·—]+"
#: A dotted name, ``三公经费.合计``, with backtick-quoted segments (``其他.`odd name```).
NAME = re.compile(rf"(?:{SEGMENT}|`[^`\n]+`)(?:\.(?:{SEGMENT}|`[^`\n]+`|\"[^\"\n]*\"))*")
#: A dotted name ending at the cursor, perhaps with a last segment still empty (``三公经费.``).
NAME_BEFORE = re.compile(rf"(?:(?:{SEGMENT}|`[^`\n]+`)\.)*(?:{SEGMENT})?$")
RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+")
#: ``for each 项 in 一般公共预算.项``, in every spelling, in a rule or an aggregation.
LOOP = re.compile(rf"(?:\bfor(?:\s+each)?|对每个|对于)\s+({SEGMENT})\s+(?:in|属于)\s+({NAME.pattern})")
SEVERITY_KEYWORD = re.compile(r"(?:^|\s)(?:severity|级别)\s+\S*$")


@dataclass(frozen=True)
class Span:
    """A piece of one line: ``line`` and the characters ``start`` up to ``end``."""

    line: int
    start: int
    end: int
    text: str


def lines(text: str) -> list[str]:
    return text.split("\n")


def strip_quotes(segment: str) -> str:
    if len(segment) >= 2 and segment[0] == segment[-1] and segment[0] in "`\"":
        return segment[1:-1]
    return segment


def split_name(name: str) -> list[str]:
    """``其他.`a.b`.c`` → ``["其他", "a.b", "c"]``: dots inside quotes do not split."""
    parts = re.findall(r'`[^`]*`|"[^"]*"|[^.]+', name)
    return [strip_quotes(p) for p in parts]


def in_head(span: Span, character: int) -> bool:
    """Whether ``character`` lies on the first segment of the dotted name ``span``."""
    first = split_name(span.text)[0]
    quoted = span.text.startswith("`")
    return character <= span.start + len(first) + (2 if quoted else 0)


def code_part(line: str) -> tuple[str, bool, bool]:
    """The line up to its end or comment, and whether it ends inside a text ("…) or a comment (#…)."""
    in_string = False
    i = 0
    while i < len(line):
        ch = line[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "#":
            return line[:i], False, True
        i += 1
    return line, in_string, False


def name_at(text: str, line: int, char: int) -> Span | None:
    """The dotted name that the cursor touches (outside texts and comments)."""
    return _match_at(NAME, text, line, char)


def rule_id_at(text: str, line: int, char: int) -> Span | None:
    """A rule id (``TOT-006``) that the cursor touches, anywhere on the line (comments and texts too)."""
    source = lines(text)[line] if line < len(lines(text)) else ""
    for m in RULE_ID.finditer(source):
        if m.start() <= char <= m.end():
            return Span(line, m.start(), m.end(), m.group(0))
    return None


def string_at(text: str, line: int, char: int) -> Span | None:
    """The quoted text ("…") the cursor is inside, without its quotes."""
    source = lines(text)[line] if line < len(lines(text)) else ""
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', source):
        if m.start() < char < m.end():
            return Span(line, m.start(1), m.end(1), m.group(1))
    return None


def _match_at(pattern: re.Pattern[str], text: str, line: int, char: int) -> Span | None:
    all_lines = lines(text)
    if line >= len(all_lines):
        return None
    source = all_lines[line]
    code, _, _ = code_part(source)
    for m in pattern.finditer(code):
        if m.start() <= char <= m.end() and not _inside_string(code, m.start()):
            return Span(line, m.start(), m.end(), m.group(0))
    return None


def _inside_string(code: str, index: int) -> bool:
    return code_part(code[:index])[1]


def enclosing_item(text: str, line: int) -> tuple[int, str]:
    """The item (rule, let, import) holding ``line``: its first line and its text."""
    found = (0, "")
    for piece in pieces(text):
        if piece.start > line:
            break
        found = (piece.start, piece.text)
    return found


def loop_variables(text: str, line: int) -> dict[str, tuple[str, int, int]]:
    """The loop variables of the item holding ``line``: name → (collection, line, character of the name)."""
    start, item = enclosing_item(text, line)
    out: dict[str, tuple[str, int, int]] = {}
    for offset, source in enumerate(lines(item)):
        code, _, _ = code_part(source)
        for m in LOOP.finditer(code):
            out.setdefault(m.group(1), (".".join(split_name(m.group(2))), start + offset, m.start(1)))
    return out
