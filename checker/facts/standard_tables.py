"""Facts from the nine standard tables (第四部分 部门决算报表), in PDFs and in .txt/.docx disclosures alike.

Everything a report's wording decides comes from the vocabulary's ``[tables]`` section
(``rules/vocabulary/tables.toml``): the titles that name each table, the header words of its
columns, the labels of its rows. The code only knows three layouts:

* ``subjects`` — rows of 科目 (function codes 201 / 20106 / 2010601, or economic codes 301 / 30101,
  printed in one column or split 类 | 款 | 项) with amount columns; records ``表.<key>.科目`` keyed
  by 编码 and 科目名称 (fields 级次, 类, 款 and the amounts), and the total row as scalars
  ``表.<key>.合计.<column>``;
* ``totals`` — the two-sided 收入 | 支出 tables; each listed row label gives a scalar
  ``表.<key>.<row>`` (``.<column>`` when the side has several amount columns) and the function
  classes of the 支出 side give records ``表.<key>.支出功能`` keyed by 类;
* ``grid`` — the 三公 table: item and measure read from each amount column's header path
  (``表.三公.公务接待费.决算数``).

Headers may span several rows: a merged header cell covers the columns to its right up to the end
of its parent's span, so each column has a path of header texts. Blank cells are not facts (rules
read them with 或零); the 单位 line sets the unit of every amount. Every present table also gives a
record of ``表.清单`` (template order, position, whether it has figures, its 单位, an empty-table
declaration) so completeness can be checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from checker.facts.model import Dims, Fact
from checker.facts.outline import texts_holding
from checker.model import Block, Cell, Document, Location, Paragraph, Row, Table
from checker.quantity import cjk_parens, parse_quantity, to_halfwidth
from checker.tables import LogicalTable, logical_tables
from checker.vocabulary import Vocabulary

_UNIT = re.compile(r"单位[:：]\s*(万元|千元|亿元|元)")
_UNIT_IN_HEADER = re.compile(r"[（(]\s*(万元|千元|亿元|元)\s*[）)]")
_CODE = re.compile(r"\d{1,7}")
_FULL_CODE = re.compile(r"\d{3}|\d{5}|\d{7}")
_DECIMAL = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+|-?\d{1,3}(?:,\d{3})+")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[)）])")
# Quotes dropped from titles: by one substitution (translating looks up every character of the text, which for
# Chinese text costs several times as much).
_QUOTES = re.compile("[“”\"'‘’《》〈〉]")
LEVELS = {3: "类", 5: "款", 7: "项"}
MAX_TITLE = 60
_UNIT_NOTE = re.compile(r"[（(]?单位[:：].*$")  # 单位：万元 after a title


def _norm(text: str) -> str:
    return "".join(to_halfwidth(text).split()).replace("(", "（").replace(")", "）")


def _bare(text: str) -> str:
    """Normalised, quotes dropped, list numbering (一、 / 1. / （一）) removed."""
    return _NUMBERING.sub("", _QUOTES.sub("", _norm(text)))


@dataclass(frozen=True)
class Spec:
    title: str
    key: str
    order: int
    rank: int
    layout: str
    titles: tuple[str, ...]


@dataclass
class Found:
    spec: Spec
    table: LogicalTable
    title_location: Location
    title_text: str
    before: list[Paragraph]
    after: list[Paragraph]


class StandardTableExtractor:
    def __init__(self, vocabulary: Vocabulary) -> None:
        cfg = vocabulary.tables
        self.specs = [Spec(title, entry["key"], int(entry["order"]),
                           int(entry.get("rank", entry["order"])), entry.get("layout", "subjects"),
                           tuple(entry.get("titles", [title])))
                      for title, entry in cfg.get("standard", {}).items()]
        self.specs.sort(key=lambda s: s.order)
        self.columns: dict[str, dict[str, list[str]]] = cfg.get("columns", {})
        self.total_rows: dict[str, dict[str, list[str]]] = cfg.get("total_rows", {})
        self.sides: dict[str, dict[str, dict]] = cfg.get("sides", {})
        self.grid: dict[str, dict[str, dict[str, list[str]]]] = cfg.get("grid", {})
        self.empty_marks = [_norm(x) for x in cfg.get("empty_marks", [])]
        self.total_labels = {_bare(x) for x in cfg.get("total_labels", ["合计", "总计"])}
        self.label_headers = {_norm(x) for x in cfg.get("label_headers", [])}
        self.title_noise = [re.compile(p) for p in cfg.get("title_noise", [])]
        self._titles = sorted(((_bare(t), spec) for spec in self.specs for t in spec.titles),
                              key=lambda ts: -len(ts[0]))
        self._synonyms = tuple(synonym for synonym, _ in self._titles)

    # ------------------------------------------------------------------ recognition
    def spec_of(self, text: str) -> Spec | None:
        """The standard table a title names (the longest synonym the title ends with)."""
        title = _QUOTES.sub("", _norm(text))
        title = _UNIT_NOTE.sub("", title)
        for pattern in self.title_noise:
            title = pattern.sub("", title)
        if not title or len(title) > MAX_TITLE:
            return None
        if not title.endswith(self._synonyms):  # most texts asked are no title: one test rules them out
            return None
        for synonym, spec in self._titles:
            if title.endswith(synonym):
                return spec
        return None

    def find(self, document: Document) -> list[Found]:
        blocks = document.blocks
        position = {id(b): i for i, b in enumerate(blocks)}
        out: list[Found] = []
        for table in logical_tables(blocks):
            start = position[id(table.tables[0])]
            end = position[id(table.tables[-1])]
            before = _paragraphs(blocks, start, -1)
            after = _paragraphs(blocks, end, 1)
            for text, location in [*((c.text, c.location) for c in table.caption),
                                   *((p.text, p.location) for p in before),
                                   *((c.text, c.location) for c in _leading_title_cells(table))]:
                spec = self.spec_of(text)
                if spec is not None:
                    out.append(Found(spec, table, location, text, before, after))
                    break
        return out

    def mentions(self, document: Document) -> list[Fact]:
        """``表.提及`` records: each standard table the text names anywhere (a 目录 line, a list of the
        tables, a caption), under any of its titles. A name inside a longer title belongs to the longer
        one (支出决算表 in 一般公共预算财政拨款支出决算表), so each table is counted only for its own name."""
        facts: list[Fact] = []
        named: set[str] = set()
        for text, location in texts_holding(document, "表"):  # every title ends with 表: most cells are figures
            bare = _QUOTES.sub("", _norm(text))
            claimed: list[tuple[int, int]] = []
            for synonym, spec in self._titles:  # longest first
                at = bare.find(synonym)
                while at >= 0 and any(a <= at and at + len(synonym) <= b for a, b in claimed):
                    at = bare.find(synonym, at + 1)
                if at < 0:
                    continue
                claimed.append((at, at + len(synonym)))
                if spec.title not in named:
                    named.add(spec.title)
                    facts.append(Fact("表.提及.标题", synonym, location, text, (("表", spec.title),)))
        return facts

    # ------------------------------------------------------------------ extraction
    def extract(self, document: Document) -> list[Fact]:
        facts: list[Fact] = self.mentions(document)
        previous: int | None = None
        listed: set[str] = set()
        for position, found in enumerate(self.find(document), 1):
            spec = found.spec
            unit, unit_text = self._unit(found)
            grid = _Grid(found.table.rows, self, spec.layout)
            if spec.layout == "totals":
                table_facts = self._totals(spec, grid, unit)
            elif spec.layout == "grid":
                table_facts = self._grid(spec, grid, unit)
            else:
                table_facts = self._subjects(spec, grid, unit)
            facts.extend(table_facts)
            if spec.title in listed:
                continue
            listed.add(spec.title)
            key: Dims = (("表", spec.title),)
            loc = found.title_location
            facts.append(Fact("表.清单.序号", _count(position), loc, found.title_text, key))
            facts.append(Fact("表.清单.模板序号", _count(spec.order), loc, found.title_text, key))
            facts.append(Fact("表.清单.位次", _count(spec.rank), loc, found.title_text, key))
            if previous is not None:
                facts.append(Fact("表.清单.前表位次", _count(previous), loc, found.title_text, key))
            previous = spec.rank
            has_data = any(f.source.strip() for f in table_facts if not isinstance(f.value, str))
            facts.append(Fact("表.清单.数据", "有" if has_data else "无", loc, found.title_text, key))
            if unit_text is not None:
                facts.append(Fact("表.清单.单位", unit, unit_text[1], unit_text[0], key))
            declared = self._empty_declaration(found)
            if declared is not None:
                facts.append(Fact("表.清单.空表说明", declared[0], declared[1], declared[0], key))
        return facts

    def _unit(self, found: Found) -> tuple[str, tuple[str, Location] | None]:
        texts = [*((c.text, c.location) for c in found.table.caption),
                 *((p.text, p.location) for p in found.before)]
        for row in found.table.rows[:4]:
            texts.extend((c.text, c.location) for c in row.cells)
        for text, location in texts:
            m = _UNIT.search(to_halfwidth(text)) or _UNIT_IN_HEADER.search(to_halfwidth(text))
            if m:
                return m.group(1), (text, location)
        return "万元", None

    def _empty_declaration(self, found: Found) -> tuple[str, Location] | None:
        candidates = [*((c.text, c.location) for row in found.table.rows for c in row.cells),
                      *((c.text, c.location) for c in found.table.caption),
                      *((p.text, p.location) for p in found.after),
                      *((p.text, p.location) for p in found.before if len(p.text) <= MAX_TITLE)]
        for text, location in candidates:
            normal = _norm(text)
            if any(mark in normal for mark in self.empty_marks):
                return text.strip(), location
        return None

    # ---- subjects
    def _subjects(self, spec: Spec, grid: _Grid, unit: str) -> list[Fact]:
        fields = self.columns.get(spec.title, {})
        totals = self.total_rows.get(spec.title) or {"合计": sorted(self.total_labels)}
        total_names = {_bare(s): name for name, syns in totals.items() for s in syns}
        facts: list[Fact] = []
        names: dict[str, str] = {}
        seen: dict[Dims, int] = {}
        for half in grid.halves():
            columns = grid.match(half, fields)
            if not columns:
                continue
            first_value = min(columns.values())
            labels = [j for j in half if j < first_value and not grid.is_row_number(j)]
            for row in grid.data_rows():
                cells = grid.cells(row)
                texts = [_norm(cells[j].text) if j in cells else "" for j in labels]
                code = "".join(t for t in texts if _CODE.fullmatch(t))
                words = [t for t in texts if t and not _CODE.fullmatch(t) and t not in self.label_headers
                         and not set(t) <= {"…", "."}]
                name = cjk_parens(cells[labels[texts.index(words[-1])]].text.strip()) if words else ""
                if code and _FULL_CODE.fullmatch(code) and name:
                    level = LEVELS[len(code)]
                    names[code] = name
                    dims: Dims = (("编码", code), ("科目名称", name))
                    seen[dims] = seen.get(dims, 0) + 1
                    if seen[dims] > 1:
                        dims = (("编码", code), ("科目名称", f"{name}#{seen[dims]}"))
                    prefix = f"表.{spec.key}.科目"
                    where = cells[labels[texts.index(words[-1])]].location
                    facts.append(Fact(f"{prefix}.级次", level, where, name, dims))
                    facts.append(Fact(f"{prefix}.类", names.get(code[:3], ""), where, name, dims))
                    if level != "类":
                        facts.append(Fact(f"{prefix}.款", names.get(code[:5], ""), where, name, dims))
                    facts.extend(_amounts(prefix, columns, cells, unit, dims))
                elif words and _bare(words[-1]) in total_names and not code:
                    prefix = f"表.{spec.key}.{total_names[_bare(words[-1])]}"
                    facts.extend(_amounts(prefix, columns, cells, unit, ()))
        return facts

    # ---- totals
    def _totals(self, spec: Spec, grid: _Grid, unit: str) -> list[Fact]:
        sides = self.sides.get(spec.title, {})
        facts: list[Fact] = []
        halves = grid.halves()
        for index, half in enumerate(halves):
            top = " ".join(grid.path(half[0])[:1])
            side_name = "支出" if "支出" in top else "收入" if "收入" in top else ("收入", "支出")[min(index, 1)]
            side = sides.get(side_name)
            if side is None:
                continue
            columns = grid.match(half, side.get("columns", {}))
            if not columns:
                continue
            label_columns = [j for j in half if j < min(columns.values()) and not grid.is_row_number(j)]
            if not label_columns:
                continue
            rows = {_bare(s): name for name, syns in side.get("rows", {}).items() for s in syns}
            after = {k: set(v) for k, v in side.get("after", {}).items()}
            context: str | None = None
            single = list(columns) == ["值"]
            for row in grid.data_rows():
                cells = grid.cells(row)
                label_cell = next((cells[j] for j in label_columns if j in cells and cells[j].text.strip()), None)
                if label_cell is None:
                    continue
                label = _bare(label_cell.text)
                name = rows.get(label)
                if name is not None:
                    if context is not None and name in after.get(context, ()):
                        name = f"{context}.{name}"
                    else:
                        context = name if name in after else None
                    prefix = f"表.{spec.key}.{name}"
                    if single:
                        facts.extend(_amounts(prefix, columns, cells, unit, (), suffix=False))
                    else:
                        facts.extend(_amounts(prefix, columns, cells, unit, ()))
                elif side.get("classes") and label and not set(label) <= {"…", "."}:
                    context = None
                    dims: Dims = (("类", _NUMBERING.sub("", _norm(label_cell.text))),)
                    facts.extend(_amounts(f"表.{spec.key}.支出功能", columns, cells, unit, dims))
        return facts

    # ---- grid (三公)
    def _grid(self, spec: Spec, grid: _Grid, unit: str) -> list[Fact]:
        config = self.grid.get(spec.title, {})
        items = {_bare(s): name for name, syns in config.get("items", {}).items() for s in syns}
        measures = {_bare(s): name for name, syns in config.get("measures", {}).items() for s in syns}
        facts: list[Fact] = []
        emitted: set[str] = set()
        for row in grid.data_rows():
            cells = grid.cells(row)
            row_words = [_bare(c.text) for c in cells.values() if c.text.strip() and parse_quantity(c.text) is None]
            for j, cell in sorted(cells.items()):
                q = parse_quantity(cell.text, unit)
                if q is None or not cell.text.strip():
                    continue
                path = [_bare(t) for t in grid.path(j)]
                item = _deepest(path, items) or _deepest(row_words, items)
                measure = _deepest(path, measures) or _deepest(row_words, measures)
                if item is None or measure is None:
                    continue
                name = f"表.{spec.key}.{item}.{measure}"
                if name in emitted:
                    continue
                emitted.add(name)
                facts.append(Fact(name, q, cell.location, cell.text))
        return facts


def _deepest(words: list[str], table: dict[str, str]) -> str | None:
    for word in reversed(words):
        if word in table:
            return table[word]
    return None


def _amounts(prefix: str, columns: dict[str, int], cells: dict[int, Cell], unit: str, dims: Dims,
             suffix: bool = True) -> list[Fact]:
    out = []
    for field_name, j in columns.items():
        cell = cells.get(j)
        if cell is None or not cell.text.strip():
            continue
        q = parse_quantity(cell.text, unit)
        if q is None:
            continue
        name = f"{prefix}.{field_name}" if suffix else prefix
        out.append(Fact(name, q, cell.location, cell.text, dims))
    return out


def _count(n: int):
    return parse_quantity(str(n))


def _paragraphs(blocks: list[Block], index: int, step: int, limit: int = 3) -> list[Paragraph]:
    """Up to ``limit`` paragraphs next to blocks[index] in direction ``step``, stopping at a table."""
    out: list[Paragraph] = []
    i = index + step
    while 0 <= i < len(blocks) and len(out) < limit:
        block = blocks[i]
        if isinstance(block, Table):
            break
        out.append(block)
        i += step
    return out


def _leading_title_cells(table: LogicalTable) -> list[Cell]:
    """A title printed in the table's first row beside a 单位 cell (two filled cells)."""
    if not table.rows:
        return []
    return [c for c in table.rows[0].cells if c.text.strip()][:2]


