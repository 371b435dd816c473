"""The narrative's lookups are remembered per vocabulary content: a vocabulary merged into, or another one,
reads the same text afresh."""

from __future__ import annotations

from checker.facts.narrative import extract_narrative
from checker.pipeline import document_from_text
from checker.vocabulary import load_vocabulary, parse_vocabulary

TEXT = "一、收入支出决算总体情况说明\n本年度测绘专项经费合计12.50万元。\n"
EXTRA = '[[concept]]\nname = "测试.测绘专项经费"\nlabels = ["测绘专项经费"]\nkind = "money"\n'


def _names(vocabulary) -> list[str]:
    return [f.name for f in extract_narrative(document_from_text(TEXT), vocabulary)]


def test_a_vocabulary_merged_into_reads_its_new_labels() -> None:
    vocabulary = load_vocabulary()
    before = _names(vocabulary)
    assert "测试.测绘专项经费" not in before
    vocabulary.merge(parse_vocabulary(EXTRA, "extra.toml"))
    assert "测试.测绘专项经费" in _names(vocabulary)
    assert _names(load_vocabulary()) == before  # the built-in vocabulary's answers are its own


def test_the_same_document_twice_gives_the_same_facts() -> None:
    vocabulary = load_vocabulary()
    first = extract_narrative(document_from_text(TEXT), vocabulary)
    assert extract_narrative(document_from_text(TEXT), vocabulary) == first
