"""One disclosure from several files: the demo's narrative (.txt, or as .docx) and its tables (.xlsx) with --bundle.

The demo says its tables are attached (第四部分 …（见附表）); tests/workbooks.py writes them. Checked as a
bundle, the rules that hold the tables against the narrative (TAB-1xx) run across the two files and find
what they find when the same tables are pasted into the text; each finding names the file of each figure.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import Config
from checker.pipeline import document_from_text, extract_facts, read_bundle
from checker.run import Checker, expand_bundle
from tests import workbooks
from tests.fixtures.styles.docx_from_text import build as docx_from_text

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bundle")
    docx = folder / "disclosure.docx"
    docx_from_text(DEMO, docx)
    return {"txt": DEMO, "docx": docx, "xlsx": workbooks.write_xlsx(folder / "附表.xlsx")}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.from_config(Config())


def tab_findings(result) -> Counter:
    return Counter((f.rule_id, f.message) for f in result.findings if f.rule_id.startswith("TAB-"))


def test_bundle_finds_what_the_tables_pasted_into_the_text_find(tmp_path, files, checker):
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(DEMO.read_text(encoding="utf-8") + "\n" + workbooks.tables_text(), encoding="utf-8")
    expected = tab_findings(checker.check_path(pasted))
    bundle = checker.check_bundle([files["txt"], files["xlsx"]])
    assert tab_findings(bundle) == expected
    rules = {rule for rule, _ in expected}
    # the narrative's own errors, now proven against the tables, and the tables' planted errors
    assert {"TAB-112", "TAB-114", "TAB-103", "TAB-001", "TAB-080", "TAB-040", "TAB-052"} <= rules
    assert "TAB-200" not in rules  # all nine tables are there, in the other file


@pytest.mark.parametrize("report", ["txt", "docx"])
def test_findings_name_the_file_of_each_figure(files, checker, report):
    result = checker.check_bundle(expand_bundle([str(files["xlsx"]), str(files[report])]))  # report first
    assert result.path == str(files[report]) and result.files == (str(files[report]), str(files["xlsx"]))
    basic = next(f for f in result.findings if f.rule_id == "TAB-112")
    assert basic.message == "说明中的基本支出 3,415.17 万元，基本支出决算表为 3,405.17 万元"
    places = {(e.location.file, e.location.describe() if e.location.sheet else None, e.display)
              for e in basic.locations}
    assert (str(files["xlsx"]), "公开06表!C21", "3,018.73") in places
    assert (str(files["xlsx"]), "公开06表!F21", "386.44") in places
    assert any(file == str(files[report]) and display == "3,415.17万元" for file, _, display in places)
    planted = next(f for f in result.findings if f.rule_id == "TAB-052")
    assert (planted.location.file, planted.location.describe()) == (str(files["xlsx"]), "公开06表!F5")
    # the attachment's headings keep their own numbering (一、…九、), not the report's
    assert not [f for f in result.findings if f.rule_id == "DOC-002"]
    assert not [f for f in result.findings if f.rule_id.startswith("TAB-2")]


def test_a_folder_is_one_bundle_and_every_format_names_the_files(tmp_path, files, capsys):
    folder = tmp_path / "云泽市市场监督管理局"
    folder.mkdir()
    shutil.copy(DEMO, folder / "disclosure.txt")
    shutil.copy(files["xlsx"], folder / "附表.xlsx")
    report, tables = str(folder / "disclosure.txt"), str(folder / "附表.xlsx")
    assert main(["check", str(folder), "--bundle", "--select", "TAB-112,TAB-052"]) == 1
    out = capsys.readouterr().out
    assert f"{tables}:公开06表!F5: TAB-052 error" in out
    assert f"{report}:50:" in out and f"({tables} 公开06表!C21)" in out
    assert "Checked 1 document" in out

    target = tmp_path / "r.json"
    assert main(["check", str(folder), "--bundle", "--select", "TAB-112", "--format", "json", "-o", str(target)]) == 1
    (document,) = json.loads(target.read_text(encoding="utf-8"))["documents"]
    assert document["path"] == report and document["files"] == [report, tables]
    assert {loc.get("file") for loc in document["findings"][0]["locations"]} == {report, tables}

    assert main(["check", str(folder), "--bundle", "--format", "sarif", "-o", str(tmp_path / "r.sarif")]) == 1
    run = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["runs"][0]
    assert [a["location"]["uri"] for a in run["artifacts"]] == [Path(report).as_uri(), Path(tables).as_uri()]
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"] for loc in r["locations"]}
    assert uris == {Path(report).as_uri(), Path(tables).as_uri()}

    assert main(["check", str(folder), "--bundle", "--format", "html", "-o", str(tmp_path / "r.html")]) == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('class="file-break"') == 2 and f"{tables} 工作表 公开06表 单元格 F5" in page


def test_an_unreadable_member_names_itself(tmp_path, capsys):
    broken = tmp_path / "附表.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    assert main(["check", str(DEMO), str(broken), "--bundle"]) == 2
    err = capsys.readouterr().err
    assert err == f"juesuan: error: {broken}: is not a valid .xlsx file (corrupt or truncated zip)\n"


def test_the_report_reads_the_same_in_a_bundle(files):
    document = read_bundle([files["txt"], files["xlsx"]])
    assert document.files == (str(files["txt"]), str(files["xlsx"]))
    facts = extract_facts(document)
    table_fact = facts.first("表.收入支出决算总表.收入总计")
    assert table_fact.location.file == str(files["xlsx"]) and table_fact.location.sheet == "公开01表"
    alone = extract_facts(document_from_text(DEMO.read_text(encoding="utf-8"), str(DEMO)))

    def seen(fact_set, file=None):
        """Facts of the report: name, dims (a 位置 key names the file in a bundle), place and value."""
        prefix = f"{file}:" if file else ""
        return Counter((f.name, tuple((k, v.removeprefix(prefix) if k == "位置" else v) for k, v in f.dims),
                        f.location.line, f.location.column, str(getattr(f.value, "text", f.value)))
                       for f in fact_set if f.location.file == file and not f.name.startswith("表."))

    assert seen(facts, str(files["txt"])) == seen(alone)
