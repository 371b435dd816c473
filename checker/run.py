"""One check run: settings → vocabulary and rules → each document's findings, filtered and ordered.

The CLI's `check` command and the rule tests both go through here, so what a regulator's
test sees is exactly what bureau staff get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from checker.config import Config
from checker.errors import InputError, UsageError
from checker.evaluate import Context, Result, RuleRunner, evaluate
from checker.facts.model import Fact, FactSet
from checker.findings import Finding
from checker.model import Document
from checker.pipeline import ensure_disclosure, extract_facts, read_bundle, read_document
from checker.plugins import Plugins, ensure_active
from checker.previous import candidates, check_years, find_previous, load_previous, report_year
from checker.reports.model import DocumentResult, RuleInfo
from checker.rulepacks import compile_rules, expand_rule_paths
from checker.vocabulary import Vocabulary, vocabulary_from_files
from dsl.compiler import CompiledRule, Program

if TYPE_CHECKING:
    from checker.suggest import Suggestion

DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf", ".text", ".xlsx", ".xlsm", ".xls")
#: Files of a bundle folder that are attachments (tables), read after the report itself.
ATTACHMENT_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass
class Checker:
    """Vocabulary and compiled rules, ready to check any number of documents."""

    config: Config
    vocabulary: Vocabulary
    program: Program
    rule_infos: tuple[RuleInfo, ...] = field(default=())
    #: The plugins' fact extractors, run after the built-in extraction.
    extractors: tuple[Callable[..., list[Fact]], ...] = field(default=())
    #: Whether to look for the figure behind each group of findings (`checker.suggest`).
    suggestions: bool = False
    #: Last year's report (``--previous``), or a folder of them (``--previous-dir``): the cross-year rules
    #: (those reading ``上年报告.…``) run only when one of them is given.
    previous: Path | None = None
    previous_dir: Path | None = None
    #: The fiscal year to check by (``--year``); by default each report's own (``报告.年度``).
    year: int | None = None
    #: Every name of the run's region (``--region``): the rules stating a region run only for it.
    region_names: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Config, extra_rules: tuple[Path, ...] = (), builtin: bool = True,
                    plugins: Plugins | None = None) -> Checker:
        """Everything the plugins contribute under ``config`` (the active plugins by default), then the
        configuration's vocabulary and rules and ``extra_rules``. ``builtin=False`` leaves out the built-in
        plugin's rule packs (its vocabulary stays: rules need the names)."""
        plugins = plugins or ensure_active()
        plugins.configure(config)
        vocabulary = vocabulary_from_files((*plugins.vocabulary_files(config), *config.vocabulary))
        files = [*plugins.rule_files(config, builtin=builtin), *expand_rule_paths([*config.rules, *extra_rules])]
        program = compile_rules(files, vocabulary, plugins.functions())
        region_names = _region_names(program, plugins, config.region)
        infos = tuple(RuleInfo(r.id, r.title, config.severity_for(r.id, r.severity), r.citation, r.source,
                               str(r.file), r.line) for r in program.rules if config.is_selected(r.id))
        return cls(config, vocabulary, program, infos, tuple(plugins.extractors(config)), region_names=region_names)

    def check_path(self, path: str | Path, name: str | None = None) -> DocumentResult:
        """Check one file; an unreadable file gives a result carrying its error instead of raising. ``name``
        names the document instead of its path (see `read_document`)."""
        return self._check(name or str(path), (), lambda: read_document(path, name))

    def check_bundle(self, paths: list[Path], names: list[str] | None = None) -> DocumentResult:
        """Check several files as one disclosure (a report and its attachments, `read_bundle`); the result is
        under the first file's path (or name), and an unreadable member gives a result carrying its error."""
        files = tuple(str(p) for p in paths) if names is None else tuple(names)
        return self._check(files[0] if files else "<bundle>", files, lambda: read_bundle(paths, names))

    def _check(self, path: str, files: tuple[str, ...], read: Callable[[], Document]) -> DocumentResult:
        try:
            document = read()
            facts = extract_facts(document, self.vocabulary, self.extractors)
            ensure_disclosure(document, facts)
        except InputError as error:
            return DocumentResult(path, error=str(error), files=files)
        return self.check_facts(path, document, facts, files)

    def read(self, path: str | Path) -> tuple[Document, FactSet]:
        """The document and its facts; raises `InputError` when the file cannot be read or is no disclosure."""
        document = read_document(path)
        facts = extract_facts(document, self.vocabulary, self.extractors)
        ensure_disclosure(document, facts)
        return document, facts

    def check_facts(self, path: str | Path, document: Document, facts: FactSet,
                    files: tuple[str, ...] = ()) -> DocumentResult:
        """The rules' findings on a document already read (another checker with the same vocabulary may
        have read it: `checker.impact` reads a report once for two rule sets)."""
        path = str(path)
        year = self.year if self.year is not None else report_year(facts)
        try:
            context = self._context(Path(path), document, facts, year)
        except InputError as error:
            return DocumentResult(path, error=str(error), files=files)
        runs = {r.id for r in self.program.rules if self.runs(r, year)}
        recorder = _recorder(self.program, context) if self.suggestions else None
        result = evaluate(self.program, context, recorder, only=lambda rule: rule.id in runs)
        out_of_force = [r.id for r in self.program.rules
                        if not self.in_force(r, year) and self.config.is_selected(r.id)]
        order = {name: i for i, name in enumerate(files)}
        findings = sorted((self._adjust(f) for f in result.findings if self.config.is_selected(f.rule_id)),
                          key=lambda f: _finding_order(f, order))
        not_evaluated = [n for n in result.not_evaluated if self.config.is_selected(n.rule_id)]
        passed = [r for r in result.passed if self.config.is_selected(r)]
        suggestions = self._suggestions(context, result, findings, recorder, runs) if self.suggestions else []
        return DocumentResult(path, findings, not_evaluated, passed, len(facts), document=document,
                              suggestions=suggestions, year=year, not_in_force=out_of_force, files=files)

    def _suggestions(self, context: Context, result: Result, findings: list[Finding], recorder: RuleRunner | None,
                     runs: set[str]) -> list[Suggestion]:
        """The fix suggestions, each linked to the findings it explains, in the order of the first of them;
        only the rules the check ran (``runs``: in force, with last year's report where they need it) and
        selected count."""
        from checker.suggest import suggest  # loaded only when suggestions are asked for

        ran = {rule_id for rule_id in runs if self.config.is_selected(rule_id)}
        index = {(f.rule_id, f.record): i for i, f in enumerate(findings)}
        linked = []
        for found in suggest(self.program, context, result, ran.__contains__, recorder):
            explains = sorted(found.explains, key=lambda k: index[k])
            linked.append(replace(found, explains=tuple(explains), findings=tuple(index[k] for k in explains)))
        return sorted(linked, key=lambda s: s.findings)

    def in_force(self, rule: CompiledRule, year: int | None) -> bool:
        """Whether the rule is in force for a report of ``year`` in the run's region (its ``applies``/``region``)."""
        return rule.in_force(year, self.region_names)

    def runs(self, rule: CompiledRule, year: int | None) -> bool:
        """Whether the rule runs on a report of ``year``: in force, and — for a rule reading last year's report —
        only when the run is given last year's reports."""
        if not self.in_force(rule, year):
            return False
        return self.previous is not None or self.previous_dir is not None or not self.program.cross_year(rule)

    def _context(self, path: Path, document: Document, facts: FactSet, year: int | None) -> Context:
        """The document's facts, with last year's report's when the run compares with it."""
        if self.previous is None and self.previous_dir is None:
            return Context(facts, document)
        source = self.previous
        if source is None and self.previous_dir is not None:
            source = find_previous(path, year, self.previous_dir)
            if source is None:
                tried = ", ".join(p.name for p in candidates(path, year, self.previous_dir)[:2])
                return Context(facts, document, no_previous=f"no previous report of {path.name} in "
                                                            f"{self.previous_dir} (looked for {tried} …)")
        assert source is not None
        previous = load_previous(source, self.vocabulary, self.extractors)
        check_years(source, report_year(previous), path, year)
        return Context(facts, document, previous)

    def _adjust(self, finding: Finding) -> Finding:
        severity = self.config.severity_for(finding.rule_id, finding.severity)
        return finding if severity == finding.severity else replace(finding, severity=severity)


