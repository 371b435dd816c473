"""Figures a suggestion may change: a number printed once in the document, with every fact that reads it.

A figure read by a rule is a fact, but one printed number may stand behind several facts (the fact and
its views' copies: 收入.财政拨款收入.占比 and 占比.占比[…]), all at the same place. Changing the figure
changes them all. Only amounts, shares, rates and counts are changed — never dates, targets, direction
words or text — and never across zero when the sign is carried by a word (减少36.68万元 is −36.68: a
positive value would need 增加, which is not a change of the figure).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from operator import attrgetter

from checker.facts.model import Fact, FactSet
from checker.findings import Evidence
from checker.interval import format_decimal
from checker.model import Cell, Document, Location, Paragraph
from checker.quantity import Quantity, to_halfwidth

# The number inside a figure's printed text, with the separators conversions leave (3,415.17; 3, 415.17;
# 245 555.17), on the half-width form of the text (offsets are the same).
_NUMBER = re.compile(r"-?\d+(?:(?: ?, ?| )\d{3})*(?:\.\d+)?")
_GROUP = re.compile(r"\d( ?, ?| )\d{3}")
_FULLWIDTH_DIGIT = re.compile("[０-９]")


@dataclass(frozen=True)
class Figure:
    """A number printed at one place and the facts that read it (the place and the number identify it)."""

    location: Location
    quantity: Quantity
    facts: tuple[Fact, ...] = field(compare=False)
    shown: str = field(default="", compare=False)  # the characters at its place (317.58 for 317.58万元 in a cell)

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        """The hash of the place and the number, worked out once: every trial and probe is remembered by
        the figures it changes (`checker.suggest.trial`)."""
        return hash((self.location, self.quantity))

    @property
    def fact(self) -> Fact:
        """The fact as extracted (not a view's copy)."""
        return next((f for f in self.facts if not f.origin), self.facts[0])

    @property
    def label(self) -> str:
        return self.fact.label

    @cached_property
    def names(self) -> frozenset[str]:
        """The names of its facts (asked for at every trial and solving step: worked out once)."""
        return frozenset(f.name for f in self.facts)

    @property
    def ulp(self) -> Decimal:
        """The smallest step of the figure as printed (0.01 for 104.18, 1 for 3人)."""
        return Decimal(1).scaleb(-self.quantity.decimals)

    @property
    def sign_printed(self) -> bool:
        """Whether a minus sign is part of the printed figure (else a negative value comes from a word)."""
        return "-" in to_halfwidth(self.text)

    def allows(self, value: Decimal) -> bool:
        """Whether the figure may be printed with ``value`` without changing any word around it."""
        current = self.quantity.value
        if self.sign_printed:
            return True
        return value >= 0 if current >= 0 else value <= 0

    def quantize(self, value: Decimal) -> Decimal:
        """``value`` at the figure's displayed precision (half up, as the reports round)."""
        return value.quantize(self.ulp, rounding=ROUND_HALF_UP)

    @property
    def text(self) -> str:
        """The figure as the document prints it at its place."""
        return self.shown or self.quantity.text

    def printed(self, value: Decimal) -> str:
        """What to print at the figure's place for ``value``, in the same style."""
        return render_like(self.text, value, self.quantity.decimals)

    def value_text(self, value: Decimal) -> str:
        """``value`` as a suggestion names it: the figure's decimals, thousands separated with commas if the
        figure separates them at all, no minus sign where a word carries the sign, % for a share or rate."""
        number = _NUMBER.search(to_halfwidth(self.text))
        grouped = bool(number and _GROUP.search(number.group()))
        shown = value if self.sign_printed else abs(value)
        text = format_decimal(shown, self.quantity.decimals, grouping=grouped)
        return text + "%" if self.quantity.unit == "%" else text

    def with_value(self, value: Decimal) -> dict[int, Fact]:
        """The figure's facts with ``value`` printed instead (``id(old fact) → new fact``)."""
        quantity = replace(self.quantity, value=value, text=render_like(self.quantity.text, value,
                                                                        self.quantity.decimals))
        return {id(f): replace(f, value=quantity) for f in self.facts}


def render_like(text: str, value: Decimal, decimals: int) -> str:
    """``text`` (a figure as printed: ３,４１５.１７万元, 245 555.17万元, -13.05%) with its number replaced by
    ``value``: same decimals, the same thousands separator if it had one, full-width digits if it had
    them, a minus sign only where the figure prints one, and the unit and anything else kept."""
    layout = _layout(text)
    if layout is None:
        return text
    start, end, separator, signed, fullwidth = layout
    digits = format(abs(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), f".{max(decimals, 0)}f")
    whole, dot, fraction = digits.partition(".")
    if separator:
        whole = _grouped(whole, separator)
    new = ("-" if value < 0 and signed else "") + whole + dot + fraction
    if fullwidth:
        new = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in new)
    return text[:start] + new + text[end:]


@lru_cache(maxsize=4096)  # a search renders one figure at hundreds of values
def _layout(text: str) -> tuple[int, int, str, bool, bool] | None:
    """Where the number is in a figure's text, its thousands separator, whether it prints a minus sign and
    whether its digits are full-width; None when the text prints no number."""
    match = _NUMBER.search(to_halfwidth(text))
    if match is None:
        return None
    number = match.group()
    group = _GROUP.search(number)
    return (match.start(), match.end(), group.group(1) if group else "", number.startswith("-"),
            bool(_FULLWIDTH_DIGIT.search(text[match.start():match.end()])))


def _grouped(whole: str, separator: str) -> str:
    head = len(whole) % 3 or 3
    groups = [whole[:head], *(whole[i:i + 3] for i in range(head, len(whole), 3))]
    return separator.join(groups)


