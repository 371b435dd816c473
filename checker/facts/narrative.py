"""Facts from the narrative: each figure in a sentence named by the label before it and the section it is in.

For every figure the text between it and the previous figure (the *gap*) is read: the
vocabulary label that ends closest to the figure names the concept (else the paragraph's
current subject carries over), and aspect words after that label (占, 增加, 预算数…) say
whether the figure is the concept's value, share, change, budget figure and so on. Meaning is
decided inside the figure's clause: a comparison base (比年初预算 / 较上年) says what a change is
measured against and holds until another base is named in the sentence; after 其中 a figure is a
part, never the whole again; words comparing the actual with the budget (决算数小于预算数) are
statements the rules check. The wording lives in the vocabulary; this module only knows that
Chinese sentences put the label before its figure. A table in the narrative whose rows name records is read row by
row as the sentence it stands for (`NarrativeExtractor.table_facts`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from checker.facts.literals import required_chars, skipping
from checker.facts.model import Dims, Fact
from checker.model import Cell, Document, Location, Paragraph, Section, Table
from checker.quantity import (
    DIRECTION_WORDS,
    FIGURE_NOT_YEAR,
    Direction,
    Quantity,
    cjk_parens,
    find_directions,
    find_quantities,
    to_halfwidth,
)
from checker.structure import LIST_NUMBER, Sentence, split_sentences
from checker.tables import split_caption
from checker.vocabulary import Aspect, Base, Concept, Vocabulary

_QUOTES = re.compile(r"[“”‘’\"'《》「」〈〉\s]")
_CLAUSE_BREAK = re.compile(r"[，,；;：:、。]")
# Everything up to the last clause break: one match (the engine backs off from the end) rather than a walk over
# every break of the text.
_TO_LAST_BREAK = re.compile(r".*[，,；;：:、。]", re.DOTALL)
# A table's money unit, in its caption (单位：万元) or a column heading (决算数（万元）).
_UNIT_STATED = re.compile(r"(?:单位\s*[:：]\s*|[（(]\s*)(万元|亿元|元)\s*[)）]?")
_HAS_UNIT = re.compile(r"(?:万元|亿元|元|%|％)\s*$")
# A column heading that ends with its unit: 完成年初预算%, 占比（%）.
_PERCENT_HEADING = re.compile(r"\s*[（(]?\s*[%％]\s*[)）]?\s*$")
MAX_UNIT_LINE = 20  # a 单位：万元 line, not a sentence that happens to say 万元
UNCLASSIFIED = "未归类.数值"
BUDGET_ASPECTS = frozenset({"预算数", "决算数", "差异率", "完成率", "预算差额"})
BUDGET_FIELDS = BUDGET_ASPECTS | {"差异原因", "预算方向", "预算未超"}
# The figures a 原因 explains: changes from last year and differences from the budget.
REASONED_ASPECTS = BUDGET_ASPECTS | {"增减额", "增减率"}


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """The form labels are matched in: half-width, without quotes or spaces. Remembered per distinct text:
    a sentence's gaps, clauses and headings are asked for by several steps."""
    return _QUOTES.sub("", to_halfwidth(text))


def quantity_kind(q: Quantity) -> str:
    if q.is_money:
        return "money"
    if q.is_percent:
        return "percent"
    return "count" if q.unit else "number"


def compatible(kind: str, q: Quantity, units: tuple[str, ...] = ()) -> bool:
    """Whether figure ``q`` can be a value of that kind (and one of ``units`` when given)."""
    qkind = quantity_kind(q)
    if kind == "count" and qkind == "count":
        return not units or q.unit in units or q.unit.replace("（", "(").replace("）", ")") in units
    return kind == qkind or (kind == "number" and qkind in ("number", "count"))


@dataclass(slots=True, unsafe_hash=True)
class Subject:
    """What the sentence is currently talking about. Never changed once made; not frozen only to be cheap to
    build (one per figure named)."""

    concept: Concept
    name: str  # concept name with {topic} filled (the collection name for records)
    dims: Dims
    label: str  # the label text as found, to re-resolve for other units (11批次，175人次)
    sentence: int = -1  # column of the sentence it was named in


def _same_sentence(subject: Subject, sentence: Sentence) -> bool:
    return subject.sentence == sentence.start


@dataclass(slots=True, unsafe_hash=True)
class _LabelHit:
    """A label found in a region. Never changed once made (shared by every lookup of the region); not frozen
    only to be cheap to build."""

    concept: Concept
    topic: str | None
    dims: Dims
    start: int
    end: int
    label: str


#: A concept with the topic it takes under some topics and what is searched for it (`_searched`).
_Named = tuple[Concept, str | None, tuple[str, ...]]
MEMO_LIMIT = 20_000  # entries a lookup table of `_Memo` keeps before it starts afresh


@dataclass(slots=True)
class _Memo:
    """The answers of the narrative's pure lookups for one vocabulary's concepts, aspects and bases (`_memo_of`),
    kept from document to document; a table grown past `MEMO_LIMIT` entries is emptied before a document."""

    labels_by_topics: dict[tuple[str, ...], list[_Named]] = field(default_factory=dict)
    records_by_topics: dict[tuple[str, ...], list[_Named]] = field(default_factory=dict)
    hits: dict[tuple[str, tuple[str, ...]], list[_LabelHit]] = field(default_factory=dict)
    records_named: dict[tuple[str, tuple[str, ...]], _LabelHit | None] = field(default_factory=dict)
    aspect_at: dict[tuple[str, str], tuple[Aspect | None, int]] = field(default_factory=dict)
    base_at: dict[str, Base | None] = field(default_factory=dict)

    def fresh(self) -> _Memo:
        for table in (self.hits, self.records_named, self.aspect_at, self.base_at):
            if len(table) > MEMO_LIMIT:
                table.clear()
        return self


