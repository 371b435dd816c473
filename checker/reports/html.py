"""The HTML report: one self-contained page per document that bureau staff can read and forward.

The page shows the document itself (paragraphs as paragraphs, tables as tables) with every
figure a finding involves highlighted where it is printed, and beside it the findings grouped
by severity with their figures, expected values, citations and explanation traces. A fix
suggestion strikes through the likely mistyped figure and prints the value it should have beside
it; the side panel lists the suggestions, each with the findings it explains.

Everything on the page comes from this module: the CSS and JavaScript (``assets/``) are
inlined, nothing is fetched, and a Content-Security-Policy forbids any other script or any
network request. Every piece of document text goes through :func:`html.escape`, so a
disclosure that contains ``<script>`` shows it as text.

Several documents render as one page with a section each (``render``), or as a folder of
pages with an ``index.html`` (``write_site``), which is what ``juesuan check -o`` writes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote

from checker.findings import Evidence, Finding, Trace
from checker.model import Document, Location, Paragraph, Table
from checker.reports.model import DocumentResult, DocumentSummary, RunInfo
from checker.suggest.model import Change, Suggestion, where

SEVERITY_ORDER = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def e(value: object) -> str:
    """Text or attribute value, escaped (quotes included)."""
    return escape("" if value is None else str(value), quote=True)


def _asset(name: str) -> str:
    return resources.files("checker.reports").joinpath("assets", name).read_text(encoding="utf-8")


def _severity_name(severity: str) -> str:
    return SEVERITY_NAMES.get(severity, severity)


def _severities(results: Iterable[DocumentResult]) -> list[str]:
    seen = {f.severity for r in results for f in r.findings}
    return [s for s in SEVERITY_ORDER if s in seen] + sorted(seen - set(SEVERITY_ORDER))


_CHINESE_UNITS = {"page": "第 {} 页", "line": "第 {} 行", "column": "第 {} 列", "table": "表 {}", "row": "第 {} 行",
                  "cell": "第 {} 格", "paragraph": "第 {} 段", "offset": "第 {} 字", "sheet": "工作表 {}",
                  "address": "单元格 {}"}


def describe(location: Location | None) -> str:
    """A place in Chinese: 第 12 行 第 5 列, 第 3 段, 表 2 第 4 行 第 1 格, 第 7 页, 工作表 收入决算表 单元格 C7;
    in a bundle, the member file first."""
    if location is None:
        return "（无定位）"
    place = " ".join(_CHINESE_UNITS[unit].format(n) for unit, n in location.parts()) or location.describe()
    other = location.document or location.file  # last year's report, or a bundle's member file
    return f"{other} {place}" if other else place


# ---------------------------------------------------------------------------------------------
# Where each figure sits: document pieces (paragraphs and table cells) and character ranges.


@dataclass
class _Piece:
    """A paragraph or a table cell as shown on the page, with the marks placed on its text."""

    text: str
    base_column: int  # the location column of the text's first character
    marks: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, "finding.evidence"
    fixes: list[tuple[int, int, int, str]] = field(default_factory=list)  # start, end, suggestion, new value


class _Places:
    """Finds the piece of the document and the characters a finding's location points at."""

    def __init__(self, document: Document) -> None:
        # Every key starts with the bundle member's file (None for a single file): the files of a bundle
        # each number their own lines, paragraphs, tables and sheets' cells.
        self.pieces: dict[int, _Piece] = {}
        self.by_cell: dict[tuple, int] = {}
        self.by_row: dict[tuple, list[int]] = {}
        self.by_table: dict[tuple, list[int]] = {}
        self.by_line: dict[tuple, list[int]] = {}
        self.by_paragraph: dict[tuple, int] = {}
        self.by_address: dict[tuple, int] = {}
        self.by_box: dict[tuple, int] = {}
        self.by_page: dict[tuple, list[int]] = {}
        self.ids: dict[int, int] = {}  # id(block or cell) -> piece number
        for block in document.blocks:
            if isinstance(block, Paragraph):
                self._add(block, block.text, block.location)
            else:
                for row in block.rows:
                    for cell in row.cells:
                        number = self._add(cell, cell.text, cell.location)
                        loc = cell.location
                        if loc.table is not None and loc.row is not None and loc.cell is not None:
                            self.by_cell.setdefault((loc.file, loc.table, loc.row, loc.cell), number)
                            self.by_row.setdefault((loc.file, loc.table, loc.row), []).append(number)
                            self.by_table.setdefault((loc.file, loc.table), []).append(number)

    def _add(self, item, text: str, loc: Location) -> int:
        number = len(self.pieces)
        self.pieces[number] = _Piece(text, loc.column if loc.line is not None and loc.column else 1)
        self.ids[id(item)] = number
        f = loc.file
        if loc.line is not None:
            self.by_line.setdefault((f, loc.line), []).append(number)
        if loc.paragraph is not None:
            self.by_paragraph.setdefault((f, loc.paragraph), number)
        if loc.sheet is not None and loc.address is not None:
            self.by_address.setdefault((f, loc.sheet, loc.address), number)
        if loc.page is not None:
            self.by_page.setdefault((f, loc.page), []).append(number)
            if loc.bbox is not None and loc.table is None:
                self.by_box.setdefault((f, loc.page, loc.bbox), number)
        return number

    def pieces_for(self, evidence: Evidence) -> list[int]:
        loc = evidence.location
        f = loc.file
        if loc.table is not None and loc.row is not None:
            if loc.cell is not None and (f, loc.table, loc.row, loc.cell) in self.by_cell:
                return [self.by_cell[(f, loc.table, loc.row, loc.cell)]]
            if loc.cell is None and (f, loc.table, loc.row) in self.by_row:
                return self.by_row[(f, loc.table, loc.row)]
        if loc.sheet is not None and (f, loc.sheet, loc.address) in self.by_address:
            return [self.by_address[(f, loc.sheet, loc.address)]]
        if loc.line is not None and (f, loc.line) in self.by_line:
            candidates = self.by_line[(f, loc.line)]
            if len(candidates) > 1 and loc.column is not None:
                for number in candidates:
                    piece = self.pieces[number]
                    if piece.base_column <= loc.column <= piece.base_column + len(piece.text):
                        return [number]
            return candidates[:1]
        if loc.paragraph is not None and (f, loc.paragraph) in self.by_paragraph:
            return [self.by_paragraph[(f, loc.paragraph)]]
        if loc.page is not None:
            if loc.bbox is not None and (f, loc.page, loc.bbox) in self.by_box:
                return [self.by_box[(f, loc.page, loc.bbox)]]
            for number in self.by_page.get((f, loc.page), []):
                if evidence.display and evidence.display in self.pieces[number].text:
                    return [number]
        if loc.table is not None and loc.row is None and (f, loc.table) in self.by_table:
            return self.by_table[(f, loc.table)]
        return []

    def span(self, piece: _Piece, evidence: Evidence, whole: bool) -> tuple[int, int]:
        """The characters of ``piece`` the evidence covers (the whole text when it cannot tell)."""
        loc, text = evidence.location, piece.text
        if not whole and loc.column is not None:
            start = loc.column - piece.base_column
            end = (loc.end_column - piece.base_column) if loc.end_column is not None else start + len(evidence.display)
            if loc.end_line is not None and loc.line is not None and loc.end_line > loc.line:
                end = len(text)
            if 0 <= start < end <= len(text):
                return start, end
            if 0 <= start < len(text):
                return start, len(text)
        if evidence.display:
            at = text.find(evidence.display)
            if at >= 0:
                return at, at + len(evidence.display)
        return 0, len(text)

    def place(self, finding_number: int, finding: Finding) -> list[str]:
        """Put the finding's marks on the pieces; return the keys of the evidence that was placed."""
        placed: list[str] = []
        for j, evidence in enumerate(finding.locations):
            if evidence.location.document is not None:
                continue  # a figure of another document (last year's report) is not on this page
            numbers = self.pieces_for(evidence)
            key = f"{finding_number}.{j}"
            for number in numbers:
                piece = self.pieces[number]
                if not piece.text:
                    continue
                start, end = self.span(piece, evidence, whole=len(numbers) > 1)
                piece.marks.append((start, end, key))
            if numbers:
                placed.append(key)
        return placed

    def place_fix(self, number: int, change: Change) -> bool:
        """Put a suggestion's change on the figure's piece; whether it was placed."""
        evidence = Evidence(change.fact, change.display, change.location)
        numbers = self.pieces_for(evidence)
        for piece_number in numbers[:1]:
            piece = self.pieces[piece_number]
            start, end = self.span(piece, evidence, whole=False)
            piece.fixes.append((start, end, number, change.value))
        return bool(numbers)


