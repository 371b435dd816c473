"""Fuzzing every reader and the whole check: each input gives a result, or one line naming the file and exit status 2.

Random bytes under each reader's signature; real documents with bytes flipped (the demo .txt, the
GB18030 county report, the UTF-8-BOM hospital report, the street office's .docx — raw zip bytes and its
``word/document.xml`` re-zipped — a generated PDF, and the demo's tables as .xlsx and .xls); and hostile
inputs through `juesuan check` in-process: a .docx zip bomb, a 5,000-row table, a 10 MB line, Word
tables nested 300 deep, invalid UTF-8, NUL bytes, a document of headings only, 200-digit numbers. Sizes
are capped so that no example can hang; ``JUESUAN_FUZZ_EXAMPLES`` raises the number of examples for a
long run.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.config import Config
from checker.errors import InputError
from checker.readers import read_blocks
from checker.readers.docx import MAX_UNCOMPRESSED_BYTES
from checker.run import Checker

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
TEXT_DOCUMENTS = {"demo": DEMO.read_bytes(), "county": (DOCS / "county_education_2023.txt").read_bytes(),
                  "hospital": (DOCS / "hospital_2024.txt").read_bytes()}
SETTINGS = {"deadline": None, "suppress_health_check": list(HealthCheck)}
_CACHE: dict[str, object] = {}


def examples(default: int) -> int:
    """``default`` examples, or ``JUESUAN_FUZZ_EXAMPLES`` of them for a long run."""
    return int(os.environ.get("JUESUAN_FUZZ_EXAMPLES") or default)


def checker() -> Checker:
    if "checker" not in _CACHE:
        _CACHE["checker"] = Checker.from_config(Config())
    return _CACHE["checker"]  # type: ignore[return-value]


def docx_bytes(tmp: Path) -> bytes:
    if "docx" not in _CACHE:
        spec = importlib.util.spec_from_file_location("street_office_2024", DOCS / "street_office_2024.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.build(tmp / "street.docx")
        _CACHE["docx"] = (tmp / "street.docx").read_bytes()
    return _CACHE["docx"]  # type: ignore[return-value]


def pdf_bytes() -> bytes:
    """A two-page uncompressed PDF: a heading, body lines with figures, a ruled table (so flips hit text and paths)."""
    if "pdf" not in _CACHE:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        out = io.BytesIO()
        c = canvas.Canvas(out, pagesize=A4, pageCompression=0)
        height = A4[1]
        c.setFont("STSong-Light", 12)
        lines = ["第一部分 部门概况", "一、收入支出决算总体情况说明",
                 "2024年度收入总计1,234.56万元，支出总计1,234.56万元。",
                 "与2023年度相比，收入支出总计增加34.56万元，增长2.88%。", "- 1 -"]
        for i, line in enumerate(lines):
            c.drawString(72, height - 80 - 24 * i, line)
        c.showPage()
        xs, ys = [72, 250, 400, 520], [100, 130, 160, 190]
        cells = [["项目", "预算数", "决算数"], ["基本支出", "100.00", "98.50"], ["项目支出", "20.00", "19.00"]]
        c.setLineWidth(0.75)
        for r in range(3):
            for k in range(3):
                c.rect(xs[k], height - ys[r + 1], xs[k + 1] - xs[k], ys[r + 1] - ys[r])
                c.setFont("STSong-Light", 9)
                c.drawString(xs[k] + 2, height - ys[r] - 20, cells[r][k])
        c.showPage()
        c.save()
        _CACHE["pdf"] = out.getvalue()
    return _CACHE["pdf"]  # type: ignore[return-value]


def assert_result_or_one_line(path: Path) -> None:
    """Checking ``path`` in-process gives findings, or an error that is one line naming the file."""
    result = checker().check_path(path)
    if result.error is not None:
        assert "\n" not in result.error and "Traceback" not in result.error
        assert result.error.startswith(f"{path}: ")


flips = st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 255)), min_size=1, max_size=12)


def flip(data: bytes, changes: list[tuple[int, int]], cut: int | None = None) -> bytes:
    out = bytearray(data)
    for at, value in changes:
        out[at % len(out)] = value
    return bytes(out[:cut] if cut else out)


@settings(max_examples=examples(60), **SETTINGS)
@given(prefix=st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf",
                               b"\xff\xfe", b"\xfe\xff", "决算".encode("gb18030")]),
       body=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".docx", ".pdf", ".bin", ".xlsx", ".xls"]))
def test_random_bytes(tmp_path_factory, prefix, body, suffix):
    path = tmp_path_factory.mktemp("random") / f"doc{suffix}"
    path.write_bytes(prefix + body)
    assert_result_or_one_line(path)


@settings(max_examples=examples(30), **SETTINGS)
@given(name=st.sampled_from(sorted(TEXT_DOCUMENTS)), changes=flips,
       cut=st.one_of(st.none(), st.integers(1, 20000)))
def test_mutated_text_documents(tmp_path_factory, name, changes, cut):
    """Flipped bytes: mostly undecodable, so this exercises the decoder's refusals."""
    path = tmp_path_factory.mktemp("text") / f"{name}.txt"
    path.write_bytes(flip(TEXT_DOCUMENTS[name], changes, cut))
    assert_result_or_one_line(path)


