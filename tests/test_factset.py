"""A document's fact set made by extending the extracted facts' set with its views answers every lookup as the
set of all of them made at once (`FactSet.extended`)."""

from __future__ import annotations

from pathlib import Path

from checker.facts.model import FactSet
from checker.facts.views import VIEW_NAMES
from checker.pipeline import default_vocabulary, extract_facts, read_document

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo" / "disclosure.txt"


def test_an_extended_set_answers_as_one_made_at_once():
    facts = extract_facts(read_document(DEMO), default_vocabulary())
    extracted = [f for f in facts if f.name.split(".")[0] not in VIEW_NAMES]
    views = [f for f in facts if f.name.split(".")[0] in VIEW_NAMES]
    assert extracted and views
    base = FactSet(extracted)
    extended, whole = base.extended(views, ["多处"]), FactSet([*extracted, *views], ["多处"])
    assert extended.facts == whole.facts and extended.exhaustive == whole.exhaustive
    assert extended.names() == whole.names()
    for name in whole.names():
        assert extended.all(name) == whole.all(name)
        for fact in whole.all(name):
            assert extended.every(name, fact.dims) == whole.every(name, fact.dims)
    for collection in whole.collections():
        assert extended.records(collection) == whole.records(collection)
    assert len(base) == len(extracted)  # the extracted set is left as it was
