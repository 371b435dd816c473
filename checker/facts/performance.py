"""Facts from performance self-assessment tables (整体/项目支出绩效自评表).

A table is recognised by its caption; its funding block by a header row naming the
funding columns (年初预算数, 全年预算数…); its indicator block by a header row naming the
indicator columns (一级指标, 三级指标, 权重…). All the wording comes from the vocabulary's
``[performance]`` section; merged (empty) 一级/二级 cells inherit the value above them.
"""

from __future__ import annotations

import re

from checker.facts.model import Dims, Fact
from checker.model import Cell, Document, Row
from checker.quantity import parse_quantity, parse_target, to_halfwidth
from checker.tables import LogicalTable, align, column_index, filled, logical_tables
from checker.vocabulary import Vocabulary

EMPTY_MARKS = {"", "-", "—", "/", "－", "——", "无", "不适用"}
_UNIT_IN_HEADER = re.compile(r"[（(]\s*(万元|元|亿元)\s*[）)]")
MONEY_FIELDS = {"年初预算数", "全年预算数", "全年执行数"}
TARGET_FIELDS = {"目标值", "实际值"}
TEXT_FIELDS = {"一级指标", "二级指标", "三级指标", "设定依据", "上年完成情况", "赋分规则", "佐证资料", "偏差原因"}


def _norm(text: str) -> str:
    return "".join(to_halfwidth(text).split()).replace("(", "（").replace(")", "）")


class PerformanceExtractor:
    def __init__(self, vocabulary: Vocabulary) -> None:
        perf = vocabulary.performance
        self.tables: dict[str, list[str]] = perf.get("tables", {})
        self.name_labels = [_norm(x) for x in perf.get("name_labels", [])]
        self.total_labels = [_norm(x) for x in perf.get("total_labels", [])]
        self.funding_columns: dict[str, list[str]] = perf.get("funding_columns", {})
        self.funding_rows = {k: [_norm(x) for x in v] for k, v in perf.get("funding_rows", {}).items()}
        self.indicator_columns: dict[str, list[str]] = perf.get("indicator_columns", {})

    def kind_of(self, table: LogicalTable) -> str | None:
        title = _norm(" ".join(c.text for c in table.caption))
        for kind, captions in self.tables.items():
            if any(_norm(c) in title for c in captions):
                return kind
        return None

    def extract(self, document: Document) -> list[Fact]:
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
        return facts

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
        funding_header: tuple[Row, dict[str, int]] | None = None
        indicator_header: tuple[Row, dict[str, int]] | None = None
        carried: dict[int, str] = {}
        indicator_names: dict[str, int] = {}
        for row in table.rows:
            texts = [_norm(c.text) for c in row.cells]
            funding_cols = column_index(row, self.funding_columns)
            if len(set(funding_cols) & MONEY_FIELDS) >= 2:
                funding_header, indicator_header = (row, funding_cols), None
                continue
            indicator_cols = column_index(row, self.indicator_columns)
            if {"三级指标", "权重"} <= set(indicator_cols) or {"一级指标", "三级指标"} <= set(indicator_cols):
                indicator_header, funding_header, carried = (row, indicator_cols), None, {}
                continue
            if any(t in self.total_labels for t in texts if t):
                facts.extend(self._total_facts(row, key))
                indicator_header = None
                continue
            if funding_header is not None:
                source = self._funding_row(texts)
                if source is None:
                    funding_header = None
                else:
                    facts.extend(self._funding_facts(row, funding_header, (*key, ("来源", source))))
                    continue
            if indicator_header is not None:
                facts.extend(self._indicator_facts(row, indicator_header, key, carried, indicator_names))
        return facts

    def _funding_row(self, texts: list[str]) -> str | None:
        for text in texts:
            if not text:
                continue
            for source, labels in self.funding_rows.items():
                if text in labels or text.removeprefix("其中：").removeprefix("其中:") in labels:
                    return source
        return None

    def _funding_facts(self, row: Row, header: tuple[Row, dict[str, int]], dims: Dims) -> list[Fact]:
        header_row, columns = header
        unit_match = _UNIT_IN_HEADER.search(" ".join(c.text for c in header_row.cells))
        money_unit = unit_match.group(1) if unit_match else "万元"
        cells = align(header_row, row)
        out = []
        for field_name, index in columns.items():
            cell = cells.get(index)
            if cell is None or cell.text.strip() in EMPTY_MARKS:
                continue
            q = parse_quantity(cell.text, money_unit if field_name in MONEY_FIELDS else "")
            if q is not None:
                out.append(Fact(f"绩效.资金.{field_name}", q, cell.location, cell.text, dims))
        return out

    def _indicator_facts(self, row: Row, header: tuple[Row, dict[str, int]], key: Dims,
                         carried: dict[int, str], names: dict[str, int]) -> list[Fact]:
        header_row, columns = header
        cells = align(header_row, row)
        level3 = cells.get(columns.get("三级指标", -1))
        if level3 is None or not level3.text.strip():
            return []
        for label in ("一级指标", "二级指标"):
            index = columns.get(label)
            if index is None:
                continue
            cell = cells.get(index)
            if cell is not None and cell.text.strip():
                carried[index] = cell.text.strip()
        indicator = level3.text.strip()
        names[indicator] = names.get(indicator, 0) + 1
        if names[indicator] > 1:
            indicator = f"{indicator}#{names[indicator]}"
        dims = (*key, ("指标", indicator))
        out: list[Fact] = []
        for field_name, index in columns.items():
            if field_name == "三级指标":
                continue
            cell = cells.get(index)
            text = cell.text.strip() if cell is not None else ""
            if field_name in ("一级指标", "二级指标"):
                if index in carried:
                    loc = cell.location if cell is not None and text else level3.location
                    out.append(Fact(f"绩效.指标.{field_name}", carried[index], loc, carried[index], dims))
                continue
            if cell is None or text in EMPTY_MARKS:
                continue
            value = self._cell_value(field_name, cell)
            if value is not None:
                out.append(Fact(f"绩效.指标.{field_name}", value, cell.location, cell.text, dims))
        return out

    @staticmethod
    def _cell_value(field_name: str, cell: Cell):
        if field_name in TARGET_FIELDS:
            return parse_target(cell.text)
        if field_name in TEXT_FIELDS:
            return cell.text.strip()
        return parse_quantity(cell.text)

    @staticmethod
    def _total_facts(row: Row, key: Dims) -> list[Fact]:
        numbers = [(c, q) for c in row.cells if (q := parse_quantity(c.text)) is not None]
        out = []
        if len(numbers) >= 2:
            cell, q = numbers[0]
            out.append(Fact("绩效.自评表.权重合计", q, cell.location, cell.text, key))
        if numbers:
            cell, q = numbers[-1]
            out.append(Fact("绩效.自评表.总分", q, cell.location, cell.text, key))
        return out


def extract_performance(document: Document, vocabulary: Vocabulary) -> list[Fact]:
    return PerformanceExtractor(vocabulary).extract(document)