@lru_cache(maxsize=4)
def _memo_of(vocabulary: tuple[tuple[Concept, ...], tuple[Aspect, ...], tuple[Base, ...]]) -> _Memo:
    """The lookups' answers for a vocabulary's concepts, aspects and bases, by their value (a vocabulary can still
    be merged into: its lists, not the vocabulary, say what the answers depend on)."""
    return _Memo()


#: A topic's name, the heading words naming it and the words that rule it out (as matched: `norm`).
_TopicWords = tuple[str, tuple[str, ...], tuple[str, ...]]


class NarrativeExtractor:
    """Reads every paragraph of a document's sections with the vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocab = vocabulary
        # Each concept with what is searched for it — its label words, or for a record the characters every match
        # of its pattern holds (a region lacking one is not searched with the pattern) — and the topics it is
        # named under (none: any).
        self._labels = [(c, _searched(c), frozenset(c.topics)) for c in vocabulary.concepts]
        # Pure lookups asked again and again with the same words (a gap is read by several steps; 其中, 增长,
        # 占 recur in every paragraph, a template's phrases in every report made from it): answered once for
        # the vocabulary's concepts, aspects and bases, and remembered for the documents read with them.
        memo = _memo_of((tuple(vocabulary.concepts), tuple(vocabulary.aspects), tuple(vocabulary.bases))).fresh()
        self._labels_by_topics = memo.labels_by_topics
        self._records_by_topics = memo.records_by_topics
        self._hits = memo.hits
        self._records_named = memo.records_named
        self._aspect_at = memo.aspect_at
        self._base_at = memo.base_at
        self._markers = tuple(norm(m) for m in vocabulary.reason_markers)
        # The first marker in the text; of markers starting together, the first listed (as a regex alternation
        # picks them).
        self._reason_marker = re.compile("|".join(map(re.escape, vocabulary.reason_markers))) \
            if vocabulary.reason_markers else None
        self._statement_topics = [(st, set(st.topics)) for st in vocabulary.statements]
        self._aspects = [(a, tuple(norm(w) for w in a.words)) for a in vocabulary.aspects]
        base_of = {norm(w): b for b in reversed(vocabulary.bases) for w in b.words}  # the first base's word wins
        self._base_of = base_of
        # Longest first: of two words ending together the longer is the one written (上年决算数为 over 上年).
        # In a lookahead, so that one scan finds the longest word starting at each place, overlaps included;
        # after a class of the words' first characters, which lets the engine skip to where one may start.
        self._base_words = re.compile(_first_characters(base_of) + "(?=(" + "|".join(
            re.escape(w) for w in sorted(base_of, key=len, reverse=True)) + "))") if base_of else None
        # A part marker (其中) in a gap: one search for any of them
        self._parts = re.compile("|".join(re.escape(norm(m)) for m in vocabulary.parts_markers)) \
            if vocabulary.parts_markers else None
        self._comparisons = tuple(norm(w) for w in vocabulary.comparison_words)
        # 比/较 comparing two things — not the 比 of 比重/比例/比率 nor the 较 of 较大/较为
        self._compared = re.compile("|".join(f"{re.escape(norm(w))}(?![重例率大为])"
                                             for w in vocabulary.comparison_before)) \
            if vocabulary.comparison_before else None
        self._budget_wordings = vocabulary.budget_wordings
        # one search first: most gaps compare nothing with the budget
        self._any_budget_wording = skipping(re.compile("|".join(f"(?:{w.pattern.pattern})"
                                                                for w in self._budget_wordings))) \
            if self._budget_wordings else None
        # The characters every comparison with the budget holds (预, 算): a sentence lacking one compares nothing
        self._budget_chars = tuple(required_chars(self._any_budget_wording)) if self._any_budget_wording else ()
        self._share_words = tuple(w for a, words in self._aspects if a.name == "占比" for w in words)
        self._rate_words = tuple(w for a, words in self._aspects if a.kind == "percent" and a.name != "占比"
                                 for w in words)
        self._record_keys: dict[str, str] = {}
        self._explained: list[tuple[Subject, str]] = []
        self._topic_words = tuple((t.name, tuple(norm(h) for h in t.headings), tuple(norm(x) for x in t.exclude))
                                  for t in vocabulary.topics)

    # ------------------------------------------------------------------ topics
    def topics_of(self, section: Section) -> tuple[str, ...]:
        """The topics of the innermost heading on the section's path that names any topic."""
        for node in reversed(section.path()):
            found = _topics_of_title(node.title, self._topic_words)
            if found:
                return found
        return ()

    # ------------------------------------------------------------------ main loop
    def extract(self, document: Document) -> list[Fact]:
        facts: list[Fact] = []
        for section in document.root.walk():
            topics = self.topics_of(section) if section.level else ()
            if set(topics) & set(self.vocab.glossary_topics):
                continue
            self._record_keys = {}
            for node in section.path():
                # A heading such as "3.社会保障和就业支出（类）" names the record its lines belong to.
                self._name_record(node.title, topics, None)
            before: Paragraph | None = None
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    facts.extend(self.paragraph_facts(block, topics))
                    before = block
                elif isinstance(block, Table):
                    facts.extend(self.table_facts(block, topics, before))
        return facts

    def table_facts(self, table: Table, topics: tuple[str, ...], before: Paragraph | None = None) -> list[Fact]:
        """Facts of a table in the narrative whose rows name records (一般公共服务支出(类) | 5,166.70 | 70.15%):
        a row is read as the sentence the narrative would write ("一般公共服务支出(类)决算数5,166.70万元，
        占比70.15%"), and each figure's facts are placed at its cell. A unit the caption, a title row or the
        column heading states (单位：万元, 决算数（万元）, 完成年初预算%) is the unit of the figures that lack one;
        so is the unit of a 单位：万元 line just before the table (``before``)."""
        caption, rows = split_caption(table)
        table_unit = _unit_stated(caption, "")
        if not table_unit and before is not None and len(before.text) <= MAX_UNIT_LINE:
            table_unit = _unit_stated([Cell(before.text, before.location)], "")
        # Each column's heading without its unit, and the unit: read from the last row of headings when a record
        # row first needs them (most tables the narrative meets name no records, and have many heading rows).
        heading_row: Sequence[Cell] = ()
        headings: list[tuple[str, str | None]] | None = []
        out: list[Fact] = []
        for row in rows:
            if not row.cells:
                continue
            if not _any_figure(row.cells):
                # a title or the column headings of the rows that follow
                table_unit = _unit_stated(row.cells, table_unit)
                heading_row, headings = row.cells, None
                continue
            name = row.cells[0].text.strip()
            if self._name_record(name, topics, None) is None:
                continue
            if headings is None:
                headings = [_heading(c.text) for c in heading_row]
            # the row as the sentence the narrative would write, remembering where each cell's figure sits
            text, spans = name, []
            for i, cell in enumerate(row.cells[1:], start=1):
                if not FIGURE_NOT_YEAR.search(cell.text):
                    continue
                heading, unit = headings[i] if i < len(headings) else ("", None)
                figure = cell.text.strip()
                if not _HAS_UNIT.search(figure):
                    figure += unit or table_unit
                text += ("，" if spans else "") + heading
                spans.append((len(text), len(text) + len(figure), cell))
                text += figure
            context = " | ".join(c.text.strip() for c in row.cells)
            for fact in self.paragraph_facts(Paragraph(text, Location()), topics):
                at = (fact.location.column or 1) - 1
                cell = next((c for a, b, c in spans if a <= at < b), None)
                if cell is not None:
                    out.append(replace(fact, location=cell.location, source=context))
        return out

    def _name_record(self, text: str, topics: tuple[str, ...], sentence: Sentence | None) -> Subject | None:
        """The record a figure-less line names at its end, remembered for the lines that follow."""
        hit = self._record_named(text, topics)
        if hit is None:
            return None
        dims = self._inherit(hit)
        return Subject(hit.concept, _fill(hit.concept.name, hit.topic), dims, hit.label,
                       sentence.start if sentence is not None else -1)

    def _record_named(self, text: str, topics: tuple[str, ...]) -> _LabelHit | None:
        """The record label that ends ``text`` (or is followed only by one of its tails), if any. Remembered
        per text: every section asks it of each heading above it."""
        key = (text, topics)
        if key in self._records_named:
            return self._records_named[key]
        region = _strip_numbering(norm(text).rstrip("。.:：;；,，"))
        hit = next((h for h in self._scan_labels(region, self._records_under(topics), None)
                    if h.end == len(region) or region.startswith(h.concept.tails, h.end)), None)
        self._records_named[key] = hit
        return hit

    def _inherit(self, hit: _LabelHit) -> Dims:
        """Fill record keys a line leaves out (``(1)公立医院(款)综合医院(项)`` under ``1.卫生健康支出(类)``)
        from the last record of the section that had them; remember the keys this line gives."""
        if not hit.concept.is_record:
            return hit.dims
        given = dict(hit.dims)
        for key in hit.concept.pattern.groupindex:  # type: ignore[union-attr]
            if key in given:
                self._record_keys[key] = given[key]
                # A new 类 starts afresh: its 款 and 项 must not be inherited.
                for later in list(hit.concept.pattern.groupindex)[list(hit.concept.pattern.groupindex).index(key) + 1:]:
                    if later not in given:
                        self._record_keys.pop(later, None)
            elif key in hit.concept.inherit and key in self._record_keys:
                given[key] = self._record_keys[key]
        order = list(hit.concept.pattern.groupindex)  # type: ignore[union-attr]
        return tuple((k, given[k]) for k in order if k in given)

    def paragraph_facts(self, paragraph: Paragraph, topics: tuple[str, ...]) -> list[Fact]:
        """Facts of one paragraph; the subject carries into the next sentence for aspect figures only."""
        out: list[Fact] = []
        subject: Subject | None = None
        self._explained: list[tuple[Subject, str]] = []
        for sentence in split_sentences(paragraph):
            base: Base | None = None
            for segment in self._reason_segments(sentence):
                subject, base = self._sentence_facts(segment, topics, subject, base, out)
        return out

    def _reason_segments(self, sentence: Sentence) -> list[Sentence]:
        """Cut a sentence after a reason that ends at ``；`` before more figures
        (…差异率-0.77%，主要原因是政府采购价格低于预算；公务用车运行维护费全年预算数19.50万元…)."""
        text = sentence.text
        reason = self._reason_start(text)
        if reason is None:
            return [sentence]
        for m in re.finditer(r"[；;]", text[reason[1]:]):
            cut = reason[1] + m.end()
            if find_quantities(text[cut:]):
                head = Sentence(text[:cut], sentence.location.narrow(0, cut), sentence.start)
                rest = text[cut:]
                tail = Sentence(rest, sentence.location.narrow(cut, len(text)), sentence.start + cut)
                return [head, *self._reason_segments(tail)]
        return [sentence]

    def _sentence_facts(self, sentence: Sentence, topics: tuple[str, ...], subject: Subject | None,
                        base: Base | None, out: list[Fact]) -> tuple[Subject | None, Base | None]:
        """Facts of one sentence (or reason segment of one). ``base`` is what its changes are measured
        against, as far as the earlier segments of the sentence named it; returned as this one leaves it."""
        text = sentence.text
        reason_at = self._reason_start(text)
        end_of_figures = reason_at[0] if reason_at else len(text)
        out.extend(self._statements(sentence, topics))
        prev_end = 0
        named: dict[tuple[str, Dims], tuple[Subject, str]] = {}
        stated: dict[tuple[str, Dims], tuple[Subject, str]] = {}
        last_value: tuple[str, Dims] | None = None  # the last figure stated as a value, the whole of a 其中
        whole: tuple[str, Dims] | None = None
        budget_words: list[tuple[int | None, str, Location]] = []  # 决算数小于预算数 … stated without a figure
        quantities = find_quantities(text)
        money_unit = next((x.unit for x in quantities if x.is_money), None)
        previous: str | None = None  # the field of the previous figure's fact
        # Whether a 持平-like word stands in the sentence: only then may a gap hold one (`_level_statements`).
        levelled = _LEVEL_WORD.search(text) is not None
        # Whether a gap may compare with the budget: its normal form holds no character the text's half-width
        # form lacks.
        budgeted = self._any_budget_wording is not None and all(c in to_halfwidth(text) for c in self._budget_chars)
        for q in quantities:
            if q.start >= end_of_figures:
                break
            gap = text[prev_end:q.start]
            region = norm(gap)
            base = self._base_in(region) or base
            if self._parts is not None and self._parts.search(region):
                whole = last_value
            if levelled:
                self._level_statements(subject, sentence, prev_end, gap, out, base, topics)
            prev_end = q.end
            facts, subject = self._resolve_unit_missing(q, region, money_unit, previous, gap, topics, subject,
                                                        sentence, base, out)
            previous = facts[0].field if facts else None
            facts, wordings = self._budget_difference(q, region, subject, facts, sentence.text) if budgeted \
                else (facts, [])
            if wordings:
                budget_words.extend((sign, word, sentence.location.narrow(q.start - len(gap), q.start))
                                    for sign, word, _ in wordings)
            if facts and whole is not None and (facts[0].name, facts[0].dims) == whole:
                # 核定编制45名，其中：行政编制28名: a part, not the whole stated again.
                facts, subject = [_unclassified(facts[0], region)], None
            out.extend(facts)
            if not facts or subject is None:
                continue
            first, key = facts[0], (subject.name, subject.dims)
            if _is_value(first, subject):
                last_value = (first.name, first.dims)
            field_name = first.field
            if first.name != UNCLASSIFIED:
                stated[key] = (subject, field_name)
            if field_name in REASONED_ASPECTS:
                named.pop(key, None)
                named[key] = (subject, field_name)
        if named:
            self._explained = list(named.values())
        if prev_end == 0:
            # A sentence with no figure may still name a record its next sentences speak of
            # (…（类）商贸事务（款）行政运行（项）。年初预算为500.00万元…).
            subject = self._name_record(text[:end_of_figures], topics, sentence) or subject
        tail = text[prev_end:end_of_figures]
        base = self._base_in(norm(tail)) or base
        if levelled:
            self._level_statements(subject, sentence, prev_end, tail, out, base, topics)
        if budgeted:
            budget_words.extend((sign, word, sentence.location.narrow(prev_end, end_of_figures))
                                for sign, word, _ in self._budget_wordings_in(norm(tail)))
        if budget_words:
            out.extend(self._budget_statements(budget_words, list(named.values()) or self._explained, text))
        if reason_at is not None:
            # A reason sentence without figures of its own explains the previous sentence's items.
            out.extend(self._reasons(text, reason_at, topics, sentence, subject,
                                     list(named.values()) or self._explained or list(stated.values())))
            subject = self._reason_subject(text, reason_at[0], topics, sentence) or subject
        return subject, base

    def _reasons(self, text: str, reason_at: tuple[int, int], topics: tuple[str, ...], sentence: Sentence,
                 subject: Subject | None, named: list[tuple[Subject, str]]) -> list[Fact]:
        """A 原因 for what the sentence explains: the label just before the marker if there is one, else
        every item of the sentence stated like the last one (several budget lines share one reason)."""
        reason = text[reason_at[1]:].strip(" ：:，,。")
        if not reason:
            return []
        loc = sentence.location.narrow(reason_at[1], len(text))
        explicit = self._reason_subject(text, reason_at[0], topics, sentence)
        if explicit is not None:
            return [_named(explicit, "原因", reason, loc, text)]
        if not named and subject is None:
            # 车辆比公务用车保有量多1辆，原因是…: no figure is named, but the things compared are.
            compared = {h.concept.name: h for h in self._find_labels(norm(text[:reason_at[0]]), topics)
                        if not h.concept.is_record and "{topic}" not in h.concept.name}
            return [_named(Subject(h.concept, h.concept.name, (), h.label, sentence.start), "原因", reason, loc, text)
                    for h in compared.values()]
        if not named:
            return [_named(subject, "原因", reason, loc, text)]
        if not any(field_name in REASONED_ASPECTS for _, field_name in named):
            # 车辆11辆，与公务用车保有量9辆相差2辆，原因是…: the reason explains every figure of the sentence.
            return [_named(s, "原因", reason, loc, text) for s, _ in named]
        last_is_budget = named[-1][1] in BUDGET_ASPECTS
        return [_named(s, "差异原因" if last_is_budget else "原因", reason, loc, text)
                for s, field_name in named if (field_name in BUDGET_ASPECTS) == last_is_budget]

    def _level_statements(self, subject: Subject | None, sentence: Sentence, offset: int, gap: str,
                          out: list[Fact], base: Base | None, topics: tuple[str, ...]) -> None:
        """``与上年持平`` with no figure: a 方向 of 0 for what its clause names, else the current subject (a
        change from last year: under another base, such as the budget, 持平 says nothing of last year).
        In 其中：因公出国（境）费支出与上一年度持平 the 持平 is the 因公出国（境）费's, not the total's."""
        if (base is not None and base.aspects) or not any(w in gap for w in _LEVEL_WORDS):
            return  # most gaps hold no 持平: not searched for every direction word
        for start, end, sign, word in find_directions(gap):
            if sign != 0:
                continue
            clause = _clause_before(gap, start)
            hits = [h for h in self._find_labels(norm(clause), topics) if not h.concept.is_record]
            named = subject if not hits else Subject(hits[0].concept, _fill(hits[0].concept.name, hits[0].topic),
                                                     (), hits[0].label, sentence.start)
            if named is not None:
                loc = sentence.location.narrow(offset + start, offset + end)
                out.append(_named(named, "方向", Direction(0, word), loc, sentence.text))

    def _reason_subject(self, text: str, marker: int, topics: tuple[str, ...],
                        sentence: Sentence) -> Subject | None:
        """``“三公”经费支出增加的主要原因是``: a label in the clause before the marker names what is explained."""
        clause_start = _clause_start(text, marker)
        hits = self._find_labels(norm(text[clause_start:marker]), topics)
        if not hits:
            return None
        hit = hits[0]
        return Subject(hit.concept, _fill(hit.concept.name, hit.topic), hit.dims, hit.label, sentence.start)

    # ------------------------------------------------------------------ pieces
    def _is_compared(self, text: str) -> bool:
        """Whether a 比/较 stands in the text (车辆比…公务用车保有量多1辆: the figure after either label is the
        difference)."""
        return self._compared is not None and self._compared.search(text) is not None

    def _budget_wordings_in(self, region: str) -> list[tuple[int | None, str, int]]:
        """(sign, words, end) of each comparison with the budget in ``region`` (normalised), in order; of
        overlapping ones the longest (不超过预算 over 超过预算)."""
        if self._any_budget_wording is None or self._any_budget_wording.search(region) is None:
            return []
        found = sorted(((m.start(), m.end(), w.sign, m.group()) for w in self._budget_wordings
                        for m in w.pattern.finditer(region)), key=lambda f: (f[0], -f[1]))
        kept: list[tuple[int, int, int | None, str]] = []
        for start, end, sign, word in found:
            if kept and start < kept[-1][1]:
                if end - start > kept[-1][1] - kept[-1][0]:
                    kept[-1] = (start, end, sign, word)
                continue
            kept.append((start, end, sign, word))
        return [(sign, word, end) for _, end, sign, word in kept]

    def _budget_difference(self, q: Quantity, region: str, subject: Subject | None, facts: list[Fact],
                           source: str) -> tuple[list[Fact], list[tuple[int | None, str, int]]]:
        """决算数大于预算数55.93万元: a figure right after words comparing the actual with the budget is the
        difference, signed by the words. Returns the figure's facts and the comparisons left as statements."""
        wordings = self._budget_wordings_in(region)
        if not (wordings and wordings[-1][0] in (1, -1) and wordings[-1][2] == len(region.rstrip("为"))
                and q.is_money and subject is not None and facts and facts[0].name != UNCLASSIFIED):
            return facts, wordings
        sign = wordings.pop()[0]
        value = replace(q, value=-q.value) if sign == -1 and q.value > 0 else q
        return [_named(subject, "预算差额", value, facts[0].location, source)], wordings

    @staticmethod
    def _budget_statements(words: list[tuple[int | None, str, Location]], named: list[tuple[Subject, str]],
                           source: str) -> list[Fact]:
        """决算数小于预算数 for the one item whose budget the sentence (or the one before) compares; with
        several such items the words may speak of any of them, so none is assumed."""
        subjects = {(s.name, s.dims): s for s, field_name in named if field_name in BUDGET_ASPECTS}
        if len(subjects) != 1:
            return []
        (subject,) = subjects.values()
        return [_named(subject, "预算未超", word, loc, source) if sign is None
                else _named(subject, "预算方向", Direction(sign, word), loc, source) for sign, word, loc in words]

    def _base_in(self, region: str) -> Base | None:
        """The base whose word ends last in ``region`` (normalised), if any is named there."""
        if self._base_words is None:
            return None
        if region in self._base_at:
            return self._base_at[region]
        best: tuple[int, int, Base | None] = (-1, 0, None)
        for m in self._base_words.finditer(region):  # every word ending anywhere, not only non-overlapping ones
            start, word = m.start(), m.group(1)
            if start < len(region) and (start + len(word), len(word)) > best[:2]:
                best = (start + len(word), len(word), self._base_of[word])
        self._base_at[region] = best[2]
        return best[2]

    def _reason_start(self, text: str) -> tuple[int, int] | None:
        """(start, end) of the first reason marker, in ``text`` offsets."""
        m = self._reason_marker.search(text) if self._reason_marker is not None else None
        return m.span() if m is not None else None

    def _statements(self, sentence: Sentence, topics: tuple[str, ...]) -> list[Fact]:
        found = []
        normal: str | None = None  # made once, for the first statement of the sentence's topics
        for st, st_topics in self._statement_topics:
            if st_topics.isdisjoint(topics):
                continue
            if normal is None:
                normal = norm(sentence.text)
            if any(p in normal for p in st.patterns):
                found.append(Fact(st.name, sentence.text, sentence.location, sentence.text))
        return found

    def _labels_under(self, topics: tuple[str, ...]) -> list[_Named]:
        """The concepts that can be named under ``topics``, with the topic each takes and what is searched for it
        (`_searched`) (worked out once per section path: every sentence of a section asks)."""
        if topics not in self._labels_by_topics:
            chosen = []
            for concept, labels, among in self._labels:
                if among and among.isdisjoint(topics):
                    continue  # named under none of these topics
                chosen.append((concept, _topic_for(concept, topics), labels))
            self._labels_by_topics[topics] = chosen
        return self._labels_by_topics[topics]

    def _records_under(self, topics: tuple[str, ...]) -> list[_Named]:
        """`_labels_under` for the record concepts alone: a line without figures names only records, and its
        text (often a long sentence) is not worth searching for every other label."""
        found = self._records_by_topics.get(topics)
        if found is None:
            found = self._records_by_topics[topics] = [e for e in self._labels_under(topics) if e[0].is_record]
        return found

    def _find_labels(self, region: str, topics: tuple[str, ...], kinds_ok=None) -> list[_LabelHit]:
        """Vocabulary labels in ``region`` (normalised), best first: ending closest to its end, then longest.
        The list is shared by every caller asking for the same region: it must not be changed."""
        if kinds_ok is not None:
            return self._scan_labels(region, self._labels_under(topics), kinds_ok)
        key = (region, topics)
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = self._scan_labels(region, self._labels_under(topics), None)
        return hits

    @staticmethod
    def _scan_labels(region: str, concepts: list[_Named],
                     kinds_ok) -> list[_LabelHit]:
        hits: list[_LabelHit] = []
        for concept, topic, labels in concepts:
            if kinds_ok is not None and not kinds_ok(concept):
                continue
            if concept.pattern is not None:
                if all(ch in region for ch in labels):  # most regions lack what a record's pattern spells out
                    hits.extend(_LabelHit(concept, topic, _record_keys(m), m.start(), m.end(), m.group())
                                for m in concept.pattern.finditer(region))
                continue
            for label in labels:
                i = region.rfind(label)
                if i >= 0 and not _excluded(region, i, i + len(label), concept.exclude):
                    hits.append(_LabelHit(concept, topic, (), i, i + len(label), label))
        if len(hits) > 1:
            hits.sort(key=lambda h: (h.end, h.end - h.start), reverse=True)
        return hits

    def _find_label(self, region: str, topics: tuple[str, ...], q: Quantity) -> _LabelHit | None:
        """The best label that can name figure ``q``: its kind fits, or an aspect word after it makes it fit."""
        hits = self._find_labels(region, topics)
        clause_start = _clause_start(region, len(region)) if hits else 0
        for hit in hits:
            after = region[hit.end:]
            aspect = self._find_aspect(after, q)[0]
            # A label names a plain figure only from the figure's own clause: in 6个内设机构，下辖8个社区, 内设
            # belongs to the 6, not to the 8.
            if aspect is None and compatible(hit.concept.kind, q, hit.concept.units) and hit.end > clause_start \
                    and not any(w in after for w in self._comparisons) \
                    and not self._is_compared(region[clause_start:hit.start]) \
                    and not self._is_compared(after):
                return hit
            if aspect is not None:
                kind = hit.concept.kind if aspect.kind == "same" else aspect.kind
                if compatible(kind, q, hit.concept.units if aspect.kind == "same" else ()):
                    return hit
        return None

    def _find_aspect(self, region: str, q: Quantity) -> tuple[Aspect | None, int]:
        """The aspect whose word is closest before the figure and whose kind fits it."""
        qkind = quantity_kind(q)
        key = (region, qkind)
        found = self._aspect_at.get(key)
        if found is None:
            found = self._aspect_at[key] = self._scan_aspect(region, qkind)
        return found

    def _scan_aspect(self, region: str, qkind: str) -> tuple[Aspect | None, int]:
        best: tuple[Aspect | None, int, int] = (None, -1, 0)
        for aspect, words in self._aspects:
            if aspect.kind not in ("same", qkind):
                continue
            if aspect.kind == "same" and qkind == "percent":
                continue
            for w in words:
                i = region.rfind(w)
                if i >= 0 and (i + len(w), len(w)) > (best[1], best[2]):
                    best = (aspect, i + len(w), len(w))
        return best[0], best[1]

    def _shared(self, q: Quantity, region: str, topics: tuple[str, ...], sentence: Sentence) -> list[Fact]:
        """``A、B和C均为0.00万元``: one figure stated for every label of the list."""
        if not region.endswith(_SHARED_WORDS):  # a region (`norm`) holds no space: a word ending it ends the text
            return []
        end = len(region) - 2
        start = max((b.end() for b in re.finditer(r"[，,；;：:。]", region[:end])), default=0)
        listed = region[start:end]
        loc = sentence.location.narrow(q.start, q.end)
        out: list[Fact] = []
        for part in re.split(r"[、和及与]", listed):
            hits = [h for h in self._find_labels(part, topics) if compatible(h.concept.kind, q, h.concept.units)]
            if hits and hits[0].end == len(part) and not hits[0].concept.is_record:
                hit = hits[0]
                subject = Subject(hit.concept, _fill(hit.concept.name, hit.topic), (), hit.label, sentence.start)
                out.append(_named(subject, None, q, loc, sentence.text))
        return out if len(out) >= 2 else []

    def _resolve_unit_missing(self, q: Quantity, region: str, money_unit: str | None, previous: str | None,
                              gap: str, topics: tuple[str, ...], subject: Subject | None, sentence: Sentence,
                              base: Base | None, out: list[Fact]) -> tuple[list[Fact], Subject | None]:
        """Resolve ``q``; a figure printed without its unit (占76.23; 基本支出553.48 among 万元 figures) is read
        with the unit it must have — a share's %, the sentence's money unit — and recorded as 文字.缺单位,
        when a concept then names it."""
        unit = _missing_unit(q, region, money_unit, self._share_words, self._rate_words, previous)
        if unit is not None:
            facts, named_subject = self._resolve(replace(q, unit=unit), gap, region, topics, subject, sentence,
                                                 base)
            if facts and facts[0].name != UNCLASSIFIED:
                where = sentence.location.narrow(q.start, q.end)
                key = (("位置", where.key()),)
                out.append(Fact("文字.缺单位.内容", q.text.strip(), where, sentence.text, key))
                out.append(Fact("文字.缺单位.应有单位", unit, where, sentence.text, key))
                return facts, named_subject
        return self._resolve(q, gap, region, topics, subject, sentence, base)

    def _resolve(self, q: Quantity, gap: str, region: str, topics: tuple[str, ...], subject: Subject | None,
                 sentence: Sentence, base: Base | None) -> tuple[list[Fact], Subject | None]:
        """The facts figure ``q`` states, named from ``gap`` (``region`` is its `norm`), and the subject it
        leaves."""
        shared = self._shared(q, region, topics, sentence)
        if shared:
            return shared, None
        share_at = _share_word(region) if q.is_percent else -1
        label_region = region[:share_at] if share_at >= 0 else region
        hit = self._find_label(_strip_numbering(label_region), topics, q)
        if hit is not None and hit.label in hit.concept.generic and subject is not None \
                and subject.concept.is_record and subject.label.endswith(hit.label):
            hit = None  # 项目全年预算数 after “…专项经费项目” was named: that project's budget
        if share_at >= 0:
            aspect = next((a for a, _ in self._aspects if a.name == "占比"), None)
        else:
            aspect, _ = self._find_aspect(region[hit.end:] if hit else _CLAUSE_BREAK.split(region)[-1], q)
            if aspect is None and hit is None:
                # 完成全年预算8.00万元的81.28%: the aspect word may stand before an earlier figure of the clause.
                aspect, _ = self._find_aspect(norm(_clause_before(sentence.text, q.start)), q)
        renamed = aspect is not None and aspect.signed and base is not None and base.renamed(aspect.name) != aspect.name
        if renamed:
            # 决算数比年初预算减少13.55万元: a difference from the budget, not a change from last year.
            aspect = replace(aspect, name=base.renamed(aspect.name))  # type: ignore[arg-type, union-attr]
        if hit is not None and (share_at < 0 or subject is None):
            dims = self._inherit(hit)
            subject = Subject(hit.concept, _fill(hit.concept.name, hit.topic), dims, hit.label, sentence.start)
        loc = sentence.location.narrow(q.start, q.end)
        carried = hit is None and aspect is None
        if subject is not None and carried and not _same_sentence(subject, sentence):
            subject = None
        if subject is not None:
            fact = None if carried else self._fact_for(subject, aspect, q, loc, sentence, gap)
            if fact is None and hit is None and (aspect is not None or not compatible(
                    subject.concept.kind, q, subject.concept.units)):
                # Same words, other unit or kind: 公务接待11批次，175人次; 评价项目12个，全年预算数6,556.94万元.
                def fits(c: Concept) -> bool:
                    kind = c.kind if aspect is None or aspect.kind == "same" else aspect.kind
                    return c.pattern is None and compatible(kind, q, c.units if kind == c.kind else ())
                alts = self._find_labels(subject.label, topics, kinds_ok=fits)
                alt = alts[0] if alts else None
                if alt is not None:
                    subject = Subject(alt.concept, _fill(alt.concept.name, alt.topic), alt.dims, alt.label,
                                      sentence.start)
                    fact = self._fact_for(subject, aspect, q, loc, sentence, gap)
            if fact is not None:
                facts = [fact]
                if aspect is not None and aspect.signed and not renamed:
                    word = _direction_word(gap)
                    if word is not None:
                        facts.append(_named(subject, "方向", word, loc, sentence.text))
                return facts, subject
        return [_unclassified(Fact(UNCLASSIFIED, q, loc, sentence.text), region)], None

    def _fact_for(self, subject: Subject, aspect: Aspect | None, q: Quantity, loc, sentence: Sentence,
                  gap: str) -> Fact | None:
        concept = subject.concept
        if aspect is None or aspect.name == concept.field or aspect.value:
            if not compatible(concept.kind, q, concept.units):
                return None
            return _named(subject, None, q, loc, sentence.text)
        kind = concept.kind if aspect.kind == "same" else aspect.kind
        if not compatible(kind, q, concept.units if aspect.kind == "same" else ()):
            return None
        value = q
        if aspect.signed:
            word = _direction_word(gap)
            if word is not None and word.sign < 0 and q.value > 0:
                value = replace(q, value=-q.value)
            elif word is not None and word.sign == 0:
                value = replace(q, value=Decimal(0) * q.value)
        return _named(subject, aspect.name, value, loc, sentence.text)


