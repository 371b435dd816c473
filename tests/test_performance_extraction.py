"""What makes performance-table extraction cheap must not change what it finds: the extractor kept across
documents follows the vocabulary's wording, and indicator names are scored alike whichever way the
candidates are found (`checker.facts.performance`)."""

from __future__ import annotations

import copy
import random
from pathlib import Path

from checker.facts.performance import INDEXED_FROM, MIN_OVERLAP, _Names, _overlap, extract_performance
from checker.pipeline import default_vocabulary, read_document
from checker.tables import HeaderMatcher, header_text

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo" / "disclosure.txt"


def _names(facts) -> list[str]:
    return [f.name for f in facts]


def test_kept_extractor_follows_the_vocabularys_wording():
    document = read_document(DEMO)
    vocabulary = default_vocabulary()
    before = extract_performance(document, vocabulary)
    assert "绩效.自评表.总分" in _names(before)
    changed = copy.deepcopy(vocabulary)
    changed.performance["total_labels"] = ["合计得分"]  # 总分 no longer labels a total row
    assert "绩效.自评表.总分" not in _names(extract_performance(document, changed))
    assert extract_performance(document, vocabulary) == before


def test_may_match_holds_for_every_cell_a_matcher_finds():
    vocabulary = default_vocabulary()
    for columns in ("funding_columns", "indicator_columns", "goal_columns"):
        matcher = HeaderMatcher(vocabulary.performance[columns])
        texts = [header_text(t) for t in ("一级指标", "三级指标", "权重", "年初预算数", "全年执行数", "预期目标",
                                          "实际完成情况", "按照完成比例赋分", "3.50", "计划标准", "")]
        for index in matcher(texts).values():
            assert matcher.may_match(texts[index])


def _brute_scores(window: str, indicators) -> list[tuple[int, tuple]]:
    return [(score, dims) for dims, parts in indicators if (score := _overlap(window, parts))]


def test_indexed_scores_are_every_indicators_score():
    rng = random.Random(13)
    alphabet = "租赁新能源车辆行驶里程数正常运转率完成时限预算成本控制公务用使用节能高效"
    indicators = [((("项目", "p"), ("指标", f"i{n}")),
                   ["".join(rng.choice(alphabet) for _ in range(rng.randint(MIN_OVERLAP, 9)))])
                  for n in range(INDEXED_FROM * 3)]
    names = _Names(indicators)
    for _ in range(300):
        window = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        window += indicators[rng.randrange(len(indicators))][1][0][1:] if rng.random() < 0.5 else ""
        assert names.scores(window) == _brute_scores(window, indicators)


def test_overlap_counts_only_parts_of_min_overlap_or_more():
    assert _overlap("完成村组道路日常养护86公里", ["村组道路日常养护里程"]) == len("村组道路日常养护")
    assert _overlap("道路养护", ["村组道路日常养护里程"]) == 0  # 道路, 养护: shorter than MIN_OVERLAP


def _longest_common(window: str, part: str) -> int:
    return max((j - i for i in range(len(part)) for j in range(i + 1, len(part) + 1) if part[i:j] in window),
               default=0)


def test_overlap_is_the_longest_common_part_when_long_enough():
    rng = random.Random(4)

    def text(longest: int) -> str:
        return "".join(rng.choice("甲乙丙丁戊己") for _ in range(rng.randint(0, longest)))

    for _ in range(300):
        parts = [text(8) or "甲" for _ in range(rng.randint(1, 3))]
        window = text(12)
        longest = max(_longest_common(window, p) for p in parts)
        assert _overlap(window, parts) == (longest if longest >= MIN_OVERLAP else 0)


def test_a_cells_kind_is_what_every_matcher_and_the_total_labels_say():
    """`_cell_kind` asks the matchers only about texts that can be a synonym or hold one, and the total labels
    only about texts as short as one: the counts are those of asking them all."""
    from checker.facts.performance import _FUNDING, _GOAL, _INDICATOR, _TOTAL, PerformanceExtractor, _norm

    extractor = PerformanceExtractor(default_vocabulary())
    labels = sorted(default_vocabulary().performance.get("total_labels", []))
    words = [w for m in (extractor.goal_matcher, extractor.funding_matcher, extractor.indicator_matcher)
             for w in sorted(m.words)]
    rng = random.Random(3)
    pieces = [*labels, *words, " ", "\u3000", "（", "(", "1", "１", "3.50", "合计", "按照完成比例赋分", "x" * 20]
    texts = [*labels, *words, "", " 总 分 ", "１２", "(万元)"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 4))) for _ in range(2000)]
    for text in texts:
        header, normal = header_text(text), _norm(text)
        expected = ((_GOAL if extractor.goal_matcher.may_match(header) else 0)
                    + (_FUNDING if extractor.funding_matcher.may_match(header) else 0)
                    + (_INDICATOR if extractor.indicator_matcher.may_match(header) else 0)
                    + (_TOTAL if normal and normal in extractor.total_labels else 0))
        assert extractor._cell_kind(text) == expected, text
