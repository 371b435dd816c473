"""Trying a change: the document's facts with some figures given other values, and the rules that read
those figures evaluated again against what they found before.

Only the rules that read a changed figure's facts are evaluated again, and of those only the cases that
looked the facts up (recorded once per rule, from the facts each case asked the document for); a rule
reading a changed fact through a derived value is evaluated whole. Every other case stays as it was. A
trial says which cases of those rules fail now, and which of them *broke*: failing, or no longer
evaluable, where they were not before.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from checker.compiled import TruthFn
from checker.evaluate import Comparison, Context, Probe, Result, RuleOutcome, RuleRunner
from checker.facts.model import Dims, Fact, FactSet
from checker.findings import Finding
from checker.functions import Value
from checker.quantity import Quantity
from checker.suggest.figures import Figure
from dsl import ast
from dsl.compiler import CompiledRule, Program

#: A finding's case: the rule and the record (``()`` for a rule without a loop).
Key = tuple[str, Dims]
#: Figures and the values they are given in a trial.
Changes = Mapping[Figure, Decimal]


def key_of(finding: Finding) -> Key:
    return finding.rule_id, finding.record


@dataclass(frozen=True)
class Trial:
    """What the rules reading the changed figures found with the change."""

    checked: frozenset[str]
    failing: frozenset[Key]
    broken: frozenset[Key]
    #: The findings of the cases that broke (and of any whole rule evaluated): a case failing before needs none.
    findings: Mapping[Key, Finding] = field(default_factory=dict, compare=False)

    def explained(self, keys: Iterable[Key]) -> frozenset[Key]:
        """Which of ``keys`` (cases that failed before) pass now."""
        return frozenset(k for k in keys if k[0] in self.checked and k not in self.failing)


#: A fact looked up: its name and dims (None: every occurrence of the name, whatever its dims).
Lookup = tuple[str, Dims | None]


class _Recording(FactSet):
    """The document's facts, noting every lookup of a name that has figures while ``log`` is a set: a trial
    changes figures only, and half the lookups are of texts (the records' names a filter compares)."""

    def __init__(self, base: FactSet) -> None:
        # The indexes built first, so that this copy and the base (the trials' facts) share them.
        base._every_index()
        base.records("")
        self.__dict__.update(base.__dict__)
        self.log: set[Lookup] | None = None
        self.figured = {f.name for f in base.facts if isinstance(f.value, Quantity)}

    def every(self, name: str, dims: Dims = ()) -> list[Fact]:
        key = (name, dims)
        if self.log is not None and name in self.figured:
            self.log.add(key)
        return self._every.get(key, [])  # type: ignore[union-attr]  (built in __init__)

    def all(self, name: str) -> list[Fact]:
        if self.log is not None and name in self.figured:
            self.log.add((name, None))
        return super().all(name)


class CaseLookups(Mapping[str, dict[Lookup, set[Dims]]]):
    """For each rule the cases that looked each fact up, from the lookups each case made (as
    `LookupRecorder` notes them): a rule's are gathered when a trial first asks for them — the trials
    ask for the few rules that read a changed figure, and gathering every rule's costs the evaluation
    a tenth more."""

    def __init__(self) -> None:
        #: Each rule's cases in order, with the lookups each made.
        self.logs: dict[str, list[tuple[Dims, set[Lookup]]]] = {}
        self._gathered: dict[str, dict[Lookup, set[Dims]]] = {}

    def __getitem__(self, rule_id: str) -> dict[Lookup, set[Dims]]:
        found = self._gathered.get(rule_id)
        if found is None:
            logs = self.logs[rule_id]
            found = self._gathered[rule_id] = {}
            for record, log in logs:
                for item in log:
                    found.setdefault(item, set()).add(record)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.logs)

    def __len__(self) -> int:
        return len(self.logs)


