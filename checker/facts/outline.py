"""Facts about the document's form: section numbering in order, and wording slips.

``章节`` records give each numbered heading its number and the number it should have (one
more than the previous sibling of the same style, or 1), so a rule can require Chinese
numbering order. ``文字.重复词`` and ``文字.残留标记`` record a phrase typed twice in a row
(本年本年, or one character at the end of a word: 印刷费费1.20万元) and markup left by a conversion
([bookmark: _GoBack]); the patterns are data. ``目录`` pairs each table-of-contents entry with the
body heading it names. ``报告.年度`` and ``年份`` give the report's fiscal year and every year its headings
and year-end dates name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from decimal import Decimal
from functools import lru_cache

from checker.facts.literals import skipping
from checker.facts.model import Fact
from checker.model import Document, Location, Paragraph, Section, Table
from checker.quantity import Quantity, to_halfwidth
from checker.structure import cn_to_int, contents_entry, match_heading, table_of_contents
from checker.vocabulary import Vocabulary


def _number(n: int, text: str) -> Quantity:
    return Quantity(Decimal(n), 0, "", text)


def outline_facts(document: Document) -> list[Fact]:
    out: list[Fact] = []
    for parent in document.root.walk():
        previous: dict[str, int] = {}
        for section in parent.children:
            out.extend(_section_facts(section, previous))
    return out + contents_facts(document) + year_facts(document)


# A fiscal year as the report names it (2024年度), a year-end date (截至2024年12月31日) and a year in a heading.
_FISCAL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度")
_YEAR_END = re.compile(r"截[至止]\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
_HEADING_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d)")
MIN_YEAR_STATEMENTS = 3


def fiscal_year(document: Document) -> tuple[str, Paragraph] | None:
    """The year the report is for: the one most of its "YYYY年度" name, when at least three do and more
    than half of them agree (a report also names last year, in its comparisons)."""
    counts: dict[str, int] = {}
    first: dict[str, Paragraph] = {}
    for block in document.blocks:
        # 年度 has no full-width form: a paragraph without it names no fiscal year, and is not made half-width
        if isinstance(block, Paragraph) and "年度" in block.text:
            for m in _FISCAL_YEAR.finditer(to_halfwidth(block.text)):
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
                first.setdefault(m.group(1), block)
    total = sum(counts.values())
    if total < MIN_YEAR_STATEMENTS:
        return None
    year, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return (year, first[year]) if 2 * n > total else None


def year_facts(document: Document) -> list[Fact]:
    """``报告.年度`` (when the report's year is clear) and a ``年份`` record for each year a heading names and
    each year-end date (截至…12月31日), which must be the report's year."""
    found = fiscal_year(document)
    out = [] if found is None else [Fact("报告.年度", found[0], found[1].location, found[1].text)]
    places: list[tuple[str, str, Location, str, int, int]] = []
    for section in document.sections():
        if section.heading is not None:
            text = section.heading.text
            places.extend(("标题", m.group(1), section.heading.location, text, *m.span(1))
                          for m in _HEADING_YEAR.finditer(to_halfwidth(text)))
    for block in document.blocks:
        if isinstance(block, Paragraph) and "截" in block.text:  # no 截至/截止 (never full-width), no year end
            places.extend(("年末日期", m.group(1), block.location, block.text, *m.span(1))
                          for m in _YEAR_END.finditer(to_halfwidth(block.text)))
    for where, value, loc, text, start, end in places:
        at = loc.narrow(start, end)
        key = (("位置", at.key()),)
        out.append(Fact("年份.年份", value, at, text, key))
        out.append(Fact("年份.所在", where, at, text, key))
    return out


def contents_facts(document: Document) -> list[Fact]:
    """``目录`` records: each entry of the table of contents with its title (``标题``) and the title of the
    body heading with the same numbering under the same parents (``正文标题``), when the body has one."""
    body: dict[tuple, Section] = {}
    for section in document.sections():
        body.setdefault(tuple((s.style, s.number) for s in section.path()), section)
    out: list[Fact] = []
    stack: list[tuple[int, tuple[str | None, str | None]]] = []  # (level, (style, number)) of the open entries
    for index in sorted(table_of_contents(document.blocks)):
        block = document.blocks[index]
        assert isinstance(block, Paragraph)
        entry = contents_entry(block.text)
        heading = match_heading(entry)
        if heading is None:
            continue  # the 目录 line itself
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        stack.append((heading.level, (heading.style, heading.number)))
        key = (("条目", entry),)
        out.append(Fact("目录.标题", heading.title, block.location, block.text, key))
        section = body.get(tuple(part for _level, part in stack))
        if section is not None and section.heading is not None:
            out.append(Fact("目录.正文标题", section.title, section.heading.location, section.heading.text, key))
    return out


def _section_facts(section: Section, previous: dict[str, int]) -> list[Fact]:
    number = cn_to_int(section.number or "")
    if number is None or section.heading is None or section.style is None:
        return []
    expected = previous.get(section.style, 0) + 1
    previous[section.style] = number
    key = (("章节", " / ".join(s.title for s in section.path())),)
    loc = section.heading.location
    text = section.heading.text
    return [Fact("章节.编号", _number(number, section.number or ""), loc, text, key),
            Fact("章节.应为", _number(expected, str(expected)), loc, text, key)]


def texts(document: Document):
    """Every paragraph's and table cell's text with its place, in document order."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield block.text, block.location
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield cell.text, cell.location


def texts_holding(document: Document, word: str) -> list[tuple[str, Location]]:
    """`texts` that hold ``word``: the texts that do not are passed over without a step of a generator each
    (a document has thousands of cells, most of them figures)."""
    out: list[tuple[str, Location]] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            if word in block.text:
                out.append((block.text, block.location))
        elif isinstance(block, Table):
            out.extend((c.text, c.location) for row in block.rows for c in row.cells if word in c.text)
    return out


# Two or more characters: a single doubled character is usually two words meeting (职工工资, 云泽市市场);
# `doubled_endings` takes the one case where it is not.
_DOUBLED = re.compile(r"(?=([\u4e00-\u9fff]{2,6})\1)")


def repeated_spans(text: str, allowed: AbstractSet[str]) -> list[tuple[int, int]]:
    """Spans where a word is typed twice in a row. Of overlapping candidates (津贴补贴补贴 has 贴补贴补 and
    补贴补贴) the one that starts last wins: a doubled word ends where the slip ends."""
    found = [(m.start(), m.start() + 2 * len(m.group(1))) for m in _DOUBLED.finditer(text)]
    if not found:
        return []  # most texts: no need to look for the allowed words
    correct = [(m.start(), m.start() + len(a)) for a in allowed for m in re.finditer(re.escape(a), text)]
    candidates = []
    for span in found:
        if not any(a <= span[0] and span[1] <= b for a, b in correct):
            candidates.append(span)
    chosen: list[tuple[int, int]] = []
    for span in candidates:
        if chosen and span[0] < chosen[-1][1]:
            chosen[-1] = span  # overlapping: keep the later one
        else:
            chosen.append(span)
    return chosen


def doubled_endings(text: str, allowed: AbstractSet[str]) -> list[tuple[int, int]]:
    """Spans where the last character of a word is typed twice before a figure, a punctuation mark or
    the end (印刷费费1.2万元, 增长率率，): a doubled character inside running text is usually two words
    meeting (职工工资, 收入入库), but one that ends the word is a slip unless it is a reduplication."""
    return [m.span() for m in _DOUBLED_ENDING.finditer(text) if m.group() not in allowed]


# A character typed twice at the end of a word: after a Chinese character, before anything else.
_DOUBLED_ENDING = re.compile(r"(?<=[\u4e00-\u9fff])([\u4e00-\u9fff])\1(?![\u4e00-\u9fff])")


def wording_facts(document: Document, vocabulary: Vocabulary) -> list[Fact]:
    settings = vocabulary.text
    find = _slip_finder(tuple(settings.get("markup_patterns", [])), tuple(settings.get("doubled_patterns", [])),
                        frozenset(settings.get("repeated_allowed", [])))
    out: list[Fact] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            found = find(block.text)
            if found:
                _slip_facts(block.text, block.location, found, out)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    found = find(cell.text)
                    if found:
                        _slip_facts(cell.text, cell.location, found, out)
    return out


#: A text's wording slips as (fact name, start, end, words): the name is None for a repeated word.
_Slips = tuple[tuple[str | None, int, int, str], ...]


@lru_cache(maxsize=8)
def _slip_finder(markup_patterns: tuple[str, ...], doubled_patterns: tuple[str, ...],
                 allowed: frozenset[str]) -> Callable[[str], _Slips]:
    """`_slips` for one vocabulary's settings, its patterns compiled once and its answers remembered per text
    (lru): tables repeat their texts (0.00, -, 万元…), and reports made from one template share most of them."""
    # each led by a lookahead for where its matches can start (`skipping`): most texts are searched in a skip
    named = [*(("文字.残留标记.内容", skipping(re.compile(p))) for p in markup_patterns),
             *(("文字.重复标点.内容", skipping(re.compile(p))) for p in doubled_patterns)]
    any_simple = _any_of_simple([pattern for _, pattern in named])
    # The patterns searched in a text `any_simple` finds nothing in: those it does not stand for.
    grouped = [(name, pattern) for name, pattern in named if any_simple is None or pattern.groups]

    @lru_cache(maxsize=8192)
    def find(text: str) -> _Slips:
        return _slips(text, allowed, named if any_simple is None or any_simple.search(text) else grouped)

    return find


def _slip_facts(text: str, loc: Location, found: _Slips, out: list[Fact]) -> None:
    """The facts of a text's slips, at their places."""
    for name, start, end, word in found:
        where = loc.narrow(start, end)
        key = (("位置", where.key()),)
        if name is None:
            out.append(Fact("文字.重复词.内容", word, where, text, key))
            out.append(Fact("文字.重复词.次数", _number(2, "2"), where, text, key))
        else:
            out.append(Fact(name, word, where, text, key))


def _any_of_simple(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One pattern matching wherever any of the patterns without groups does (a text it finds nothing in holds
    none of theirs), or None when there are too few to gain by it or they cannot be joined. Patterns with
    groups are left out: joined, their backreferences would name other groups."""
    simple = [p.pattern for p in patterns if p.groups == 0]
    if len(simple) < 2:
        return None
    try:
        return skipping(re.compile("|".join(f"(?:{p})" for p in simple)))
    except re.error:  # a global flag (?i) inside a pattern: searched one by one
        return None


# Three Chinese characters in a row: the least a doubled word (two of two) or a doubled ending needs.
_CHINESE_RUN = re.compile(r"[\u4e00-\u9fff]{3}")
# One to six Chinese characters typed twice in a row: what both a doubled word and a doubled ending are. One
# search for it rules both out for nearly every text, at about half the cost of looking for each.
_ANY_DOUBLED = re.compile(r"([\u4e00-\u9fff]{1,6})\1")


def _slips(text: str, allowed: frozenset[str], patterns: list[tuple[str, re.Pattern[str]]]) -> _Slips:
    """The wording slips of one text in the order their facts are made, as (fact name, start, end, words);
    the name is None for a repeated word, which makes two facts. ``patterns`` are the vocabulary's markup and
    doubled-punctuation patterns with their fact names, in order, less those `_any_of_simple` rules out for
    this text (most texts hold none of them)."""
    found: list[tuple[str | None, int, int, str]] = []
    if _CHINESE_RUN.search(text) and _ANY_DOUBLED.search(text):
        found.extend((None, start, end, text[start:end])
                     for start, end in sorted({*repeated_spans(text, allowed), *doubled_endings(text, allowed)}))
    for name, pattern in patterns:
        found.extend((name, m.start(), m.end(), m.group()) for m in pattern.finditer(text))
    return tuple(found)