def _marked(piece: _Piece, severity_of: dict[str, str]) -> str:
    """The piece's text, escaped, with a ``<mark>`` on every stretch covered by one or more findings, the
    likely mistyped figures struck through and the value they should have after them."""
    text = piece.text
    if not piece.marks and not piece.fixes:
        return e(text)
    cuts = sorted({0, len(text), *(m[0] for m in piece.marks), *(m[1] for m in piece.marks),
                   *(f[0] for f in piece.fixes), *(f[1] for f in piece.fixes)})
    out: list[str] = []
    for start, end in pairwise(cuts):
        chunk = e(text[start:end])
        keys = [key for s, t, key in piece.marks if s <= start and end <= t]
        fixes = sorted({n for s, t, n, _ in piece.fixes if s <= start and end <= t})
        fix_attr = f' data-s="{e(" ".join(map(str, fixes)))}"' if fixes else ""
        if keys:
            findings = sorted({key.split(".")[0] for key in keys}, key=int)
            rank = min(SEVERITY_ORDER.index(severity_of[f]) if severity_of[f] in SEVERITY_ORDER else 3
                       for f in findings)
            sev = SEVERITY_ORDER[rank] if rank < 3 else "other"
            target = " fix-target" if fixes else ""
            out.append(f'<mark class="hl sev-{sev}{target}" data-f="{e(" ".join(findings))}" '
                       f'data-e="{e(" ".join(keys))}"{fix_attr}>{chunk}</mark>')
        elif fixes:
            out.append(f'<mark class="hl fix-target" data-f=""{fix_attr}>{chunk}</mark>')
        else:
            out.append(chunk)
        for s, t, number, value in piece.fixes:
            if t == end and s <= start:
                out.append(f'<ins class="fix-value" data-s="{number}">→ {e(value)}</ins>')
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# The page.


