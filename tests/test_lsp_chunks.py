"""The editor's incremental parser builds what the whole-file parser builds, and fails with the same
diagnostic: on the built-in packs, and on random edits of them (a character deleted, inserted or replaced,
a line doubled or dropped)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.lsp.chunks import IncrementalParser, pieces
from checker.lsp.language import KEYWORDS
from dsl import CompileError
from dsl.parser import get_parser, parse_rules

ROOT = Path(__file__).resolve().parent.parent
PACKS = sorted((ROOT / "rules" / "national").glob("*.rules"))
TEXTS = [p.read_text(encoding="utf-8") for p in PACKS]
PARSER = IncrementalParser()


def outcome(parse, text: str) -> str:
    """The module with every position (``repr`` shows them), or the diagnostics."""
    try:
        return repr(parse(text, "x.rules"))
    except CompileError as error:
        return "\n".join(d.render() for d in error.diagnostics)


def test_the_packs_parse_the_same():
    for text in TEXTS:
        assert outcome(PARSER, text) == outcome(parse_rules, text)


def test_pieces_start_at_items():
    text = 'rule A-1 "t"\n  assert 1 == 1\n\n# 注释\nlet 甲 = 1\n规则 B-1 "t"\n  断言 甲 == 1\n'
    assert [p.start for p in pieces(text)] == [0, 4, 5]
    assert "".join(p.text for p in pieces(text)) == text


EDIT_CHARS = st.sampled_from([*' \n"()=.#+<>且非或规则rule定义letimport导入assert断言1%年A-', "\u3000", "＝"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.integers(0, len(TEXTS) - 1), where=st.floats(0, 1), kind=st.sampled_from(
    ["delete", "insert", "replace", "double line", "drop line"]), char=EDIT_CHARS)
def test_random_edits_parse_or_fail_the_same(which: int, where: float, kind: str, char: str):
    text = TEXTS[which]
    i = min(int(where * len(text)), len(text) - 1)
    if kind == "delete":
        text = text[:i] + text[i + 1:]
    elif kind == "insert":
        text = text[:i] + char + text[i:]
    elif kind == "replace":
        text = text[:i] + char + text[i + 1:]
    else:
        lines = text.split("\n")
        n = text.count("\n", 0, i)
        lines[n:n + 1] = [lines[n]] * 2 if kind == "double line" else []
        text = "\n".join(lines)
    assert outcome(PARSER, text) == outcome(parse_rules, text)


def test_every_keyword_of_the_grammar_is_known_to_the_editor():
    spellings = {s for kw in KEYWORDS for s in kw.spellings}
    spellings |= {part for s in spellings for part in s.split()}
    grammar = {str(t.pattern.value) for t in get_parser().terminals if t.name.rsplit("_", 1)[-1] in ("EN", "ZH",
                                                                                                   "ZH2")}
    assert grammar <= spellings, grammar - spellings
