"""Which figure is probably wrong: the search over a group of findings that share figures.

For a group of failing findings and the k figures they read, in this order:

1. each figure alone (k trials, a few values each): a figure whose change makes every finding of the
   group pass and no rule case that passed fail is the answer — several such figures are reported
   together as equally likely, unless one is a smaller slip of the keys than the others (`typo`);
2. single changes that each explain part of the group and together all of it (two typos in one
   group): chosen from the same k trials, then tried together once;
3. pairs of figures changed together (a change that breaks a passing identity another change mends,
   such as a score and the total it adds up to): at most k × k trials, each change a slip of a key or two;
4. what single changes can explain of a group whose other findings no figure explains (a typo beside a
   wrong word): only changes a slip of a key or two that at least two findings agree on.

A group no stage explains gets no suggestion: its error is not a mistyped figure (a wrong word, a
missing reason) or not one the findings can locate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice, product

from checker.findings import Finding
from checker.model import Location
from checker.suggest.figures import Figure, figure_name, figure_of
from checker.suggest.model import Candidate, Change, Suggestion
from checker.suggest.solve import candidates, fitting
from checker.suggest.trial import Changes, Key, Trial, Trials, key_of
from checker.suggest.typo import PLAUSIBLE, distance, nearest

MAX_LISTED = 4  # equally good candidates named in a suggestion; the rest are counted
MAX_COMBINATIONS = 64  # combinations of equally good changes of the steps of a cover tried together
#: Groups reading more figures than this are not searched: a long sum's finding is explained as well by a
#: slip in any of its parts, so no figure could be named, and trying each costs figures × parts.
MAX_GROUP_FIGURES = 40
CORROBORATED = 2  # findings a change must explain to be suggested for part of a group


@dataclass(frozen=True)
class Option:
    """One figure at one value, and what that alone did (``rank``: the order the value was found in)."""

    figure: Figure
    value: Decimal
    trial: Trial
    explained: frozenset[Key]
    rank: int = 0

    @property
    def safe(self) -> bool:
        return not self.trial.broken

    @property
    def slips(self) -> int:
        return distance(self.figure.quantity.value, self.value, self.figure.quantity.decimals)

    @property
    def plausible(self) -> bool:
        """Whether the change is a slip of a key or two (what a change must be to count only with others)."""
        return self.slips <= PLAUSIBLE

    def better_than(self, other: Option) -> bool:
        """Breaking nothing first, then explaining more, then found first (the finding's own 应为)."""
        return (self.safe, len(self.explained), -self.rank) > (other.safe, len(other.explained), -other.rank)


Choice = dict[Figure, Decimal]


class GroupSearch:
    """The search for one group of findings."""

    def __init__(self, trials: Trials, findings: Sequence[Finding], figures: Mapping[Location, list[Figure]]) -> None:
        self.trials = trials
        self.findings = {key_of(f): f for f in findings}
        self.keys = frozenset(self.findings)
        self.index = figures
        self.figures = _figures(findings, figures)
        self._own = frozenset(self.figures)
        self.values: dict[Figure, list[Decimal]] = {}  # every value tried for each figure alone (`_alone`)
        # what the search did, for the benchmark: figures tried alone, pairs tried (ordered: first, second),
        # and the changes tried afterwards to find the values that fit as well
        self.alone = 0
        self.pairs = 0
        self.seconds = 0  # the most figures a pair's second was chosen among
        self.described = 0

    # ---- the stages
    def run(self) -> list[Suggestion]:
        if len(self.figures) > MAX_GROUP_FIGURES:
            return []
        self.alone = len(self.figures)
        full = self._explaining_alone()
        single = self._suggestion(full, self.keys) if full else None
        if single is not None:
            return [single]
        options = [o for figure in self.figures if (o := self._best(figure)) is not None]
        parts = [o for o in options if o.safe and o.explained and o.plausible]
        covered = self._cover(parts, whole=True)
        if covered:
            return covered
        pairs = self._pairs(options)
        paired = self._suggestion(pairs, self.keys) if pairs else None
        if paired is not None:
            return [paired]
        return self._cover([o for o in parts if len(o.explained) >= CORROBORATED], whole=False)

    def _explaining_alone(self) -> list[Choice]:
        """Each figure whose change alone explains the whole group and breaks nothing, at the first of its
        values that does: the option `_best` would choose for it, found without the whole trial of each
        value that does not (`Trials.settles`) — most groups are settled here."""
        found: list[Choice] = []
        for figure in self.figures:
            if not all(self.trials.reads(key, figure) for key in self.keys):
                continue  # a case that looked none of its facts up fails still, whatever its value
            value = next((v for v in self._alone(figure) if self.trials.settles({figure: v}, self.keys, self.keys)),
                         None)
            if value is not None:
                found.append({figure: value})
        return found

    def _best(self, figure: Figure) -> Option | None:
        """The figure's most explaining value alone, of those solved (`values`): breaking nothing first, then
        explaining the most, then found first."""
        best: Option | None = None
        for rank, value in enumerate(self._alone(figure)):
            trial = self.trials.run({figure: value})
            option = Option(figure, value, trial, trial.explained(self.keys), rank)
            if best is None or option.better_than(best):
                best = option
        return best

    def _alone(self, figure: Figure) -> list[Decimal]:
        """The figure's values solved alone from every finding of the group that reads it (`_values`), solved
        when first asked for: a figure some finding does not read is asked only if no figure explains all."""
        values = self.values.get(figure)
        if values is None:
            values = self.values[figure] = self._values(figure, self.keys, {}, None, plausible=False)
        return values

    def _values(self, figure: Figure, keys: frozenset[Key], changes: Changes, seen: Trial | None,
                plausible: bool) -> list[Decimal]:
        """The figure's values solved from the cases of ``keys`` that read it with ``changes`` made (``seen``:
        their trial, for the cases they broke; ``plausible``: slips of a key or two only), in the order found."""
        values: list[Decimal] = []
        for key in sorted(keys):
            finding = self._finding(key, seen)
            if finding is not None and any(figure.location == e.location for e in finding.locations):
                values.extend(v for v in candidates(self.trials, figure, key, changes) if v not in values)
        if plausible:
            values = [v for v in values if distance(figure.quantity.value, v, figure.quantity.decimals) <= PLAUSIBLE]
        return values

    def _cover(self, options: list[Option], whole: bool) -> list[Suggestion]:
        """Single changes that each break nothing and together explain the group (``whole``) or what of
        it they can: each step takes the change explaining most of what is left (with those explaining
        exactly as much), then the steps' changes are tried together; a change is kept when some
        combination with the other steps' changes explains it all and breaks nothing."""
        remaining = set(self.keys)
        steps: list[tuple[list[Option], frozenset[Key]]] = []
        while remaining:
            gains = [(o, o.explained & remaining) for o in options]
            most = max((len(g) for _, g in gains), default=0)
            if most == 0:
                break
            gain = next(g for _, g in gains if len(g) == most)
            tied = sorted((o for o, g in gains if g == gain), key=lambda o: (o.slips, _place(o.figure.location)))
            steps.append((tied, gain))
            remaining -= gain
        if not steps or (whole and (remaining or len(steps) < 2)):
            return []
        explained = frozenset(self.keys - remaining)
        verified = [combo for combo in islice(product(*(tied for tied, _ in steps)), MAX_COMBINATIONS)
                    if len({o.figure for o in combo}) == len(combo)
                    and self._together({o.figure: o.value for o in combo}, explained)]
        if not verified:
            return []
        out: list[Suggestion] = []
        for i, (_, gain) in enumerate(steps):
            kept = list(dict.fromkeys(combo[i] for combo in verified))
            others = {o.figure: o.value for j, o in enumerate(verified[0]) if j != i}
            suggestion = self._suggestion([{o.figure: o.value} for o in kept], gain, others)
            if suggestion is None:
                return []
            out.append(suggestion)
        return out

    def _together(self, changes: Changes, keys: frozenset[Key]) -> bool:
        """Whether the changes made together explain ``keys`` and break nothing."""
        return self.trials.settles(changes, keys, self.keys)

    def _pairs(self, options: list[Option]) -> list[Choice]:
        """Two figures changed together: the first at a value found alone, the second solved for what is
        left failing (or broke) with the first changed — a figure every one of those findings reads."""
        found: dict[frozenset[Location], Choice] = {}
        for first in sorted((o for o in options if o.plausible), key=lambda o: (-len(o.explained), o.slips)):
            left = (self.keys - first.explained) | first.trial.broken
            unresolved = [self._finding(k, first.trial) for k in sorted(left)]
            if not unresolved or None in unresolved:
                continue
            shared = set.intersection(*({e.location for e in f.locations} for f in unresolved if f is not None))
            seconds = [f for f in _figures(unresolved, self.index) if f.location in shared]  # type: ignore[arg-type]
            self.seconds = max(self.seconds, len(seconds))
            for figure in seconds:
                pair = frozenset((first.figure.location, figure.location))
                if figure.location == first.figure.location or pair in found:
                    continue
                self.pairs += 1
                value = self._second(figure, frozenset(left), first)
                if value is not None:
                    found[pair] = {first.figure: first.value, figure: value}
        return list(found.values())

    def _second(self, figure: Figure, left: frozenset[Key], first: Option) -> Decimal | None:
        """The pair's second figure's value: of those solved for the cases ``left`` with the first changed (a
        slip or two each), the first found that with it explains the whole group and breaks nothing — what
        `_best` would choose, were it kept only then — each value's trial settled by its probes when it can
        be (`Trials.settles`)."""
        changes = {first.figure: first.value}
        for value in self._values(figure, left, changes, first.trial, plausible=True):
            if self.trials.settles({**changes, figure: value}, self.keys, self.keys):
                return value
        return None

    # ---- making the suggestion
    def _suggestion(self, choices: list[Choice], explains: Iterable[Key], others: Changes | None = None
                    ) -> Suggestion | None:
        """The suggestion for choices of changes that each explain ``explains``: the ones that are the
        smallest slips (one, usually), and the others as less likely. None when even the smallest is
        more than a slip of a key or two per figure: a figure that far off was not mistyped, and the
        findings more likely have another cause (a wrong word, a wrong figure elsewhere)."""
        keys = frozenset(explains)
        made = [self._candidate(choice, keys, others or {}) for choice in choices]
        ranked = sorted(made, key=lambda c: (c[1], [_place(ch.location) for ch in c[0].changes]))
        fewest = ranked[0][1]
        if fewest > PLAUSIBLE * len(ranked[0][0].changes):
            return None
        best = [c for c, slips in ranked if slips == fewest]
        rest = [c for c, slips in ranked if slips != fewest]
        return Suggestion(tuple(best[:MAX_LISTED]), tuple(sorted(keys)), more=max(0, len(best) - MAX_LISTED),
                          less_likely=tuple(rest[:MAX_LISTED]))

    def _candidate(self, choice: Choice, keys: frozenset[Key], others: Changes) -> tuple[Candidate, int]:
        """The choice as a candidate (each value settled within the values that fit), and its slips."""
        changes: list[Change] = []
        slips = 0
        for figure, value in sorted(choice.items(), key=lambda item: _place(item[0].location)):
            change, value = self._change(figure, value, {**others, **choice}, keys)
            changes.append(change)
            slips += distance(figure.quantity.value, value, figure.quantity.decimals)
        return Candidate(tuple(changes)), slips

    def _change(self, figure: Figure, value: Decimal, context: Changes, keys: frozenset[Key]
                ) -> tuple[Change, Decimal]:
        """One figure's change: the values that explain as well (the other changes made), the one among
        them that is the smallest slip when there is a single one, and other values that fit apart."""

        def fits(candidate: Decimal) -> bool:
            return self._together({**context, figure: candidate}, keys)

        before = self.trials.tried
        low, high = fitting(fits, figure, value)
        settled = low == high == value
        if not settled and low is not None and high is not None:
            closest = nearest(figure.quantity.value, figure.quantity.decimals, low, high)
            if len(closest) == 1 and fits(closest[0]):
                value, settled = closest[0], True
        apart = [v for v in (self._alone(figure) if figure in self._own else ())
                 if v != value and not (low is not None and high is not None and low <= v <= high) and fits(v)]
        change = Change(figure_name(figure), figure.label, figure.location, figure.text,
                        figure.value_text(value), figure.printed(value), *_range_text(figure, low, high),
                        settled=settled and not apart, also=tuple(figure.value_text(v) for v in apart))
        self.described += self.trials.tried - before
        return change, value

    # ---- helpers
    def _finding(self, key: Key, trial: Trial | None = None) -> Finding | None:
        """The group's finding for a case, or the one a trial's change made."""
        found = self.findings.get(key)
        return found if found is not None or trial is None else trial.findings.get(key)


def _figures(findings: Iterable[Finding], index: Mapping[Location, list[Figure]]) -> list[Figure]:
    """The figures the findings read that a suggestion may change, in document order, each once."""
    seen: dict[tuple, Figure] = {}
    for finding in findings:
        for evidence in finding.locations:
            figure = figure_of(evidence, index)
            if figure is not None:
                seen.setdefault((figure.location, figure.quantity), figure)
    return sorted(seen.values(), key=lambda f: _place(f.location))


def _range_text(figure: Figure, low: Decimal | None, high: Decimal | None) -> tuple[str | None, str | None]:
    """The fitting range as printed (a negative range of a word-signed figure reads the other way)."""
    if not figure.sign_printed and figure.quantity.value < 0:
        low, high = high, low
    return (None if low is None else figure.value_text(low)), (None if high is None else figure.value_text(high))


def _place(location: Location) -> tuple:
    return (location.page or 0, location.line or 0, location.table or 0, location.row or 0, location.paragraph or 0,
            location.cell or 0, location.column or 0)