def _where_label(block: Paragraph | Table) -> str:
    loc = block.location
    if loc.line is not None:
        return str(loc.line)
    if loc.paragraph is not None:
        return f"¶{loc.paragraph}"
    if loc.sheet is not None:
        return loc.address.split(":")[0] if loc.address else ""
    return ""


def _document_html(document: Document, places: _Places, severity_of: dict[str, str], prefix: str) -> str:
    headings = {id(s.heading): s.level for s in document.sections() if s.heading is not None}
    out: list[str] = []
    page = None
    file = None
    for block in document.blocks:
        if document.files and block.location.file != file:  # a bundle: each member file under its name
            file = block.location.file
            out.append(f'<div class="file-break" data-file="{e(file)}">{e(file)}</div>')
            page = None
        loc_page = block.location.page
        if loc_page is not None and loc_page != page:
            page = loc_page
            out.append(f'<div class="page-break" id="{prefix}-page-{page}">第 {page} 页</div>')
        if isinstance(block, Paragraph):
            piece = places.pieces[places.ids[id(block)]]
            level = headings.get(id(block))
            classes = "para" + (f" heading h{min(level, 5)}" if level else "")
            out.append(f'<p class="{classes}"><span class="ln" aria-hidden="true">{e(_where_label(block))}'
                       f"</span>{_marked(piece, severity_of)}</p>")
        elif isinstance(block, Table):
            out.append(_table_html(block, places, severity_of))
    return "\n".join(out)


def _table_html(table: Table, places: _Places, severity_of: dict[str, str]) -> str:
    label = _where_label(table)
    rows: list[str] = []
    for row in table.rows:
        cells = "".join(f"<td>{_marked(places.pieces[places.ids[id(c)]], severity_of)}</td>" for c in row.cells)
        rows.append(f"<tr>{cells}</tr>")
    caption = f'<span class="ln" aria-hidden="true">{e(label)}</span>' if label else ""
    loc = table.location
    name = f"工作表 {loc.sheet} {loc.address or ''}".strip() if loc.sheet is not None else f"表 {table.index}"
    return (f'<div class="table-wrap">{caption}<table class="doc-table" data-table="{table.index}">'
            f'<caption>{e(name)}</caption><tbody>{"".join(rows)}</tbody></table></div>')


