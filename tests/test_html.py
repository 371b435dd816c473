"""The HTML report: escaping of hostile documents, highlights at the figures' places for every input
kind, a self-contained page, several documents, and other formats untouched by the document field."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import Config
from checker.findings import Evidence, Finding, NotEvaluated, Trace
from checker.model import Cell, Document, Location, Paragraph, Row, Section, Table
from checker.reports import FORMATS, html
from checker.reports.model import DocumentResult, RunInfo
from checker.run import Checker

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.from_config(Config())


def marks(page: str) -> list[str]:
    """The text inside every highlight, unescaped."""
    return [html_unescape(m) for m in re.findall(r"<mark [^>]*>(.*?)</mark>", page, flags=re.S)]


def html_unescape(text: str) -> str:
    from html import unescape

    return unescape(text)


def hostile_disclosure(tmp_path: Path) -> Path:
    """The demo with markup in a paragraph that has findings, in a new paragraph and in a table cell."""
    lines = DEMO.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("本年收入合计5,017.60万元"))
    lines[at] = lines[at] + SCRIPT + IMG
    lines.insert(1, f"说明{SCRIPT}与{IMG}")
    cell = next(i for i, line in enumerate(lines) if line.startswith("\t"))
    lines[cell] = lines[cell] + SCRIPT + IMG
    path = tmp_path / "<b>hostile<i>.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_hostile_document_is_shown_as_text(tmp_path, checker):
    path = hostile_disclosure(tmp_path)
    result = checker.check_path(path)
    assert result.error is None and result.findings
    # the markup reaches the findings' quoted sentences and traces too
    assert any(SCRIPT in e.source for f in result.findings for e in f.locations)
    page = html.render([result], RunInfo(rules=checker.rule_infos, explain=True))

    tags = re.findall(r"<\s*(script|img)\b", page, flags=re.I)
    assert tags == ["script"], "only the report's own script element"
    assert "alert(" not in page.split("<script>")[-1], "the report's script is not the document's"
    assert not re.search(r"<[^>]*\bonerror\s*=", page, flags=re.I), "no element carries the document's handler"
    assert "<b>hostile<i>" not in page
    assert "&lt;b&gt;hostile&lt;i&gt;" in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # paragraph, cell, added line (+ traces)
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    document_part = page[page.index('<main class="document"'):]
    assert "<td>" in document_part and "&lt;script&gt;" in document_part


def test_hostile_document_through_the_command_line(tmp_path):
    path = hostile_disclosure(tmp_path)
    out = tmp_path / "report.html"
    assert main(["check", str(path), "--format", "html", "-o", str(out), "--explain"]) == 1
    page = out.read_text(encoding="utf-8")
    assert re.findall(r"<\s*(script|img)\b", page, flags=re.I) == ["script"]


def test_page_is_self_contained_and_chinese(checker):
    page = html.render([checker.check_path(DEMO)], RunInfo(rules=checker.rule_infos))
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    for font in ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                 "WenQuanYi Micro Hei"):
        assert font in page
    # the policy allows exactly the inlined script and no network at all
    script = page.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = html_unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy


def test_demo_findings_highlighted_at_their_figures(checker):
    result = checker.check_path(DEMO)
    page = html.render([result], RunInfo(rules=checker.rule_infos))
    assert page.count('<li class="finding') == len(result.findings)
    shown = marks(page)
    # PCT-001: the share 98.94% printed on the 收入 line is highlighted exactly
    pct = next(f for f in result.findings if f.rule_id == "PCT-001")
    assert pct.locations[0].display == "98.94%"
    assert "98.94%" in shown
    # every finding with a place in the text has a button that jumps there
    for number, finding in enumerate(result.findings):
        if finding.locations:
            assert f'data-e="{number}.0"' in page
    # summary: counts and the not-evaluated list with reasons
    counts = result.counts()
    assert f"<b>{counts['error']}</b> 错误" in page
    assert f"<b>{counts['not_evaluated']}</b> 未评估" in page
    if result.not_evaluated:
        assert "未评估的规则" in page and html.e(result.not_evaluated[0].reason) in page


def test_trace_and_figures_are_listed():
    trace = Trace("a + b", "3", children=(Trace("a", "1", Location(line=1, column=3), "x 1"),))
    finding = Finding("T-1", "error", "标题", "消息", "依据 第一条",
                      (Evidence("收入.合计", "1", Location(line=1, column=3, end_line=1, end_column=4), "x 1"),),
                      expected="2", difference="-1", trace=(trace,))
    page = html.render([_result(_text_document(["x 1 y"]), [finding])], RunInfo())
    assert "收入.合计" in page and "依据 第一条" in page and "应为" in page and "差额" in page
    assert '<details class="trace">' in page and "a + b = 3" in page
    assert marks(page) == ["1"]


# -- highlights for each input kind, from locations as the readers give them ---------------------------


def _root() -> Section:
    return Section(title="", number=None, style=None, level=0, heading=None)


def _text_document(lines: list[str]) -> Document:
    blocks = [Paragraph(t, Location(line=i, column=1, end_line=i, end_column=1 + len(t)))
              for i, t in enumerate(lines, start=1)]
    return Document("t.txt", "text", blocks, _root())


def _result(document: Document, findings: list[Finding], not_evaluated=()) -> DocumentResult:
    return DocumentResult(document.path, list(findings), list(not_evaluated), [], 0, document=document)


def _finding(rule: str, *evidence: Evidence, severity: str = "error") -> Finding:
    return Finding(rule, severity, f"{rule} title", f"{rule} message", None, tuple(evidence))


def test_text_table_cells_and_indented_paragraphs():
    para = Paragraph("合计100万元", Location(line=1, column=3, end_line=1, end_column=10))
    cells = (Cell("收入", Location(line=3, column=2, end_line=3, end_column=4, table=1, row=1, cell=1)),
             Cell("5,000.00", Location(line=4, column=2, end_line=4, end_column=10, table=1, row=1, cell=2)))
    table = Table((Row(cells, Location(line=3, column=1, table=1, row=1)),), Location(line=3, column=1, table=1), 1)
    document = Document("t.txt", "text", [para, table], _root())
    findings = [
        _finding("A", Evidence("x", "100万元", Location(line=1, column=5, end_line=1, end_column=10))),
        _finding("B", Evidence("y", "5,000.00", Location(line=4, column=2, end_line=4, end_column=10,
                                                         table=1, row=1, cell=2)), severity="warning"),
    ]
    page = html.render([_result(document, findings)], RunInfo())
    assert marks(page) == ["100万元", "5,000.00"]
    assert re.search(r"<td><mark [^>]*sev-warning[^>]*>5,000\.00</mark></td>", page)


def test_docx_paragraph_and_cell_offsets():
    para = Paragraph("一、收入合计1,234.50万元。", Location(paragraph=3))
    cells = (Cell("支出合计", Location(table=1, row=2, cell=1)), Cell("合计 88.00", Location(table=1, row=2, cell=2)))
    table = Table((Row(cells, Location(table=1, row=2)),), Location(table=1), 1)
    document = Document("d.docx", "docx", [para, table], _root())
    findings = [
        _finding("A", Evidence("x", "1,234.50万元", Location(paragraph=3).narrow(6, 16))),
        _finding("B", Evidence("y", "88.00", Location(table=1, row=2, cell=2).narrow(3, 8))),
        _finding("C", Evidence("z", "支出合计", Location(table=1, row=2, cell=1))),  # no column: found by text
    ]
    page = html.render([_result(document, findings)], RunInfo())
    assert marks(page) == ["1,234.50万元", "支出合计", "88.00"]


def test_pdf_pages_paragraphs_and_cells():
    box = (10.0, 20.0, 300.0, 40.0)
    para = Paragraph("本年支出合计5,060.84万元", Location(page=2, bbox=box))
    cells = (Cell("基本支出", Location(page=3, table=1, row=1, cell=1, bbox=(1, 1, 2, 2))),
             Cell("3,405.17", Location(page=3, table=1, row=1, cell=2, bbox=(2, 1, 3, 2))))
    table = Table((Row(cells, Location(page=3, table=1, row=1)),), Location(page=3, table=1), 1)
    document = Document("p.pdf", "pdf", [para, table], _root())
    findings = [
        _finding("A", Evidence("x", "5,060.84万元", Location(page=2, bbox=box).narrow(6, 16))),
        _finding("B", Evidence("y", "3,405.17", Location(page=3, table=1, row=1, cell=2))),
        _finding("C", Evidence("w", "3,405.17", Location(page=3, table=1, row=1, cell=2))),
    ]
    page = html.render([_result(document, findings)], RunInfo())
    assert marks(page) == ["5,060.84万元", "3,405.17"]
    assert 'data-f="1 2"' in page  # two findings on one figure share the highlight
    assert "第 2 页" in page and "第 3 页" in page
    assert "表 1 第 1 行第 2 格" in page.replace(" 第 2 格", "第 2 格").replace(" 第 1 行", " 第 1 行")


def test_overlapping_marks_and_a_finding_without_place():
    document = _text_document(["收入合计100.00万元"])
    findings = [
        _finding("A", Evidence("a", "收入合计100.00万元", Location(line=1, column=1, end_line=1, end_column=13))),
        _finding("B", Evidence("b", "100.00", Location(line=1, column=5, end_line=1, end_column=11))),
        _finding("C"),
    ]
    page = html.render([_result(document, findings)], RunInfo())
    assert marks(page) == ["收入合计", "100.00", "万元"]
    assert 'data-f="0 1"' in page
    assert "（无定位）" in page and page.count('<li class="finding') == 3


def test_not_evaluated_list_and_rule_filter_options():
    document = _text_document(["收入合计100.00万元"])
    findings = [_finding("A-1", Evidence("a", "100.00", Location(line=1, column=5, end_line=1, end_column=11)))]
    pending = [NotEvaluated("B-2", "no records of 表.清单", ("表.清单",), (("类", "住房<保障>"),), "B title")]
    page = html.render([_result(document, findings, pending)], RunInfo())
    assert "未评估的规则（1）" in page and "no records of 表.清单" in page and "类=住房&lt;保障&gt;" in page
    assert '<option value="A-1">' in page
    assert 'class="sev-filter" value="error" checked' in page


# -- several documents ------------------------------------------------------------------------------


def test_several_documents_on_one_page(checker, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    results = [checker.check_path(DEMO), checker.check_path(bad)]
    page = FORMATS["html"](results, RunInfo(rules=checker.rule_infos))
    assert '<section class="report" id="r0">' in page and '<section class="report" id="r1">' in page
    assert 'href="#r0"' in page and "无法读取" in page


def test_write_site_pages_and_index(checker, tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "sub" / "a.txt").write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    results = [checker.check_path(tmp_path / "in" / "a.txt"), checker.check_path(tmp_path / "in" / "sub" / "a.txt")]
    index, summaries = html.write_site(results, RunInfo(), tmp_path / "out")
    assert [s.counts() for s in summaries] == [r.counts() for r in results]
    assert index == tmp_path / "out" / "index.html"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt.html", "index.html", "sub__a.txt.html"]
    text = index.read_text(encoding="utf-8")
    assert 'href="a.txt.html"' in text and 'href="sub__a.txt.html"' in text
    assert f">{results[0].counts()['error']}<" in text
    page = (tmp_path / "out" / "sub__a.txt.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in page
    # an index path instead of a folder
    index, _ = html.write_site(results, RunInfo(), tmp_path / "elsewhere" / "汇总.html")
    assert index.exists() and (tmp_path / "elsewhere" / "a.txt.html").exists()
    assert 'href="%E6%B1%87%E6%80%BB.html"' in (tmp_path / "elsewhere" / "a.txt.html").read_text(encoding="utf-8")


def test_page_names_are_distinct():
    names = html.page_names(["x/a.txt", "y/a.txt", "x/index", "x/a:b.txt"])
    assert len(set(names)) == 4 and "index.html" not in names
    assert all("/" not in n and ":" not in n for n in names)


# -- other formats are not affected by the document field ------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "toml", "sarif", "text"])
def test_other_formats_ignore_the_document(checker, fmt):
    result = checker.check_path(DEMO)
    assert result.document is not None
    bare = DocumentResult(result.path, result.findings, result.not_evaluated, result.passed, result.fact_count)
    info = RunInfo(rules=checker.rule_infos, explain=True)
    assert FORMATS[fmt]([result], info) == FORMATS[fmt]([bare], info)
    if fmt == "json":
        assert "document" not in json.loads(FORMATS[fmt]([result], info))["documents"][0]
    assert "document=" not in repr(result)