class LookupRecorder(RuleRunner):
    """A runner that notes, for every case it evaluates, the facts the case looked up: pass it to
    `checker.evaluate.evaluate` and its ``lookups`` spare the trials a pass over each rule of their own.
    A derived value is computed once, so its lookups belong to no case (see `Trials`)."""

    def __init__(self, program: Program, context: Context) -> None:
        self.recording = _Recording(context.facts)
        super().__init__(program, context.over(self.recording))
        self.lookups = CaseLookups()
        #: Each failing case as probing it would find it (`RuleRunner.probe`): the comparisons its finding was
        #: made from, so that the trials need not evaluate each finding again before changing anything.
        self.failing: dict[Key, Probe] = {}

    def _case(self, rule: CompiledRule, bindings: Mapping[str, Dims | str], record: Dims,
              outcome: RuleOutcome, finding: bool = True, rest: Sequence[ast.Expr] | None = None) -> None:
        log = self.recording.log = set()
        try:
            super()._case(rule, bindings, record, outcome, finding, rest)
        finally:
            self.recording.log = None
            self._note(rule.id, record, log)

    def _decided(self, rule: CompiledRule, record: Dims, var: str, guard_holds: TruthFn | None,
                 assertion_holds: TruthFn, outcome: RuleOutcome) -> bool:
        recording = self.recording
        log = recording.log = set()
        try:  # the plain runner's, named directly: this runs for every case of every loop
            decided = RuleRunner._decided(self, rule, record, var, guard_holds, assertion_holds, outcome)
        finally:
            recording.log = None
        if decided:  # a case not decided here is evaluated again by `_case`, which notes its lookups
            self._note(rule.id, record, log)
        return decided

    def _note(self, rule_id: str, record: Dims, log: set[Lookup]) -> None:
        logs = self.lookups.logs.get(rule_id)
        if logs is None:
            logs = self.lookups.logs[rule_id] = []
        logs.append((record, log))

    def _finding(self, rule: CompiledRule, verdict: Value, comparisons: list[Comparison], record: Dims,
                 guard: Value | None = None) -> Finding:
        # Taken before the finding is made: its message's placeholders are evaluated into the same list.
        self.failing[(rule.id, record)] = Probe(True, False, tuple(comparisons))
        return super()._finding(rule, verdict, comparisons, record, guard)