def _trace_html(traces: tuple[Trace, ...]) -> str:
    if not traces:
        return ""
    text = "\n".join(t.render() for t in traces)
    return f'<details class="trace"><summary>解释过程</summary><pre>{e(text)}</pre></details>'


def _suggestion_html(number: int, suggestion: Suggestion, result: DocumentResult, placed: set[int], prefix: str
                     ) -> str:
    """One suggestion in the side panel: what is likely wrong, the value(s), the findings it explains."""
    rows: list[str] = []
    for candidate in suggestion.candidates:
        for change in candidate.changes:
            where_ = e(describe(change.location))
            if number in placed:
                where_ = f'<button type="button" class="goto goto-fix" data-s="{number}">{where_}</button>'
            rows.append(f"<tr><td>{e(change.figure)}</td><td class=\"num\"><del>{e(change.display)}</del></td>"
                        f"<td class=\"num\"><ins>{e(change.replacement)}</ins></td><td>{where_}</td></tr>")
    figures = (f'<table class="figures"><thead><tr><th>数据</th><th>原文</th><th>应为</th><th>位置</th></tr></thead>'
               f'<tbody>{"".join(rows)}</tbody></table>')
    links = "，".join(f'<a href="#{prefix}-f{n}">{e(result.findings[n].rule_id)}'
                     f"（{e(describe(result.findings[n].location))}）</a>" for n in suggestion.findings)
    label = "无法确定是哪一个数字" if suggestion.ambiguous else "可能录入错误"
    return (f'<li class="suggestion{" ambiguous" if suggestion.ambiguous else ""}" id="{prefix}-s{number}" '
            f'data-s="{number}"><div class="finding-head"><span class="badge fix">建议</span> '
            f'<span class="title">{label}</span></div><p class="message">{e(suggestion.message())}</p>{figures}'
            f'<p class="explains">可解释：{links}</p></li>')


def _suggestions_html(result: DocumentResult, placed: set[int], prefix: str) -> str:
    if not result.suggestions:
        return ""
    items = "".join(_suggestion_html(n, s, result, placed, prefix) for n, s in enumerate(result.suggestions))
    return (f'<details class="suggestions" open><summary><h2>修改建议 <span class="n">（{len(result.suggestions)}）'
            f'</span></h2></summary><ol class="findings">{items}</ol></details>')


def _suggested_html(numbers: list[int], result: DocumentResult, prefix: str) -> str:
    """Under a finding: the suggestion that explains it."""
    out = []
    for n in numbers:
        best = result.suggestions[n].candidates[0]
        text = "、".join(f"{c.figure} {c.display} → {c.value}（{where(c.location)}）" for c in best.changes)
        if result.suggestions[n].ambiguous:
            text = "无法确定是哪一个数字，见修改建议"
        out.append(f'<p class="suggested">建议：<a href="#{prefix}-s{n}">{e(text)}</a></p>')
    return "".join(out)


