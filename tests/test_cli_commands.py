"""`juesuan rules / graph / explain / init` end to end through `checker.cli.main`, including their errors."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import STARTER, load_config
from checker.ruledocs import doc_comment
from checker.rulepacks import compile_rules
from checker.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "rules")
ONLY_EXAMPLE = ["--no-builtin", "--rules", EXAMPLE]


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder so that no project configuration is picked up."""
    monkeypatch.chdir(tmp_path)


def test_rules_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", *ONLY_EXAMPLE]) == 0
    assert capsys.readouterr().out == ("CU-001  warning  公务接待费不超过上年\n"
                                       "CU-002  info     公务接待费变动应说明原因\n"
                                       "2 rules\n")


def test_rules_json_has_citation_and_place(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", *ONLY_EXAMPLE, "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)["rules"]
    assert [r["id"] for r in rules] == ["CU-001", "CU-002"]
    assert rules[0]["citation"] == "某省财政厅 关于厉行节约严控“三公”经费的通知 第三条"
    assert rules[0]["file"].endswith("custom.rules") and rules[0]["line"] == 8


def test_rules_show_the_configured_severity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "juesuan.toml").write_text('ignore = ["CU-002"]\n[severity]\n"CU-001" = "error"\n',
                                           encoding="utf-8")
    assert main(["rules", *ONLY_EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert "CU-001  error    公务接待费不超过上年" in out
    assert "CU-002  off      公务接待费变动应说明原因" in out


def test_builtin_rules_load(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert capsys.readouterr().out.rstrip().split()[-1] in ("rule", "rules")


def test_graph_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", *ONLY_EXAMPLE]) == 0
    text = capsys.readouterr().out
    assert "rule:CU-001  公务接待费不超过上年\n  <- fact:三公经费.公务接待费.增减额\n" in text
    assert main(["graph", *ONLY_EXAMPLE, "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith("digraph rules {") and '"fact:三公经费.公务接待费.增减额" -> "rule:CU-002";' in dot
    assert main(["graph", *ONLY_EXAMPLE, "--format", "mermaid"]) == 0
    assert capsys.readouterr().out.startswith("flowchart LR\n")


def test_graph_of_one_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", *ONLY_EXAMPLE, "CU-001"]) == 0
    assert capsys.readouterr().out == "rule:CU-001  公务接待费不超过上年\n  <- fact:三公经费.公务接待费.增减额\n"


def test_graph_of_an_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", *ONLY_EXAMPLE, "CU-003"]) == 2
    assert capsys.readouterr().err == "juesuan: error: unknown rule CU-003; did you mean `CU-002` or `CU-001`?\n"


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "CU-001", *ONLY_EXAMPLE]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "CU-001  公务接待费不超过上年"
    assert lines[2] == "What it checks: 公务接待费 did not grow compared with the previous year."
    assert "#" not in "\n".join(lines[2:6])  # the doc comment, without its markers; ordinary comments left out
    assert "A regulator's own rule pack" not in out
    assert "severity: warning\n" in out
    assert "citation: 某省财政厅 关于厉行节约严控“三公”经费的通知 第三条\n" in out
    assert f"source:   {EXAMPLE}/custom.rules:8\n" in out
    assert '    rule CU-001 "公务接待费不超过上年"\n      severity warning\n' in out
    assert "  facts:   三公经费.公务接待费.增减额\n  derived: —\n" in out
    passes, fails = out.index("  passes: 接待费下降"), out.index("  fails: 接待费增长")
    assert passes < fails
    assert "      2024年度财政拨款“三公”经费支出42.62万元。" in out[fails:]


def test_explain_an_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "cu-001", *ONLY_EXAMPLE]) == 2
    err = capsys.readouterr().err
    assert err.startswith("juesuan: error: unknown rule cu-001; did you mean `CU-001`")
    assert err.count("\n") == 1


def test_explain_a_rule_without_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "own.rules"
    rules.write_text('# an ordinary comment\n#: detached doc\n\n# plain\nrule O-001 "收入为正"\n'
                     '  assert 收入.本年收入合计 > 0\n', encoding="utf-8")
    assert main(["explain", "O-001", "--no-builtin", "--rules", str(rules)]) == 0
    out = capsys.readouterr().out
    assert "detached doc" not in out and "ordinary comment" not in out
    assert "severity: error\ncitation: —\n" in out
    assert "source:   own.rules:5\n" in out  # shown relative to the working folder
    assert "examples: none (add cases to own.tests.toml)" in out


def test_doc_comment_block(tmp_path: Path) -> None:
    rules = tmp_path / "d.rules"
    rules.write_text('#: not this one\n\n# ordinary\n#: First line.\n#:\n#:   indented\nrule D-001 "x"\n'
                     '  assert 收入.本年收入合计 > 0\n#: for D-002\nrule D-002 "y"\n  assert 收入.本年收入合计 > 1\n'
                     'rule D-003 "z"\n  assert 收入.本年收入合计 > 2\n', encoding="utf-8")
    program = compile_rules([rules], load_vocabulary())
    docs = [doc_comment(r) for r in program.rules]
    assert docs == ["First line.\n\n  indented", "for D-002", ""]


def test_init_writes_a_starter_juesuan_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    path = tmp_path / "juesuan.toml"
    assert tomllib.loads(path.read_text(encoding="utf-8")) == STARTER["tool"]["juesuan"]
    assert load_config(path).fail_on == "error"
    assert "wrote starter configuration to juesuan.toml" in capsys.readouterr().err


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mine.toml").write_text("select = [\"SG\"]\n", encoding="utf-8")
    assert main(["init", "--path", "mine.toml"]) == 2
    assert capsys.readouterr().err == ("juesuan: error: mine.toml already exists; not overwriting it "
                                       "(remove it or choose --path)\n")
    assert (tmp_path / "mine.toml").read_text(encoding="utf-8") == "select = [\"SG\"]\n"


def test_init_appends_to_pyproject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = '[project]\nname = "bureau-reports"\n\n[tool.ruff]\nline-length = 100'  # no final newline
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(original, encoding="utf-8")
    assert main(["init", "--pyproject"]) == 0
    text = pyproject.read_text(encoding="utf-8")
    assert text.startswith(original + "\n")
    data = tomllib.loads(text)
    assert data["project"] == {"name": "bureau-reports"} and data["tool"]["ruff"] == {"line-length": 100}
    assert data["tool"]["juesuan"] == STARTER["tool"]["juesuan"]
    assert load_config(pyproject).source == pyproject

    assert main(["init", "--pyproject"]) == 2
    assert "already has a [tool.juesuan] table" in capsys.readouterr().err
    assert pyproject.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("content", "message"), [
    (None, "pyproject.toml: no such file"),
    ("[project\n", "invalid TOML, not touching it"),
    ('tool = {ruff = {line-length = 100}}\n', "cannot add a [tool.juesuan] table"),
])
def test_init_pyproject_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None,
                               message: str) -> None:
    if content is not None:
        (tmp_path / "pyproject.toml").write_text(content, encoding="utf-8")
    assert main(["init", "--pyproject"]) == 2
    assert message in capsys.readouterr().err
    if content is not None:
        assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == content


def test_commands_are_registered(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("rules", "graph", "explain", "test", "init"):
        assert f"    {name}" in out
