"""Where every name a rule may use comes from: the vocabulary entry that makes it, what it is, its unit, and
the words and sections of a report it is read from — for the editor's hover, completion and go-to-definition.

The vocabulary files are data (``rules/vocabulary/*.toml``); this module reads them a second time, with the
line of each entry and the comment block directly above it (or the entry's ``description``), and ties every
name of the schema to the entry it comes from: a concept, one of its aspects, a statement, a
``[schema.scalars]`` line or a ``[schema.collections]`` table.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from checker.vocabulary import CONCEPT_FIELDS, Concept, Vocabulary, concept_names, parse_vocabulary
from dsl.compiler import UNIT_WORDS
from dsl.schema import Schema

#: What the fields every concept has mean.
CONCEPT_FIELD_TEXT = {
    "原因": "the reason the report gives for it (from 主要原因是… to the end of the sentence)",
    "差异原因": "the reason given for its difference from the budget",
    "方向": "the direction word of its change from last year (增加 / 减少 / 持平)",
    "预算方向": "the direction of its difference from the budget (决算数大于 / 小于 / 等于预算数)",
    "预算未超": "the wording that it did not exceed the budget (未超预算)",
}


@dataclass(frozen=True)
class Entry:
    """One entry of a vocabulary file: its line (1-based), its description, and the lines of its keys."""

    file: str
    line: int
    description: str
    keys: dict[str, tuple[int, str]] = field(default_factory=dict)  # key → (line, comment above it)


@dataclass(frozen=True)
class Origin:
    """What a name is: its kind, a one-line summary, detail lines, its description and vocabulary entry."""

    name: str
    kind: str
    summary: str
    details: tuple[str, ...] = ()
    description: str = ""
    file: str | None = None
    line: int = 0

    @property
    def unit(self) -> str:
        return UNIT_WORDS.get(self.kind, self.kind)


_HEADER = re.compile(r"^\s*\[(\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r'^\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_\-]+))\s*=')
_RULER = re.compile(r"^#\s*-{4,}")


def scan_entries(text: str, file: str) -> dict[str, list[Entry]]:
    """Every table of a vocabulary file by header (``concept`` for ``[[concept]]``, ``schema.collections.X``),
    in file order: line, the comment block directly above (rulers left out), and each key's line."""
    out: dict[str, list[Entry]] = {}
    comments: list[str] = []
    current: Entry | None = None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("#"):
            if not _RULER.match(stripped):
                comments.append(stripped.lstrip("#").strip())
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            current = Entry(file, number, "\n".join(comments))
            out.setdefault(_table_name(header.group(2)), []).append(current)
        elif current is not None and (key := _KEY.match(line)):
            name = key.group(1) if key.group(1) is not None else key.group(2)
            current.keys.setdefault(name, (number, "\n".join(comments)))
        comments = []
    return out


def _table_name(header: str) -> str:
    """``schema.collections."绩效.指标"`` → ``schema.collections.绩效.指标`` (quotes dropped, dots kept)."""
    return "".join(part for part in re.split(r'("[^"]*")', header) if part).replace('"', "")


@dataclass
class NameIndex:
    """Name → its `Origin`, for every scalar, collection and collection field of the schema."""

    scalars: dict[str, Origin] = field(default_factory=dict)
    collections: dict[str, Origin] = field(default_factory=dict)
    fields: dict[tuple[str, str], Origin] = field(default_factory=dict)

    def origin(self, name: str) -> Origin | None:
        """A scalar or collection by name, or a collection's field written ``集合.字段``."""
        if name in self.scalars:
            return self.scalars[name]
        if name in self.collections:
            return self.collections[name]
        collection, _, field_name = name.rpartition(".")
        return self.fields.get((collection, field_name))


