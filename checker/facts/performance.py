"""Facts from performance self-assessment tables (整体/项目支出绩效自评表).

A table is recognised by its caption; its funding block by a header row naming the
funding columns (年初预算数, 全年预算数…); its indicator block by a header row naming the
indicator columns (一级指标, 三级指标, 权重…). All the wording comes from the vocabulary's
``[performance]`` section; merged (empty) 一级/二级 cells inherit the value above them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from checker.facts.model import Dims, Fact
from checker.model import Cell, Document, Paragraph, Row
from checker.quantity import (
    DateValue,
    Quantity,
    Target,
    find_dates,
    find_quantities,
    parse_quantity,
    parse_target,
    target_problem,
    to_halfwidth,
)
from checker.tables import (
    HeaderMatcher,
    LogicalTable,
    align,
    filled,
    header_text,
    logical_tables,
    may_hold_synonym,
)
from checker.vocabulary import Vocabulary

EMPTY_MARKS = {"", "-", "—", "/", "－", "——", "无", "不适用"}
_UNIT_IN_HEADER = re.compile(r"[（(]\s*(万元|元|亿元)\s*[）)]")
MONEY_FIELDS = {"年初预算数", "全年预算数", "全年执行数"}
TARGET_FIELDS = {"目标值", "实际值"}
_DIGITS = re.compile(r"\d+")
TEXT_FIELDS = {"一级指标", "二级指标", "三级指标", "设定依据", "上年完成情况", "赋分规则", "佐证资料", "偏差原因"}
LEVEL_FIELDS = ("一级指标", "二级指标")  # merged down the table: an empty cell inherits the one above
#: The shortest part of an indicator's name a figure's words must share to be that indicator's.
MIN_OVERLAP = 4
#: How many cell texts, rows and indicator names an extractor remembers (`_cell_kind`, `_heading`, `_parts`).
REMEMBERED_TEXTS = 20_000
#: From how many indicators `_Names` finds those a window may share words with by an index, not by trying each.
INDEXED_FROM = 8
# How an indicator column's cells are read: as a target, as text, as a number, as an inherited level.
_TARGET, _TEXT, _NUMBER, _LEVEL = range(4)
# What a cell text may be, as `_cell_kind` gives it, in counts that a row's cells add up: how many of them may
# head a goal, funding or indicator column, and how many label a total row. The counts lie 16 bits apart (no
# row has 65,536 cells); `_count` reads one.
_GOAL, _FUNDING, _INDICATOR, _TOTAL = 1, 1 << 16, 1 << 32, 1 << 48


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    """A text as the vocabulary's words are compared with it; remembered per distinct text, since every
    row's cells, captions, headings and prose gaps are asked for again and again."""
    return "".join(to_halfwidth(text).split()).replace("(", "（").replace(")", "）")


@lru_cache(maxsize=4096)
def _read_target(text: str) -> tuple[Target, str | None]:
    """A target or actual cell as read, with its `target_problem`; remembered per distinct text, since
    tables repeat theirs (=100%, ≥1个, 达到预期) and both are pure functions of it."""
    target = parse_target(text)
    return target, target_problem(target)


@lru_cache(maxsize=4096)
def _read_quantity(text: str, default_unit: str = "") -> Quantity | None:
    """`parse_quantity`, remembered per distinct text and unit: weights, rates and scores repeat (100%, 10)."""
    return parse_quantity(text, default_unit)


@lru_cache(maxsize=1024)
def _figures(text: str) -> tuple[Quantity | DateValue, ...]:
    """The dates and quantities of a goal, outcome or prose text, in order; remembered per distinct text for
    a document checked again (an editor's, a watched file's), since finding them is most of what reading
    those texts costs."""
    dates, quantities = find_dates(text), find_quantities(text)
    if not dates:
        return tuple(quantities)  # found in order already: most texts state no date
    return tuple(sorted([*dates, *quantities], key=lambda f: f.start))