def _missing_unit(q: Quantity, region: str, money_unit: str | None, share_words: tuple[str, ...],
                  rate_words: tuple[str, ...], previous: str | None) -> str | None:
    """The unit a figure printed with decimals but no unit must have: % right after a share word (占76.23)
    or after a rate word that follows the change's amount (增加1,193.20万元，增长13.95); else, away from such
    words, the money unit of the sentence's other figures. Whole numbers (counts, list numbers) and a rate
    word that could take either (比上年增加12.50) are left alone."""
    if q.unit or q.decimals == 0:
        return None
    end = region.rstrip("为是了")
    if end.endswith(share_words):
        return "%"
    if end.endswith(rate_words):
        return "%" if previous in ("增减额", "预算差额") else None
    return money_unit


def _searched(concept: Concept) -> tuple[str, ...]:
    """A concept's label words as matched (`norm`), or for a record the characters its pattern needs."""
    if concept.pattern is not None:
        return tuple(required_chars(concept.pattern))
    return tuple(norm(label) for label in concept.labels)


def _first_characters(words) -> str:
    """A lookahead for a character some word starts with ('' when a word is empty: it starts anywhere)."""
    if not all(words):
        return ""
    return "(?=[" + "".join(sorted({re.escape(w[0]) for w in words})) + "])"