class Trials:
    """Evaluates changes of figures for one document, remembering what it has already tried."""

    def __init__(self, program: Program, context: Context, result: Result,
                 selected: Callable[[str], bool] = lambda _: True,
                 lookups: Mapping[str, dict[Lookup, set[Dims]]] | None = None,
                 failing: Mapping[Key, Probe] | None = None) -> None:
        self.program = program
        self.context = context
        self.rules = {r.id: r for r in program.rules if selected(r.id)}
        readers = _readers_of(program, tuple(self.rules))
        self._order = readers.order
        self._readers = readers.readers
        self._through_derived = readers.through_derived
        self._read = readers.read
        self._recorded = lookups or {}  # asked only for the rules a trial reaches (`CaseLookups`)
        self._lookups: dict[str, dict[Lookup, set[Dims]] | None] = {}
        self._recorder: LookupRecorder | None = None
        self.before: dict[str, set[Key]] = {}
        for item in (*result.findings, *result.not_evaluated):
            self.before.setdefault(item.rule_id, set()).add((item.rule_id, item.record))
        self._trials: dict[frozenset, Trial] = {}
        self._reached: dict[frozenset[Figure], list[tuple[CompiledRule, set[Dims] | None]]] = {}
        self._broke: dict[Figure, set[str]] = {}  # the rules a change of each figure broke (`settles`)
        #: For changes `settles` answered without a trial, each rule's failing cases where none broke (their
        #: trial, if asked for after all, evaluates only the others).
        self._settled: dict[frozenset, dict[str, set[Key]]] = {}
        #: Each figure's facts at each value tried, made once (a value is tried with several others) and kept
        #: alive: the shared value cache is keyed by fact ids.
        self._patches: dict[tuple[Figure, Decimal], dict[int, Fact]] = {}
        self._runners: dict[frozenset, RuleRunner] = {}
        self._probes: dict[tuple[Key, frozenset], tuple[Probe, bool]] = {}  # and whether traced
        self._reads: dict[tuple[str, Figure], set[Dims] | None] = {}  # the cases of a rule reading a figure
        self._reads_value: dict[tuple[int, int, frozenset[str]], bool] = {}  # (`reads_value`)
        for key, probe in (failing or {}).items():
            self._probes[(key, frozenset())] = (probe, True)
        self.evaluations = 0  # rule cases (or whole rules) evaluated by trials, for the benchmark
        self.probes = 0  # single cases evaluated to solve for values

    def readers(self, figures: Iterable[Figure]) -> list[CompiledRule]:
        """The rules that read any of the figures' facts, in program order."""
        ids = {rule_id for figure in figures for name in figure.names for rule_id in self._readers.get(name, ())}
        return [self.rules[rule_id] for rule_id in sorted(ids, key=self._order.__getitem__)]

    def runner(self, changes: Changes, key: frozenset | None = None) -> RuleRunner:
        """An evaluator over the facts with the changes made (kept for a few changes at a time); ``key``: the
        changes' `_key`, when the caller has it."""
        key = _key(changes) if key is None else key
        runner = self._runners.get(key)
        if runner is None:
            if len(self._runners) >= 32:
                self._runners.clear()
            patch: dict[int, Fact] = {}
            for figure, value in changes.items():
                made = self._patches.get((figure, value))
                if made is None:
                    made = self._patches[(figure, value)] = figure.with_value(value)
                patch.update(made)
            facts = self.context.facts.replaced(patch) if patch else self.context.facts
            runner = self._runners[key] = RuleRunner(self.program, self.context.over(facts))
        return runner

    @property
    def facts(self) -> FactSet:
        return self.context.facts

    def probe(self, key: Key, changes: Changes, traced: bool = True) -> Probe:
        """One case evaluated with the changes, with its comparisons' values (``traced``: and their traces,
        for what they read); evaluated once per case and changes (a case is probed again for each figure of
        its group, and the search steps may land on a value already tried), as the same facts give the same
        probe — a traced one answering for an untraced one too."""
        changed = _key(changes)
        memo = (key, changed)
        found = self._probes.get(memo)
        if found is not None and (found[1] or not traced):
            return found[0]
        if changed:
            # A figure whose facts the rule never names cannot change the case; and a case that looked none
            # of the changed facts up computes what it did as printed (as a trial takes a case it did not
            # reach to be). Either is probed as the changes that can matter to it — often probed already.
            read = self._read[key[0]]
            kept = {figure: value for figure, value in changes.items() if not read.isdisjoint(figure.names)}
            if not any(self.reads(key, figure) for figure in kept):
                kept = {}
            if len(kept) < len(changes):
                probe = self.probe(key, kept, traced)
                self._probes[memo] = (probe, traced)
                return probe
        self.probes += 1
        probe = self.runner(changes, changed).probe(self.rules[key[0]], key[1], traced)
        self._probes[memo] = (probe, traced)
        return probe

    def reads(self, key: Key, figure: Figure) -> bool:
        """Whether the case looked one of the figure's facts up (or its rule is evaluated whole)."""
        memo = (key[0], figure)
        if memo not in self._reads:
            self._reads[memo] = self._cases(self.rules[key[0]], (figure,), set(figure.names))
        cases = self._reads[memo]
        return cases is None or key[1] in cases

    def reads_value(self, expr: ast.Expr | None, names: frozenset[str], skip: ast.Expr | None = None) -> bool:
        """Whether evaluating ``expr`` (a rule's, alive as long as the program) may read the value of a fact
        of ``names`` — other than within ``skip``, or whether it exists; a derived value may read any."""
        if expr is None:
            return False
        memo = (id(expr), id(skip), names)
        found = self._reads_value.get(memo)
        if found is None:
            found = self._reads_value[memo] = _reads_value(expr, names, skip)
        return found

    @property
    def tried(self) -> int:
        """How many different changes have been tried."""
        return len(self._trials)

    def run(self, changes: Changes) -> Trial:
        """Every rule reading a changed figure, evaluated with the changes."""
        memo = _key(changes)
        if memo in self._trials:
            return self._trials[memo]
        runner = self.runner(changes, memo)
        checked: set[str] = set()
        failing: set[Key] = set()
        broken: set[Key] = set()
        found: dict[Key, Finding] = {}
        settled = self._settled.pop(memo, {})
        for rule, cases in self._reach(frozenset(changes)):
            before = self.before.get(rule.id, _NONE)
            fails = settled.get(rule.id)
            if fails is None:
                fails = self._fails(runner, rule, cases, before, memo, found)
            checked.add(rule.id)
            failing |= fails
            broke = [k for k in fails if k not in before]
            if broke:
                broken.update(broke)
                self._note_broken(changes, rule.id)
        trial = self._trials[memo] = Trial(frozenset(checked), frozenset(failing), frozenset(broken), found)
        return trial

    def _fails(self, runner: RuleRunner, rule: CompiledRule, cases: set[Dims] | None, before: set[Key],
               memo: frozenset, found: dict[Key, Finding] | None = None) -> set[Key]:
        """The rule's failing cases with the changes (``cases``: those to evaluate again, None: all; ``memo``:
        the changes' key); the findings of the cases that broke into ``found`` (None: none made)."""
        fails: set[Key] = set()
        if cases is None:
            self.evaluations += 1
            outcome = runner.run(rule)
        else:
            # A case that failed before and fails still breaks nothing: its finding is never asked for,
            # and one already probed with these changes (the solver's last step) is not evaluated again.
            known = {k[1] for k in before} if found is not None else cases
            fails.update(k for k in before if k[1] not in cases)
            probed, failed = self._probed(rule, cases, known, memo)
            fails.update((rule.id, record) for record in failed)
            todo = cases - probed
            if not todo:
                return fails
            self.evaluations += len(todo)
            outcome = runner.run_cases(rule, todo, known)
            fails.update((rule.id, record) for record in outcome.failed)
        for finding in outcome.findings:
            key = (rule.id, finding.record)
            fails.add(key)
            if found is not None:
                found[key] = finding
        fails.update((rule.id, n.record) for n in outcome.not_evaluated)
        return fails

    def _reach(self, figures: frozenset[Figure]) -> list[tuple[CompiledRule, set[Dims] | None]]:
        """The rules reading the figures' facts, in program order, each with the cases that looked one up
        (None: the rule is evaluated whole); the same for every value the figures are tried at."""
        found = self._reached.get(figures)
        if found is None:
            names = {n for figure in figures for n in figure.names}
            found = self._reached[figures] = [(rule, self._cases(rule, figures, names))
                                              for rule in self.readers(figures)]
        return found

    def settles(self, changes: Changes, keys: frozenset[Key], group: Iterable[Key]) -> bool:
        """Whether the changes make every case of ``keys`` (of the ``group``'s) pass and break nothing: what
        their trial would say, found at less cost when it is no. Not yet tried, the cases of ``keys`` are
        probed first (one still failing settles it: half the values a fitting range is searched with), then
        the rules the changes reach are evaluated one by one — the first case broken settles it — their
        failing cases only noted, no finding made; the probes of those that pass are used as a trial uses
        them (`_probed`)."""
        memo = _key(changes)
        trial = self._trials.get(memo)
        if trial is not None:
            return not trial.broken and keys <= trial.explained(group)
        if not keys <= frozenset(group):
            return False
        for key in sorted(keys):
            probe = self.probe(key, changes, traced=False)
            if probe.applies and probe.holds is not True:
                return False
        runner = self.runner(changes, memo)
        settled = self._settled.setdefault(memo, {})
        checked: set[str] = set()
        for rule, cases in self._likely_broken_first(changes):
            checked.add(rule.id)
            if rule.id in settled:
                fails = settled[rule.id]
            else:
                before = self.before.get(rule.id, _NONE)
                fails = self._fails(runner, rule, cases, before, memo)
                if any(k not in before for k in fails):
                    self._note_broken(changes, rule.id)
                    return False
                if cases is not None:  # a rule evaluated whole has findings its trial keeps
                    settled[rule.id] = fails
            if not keys.isdisjoint(fails):
                return False
        return all(k[0] in checked for k in keys)

    def _likely_broken_first(self, changes: Changes) -> list[tuple[CompiledRule, set[Dims] | None]]:
        """The rules the changes reach (`_reach`), those that broke with another value of a changed figure
        first: a change that breaks something usually breaks what its figure's other values broke."""
        reach = self._reach(frozenset(changes))
        broke = set().union(*(self._broke.get(figure, ()) for figure in changes))
        if not broke:
            return reach
        return [r for r in reach if r[0].id in broke] + [r for r in reach if r[0].id not in broke]

    def _note_broken(self, changes: Changes, rule_id: str) -> None:
        for figure in changes:
            self._broke.setdefault(figure, set()).add(rule_id)

    def _probed(self, rule: CompiledRule, cases: set[Dims], known: set[Dims], memo: frozenset
                ) -> tuple[set[Dims], list[Dims]]:
        """The ``cases`` of ``known`` already probed with the same changes (``memo``: their key), and those of
        them that fail there: a probe decides a case as evaluating it would (its guard by `truth`, the
        same errors), and a case of ``known`` needs no finding."""
        probed: set[Dims] = set()
        failing: list[Dims] = []
        for record in cases & known:
            found = self._probes.get(((rule.id, record), memo))
            if found is not None:
                probed.add(record)
                if found[0].applies and found[0].holds is not True:
                    failing.append(record)
        return probed, failing

    def _cases(self, rule: CompiledRule, figures: Iterable[Figure], names: set[str]) -> set[Dims] | None:
        """The cases of ``rule`` that looked up a changed fact (``names``: the changed facts' names); None:
        evaluate the rule whole."""
        if not self._through_derived[rule.id].isdisjoint(names):
            return None
        lookups = self._case_lookups(rule)
        if lookups is None:
            return None
        cases: set[Dims] = set()
        for figure in figures:
            for fact in figure.facts:
                cases.update(lookups.get((fact.name, fact.dims), ()))
                cases.update(lookups.get((fact.name, None), ()))
        return cases

    def _case_lookups(self, rule: CompiledRule) -> dict[Lookup, set[Dims]] | None:
        """For each fact the rule's cases looked up in the document as printed, those cases (None: the
        rule has no cases)."""
        if rule.id not in self._lookups:
            found = self._recorded.get(rule.id)
            if found is None:
                if self._recorder is None:  # one for every rule the check did not record
                    self._recorder = LookupRecorder(self.program, self.context)
                recorder = self._recorder
                if recorder.cases(rule) is not None:
                    recorder.run(rule)
                    found = recorder.lookups.get(rule.id, {})
            self._lookups[rule.id] = found
        return self._lookups[rule.id]


