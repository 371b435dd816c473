"""Rule tests: small example disclosures kept next to a rule file, with the verdict each rule must reach.

Beside ``X.rules`` an author keeps ``X.tests.toml``::

    [[case]]
    name = "三公合计与分项一致"       # optional; default "case N"
    rules = ["SG-001"]               # the rule(s) the case is about (a string for one)
    expect = "pass"                  # pass | fail | not-evaluated | not-applicable
    expect_count = 1                 # optional: findings of each listed rule
    expect_message = "分项之和"       # optional: text in a finding's message (or a not-evaluated reason)
    document = \"\"\"
    九、财政拨款“三公”经费支出决算情况说明
    2024年度财政拨款“三公”经费支出39.55万元……
    \"\"\"

or, for pure logic, ``facts = [{name = "三公经费.合计", value = "39.55万元"}, …]`` (with optional
``dims = {类 = "…"}``) instead of ``document``. A document goes through the real pipeline
(`document_from_text` + `extract_facts`, the same extraction `juesuan check` uses); the rule
file is compiled with everything it imports, against the built-in vocabulary plus any extra
vocabulary files. Every rule of a tested rule file should have at least one case expecting
``pass`` and one expecting ``fail``; `RuleTestReport.gaps` lists those that do not.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.coverage import CoverageRecorder, CoverageReport
from checker.errors import JuesuanError
from checker.evaluate import Context, RuleOutcome, evaluate_rule
from checker.facts.model import Dims, Fact, FactSet, FactValue
from checker.model import Location
from checker.pipeline import document_from_text, extract_facts
from checker.previous import as_previous
from checker.quantity import DIRECTION_WORDS, DateValue, Direction, find_dates, parse_quantity, parse_target
from checker.rulepacks import BUILTIN_PACKS, RULE_SUFFIX, compile_rules, rules_root
from checker.vocabulary import Vocabulary, load_vocabulary
from dsl.compiler import Program
from dsl.diagnostics import did_you_mean

TESTS_SUFFIX = ".tests.toml"
VERDICTS = ("pass", "fail", "not-evaluated", "not-applicable")
CASE_KEYS = {"name", "rules", "expect", "expect_count", "expect_message", "document", "facts", "previous",
             "previous_facts"}
FACT_KEYS = {"name", "value", "dims"}
NUMERIC_KINDS = ("money", "percent", "count", "number")


class RuleTestError(JuesuanError):
    """A tests file that cannot be run: bad TOML, an unknown key or verdict, a rule that does not exist."""


@dataclass(frozen=True)
class Case:
    """One ``[[case]]`` of a tests file."""

    file: Path
    index: int
    name: str
    rules: tuple[str, ...]
    expect: str
    expect_count: int | None = None
    expect_message: str | None = None
    document: str | None = None
    facts: tuple[dict, ...] | None = None
    #: Last year's report, for rules reading ``上年报告.…``: a disclosure text, or facts.
    previous: str | None = None
    previous_facts: tuple[dict, ...] | None = None

    @property
    def label(self) -> str:
        return f"{self.file.name}:{self.name}"

    def example(self) -> str:
        """The case's input as a reader should see it: the document, or one ``name = value`` per fact (and
        last year's report after it, when the case has one)."""
        text = _shown(self.document, self.facts)
        if self.previous is not None or self.previous_facts is not None:
            text += "\n上年报告:\n" + _shown(self.previous, self.previous_facts)
        return text


def _shown(document: str | None, facts: tuple[dict, ...] | None) -> str:
    if document is not None:
        return document.strip("\n")
    lines = []
    for entry in facts or ():
        dims = entry.get("dims") or {}
        where = f"[{', '.join(f'{k}={v}' for k, v in dims.items())}]" if dims else ""
        lines.append(f"{entry['name']}{where} = {entry['value']}")
    return "\n".join(lines)