@dataclass(slots=True)
class _Header:
    """A header row as read: the block it heads (`_GOAL`, `_FUNDING` or `_INDICATOR`), its width (rows with
    fewer cells lack leading merged ones, see `align`), the columns it names and how each column's cells are
    read. Worked out once per distinct header (`PerformanceExtractor._heading`), not for every row under it:
    every table of a document, and the documents of one template, repeat their headers."""

    block: int
    width: int
    columns: dict[str, int]
    #: (field, column, fact name, how its cells are read) in the order of ``columns``.
    reads: tuple[tuple[str, int, str, int], ...] = ()
    money_unit: str = "万元"

    @classmethod
    def of(cls, block: int, texts: tuple[str, ...], columns: dict[str, int]) -> _Header:
        """The header of ``block`` whose cells hold ``texts`` and name ``columns``."""
        if block == _INDICATOR:
            reads = tuple((f, i, f"绩效.指标.{f}", _reading(f)) for f, i in columns.items() if f != "三级指标")
            return cls(block, len(texts), columns, reads)
        if block == _FUNDING:
            unit_match = _UNIT_IN_HEADER.search(" ".join(texts))
            reads = tuple((f, i, f"绩效.资金.{f}", _NUMBER) for f, i in columns.items())
            return cls(block, len(texts), columns, reads, unit_match.group(1) if unit_match else "万元")
        return cls(block, len(texts), columns)


def _reading(field_name: str) -> int:
    """How an indicator column's cells are read (`_TARGET`, `_TEXT`…), by the field the column holds."""
    if field_name in LEVEL_FIELDS:
        return _LEVEL
    if field_name in TARGET_FIELDS:
        return _TARGET
    return _TEXT if field_name in TEXT_FIELDS else _NUMBER