def index_figures(facts: FactSet, document: Document | None) -> dict[Location, list[Figure]]:
    """Every figure of the document by its place (a place may hold more than one: rarely). A number the
    checker counted rather than read (how often a word is repeated) is printed nowhere and is no figure."""
    index = FigureIndex(facts, document)
    return {location: index[location] for location in index}


def _figure(texts: Texts, location: Location, quantity: Quantity, found: list[Fact]) -> Figure | None:
    """The figure the facts ``found`` read at ``location``, if the place prints its number."""
    shown = printed_at(texts, location)
    number = _number_of(quantity.text)
    if shown is not None and number is not None and _number_of(shown) == number:
        return Figure(location, quantity, tuple(found), shown)
    return None


class FigureIndex(Mapping[Location, list[Figure]]):
    """The figures by place (`index_figures`), each place's worked out when it is asked for: a search looks
    up only the places its findings read, a few among thousands."""

    def __init__(self, facts: FactSet, document: Document | None) -> None:
        self._facts = facts
        self._document = document
        self._texts: Texts | None = None
        self._at: dict[Location, list[Fact]] | None = None
        self._found: dict[Location, list[Figure]] = {}

    def _quantities(self) -> dict[Location, list[Fact]]:
        """The facts reading a number, by place, in document order (by number only for the places asked)."""
        if self._at is None:
            self._at = {}
            for fact in self._facts:
                if isinstance(fact.value, Quantity):
                    self._at.setdefault(fact.location, []).append(fact)
        return self._at

    def get(self, location: Location, default: list[Figure] | None = None) -> list[Figure] | None:  # type: ignore[override]
        figures = self._found.get(location)
        if figures is None:
            if self._texts is None:
                self._texts = Texts(self._document)
            by_number: dict[Quantity, list[Fact]] = {}
            for fact in self._quantities().get(location, ()):
                by_number.setdefault(fact.value, []).append(fact)  # type: ignore[arg-type]
            made = (_figure(self._texts, location, quantity, found) for quantity, found in by_number.items())
            figures = self._found[location] = [f for f in made if f is not None]
        return figures if figures else default

    def __getitem__(self, location: Location) -> list[Figure]:
        figures = self.get(location)
        if figures is None:
            raise KeyError(location)
        return figures

    def __iter__(self) -> Iterator[Location]:
        return (location for location in self._quantities() if self.get(location))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _number_of(text: str) -> str | None:
    """The number printed in ``text`` (half-width), None when it prints none."""
    match = _NUMBER.search(to_halfwidth(text))
    return match.group() if match else None


#: A place without its columns: every field of a `Location` but ``column``, ``end_column`` and ``end_line``.
Place = tuple
_PLACE_FIELDS = [f.name for f in fields(Location) if f.name not in ("column", "end_column", "end_line")]
_place = attrgetter(*_PLACE_FIELDS)
_LINE = _PLACE_FIELDS.index("line")  # where a place holds its line


class Texts:
    """Each paragraph's and table cell's text and the column of its first character, by its place (the
    place without the columns; the first piece in document order at a place): the pieces kept by line, and
    a line's keyed by place when a figure on it is first looked up — a search looks up a few findings'
    places among thousands of cells."""

    def __init__(self, document: Document | None) -> None:
        self._lines: dict[int | None, list[Paragraph | Cell]] = {}
        self._places: dict[int | None, dict[Place, tuple[str, int]]] = {}
        for block in document.blocks if document is not None else ():
            pieces = [block] if isinstance(block, Paragraph) else [c for row in block.rows for c in row.cells]
            for piece in pieces:
                self._lines.setdefault(piece.location.line, []).append(piece)

    def get(self, place: Place) -> tuple[str, int] | None:
        line = place[_LINE]
        keyed = self._places.get(line)
        if keyed is None:
            keyed = self._places[line] = {}
            for piece in self._lines.get(line, ()):
                keyed.setdefault(_place(piece.location), (piece.text, piece.location.column or 1))
        return keyed.get(place)


def printed_at(texts: Texts, location: Location) -> str | None:
    """The characters at a figure's place, if its place names them (a whole cell or paragraph when the
    place gives no columns)."""
    found = texts.get(_place(location))
    if found is None and location.line is not None:
        found = texts.get(_place(Location(line=location.line)))
    if found is None:
        return None
    text, base = found
    if location.column is None and location.end_column is None:
        return text
    if location.column is None or location.end_column is None:
        return None
    start, end = location.column - base, location.end_column - base
    return text[start:end] if 0 <= start < end <= len(text) else None


def figure_of(evidence: Evidence, figures: Mapping[Location, list[Figure]]) -> Figure | None:
    """The figure an evidence item points at, if it is one a suggestion may change."""
    found = figures.get(evidence.location, [])
    for figure in found:
        if any(f.label == evidence.name for f in figure.facts):
            return figure
    return found[0] if len(found) == 1 else None


def figure_name(figure: Figure) -> str:
    """How a suggestion names a figure: a budget subject by its name and level (社会保障和就业支出（类）),
    a record's field by the record (2024年…项目·得分), any other by its fact name."""
    fact = figure.fact
    if not fact.dims:
        return fact.name
    keys = [k for k, _ in fact.dims]
    last_key, last = fact.dims[-1]
    if last_key in ("类", "款", "项"):
        subject = f"{last}（{last_key}）"
        return subject if fact.field in ("决算数", "数量", "值") else f"{subject}{fact.field}"
    record = "·".join(v for _, v in fact.dims) if "指标" not in keys else dict(fact.dims)["指标"]
    return f"{record}·{fact.field}"