def _recorder(program: Program, context: Context) -> RuleRunner:
    """The runner for a check whose suggestions will want to know what each case looked up."""
    from checker.suggest import LookupRecorder

    return LookupRecorder(program, context)


def _region_names(program: Program, plugins: Plugins, region: str | None) -> tuple[str, ...]:
    """Every name of the run's region; a rule naming a region no plugin knows is refused (exit 2)."""
    known = plugins.regions() if region or any(r.regions for r in program.rules) else {}
    for rule in program.rules:
        for name in rule.regions:
            if name.casefold() not in known:
                available = ", ".join(sorted({names[0] for _, names in known.values()})) or "none is loaded"
                raise UsageError(f"{rule.file}:{rule.line}: rule {rule.id} is for region {name!r}, which no plugin "
                                 f"provides (regions: {available})")
    if not region:
        return ()
    entry = known.get(region.casefold())
    return entry[1] if entry is not None else (region,)


def _finding_order(finding: Finding, files: dict[str, int] | None = None) -> tuple:
    loc = finding.location
    if loc is None:
        return (1, 0, 0, 0, 0, finding.rule_id)
    return (0, (files or {}).get(loc.file, 0), loc.page or 0, loc.line or loc.paragraph or loc.table or 0,
            loc.row or loc.column or 0, finding.rule_id)


def expand_bundle(paths: list[str]) -> list[Path]:
    """The members of one bundle: the files named and the disclosures found under the folders named
    (`expand_documents`), the report files (.txt, .docx, .pdf) before the workbooks, each kept in the
    order given — so the report comes first whichever order its files are named in."""
    found = expand_documents(paths)
    return sorted(found, key=lambda p: p.suffix.lower() in ATTACHMENT_SUFFIXES)


def expand_documents(paths: list[str]) -> list[Path]:
    """Files named directly (whatever their suffix) and the disclosures found under folders, sorted."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES))
        else:
            out.append(path)
    return out