class PerformanceExtractor:
    """The facts of a document's self-assessment tables, by one vocabulary's wording."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        perf = vocabulary.performance
        self.tables: dict[str, list[str]] = perf.get("tables", {})
        self.name_labels = [_norm(x) for x in perf.get("name_labels", [])]
        self.total_labels = frozenset(_norm(x) for x in perf.get("total_labels", []))
        self.funding_columns: dict[str, list[str]] = perf.get("funding_columns", {})
        self.funding_rows = {k: [_norm(x) for x in v] for k, v in perf.get("funding_rows", {}).items()}
        self.indicator_columns: dict[str, list[str]] = perf.get("indicator_columns", {})
        self.goal_columns: dict[str, list[str]] = perf.get("goal_columns", {})
        self.funding_matcher = HeaderMatcher(self.funding_columns)
        self.indicator_matcher = HeaderMatcher(self.indicator_columns)
        self.goal_matcher = HeaderMatcher(self.goal_columns)
        # What a cell text must be for `_cell_kind` to ask the matchers or the total labels about it: a synonym,
        # short enough to hold one, or as short as a total label (most cells are figures or long texts).
        self._synonyms = self.goal_matcher.words | self.funding_matcher.words | self.indicator_matcher.words
        self._longest_total = max(map(len, self.total_labels), default=0)
        self.stop_words = [_norm(x) for x in perf.get("reference_stop_words", [])]
        self.skip_before = tuple(perf.get("reference_skip_before", []))
        self.target_words = tuple(_norm(x) for x in perf.get("reference_target_words", []))
        self.section_words = tuple(_norm(h) for t in vocabulary.topics if t.name == "绩效" for h in t.headings)
        self.captions = {kind: [_norm(c) for c in captions] for kind, captions in self.tables.items()}
        # What the extractor learns of texts, kept across documents (`extract_performance`) as it depends on
        # the texts and the wording only.
        self._parts_of: dict[str, list[str]] = {}  # `_parts` per indicator name
        self._kinds: dict[str, int] = {}  # `_cell_kind` per distinct cell text
        self._headers: dict[tuple[str, ...], _Header | None] = {}  # `_heading` per distinct row that may head

    def kind_of(self, table: LogicalTable) -> str | None:
        title = _norm(" ".join(c.text for c in table.caption))
        for kind, captions in self.captions.items():
            if any(c in title for c in captions):
                return kind
        return None

    def extract(self, document: Document) -> list[Fact]:
        for memory in (self._kinds, self._parts_of, self._headers):
            if len(memory) > REMEMBERED_TEXTS:
                memory.clear()  # kept across documents (`extract_performance`), so kept within bounds
        facts: list[Fact] = []
        seen: dict[str, int] = {}
        for table in logical_tables(document.blocks):
            kind = self.kind_of(table)
            if kind is None:
                continue
            name = self._name(table) or f"{table.title}#{table.tables[0].index}"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name}#{seen[name]}"
            facts.extend(self._table_facts(table, kind, name))
        return facts + self._narrative_references(document, facts)

    def _narrative_references(self, document: Document, facts: list[Fact]) -> list[Fact]:
        """``正文实际值``: a figure the prose of the performance section states for an indicator of its tables
        (完成村组道路日常养护86公里 for 村组道路日常养护里程) — only where the words before it, project names left
        out, share a distinctive part of one indicator's name, fit its actual's unit and speak of no target
        (计划, 目标…)."""
        actuals = {f.dims: f.value.value for f in facts
                   if f.name == "绩效.指标.实际值" and getattr(f.value, "value", None) is not None}
        if not actuals:
            return []
        # The same for every paragraph: worked out once.
        projects = sorted({_norm(v) for d in actuals for k, v in d if k == "项目"}, key=len, reverse=True)
        by_unit = self._scorers(_by_unit(actuals))
        out: list[Fact] = []
        for section in document.root.walk():
            if not any(w in _norm(node.title) for node in section.path() for w in self.section_words):
                continue
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    out.extend(self._prose_references(block, by_unit, projects))
        return out

    def _prose_references(self, paragraph: Paragraph, by_unit: dict[object, _Names],
                          projects: list[str]) -> list[Fact]:
        """``正文实际值`` facts of one paragraph; ``by_unit`` holds the indicators with an actual, by its
        `_unit_class`, and ``projects`` the projects' names, longest first."""
        text = paragraph.text
        figures = _figures(text)
        out, previous_end = [], 0
        for figure in figures:
            gap, previous_end = text[previous_end:figure.start], figure.end
            window = _norm(gap)
            if any(w in window for w in self.target_words) or window.endswith(self.skip_before) \
                    or _norm(text[figure.end:figure.end + 2]).startswith("项目"):
                continue  # a target, a cut-off date, or a count of projects (“……专项资金”2个项目)
            for project in projects:  # a project's name is not its indicators' words
                window = window.replace(project, "|")
            fitting = by_unit.get(_unit_class(figure))
            scored = fitting.scores(window) if fitting is not None else []
            top = max((score for score, _ in scored), default=0)
            best = [dims for score, dims in scored if score == top]
            if len(best) != 1:  # no indicator's words, or two indicators' alike
                continue
            out.append(Fact("绩效.指标.正文实际值", Target(None, figure, figure.text),
                            paragraph.location.narrow(figure.start, figure.end), text, best[0]))
        return out

    def _name(self, table: LogicalTable) -> str | None:
        for row in table.rows:
            cells = filled(row)
            for i, cell in enumerate(cells[:-1]):
                if _norm(cell.text) in self.name_labels:
                    return cells[i + 1].text.strip()
        return None

    def _table_facts(self, table: LogicalTable, kind: str, name: str) -> list[Fact]:
        key: Dims = (("项目", name),)
        first = table.caption[0] if table.caption else table.rows[0].cells[0]
        facts = [Fact("绩效.自评表.类型", kind, first.location, first.text, key)]
        funding_header: _Header | None = None
        indicator_header: _Header | None = None
        carried: dict[int, str] = {}
        indicator_names: dict[str, int] = {}
        goal_header: _Header | None = None
        goal_cells: dict[str, Cell] = {}
        for row in table.rows:
            if goal_header is not None:
                cells = align(goal_header.width, row)
                goal_cells = {f: cells[i] for f, i in goal_header.columns.items()
                              if i in cells and cells[i].text.strip()}
                goal_header = None
                continue
            row_kind, kinds = 0, self._kinds
            for cell in row.cells:
                known = kinds.get(cell.text)
                row_kind += self._cell_kind(cell.text) if known is None else known
            heading = self._heading(row, row_kind) if row_kind % _TOTAL else None  # None: no cell may head
            if heading is not None:
                if heading.block == _GOAL:
                    goal_header, funding_header, indicator_header = heading, None, None
                elif heading.block == _FUNDING:
                    funding_header, indicator_header = heading, None
                else:
                    indicator_header, funding_header, carried = heading, None, {}
                continue
            if _count(row_kind, _TOTAL):  # only rows that head nothing are read by their words
                facts.extend(self._total_facts(row, key))
                indicator_header = None
                continue
            if funding_header is not None:
                source = self._funding_row([_norm(c.text) for c in row.cells])
                if source is None:
                    funding_header = None
                else:
                    row_key = (*key, ("来源", source))
                    row_facts = self._funding_facts(row, funding_header, row_key)
                    if row_facts:
                        facts.append(Fact("绩效.资金.表类型", kind, row_facts[0].location, kind, row_key))
                    facts.extend(row_facts)
                    continue
            if indicator_header is not None:
                facts.extend(self._indicator_facts(row, indicator_header, key, carried, indicator_names))
        for field_name, cell in goal_cells.items():
            facts.append(Fact(f"绩效.自评表.{field_name}", cell.text.strip(), cell.location, cell.text, key))
        facts.extend(self._text_references(goal_cells, facts))
        return facts

    def _heading(self, row: Row, row_kind: int) -> _Header | None:
        """The header a row is, or None. Each matcher gives every field a cell of its own, so it is asked only
        when enough of the row's cells may head its columns for it to find what it must (most rows are data
        and have none, or one such as 按照完成比例赋分); the answer is remembered per distinct row."""
        goal = _count(row_kind, _GOAL) >= max(len(self.goal_columns), 1)
        funding = _count(row_kind, _FUNDING) >= 2
        indicator = _count(row_kind, _INDICATOR) >= 2
        if not (goal or funding or indicator):
            return None
        texts = tuple(c.text for c in row.cells)
        if texts not in self._headers:
            self._headers[texts] = self._header_of(texts, goal, funding, indicator)
        return self._headers[texts]

    def _header_of(self, texts: tuple[str, ...], goal: bool, funding: bool, indicator: bool) -> _Header | None:
        """`_heading` for a row of these texts, asking only the matchers named."""
        headers = [header_text(t) for t in texts]
        if goal:
            columns = self.goal_matcher(headers)
            if len(columns) == len(self.goal_columns) and columns:
                return _Header.of(_GOAL, texts, columns)
        if funding:
            columns = self.funding_matcher(headers)
            if len(set(columns) & MONEY_FIELDS) >= 2:
                return _Header.of(_FUNDING, texts, columns)
        if indicator:
            columns = self.indicator_matcher(headers)
            if {"三级指标", "权重"} <= set(columns) or {"一级指标", "三级指标"} <= set(columns):
                return _Header.of(_INDICATOR, texts, columns)
        return None

    def _cell_kind(self, text: str) -> int:
        """The counts (`_GOAL`…`_TOTAL`) one cell of this text adds to its row's: asked for every cell of every
        row, answered once per text (the row loop looks the known ones up itself)."""
        kind = self._kinds.get(text)
        if kind is None:
            header = header_text(text)
            kind = 0
            if header in self._synonyms or may_hold_synonym(header):
                kind = ((_GOAL if self.goal_matcher.may_match(header) else 0)
                        + (_FUNDING if self.funding_matcher.may_match(header) else 0)
                        + (_INDICATOR if self.indicator_matcher.may_match(header) else 0))
            # the normal form is as long as the header text (both drop the same spaces): longer ones are no label
            if header and len(header) <= self._longest_total and _norm(text) in self.total_labels:
                kind += _TOTAL
            self._kinds[text] = kind
        return kind

    # ------------------------------------------------------------------ goal / outcome text vs indicators
    def _text_references(self, goal_cells: dict[str, Cell], facts: list[Fact]) -> list[Fact]:
        """Figures the goal and outcome texts state for an indicator, as 文中目标值 / 文中实际值 facts.

        A figure belongs to an indicator when the words just before it share a distinctive part
        (four or more characters, stop words aside) of the indicator's name and its unit fits the
        indicator's target or actual; failing that, when it is the only figure of its unit in the
        text and only one indicator has that unit.
        """
        indicators: dict[Dims, dict[str, object]] = {}
        for fact in facts:
            if fact.name in ("绩效.指标.目标值", "绩效.指标.实际值"):
                indicators.setdefault(fact.dims, {})[fact.field] = fact.value
        out: list[Fact] = []
        for field_name, reference in (("预期目标", "目标值"), ("实际完成情况", "实际值")):
            cell = goal_cells.get(field_name)
            if cell is None:
                continue
            out.extend(self._references_in(cell, reference, indicators))
        return out

    def _references_in(self, cell: Cell, reference: str, indicators: dict[Dims, dict[str, object]]) -> list[Fact]:
        text = cell.text
        figures = _figures(text)
        per_unit = Counter(_unit_class(f) for f in figures)  # how many figures have each unit
        by_unit = _by_unit({dims: values[reference].value for dims, values in indicators.items()
                            if reference in values and getattr(values[reference], "value", None) is not None})
        candidates = self._scorers({unit: by_unit[unit] for unit in per_unit if unit in by_unit})
        out = []
        previous_end = 0
        for figure in figures:
            gap = text[previous_end:figure.start]
            window, previous_end = gap, figure.end
            if gap.rstrip().endswith(self.skip_before):
                continue
            fitting = candidates.get(_unit_class(figure))
            if fitting is None:
                continue
            best = fitting.best(_norm(window))
            if best is None and len(_norm(gap).strip("，,；;：:")) <= 6:
                # 外贸进出口总额实现94亿元，同比增长20.9%: a short connective continues the previous label.
                best = fitting.best(_norm(previous_gap_before(text, figure.start, figures)))
            if best is None:
                if len(fitting.indicators) != 1 or per_unit[_unit_class(figure)] != 1:
                    continue  # not the only figure of its unit
                best = fitting.indicators[0][0]
            name = f"绩效.指标.文中{reference}"
            # Kept as a target without comparator, so rules compare it with the table's cell unit for unit.
            stated = Target(None, figure, figure.text)
            out.append(Fact(name, stated, cell.location.narrow(figure.start, figure.end), text, best))
        return out

    def _scorers(self, by_unit: dict[object, list[Dims]]) -> dict[object, _Names]:
        """`_Names` of the indicators of each unit class."""
        return {unit: _Names([(d, self._parts(dict(d)["指标"])) for d in dims]) for unit, dims in by_unit.items()}

    def _parts(self, indicator: str) -> list[str]:
        """The parts of an indicator's name that words may share with it: those between stop words and
        numbers, of `MIN_OVERLAP` characters or more. Each name is scored against many windows, and recurs
        across documents: it is prepared once."""
        parts = self._parts_of.get(indicator)
        if parts is None:
            name = _norm(indicator)
            for word in self.stop_words:
                name = name.replace(word, "|")
            parts = self._parts_of[indicator] = [p for p in _DIGITS.sub("|", name).split("|") if len(p) >= MIN_OVERLAP]
        return parts

    def _funding_row(self, texts: list[str]) -> str | None:
        for text in texts:
            if not text:
                continue
            for source, labels in self.funding_rows.items():
                if text in labels or text.removeprefix("其中：").removeprefix("其中:") in labels:
                    return source
        return None

    @staticmethod
    def _funding_facts(row: Row, header: _Header, dims: Dims) -> list[Fact]:
        cells = align(header.width, row)
        out = []
        for field_name, index, fact_name, _how in header.reads:
            cell = cells.get(index)
            if cell is None or cell.text.strip() in EMPTY_MARKS:
                continue
            q = _read_quantity(cell.text, header.money_unit if field_name in MONEY_FIELDS else "")
            if q is not None:
                out.append(Fact(fact_name, q, cell.location, cell.text, dims))
        return out

    @staticmethod
    def _indicator_facts(row: Row, header: _Header, key: Dims, carried: dict[int, str],
                         names: dict[str, int]) -> list[Fact]:
        cells = align(header.width, row)
        level3 = cells.get(header.columns.get("三级指标", -1))
        indicator = level3.text.strip() if level3 is not None else ""
        if not indicator:
            return []
        for label in LEVEL_FIELDS:
            index = header.columns.get(label)
            cell = cells.get(index) if index is not None else None
            if cell is not None and cell.text.strip():
                carried[index] = cell.text.strip()
        names[indicator] = names.get(indicator, 0) + 1
        if names[indicator] > 1:
            indicator = f"{indicator}#{names[indicator]}"
        dims = (*key, ("指标", indicator))
        out: list[Fact] = []
        target: Target | None = None  # the 目标值 as read here, for `_missing_actual` not to read it again
        for field_name, index, fact_name, how in header.reads:
            cell = cells.get(index)
            if how == _LEVEL:
                if index in carried:
                    loc = cell.location if cell is not None and cell.text.strip() else level3.location
                    out.append(Fact(fact_name, carried[index], loc, carried[index], dims))
                continue
            if cell is None:
                continue
            text = cell.text.strip()
            if text in EMPTY_MARKS:
                continue
            if how == _TARGET:
                value, problem = _read_target(cell.text)
                if field_name == "目标值":
                    target = value
                out.append(Fact(fact_name, value, cell.location, cell.text, dims))
                if problem is not None:
                    out.append(Fact("绩效.指标.格式问题", f"{field_name}“{text}”{problem}", cell.location, cell.text,
                                    dims))
            elif how == _TEXT:
                out.append(Fact(fact_name, text, cell.location, cell.text, dims))
            elif (quantity := _read_quantity(cell.text)) is not None:
                out.append(Fact(fact_name, quantity, cell.location, cell.text, dims))
        out.extend(_missing_actual(header.columns, cells, dims, target))
        return out

    @staticmethod
    def _total_facts(row: Row, key: Dims) -> list[Fact]:
        numbers = [(c, q) for c in row.cells if (q := _read_quantity(c.text)) is not None]
        out = []
        if len(numbers) >= 2:
            cell, q = numbers[0]
            out.append(Fact("绩效.自评表.权重合计", q, cell.location, cell.text, key))
        if numbers:
            cell, q = numbers[-1]
            out.append(Fact("绩效.自评表.总分", q, cell.location, cell.text, key))
        return out