def _record_keys(match: re.Match[str]) -> Dims:
    """A record label's keys from its pattern's groups; a group ``<key>尾`` is appended to ``<key>``
    (公共安全（类）支出 → 类 公共安全支出)."""
    groups = {k: v for k, v in match.groupdict().items() if v}
    for key in [k for k in groups if k.endswith("尾") and k[:-1] in groups]:
        groups[key[:-1]] += groups.pop(key)
    return tuple((k, cjk_parens(v)) for k, v in groups.items() if not k.endswith("尾"))


def _unclassified(fact: Fact, region: str) -> Fact:
    """The figure as 未归类, labelled with the words of its clause (or of its gap when the clause is empty)."""
    label = _CLAUSE_BREAK.split(region)[-1].strip() or region.strip()
    return Fact(UNCLASSIFIED, fact.value, fact.location, fact.source, (("标签", label[-30:]),))


def _is_value(fact: Fact, subject: Subject) -> bool:
    """Whether the fact is the subject's figure itself, not one of its aspects (a share, a change…)."""
    own = f"{subject.name}.{subject.concept.field}" if subject.concept.is_record else subject.name
    return fact.name == own


def _excluded(region: str, start: int, end: int, phrases: tuple[str, ...]) -> bool:
    """Whether the label at ``start:end`` is part of a longer phrase that means something else
    (车辆 in 其余用途车辆, 政府采购 in 预留政府采购项目)."""
    for phrase in phrases:
        at = region.find(phrase)
        while at >= 0:
            if at <= start and end <= at + len(phrase):
                return True
            at = region.find(phrase, at + 1)
    return False


