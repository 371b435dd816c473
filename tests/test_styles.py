"""The style corpus (tests/fixtures/styles/): disclosures in other real-world styles than the example.

Per fixture: every planted error is found on its line by a rule of its family, and no error or warning
finding stands on a line the answer key does not name — a checker that cries wolf is switched off.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.styles.score import Finding, Key, load_keys, run_check, score

KEYS = load_keys()


def test_the_corpus_covers_the_styles_asked_for():
    assert len(KEYS) >= 8
    assert {k.year for k in KEYS} >= {2020, 2021, 2022, 2023, 2024, 2025}
    assert {k.encoding for k in KEYS} >= {"gb18030", "utf-8"}
    assert "docx" in {k.format for k in KEYS}


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.name)
def test_the_key_points_at_the_text(key: Key):
    """Each planted error's anchor is printed on its line, so the key stays true as the text is edited."""
    lines = key.text_lines()
    assert key.planted, "a fixture plants at least one error"
    for planted in key.planted:
        assert 1 <= planted.line <= len(lines), planted
        assert planted.anchor in lines[planted.line - 1], (planted.line, planted.anchor)


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> dict[str, list[Finding]]:
    work: Path = tmp_path_factory.mktemp("styles")
    return {key.name: run_check(key, work) for key in KEYS}


def _show(items) -> str:
    return "\n".join(map(str, items))


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.name)
def test_every_planted_error_is_found_on_its_line(key: Key, findings):
    result = score(key, findings[key.name])
    assert not result.missed, "planted errors not found:\n" + _show(result.missed)


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.name)
def test_no_error_or_warning_on_a_correct_line(key: Key, findings):
    result = score(key, findings[key.name])
    assert not result.false_alarms, "findings on correct lines:\n" + _show(result.false_alarms)