_NONE: set[Key] = set()  # no case failed before (never changed)


@dataclass(frozen=True)
class _Readers:
    """Which of a program's rules (those a check ran) read which facts: the same for every document."""

    order: dict[str, int]  # each rule's place in the program
    readers: dict[str, list[str]]  # the rules that may read each fact name, in program order
    through_derived: dict[str, set[str]]  # the names each rule reads through derived values
    read: dict[str, frozenset[str]]  # every fact name each rule may read


_READERS: dict[int, dict[tuple[str, ...], _Readers]] = {}
_SELECTIONS = 8  # the selections of rules kept per program (a run checks most documents with one)


def _readers_of(program: Program, rule_ids: tuple[str, ...]) -> _Readers:
    """`_Readers` for the program's rules ``rule_ids`` (in program order), worked out once per program and
    selection."""
    kept = _READERS.get(id(program))
    if kept is None:
        kept = _READERS[id(program)] = {}
        weakref.finalize(program, _READERS.pop, id(program), None)
    found = kept.get(rule_ids)
    if found is None:
        if len(kept) >= _SELECTIONS:
            kept.clear()
        rules = {r.id: r for r in program.rules}
        found = kept[rule_ids] = _Readers({rule_id: i for i, rule_id in enumerate(rule_ids)}, {}, {}, {})
        for rule_id in rule_ids:
            derived = _derived_names(program, rules[rule_id])
            read = found.read[rule_id] = frozenset({*rules[rule_id].facts, *derived})
            for name in read:
                found.readers.setdefault(name, []).append(rule_id)
            found.through_derived[rule_id] = derived
    return found