class _Names:
    """Indicators of one unit class, as (dims, `PerformanceExtractor._parts` of the name), ready to be scored
    against the words before a figure. A window shares a part of `MIN_OVERLAP` characters only with the
    indicators it shares a run of that many characters with: for many indicators (the prose is compared with
    all of a document's), an index from each run of the names to the indicators holding it finds those, and
    only they are scored, since most windows share nothing with most names; a few are simply all scored."""

    def __init__(self, indicators: list[tuple[Dims, list[str]]]) -> None:
        self.indicators = indicators
        self._by_run: dict[str, set[int]] | None = None  # made on first use, for many indicators only

    def scores(self, window: str) -> list[tuple[int, Dims]]:
        """(`_overlap`, dims) of the indicators sharing a part with ``window`` (normalised), in their order."""
        if len(self.indicators) < INDEXED_FROM:
            return [(score, dims) for dims, parts in self.indicators if (score := _overlap(window, parts))]
        by_run, hits = self._index(), set()
        for i in range(len(window) - MIN_OVERLAP + 1):
            found = by_run.get(window[i:i + MIN_OVERLAP])
            if found is not None:
                hits |= found
        return [(_overlap(window, self.indicators[n][1]), self.indicators[n][0]) for n in sorted(hits)]

    def _index(self) -> dict[str, set[int]]:
        if self._by_run is None:
            self._by_run = {}
            for n, (_dims, parts) in enumerate(self.indicators):
                for part in parts:
                    for i in range(len(part) - MIN_OVERLAP + 1):
                        self._by_run.setdefault(part[i:i + MIN_OVERLAP], set()).add(n)
        return self._by_run

    def best(self, window: str) -> Dims | None:
        """The first of the indicators sharing the longest part with ``window``, or None: none shares one."""
        scored = self.scores(window)
        return max(scored, key=lambda s: s[0])[1] if scored else None