def _finding_html(number: int, finding: Finding, placed: set[str], prefix: str, suggested: str = "") -> str:
    rows: list[str] = []
    for j, evidence in enumerate(finding.locations):
        key = f"{number}.{j}"
        where = e(describe(evidence.location))
        if key in placed:
            where = f'<button type="button" class="goto" data-e="{e(key)}">{where}</button>'
        rows.append(f"<tr><td>{e(evidence.name)}</td><td class=\"num\">{e(evidence.display)}</td><td>{where}</td></tr>")
    figures = (f'<table class="figures"><thead><tr><th>数据</th><th>原文数值</th><th>位置</th></tr></thead>'
               f'<tbody>{"".join(rows)}</tbody></table>') if rows else ""
    facts: list[str] = []
    if finding.expected is not None:
        facts.append(f"<dt>应为</dt><dd class=\"num\">{e(finding.expected)}</dd>")
    if finding.difference is not None:
        facts.append(f"<dt>差额</dt><dd class=\"num\">{e(finding.difference)}</dd>")
    if finding.citation:
        facts.append(f"<dt>依据</dt><dd>{e(finding.citation)}</dd>")
    if finding.record:
        facts.append("<dt>项目</dt><dd>" + e("，".join(f"{k}={v}" for k, v in finding.record)) + "</dd>")
    if finding.baseline == "changed":
        was = "；".join(f"{name} = {value}" for name, value in finding.was) or "（无数据）"
        facts.append(f"<dt>基线中为</dt><dd>{e(was)}</dd>")
    details = f'<dl class="facts">{"".join(facts)}</dl>' if facts else ""
    has_place = any(f"{number}.{j}" in placed for j in range(len(finding.locations)))
    return (f'<li class="finding sev-{e(finding.severity)}" id="{prefix}-f{number}" data-f="{number}" '
            f'data-severity="{e(finding.severity)}" data-rule="{e(finding.rule_id)}"'
            f'{" data-placed" if has_place else ""} tabindex="0">'
            f'<div class="finding-head"><span class="badge sev-{e(finding.severity)}">'
            f"{e(_severity_name(finding.severity))}</span> <code class=\"rule\">{e(finding.rule_id)}</code> "
            f'<span class="title">{e(finding.title)}</span></div>'
            f'<p class="message">{e(finding.message)}</p>'
            f'<p class="where">{e(describe(finding.location))}</p>'
            f"{suggested}{figures}{details}{_trace_html(finding.trace)}</li>")


def _not_evaluated_html(result: DocumentResult, titles: dict[str, str]) -> str:
    if not result.not_evaluated:
        return ""
    rows = []
    for item in result.not_evaluated:
        record = "，".join(f"{k}={v}" for k, v in item.record)
        title = item.title or titles.get(item.rule_id, "")
        rows.append(f"<tr><td><code>{e(item.rule_id)}</code></td><td>{e(title)}</td><td>{e(record)}</td>"
                    f"<td>{e(item.reason)}</td></tr>")
    return (f'<details class="not-evaluated"><summary>未评估的规则（{len(result.not_evaluated)}）及原因</summary>'
            f'<table><thead><tr><th>规则</th><th>名称</th><th>项目</th><th>原因</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></details>')


def _baseline_html(result: DocumentResult, info: RunInfo) -> str:
    """What the baseline hid, how many shown findings changed, and (``--show-fixed``) what it no longer finds."""
    outcome = result.baseline
    if outcome is None:
        return ""
    line = (f'<p class="baseline">基线：已隐藏 {outcome.hidden} 条，有变化 {outcome.changed} 条，'
            f"已修正 {len(outcome.fixed)} 条</p>")
    if not (info.show_fixed and outcome.fixed):
        return line
    items = "".join(f"<li>{e(entry.describe())}</li>" for entry in outcome.fixed)
    return line + (f'<details class="fixed"><summary>基线中已修正的问题（{len(outcome.fixed)}）</summary>'
                   f"<ul>{items}</ul></details>")


def _counts_html(counts: dict[str, int]) -> str:
    chips = [f'<span class="count sev-{s}"><b>{counts.get(s, 0)}</b> {_severity_name(s)}</span>'
             for s in SEVERITY_ORDER]
    chips.append(f'<span class="count not-eval"><b>{counts.get("not_evaluated", 0)}</b> 未评估</span>')
    return f'<div class="counts">{"".join(chips)}</div>'


