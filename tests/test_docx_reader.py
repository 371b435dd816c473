"""The .docx reader: document order, locations, merged cells, list numbering, bad archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from checker.errors import InputError
from checker.model import Location, Paragraph, Table
from checker.readers import read_blocks
from checker.readers.docx import read_docx
from checker.readers.numbering import chinese_counting, format_number

# Word's usual Chinese outline: 一、 / （一） / 1. / (1)
NUMBERING_XML = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%4"/>
    <w:suff w:val="space"/></w:lvl>
</w:abstractNum>
"""
PART_XML = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1部分"/></w:lvl>
</w:abstractNum>
"""
BULLET_XML = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="92">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
"""


def add_numbering(document) -> dict[str, str]:
    """Install three list definitions; returns numIds by name (``outline2`` restarts the outline at 1)."""
    numbering = document.part.numbering_part.element
    for xml in (NUMBERING_XML, PART_XML, BULLET_XML):
        numbering.insert(0, parse_xml(xml))
    ids = {"outline": ("901", "90", ""), "part": ("902", "91", ""), "bullet": ("903", "92", ""),
           "outline2": ("904", "90", '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>')}
    for num_id, abstract_id, override in ids.values():
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                                   f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'))
    return {name: value[0] for name, value in ids.items()}


def numbered(document, text: str, num_id: str, level: int = 0):
    """A paragraph numbered by Word (the number is not in its runs)."""
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def build_report(path: Path) -> Path:
    """A small disclosure: numbered headings, an empty paragraph, a merged-cell table, more narrative."""
    document = docx.Document()
    ids = add_numbering(document)
    numbered(document, "部门决算情况说明", ids["part"])
    numbered(document, "收入支出决算总体情况说明", ids["outline"], 0)
    document.add_paragraph("2024年度收入总计17,091.19万元。")
    document.add_paragraph("")
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "收入支出决算总表"
    for c, text in enumerate(["项目", "决算数", "", "占比"]):
        table.cell(1, c).text = text
    table.cell(1, 1).merge(table.cell(1, 2))
    table.cell(1, 1).text = "决算数"
    merged = table.cell(2, 0).merge(table.cell(3, 0))
    merged.text = "财政拨款收入"
    for r, values in ((2, ["16,737.76", "x", "97.93%"]), (3, ["353.43", "y", "2.07%"])):
        for c, text in enumerate(values, start=1):
            table.cell(r, c).text = text
    numbered(document, "一般公共预算财政拨款支出决算总体情况", ids["outline"], 1)
    numbered(document, "一般公共服务支出(类)5,166.70万元", ids["outline"], 2)
    numbered(document, "文化旅游体育与传媒支出(类)8.48万元", ids["outline"], 2)
    numbered(document, "细目", ids["outline"], 3)
    numbered(document, "一般公共预算财政拨款支出决算结构情况", ids["outline"], 1)
    numbered(document, "社会保障和就业支出(类)104.18万元", ids["outline"], 2)
    numbered(document, "要点", ids["bullet"])
    numbered(document, "收入决算情况说明", ids["outline"], 0)
    numbered(document, "重新编号的清单", ids["outline2"], 0)
    document.save(path)
    return path


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return build_report(tmp_path / "report.docx")


def test_paragraphs_and_tables_in_document_order_with_numbers(report: Path) -> None:
    result = read_blocks(report)
    assert (result.format, result.encoding) == ("docx", None)
    kinds = ["T" if isinstance(b, Table) else "P" for b in result.blocks]
    assert kinds == ["P", "P", "P", "T", "P", "P", "P", "P", "P", "P", "P", "P", "P"]
    texts = [b.text for b in result.blocks if isinstance(b, Paragraph)]
    assert texts == [
        "第一部分 部门决算情况说明",
        "一、收入支出决算总体情况说明",
        "2024年度收入总计17,091.19万元。",
        "（一）一般公共预算财政拨款支出决算总体情况",
        "1.一般公共服务支出(类)5,166.70万元",
        "2.文化旅游体育与传媒支出(类)8.48万元",
        "甲 细目",
        "（二）一般公共预算财政拨款支出决算结构情况",
        "1.社会保障和就业支出(类)104.18万元",
        "要点",
        "二、收入决算情况说明",
        "一、重新编号的清单",
    ]


def test_paragraph_locations_count_every_body_paragraph(report: Path) -> None:
    paragraphs = [b for b in read_blocks(report).blocks if isinstance(b, Paragraph)]
    # paragraph 4 is the empty one: it is counted but not emitted
    assert [p.location.paragraph for p in paragraphs[:4]] == [1, 2, 3, 5]
    assert paragraphs[3].location == Location(paragraph=5)
    assert paragraphs[0].location.describe() == "paragraph 1"


def test_merged_cells_keep_columns_aligned(report: Path) -> None:
    table = next(b for b in read_blocks(report).blocks if isinstance(b, Table))
    assert table.index == 1
    assert [row.texts for row in table.rows] == [
        ["收入支出决算总表", "", "", ""],  # gridSpan 4: once, then padding
        ["项目", "决算数", "", "占比"],  # gridSpan 2 in the middle
        ["财政拨款收入", "16,737.76", "x", "97.93%"],  # top of a vertical merge keeps the text
        ["", "353.43", "y", "2.07%"],  # vMerge continuation is empty
    ]
    assert all(len(row.cells) == 4 for row in table.rows)
    cell = table.rows[2].cells[3]
    assert cell.location == Location(table=1, row=3, cell=4)
    assert cell.location.describe() == "table 1 row 3 cell 4"
    assert table.rows[1].location == Location(table=1, row=2)


