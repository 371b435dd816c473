"""Excel workbooks: the nine tables read from .xlsx and .xls give the facts the same tables give in text.

The workbooks are written at test time by tests/workbooks.py (openpyxl for .xlsx, xlwt for .xls) from one
description of the demo's nine tables, with three errors planted; the committed examples/demo/tables.xlsx
is that builder's output and is checked to stay so. Password-protected workbooks are made with
msoffcrypto-tool (.xlsx) and by writing a FILEPASS record into an xlwt workbook's stream (.xls).
"""

from __future__ import annotations

import json
import re
import struct
import tomllib
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import jsonschema
import pytest

from checker.cli import main
from checker.config import Config
from checker.errors import InputError
from checker.pipeline import document_from_text, extract_facts, read_document
from checker.readers import read_blocks
from checker.readers.cellformat import number_text
from checker.readers.sheets import Sheet, sheets_to_blocks
from checker.run import Checker
from tests import workbooks

ROOT = Path(__file__).resolve().parents[1]
TABLE_RULES = ROOT / "rules" / "national" / "60-tables.rules"
DEMO_TABLES = ROOT / "examples" / "demo" / "tables.xlsx"
REPORT_SCHEMA = ROOT / "schemas" / "juesuan.report.schema.json"

#: The planted errors: rule, place of the finding (sheet!cell), the figure found there.
PLANTED = [("TAB-001", "公开01表!B13", "5,017.60"), ("TAB-080", "公开02表!C5", "5,017.60"),
           ("TAB-040", "公开05表!C21", "136.78"), ("TAB-052", "公开06表!F5", "372.44")]


def table_facts(document) -> set[tuple]:
    """The tables' facts without their places: what a workbook and the text must agree on."""
    out = set()
    for fact in extract_facts(document):
        if fact.name.startswith("表."):
            value = fact.value
            out.add((fact.name, fact.dims, getattr(value, "text", value), getattr(value, "unit", None)))
    return out


@pytest.fixture(scope="module")
def text_facts() -> set[tuple]:
    return table_facts(document_from_text(workbooks.tables_text(), "tables.txt"))


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory) -> Path:
    return workbooks.write_xlsx(tmp_path_factory.mktemp("xlsx") / "附表.xlsx")


WRITERS = {
    "xlsx-sheet-per-table": lambda p: workbooks.write_xlsx(p / "t.xlsx"),
    "xlsx-one-sheet-numeric-codes": lambda p: workbooks.write_xlsx(p / "t.xlsx", one_sheet=True, codes_as_numbers=True),
    "xls-sheet-per-table": lambda p: workbooks.write_xls(p / "t.xls"),
    "xls-one-sheet": lambda p: workbooks.write_xls(p / "t.xls", one_sheet=True),
}


@pytest.mark.parametrize("form", sorted(WRITERS))
def test_workbook_gives_the_facts_of_the_text(tmp_path, text_facts, form):
    path = WRITERS[form](tmp_path)
    facts = table_facts(read_document(path))
    assert len(text_facts) > 400
    assert facts == text_facts
    names = {name for name, *_ in facts}
    assert {"表.收入支出决算总表.收入总计", "表.基本支出.人员经费合计.决算数", "表.三公.公务接待费.决算数",
            "表.财政拨款总表.年初结转和结余.一般公共预算财政拨款"} <= names
    listed = {dims[0][1] for name, dims, *_ in facts if name == "表.清单.序号"}
    assert len(listed) == 9


def test_committed_demo_workbook_is_the_builders(text_facts):
    assert table_facts(read_document(DEMO_TABLES)) == text_facts


def test_cells_carry_sheet_and_address(xlsx):
    document = read_document(xlsx)
    assert document.format == "xlsx"
    facts = extract_facts(document)
    office = next(f for f in facts.all("表.基本支出.科目.决算数") if ("编码", "30201") in f.dims)
    assert office.value.text == "66.00" and office.value.value == Decimal("66.00")  # a number stored as text
    assert (office.location.sheet, office.location.address) == ("公开06表", "F6")
    total = facts.first("表.收入支出决算总表.收入总计")
    assert (total.location.sheet, total.location.address, total.location.describe()) == (
        "公开01表", "B16", "公开01表!B16")
    # the hidden scratch sheet is not read
    assert all(b.location.sheet != "底稿" for b in document.blocks)
    assert 999.99 not in {getattr(f.value, "value", None) for f in facts}


