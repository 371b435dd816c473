"""The language server, through the protocol: a client in the test process talks JSON-RPC to the server (in a
thread) over pipes — diagnostics, completion, hover, go-to-definition and the outline of ``.rules`` files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_client import LspClient
from lsprotocol import types

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
VOCABULARY = ROOT / "rules" / "vocabulary"

MAIN = """\
# 自定义规则
import "common.rules"
定义 三公合计 = 三公经费.因公出国费 + 三公经费.公务接待费

#: What it checks: 公务接待费 did not grow (see CU-002).
rule CU-001 "公务接待费不超过上年"
  severity warning
  cite "某省财政厅通知 第三条"
  assert 三公经费.公务接待费.增减额 <= 0 and 三公合计 > 0 and 共同合计 >= 0
  message "公务接待费比上年增加 {三公经费.公务接待费.增减额} 万元"

rule CU-002 "每一项的决算数非负"
  for each 项 in 一般公共预算.项
  assert 项.决算数 >= 0
"""
COMMON = """\
定义 共同合计 = 三公经费.合计
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    (root / "main.rules").write_text(MAIN, encoding="utf-8")
    (root / "common.rules").write_text(COMMON, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def client(workspace: Path):
    with LspClient(workspace) as running:
        yield running


@pytest.fixture
def main_uri(client: LspClient, workspace: Path) -> str:
    uri = client.open(workspace / "main.rules")
    assert client.diagnostics(uri) == []
    return uri


def at(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """The 0-based line and character of ``needle`` in ``text`` (plus ``offset`` characters)."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


# ---- diagnostics -------------------------------------------------------------------------------------------

def check_diagnostics(path: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[int, int, str]]:
    """What ``juesuan check DEMO --rules PATH`` says about PATH: (line, column, message with expected/help)."""
    status = main(["check", str(DEMO), "--rules", str(path)])
    _, err = capsys.readouterr()
    assert status == 2, err
    found: list[tuple[int, int, str]] = []
    for line in err.splitlines():
        head = re.match(rf"(?:juesuan: error: )?{re.escape(str(path))}:(\d+):(\d+): error: (.*)$", line)
        if head:
            found.append((int(head.group(1)), int(head.group(2)), head.group(3)))
        elif found and (extra := re.match(r"  (expected|help): (.*)$", line)):
            number, column, message = found[-1]
            found[-1] = (number, column, f"{message}\n{extra.group(1)}: {extra.group(2)}")
    return found


BROKEN = {
    "unknown name": MAIN.replace("三公经费.公务接待费.增减额 <=", "三公经费.公务接待費.增减额 <="),
    "unit mismatch": MAIN.replace("三公合计 > 0", "三公合计 > 10%"),
    "no right-hand side": MAIN.replace("assert 项.决算数 >= 0", "assert 项.决算数 >="),
    "keyword typo": MAIN.replace("  assert 项.决算数", "  asert 项.决算数"),
    "unclosed text": MAIN.replace('cite "某省财政厅通知 第三条"', 'cite "某省财政厅通知 第三条'),
    "full-width equals": MAIN.replace("项.决算数 >= 0", "项.决算数 ＝ 0"),
    "not a date": MAIN.replace("三公合计 > 0", "报告.年度 == 2024年2月30日"),
    "duplicate of a built-in rule": MAIN.replace("rule CU-002", "rule TOT-001"),
    "cycle": MAIN.replace("定义 三公合计 = 三公经费.因公出国费", "定义 三公合计 = 三公合计"),
    "missing import": MAIN.replace('import "common.rules"', 'import "comon.rules"'),
    "glued keyword": MAIN.replace("and 三公合计 > 0", "and 非三公合计"),
    "error in the first rule and the second": MAIN.replace("三公合计 > 0", "三公合计 >").replace(
        "项.决算数 >= 0", "项.决算額 >= 0"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_diagnostics_are_those_of_check_rules(case: str, client: LspClient, workspace: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The server's diagnostics for an unsaved buffer are the positioned messages `juesuan check --rules`
    prints for the same text saved."""
    path = workspace / f"broken-{case.replace(' ', '-')}.rules"
    text = BROKEN[case]
    path.write_text(text, encoding="utf-8")
    expected = check_diagnostics(path, capsys)
    assert expected
    uri = client.open(path, text)
    got = [(d.range.start.line + 1, d.range.start.character + 1, d.message) for d in client.diagnostics(uri)]
    assert got == expected
    client.notify(types.TEXT_DOCUMENT_DID_CLOSE, types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))


def test_diagnostics_follow_the_edits(client: LspClient, main_uri: str) -> None:
    line, character = at(MAIN, "公务接待费.增减额 <=", 4)
    client.edit(main_uri, line, character, character + 1, "費")  # a typo typed in place
    (diagnostic,) = client.diagnostics(main_uri)
    assert diagnostic.message.startswith("unknown name 三公经费.公务接待費.增减额")
    assert "did you mean `三公经费.公务接待费.增减额`" in diagnostic.message
    assert diagnostic.severity == types.DiagnosticSeverity.Error and diagnostic.source == "juesuan"
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == at(MAIN, "三公经费.公务接待费.增减额 <=")
    assert diagnostic.range.end.character == diagnostic.range.start.character + len("三公经费.公务接待費.增减额")
    reused = client.server.parser.reused
    client.edit(main_uri, line, character, character + 1, "费")  # and corrected
    assert client.diagnostics(main_uri) == []
    assert client.server.parser.reused > reused  # the unchanged rules were not parsed again


def test_a_new_line_above_moves_the_diagnostics(client: LspClient, main_uri: str) -> None:
    broken = MAIN.replace("项.决算数 >= 0", "项.决算額 >= 0")
    client.change(main_uri, broken)
    (first,) = client.diagnostics(main_uri)
    client.change(main_uri, "\n\n" + broken)
    (moved,) = client.diagnostics(main_uri)
    assert moved.range.start.line == first.range.start.line + 2
    assert moved.message == first.message
    client.change(main_uri, MAIN)
    assert client.diagnostics(main_uri) == []


def test_positions_are_utf16(client: LspClient, workspace: Path) -> None:
    """Characters beyond the BMP (😀, 𠀀) take two UTF-16 units: the server counts as the client does."""
    text = 'rule U-1 "😀𠀀"\n  assert mentions("😀𠀀") and 三公经费.合记 > 0\n'
    uri = client.open(workspace / "utf16.rules", text)
    (diagnostic,) = client.diagnostics(uri)
    python_column = text.split("\n")[1].index("三公经费.合记")
    assert diagnostic.range.start.character == python_column + 2
    hover = client.hover(uri, 1, python_column + 2 + 1)  # on 三公经费, in UTF-16 units
    assert hover is not None and "三公经费" in hover.contents.value


# ---- completion --------------------------------------------------------------------------------------------

def labels(items: list[types.CompletionItem]) -> set[str]:
    return {i.label for i in items}


def test_completion_of_fact_names_segment_by_segment(client: LspClient, main_uri: str) -> None:
    line, character = at(MAIN, "三公经费.公务接待费.增减额", len("三公经费."))
    items = client.completion(main_uri, line, character)
    assert {"合计", "因公出国费", "公务接待费", "公务用车购置及运行维护费"} <= labels(items)
    (item,) = [i for i in items if i.label == "公务接待费"]
    assert item.kind == types.CompletionItemKind.Field and item.detail.startswith("money (万元)")
    assert item.text_edit.range.start.character == character  # replaces the segment being typed
    # after a concept: its aspects
    aspects = labels(client.completion(main_uri, line, character + len("公务接待费.")))
    assert {"增减额", "增减率", "占比", "上年数", "预算数", "原因", "方向"} <= aspects


def test_completion_of_names_functions_and_keywords(client: LspClient, main_uri: str) -> None:
    line, character = at(MAIN, "三公经费.公务接待费.增减额 <=")
    found = labels(client.completion(main_uri, line, character))
    assert {"三公经费", "收入", "表", "绩效"} <= found  # the first segments of the names
    assert {"三公合计", "共同合计"} <= found  # derived values, also from the imported file
    assert {"exists", "存在", "或零", "or_zero", "growth_rate", "增长率", "sum", "求和", "count", "计数"} <= found
    assert {"and", "且", "并且", "or", "或", "not", "非", "within", "允差"} <= found
    # at the start of a line: items and clauses, in both spellings
    line, _ = at(MAIN, "  severity warning")
    starts = labels(client.completion(main_uri, line, 2))
    assert {"rule", "规则", "let", "定义", "令", "import", "导入", "assert", "断言", "when", "当", "message",
            "消息", "for each", "对每个"} <= starts


def test_completion_of_loop_fields_severities_and_placeholders(client: LspClient, main_uri: str) -> None:
    line, character = at(MAIN, "项.决算数 >= 0", 2)
    fields = labels(client.completion(main_uri, line, character))
    assert {"决算数", "类", "款", "项", "增减额", "原因"} <= fields
    line, character = at(MAIN, "severity warning", len("severity "))
    assert {"error", "warning", "info", "错误", "警告", "提示"} == labels(client.completion(main_uri, line, character))
    line, character = at(MAIN, "{三公经费.公务接待费.增减额}", 1)
    placeholders = labels(client.completion(main_uri, line, character))
    assert {"left", "right", "expected", "difference", "左边", "应为", "三公合计", "三公经费"} <= placeholders
    line, character = at(MAIN, '"common.rules"', 1)
    assert "common.rules" in labels(client.completion(main_uri, line, character))


def test_no_completion_in_comments(client: LspClient, main_uri: str) -> None:
    assert not client.completion(main_uri, 0, 4)


# ---- hover -------------------------------------------------------------------------------------------------

def test_hover_on_a_fact_gives_its_description_unit_and_origin(client: LspClient, main_uri: str) -> None:
    line, character = at(MAIN, "三公经费.公务接待费.增减额", 2)
    hover = client.hover(main_uri, line, character)
    text = hover.contents.value
    assert text.startswith("**三公经费.公务接待费.增减额** — money (万元)")
    assert "its change from last year" in text  # the aspect's description, from the vocabulary
    assert "增加, 增长" in text and "signed by its direction word" in text
    assert "vocabulary/national.toml:" in text
    name = "三公经费.公务接待费.增减额"
    start = at(MAIN, name)[1]
    assert (hover.range.start.character, hover.range.end.character) == (start, start + len(name))
    line, character = at(MAIN, "三公经费.因公出国费", 6)
    text = client.hover(main_uri, line, character).contents.value
    assert "a figure of the narrative" in text and "named in the text by: 因公出国(境)费" in text
    assert "in sections whose heading holds: 三公经费 (三公)" in text


def test_hover_on_derived_values_loop_variables_functions_keywords_and_rules(client: LspClient,
                                                                            main_uri: str) -> None:
    line, character = at(MAIN, "三公合计 > 0")
    text = client.hover(main_uri, line, character).contents.value
    assert "derived value — money (万元)" in text and "定义 三公合计 = 三公经费.因公出国费" in text
    line, character = at(MAIN, "共同合计 >= 0")
    assert "common.rules:1" in client.hover(main_uri, line, character).contents.value
    line, character = at(MAIN, "项.决算数 >= 0")
    assert "loop variable: a record of `一般公共预算.项`" in client.hover(main_uri, line, character).contents.value
    line, character = at(MAIN, "项.决算数 >= 0", 3)
    assert "the figure stated for the record (决算数)" in client.hover(main_uri, line, character).contents.value
    line, character = at(MAIN, "  severity warning", 3)
    assert "keyword (severity / 级别)" in client.hover(main_uri, line, character).contents.value
    line, character = at(MAIN, 'rule CU-001', 6)
    text = client.hover(main_uri, line, character).contents.value
    assert "**CU-001** 公务接待费不超过上年" in text and "What it checks" in text and "severity: warning" in text


def test_hover_on_a_function(client: LspClient, workspace: Path) -> None:
    text = 'rule F-1 "t"\n  assert 或零(三公经费.公务接待费) >= 0\n'
    uri = client.open(workspace / "function.rules", text)
    client.diagnostics(uri)
    shown = client.hover(uri, 1, 10).contents.value
    assert "或零(ref)" in shown and "exactly 0 when the report does not state it" in shown and "or_zero" in shown


# ---- definition and outline --------------------------------------------------------------------------------

def test_definition_of_derived_values_and_rule_ids(client: LspClient, main_uri: str, workspace: Path) -> None:
    line, character = at(MAIN, "三公合计 > 0", 1)
    place = client.definition(main_uri, line, character)
    assert place.uri == main_uri and (place.range.start.line, place.range.start.character) == at(MAIN, "三公合计 =")
    line, character = at(MAIN, "共同合计 >= 0", 1)
    place = client.definition(main_uri, line, character)
    assert place.uri == (workspace / "common.rules").resolve().as_uri() and place.range.start.line == 0
    line, character = at(MAIN, "(see CU-002)", 6)  # a rule id in a comment
    place = client.definition(main_uri, line, character)
    assert place.uri == main_uri and (place.range.start.line, place.range.start.character) == at(MAIN, "CU-002 \"")


def test_definition_of_a_builtin_rule_loop_variable_fact_and_import(client: LspClient, workspace: Path) -> None:
    text = MAIN.replace("(see CU-002)", "(see TOT-001)")
    uri = client.open(workspace / "other.rules", text)
    client.diagnostics(uri)
    line, character = at(text, "TOT-001", 2)
    place = client.definition(uri, line, character)
    builtin = (ROOT / "rules" / "national" / "10-totals.rules").resolve()
    assert place.uri == builtin.as_uri()
    assert builtin.read_text(encoding="utf-8").split("\n")[place.range.start.line].startswith("rule TOT-001")
    line, character = at(text, "项.决算数 >= 0")
    assert (client.definition(uri, line, character).range.start.line, ) == (at(text, "项 in")[0], )
    line, character = at(text, "三公经费.因公出国费", 6)
    place = client.definition(uri, line, character)
    national = (VOCABULARY / "national.toml").resolve()
    assert place.uri == national.as_uri()
    entry = national.read_text(encoding="utf-8").split("\n")[place.range.start.line:place.range.start.line + 3]
    assert "[[concept]]" in entry[0] and 'name = "三公经费.因公出国费"' in entry[1]
    line, character = at(text, '"common.rules"', 3)
    assert client.definition(uri, line, character).uri == (workspace / "common.rules").resolve().as_uri()


def test_document_symbols_list_the_rules_even_while_one_is_broken(client: LspClient, workspace: Path) -> None:
    text = MAIN.replace("assert 三公经费.公务接待费.增减额 <= 0 and", "assert 三公经费.公务接待费.增减额 <= and")
    uri = client.open(workspace / "typing.rules", text)
    assert client.diagnostics(uri)
    symbols = client.symbols(uri)
    assert [(s.name, s.kind) for s in symbols] == [
        ("common.rules", types.SymbolKind.File), ("三公合计", types.SymbolKind.Variable),
        ("CU-002", types.SymbolKind.Function)]
    uri = client.open(workspace / "whole.rules", MAIN)
    client.diagnostics(uri)
    symbols = client.symbols(uri)
    assert [s.name for s in symbols] == ["common.rules", "三公合计", "CU-001", "CU-002"]
    rule = symbols[2]
    assert rule.detail == "公务接待费不超过上年"
    assert (rule.range.start.line, rule.range.end.line) == (at(MAIN, "rule CU-001")[0], at(MAIN, "message")[0])
    assert rule.selection_range.start.character == len("rule ")


# ---- the workspace's configuration ------------------------------------------------------------------------

def test_the_configuration_chooses_the_rule_set(tmp_path: Path) -> None:
    (tmp_path / "juesuan.toml").write_text('rules = ["packs"]\n', encoding="utf-8")
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "region.rules").write_text(
        '定义 区域合计 = 三公经费.合计\nrule REG-001 "区域"\n  assert 区域合计 >= 0\n', encoding="utf-8")
    text = 'rule REG-001 "again"\n  assert 区域合计 > 0\n'
    with LspClient(tmp_path) as client:
        uri = client.open(tmp_path / "mine.rules", text)
        (diagnostic,) = client.diagnostics(uri)
        assert diagnostic.message.startswith("duplicate rule id REG-001 (first defined at ")
        assert "region.rules:2" in diagnostic.message
        assert "区域合计" in labels(client.completion(uri, 1, len("  assert ")))
        place = client.definition(uri, 0, len("rule RE"))
        assert place.uri == (tmp_path / "packs" / "region.rules").resolve().as_uri()