def test_grid_before_and_after_are_padded(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, text in enumerate(["科目", "本年", "上年"]):
        table.cell(0, c).text = text
    row = table.rows[1]._tr
    for tc in list(row.tc_lst)[1:]:
        row.remove(tc)
    row.tc_lst[0].clear_content()
    row.tc_lst[0].add_p().append(parse_xml(f'<w:r {nsdecls("w")}><w:t>12.00</w:t></w:r>'))
    row.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>'))
    document.save(tmp_path / "grid.docx")
    (read,) = read_blocks(tmp_path / "grid.docx").blocks
    assert isinstance(read, Table)
    assert [r.texts for r in read.rows] == [["科目", "本年", "上年"], ["", "12.00", ""]]


def test_nested_table_is_flattened_into_the_cell(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "项目"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r, c, text in ((0, 0, "基本支出"), (0, 1, "553.48"), (1, 0, "项目支出"), (1, 1, "16,537.71")):
        inner.cell(r, c).text = text
    document.add_table(rows=1, cols=1).cell(0, 0).text = "第二张表"
    document.save(tmp_path / "nested.docx")
    tables = [b for b in read_blocks(tmp_path / "nested.docx").blocks if isinstance(b, Table)]
    assert [t.index for t in tables] == [1, 2]
    assert tables[0].rows[0].texts == ["项目", "基本支出 553.48\n项目支出 16,537.71"]
    assert tables[1].rows[0].cells[0].location == Location(table=2, row=1, cell=1)


def test_runs_tabs_breaks_and_deleted_text(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("本年收入")
    paragraph.add_run().add_tab()
    paragraph.add_run("17,091.19")
    paragraph.add_run().add_break()
    paragraph.add_run("万元")
    paragraph._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a">'
                                  '<w:r><w:delText>删除的文字</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>。</w:t></w:r></w:ins>'))
    document.save(tmp_path / "runs.docx")
    (block,) = read_blocks(tmp_path / "runs.docx").blocks
    assert block.text == "本年收入\t17,091.19\n万元。"


def test_content_controls_are_seen_through(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("前言")
    body = document.element.body
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="标题"/></w:sdtPr><w:sdtContent>'
                    '<w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    body.insert(len(body) - 1, sdt)
    document.save(tmp_path / "sdt.docx")
    blocks = read_blocks(tmp_path / "sdt.docx").blocks
    assert [(b.text, b.location.paragraph) for b in blocks] == [("前言", 1), ("控件中的段落", 2)]


def test_heading_numbered_through_its_style(tmp_path: Path) -> None:
    document = docx.Document()
    ids = add_numbering(document)
    style = document.styles["Heading 1"]
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{ids["outline"]}"/></w:numPr>'))
    document.add_paragraph("主要职能", style="Heading 1")
    document.add_paragraph("机构设置", style="Heading 1")
    document.save(tmp_path / "styled.docx")
    assert [b.text for b in read_blocks(tmp_path / "styled.docx").blocks] == ["一、主要职能", "二、机构设置"]


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"),
                                         (100, "一百"), (101, "一百零一"), (110, "一百一十"), (1005, "一千零五"),
                                         (10001, "一万零一")])
def test_chinese_counting(n: int, text: str) -> None:
    assert chinese_counting(n) == text


@pytest.mark.parametrize(("n", "fmt", "text"), [
    (12, "decimal", "12"), (3, "chineseLegalSimplified", "叁"), (11, "chineseLegalSimplified", "壹拾壹"),
    (2, "ideographTraditional", "乙"), (3, "decimalEnclosedCircle", "③"), (4, "upperLetter", "D"),
    (28, "lowerLetter", "bb"), (9, "lowerRoman", "ix"), (5, "decimalZero", "05"), (7, "somethingNew", "7"),
    (1, "bullet", ""),
])
def test_number_formats(n: int, fmt: str, text: str) -> None:
    assert format_number(n, fmt) == text


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_truncated_docx_is_corrupt(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("正文")
    data = docx_bytes(document)
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"truncated\.docx: is not a valid \.docx file \(corrupt or truncated zip\)"):
        read_blocks(path)


def test_damaged_document_xml_is_corrupt(tmp_path: Path) -> None:
    source = io.BytesIO(docx_bytes(docx.Document()))
    target = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, b"<w:document" if info.filename == "word/document.xml" else data)
    path = tmp_path / "damaged.docx"
    path.write_bytes(target.getvalue())
    with pytest.raises(InputError, match=r"damaged\.docx: is not a valid \.docx file"):
        read_blocks(path)


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "不是文档")
    with pytest.raises(InputError, match=r"archive\.docx: is a zip archive but not a Word \.docx document"):
        read_blocks(path)


def test_spreadsheet_package_is_not_word(tmp_path: Path) -> None:
    source = io.BytesIO(docx_bytes(docx.Document()))
    target = io.BytesIO()
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(main.encode(), sheet.encode())
            zout.writestr(info, data)
    path = tmp_path / "sheet.docx"
    path.write_bytes(target.getvalue())
    with pytest.raises(InputError, match=r"sheet\.docx: is a zip archive but not a Word"):
        read_blocks(path)


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            block = b"0" * (1024 * 1024)
            for _ in range(210):
                entry.write(block)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(InputError, match=r"bomb\.docx: expands to 210 MB .*zip bomb"):
        read_blocks(path)


def test_empty_word_document_has_no_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    document.add_table(rows=2, cols=2)
    document.save(tmp_path / "blank.docx")
    with pytest.raises(InputError, match=r"blank\.docx: the document contains no text"):
        read_blocks(tmp_path / "blank.docx")


def test_read_docx_accepts_bytes_directly(report: Path) -> None:
    blocks = read_docx(report, report.read_bytes())
    assert blocks == read_blocks(report).blocks
