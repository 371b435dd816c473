"""Which records an aggregate's filter may keep, answered from indexes before the filter runs on them.

A sum inside a loop over the same kind of records (Σ 其他.年初预算数 where 其他.项目 == 行.项目, for each 行)
would otherwise evaluate its filter records × records times. The parts of a filter that can be answered
without evaluating it — a part that does not read the record, ``record.field == text`` (or ``!=``) from an
index of the field's texts, ``exists(record.field)`` from the fact index — rule records out, or in, exactly
as the filter would; the filter then runs only on the records left undecided.

`RecordFilter` is part of `checker.evaluate.Interpreter`: it uses the interpreter's ``eval``, ``truth``,
``field`` and ``_plan``, its ``facts``, ``bindings`` and ``comparisons``, and the context's index cache.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from checker.facts.model import Dims
from checker.functions import Missing, NotComparable
from checker.interval import DivisionByZero
from dsl import ast


class RecordFilter:
    """The record-filter index of the interpreter (see the module's docstring)."""

    _key_cache: dict[tuple, tuple[dict[str, set[int]], set[int]]]
    facts: Any
    bindings: dict[str, Dims | str]
    comparisons: list[Any]

    def _key_filter(self, expr: ast.Aggregate, records: list[Dims | str]) -> tuple[list[Dims | str], set[int]]:
        """The records a filter may keep, found before the whole filter runs on them: a sum inside a loop
        over the same kind of records stays linear instead of records × records. The filter then runs on
        those exactly as it would on all, so only records it would reject without an error are skipped —
        and those it surely keeps without an error (their places in the list returned, the second item),
        which it need not run on: a part that holds for every record, or a text field's, answered from
        the index. (Such a part looks up only text, which no figure's change can touch.)

        ``a and b``: a record is rejected when the parts before one are surely true for it and that part
        is surely false; ``a or b``: when both sides reject it. A part that does not read the record
        (``t.级次 == "款"``) is evaluated once; ``record.field == text`` is answered from an index of the
        field's texts (a record whose field is missing is never skipped: the filter must raise on it)."""
        condition = expr.where if expr.where is not None else expr.expr if expr.func == "any" else None
        if condition is None or not records or expr.source.strings is not None:  # a list of words: no index
            return records, set()
        found = self._candidates(expr, condition, records)
        if found is None:
            return records, set()
        kept, sure = found
        order = sorted(kept)
        return [records[i] for i in order], {at for at, i in enumerate(order) if i in sure} if sure else set()

    def _candidates(self, expr: ast.Aggregate, condition: ast.Expr, records: list[Dims | str]
                    ) -> tuple[set[int], set[int]] | None:
        """Indexes of the records ``condition`` may hold or fail on (the others it rejects without error),
        and of those the ones it surely holds for without error (``a and b`` whose every part surely holds).
        None: every record may, none surely."""
        if isinstance(condition, ast.Logical) and condition.op == "or":
            left = self._candidates(expr, condition.left, records)
            right = self._candidates(expr, condition.right, records) if left is not None else None
            return None if left is None or right is None else (left[0] | right[0], set())
        alive: set[int] | None = None  # the records every part so far surely holds for (None: all)
        kept: set[int] = set()  # records the filter must judge (a part may raise or hold)
        for part in conjuncts(condition):
            if isinstance(part, ast.Logical) and part.op == "or":
                # what this part rejects is rejected; what it keeps cannot be told true from failing, so the
                # parts after it decide nothing
                maybe = self._candidates(expr, part, records)
                if maybe is None:
                    break
                return kept | _among(alive, maybe[0]), set()
            if mentions_var(part.src, expr.var):
                matches = self._exists_matches(expr, part, records, alive)
                if matches is None:
                    matches = self._key_matches(expr, part, records, alive)
                if matches is None:
                    break
                true, undecided = matches
                kept |= _among(alive, undecided)
                alive = _among(alive, true)
                continue
            holds = self._constant(part)
            if holds is None:
                break
            if not holds:
                return kept, set()
        else:  # every part surely holds for the records still alive
            return None if alive is None else (kept | alive, alive)
        return None if alive is None else (kept | alive, set())

    def _constant(self, part: ast.Expr) -> bool | None:
        """The truth of a part that does not read the record; None when evaluating it fails."""
        mark = len(self.comparisons)
        try:
            return self.truth(part)
        except (Missing, DivisionByZero, NotComparable):
            return None
        finally:
            del self.comparisons[mark:]

    def _exists_matches(self, expr: ast.Aggregate, part: ast.Expr, records: list[Dims | str],
                        alive: set[int] | None) -> tuple[set[int], set[int]] | None:
        """For ``exists(record.field)``: the records (of those still ``alive``) that have the field, surely true;
        the rest surely false, as ``exists`` never raises. (It asks each the filter would have asked.)"""
        if not (isinstance(part, ast.FuncCall) and self._plan(part).exists):
            return None
        ref = part.args[0]
        if not (isinstance(ref, ast.FieldRef) and ref.var == expr.var):
            return None
        every, name = self.facts.every, ref.fact_name
        return {i for i in (range(len(records)) if alive is None else alive)
                if every(name, records[i])}, set()  # type: ignore[arg-type]  (records with dims: see _key_filter)

    def _key_matches(self, expr: ast.Aggregate, part: ast.Expr, records: list[Dims | str],
                     alive: set[int] | None = None) -> tuple[set[int], set[int]] | None:
        """For ``record.field == text``: the records whose field has that text (surely true), and those whose
        field is missing or not text (the filter itself must judge them); the rest are surely false. For
        ``record.field != text`` the other way round: surely true for the records (of those still ``alive``)
        whose field has another text."""
        if not (isinstance(part, ast.Compare) and part.op in ("==", "!=") and part.tolerance is None):
            return None
        for mine, other in ((part.left, part.right), (part.right, part.left)):
            if not (isinstance(mine, ast.FieldRef) and mine.var == expr.var) or mentions_var(other.src, expr.var):
                continue
            mark = len(self.comparisons)
            try:
                value = self.eval(other)
            except (Missing, DivisionByZero, NotComparable):
                return None
            finally:
                del self.comparisons[mark:]
            if not isinstance(value.data, str):
                continue
            by_text, undecided = self._index(expr, mine, records)
            equal = by_text.get(normal_text(value.display), set())
            if part.op == "==":
                return equal, undecided
            among = set(range(len(records))) if alive is None else alive
            return among - equal - undecided, undecided
        return None

    def _index(self, expr: ast.Aggregate, ref: ast.FieldRef, records: list[Dims | str]
               ) -> tuple[dict[str, set[int]], set[int]]:
        """Record indexes by one field's text (compared as `compare` compares texts), and the records whose
        field is missing or not text; built once per collection and field."""
        cache_key = (expr.collection, ref.fact_name, ref.field, len(records))
        if cache_key not in self._key_cache:
            saved = self.bindings
            by_text: dict[str, set[int]] = {}
            undecided: set[int] = set()
            try:
                for i, record in enumerate(records):
                    self.bindings = {ref.var: record}
                    try:
                        value = self.field(ref)
                    except Missing:
                        undecided.add(i)
                        continue
                    if isinstance(value.data, str):
                        by_text.setdefault(normal_text(value.display), set()).add(i)
                    else:
                        undecided.add(i)
            finally:
                self.bindings = saved
            self._key_cache[cache_key] = (by_text, undecided)
        return self._key_cache[cache_key]


def _among(alive: set[int] | None, found: set[int]) -> set[int]:
    """The records of ``found`` that are still alive (``None``: every record is)."""
    return found if alive is None else alive & found


def normal_text(text: str) -> str:
    """A text as comparisons compare it: without spaces."""
    return "".join(text.split())


def conjuncts(expr: ast.Expr) -> list[ast.Expr]:
    """The parts of ``a and b and c`` (the expression itself when it is not a conjunction)."""
    if isinstance(expr, ast.Logical) and expr.op == "and":
        return [*conjuncts(expr.left), *conjuncts(expr.right)]
    return [expr]


#: Names and field paths in an expression's text (``r.类``, ``本年支出``): \w covers Chinese.
_NAME_PATH = re.compile(r"[\w.]+")


@lru_cache(maxsize=4096)  # asked for the same few parts of filters at every record of every loop
def mentions_var(source: str, var: str) -> bool:
    """Whether an expression's text reads the loop variable (then it cannot be decided without a record):
    a name path that is the variable or starts with one of its fields (in this report or last year's)."""
    heads = (var + ".", *(f"{prev}.{var}." for prev in ast.PREVIOUS_HEADS))
    return any(path == var or path.startswith(heads) for path in _NAME_PATH.findall(source))