def _overlap(window: str, parts: list[str]) -> int:
    """Length of the longest common substring of window and an indicator name's parts (a common part never
    spans a blanked word); only parts of `MIN_OVERLAP` characters or more are looked for, 0 if none."""
    best = MIN_OVERLAP - 1
    for part in parts:
        for i in range(len(part) - best):
            j = i + best + 1
            while j <= len(part) and part[i:j] in window:
                best, j = j - i, j + 1
    return best if best >= MIN_OVERLAP else 0


def _count(row_kind: int, block: int) -> int:
    """How many of a row's cells ``row_kind`` counts for ``block`` (`_GOAL`…`_TOTAL`)."""
    return row_kind // block & 0xFFFF


def _missing_actual(columns: dict[str, int], cells: dict[int, Cell], dims: Dims,
                    target: Target | None = None) -> list[Fact]:
    """An indicator with a figure as its target and nothing in its 实际值 cell: the outcome is not reported.
    ``target`` is the 目标值 cell already read, if it was."""
    target_at, actual_at = columns.get("目标值"), columns.get("实际值")
    if target_at is None or actual_at is None or target_at not in cells or actual_at not in cells:
        return []
    if target is None:
        target = _read_target(cells[target_at].text)[0]
    actual = cells[actual_at]
    if target.value is None or actual.text.strip() not in EMPTY_MARKS:
        return []
    return [Fact("绩效.指标.格式问题", f"实际值“{actual.text.strip()}”为空", actual.location, actual.text, dims)]