class _Grid:
    """A table's rows as a grid: header zone, header path per column, halves, data rows."""

    def __init__(self, rows: tuple[Row, ...], extractor: StandardTableExtractor, layout: str) -> None:
        self.rows = [r for r in rows if any(c.text.strip() for c in r.cells)]
        self.width = max((len(r.cells) for r in self.rows), default=0)
        self.extractor = extractor
        self.header_count = self._header_count(layout)
        self.paths = self._paths()

    def cells(self, row: Row) -> dict[int, Cell]:
        offset = self.width - len(row.cells)
        return {offset + i: c for i, c in enumerate(row.cells)}

    def _header_count(self, layout: str) -> int:
        if layout == "totals":
            words = {"项目", "决算数", "金额", "行次", "栏次", "收入", "支出", "本年数", "合计"}
            for side in self.extractor.sides.values():
                for config in side.values():
                    words |= {_bare(s) for syns in config.get("columns", {}).values() for s in syns}
            for i, row in enumerate(self.rows):
                texts = [_bare(c.text) for c in row.cells if c.text.strip()]
                if not texts or not all(t in words for t in texts):
                    return i
            return len(self.rows)
        for i, row in enumerate(self.rows):
            texts = [_norm(c.text) for c in row.cells]
            if any(_DECIMAL.fullmatch(t) for t in texts):
                return i
            if layout != "grid" and any(_FULL_CODE.fullmatch(t) for t in texts):
                return i
        return len(self.rows)

    def _paths(self) -> dict[int, list[str]]:
        paths: dict[int, list[str]] = {j: [] for j in range(self.width)}
        parent: list[int | None] = [0] * self.width
        for row in self.rows[: self.header_count]:
            cells = self.cells(row)
            span: list[int | None] = [None] * self.width
            for j in range(self.width):
                text = cells[j].text.strip() if j in cells else ""
                if text:
                    span[j] = j
                elif j > 0 and span[j - 1] is not None and parent[j] == parent[j - 1]:
                    span[j] = span[j - 1]
            for j in range(self.width):
                source = span[j]
                if source is not None:
                    text = _norm(cells[source].text)
                    if not paths[j] or paths[j][-1] != text:
                        paths[j].append(text)
            parent = [s if s is not None else (p if p is not None else -1 - j) for j, (s, p) in
                      enumerate(zip(span, parent, strict=True))]
        return paths

    def path(self, j: int) -> list[str]:
        return self.paths.get(j, [])

    def is_row_number(self, j: int) -> bool:
        return any(t in ("行次", "栏次") for t in self.path(j))

    def halves(self) -> list[list[int]]:
        starts = [0]
        for row in self.rows[: self.header_count]:
            cells = self.cells(row)
            first = _norm(cells[0].text) if 0 in cells else ""
            if not first:
                continue
            for j in range(1, self.width):
                # a Word merged cell repeats its text in every column it covers: only a fresh repeat counts
                previous = _norm(cells[j - 1].text) if j - 1 in cells else ""
                if j in cells and _norm(cells[j].text) == first and previous != first and j not in starts:
                    starts.append(j)
        starts.sort()
        bounds = [*starts, self.width]
        return [list(range(a, b)) for a, b in pairwise(bounds) if b > a]

    def data_rows(self) -> list[Row]:
        return self.rows[self.header_count:]

    def match(self, columns: list[int], fields: dict[str, list[str]]) -> dict[str, int]:
        """Field → column, by the deepest element of each column's header path."""
        scored: list[tuple[int, int, int, int, str]] = []
        for order, (field_name, synonyms) in enumerate(fields.items()):
            for s_index, synonym in enumerate(synonyms):
                parts = [_norm(p) for p in synonym.split("/")]
                for j in columns:
                    path = self.path(j)
                    if not path or any(p in self.extractor.label_headers for p in path):
                        continue
                    leaf = path[-1]
                    if len(parts) > 1:
                        score = 4 if leaf == parts[-1] and all(p in path[:-1] for p in parts[:-1]) else 0
                    elif leaf == parts[0]:
                        score = 3
                    elif len(parts[0]) >= 2 and parts[0] in leaf and not _UNIT_IN_HEADER.fullmatch(leaf):
                        score = 2
                    else:
                        score = 0
                    if score:
                        scored.append((-score, s_index, order, j, field_name))
        found: dict[str, int] = {}
        for _, _, _, j, field_name in sorted(scored):
            if field_name not in found and j not in found.values():
                found[field_name] = j
        return found


def extract_standard_tables(document: Document, vocabulary: Vocabulary) -> list[Fact]:
    return StandardTableExtractor(vocabulary).extract(document)