def _clause_before(text: str, end: int) -> str:
    """The text from the last clause break before ``end`` up to ``end``."""
    return text[_clause_start(text, end):end]


def _clause_start(text: str, end: int) -> int:
    """Where the clause ending at ``end`` starts: just after the last clause break before ``end``, else 0."""
    m = _TO_LAST_BREAK.match(text, 0, end)
    return m.end() if m is not None else 0


def _named(subject: Subject, aspect: str | None, value, loc, source: str) -> Fact:
    concept = subject.concept
    if aspect in BUDGET_FIELDS and concept.budget_as:
        # 财政拨款收入支出总体与年初预算相比: the budget comparison is of this year's spending.
        return Fact(f"{concept.budget_as}.{aspect}", value, loc, source)
    if concept.is_record:
        return Fact(f"{subject.name}.{aspect or concept.field}", value, loc, source, subject.dims)
    return Fact(subject.name if aspect is None else f"{subject.name}.{aspect}", value, loc, source)


def _heading(text: str) -> tuple[str, str | None]:
    """A column heading without the unit it states (决算数（万元） → 决算数, 万元)."""
    unit = _UNIT_STATED.search(text)
    if unit is None and _PERCENT_HEADING.search(text):
        return _PERCENT_HEADING.sub("", text.strip()), "%"
    return _UNIT_STATED.sub("", text.strip()), unit.group(1) if unit else None


