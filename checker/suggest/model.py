"""What a suggestion says: the figure(s) probably mistyped, the value each should have, the findings the
change would explain — or, when several figures would do equally well, all of them."""

from __future__ import annotations

from dataclasses import dataclass

from checker.facts.model import Dims
from checker.model import Location


def where(location: Location) -> str:
    """``line 47`` for a text file, the place in words otherwise (``table 2 row 3 cell 4``)."""
    return f"line {location.line}" if location.line is not None else location.describe()


@dataclass(frozen=True)
class Change:
    """One figure and the value it should have, printed as the figure is."""

    figure: str  # the figure's name for people: 社会保障和就业支出（类）
    fact: str  # the fact's name: 一般公共预算.类.决算数[社会保障和就业支出]
    location: Location
    display: str  # the figure as printed: 104.18万元
    value: str  # the value it should have: 104.81 (99.04% for a share)
    replacement: str  # what to print in its place, in its style: 104.81万元
    low: str | None = None  # the lowest and highest values that fit as well (None: no limit found)
    high: str | None = None
    settled: bool = True  # whether the value is singled out: the only one that fits, or the smallest slip
    also: tuple[str, ...] = ()  # other values that fit, apart from the range (a capped 100% beside 111%)

    @property
    def several(self) -> bool:
        """Whether more than one value fits."""
        return not (self.low == self.value == self.high)

    def fits(self) -> str:
        """The values that fit, in words (empty when only the value does)."""
        also = f"{', '.join(self.also)} fit{'s' if len(self.also) == 1 else ''} as well" if self.also else ""
        if not self.several:
            return also
        if self.low is None and self.high is None:
            text = "any value fits"
        elif self.low is None:
            text = f"any value of {self.high} or less fits"
        elif self.high is None:
            text = f"any value of {self.low} or more fits"
        else:
            text = f"any value from {self.low} to {self.high} fits"
        return text + (f"; {also}" if also else "")


@dataclass(frozen=True)
class Candidate:
    """Figures that, changed together to their values, would explain the findings (usually one)."""

    changes: tuple[Change, ...]

    def figures(self) -> str:
        return " and ".join(f"{c.figure} {c.display} ({where(c.location)})" for c in self.changes)

    def values(self) -> str:
        return " and ".join(c.value for c in self.changes)

    def fits(self) -> str:
        notes = [f"{c.figure}: {c.fits()}" if len(self.changes) > 1 else c.fits()
                 for c in self.changes if c.fits()]
        return f" ({'; '.join(notes)})" if notes else ""


@dataclass(frozen=True)
class Suggestion:
    """The likely wrong figure(s) behind a group of findings, linked to the findings it explains.

    One candidate: the change to make. Several: figures that would each explain the findings equally
    well and are as small a slip (``more`` beyond those listed) — named, never chosen among. Changes
    that explain as much but differ from the printed figure by more keystrokes are ``less_likely``,
    and named as such."""

    candidates: tuple[Candidate, ...]
    explains: tuple[tuple[str, Dims], ...]  # the explained findings' rule ids and records
    more: int = 0
    less_likely: tuple[Candidate, ...] = ()  # changes that explain as much, but are larger slips (typo.py)
    findings: tuple[int, ...] = ()  # their indexes among the document's findings, once the run orders them

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    @property
    def applicable(self) -> bool:
        """Whether the fix can be made as it stands: one candidate, and each of its values singled out."""
        return not self.ambiguous and all(c.settled for c in self.candidates[0].changes)

    @property
    def rules(self) -> list[str]:
        """The explained findings' rule ids, each once, in order."""
        return list(dict.fromkeys(rule for rule, _ in self.explains))

    def summary(self) -> str:
        n = len(self.explains)
        return f"{', '.join(self.rules)}; {n} finding{'s' if n != 1 else ''} explained"

    def message(self) -> str:
        if not self.ambiguous:
            best = self.candidates[0]
            text = f"likely wrong: {best.figures()} — {best.values()} would reconcile {self.summary()}{best.fits()}"
        else:
            listed = "; ".join(f"{c.figures()} → {c.values()}{c.fits()}" for c in self.candidates)
            more = f"; and {self.more} more" if self.more else ""
            which = "figures are" if len(self.candidates[0].changes) > 1 else "figure is"
            text = (f"the findings cannot tell which {which} wrong, {len(self.candidates) + self.more} candidates: "
                    f"{listed}{more} — each would reconcile {self.summary()}")
        if self.less_likely:
            text += "; less likely (larger changes): " + "; ".join(f"{c.figures()} → {c.values()}"
                                                                    for c in self.less_likely)
        return text