def build_index(files: Sequence[Path], schema: Schema) -> NameIndex:
    """The origin of every name of ``schema`` found in the vocabulary ``files`` (in their merge order); a name
    the files do not explain (a plugin's extractor's) gets a bare origin with its kind."""
    merged = Vocabulary()
    per_file: list[tuple[str, Vocabulary, dict, dict[str, list[Entry]]]] = []
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        vocabulary = parse_vocabulary(text, str(path))
        merged.merge(vocabulary)
        per_file.append((str(path), vocabulary, tomllib.loads(text), scan_entries(text, str(path))))
    index = NameIndex()
    topics = {t.name: t for t in merged.topics}
    aspects = {a.name: a for a in merged.aspects}
    aspect_entries: dict[str, tuple[Entry, dict]] = {}
    tables = {spec.get("key", title): (title, spec) for title, spec in merged.tables.get("standard", {}).items()}
    for _, _, data, entries in per_file:
        for entry, raw in zip(entries.get("aspect", []), data.get("aspect", []), strict=False):
            aspect_entries[raw.get("name", "")] = (entry, raw)
    for path, vocabulary, data, entries in per_file:
        for concept, entry, raw in zip(vocabulary.concepts, entries.get("concept", []), data.get("concept", []),
                                       strict=False):
            _add_concept(index, concept, entry, raw, list(topics), topics, aspects, aspect_entries)
        for statement, entry, raw in zip(vocabulary.statements, entries.get("statement", []),
                                         data.get("statement", []), strict=False):
            places = ", ".join(statement.topics) or "anywhere"
            index.scalars.setdefault(statement.name, Origin(
                statement.name, "text", "a declaration the report makes in words",
                (f"found by the phrases: {', '.join(statement.patterns)}", f"in sections on: {places}"),
                raw.get("description") or entry.description, path, entry.line))
        for entry in entries.get("schema.scalars", []):
            for key, (line, comment) in entry.keys.items():
                index.scalars.setdefault(key, Origin(
                    key, str(data.get("schema", {}).get("scalars", {}).get(key, "text")),
                    "a figure the checker reads" + _table_place(key, tables), (), comment or entry.description,
                    path, line))
        for table, found in entries.items():
            if not table.startswith("schema.collections."):
                continue
            collection = table.removeprefix("schema.collections.")
            declared = data.get("schema", {}).get("collections", {}).get(collection, {})
            for entry in found:
                index.collections.setdefault(collection, Origin(
                    collection, "collection", "records the checker reads" + _table_place(collection, tables),
                    (f"fields: {', '.join(declared)}",), entry.description, path, entry.line))
                for key, (line, comment) in entry.keys.items():
                    index.fields.setdefault((collection, key), Origin(
                        f"{collection}.{key}", str(declared.get(key, "text")), f"a field of every record of "
                        f"{collection}", (), comment, path, line))
    _fill_gaps(index, schema)
    return index


def _add_concept(index: NameIndex, concept: Concept, entry: Entry, raw: dict, topic_names: list[str],
                 topics: dict, aspects: dict, aspect_entries: dict[str, tuple[Entry, dict]]) -> None:
    description = raw.get("description") or entry.description
    aspect_names = list(concept.aspects or aspects)
    names = concept_names(concept, topic_names)
    for name in names:
        # a name filled with one topic ({topic} → 政府性基金) is read in that topic's sections only
        read = _read_lines(concept, topics, [t for t in (concept.topics or topic_names)
                                             if concept.name.replace("{topic}", t) == name] if len(names) > 1
                           else list(concept.topics))
        if concept.is_record:
            keys = [g for g in concept.pattern.groupindex if not g.endswith("尾")]  # type: ignore[union-attr]
            index.collections.setdefault(name, Origin(
                name, "collection", f"records of the narrative, one per {' / '.join(keys)} named in the text",
                (*read, f"figure: {concept.field}; aspects: {', '.join(aspect_names)}"), description, entry.file,
                entry.line))
            for key in keys:
                index.fields.setdefault((name, key), Origin(f"{name}.{key}", "text", f"the record's {key}, read "
                                                            "from its name in the text", (), "", entry.file,
                                                            entry.line))
            index.fields.setdefault((name, concept.field), Origin(
                f"{name}.{concept.field}", concept.kind, f"the figure stated for the record ({concept.field})",
                read, description, entry.file, entry.line))
            for aspect in aspect_names:
                index.fields.setdefault((name, aspect), _aspect_origin(
                    f"{name}.{aspect}", aspect, concept, "of the record", aspects, aspect_entries, entry))
            for key, text in CONCEPT_FIELD_TEXT.items():
                index.fields.setdefault((name, key), Origin(f"{name}.{key}", CONCEPT_FIELDS[key],
                                                            f"the record's {key}: {text}", (), "", entry.file,
                                                            entry.line))
            continue
        index.scalars.setdefault(name, Origin(name, concept.kind, "a figure of the narrative", read, description,
                                              entry.file, entry.line))
        for aspect in aspect_names:
            index.scalars.setdefault(f"{name}.{aspect}", _aspect_origin(
                f"{name}.{aspect}", aspect, concept, f"of {name}", aspects, aspect_entries, entry))
        for key, text in CONCEPT_FIELD_TEXT.items():
            index.scalars.setdefault(f"{name}.{key}", Origin(f"{name}.{key}", CONCEPT_FIELDS[key],
                                                             f"{key} of {name}: {text}", (), "", entry.file,
                                                             entry.line))