@dataclass(frozen=True)
class CaseResult:
    """The verdict of one rule in one case."""

    case: Case
    rule_id: str
    got: str
    problems: tuple[str, ...] = ()  # unmet expect_count / expect_message
    messages: tuple[str, ...] = ()  # the findings' messages and the not-evaluated reasons

    @property
    def ok(self) -> bool:
        return self.got == self.case.expect and not self.problems

    @property
    def expected(self) -> str:
        return self.case.expect

    def render(self) -> str:
        """``PASS file:case rule (verdict)``, or ``FAIL … expected X got Y`` with the findings' messages."""
        if self.ok:
            return f"PASS {self.case.label} {self.rule_id} ({self.got})"
        lines = [f"FAIL {self.case.label} {self.rule_id} expected {self.expected} got {self.got}"]
        lines.extend(f"  {p}" for p in self.problems)
        lines.extend(f"  | {m}" for m in self.messages)
        return "\n".join(lines)


@dataclass(frozen=True)
class CoverageGap:
    """A rule without a case expecting ``pass`` or without one expecting ``fail``."""

    rule_id: str
    file: str
    line: int
    missing: tuple[str, ...]

    def render(self) -> str:
        what = " and ".join(f"no case expecting {m}" for m in self.missing)
        return f"{shown_path(self.file)}:{self.line}: {self.rule_id} has {what}"


@dataclass
class RuleTestReport:
    results: list[CaseResult] = field(default_factory=list)
    gaps: list[CoverageGap] = field(default_factory=list)
    #: which rules and branches the cases exercised (``check_rule_tests(..., coverage=True)``)
    coverage: CoverageReport | None = None

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.ok]

    def summary(self) -> str:
        passed = len(self.results) - len(self.failed)
        text = f"{passed} passed, {len(self.failed)} failed"
        if self.gaps:
            text += f"; {len(self.gaps)} rule{'s' if len(self.gaps) != 1 else ''} not fully covered"
        return text


# ---- finding rule and tests files ----------------------------------------------------------