ENCODINGS = {"demo": "utf-8", "county": "gb18030", "hospital": "utf-8-sig"}
PIECES = [*"0123456789.,-%，。、：；（）()\t\n 万元亿千百十一二三四五六七八九零第部分", "万元", "增长", "减少",
          "下降", "占", "合计", "预算数", "决算数", "\n\t", "\n\n\n", "（一）", "一、", "第二部分", "9" * 40]


@st.composite
def text_edits(draw, text: str) -> str:
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(("replace", "insert", "delete", "char")))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 200)):]
        elif kind == "char":
            text = text[:at] + draw(st.characters(codec="utf-8")) + text[at + 1:]
        else:
            piece = draw(st.sampled_from(PIECES))
            text = text[:at] + piece + text[at + (len(piece) if kind == "replace" else 0):]
    return text


@settings(max_examples=examples(40), **SETTINGS)
@given(data=st.data(), name=st.sampled_from(sorted(TEXT_DOCUMENTS)))
def test_edited_text_documents(tmp_path_factory, data, name):
    """Edits to the decoded text (digits, punctuation, numbering, cell tabs, random characters), saved back in the
    document's own encoding, so the damage reaches structure, extraction and the rules."""
    encoding = ENCODINGS[name]
    text = data.draw(text_edits(TEXT_DOCUMENTS[name].decode(encoding)))
    path = tmp_path_factory.mktemp("edited") / f"{name}.txt"
    path.write_bytes(text.encode(encoding, "surrogatepass"))
    assert_result_or_one_line(path)


@settings(max_examples=examples(30), **SETTINGS)
@given(changes=flips, inside=st.booleans(), cut=st.one_of(st.none(), st.integers(1, 40000)))
def test_mutated_docx(tmp_path_factory, changes, inside, cut):
    """Flipped bytes in the zip itself, or in ``word/document.xml`` re-zipped (so the XML parser sees them)."""
    folder = tmp_path_factory.mktemp("docx")
    original = docx_bytes(folder)
    if inside:
        source = zipfile.ZipFile(io.BytesIO(original))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename == "word/document.xml":
                    content = flip(content, changes, cut)
                target.writestr(info.filename, content)
        data = out.getvalue()
    else:
        data = flip(original, changes, cut)
    path = folder / "street.docx"
    path.write_bytes(data)
    assert_result_or_one_line(path)


@settings(max_examples=examples(30), **SETTINGS)
@given(changes=flips, cut=st.one_of(st.none(), st.integers(1, 8000)))
def test_mutated_pdf(tmp_path_factory, changes, cut):
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(flip(pdf_bytes(), changes, cut))
    assert_result_or_one_line(path)


def workbook_bytes(kind: str, tmp: Path) -> bytes:
    """The demo's nine tables as .xlsx (openpyxl) or .xls (xlwt), written once by tests/workbooks.py."""
    if kind not in _CACHE:
        from tests import workbooks

        writer = workbooks.write_xlsx if kind == "xlsx" else workbooks.write_xls
        _CACHE[kind] = writer(tmp / f"tables.{kind}").read_bytes()
    return _CACHE[kind]  # type: ignore[return-value]


@settings(max_examples=examples(30), **SETTINGS)
@given(kind=st.sampled_from(["xlsx", "xls"]), changes=flips, inside=st.booleans(),
       cut=st.one_of(st.none(), st.integers(1, 40000)))