def _report_section(result: DocumentResult, info: RunInfo, prefix: str) -> str:
    titles = {r.id: r.title for r in info.rules}
    head = f'<header class="doc-head"><h1>{e(result.path)}</h1>'
    if len(result.files) > 1:
        head += ('<p class="files">合并检查的文件：' + "、".join(f"<code>{e(f)}</code>" for f in result.files)
                 + "</p>")
    if result.error is not None:
        return (f'<section class="report" id="{prefix}">{head}<p class="read-error">无法读取：{e(result.error)}</p>'
                f"</header></section>")
    counts = result.counts()
    head += _counts_html(counts) + _not_evaluated_html(result, titles) + _baseline_html(result, info) + "</header>"

    places = _Places(result.document) if result.document is not None else None
    placed: set[str] = set()
    severity_of: dict[str, str] = {}
    for number, finding in enumerate(result.findings):
        severity_of[str(number)] = finding.severity
        if places is not None:
            placed.update(places.place(number, finding))

    fixes_placed: set[int] = set()
    if places is not None:
        for number, suggestion in enumerate(result.suggestions):
            for candidate in suggestion.candidates:
                for change in candidate.changes:
                    if places.place_fix(number, change):
                        fixes_placed.add(number)
    explained = result.suggestions_by_finding()

    groups: list[str] = [_suggestions_html(result, fixes_placed, prefix)]
    for severity in _severities([result]):
        items = [_finding_html(n, f, placed, prefix, _suggested_html(explained.get(n, []), result, prefix))
                 for n, f in enumerate(result.findings) if f.severity == severity]
        groups.append(f'<section class="group" data-severity="{e(severity)}"><h2>{e(_severity_name(severity))}'
                      f' <span class="n">（{len(items)}）</span></h2>'
                      f'<ol class="findings">{"".join(items)}</ol></section>')
    if not result.findings:
        groups.append('<p class="none">未发现问题。</p>')

    rule_counts: dict[str, int] = {}
    for finding in result.findings:
        rule_counts[finding.rule_id] = rule_counts.get(finding.rule_id, 0) + 1
    options = "".join(f'<option value="{e(rule)}">{e(rule)} {e(titles.get(rule, ""))}（{n}）</option>'
                      for rule, n in sorted(rule_counts.items()))
    boxes = "".join(f'<label><input type="checkbox" class="sev-filter" value="{e(s)}" checked> '
                    f'<span class="badge sev-{e(s)}">{e(_severity_name(s))}</span> {counts.get(s, 0)}</label>'
                    for s in _severities([result]))
    filters = (f'<div class="filters"><fieldset><legend>严重程度</legend>{boxes}</fieldset>'
               f'<label class="rule-filter">规则 <select class="rule-select"><option value="">全部规则</option>'
               f'{options}</select></label><p class="shown" aria-live="polite"></p></div>') if result.findings else ""

    body = (_document_html(result.document, places, severity_of, prefix) if places is not None and result.document
            else '<p class="no-document">（报告中未包含原文）</p>')
    return (f'<section class="report" id="{prefix}">{head}<div class="layout">'
            f'<aside class="side"><h2 class="side-title">检查结果</h2>{filters}{"".join(groups)}</aside>'
            f'<main class="document" lang="zh-CN"><h2 class="side-title">原文</h2>{body}</main></div></section>')


def _page(title: str, body: str) -> str:
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{e(policy)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="juesuan">\n'
            f"<title>{e(title)}</title>\n<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n"
            f"{body}\n<script>{script}</script>\n</body>\n</html>\n")


def _brand(info: RunInfo) -> str:
    return (f'<div class="brand">决算公开检查报告 <span class="version">juesuan {e(info.version)}</span>'
            "</div>")


def _back(href: str, label: str) -> str:
    return f'<nav class="back"><a href="{e(href)}">← {e(label)}</a></nav>'


def render_document(result: DocumentResult, info: RunInfo, index_href: str | None = None,
                    back: tuple[str, str] | None = None) -> str:
    """One document's page; ``index_href`` adds a link back to the batch index, ``back`` (href, label) any other
    link back (`juesuan serve`'s upload page)."""
    nav = _back(index_href, "返回汇总") if index_href else _back(*back) if back else ""
    return _page(f"{result.path} — 决算公开检查报告", nav + _brand(info) + _report_section(result, info, "r0"))


