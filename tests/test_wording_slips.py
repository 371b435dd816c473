"""Wording slips (文字.*) are found per text and placed at each text's own place, whatever was read before."""

from __future__ import annotations

from checker.facts.outline import wording_facts
from checker.pipeline import default_vocabulary, document_from_text


def _slips(text: str) -> list[tuple[str, object, str]]:
    facts = wording_facts(document_from_text(text), default_vocabulary())
    return [(f.name, f.value, f.location.describe()) for f in facts]


def test_a_repeated_text_gives_its_slips_at_each_place() -> None:
    text = "一、基本情况\n本单位印刷费费1.2万元。\n\t本单位印刷费费1.2万元。\n\t0.00\n"
    assert [(name, where) for name, _, where in _slips(text)] == [
        ("文字.重复词.内容", "2:6"), ("文字.重复词.次数", "2:6"),
        ("文字.重复词.内容", "3:7"), ("文字.重复词.次数", "3:7"),
    ]


def test_the_same_text_in_another_document_is_placed_there() -> None:
    first = _slips("本单位印刷费费1.2万元。\n")
    again = _slips("一、情况\n\n本单位印刷费费1.2万元。\n")
    assert [where for *_, where in first] == ["1:6", "1:6"]
    assert [where for *_, where in again] == ["3:6", "3:6"]


def test_markup_and_doubled_punctuation() -> None:
    found = _slips("支出[bookmark: _Toc1]合计，，共计的的确确1万元\n")
    names = [name for name, *_ in found]
    assert "文字.残留标记.内容" in names
    assert "文字.重复标点.内容" in names
