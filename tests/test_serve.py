"""`juesuan serve`: the upload page and the check behind it (Flask's test client), and the command's options.

The page in a real browser is tested in tests/test_browser.py.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import Config
from checker.reports.model import RunInfo
from checker.run import Checker
from checker.web import clean_name, create_app, unique_names
from tests import workbooks

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
TABLES = ROOT / "examples" / "demo" / "tables.xlsx"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.from_config(Config())


@pytest.fixture
def client(checker):
    app = create_app(checker, RunInfo(rules=checker.rule_infos, explain=True), max_upload_mb=1)
    return app.test_client()


def upload(client, files: list[tuple[str, bytes]], bundle: bool = True):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    if bundle:
        data["bundle"] = "on"
    return client.post("/check", data=data, content_type="multipart/form-data")


def test_the_form(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert '<input type="file" name="files" multiple' in text and 'action="/check"' in text
    assert "form-action 'self'" in page.headers["Content-Security-Policy"]


def test_a_report_and_its_tables_are_checked_as_one(client, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the uploads are put while checked
    answer = upload(client, [("附表.xlsx", TABLES.read_bytes()), ("决算公开.txt", DEMO.read_bytes())])
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "<h1>决算公开.txt</h1>" in page
    assert "合并检查的文件：<code>决算公开.txt</code>、<code>附表.xlsx</code>" in page
    assert 'data-rule="TAB-112"' in page and 'data-rule="PCT-001"' in page
    assert "附表.xlsx 工作表 公开06表 单元格 C21" in page  # the table's figure of TAB-112, named by its file
    assert '<a href="/">← 检查其他文件</a>' in page
    assert list(tmp_path.iterdir()) == []  # nothing is left behind


def test_files_not_bundled_are_checked_one_by_one(client):
    page = upload(client, [("a.txt", DEMO.read_bytes()), ("b.xlsx", TABLES.read_bytes())], bundle=False)
    text = page.get_data(as_text=True)
    assert text.count('<section class="report" id=') == 2 and 'href="#r1"' in text
    assert 'data-rule="TAB-112"' not in text  # the narrative is not held against the tables


def test_an_unreadable_file_is_reported_in_the_page(client):
    page = upload(client, [("附表.xlsx", b"PK\x03\x04 broken")]).get_data(as_text=True)
    assert "无法读取：附表.xlsx: is not a valid .xlsx file (corrupt or truncated zip)" in page


def test_no_file_and_too_large(client):
    answer = client.post("/check", data={}, content_type="multipart/form-data")
    assert answer.status_code == 400 and "请选择要检查的文件" in answer.get_data(as_text=True)
    answer = upload(client, [("big.txt", b"x" * (1024 * 1024 + 10))])
    assert answer.status_code == 413 and "不能超过 1 MB" in answer.get_data(as_text=True)


def test_keep_saves_the_files_and_the_report(checker, tmp_path):
    app = create_app(checker, RunInfo(rules=checker.rule_infos), keep=tmp_path / "kept")
    upload(app.test_client(), [("决算公开.txt", DEMO.read_bytes())])
    (saved,) = (tmp_path / "kept").iterdir()
    assert sorted(p.name for p in saved.iterdir()) == ["report.html", "决算公开.txt"]
    assert (saved / "决算公开.txt").read_bytes() == DEMO.read_bytes()


def test_upload_names_are_cleaned():
    assert clean_name("C:\\Users\\张三\\附表 2024.xlsx", 1) == "附表 2024.xlsx"
    assert clean_name("../../etc/passwd", 1) == "passwd"
    assert clean_name("..", 3) == "文件3"
    assert unique_names(["附表.xlsx", "a/附表.xlsx", None]) == ["附表.xlsx", "附表（2）.xlsx", "文件3"]


def test_bad_options_get_one_line(capsys, tmp_path):
    assert main(["serve", "--port", "70000"]) == 2
    assert capsys.readouterr().err == "juesuan: error: --port 70000: expected a port number from 0 to 65535\n"
    afile = tmp_path / "f"
    afile.write_text("x")
    assert main(["serve", "--keep", str(afile)]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_builder_script_writes_a_workbook(tmp_path):
    """tests/workbooks.py as a script (how examples/demo/tables.xlsx is made) writes a readable workbook."""
    import subprocess
    import sys

    target = tmp_path / "tables.xls"
    subprocess.run([sys.executable, str(ROOT / "tests" / "workbooks.py"), str(target)], check=True, cwd=ROOT,
                   capture_output=True)
    assert target.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert workbooks.TABLES[0].title == "收入支出决算总表"
