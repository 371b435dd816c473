"""read_blocks: dispatch by content, the reader registry, and every unreadable-input case."""

from __future__ import annotations

import codecs
import io
import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.errors import InputError
from checker.model import Location, Paragraph, Table
from checker.readers import ReadResult, read_blocks, reader_names, register_reader, unregister_reader

SNIPPET = (
    "第一部分 单位概况\n"
    "一、主要职能\n"
    "昌吉州商务局贯彻落实党中央关于商务工作的方针政策。\n"
    "\t项目\n\t本年收入\n\n"
    "\t财政拨款收入\n\t16,737.76\n\n"
    "\t其他收入\n\t\n\n"
    "二、机构设置及人员情况\n"
    "实有人数42人，其中：在职人员27人。\n"
)


def test_text_file_is_read_with_locations(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(SNIPPET.replace("\n", "\r\n").encode("gb18030"))
    result = read_blocks(path)
    assert (result.format, result.encoding) == ("text", "gb18030")
    assert [type(b).__name__ for b in result.blocks] == ["Paragraph"] * 3 + ["Table"] + ["Paragraph"] * 2
    table = result.blocks[3]
    assert isinstance(table, Table)
    assert [row.texts for row in table.rows] == [["项目", "本年收入"], ["财政拨款收入", "16,737.76"], ["其他收入", ""]]
    assert result.blocks[0].location == Location(line=1, column=1, end_line=1, end_column=10)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_same_blocks_whatever_the_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(SNIPPET.encode(encoding))
    reference = tmp_path / "reference.txt"
    reference.write_text(SNIPPET, encoding="utf-8")
    assert read_blocks(path).blocks == read_blocks(reference).blocks


def test_docx_content_under_a_txt_name_is_read_as_docx(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("一、主要职能")
    path = tmp_path / "saved-as.txt"
    document.save(path)
    result = read_blocks(path)
    assert result.format == "docx"
    assert result.blocks == [Paragraph("一、主要职能", Location(paragraph=1))]


def test_text_under_a_docx_name_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "renamed.docx"
    path.write_text(SNIPPET, encoding="utf-8")
    assert read_blocks(path).format == "text"


def test_accepts_str_paths(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(SNIPPET, encoding="utf-8")
    assert read_blocks(str(path)).blocks == read_blocks(path).blocks


def test_plugin_reader_registration_and_replacement(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01binary")
    with pytest.raises(InputError, match="is not a valid PDF file"):
        read_blocks(path)
    original = reader_names()

    def read_pdf(p: Path, data: bytes) -> list[Paragraph]:
        return [Paragraph("一、主要职能", Location(page=1, paragraph=1))]

    register_reader("pdf", lambda head, p: head.startswith(b"%PDF"), read_pdf)
    try:
        assert reader_names() == original
        result = read_blocks(path)
        assert result == ReadResult("pdf", None, [Paragraph("一、主要职能", Location(page=1, paragraph=1))])
    finally:
        from checker.readers import _is_pdf, _read_pdf

        register_reader("pdf", _is_pdf, _read_pdf)

    register_reader("ini", lambda head, p: p.suffix == ".ini",
                    lambda p, data: ReadResult("ini", "ascii", [Paragraph(data.decode(), Location(line=1))]))
    try:
        assert reader_names()[0] == "ini"
        ini = tmp_path / "x.ini"
        ini.write_bytes(b"key")
        assert read_blocks(ini).format == "ini"
    finally:
        unregister_reader("ini")
    assert reader_names() == original


def write_zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(201):
                entry.write(b"\x00" * (1024 * 1024))


def truncated_docx() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("正文")
    document.save(buffer)
    data = buffer.getvalue()
    return data[: len(data) - 200]


def not_word_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    return buffer.getvalue()


BAD_CONTENT = [
    pytest.param(b"", "the file is empty", id="empty"),
    pytest.param(" \r\n\t\n\u3000 ".encode(), "the file is empty", id="whitespace"),
    pytest.param(codecs.BOM_UTF8, "the file is empty", id="bom-only"),
    pytest.param(bytes(range(256)) * 8, "looks like a binary file", id="binary"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "looks like a binary file", id="png"),
    pytest.param("收入".encode() + b"\x00" * 40 + "支出".encode(), "looks like a binary file", id="nul-laden"),
    pytest.param(b"\x81\x30" + b"\xff\x80" * 30 + b"\xff", "cannot be decoded as UTF-8, GB18030 or UTF-16",
                 id="undecodable"),
    pytest.param(truncated_docx(), "is not a valid .docx file (corrupt or truncated zip)", id="truncated-docx"),
    pytest.param(b"PK\x03\x04" + os.urandom(64).replace(b"PK", b"pk"), "is not a valid .docx file",
                 id="zip-magic-garbage"),
    pytest.param(not_word_zip(), "is a zip archive but not a Word .docx document", id="zip-not-docx"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "is not a valid Office file (corrupt compound "
                 "document)", id="ole"),
    pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is not a valid PDF file (corrupt or truncated)",
                 id="corrupt-pdf"),
]


@pytest.mark.parametrize(("content", "problem"), BAD_CONTENT)
def test_bad_content_raises_input_error_naming_the_file(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "部门决算.docx"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_blocks(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)
    assert caught.value.path == str(path)


def test_zip_bomb_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    write_zip_bomb(path)
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: expands to 201 MB"):
        read_blocks(path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.txt"
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: no such file$"):
        read_blocks(path)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=rf"^{re.escape(str(tmp_path))}: is a directory$"):
        read_blocks(tmp_path)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(SNIPPET, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read any file (root)")
        with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: cannot be read: permission denied$"):
            read_blocks(path)
    finally:
        path.chmod(0o644)


def test_permission_denied_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(SNIPPET, encoding="utf-8")

    def deny(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: cannot be read: permission denied$"):
        read_blocks(path)


def test_error_is_one_line_without_traceback_material(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError) as caught:
        read_blocks(path)
    assert "\n" not in str(caught.value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=2048),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=512).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=512).map(lambda b: codecs.BOM_UTF16_LE + b),
))
def test_random_bytes_give_blocks_or_input_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(data)
    try:
        result = read_blocks(path)
    except InputError as error:
        assert str(error).startswith(f"{path}: ")
        return
    assert result.blocks
    assert all(isinstance(block, Paragraph | Table) for block in result.blocks)
