"""有章节 keeps each document's heading words: its answers are those of reading every heading afresh, per
document."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from checker.findings import Trace
from checker.functions import Value
from checker.functions.report import _has_section, _heading_words
from checker.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["收入", "支出", "名词", "术语", "三公", "绩效", "没有这一章"]


def ask(document, words: str) -> Value:
    return _has_section(SimpleNamespace(document=document), [Value("text", words, Trace(words, words))],
                        SimpleNamespace(src=f'有章节("{words}")'))


@pytest.mark.parametrize("words", WORDS)
def test_a_heading_is_found_as_reading_every_heading_finds_it(words: str) -> None:
    document, _ = load(ROOT / "examples/demo/disclosure.txt")
    expected = next((s for s in document.sections() if _heading_words(words) in _heading_words(s.title)), None)
    for _ in range(2):  # the kept headings answer as the first reading did
        value = ask(document, words)
        assert value.data is (expected is not None)
        assert [c.display for c in value.trace.children] == ([expected.title] if expected else [])


def test_each_document_is_asked_its_own_headings(tmp_path: Path) -> None:
    demo, _ = load(ROOT / "examples/demo/disclosure.txt")
    assert ask(demo, "收入").data is True
    text = tmp_path / "other.txt"
    text.write_text("2024年度部门决算\n第一部分 部门概况\n一、主要职能\n本部门2024年度支出合计100.00万元。\n",
                    encoding="utf-8")
    other, _ = load(text)
    assert ask(other, "收入").data is False
    assert ask(other, "部门概况").data is True