@lru_cache(maxsize=1024)
def _topics_of_title(title: str, topic_words: tuple[_TopicWords, ...]) -> tuple[str, ...]:
    """The topics a heading names: each topic with a heading word in the title and none of its exclusions.
    Remembered across documents: a template's headings recur in every report made from it."""
    normal = norm(title)
    return tuple(name for name, headings, exclude in topic_words
                 if any(h in normal for h in headings) and not any(x in normal for x in exclude))


def _any_figure(cells: Sequence[Cell]) -> bool:
    """Whether a cell holds a figure's digit (not a year's): one search of the texts joined by a mark that no
    digit, separator or 年 of `FIGURE_NOT_YEAR` runs across, rather than one search per cell."""
    return FIGURE_NOT_YEAR.search("|".join([c.text for c in cells])) is not None


def _unit_stated(cells: Sequence[Cell], default: str) -> str:
    """The money unit a caption or title row states (单位：万元), else ``default``."""
    return next((m.group(1) for c in cells if (m := _UNIT_STATED.search(c.text))), default)


def _fill(name: str, topic: str | None) -> str:
    return name.replace("{topic}", topic or "")


def _topic_for(concept: Concept, topics: tuple[str, ...]) -> str | None:
    if not concept.topics:
        return topics[0] if topics else None
    return next((t for t in topics if t in concept.topics), None)