def test_planted_errors_are_found_with_their_cells(xlsx):
    checker = Checker.from_config(Config(), extra_rules=(TABLE_RULES,), builtin=False)
    result = checker.check_path(xlsx)
    found = [(f.rule_id, f.location.describe(), f.locations[0].display) for f in result.findings
             if f.rule_id not in ("TAB-200",)]
    assert found == PLANTED
    basic = next(f for f in result.findings if f.rule_id == "TAB-052")
    assert ("表.基本支出.科目.决算数[30201/办公费]", "66.00", "公开06表!F6") in {
        (e.name, e.display, e.location.describe()) for e in basic.locations}


def test_every_report_format_names_the_sheet_and_cell(tmp_path, xlsx, capsys):
    args = ["check", str(xlsx), "--select", "TAB-052"]
    assert main([*args, "--format", "text"]) == 1
    text = capsys.readouterr().out
    assert f"{xlsx}:公开06表!F5: TAB-052 error" in text and "66.00 (公开06表!F6)" in text

    assert main([*args, "--format", "json", "-o", str(tmp_path / "r.json")]) == 1
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))).validate(report)
    where = {(loc["sheet"], loc["address"], loc["text"]) for loc in report["documents"][0]["findings"][0]["locations"]}
    assert ("公开06表", "F6", "66.00") in where and ("公开06表", "F5", "372.44") in where

    assert main([*args, "--format", "toml", "-o", str(tmp_path / "r.toml")]) == 1
    toml = tomllib.loads((tmp_path / "r.toml").read_text(encoding="utf-8"))
    assert toml["documents"][0]["findings"][0]["locations"][0]["address"] == "F5"

    assert main([*args, "--format", "sarif", "-o", str(tmp_path / "r.sarif")]) == 1
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    location = sarif["runs"][0]["results"][0]["locations"][0]
    assert location["logicalLocations"][0]["name"] == "公开06表!F5"
    assert location["properties"] == {"sheet": "公开06表", "address": "F5"}

    assert main([*args, "--format", "html", "-o", str(tmp_path / "r.html")]) == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "工作表 公开06表 单元格 F5" in page and "工作表 公开06表 A3:F21" in page
    assert '<mark class="hl sev-error"' in page  # the figure is highlighted in the sheet's table


# --- number formats and sheet layout ---------------------------------------------------------------------

@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (3415.17, "#,##0.00", "3,415.17"), (3415.1, "0.00", "3415.10"), (2.675, "0.00", "2.68"),
    (0.125, "0.00", "0.13"), (-0.001, "0.00", "0.00"), (1234567.891, "#,##0.00_ ;[Red]-#,##0.00 ", "1,234,567.89"),
    (0.9894, "0.00%", "98.94%"), (0.5, "0%", "50%"), (201, "General", "201"), (0.1 + 0.2, "General", "0.3"),
    (48.21, None, "48.21"), (12.0, '0.00"万元"', "12.00"), (7, "@", "7"), (-12.5, "#,##0.00;(#,##0.00)", "-12.50"),
])
def test_numbers_show_as_formatted(value, fmt, shown):
    assert number_text(value, fmt) == shown


def test_several_tables_on_a_sheet_split_at_their_titles():
    sheet = Sheet("报表")
    rows = [["一、收入决算表"], [workbooks.UNIT], ["项目", "金额"], ["合计", "1.00"], [],
            ["二、支出决算表"], ["项目", "金额"], ["合计", "1.00"], ["注：本表金额单位为万元。"]]
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            sheet.cells[(r, c)] = text
    blocks = sheets_to_blocks([sheet])
    kinds = [(type(b).__name__, getattr(b, "text", None) or b.location.address) for b in blocks]
    assert kinds == [("Paragraph", "一、收入决算表"), ("Paragraph", "单位：万元"), ("Table", "A3:B4"),
                     ("Paragraph", "二、支出决算表"), ("Table", "A7:B8"), ("Paragraph", "注：本表金额单位为万元。")]
    assert [t.index for t in blocks if hasattr(t, "rows")] == [1, 2]


def test_hidden_rows_and_columns_are_not_read_and_an_untitled_sheet_is_named():
    sheet = Sheet("收入决算表", {(1, 1): "项目", (1, 2): "校验", (1, 3): "金额", (2, 1): "合计", (2, 2): "x",
                             (2, 3): "1.00", (3, 1): "隐藏行", (3, 3): "9.00"}, hidden_rows={3}, hidden_columns={2})
    blocks = sheets_to_blocks([sheet])
    assert blocks[0].text == "收入决算表" and blocks[0].location.sheet == "收入决算表"
    table = blocks[1]
    assert [r.texts for r in table.rows] == [["项目", "金额"], ["合计", "1.00"]]
    assert table.rows[1].cells[1].location.address == "C2"
    assert sheets_to_blocks([Sheet("Sheet1", {(1, 1): "项目", (1, 2): "金额"})])[0].rows[0].texts == ["项目", "金额"]


