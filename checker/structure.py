"""Nest a reader's flat blocks into sections by their Chinese heading numbering, and split sentences.

Headings are recognised by numbering style alone (第一部分, 一、, （一）, 1., (1)), never by
their titles, so a region's own section names still nest correctly. A numbered paragraph is
a heading only when it reads like one: short and not a finished sentence with figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from checker.model import Block, Document, Location, Paragraph, Section
from checker.quantity import to_halfwidth

_CN_DIGITS = "零〇一二三四五六七八九十百"
# (style name, level, pattern). Patterns run on the half-width form of the text.
HEADING_STYLES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("part", 1, re.compile(rf"^第(?P<n>[{_CN_DIGITS}]+)部分[\s:：、.]*")),
    ("cn", 2, re.compile(rf"^(?P<n>[{_CN_DIGITS}]+)\s*[、.]\s*")),
    ("cn-paren", 3, re.compile(rf"^\(\s*(?P<n>[{_CN_DIGITS}]+)\s*\)\s*")),
    ("arabic", 4, re.compile(r"^(?P<n>\d{1,2})\s*[.、](?!\d)\s*")),
    ("arabic-paren", 5, re.compile(r"^\(\s*(?P<n>\d{1,2})\s*\)\s*")),
)
_LEVELS = {style: level for style, level, _pattern in HEADING_STYLES}
# Any list numbering at the start of a paragraph (一、 （二） 3. （4） 5、), for stripping it off.
_CN = "一二三四五六七八九十百"
LIST_NUMBER = re.compile(rf"^\s*(?:[{_CN}]+\s*[、.．]|[(（]\s*[{_CN}\d]+\s*[)）]|\d+\s*[、.．](?!\d))\s*")
# A line that starts a numbered item or part, whatever its text (readers use it to end a paragraph).
NUMBERED_START = re.compile(rf"^\s*第[{_CN_DIGITS}]+部分|{LIST_NUMBER.pattern}")
MAX_HEADING_LENGTH = 40
_SENTENCE_END = re.compile(r"[。！？!?]")
_HAS_FIGURE = re.compile(r"\d")
_YEAR = re.compile(r"\d{4}\s*年度?")


@dataclass(frozen=True)
class Heading:
    style: str
    level: int
    number: str
    title: str


def cn_to_int(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 12 → 12; None for anything else."""
    if numeral.isdigit():
        return int(numeral)
    values = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    total, current = 0, 0
    for ch in numeral:
        if ch in values:
            current = values[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


# What a heading's number can begin with (half-width): most paragraphs begin otherwise and are not worked on.
_HEADING_START = re.compile(rf"[第{_CN_DIGITS}(\d]")


@lru_cache(maxsize=2048)
def match_heading(text: str) -> Heading | None:
    """The heading this paragraph is, or None for body text. Remembered per text: a document with a 目录 asks
    for each paragraph twice."""
    stripped = text.strip()
    if not _HEADING_START.match(to_halfwidth(stripped[:1])):
        return None
    normal = to_halfwidth(stripped)
    for style, level, pattern in HEADING_STYLES:
        m = pattern.match(normal)
        if not m:
            continue
        title = normal[m.end():].strip()
        if style != "part" and not _looks_like_title(title):
            return None
        return Heading(style, level, m.group("n"), stripped[m.end():].strip())
    return None


def _looks_like_title(title: str) -> bool:
    if not title or len(title) > MAX_HEADING_LENGTH:
        return False
    if title.endswith(("。", ".")):
        return False
    body = title.rstrip("：:")
    if _SENTENCE_END.search(body) or "：" in body or ":" in body:
        return False
    if "，" in body or "；" in body:
        return False
    # A numbered line carrying a figure is a list item (1.一般公共服务支出(类)5,166.70万元), not a heading.
    return not _HAS_FIGURE.search(_YEAR.sub("", body))


_TOC_TITLE = re.compile(r"^目\s*录$")
_TOC_PAGE = re.compile(r"[.·…\s]*\d+$")


def contents_entry(text: str) -> str:
    """A 目录 line without its page number and leader dots."""
    return _TOC_PAGE.sub("", text).strip()


def _normal_title(text: str) -> str:
    return "".join(contents_entry(text).split())


def table_of_contents(blocks: list[Block]) -> set[int]:
    """Indices of the blocks of a 目录: the headings after a 目录 line until the first of them recurs."""
    skip: set[int] = set()
    for start, block in enumerate(blocks):
        if not (isinstance(block, Paragraph) and _TOC_TITLE.match(block.text.strip())):
            continue
        skip.add(start)
        seen: set[str] = set()
        for index in range(start + 1, len(blocks)):
            candidate = blocks[index]
            if not isinstance(candidate, Paragraph):
                break
            title = _normal_title(candidate.text)
            if title in seen or match_heading(contents_entry(candidate.text)) is None:
                break
            seen.add(title)
            skip.add(index)
        break
    return skip


def unnumbered_headings(blocks: list[Block], toc: set[int]) -> dict[str, Heading]:
    """Headings the 目录 numbers but the body prints without their number (the official template's
    "第二部分 …部门决算表" is titled "…部门决算表" above the tables), by their title: those whose numbered
    form the body lacks."""
    listed: dict[str, Heading] = {}
    numbered_in_body: set[str] = set()
    for index, block in enumerate(blocks):
        if not isinstance(block, Paragraph):
            continue
        heading = match_heading(contents_entry(block.text) if index in toc else block.text)
        if heading is None:
            continue
        if index in toc:
            listed.setdefault(_normal_title(heading.title), heading)
        else:
            numbered_in_body.add(_normal_title(heading.title))
    return {title: heading for title, heading in listed.items() if title and title not in numbered_in_body}


def _listed_heading(text: str, unnumbered: dict[str, Heading], last: dict[str, int]) -> Heading | None:
    """The 目录 heading this unnumbered paragraph is: its title exactly, or nearly (the body may word
    the title a little differently) where that heading's number comes next in its style."""
    if not unnumbered:
        return None
    title = _normal_title(text)
    if not title or len(title) > MAX_HEADING_LENGTH:
        return None
    for listed, heading in unnumbered.items():
        if cn_to_int(heading.number) == last.get(heading.style, 0) + 1 and (
                listed == title or (len(title) >= 6 and SequenceMatcher(None, listed, title).ratio() >= 0.85)):
            del unnumbered[listed]
            return replace(heading, title=text.strip())  # the number from the 目录, the title as printed
    return None


def build_sections(blocks: list[Block]) -> Section:
    """The section tree: each heading opens a section nested under the last one of lower level.

    A table of contents (目录) is kept as body text of the section it sits in, not as headings; a heading
    it lists that the body prints without its number is recognised by its title (`unnumbered_headings`).
    """
    root = Section(title="", number=None, style=None, level=0, heading=None)
    current = root
    toc = table_of_contents(blocks)
    unnumbered = unnumbered_headings(blocks, toc) if toc else {}
    last: dict[str, int] = {}  # the last number of each style met so far
    for index, block in enumerate(blocks):
        heading = None
        if isinstance(block, Paragraph) and index not in toc:
            heading = match_heading(block.text) or _listed_heading(block.text, unnumbered, last)
        if heading is None:
            current.blocks.append(block)
            continue
        # numbering restarts under each heading: forget the numbers of the styles below this one
        last = {style: n for style, n in last.items() if _LEVELS[style] <= heading.level}
        last[heading.style] = cn_to_int(heading.number) or 0
        parent = current
        while parent.level >= heading.level:
            assert parent.parent is not None
            parent = parent.parent
        section = Section(title=heading.title, number=heading.number, style=heading.style,
                          level=heading.level, heading=block, parent=parent)
        parent.children.append(section)
        current = section
    return root


def build_document(path: str, fmt: str, blocks: list[Block], encoding: str | None = None,
                   files: tuple[str, ...] = ()) -> Document:
    return Document(path=path, format=fmt, blocks=blocks, root=build_sections(blocks), encoding=encoding,
                    files=files)


@dataclass(slots=True, unsafe_hash=True)
class Sentence:
    """A sentence of a paragraph with its location narrowed to its characters. Never changed once made; not
    frozen only to be cheap to build (one per sentence read), like `Location`."""

    text: str
    location: Location
    start: int


_SENTENCE_END = re.compile(r"[。！？!?]+")


def split_sentences(paragraph: Paragraph) -> list[Sentence]:
    """Split at 。！？ (and ；when it ends a clause list), keeping offsets into the paragraph."""
    text = paragraph.text
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        _append(out, paragraph, start, end)
        start = end
    _append(out, paragraph, start, len(text))
    return out


def _append(out: list[Sentence], paragraph: Paragraph, start: int, end: int) -> None:
    piece = paragraph.text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = start + lead
    out.append(Sentence(stripped, paragraph.location.narrow(s, s + len(stripped)), s))


def section_of(document: Document) -> dict[int, Section]:
    """Map id(block) → the section holding it, for lookups from a block."""
    return {id(b): s for s in document.root.walk() for b in s.blocks}