def _strip_numbering(region: str) -> str:
    """Blank out a leading list number (1. / （2） / 三、) without shifting offsets."""
    m = LIST_NUMBER.match(region)
    return " " * m.end() + region[m.end():] if m else region


# The direction words saying "unchanged" (持平): the only ones a statement without a figure is made of.
_LEVEL_WORDS = tuple(w for w, sign in DIRECTION_WORDS.items() if sign == 0)
_LEVEL_WORD = re.compile("|".join(map(re.escape, _LEVEL_WORDS)))
_SHARE_RE = re.compile(r"占(?!用)")
#: What ends a list of labels sharing one figure (A、B和C均为0.00万元): each two characters long.
_SHARED_WORDS = ("均为", "均是", "都为", "都是", "皆为")


def _share_word(region: str) -> int:
    """Position of the last 占 (as in 占97.93% / 占本年支出的43.09%), or −1."""
    hits = [m.start() for m in _SHARE_RE.finditer(region)]
    return hits[-1] if hits else -1


@lru_cache(maxsize=1024)
def _direction_word(gap: str) -> Direction | None:
    """The direction word closest before a figure; one in brackets is a template's alternative left in
    (下降（增长）27.78%), not the direction. Remembered per gap: a change's figure asks it twice (for its sign
    and for its 方向), and the answer (frozen) is shared."""
    words = [w for w in find_directions(gap)
             if not (gap[w[0] - 1:w[0]] in ("（", "(") and gap[w[1]:w[1] + 1] in ("）", ")"))]
    if not words:
        return None
    _, _, sign, word = words[-1]
    return Direction(sign, word)


def extract_narrative(document: Document, vocabulary: Vocabulary) -> list[Fact]:
    return NarrativeExtractor(vocabulary).extract(document)
