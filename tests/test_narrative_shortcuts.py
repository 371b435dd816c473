"""The narrative's per-sentence shortcuts change no fact: a sentence holding no character every comparison with
the budget needs (预, 算) is not searched for one, and its facts are those of searching every gap
(`NarrativeExtractor._budget_chars`); a clause starts after the last break whichever way it is found."""

from __future__ import annotations

import random
import re
from pathlib import Path

from checker.facts import narrative
from checker.pipeline import default_vocabulary, read_document

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "examples" / "demo" / "disclosure.txt",
             *sorted((ROOT / "tests" / "fixtures" / "styles").glob("*.txt"))]


def test_sentences_without_the_budgets_characters_give_the_same_facts(monkeypatch) -> None:
    vocabulary = default_vocabulary()
    documents = [read_document(path) for path in DOCUMENTS]
    screened = [narrative.extract_narrative(d, vocabulary) for d in documents]
    assert any(f.name.endswith(("预算方向", "预算未超", "预算差额")) for facts in screened for f in facts)
    original = narrative.NarrativeExtractor.__init__

    def unscreened(self, vocab) -> None:
        original(self, vocab)
        self._budget_chars = ()  # every sentence searched

    monkeypatch.setattr(narrative.NarrativeExtractor, "__init__", unscreened)
    assert [narrative.extract_narrative(d, vocabulary) for d in documents] == screened


def test_a_clause_starts_after_the_last_break_before_its_end() -> None:
    breaks = re.compile(r"[，,；;：:、。]")
    rng = random.Random(11)
    for _ in range(5000):
        text = "".join(rng.choice("，,；;：:、。ab中\n ") for _ in range(rng.randrange(12)))
        end = rng.randrange(len(text) + 1)
        assert narrative._clause_start(text, end) == max((m.end() for m in breaks.finditer(text, 0, end)), default=0)
