"""Glossary facts: each term of the 名词解释 part and its definition.

Entries come as ``一、术语：指……`` paragraphs, as a heading followed by its definition, or as
two-column table rows; all three give a ``名词解释.定义`` fact keyed by ``术语``.
"""

from __future__ import annotations

import re

from checker.facts.model import Fact
from checker.facts.narrative import NarrativeExtractor
from checker.model import Document, Paragraph, Section, Table
from checker.structure import LIST_NUMBER, match_heading
from checker.tables import filled
from checker.vocabulary import Vocabulary

_SEPARATOR = re.compile(r"[:：]|(?:是指|系指)")
_QUOTES = "“”\"'‘’《》"


def clean_term(term: str) -> str:
    return term.strip().strip(_QUOTES).strip().replace("“", "").replace("”", "")


def _paragraph_entry(paragraph: Paragraph) -> Fact | None:
    text = paragraph.text
    number = LIST_NUMBER.match(text)
    body_start = number.end() if number else 0
    sep = _SEPARATOR.search(text, body_start)
    if sep is None or sep.start() - body_start > 30 or sep.start() == body_start:
        return None
    term = clean_term(text[body_start:sep.start()])
    definition = text[sep.end():].strip()
    if not term or not definition:
        return None
    loc = paragraph.location.narrow(body_start, sep.start())
    return Fact("名词解释.定义", definition, loc, text, (("术语", term),))


def _sections_in(document: Document, vocabulary: Vocabulary) -> list[Section]:
    topics = set(vocabulary.glossary_topics)
    extractor = NarrativeExtractor(vocabulary)
    return [s for s in document.sections() if set(extractor.topics_of(s)) & topics
            and not (s.parent and set(extractor.topics_of(s.parent)) & topics)]


def extract_glossary(document: Document, vocabulary: Vocabulary) -> list[Fact]:
    facts: list[Fact] = []
    for section in _sections_in(document, vocabulary):
        for node in section.walk():
            if node is not section and node.heading is not None:
                heading = match_heading(node.heading.text)
                definition = " ".join(b.text for b in node.blocks if isinstance(b, Paragraph)).strip()
                if heading and definition:
                    loc = node.heading.location
                    facts.append(Fact("名词解释.定义", definition, loc, node.heading.text,
                                      (("术语", clean_term(heading.title)),)))
            for block in node.blocks:
                if isinstance(block, Paragraph):
                    fact = _paragraph_entry(block)
                    if fact is not None:
                        facts.append(fact)
                elif isinstance(block, Table):
                    for row in block.rows:
                        cells = filled(row)
                        if len(cells) >= 2 and len(cells[-2].text) <= 30 and len(cells[-1].text) > len(cells[-2].text):
                            facts.append(Fact("名词解释.定义", cells[-1].text, cells[-2].location, cells[-1].text,
                                              (("术语", clean_term(cells[-2].text)),)))
    return facts
