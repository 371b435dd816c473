"""Rule-test coverage (``juesuan test --coverage``): which rules the cases exercised, and which branches.

A rule's branches are its assertion (held / failed), its ``when`` guard (true: the rule applied / false: not
applicable) and, when the guard combines conditions with and / or / not, each condition in it (true /
false). A branch is covered when some case evaluated it to that value; a condition the evaluation never
reached (``a and b`` with ``a`` false) is not covered by that case. The interpreter is not changed: the
cases run with a subclass of it that notes the value of the nodes being watched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checker.evaluate import Interpreter
from checker.functions import Value
from dsl import ast
from dsl.compiler import CompiledRule, Program


@dataclass
class Branch:
    """One decision of a rule: ``kind`` is assert, when or condition; ``seen`` the values it took."""

    kind: str
    line: int
    column: int
    source: str
    seen: set[bool] = field(default_factory=set)

    @property
    def outcomes(self) -> tuple[str, str]:
        return ("held", "failed") if self.kind == "assert" else ("true", "false")

    @property
    def missing(self) -> tuple[str, ...]:
        """The outcomes no case reached (``held``/``failed``, or ``true``/``false``)."""
        return tuple(word for value, word in zip((True, False), self.outcomes, strict=True) if value not in self.seen)

    def to_json(self) -> dict:
        yes, no = self.outcomes
        return {"kind": self.kind, "line": self.line, "column": self.column, "source": self.source,
                yes: True in self.seen, no: False in self.seen}


@dataclass
class RuleCoverage:
    """A rule of a tested file: how many case results named it, and its branches."""

    id: str
    file: str
    line: int
    end_line: int
    branches: list[Branch]
    cases: int = 0

    @property
    def exercised(self) -> bool:
        """Some case decided the rule (its assertion held or failed)."""
        return bool(self.branches[0].seen)

    @property
    def covered(self) -> int:
        return sum(len(b.seen) for b in self.branches)

    @property
    def total(self) -> int:
        return 2 * len(self.branches)

    def gaps(self) -> list[str]:
        """What is not covered, in words: ``not named by any case``, ``when …: never false`` …"""
        if self.cases == 0:
            return ["no case names it"]
        if not self.exercised and not any(b.seen for b in self.branches[1:]):
            return ["never decided (every case left it not evaluated)"]
        out = []
        for branch in self.branches:
            if branch.missing:
                what = "assert" if branch.kind == "assert" else (
                    f"when {branch.source}" if branch.kind == "when" else f"condition {branch.source} "
                    f"({branch.line}:{branch.column})")
                out.append(f"{what}: never {' nor '.join(branch.missing)}")
        return out

    def to_json(self) -> dict:
        return {"id": self.id, "line": self.line, "end_line": self.end_line, "cases": self.cases,
                "exercised": self.exercised, "covered": self.covered, "branches_total": self.total,
                "branches": [b.to_json() for b in self.branches]}


def branches_of(rule: CompiledRule) -> list[tuple[ast.Expr, Branch]]:
    """The nodes to watch and their branches: the assertion first, then the guard and its conditions."""
    out = [(rule.assertion, Branch("assert", rule.line, rule.column, _short(rule.assertion.src)))]
    if rule.guard is not None:
        out.append((rule.guard, Branch("when", rule.guard.line, rule.guard.column, _short(rule.guard.src))))
        leaves = list(_conditions(rule.guard))
        if len(leaves) > 1 or isinstance(rule.guard, ast.Not):
            out.extend((leaf, Branch("condition", leaf.line, leaf.column, _short(leaf.src))) for leaf in leaves)
    return out


def _conditions(expr: ast.Expr) -> Iterable[ast.Expr]:
    """The conditions ``and``, ``or`` and ``not`` combine, left to right."""
    if isinstance(expr, ast.Logical):
        yield from _conditions(expr.left)
        yield from _conditions(expr.right)
    elif isinstance(expr, ast.Not):
        yield from _conditions(expr.operand)
    else:
        yield expr


def _short(source: str, width: int = 60) -> str:
    text = " ".join(source.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class CoverageRecorder:
    """Watches the branches of the rules evaluated through `interpreter`, across cases and programs."""

    def __init__(self) -> None:
        self.rules: dict[tuple[str, str], RuleCoverage] = {}
        self._watched: dict[int, set[bool]] = {}
        self._registered: set[tuple[int, str]] = set()
        self._programs: list[Program] = []  # kept alive: the watched nodes are known by their id
        recorder = self

        class Recording(Interpreter):
            def eval(self, expr: ast.Expr) -> Value:
                value = super().eval(expr)
                seen = recorder._watched.get(id(expr))
                if seen is not None:
                    seen.add(bool(value.data))
                return value

        self.interpreter: type[Interpreter] = Recording

    def watch(self, program: Program, rule: CompiledRule) -> RuleCoverage:
        """Start watching ``rule`` of ``program`` (once per program); its coverage, shared across programs."""
        key = (str(Path(rule.file).resolve()), rule.id)
        found = self.rules.get(key)
        pairs = branches_of(rule)
        if found is None:
            end = rule.line + rule.source.rstrip().count("\n")
            found = self.rules[key] = RuleCoverage(rule.id, rule.file, rule.line, end, [b for _, b in pairs])
        if (id(program), rule.id) not in self._registered:
            self._registered.add((id(program), rule.id))
            self._programs.append(program)
            for (node, _), branch in zip(pairs, found.branches, strict=True):
                self._watched[id(node)] = branch.seen
        return found

    def named(self, program: Program, rule_id: str) -> None:
        """A case is about to evaluate ``rule_id`` through the recording interpreter: watch it, count the case."""
        self.watch(program, program.rule(rule_id)).cases += 1

    def report(self, rule_files: Iterable[tuple[Path, Program]]) -> CoverageReport:
        """The coverage of the rules defined in each tested file (not those it imports)."""
        files = []
        for rule_file, program in rule_files:
            own = rule_file.resolve()
            rules = [self.watch(program, r) for r in program.rules if Path(r.file).resolve() == own]
            files.append(FileCoverage(str(rule_file), rules))
        return CoverageReport(files)


@dataclass
class FileCoverage:
    file: str
    rules: list[RuleCoverage]

    @property
    def exercised(self) -> int:
        return sum(1 for r in self.rules if r.exercised)

    @property
    def covered(self) -> int:
        return sum(r.covered for r in self.rules)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rules)


@dataclass
class CoverageReport:
    files: list[FileCoverage]

    @property
    def rules(self) -> list[RuleCoverage]:
        return [r for f in self.files for r in f.rules]

    def percent(self) -> float:
        total = sum(f.total for f in self.files)
        return 100.0 if total == 0 else 100.0 * sum(f.covered for f in self.files) / total

    def render(self, shown=str) -> str:
        """A line per tested file, then what each of its rules leaves uncovered; the totals last.
        ``shown`` turns a path into what is printed."""
        out = ["coverage report (rules exercised; branches of assert, when and its conditions):"]
        for f in self.files:
            share = 100.0 if f.total == 0 else 100.0 * f.covered / f.total
            out.append(f"  {shown(f.file)}: {f.exercised}/{len(f.rules)} rules exercised, branches "
                       f"{f.covered}/{f.total} ({share:.1f}%)")
            for rule in f.rules:
                out.extend(f"    {rule.id}:{rule.line}: {gap}" for gap in rule.gaps())
        rules = self.rules
        out.append(f"  total: {sum(1 for r in rules if r.exercised)}/{len(rules)} rules exercised, branches "
                   f"{sum(r.covered for r in rules)}/{sum(r.total for r in rules)} ({self.percent():.1f}%)")
        return "\n".join(out)

    def to_json(self, shown=str) -> dict:
        """Like ``opa test --coverage``: per file, its rules, their branches and the lines covered (the lines
        of the rules some case decided) and not covered."""
        files = {}
        for f in self.files:
            covered = [[r.line, r.end_line] for r in f.rules if r.exercised]
            missed = [[r.line, r.end_line] for r in f.rules if not r.exercised]
            files[shown(f.file)] = {"rules": [r.to_json() for r in f.rules], "covered_lines": covered,
                                    "not_covered_lines": missed, "rules_exercised": f.exercised,
                                    "branches_covered": f.covered, "branches_total": f.total}
        return {"files": files, "coverage": round(self.percent(), 2)}
