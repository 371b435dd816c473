"""What every match of a pattern must hold or start with (checker.facts.literals): never more than is true."""

from __future__ import annotations

import random
import re

import pytest

from checker.facts.literals import required_chars, skipping


@pytest.mark.parametrize(("pattern", "chars"), [
    ("a|ab|abc", "a"),
    ("(?i:abc)d", "d"),
    ("x(?:abc)?y", "xy"),
    ("(?=q)z", "z"),
    ("a{0,3}b", "b"),
    ("[ab]c", "c"),
    ("(?P<k>ab)(?P=k)", "ab"),
    ("(?i)abc", ""),
    (r"(?P<类>[^()（）]+?)[(（]类[)）](?P<类尾>支出)?", "类"),
    ("(?:国防支出|教育支出)", "支出"),
])
def test_required_chars(pattern: str, chars: str) -> None:
    assert required_chars(re.compile(pattern)) == frozenset(chars)


@pytest.mark.parametrize(("pattern", "lead"), [
    (r"(?<!的)的的(?![的确])", "的"),
    (r"(?:a|b?)c", "abc"),
    (r"\d+", r"\d"),
    (r"(?<![，。])([，。])\1", "，。"),
])
def test_skipping_leads_with_the_start_characters(pattern: str, lead: str) -> None:
    assert skipping(re.compile(pattern)).pattern.startswith(f"(?=[{lead}])")


@pytest.mark.parametrize("pattern", ["a?", "(?i)abc", "[^x]y", ".x", r"(?=x)", "(a)|\\1?b"])
def test_skipping_leaves_patterns_it_cannot_lead(pattern: str) -> None:
    compiled = re.compile(pattern)
    assert skipping(compiled) is compiled


@pytest.mark.parametrize("pattern", [
    r"(?<!的)的的(?![的确])", r"(?:a|b?)c", r"\d+(?:\.\d+)?", r"(?<![，。、])([，。、])\1(?![，。、])",
    r"\[bookmark:[^\]]*\]?", r"(?:(?:决算数?|实际支出)(?:大于|高于)预算)|(?:超出(?:年初)?预算)", r"^\s*x+",
    r"(?P<款>(?:[^()（）：:]|[(（](?![类款项][)）])[^()（）]{1,8}[)）])+?)[(（]款[)）]",
])
def test_the_same_matches_and_every_match_holds_the_required_characters(pattern: str) -> None:
    compiled = re.compile(pattern)
    lead = skipping(compiled)
    needed = required_chars(compiled)
    rng = random.Random(pattern)
    alphabet = ["的", "确", "，", "。", "、", "a", "b", "c", "x", " ", "12.3", "决算数", "实际支出", "大于", "预算",
                "超出", "年初", "[bookmark:]", "(", ")", "（", "）", "类", "款", "项", "："]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        matches = [(m.span(), m.groups()) for m in compiled.finditer(text)]
        assert [(m.span(), m.groups()) for m in lead.finditer(text)] == matches
        if matches:
            assert all(ch in text for ch in needed)