def test_a_wrong_configuration_is_shown_and_the_defaults_used(tmp_path: Path) -> None:
    (tmp_path / "juesuan.toml").write_text('colour = "red"\n', encoding="utf-8")
    with LspClient(tmp_path) as client:
        uri = client.open(tmp_path / "mine.rules", 'rule M-1 "t"\n  assert 三公经费.合计 >= 0\n')
        assert client.diagnostics(uri) == []
        assert any("unknown setting(s) colour" in m for m in client.messages), client.messages


# ---- the command -------------------------------------------------------------------------------------------

def test_juesuan_lsp_speaks_over_stdio(tmp_path: Path) -> None:
    """``juesuan lsp`` as an editor starts it: a process reading requests on stdin, answering on stdout."""
    def frame(message: dict) -> bytes:
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {},
                                                                        "rootUri": tmp_path.as_uri()}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    done = subprocess.run([sys.executable, "-m", "checker.cli", "lsp"], input=b"".join(map(frame, messages)),
                          capture_output=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    replies = [json.loads(part) for part in re.split(rb"Content-Length: \d+\r\n(?:[^\r\n]+\r\n)*\r\n", done.stdout)
               if part]
    (initialized,) = [r for r in replies if r.get("id") == 1]
    capabilities = initialized["result"]["capabilities"]
    assert capabilities["hoverProvider"] and capabilities["definitionProvider"]
    assert capabilities["documentSymbolProvider"] and "." in capabilities["completionProvider"]["triggerCharacters"]
    assert initialized["result"]["serverInfo"]["name"] == "juesuan"
