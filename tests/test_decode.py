"""Encoding detection: every way a Chinese Windows user saves a text file reads the same."""

from __future__ import annotations

import codecs

import pytest

from checker.errors import InputError
from checker.readers.decode import decode_bytes
from checker.readers.text import parse_text

SNIPPET = (
    "第二部分 部门决算情况说明\n"
    "一、收入支出决算总体情况说明\n"
    "2024年度收入总计17,091.19万元，其中：本年收入合计17,091.19万元。\n"
    "\t项目\n\t本年收入\n\t占比\n\n"
    "\t财政拨款收入\n\t16,737.76\n\t97.93%\n\n"
    "\t其他收入\n\t353.43\n\t\n\n"
    "（一）一般公共预算财政拨款支出决算总体情况\n"
    "“三公”经费支出0.00万元，较上年持平。\n"
)


def encodings() -> list[tuple[str, bytes, str]]:
    """(case id, bytes, expected encoding name)."""
    return [
        ("utf-8", SNIPPET.encode("utf-8"), "utf-8"),
        ("utf-8-bom", codecs.BOM_UTF8 + SNIPPET.encode("utf-8"), "utf-8-sig"),
        ("gb18030-crlf", SNIPPET.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
        ("gbk", SNIPPET.encode("gbk"), "gb18030"),
        ("utf-16le-bom", codecs.BOM_UTF16_LE + SNIPPET.encode("utf-16-le"), "utf-16-le"),
        ("utf-16be-bom", codecs.BOM_UTF16_BE + SNIPPET.encode("utf-16-be"), "utf-16-be"),
        ("utf-16le-no-bom", SNIPPET.encode("utf-16-le"), "utf-16-le"),
        ("utf-16be-no-bom", SNIPPET.encode("utf-16-be"), "utf-16-be"),
        ("utf-8-cr", SNIPPET.replace("\n", "\r").encode("utf-8"), "utf-8"),
        ("gb18030-cr", SNIPPET.replace("\n", "\r").encode("gb18030"), "gb18030"),
    ]


@pytest.mark.parametrize(("data", "expected"), [pytest.param(d, e, id=i) for i, d, e in encodings()])
def test_every_encoding_yields_the_same_blocks(data: bytes, expected: str) -> None:
    text, encoding = decode_bytes(data, "report.txt")
    assert encoding == expected
    assert parse_text(text) == parse_text(SNIPPET)


@pytest.mark.parametrize("line", [" 第一部分 单位概况", "（二）负责推进流通产业结构调整，指导流通企业改革。",
                                  "一、主要职能"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_short_bomless_utf16_lines_with_few_or_no_nuls(line: str, codec: str) -> None:
    assert decode_bytes(line.encode(codec), "line.txt") == (line, codec)


def test_big5_is_recognised_for_traditional_text() -> None:
    traditional = "第二部分 部門決算情況說明\n一、收入支出決算總體情況說明\n本年收入合計17,091.19萬元。\n" * 3
    text, encoding = decode_bytes(traditional.encode("big5"), "report.txt")
    assert encoding == "big5"
    assert text == traditional


@pytest.mark.parametrize(("data", "problem"), [
    pytest.param(b"", "the file is empty", id="empty"),
    pytest.param(b"\x00\x01\x02\x03\x00\xff\xfe\x00abc\x00\x00\x00\x10", "looks like a binary file", id="nul-laden"),
    pytest.param(bytes(range(1, 32)) * 20, "looks like a binary file", id="control-bytes"),
    pytest.param(codecs.BOM_UTF16_LE + b"\x00\x00" * 50, "looks like a binary file", id="utf16-of-nuls"),
    pytest.param(codecs.BOM_UTF8 + b"\xff\xfe\xfd", "cannot be decoded as UTF-8, GB18030 or UTF-16", id="bad-bom"),
    pytest.param(b"\x80\xff" * 40 + b"\x80", "cannot be decoded as UTF-8, GB18030 or UTF-16", id="undecodable"),
])
def test_bad_bytes_raise_input_error_naming_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(data, "draft/报告.txt")
    assert str(caught.value).startswith("draft/报告.txt: ")
    assert problem in str(caught.value)