def _key(changes: Changes) -> frozenset:
    """What identifies a set of changes: each figure (its place and number) and its value."""
    return frozenset(changes.items())


def _reads_value(expr: ast.Expr, names: frozenset[str], skip: ast.Expr | None) -> bool:
    if expr is skip:
        return False
    if isinstance(expr, ast.DerivedRef):
        return True
    if isinstance(expr, ast.FactRef):
        return expr.name in names
    if isinstance(expr, ast.FieldRef):
        return expr.fact_name in names
    if isinstance(expr, ast.PreviousRef):
        return False  # last year's report's figure, which no change touches
    if isinstance(expr, ast.FuncCall) and expr.func == "exists":
        return False
    return any(_reads_value(child, names, skip) for child in ast.children(expr))


def _derived_names(program: Program, rule: CompiledRule) -> set[str]:
    """The fact and collection names a rule reads through derived values (a derived value is computed
    once per evaluation, so which case read its facts is not recorded: such a rule is evaluated whole)."""
    names: set[str] = set()
    seen: set[str] = set()
    pending = list(rule.derived)
    while pending:
        name = pending.pop()
        if name in seen or name not in program.derived:
            continue
        seen.add(name)
        derived = program.derived[name]
        names.update(derived.facts)
        pending.extend(derived.derived)
    return names
