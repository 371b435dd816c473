"""Last year's report, as the rules that compare with it (``上年报告.…``) read it.

This year's report states last year's figures (上年决算数, 比上年增加…); last year's published report states the
same figures as its own. `load_previous` reads last year's report through the same pipeline as any document
and marks every fact as last year's: its place names the file (a finding quotes it as ``LAST.txt:26:11``) and
its label reads ``上年报告.收入.收入总计``. Every figure is also a ``变动`` record (`figure_view`), so a rule over
this year's changes finds last year's figure of the same 指标.

In a batch, `find_previous` pairs each document with last year's report in a folder: the file of the same name
with the year in it one less (county_education_2023.txt → county_education_2022.txt), or of the same name,
in any readable format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from checker.errors import InputError
from checker.facts.model import Fact, FactSet
from checker.facts.views import figure_view
from checker.model import Document
from checker.pipeline import ensure_disclosure, extract_facts, read_document
from checker.vocabulary import Vocabulary
from dsl.ast import PREVIOUS

READABLE_SUFFIXES = (".txt", ".docx", ".pdf", ".text")
YEAR_FACT = "报告.年度"


def as_previous(facts: FactSet, vocabulary: Vocabulary, path: str) -> FactSet:
    """A report's facts as last year's report: figures placed in ``path`` and labelled ``上年报告.…``."""
    every = [*facts, *figure_view(facts, vocabulary)]
    return FactSet([replace(f, location=replace(f.location, document=path), origin=f"{PREVIOUS}.{f.label}")
                    for f in every], facts.exhaustive)


def load_previous(path: Path, vocabulary: Vocabulary,
                  extractors: Sequence[Callable[[Document, Vocabulary], list[Fact]]] | None = None) -> FactSet:
    """Read last year's report (any readable format); `InputError` when it is not a readable disclosure."""
    document = read_document(path)
    facts = extract_facts(document, vocabulary, extractors)
    ensure_disclosure(document, facts)
    return as_previous(facts, vocabulary, str(path))


def report_year(facts: FactSet) -> int | None:
    """The fiscal year the report states (``报告.年度``), if it states one clearly."""
    fact = facts.first(YEAR_FACT)
    text = str(fact.value) if fact is not None else ""
    return int(text) if text.isdigit() else None


def candidates(document: Path, year: int | None, folder: Path) -> list[Path]:
    """Where last year's report of ``document`` may be in ``folder``, in the order they are tried."""
    names = [document.name]
    if year is not None and str(year) in document.name:
        names.insert(0, document.name.replace(str(year), str(year - 1)))
    out: list[Path] = []
    for name in names:
        stem, suffix = Path(name).stem, Path(name).suffix
        for ending in (suffix, *(s for s in READABLE_SUFFIXES if s != suffix.lower())):
            path = folder / f"{stem}{ending}"
            if path not in out:
                out.append(path)
    return out


def find_previous(document: Path, year: int | None, folder: Path) -> Path | None:
    """Last year's report of ``document`` in ``folder`` (see `candidates`), or None."""
    return next((p for p in candidates(document, year, folder) if p.is_file()), None)


def check_years(previous: Path, previous_year: int | None, document: Path, year: int | None) -> None:
    """Refuse a previous report that states a year other than the one before the document's."""
    if previous_year is not None and year is not None and previous_year != year - 1:
        raise InputError(str(previous), f"is the {previous_year} report, but {document} is the {year} report: "
                                        f"last year's report is the {year - 1} one")
