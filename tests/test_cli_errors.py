"""Bad input through the command line: one line on stderr naming the file and the problem, exit status 2,
never a traceback and never a partial report on stdout."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from checker.cli import main

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo" / "disclosure.txt"


def _corrupt_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


CASES = {
    "missing": (lambda p: None, "no such file"),
    "directory": (lambda p: p.mkdir(), "is a directory"),
    "empty": (lambda p: p.write_bytes(b""), "empty"),
    "binary": (lambda p: p.write_bytes(bytes(range(256)) * 40), "binary"),
    "undecodable": (lambda p: p.write_bytes("收入".encode()[:2] + b"\xff\xfe\xfa" * 50 + b"\x81"),
                    "cannot be decoded"),
    "corrupt docx": (_corrupt_docx, ".docx"),
    "not a disclosure": (lambda p: p.write_text("今天天气很好，我们去公园散步。\n晚上吃饺子。\n", encoding="utf-8"),
                         "does not look like a final-accounts disclosure"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["check", "facts"])
def test_bad_input_gets_one_line_and_status_2(tmp_path, capsys, case, command):
    make, words = CASES[case]
    if command == "check" and case == "directory":
        words = "no disclosures found"  # check accepts folders; an empty one has nothing to check
    path = tmp_path / ("input.docx" if case == "corrupt docx" else "input.txt")
    make(path)
    status = main([command, str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert str(path) in lines[0] and words in lines[0]
    assert "Traceback" not in err
    if command == "facts":
        assert out == ""


def test_malformed_rule_file_is_located_with_a_suggestion(tmp_path, capsys):
    rules = tmp_path / "bad.rules"
    rules.write_text('rule X-1 "标题"\n  severity error\n  assert 三公经费.合记 == 1\n', encoding="utf-8")
    status = main(["check", str(DEMO), "--rules", str(rules)])
    _, err = capsys.readouterr()
    assert status == 2
    assert f"{rules}:3:10: error: unknown name 三公经费.合记" in err
    assert "did you mean" in err and "三公经费.合计" in err
    assert "Traceback" not in err


def test_rule_file_syntax_error_says_what_was_expected(tmp_path, capsys):
    rules = tmp_path / "bad.rules"
    rules.write_text('rule X-1 "标题"\n  severity error\n  assert 三公经费.合计 ==\n', encoding="utf-8")
    assert main(["check", str(DEMO), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert f"{rules}:" in err and "expected" in err and "Traceback" not in err


@pytest.mark.parametrize(("content", "words"), [
    ("[tool.juesuan]\nfail-on = \"sometimes\"\n", "fail-on must be one of"),
    ("[tool.juesuan]\nselect = 3\n", "select must be a string or a list of strings"),
    ("[tool.juesuan]\nfavourite = 1\n", "unknown setting"),
    ("[tool.juesuan\n", "invalid TOML"),
])
def test_bad_configuration_is_a_usage_error(tmp_path, capsys, content, words):
    config = tmp_path / "pyproject.toml"
    config.write_text(content, encoding="utf-8")
    assert main(["check", str(DEMO), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_batch_with_one_bad_file_reports_the_rest(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    status = main(["check", str(tmp_path), "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 2
    assert '"findings"' in out and "bad.txt" in err


@pytest.mark.parametrize(("where", "words"), [("missing/folder/report.json", "cannot write the report"),
                                              (".", "is a folder")])
def test_unwritable_report_path_is_refused_before_checking(tmp_path, capsys, where, words):
    target = tmp_path / where
    status = main(["check", str(DEMO), "--format", "json", "-o", str(target)])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and str(target) in lines[0] and words in lines[0], err
    assert not list(tmp_path.glob("**/*.partial"))


def test_report_file_appears_whole_and_leaves_no_temporary(tmp_path, capsys):
    target = tmp_path / "report.json"
    target.write_text("an older report", encoding="utf-8")
    assert main(["check", str(DEMO), "--format", "json", "-o", str(target)]) == 1
    assert target.read_text(encoding="utf-8").startswith("{") and sorted(tmp_path.iterdir()) == [target]
