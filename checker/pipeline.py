"""Document → structure → facts: the one-way pipeline every command runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from checker.errors import InputError
from checker.facts.glossary import extract_glossary
from checker.facts.model import Fact, FactSet
from checker.facts.narrative import UNCLASSIFIED, extract_narrative
from checker.facts.outline import outline_facts, wording_facts
from checker.facts.performance import extract_performance
from checker.facts.standard_tables import extract_standard_tables
from checker.facts.views import build_views
from checker.model import Document, Paragraph, Section, Table, with_file
from checker.readers.text import parse_text
from checker.structure import build_document, build_sections
from checker.vocabulary import Vocabulary, load_vocabulary

#: Fact extractors contributed by plugins (hook ``juesuan_fact_extractors``), run after the built-in ones.
#: Each is ``extractor(document, vocabulary) -> list[Fact]``; `checker.plugins.activate` fills the list.
PLUGIN_EXTRACTORS: list[Callable[[Document, Vocabulary], list[Fact]]] = []

# A readable file that never says 决算 and yields fewer named figures than this is not a disclosure.
MIN_FACTS_WITHOUT_KEYWORD = 5
DISCLOSURE_WORDS = ("决算", "预算", "财政拨款")


def read_document(path: str | Path, name: str | None = None) -> Document:
    """Read any supported file into a Document (InputError for anything that is not readable). ``name`` is
    how the document and its errors are named when it is not the path (an upload saved under a temporary
    folder is named as the user's file)."""
    from checker.readers import read_blocks

    result = _named(read_blocks, path, name)
    return build_document(name or str(path), result.format, result.blocks, result.encoding)


def _named(read, path: str | Path, name: str | None):
    try:
        return read(path)
    except InputError as error:
        if name is None:
            raise
        raise InputError(name, error.problem) from error


def read_bundle(paths: Sequence[str | Path], names: Sequence[str] | None = None) -> Document:
    """Several files read as one disclosure (``juesuan check --bundle``): a report and its attachments,
    such as the narrative in Word and the nine tables in Excel. Their blocks follow one another in the
    order given, each location naming its file, so rules that compare the tables with the narrative
    run across the files. The first file is the report: its headings make the outline. Each attachment
    keeps its own outline, under a section of its own that has no heading (an attachment's 一、收入支出决算总表
    does not continue the report's numbering). The document's path is the first file's; ``names``, when
    given, name the files instead of their paths (see `read_document`)."""
    from checker.readers import read_blocks

    if not paths:
        raise InputError("<bundle>", "names no files")
    labels = [str(p) for p in paths] if names is None else list(names)
    members = [[with_file(block, label) for block in _named(read_blocks, path, label).blocks]
               for path, label in zip(paths, labels, strict=True)]
    document = build_document(labels[0], "bundle", [b for blocks in members for b in blocks], files=tuple(labels))
    root = build_sections(members[0])
    for label, blocks in zip(labels[1:], members[1:], strict=True):
        outline = build_sections(blocks)
        attachment = Section(title=Path(label).name, number=None, style=None, level=1, heading=None,
                             blocks=outline.blocks, children=outline.children, parent=root)
        for child in attachment.children:
            child.parent = attachment
        root.children.append(attachment)
    document.root = root
    return document


def document_from_text(text: str, name: str = "<text>") -> Document:
    """A Document from already-decoded text in the tab-cell convention (for rule tests and fixtures)."""
    return build_document(name, "text", parse_text(text))


def extract_facts(document: Document, vocabulary: Vocabulary | None = None,
                  extractors: Sequence[Callable[[Document, Vocabulary], list[Fact]]] | None = None) -> FactSet:
    """Every fact of the document: narrative figures, self-assessment tables, glossary terms.

    ``extractors`` (default: `PLUGIN_EXTRACTORS`) add plugins' facts after the built-in ones.
    """
    vocab = vocabulary or default_vocabulary()
    facts: list[Fact] = [
        *extract_narrative(document, vocab),
        *extract_performance(document, vocab),
        *extract_glossary(document, vocab),
        *extract_standard_tables(document, vocab),
        *outline_facts(document),
        *wording_facts(document, vocab),
    ]
    for extractor in PLUGIN_EXTRACTORS if extractors is None else extractors:
        facts.extend(extractor(document, vocab))
    if None not in [f.location.line for f in facts]:
        if document.files:
            order = {name: i for i, name in enumerate(document.files)}
            facts.sort(key=lambda f: (order.get(f.location.file, 0), f.location.line, f.location.column or 0))
        else:  # one file: by place alone
            facts.sort(key=lambda f: (f.location.line, f.location.column or 0))
    extracted = FactSet(facts)
    return extracted.extended(build_views(extracted, vocab), vocab.views.get("exhaustive", ()))


def ensure_disclosure(document: Document, facts: FactSet) -> None:
    """Refuse text that is readable but is not a final-accounts disclosure at all."""
    if not any(isinstance(b, Paragraph | Table) for b in document.blocks):
        raise InputError(document.path, "contains no text")
    named = sum(1 for f in facts if f.name != UNCLASSIFIED)
    if named >= MIN_FACTS_WITHOUT_KEYWORD:
        return
    text = " ".join(_texts(document))
    if not any(word in text for word in DISCLOSURE_WORDS):
        raise InputError(document.path, "does not look like a final-accounts disclosure (部门决算): no 决算/预算 "
                                        "wording and no recognisable figures")


def _texts(document: Document):
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            for row in block.rows:
                for cell in row.cells:
                    yield cell.text


_DEFAULT: list[Vocabulary] = []


def default_vocabulary() -> Vocabulary:
    """The built-in vocabulary, loaded once per process."""
    if not _DEFAULT:
        _DEFAULT.append(load_vocabulary())
    return _DEFAULT[0]


def load(path: str | Path, vocabulary: Vocabulary | None = None) -> tuple[Document, FactSet]:
    """Read, structure and extract one file, refusing non-disclosures."""
    document = read_document(path)
    facts = extract_facts(document, vocabulary)
    ensure_disclosure(document, facts)
    return document, facts
