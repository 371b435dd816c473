"""The vocabulary: data (TOML under ``rules/vocabulary/``) that maps a report's wording to fact names.

A regulator extends it without Python: a *topic* says which sections a heading keyword
opens; a *concept* gives a fact name, the label words (or a label pattern) that name it in
the text, the topics where those words mean it, and its kind; an *aspect* says which words
turn a figure into a share, a change, a budget figure…; *performance* maps the column and
row headings of self-assessment tables to field names.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from checker.cache import cached_toml
from checker.errors import UsageError
from dsl.schema import KINDS, Schema


@dataclass(frozen=True)
class Topic:
    name: str
    headings: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A named figure. ``name`` may contain ``{topic}``, filled with the topic it was found under.

    A concept with ``pattern`` names a record: the pattern's named groups become the dims and
    the fact goes into collection ``name`` with field ``field`` (``决算数`` by default).
    """

    name: str
    kind: str
    labels: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    topics: tuple[str, ...] = ()
    field: str = "值"
    aspects: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    inherit: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    budget_as: str | None = None
    #: Words that may follow a record's name in a sentence without figures that names it for the next ones
    #: (2021年执法办案专项经费项目 + 绩效目标完成情况综述。项目全年预算数…).
    tails: tuple[str, ...] = ()
    #: Labels too general to name a thing of their own right after a record ending in them was named
    #: (项目 after …专项经费项目): they go on speaking of that record.
    generic: tuple[str, ...] = ()

    @property
    def is_record(self) -> bool:
        return self.pattern is not None


@dataclass(frozen=True)
class Aspect:
    """Words between a label and its figure that say what the figure is of the labelled thing."""

    name: str
    words: tuple[str, ...]
    kind: str  # the kind of the figure: "same" = the concept's own kind
    signed: bool = False
    #: The words introduce the concept's own figure (支出决算14.86万元: a scalar's value, a record's 决算数).
    value: bool = False


@dataclass(frozen=True)
class Base:
    """What a change in a clause is measured against (比年初预算 → the budget, 较上年 → last year).

    ``aspects`` renames the change aspects a figure takes under this base (增减额 → 预算差额): a
    base with no renames is last year's, the sense a change has when no base is named. A base named
    in a clause holds for the sentence's later clauses until another base is named.
    """

    name: str
    words: tuple[str, ...]
    aspects: tuple[tuple[str, str], ...] = ()

    def renamed(self, aspect: str) -> str:
        return dict(self.aspects).get(aspect, aspect)


@dataclass(frozen=True)
class BudgetWording:
    """Words comparing the actual with the budget (决算数小于年初预算数, 超出预算, 未超预算).

    ``sign`` is the sign of 决算数 − 预算数 they state; None for "not above" (未超预算). A figure right after
    the words is the difference itself (决算数大于预算数55.93万元).
    """

    sign: int | None
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Statement:
    """A declaration recognised by phrase (``空表``), kept as a text fact named ``name``."""

    name: str
    topics: tuple[str, ...]
    patterns: tuple[str, ...]