def shown_path(path: Path | str) -> str:
    """A path relative to the working folder when it lies inside it, else as given."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def tests_file_for(rule_file: Path) -> Path:
    return rule_file.with_name(rule_file.name[: -len(RULE_SUFFIX)] + TESTS_SUFFIX)


def rule_file_for(tests_file: Path) -> Path:
    return tests_file.with_name(tests_file.name[: -len(TESTS_SUFFIX)] + RULE_SUFFIX)


def builtin_test_paths(packs: Sequence[str] = BUILTIN_PACKS) -> list[Path]:
    """The folders of the built-in packs (their ``.rules`` files and the tests beside them)."""
    return [rules_root() / pack for pack in packs]


def discover(paths: Iterable[Path | str]) -> list[tuple[Path, Path | None]]:
    """``(rule file, tests file or None)`` pairs for rule files, tests files and folders, sorted, no repeats.

    A tests file whose rule file is missing is an error; a rule file without tests is kept so
    that the coverage check can report its rules.
    """
    rule_files: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = {*path.rglob(f"*{RULE_SUFFIX}"), *(rule_file_for(t) for t in path.rglob(f"*{TESTS_SUFFIX}"))}
            for rule_file in sorted(found):
                rule_files.setdefault(rule_file, None)
        elif path.name.endswith(TESTS_SUFFIX):
            rule_files.setdefault(rule_file_for(path), None)
            if not path.is_file():
                raise RuleTestError(f"{path}: no such tests file")
        elif path.name.endswith(RULE_SUFFIX):
            if not path.is_file():
                raise RuleTestError(f"{path}: no such rule file")
            rule_files.setdefault(path, None)
        else:
            raise RuleTestError(f"{path}: not a rule file (.rules), tests file ({TESTS_SUFFIX}) or folder")
    out: list[tuple[Path, Path | None]] = []
    for rule_file in rule_files:
        tests = tests_file_for(rule_file)
        if not rule_file.is_file():
            raise RuleTestError(f"{tests}: no rule file {rule_file.name} beside it")
        out.append((rule_file, tests if tests.is_file() else None))
    return out


# ---- reading tests files --------------------------------------------------------------------

def load_cases(tests_file: Path) -> list[Case]:
    """The cases of a tests file; anything malformed raises `RuleTestError` naming the file and case."""
    try:
        data = tomllib.loads(tests_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleTestError(f"{tests_file}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleTestError(f"{tests_file}: cannot read: {exc}") from None
    extra = set(data) - {"case"}
    if extra:
        raise RuleTestError(f"{tests_file}: unknown top-level key(s) {', '.join(sorted(extra))}; "
                            "write cases as [[case]] tables")
    raw_cases = data.get("case", [])
    if not isinstance(raw_cases, list):
        raise RuleTestError(f"{tests_file}: case must be an array of tables ([[case]])")
    return [_case(tests_file, i, entry) for i, entry in enumerate(raw_cases, 1)]


def _case(tests_file: Path, index: int, entry: dict) -> Case:
    name = entry.get("name", f"case {index}")
    where = f"{tests_file}: case {index}" + (f" ({name})" if "name" in entry else "")
    unknown = set(entry) - CASE_KEYS
    if unknown:
        bad = sorted(unknown)[0]
        hint = did_you_mean(bad, CASE_KEYS)
        raise RuleTestError(f"{where}: unknown key {bad!r}" + (f"; {hint}" if hint else ""))
    rules = entry.get("rules")
    if isinstance(rules, str):
        rules = [rules]
    if not rules or not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise RuleTestError(f"{where}: rules must name the rule(s) the case is about, e.g. rules = [\"SG-001\"]")
    expect = entry.get("expect")
    if expect not in VERDICTS:
        raise RuleTestError(f"{where}: expect must be one of {', '.join(VERDICTS)} (got {expect!r})")
    count = entry.get("expect_count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
        raise RuleTestError(f"{where}: expect_count must be a whole number ≥ 0")
    message = entry.get("expect_message")
    if message is not None and not isinstance(message, str):
        raise RuleTestError(f"{where}: expect_message must be a string")
    document, facts = _input(where, entry, "document", "facts", required=True)
    previous, previous_facts = _input(where, entry, "previous", "previous_facts", required=False)
    return Case(tests_file, index, str(name), tuple(rules), expect, count, message, document, facts, previous,
                previous_facts)


def _input(where: str, entry: dict, text_key: str, facts_key: str, required: bool
           ) -> tuple[str | None, tuple[dict, ...] | None]:
    """A case's document (``document``/``facts``) or last year's report (``previous``/``previous_facts``)."""
    document, facts = entry.get(text_key), entry.get(facts_key)
    if (document is not None and facts is not None) or (required and document is None and facts is None):
        raise RuleTestError(f"{where}: give exactly one of {text_key} (a disclosure text) or {facts_key} (a list "
                            "of {name, value, dims})")
    if document is not None and not isinstance(document, str):
        raise RuleTestError(f"{where}: {text_key} must be a string (use a \"\"\"multi-line string\"\"\")")
    if facts is not None:
        if not isinstance(facts, list):
            raise RuleTestError(f"{where}: {facts_key} must be an array of tables")
        for i, fact in enumerate(facts, 1):
            if not isinstance(fact, dict) or "name" not in fact or "value" not in fact:
                raise RuleTestError(f"{where}: {facts_key} {i} needs a name and a value")
            unknown = set(fact) - FACT_KEYS
            if unknown:
                raise RuleTestError(f"{where}: {facts_key} {i} has unknown key(s) {', '.join(sorted(unknown))}")
            if not isinstance(fact.get("dims", {}), dict):
                raise RuleTestError(f"{where}: {facts_key} {i}: dims must be a table, e.g. dims = {{类 = \"…\"}}")
        facts = tuple(facts)
    return document, facts


# ---- facts given directly --------------------------------------------------------------------

def facts_from_entries(entries: Iterable[dict], program: Program, where: str = "<facts>") -> FactSet:
    """Facts from ``{name, value, dims}`` tables; the value is read according to the name's kind.

    Money, percentages, counts and numbers go through `parse_quantity` (``"39.55万元"``, ``"97.93%"``,
    ``"3辆"``), targets through `parse_target` (``">=30家"``), dates as ``2024年12月10日``, directions
    as 增加/减少/持平; text (and any name the vocabulary does not know) stays a string. Each fact's
    location is its position in the list (line N = the N-th fact).
    """
    facts = []
    for n, entry in enumerate(entries, 1):
        name = str(entry["name"])
        dims: Dims = tuple((str(k), str(v)) for k, v in (entry.get("dims") or {}).items())
        raw = entry["value"]
        text = raw if isinstance(raw, str) else str(raw)
        kind = _kind_of(program, name, bool(dims))
        value = _parse_value(text, kind, f"{where}: fact {n} ({name})")
        facts.append(Fact(name, value, Location(line=n, column=1), f"{name} = {text}", dims))
    return FactSet(facts)


def _kind_of(program: Program, name: str, has_dims: bool) -> str | None:
    schema = program.schema
    if not has_dims and name in schema.scalars:
        return schema.scalars[name]
    collection, _, field_name = name.rpartition(".")
    fields = schema.collections.get(collection, {})
    return fields.get(field_name) if fields else schema.scalars.get(name)


def _parse_value(text: str, kind: str | None, where: str) -> FactValue:
    if kind in NUMERIC_KINDS or kind is None:
        quantity = parse_quantity(text)
        if quantity is not None:
            return quantity
        if kind is not None:
            raise RuleTestError(f"{where}: {text!r} is not a figure (e.g. \"39.55万元\", \"97.93%\", \"3辆\")")
        return text
    if kind == "target":
        return parse_target(text)
    if kind == "date":
        dates = find_dates(text)
        if not dates:
            raise RuleTestError(f"{where}: {text!r} is not a date (e.g. \"2024年12月10日\")")
        d = dates[0]
        return DateValue(d.year, d.month, d.day, d.text)
    if kind == "direction":
        word = text.strip()
        if word not in DIRECTION_WORDS:
            raise RuleTestError(f"{where}: {text!r} is not a direction word (增加, 减少, 持平 …)")
        return Direction(DIRECTION_WORDS[word], word)
    return text


# ---- running ----------------------------------------------------------------------------------

def verdict(outcome: RuleOutcome) -> str:
    """fail (some finding) > not-evaluated (some case undecided) > pass (decided, all held) > not-applicable."""
    if outcome.findings:
        return "fail"
    if outcome.not_evaluated:
        return "not-evaluated"
    if outcome.passed:
        return "pass"
    return "not-applicable"


class _Programs:
    """Compiled rule files, each with its imports, cached per file."""

    def __init__(self, vocabulary: Vocabulary, functions: Mapping[str, Any]) -> None:
        self.vocabulary = vocabulary
        self.functions = functions
        self._cache: dict[Path, Program] = {}

    def get(self, rule_file: Path) -> Program:
        key = rule_file.resolve()
        if key not in self._cache:
            self._cache[key] = compile_rules([rule_file], self.vocabulary, self.functions)
        return self._cache[key]


def run_case(case: Case, program: Program, vocabulary: Vocabulary,
             recorder: CoverageRecorder | None = None) -> list[CaseResult]:
    """Evaluate each rule the case names and compare with what it expects (noting the branches taken in
    ``recorder``, when given)."""
    known = {r.id for r in program.rules}
    for rule_id in case.rules:
        if rule_id not in known:
            hint = did_you_mean(rule_id, known)
            raise RuleTestError(f"{case.file}: case {case.index} ({case.name}): unknown rule {rule_id}"
                                + (f"; {hint}" if hint else ""))
    where = f"{case.file}: case {case.index}"
    if case.document is not None:
        document = document_from_text(case.document.strip("\n"), str(case.file))
        context = Context(extract_facts(document, vocabulary), document)
    else:
        context = Context(facts_from_entries(case.facts or (), program, where))
    if case.previous is not None:
        last = document_from_text(case.previous.strip("\n"), f"{case.file.name}:previous")
        context.previous = as_previous(extract_facts(last, vocabulary), vocabulary, last.path)
    elif case.previous_facts is not None:
        context.previous = as_previous(facts_from_entries(case.previous_facts, program, f"{where} (previous)"),
                                       vocabulary, f"{case.file.name}:previous")
    results = []
    for rule_id in case.rules:
        if recorder is not None:
            recorder.named(program, rule_id)
            outcome = evaluate_rule(program, rule_id, context, recorder.interpreter)
        else:
            outcome = evaluate_rule(program, rule_id, context)
        got = verdict(outcome)
        messages = tuple(f.message for f in outcome.findings) + tuple(
            f"not evaluated: {n.reason}" for n in outcome.not_evaluated)
        problems = []
        if case.expect_count is not None and len(outcome.findings) != case.expect_count:
            problems.append(f"expected {case.expect_count} finding(s), got {len(outcome.findings)}")
        if case.expect_message is not None:
            texts = [f.message for f in outcome.findings] + [n.reason for n in outcome.not_evaluated]
            if not any(case.expect_message in t for t in texts):
                problems.append(f"no message contains {case.expect_message!r}")
        results.append(CaseResult(case, rule_id, got, tuple(problems), messages))
    return results


def check_rule_tests(paths: Iterable[Path | str], vocabulary_files: Sequence[Path | str] = (),
                     functions: Mapping[str, Any] | None = None, coverage: bool = False) -> RuleTestReport:
    """Run every case of the tests files found under ``paths`` and check that each rule is covered.

    ``functions``: the function table to compile with (default: the active plugins', `checker.plugins`);
    ``coverage``: also note which rules and branches the cases exercised (`RuleTestReport.coverage`)."""
    if functions is None:
        from checker.plugins import active_functions

        functions = active_functions()
    vocabulary = load_vocabulary(tuple(Path(p) for p in vocabulary_files))
    programs = _Programs(vocabulary, functions)
    report = RuleTestReport()
    recorder = CoverageRecorder() if coverage else None
    tested: list[tuple[Path, Program]] = []
    for rule_file, tests_file in discover(paths):
        program = programs.get(rule_file)
        tested.append((rule_file, program))
        cases = load_cases(tests_file) if tests_file is not None else []
        for case in cases:
            report.results.extend(run_case(case, program, vocabulary, recorder))
        report.gaps.extend(_coverage(rule_file, program, cases))
    if recorder is not None:
        report.coverage = recorder.report(tested)
    return report


def run_rule_tests(paths: Iterable[Path | str], vocabulary_files: Sequence[Path | str] = (),
                   functions: Mapping[str, Any] | None = None) -> list[CaseResult]:
    """The verdict of every (case, rule) pair of the tests files found under ``paths``."""
    return check_rule_tests(paths, vocabulary_files, functions).results


def _coverage(rule_file: Path, program: Program, cases: list[Case]) -> list[CoverageGap]:
    own = rule_file.resolve()
    gaps = []
    for rule in program.rules:
        if Path(rule.file).resolve() != own:
            continue  # an imported file's rules are covered by its own tests
        expects = {c.expect for c in cases if rule.id in c.rules}
        missing = tuple(v for v in ("pass", "fail") if v not in expects)
        if missing:
            gaps.append(CoverageGap(rule.id, str(rule_file), rule.line, missing))
    return gaps


def examples_for(rule_id: str, rule_file: Path | str) -> tuple[list[Case], list[Case]]:
    """The cases of the tests file beside ``rule_file`` about ``rule_id``: (expecting pass, expecting fail)."""
    tests_file = tests_file_for(Path(rule_file))
    if not tests_file.is_file():
        return [], []
    cases = [c for c in load_cases(tests_file) if rule_id in c.rules]
    return [c for c in cases if c.expect == "pass"], [c for c in cases if c.expect == "fail"]