def test_mutated_workbooks(tmp_path_factory, kind, changes, inside, cut):
    """Flipped bytes in a workbook, or (.xlsx) in its first sheet's XML re-zipped, so openpyxl's parser sees them."""
    folder = tmp_path_factory.mktemp("workbook")
    original = workbook_bytes(kind, folder)
    if inside and kind == "xlsx":
        source = zipfile.ZipFile(io.BytesIO(original))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"):
                    content = flip(content, changes, cut)
                target.writestr(info.filename, content)
        data = out.getvalue()
    else:
        data = flip(original, changes, cut)
    path = folder / f"tables.{kind}"
    path.write_bytes(data)
    assert_result_or_one_line(path)


# ---- hostile documents end to end -----------------------------------------------------------------------


def run_check(capsys, *paths: Path) -> tuple[int, str, str]:
    status = main(["check", *map(str, paths), "--format", "json", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert status in (0, 1, 2)
    assert "Traceback" not in err
    assert len(err.splitlines()) <= len(paths)
    if status in (0, 1):
        assert json.loads(out)["schema"] == "juesuan.report/1"
    else:
        assert err.startswith("juesuan: error: ")
    return status, out, err


def minimal_docx(document_xml: bytes | None = None, entry_size: int = 0) -> bytes:
    """A .docx with the given ``word/document.xml``; ``entry_size`` adds a highly compressible entry of that size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlfor'
                         'mats-package.relationships+xml"/><Default Extension="xml" ContentType="application/vnd.openxm'
                         'lformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                         '</Relationships>')
        archive.writestr("word/document.xml", document_xml or _document_xml("<w:p><w:r><w:t>决算</w:t></w:r></w:p>"))
        if entry_size:
            with archive.open("word/media/blank.bin", "w", force_zip64=True) as entry:
                chunk = b"\0" * (1 << 20)
                for _ in range(entry_size >> 20):
                    entry.write(chunk)
    return out.getvalue()


def _document_xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>').encode()


def test_docx_zip_bomb_is_refused_before_unzipping(tmp_path, capsys):
    path = tmp_path / "bomb.docx"
    path.write_bytes(minimal_docx(entry_size=MAX_UNCOMPRESSED_BYTES + (1 << 20)))
    assert path.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="zip bomb"):
            read_blocks(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024
    status, _, err = run_check(capsys, path)
    assert status == 2 and "zip bomb" in err


def test_docx_whose_entry_lies_about_its_size(tmp_path):
    """The central directory says 10 bytes, the stream inflates to far more: read as corrupt, not trusted."""
    data = bytearray(minimal_docx(_document_xml("<w:p><w:r><w:t>" + "决算" * 200_000 + "</w:t></w:r></w:p>")))
    index = 0
    while True:  # the central directory record of word/document.xml: its uncompressed size is at offset 24
        index = data.index(b"PK\x01\x02", index)
        name_length = int.from_bytes(data[index + 28:index + 30], "little")
        if data[index + 46:index + 46 + name_length] == b"word/document.xml":
            data[index + 24:index + 28] = (10).to_bytes(4, "little")
            break
        index += 4
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(data))
    assert_result_or_one_line(path)


def test_huge_table(tmp_path, capsys):
    rows = "".join(f"\t支出项目{i}\n\t{i}.00\n\t{i * 2}.00\n\n" for i in range(5000))
    path = tmp_path / "table.txt"
    path.write_text("部门决算\n一、收入支出决算总体情况说明\n\t项目\n\t预算数\n\t决算数\n\n" + rows, encoding="utf-8")
    run_check(capsys, path)


def test_ten_megabyte_line(tmp_path, capsys):
    """Prose with a figure every 100 KB (a line dense with figures costs about 2.4 s per MB to extract)."""
    path = tmp_path / "line.txt"
    prose = "本部门严格落实过紧日子要求，" * (100 * 1024 // 42)
    unit = prose + "本年度一般公共预算财政拨款支出1,234.56万元，比上年增加12.34万元，增长1.01%。"
    path.write_text("部门决算\n" + unit * (10 * 1024 * 1024 // len(unit.encode())), encoding="utf-8")
    assert path.stat().st_size > 9 * 1024 * 1024
    run_check(capsys, path)


def test_deeply_nested_word_tables(tmp_path, capsys):
    depth = 300
    body = "<w:tbl><w:tr><w:tc>" * depth + "<w:p><w:r><w:t>决算1.00万元</w:t></w:r></w:p>" \
        + "</w:tc></w:tr></w:tbl>" * depth
    path = tmp_path / "nested.docx"
    path.write_bytes(minimal_docx(_document_xml("<w:p><w:r><w:t>部门决算</w:t></w:r></w:p>" + body + "<w:p/>")))
    run_check(capsys, path)


def test_wide_merged_word_row(tmp_path, capsys):
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p><w:r><w:t>1.00</w:t></w:r></w:p></w:tc>'
    body = "<w:tbl>" + ("<w:tr>" + cell * 200 + "</w:tr>") * 20 + "</w:tbl>"
    path = tmp_path / "wide.docx"
    path.write_bytes(minimal_docx(_document_xml("<w:p><w:r><w:t>部门决算</w:t></w:r></w:p>" + body)))
    run_check(capsys, path)


@pytest.mark.parametrize("content", [
    "部门决算\n收入\xff\xfe总计\x80\x81 1,234.56万元。\n".encode("utf-8", "surrogateescape")
    + b"\xc3\x28\xa0\xa1\xe2\x28\xa1" * 100,
    b"\x00" * 5000,
    "部门决算\x00收入总计1,234.56万元\x00。\n\t项目\x00\n\t1.00\n".encode(),
    "\n".join(f"{n}、第{n}部分 收入支出决算总体情况说明" for n in range(1, 3000)).encode(),
    "\n".join(["第一部分 概况", "一、收入", "（一）支出", "1.合计", "(1)其他"] * 600).encode(),
    ("部门决算\n2024年度收入总计" + "9" * 200 + "万元，支出总计" + "1" * 200 + ".5万元，增长" + "3" * 200 + "%。\n"
     "\t项目\n\t" + "8" * 200 + "\n\t0." + "0" * 200 + "1\n").encode(),
    ("部门决算\n" + "收入总计1.23万元，" * 3 + "\n") .encode("utf-16"),
], ids=["invalid-utf8", "nul-only", "nul-inside", "numbered-headings", "all-headings", "200-digit-numbers",
        "utf16"])
def test_hostile_text(tmp_path, capsys, content):
    path = tmp_path / "hostile.txt"
    path.write_bytes(content)
    run_check(capsys, path)


@settings(max_examples=examples(10), **SETTINGS)
@given(name=st.sampled_from(sorted(TEXT_DOCUMENTS)), changes=flips)
def test_mutated_documents_through_the_command(tmp_path_factory, name, changes):
    """A sample end to end: `juesuan check` in-process on a damaged document and a good one together."""
    import contextlib

    folder = tmp_path_factory.mktemp("cli")
    path = folder / f"{name}.txt"
    path.write_bytes(flip(TEXT_DOCUMENTS[name], changes))
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(err):
        status = main(["check", str(path), str(DEMO), "--format", "json", "--jobs", "1"])
    assert status in (0, 1, 2)
    assert "Traceback" not in err.getvalue() and len(err.getvalue().splitlines()) <= 1
    assert len(json.loads(out.getvalue())["documents"]) == 2


def test_figure_longer_than_the_decimal_precision_in_a_finding(tmp_path, capsys):
    """A 40-digit figure that a rule compares and a finding prints (found by the long fuzz run)."""
    text = TEXT_DOCUMENTS["demo"].decode("utf-8")
    figure = _FIRST_MONEY.search(text)
    assert figure
    path = tmp_path / "long-figure.txt"
    path.write_text(text[:figure.start()] + "9" * 40 + ".13" + text[figure.end():], encoding="utf-8")
    status, out, _ = run_check(capsys, path)
    assert status == 1 and re.search(r"9(,?9){30}", out), "a finding shows the long figure"


_FIRST_MONEY = re.compile(r"(?<=收入总计)[\d,]+\.\d+(?=万元)|(?<=本年收入合计)[\d,]+\.\d+(?=万元)")


def test_docx_whose_main_part_is_not_a_word_document(tmp_path):
    """``word/document.xml`` damaged into some other root element (found by the long fuzz run)."""
    path = tmp_path / "other-root.docx"
    path.write_bytes(minimal_docx(b'<?xml version="1.0"?><w:documenx xmlns:w="http://schemas.openxmlformats.org/'
                                  b'wordprocessingml/2006/main"><w:body/></w:documenx>'))
    with pytest.raises(InputError, match=r"not a valid \.docx"):
        read_blocks(path)