@dataclass
class Vocabulary:
    topics: list[Topic] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    aspects: list[Aspect] = field(default_factory=list)
    bases: list[Base] = field(default_factory=list)
    parts_markers: tuple[str, ...] = ()
    comparison_words: tuple[str, ...] = ()
    comparison_before: tuple[str, ...] = ()
    budget_wordings: list[BudgetWording] = field(default_factory=list)
    reason_markers: tuple[str, ...] = ()
    glossary_topics: tuple[str, ...] = ()
    performance: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    views: dict = field(default_factory=dict)
    text: dict = field(default_factory=dict)
    extra_schema: dict[str, str] = field(default_factory=dict)
    collection_fields: dict[str, dict[str, str]] = field(default_factory=dict)

    def merge(self, other: Vocabulary) -> None:
        """Add another vocabulary file's entries (a region's or a plugin's) after this one's."""
        self.topics.extend(other.topics)
        self.concepts.extend(other.concepts)
        self.statements.extend(other.statements)
        self.aspects.extend(other.aspects)
        self.bases.extend(other.bases)
        self.parts_markers += other.parts_markers
        self.comparison_words += other.comparison_words
        self.comparison_before += other.comparison_before
        self.budget_wordings.extend(other.budget_wordings)
        self.reason_markers += other.reason_markers
        self.glossary_topics += other.glossary_topics
        for key, value in other.performance.items():
            if isinstance(value, dict):
                self.performance.setdefault(key, {}).update(value)
            else:
                self.performance[key] = value
        for table, mine in ((other.views, self.views), (other.text, self.text), (other.tables, self.tables)):
            for key, value in table.items():
                if isinstance(value, dict):
                    mine.setdefault(key, {}).update(value)
                else:
                    mine[key] = value
        self.extra_schema.update(other.extra_schema)
        for coll, fields in other.collection_fields.items():
            self.collection_fields.setdefault(coll, {}).update(fields)

    def figures(self) -> tuple[frozenset[str], dict[str, str]]:
        """The names of the figures themselves, aspects aside: the scalar concepts (收入.收入总计), and each
        record collection with the field its figure goes in (一般公共预算.项 → 决算数)."""
        topic_names = [t.name for t in self.topics]
        scalars: set[str] = set()
        records: dict[str, str] = {}
        for concept in self.concepts:
            names = [concept.name.replace("{topic}", t) for t in (concept.topics or topic_names)] \
                if "{topic}" in concept.name else [concept.name]
            for name in names:
                if concept.is_record:
                    records.setdefault(name, concept.field)
                else:
                    scalars.add(name)
        return frozenset(scalars), records

    def schema(self) -> Schema:
        """Every name a rule may use, with its kind, for the rule-language compiler."""
        schema = Schema()
        topic_names = [t.name for t in self.topics]
        aspect_kinds = {a.name: a.kind for a in self.aspects}
        for concept in self.concepts:
            for name in concept_names(concept, topic_names):
                if concept.is_record:
                    fields = schema.collections.setdefault(name, {})
                    for group in concept.pattern.groupindex:  # type: ignore[union-attr]
                        if not group.endswith("尾"):  # appended to its key (see the narrative's record keys)
                            fields[group] = "text"
                    fields[concept.field] = concept.kind
                    for aspect in concept.aspects or aspect_kinds:
                        fields[aspect] = _aspect_kind(aspect_kinds.get(aspect, "text"), concept.kind)
                    fields.update(CONCEPT_FIELDS)
                else:
                    schema.scalars[name] = concept.kind
                    for aspect in concept.aspects or aspect_kinds:
                        schema.scalars[f"{name}.{aspect}"] = _aspect_kind(aspect_kinds.get(aspect, "text"),
                                                                          concept.kind)
                    schema.scalars.update({f"{name}.{key}": kind for key, kind in CONCEPT_FIELDS.items()})
        for statement in self.statements:
            schema.scalars[statement.name] = "text"
        schema.scalars.update(self.extra_schema)
        for coll, fields in self.collection_fields.items():
            schema.collections.setdefault(coll, {}).update(fields)
        return schema


#: What every concept has besides its aspects: the reasons given for it and the direction of its changes.
CONCEPT_FIELDS = {"原因": "text", "差异原因": "text", "方向": "direction", "预算方向": "direction",
                  "预算未超": "text"}


def concept_names(concept: Concept, topic_names: list[str]) -> list[str]:
    """The names a concept gives its figures: ``{topic}`` filled with each of its topics (or every topic)."""
    if "{topic}" not in concept.name:
        return [concept.name]
    return [concept.name.replace("{topic}", t) for t in (concept.topics or topic_names)]


def _aspect_kind(kind: str, concept_kind: str) -> str:
    return concept_kind if kind == "same" else kind


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise UsageError(f"{where}: expected a string or a list of strings")