def previous_gap_before(text: str, start: int, figures: Sequence[Quantity | DateValue]) -> str:
    """The text from the end of the figure two before ``start`` up to ``start``: the previous label and figure."""
    ends = [f.end for f in figures if f.end <= start]
    return text[ends[-2] if len(ends) >= 2 else 0:start]


def _unit_class(figure: object) -> object:
    """Figures of one class, and only they, have the same unit: both dates, or both quantities of one unit
    (any two money units count as one). None: no figure, of the same unit as nothing."""
    if isinstance(figure, DateValue):
        return "date"
    if isinstance(figure, Quantity):
        return "money" if figure.is_money else ("unit", figure.unit)
    return None


def _by_unit(values: dict[Dims, object]) -> dict[object, list[Dims]]:
    """The dims of ``values`` by their value's `_unit_class`, in order: those fitting a figure are looked up,
    not found by comparing the figure with every value."""
    out: dict[object, list[Dims]] = {}
    for dims, value in values.items():
        unit = _unit_class(value)
        if unit is not None:
            out.setdefault(unit, []).append(dims)
    return out


#: Extractors by their vocabulary's performance wording (`_wording`), a few at most: see `extract_performance`.
_EXTRACTORS: dict[str, PerformanceExtractor] = {}


def extract_performance(document: Document, vocabulary: Vocabulary) -> list[Fact]:
    """The facts of the document's self-assessment tables and of its performance section's prose. The
    extractor is kept for the next document of the same wording: what it learns of cell texts and indicator
    names (what a text may head, a name's parts) depends on nothing else, and tables repeat their texts."""
    wording = _wording(vocabulary)
    extractor = _EXTRACTORS.get(wording)
    if extractor is None:
        if len(_EXTRACTORS) >= 4:
            _EXTRACTORS.clear()
        extractor = _EXTRACTORS[wording] = PerformanceExtractor(vocabulary)
    return extractor.extract(document)


def _wording(vocabulary: Vocabulary) -> str:
    """All a `PerformanceExtractor` reads of a vocabulary, as text: equal for equal wording, whichever object
    holds it (vocabularies are merged in place, so their identity says nothing)."""
    return repr((vocabulary.performance, [t.headings for t in vocabulary.topics if t.name == "绩效"]))
