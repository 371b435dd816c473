"""Every fixture's JSON report and facts are exactly as recorded (`tests/golden_reports.py`): speed work
must not change a single finding, figure, explanation or suggestion. After a deliberate change of
behaviour, rewrite them with ``python tests/golden_reports.py`` and review the diff."""

from __future__ import annotations

import difflib

import pytest
from golden_reports import GOLDEN, documents, facts_digest, golden_name, report


def test_every_fixture_has_a_recorded_report():
    recorded = {p.name.removesuffix(".json") for p in GOLDEN.glob("*.json")}
    assert recorded == {golden_name(d) for d in documents()}


@pytest.mark.parametrize("document", documents())
def test_the_report_is_as_recorded(document: str):
    expected = (GOLDEN / f"{golden_name(document)}.json").read_text(encoding="utf-8")
    actual = report(document)
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                 "recorded", "now", n=2))[:80])
        pytest.fail(f"{document}: the report changed (python tests/golden_reports.py rewrites it):\n{diff}")


@pytest.mark.parametrize("document", documents())
def test_the_facts_are_as_recorded(document: str):
    expected = (GOLDEN / f"{golden_name(document)}.facts.sha256").read_text(encoding="utf-8").strip()
    assert facts_digest(document) == expected, f"{document}: the facts changed (juesuan facts --views lists them)"