def parse_vocabulary(text: str, source: str) -> Vocabulary:
    """Build a Vocabulary from one TOML file's text; errors name the file and the entry."""
    try:
        data = cached_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{source}: invalid TOML: {exc}") from None
    vocab = Vocabulary()
    for i, entry in enumerate(data.get("topic", []), 1):
        where = f"{source}: topic #{i}"
        vocab.topics.append(Topic(_required(entry, "name", where), _strings(entry.get("headings"), where),
                                  _strings(entry.get("exclude"), where)))
    for i, entry in enumerate(data.get("concept", []), 1):
        where = f"{source}: concept #{i} ({entry.get('name', '?')})"
        kind = _required(entry, "kind", where)
        if kind not in KINDS:
            raise UsageError(f"{where}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        pattern = None
        if "pattern" in entry:
            try:
                pattern = re.compile(entry["pattern"])
            except re.error as exc:
                raise UsageError(f"{where}: invalid pattern: {exc}") from None
        vocab.concepts.append(Concept(
            name=_required(entry, "name", where), kind=kind, labels=_strings(entry.get("labels"), where),
            pattern=pattern, topics=_strings(entry.get("topics"), where),
            field=entry.get("field", "决算数" if pattern else "值"), aspects=_strings(entry.get("aspects"), where),
            units=_strings(entry.get("units"), where), inherit=_strings(entry.get("inherit"), where),
            exclude=_strings(entry.get("exclude"), where), budget_as=entry.get("budget_as"),
            tails=_strings(entry.get("tails"), where), generic=_strings(entry.get("generic"), where)))
    for i, entry in enumerate(data.get("statement", []), 1):
        where = f"{source}: statement #{i}"
        vocab.statements.append(Statement(_required(entry, "name", where), _strings(entry.get("topics"), where),
                                          _strings(entry.get("patterns"), where)))
    for i, entry in enumerate(data.get("aspect", []), 1):
        where = f"{source}: aspect #{i}"
        vocab.aspects.append(Aspect(_required(entry, "name", where), _strings(entry.get("words"), where),
                                    entry.get("kind", "same"), bool(entry.get("signed", False)),
                                    bool(entry.get("value", False))))
    for i, entry in enumerate(data.get("base", []), 1):
        where = f"{source}: base #{i}"
        renames = entry.get("aspects", {})
        if not isinstance(renames, dict) or not all(isinstance(v, str) for v in renames.values()):
            raise UsageError(f"{where}: aspects must be a table of aspect = renamed aspect")
        vocab.bases.append(Base(_required(entry, "name", where), _strings(entry.get("words"), where),
                                tuple(renames.items())))
    vocab.parts_markers = _strings(data.get("parts", {}).get("markers"), f"{source}: parts")
    for i, entry in enumerate(data.get("budget_wording", []), 1):
        where = f"{source}: budget_wording #{i}"
        sign = entry.get("sign")
        if sign not in (1, 0, -1, "at most"):
            raise UsageError(f"{where}: sign must be 1, 0, -1 or \"at most\"")
        for text in _strings(entry.get("patterns"), where):
            try:
                pattern = re.compile(text)
            except re.error as exc:
                raise UsageError(f"{where}: invalid pattern {text!r}: {exc}") from None
            vocab.budget_wordings.append(BudgetWording(None if sign == "at most" else sign, pattern))
    vocab.comparison_words = _strings(data.get("comparisons", {}).get("words"), f"{source}: comparisons")
    vocab.comparison_before = _strings(data.get("comparisons", {}).get("before"), f"{source}: comparisons")
    vocab.reason_markers = _strings(data.get("reasons", {}).get("markers"), f"{source}: reasons")
    vocab.glossary_topics = _strings(data.get("glossary", {}).get("topics"), f"{source}: glossary")
    vocab.performance = data.get("performance", {})
    vocab.tables = data.get("tables", {})
    vocab.views = data.get("views", {})
    vocab.text = data.get("text", {})
    vocab.extra_schema = dict(data.get("schema", {}).get("scalars", {}))
    vocab.collection_fields = {k: dict(v) for k, v in data.get("schema", {}).get("collections", {}).items()}
    return vocab


def _required(entry: dict, key: str, where: str) -> str:
    if key not in entry:
        raise UsageError(f"{where}: missing required key {key!r}")
    return entry[key]


@lru_cache(maxsize=1)
def builtin_vocabulary_files() -> tuple[Path, ...]:
    root = resources.files("rules") / "vocabulary"
    return tuple(sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".toml")))


def load_vocabulary(extra: tuple[Path, ...] = ()) -> Vocabulary:
    """The built-in vocabulary files, then ``extra`` ones (regions, plugins), merged in order."""
    return vocabulary_from_files((*builtin_vocabulary_files(), *extra))


def vocabulary_from_files(paths: tuple[Path, ...]) -> Vocabulary:
    """Exactly these vocabulary files, merged in order (the plugins' list, built-in ones included)."""
    vocab = Vocabulary()
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: cannot read vocabulary: {exc.strerror}") from None
        vocab.merge(parse_vocabulary(text, str(path)))
    return vocab
