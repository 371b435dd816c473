"""Fuzzing the rule compiler with damaged copies of the real rule packs: a Program or a CompileError, nothing else.

Each example takes one of ``rules/national/*.rules`` and applies a few random edits (delete a span,
insert a fragment of the language or a random character, swap two characters, duplicate a line),
then compiles it against the built-in vocabulary's schema as if it were that file (so its imports
resolve). ``JUESUAN_FUZZ_EXAMPLES`` raises the number of examples for a long run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.pipeline import default_vocabulary
from checker.plugins import active_functions
from dsl import CompileError, Program, compile_text

ROOT = Path(__file__).resolve().parent.parent
RULE_FILES = sorted((ROOT / "rules" / "national").glob("*.rules"))
TEXTS = {path: path.read_text(encoding="utf-8") for path in RULE_FILES}
FRAGMENTS = ["rule ", "规则 ", "assert ", "断言 ", "when ", "当 ", "for each ", "对每个 ", " in ", " 属于 ", "==", "!=",
             "<=", "÷", "×", "(", ")", "[", "]", "{", "}", '"', "'", "`", "\\", ".", ",", "%", "万元", "#", "#:",
             "\n", "\t", "  ", "sum(", "count(", "或零(", "defined(", "within ", "severity ", "warning", "message ",
             "cite ", "import ", '"60-tables.rules"', '"missing.rules"', "let ", "定义 ", "0.005", "1e400",
             "9" * 60, "2024年13月40日", "\x00", "\ufeff", "\u200b", "－", "（", "）"]


@pytest.fixture(autouse=True, scope="module")
def private_cache(tmp_path_factory):
    """Fuzzed rule files that compile must not fill the user's program cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUESUAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def examples(default: int) -> int:
    """``default`` examples, or ``JUESUAN_FUZZ_EXAMPLES`` of them for a long run."""
    return int(os.environ.get("JUESUAN_FUZZ_EXAMPLES") or default)


@st.composite
def mutated_rule_file(draw) -> tuple[Path, str]:
    path = draw(st.sampled_from(RULE_FILES))
    text = TEXTS[path]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(("delete", "insert", "swap", "char", "line")))
        at = draw(st.integers(0, len(text)))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 80)):]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
        elif kind == "char":
            text = text[:at] + draw(st.characters(codec="utf-8")) + text[at:]
        elif kind == "swap" and len(text) > 1:
            other = draw(st.integers(0, len(text) - 1))
            chars = list(text)
            at = min(at, len(chars) - 1)
            chars[at], chars[other] = chars[other], chars[at]
            text = "".join(chars)
        elif kind == "line":
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
            text = "\n".join(lines)
    return path, text


@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_rule_file())
def test_mutated_rule_packs_give_a_program_or_a_compile_error(case):
    path, text = case
    try:
        program = compile_text(text, str(path), default_vocabulary().schema(), active_functions())
    except CompileError as error:
        assert error.diagnostics
        for diagnostic in error.diagnostics:
            assert diagnostic.render().startswith(str(path.parent))
    else:
        assert isinstance(program, Program)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300))
def test_rule_file_bytes_give_one_diagnostic_and_status_2_or_a_check(tmp_path_factory, data):
    """A user's rule file of any bytes (not UTF-8, NULs, truncated) through `juesuan check --rules`."""
    folder = tmp_path_factory.mktemp("rules")
    rules = folder / "custom.rules"
    rules.write_bytes(data)
    status = main(["check", "--no-builtin", "--rules", str(rules), str(ROOT / "examples" / "demo" / "disclosure.txt"),
                   "--format", "json", "-o", str(folder / "report.json")])
    assert status in (0, 1, 2)


def test_rule_file_that_is_not_utf8_is_a_diagnostic(tmp_path, capsys):
    rules = tmp_path / "custom.rules"
    rules.write_bytes('rule X-1 "标题"\n  assert 1 == 1\n'.encode("gb18030"))
    status = main(["check", "--no-builtin", "--rules", str(rules), str(ROOT / "examples" / "demo" / "disclosure.txt")])
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    assert f"{rules}:1:" in err and "UTF-8" in err


def test_imported_rule_file_that_is_not_utf8_is_a_diagnostic(tmp_path):
    (tmp_path / "bad.rules").write_bytes(b"\xff\xfe\x00rule")
    main_file = tmp_path / "main.rules"
    main_file.write_text('import "bad.rules"\n', encoding="utf-8")
    try:
        compile_text(main_file.read_text(encoding="utf-8"), str(main_file), default_vocabulary().schema())
    except CompileError as error:
        assert any(d.file.endswith("bad.rules") and "UTF-8" in d.message for d in error.diagnostics)
    else:
        raise AssertionError("a rule file that is not UTF-8 compiled")