def _summary_table(results: Sequence[DocumentResult | DocumentSummary], hrefs: dict[int, str] | None) -> str:
    rows = []
    totals = {"error": 0, "warning": 0, "info": 0, "not_evaluated": 0}
    for i, result in enumerate(results):
        name = e(result.path)
        if hrefs is not None and i in hrefs:
            name = f'<a href="{e(hrefs[i])}">{name}</a>'
        if result.error is not None:
            rows.append(f'<tr class="unreadable"><td>{name}</td><td colspan="4">无法读取：{e(result.error)}</td></tr>')
            continue
        counts = result.counts()
        for key in totals:
            totals[key] += counts.get(key, 0)
        cells = "".join(f'<td class="num sev-{k}{" zero" if not counts.get(k) else ""}">{counts.get(k, 0)}</td>'
                        for k in ("error", "warning", "info"))
        rows.append(f'<tr><td>{name}</td>{cells}<td class="num">{counts.get("not_evaluated", 0)}</td></tr>')
    total = "".join(f'<td class="num">{totals[k]}</td>' for k in ("error", "warning", "info", "not_evaluated"))
    unreadable = sum(1 for r in results if r.error is not None)
    note = f'<p class="read-error">{unreadable} 个文件无法读取。</p>' if unreadable else ""
    return (f'<table class="summary"><thead><tr><th>文件</th><th>错误</th><th>警告</th><th>提示</th><th>未评估</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody><tfoot><tr><th>合计（{len(results)} 个文件）</th>'
            f"{total}</tr></tfoot></table>{note}")


def render_index(results: Sequence[DocumentResult | DocumentSummary], info: RunInfo, hrefs: dict[int, str]) -> str:
    """The batch index: every document with its counts, linking to its page."""
    return _page("决算公开检查报告 — 汇总", _brand(info) + '<section class="index"><h1>汇总</h1>'
                 + _summary_table(results, hrefs) + "</section>")


def render(results: list[DocumentResult], info: RunInfo, back: tuple[str, str] | None = None) -> str:
    """The report as one page: the document's page, or for several documents a summary and a section each;
    ``back`` (href, label) adds a link back."""
    if len(results) == 1:
        return render_document(results[0], info, back=back)
    hrefs = {i: f"#r{i}" for i, r in enumerate(results)}
    body = ((_back(*back) if back else "") + _brand(info) + '<section class="index"><h1>汇总</h1>'
            + _summary_table(results, hrefs) + "</section>"
            + "".join(_report_section(r, info, f"r{i}") for i, r in enumerate(results)))
    return _page("决算公开检查报告", body)


def page_names(paths: Sequence[str]) -> list[str]:
    """A distinct, readable file name for each document's page: its path below the documents' common
    folder, with separators as ``__``."""
    names: list[str] = []
    used: set[str] = set()
    resolved = [Path(p).resolve() for p in paths]
    base = Path(os.path.commonpath([p.parent for p in resolved])) if resolved else Path()
    for path in resolved:
        relative = path.relative_to(base).as_posix()
        stem = re.sub(r"[\\/:*?\"<>|]+", "__", relative).strip("_.") or "document"
        name, n = f"{stem}.html", 1
        while name.lower() in used or name.lower() == "index.html":
            n += 1
            name = f"{stem}-{n}.html"
        used.add(name.lower())
        names.append(name)
    return names


def write_site(results: Iterable[DocumentResult], info: RunInfo, target: Path, paths: Sequence[str] | None = None
               ) -> tuple[Path, list[DocumentSummary]]:
    """Write one page per document and an index beside them; ``target`` is a folder or the index's path.

    Each page is written as its result arrives and only the counts are kept for the index, so a batch of
    any size holds one document at a time; ``paths`` (the documents in the order their results come)
    names the pages beforehand, and is needed when ``results`` is an iterator. Returns the index's path
    and what was kept of each document.
    """
    if paths is None:
        results = list(results)
        paths = [r.path for r in results]
    index = target if target.suffix.lower() in (".html", ".htm") else target / "index.html"
    folder = index.parent
    folder.mkdir(parents=True, exist_ok=True)
    hrefs: dict[int, str] = {}
    summaries: list[DocumentSummary] = []
    for i, (result, name) in enumerate(zip(results, page_names(paths), strict=True)):
        summaries.append(result.summary())
        if result.error is not None:
            continue
        (folder / name).write_text(render_document(result, info, index_href=quote(index.name)), encoding="utf-8")
        hrefs[i] = quote(name)
    index.write_text(render_index(summaries, info, hrefs), encoding="utf-8")
    return index, summaries