def test_merged_cells_keep_their_text_in_the_first_cell(xlsx):
    table = next(b for b in read_document(xlsx).blocks if b.location.sheet == "公开09表" and hasattr(b, "rows"))
    assert table.rows[0].texts[:6] == ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费", ""]
    assert table.rows[1].texts[4:10] == ["小计", "", "公务用车购置费", "", "公务用车运行费", ""]


# --- bad workbooks: one line, status 2 -------------------------------------------------------------------

def _encrypted_xlsx(xlsx: Path) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = BytesIO()
    OOXMLFile(BytesIO(xlsx.read_bytes())).encrypt("密码123", out)
    return out.getvalue()


def _encrypted_xls() -> bytes:
    """An xlwt workbook whose globals stream carries a FILEPASS record (XOR obfuscation) after its BOF, as
    Excel writes a workbook saved with a password to open."""
    import xlwt
    from xlwt.CompoundDoc import XlsDoc

    book = xlwt.Workbook()
    book.add_sheet("收入支出决算总表").write(0, 0, "收入支出决算总表")
    stream = book.get_biff_data()
    bof = 4 + struct.unpack("<H", stream[2:4])[0]
    filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, 0x5678)
    out = BytesIO()
    XlsDoc().save(out, stream[:bof] + filepass + stream[bof:])
    return out.getvalue()


def _without(xlsx: Path, member: str) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(xlsx) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
    return out.getvalue()


def _future_zip_version(xlsx: Path) -> bytes:
    """A central directory entry asking for a zip version Python's zipfile does not implement (found by fuzzing)."""
    data = bytearray(xlsx.read_bytes())
    at = data.index(b"PK\x01\x02") + 6
    data[at:at + 2] = (64).to_bytes(2, "little")
    return bytes(data)


BAD = {
    "future-zip.xlsx": (_future_zip_version, "is not a valid .xlsx file (corrupt or truncated zip)"),
    "truncated.xlsx": (lambda x: x.read_bytes()[:3000], "is not a valid .xlsx file (corrupt or truncated zip)"),
    "no-workbook-part.xlsx": (lambda x: _without(x, "xl/workbook.xml"), "is not a valid .xlsx workbook"),
    "encrypted.xlsx": (_encrypted_xlsx, "is password-protected (an encrypted Office file)"),
    "encrypted.xls": (lambda x: _encrypted_xls(), "is password-protected; remove the password"),
    "garbage.xls": (lambda x: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "is not a valid Office file"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_workbook_gets_one_line_and_status_2(tmp_path, xlsx, capsys, name):
    make, problem = BAD[name]
    path = tmp_path / name
    path.write_bytes(make(xlsx))
    with pytest.raises(InputError, match=re.escape(problem)):
        read_blocks(path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"juesuan: error: {path}: ") and problem in err
    assert "Traceback" not in err


def test_renamed_office_files_are_read_by_what_they_hold(tmp_path, xlsx):
    as_docx = tmp_path / "附表.docx"
    as_docx.write_bytes(xlsx.read_bytes())
    assert read_blocks(as_docx).format == "xlsx"
    from tests.fixtures.docs.street_office_2024 import build

    word = tmp_path / "report.docx"
    build(word)
    as_xlsx = tmp_path / "report.xlsx"
    as_xlsx.write_bytes(word.read_bytes())
    assert read_blocks(as_xlsx).format == "docx"


def test_the_unit_in_the_title_row_applies_to_the_table(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "三公"
    sheet["A1"] = "财政拨款“三公”经费支出决算表（单位：元）"
    sheet.merge_cells("A1:L1")
    for r, row in enumerate(workbooks.SANGONG.rows, start=2):
        for c, text in enumerate(row, start=1):
            if text:
                sheet.cell(row=r, column=c, value=float(text) if workbooks.AMOUNT.match(text) else text)
    book.save(tmp_path / "三公.xlsx")
    facts = extract_facts(read_document(tmp_path / "三公.xlsx"))
    total = facts.first("表.三公.合计.决算数")
    assert (total.value.text, total.value.unit, total.location.describe()) == ("43.87", "元", "三公!B5")
    (unit,) = facts.all("表.清单.单位")
    assert (unit.value, unit.location.describe()) == ("元", "三公!A1")


def test_one_sheet_with_the_unit_at_the_end_of_each_title_row(tmp_path):
    facts = extract_facts(read_document(workbooks.write_xlsx(tmp_path / "t.xlsx", one_sheet=True)))
    units = {f.dims[0][1]: (f.value, f.location.describe()) for f in facts.all("表.清单.单位")}
    assert units["收入支出决算总表"] == ("万元", "部门决算报表!D1")
    assert len(units) == 9 and {v for v, _ in units.values()} == {"万元"}