def _aspect_origin(full: str, aspect: str, concept: Concept, of: str, aspects: dict,
                   aspect_entries: dict[str, tuple[Entry, dict]], entry: Entry) -> Origin:
    spec = aspects.get(aspect)
    kind = concept.kind if spec is None or spec.kind == "same" else spec.kind
    words = ", ".join(spec.words) if spec is not None and spec.words else ""
    found = aspect_entries.get(aspect)
    description = (found[1].get("description") or found[0].description) if found else ""
    details = [f"the words between the label and the figure: {words}"] if words else []
    if spec is not None and spec.signed:
        details.append("signed by its direction word (减少 … makes it negative)")
    if found:
        details.append(f"the aspect is defined at {Path(found[0].file).name}:{found[0].line}")
    return Origin(full, kind, f"the {aspect} {of} (an aspect)", tuple(details), description, entry.file, entry.line)


def _read_lines(concept: Concept, topics: dict, where: list[str]) -> tuple[str, ...]:
    """Where a concept's figures are read: the words that name it and the sections (``where``: topic names)
    it is looked for in."""
    lines = []
    if concept.labels:
        lines.append(f"named in the text by: {', '.join(concept.labels)}")
    if concept.pattern is not None:
        lines.append(f"named by the pattern: {concept.pattern.pattern}")
    sections = []
    for name in where:
        topic = topics.get(name)
        sections.append(f"{name} ({' / '.join(topic.headings)})" if topic else name)
    lines.append("in sections whose heading holds: " + ("; ".join(sections) if sections else "any section"))
    if concept.units:
        lines.append(f"units: {', '.join(concept.units)}")
    return tuple(lines)


def _table_place(name: str, tables: dict[str, tuple[str, dict]]) -> str:
    """`` from the standard table 收入决算表`` for a ``表.收入决算表.…`` name."""
    parts = name.split(".")
    if len(parts) > 1 and parts[0] == "表" and parts[1] in tables:
        title, spec = tables[parts[1]]
        return f" from the standard table {title} (titled {' / '.join(spec.get('titles', [title]))})"
    return ""


def _fill_gaps(index: NameIndex, schema: Schema) -> None:
    for name, kind in schema.scalars.items():
        index.scalars.setdefault(name, Origin(name, kind, "a figure (no vocabulary entry describes it)"))
    for collection, fields in schema.collections.items():
        index.collections.setdefault(collection, Origin(collection, "collection", "records",
                                                        (f"fields: {', '.join(fields)}",)))
        for key, kind in fields.items():
            index.fields.setdefault((collection, key), Origin(f"{collection}.{key}", kind,
                                                              f"a field of every record of {collection}"))


def children(schema: Schema, names: Iterable[str]) -> dict[str, dict[str, str]]:
    """Parent path → next segment → what it is (``fact``, ``collection``, ``field``, ``namespace``), for
    completing a dotted name one segment at a time; ``""`` is the root."""
    tree: dict[str, dict[str, str]] = {}

    def add(parts: list[str], leaf: str) -> None:
        for depth in range(len(parts)):
            parent, segment = ".".join(parts[:depth]), parts[depth]
            what = leaf if depth == len(parts) - 1 else "namespace"
            slot = tree.setdefault(parent, {})
            if slot.get(segment, "namespace") == "namespace":
                slot[segment] = what

    for name in schema.scalars:
        add(name.split("."), "fact")
    for collection, fields in schema.collections.items():
        add(collection.split("."), "collection")
        for key in fields:
            add([*collection.split("."), key], "field")
    for name in names:
        add(name.split("."), "derived")
    return tree
