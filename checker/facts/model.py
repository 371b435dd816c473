"""A fact is one figure (or statement) of the disclosure under a vocabulary name, with its place.

Names are dotted Chinese paths: ``收入.财政拨款收入``, ``收入.财政拨款收入.占比``,
``三公经费.公务接待费.增减率``. Facts that belong to a repeated record (a 类/款/项 row, a
performance indicator) share a name prefix and carry ``dims`` that identify the record, e.g.
``一般公共预算.项.决算数`` with dims ``(("类", "…"), ("款", "…"), ("项", "…"))``.
A figure stated in several places gives several facts with the same name and dims.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass

from checker.model import Location
from checker.quantity import DateValue, Direction, Quantity, Target

FactValue = Quantity | DateValue | Target | Direction | str

Dims = tuple[tuple[str, str], ...]


@dataclass(slots=True, unsafe_hash=True)
class Fact:
    """One figure, date, target or text the document states, with its place. Never changed once made
    (hashable by value); not frozen only because thousands are made per document."""

    name: str
    value: FactValue
    location: Location
    source: str = ""
    dims: Dims = ()
    # For a view's copy (占比.占比[…]): the fact it copies, as a reader would name it (收入.财政拨款收入.占比).
    origin: str = ""

    @property
    def label(self) -> str:
        """How a report names this figure: the original fact for a view's copy."""
        if self.origin:
            return self.origin
        return f"{self.name}[{'/'.join(v for _, v in self.dims)}]" if self.dims else self.name

    @property
    def record(self) -> str:
        """The record (collection) name: the name without its last segment, for facts with dims."""
        return self.name.rsplit(".", 1)[0] if self.dims else self.name

    @property
    def field(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    def dims_dict(self) -> dict[str, str]:
        return dict(self.dims)


class FactSet:
    """All facts of one document, in document order, indexed by name."""

    def __init__(self, facts: Iterable[Fact] = (), exhaustive: Iterable[str] = ()) -> None:
        self.facts: list[Fact] = list(facts)
        # Collections the checker fills completely (repeated words, restated figures): no records means
        # "looked, found none", not "not stated".
        self.exhaustive: frozenset[str] = frozenset(exhaustive)
        self._by_name: MutableMapping[str, list[Fact]] = {}
        for f in self.facts:
            self._by_name.setdefault(f.name, []).append(f)
        # Built on first use: rules look records and facts up once per record, so scans would be quadratic.
        self._every: MutableMapping[tuple[str, Dims], list[Fact]] | None = None
        self._records: dict[str, dict[Dims, None]] | None = None

    def extended(self, more: Iterable[Fact], exhaustive: Iterable[str] = ()) -> FactSet:
        """A new set of these facts followed by ``more`` (a document's views after its extracted facts), its
        index of names copied from this set's rather than made again fact by fact."""
        out = FactSet((), exhaustive)
        added = list(more)
        out.facts = [*self.facts, *added]
        out._by_name = by_name = {name: list(found) for name, found in self._by_name.items()}
        for f in added:
            by_name.setdefault(f.name, []).append(f)
        return out

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def names(self) -> set[str]:
        return set(self._by_name)

    def all(self, name: str) -> list[Fact]:
        """Every occurrence of ``name`` (any dims), in document order."""
        return list(self._by_name.get(name, ()))

    def every(self, name: str, dims: Dims = ()) -> list[Fact]:
        """Every occurrence of ``name`` with exactly ``dims``, in document order."""
        index = self._every if self._every is not None else self._every_index()
        return index.get((name, dims), [])

    def _every_index(self) -> MutableMapping[tuple[str, Dims], list[Fact]]:
        if self._every is None:
            self._every = {}
            for f in self.facts:
                self._every.setdefault((f.name, f.dims), []).append(f)
        return self._every

    def replaced(self, changes: Mapping[int, Fact]) -> FactSet:
        """A copy with some facts swapped for others of the same name and dims (``id(old fact) → new``), in
        their places: what a trial change of a figure's value is evaluated on. The indexes are shared with
        this set, copied only for the names that change; the list of every fact is made when asked for."""
        return _Replaced(self, changes)

    def first(self, name: str, dims: Dims = ()) -> Fact | None:
        """The first occurrence of ``name`` with exactly ``dims``."""
        found = self.every(name, dims)
        return found[0] if found else None

    def records(self, collection: str) -> list[Dims]:
        """The distinct dims of facts named ``collection.<field>``, in order of first appearance."""
        if self._records is None:
            self._records = {}
            for f in self.facts:
                if f.dims and "." in f.name:
                    self._records.setdefault(f.name.rsplit(".", 1)[0], {}).setdefault(f.dims, None)
        return list(self._records.get(collection, ()))

    def collections(self) -> set[str]:
        return {f.record for f in self.facts if f.dims}


class _Replaced(FactSet):
    """`FactSet.replaced`'s copy: the changed names over the base set's indexes, not copies of them, so a
    trial costs what it changes; the full list of facts is only made if something walks it."""

    def __init__(self, base: FactSet, changes: Mapping[int, Fact]) -> None:
        self._base = base
        self._changes = changes
        self._facts: list[Fact] | None = None
        self.exhaustive = base.exhaustive
        self._base_every = base._every_index()
        base.records("")  # built once, shared by every copy
        self._records = base._records
        self._changed_every: dict[tuple[str, Dims], list[Fact]] = {}
        for new in changes.values():
            key = (new.name, new.dims)
            self._changed_every[key] = [changes.get(id(f), f) for f in self._base_every.get(key, ())]
        self._names: MutableMapping[str, list[Fact]] | None = None
        self._every = ChainMap(self._changed_every, self._base_every)

    @property  # type: ignore[override]
    def _by_name(self) -> MutableMapping[str, list[Fact]]:
        """The changed names' occurrences over the base set's, made when asked for (by `all`): a changed
        record field has a fact per record, which a trial reading one record's need not copy."""
        if self._names is None:
            changed_by_name = {new.name: [self._changes.get(id(f), f) for f in self._base._by_name.get(new.name, ())]
                               for new in self._changes.values()}
            self._names = ChainMap(changed_by_name, self._base._by_name)
        return self._names

    def every(self, name: str, dims: Dims = ()) -> list[Fact]:
        key = (name, dims)
        changed = self._changed_every.get(key)
        return changed if changed is not None else self._base_every.get(key, [])

    @property  # type: ignore[override]
    def facts(self) -> list[Fact]:
        if self._facts is None:
            self._facts = [self._changes.get(id(f), f) for f in self._base.facts]
        return self._facts
