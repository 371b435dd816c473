"""One check run: settings → vocabulary and rules → each document's findings, filtered and ordered.

The CLI's `check` command and the rule tests both go through here, so what a regulator's
test sees is exactly what bureau staff get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from checker.config import Config
from checker.errors import InputError
from checker.evaluate import Context, evaluate
from checker.facts.model import Fact, FactSet
from checker.findings import Finding
from checker.model import Document
from checker.pipeline import ensure_disclosure, extract_facts, read_document
from checker.plugins import Plugins, ensure_active
from checker.reports.model import DocumentResult, RuleInfo
from checker.rulepacks import compile_rules, expand_rule_paths
from checker.vocabulary import Vocabulary, vocabulary_from_files
from dsl.compiler import Program

DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf", ".text")


@dataclass
class Checker:
    """Vocabulary and compiled rules, ready to check any number of documents."""

    config: Config
    vocabulary: Vocabulary
    program: Program
    rule_infos: tuple[RuleInfo, ...] = field(default=())
    #: The plugins' fact extractors, run after the built-in extraction.
    extractors: tuple[Callable[..., list[Fact]], ...] = field(default=())

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
        infos = tuple(RuleInfo(r.id, r.title, config.severity_for(r.id, r.severity), r.citation, r.source,
                               str(r.file), r.line) for r in program.rules if config.is_selected(r.id))
        return cls(config, vocabulary, program, infos, tuple(plugins.extractors(config)))

    def check_path(self, path: str | Path) -> DocumentResult:
        """Check one file; an unreadable file gives a result carrying its error instead of raising."""
        try:
            document, facts = self.read(path)
        except InputError as error:
            return DocumentResult(str(path), error=str(error))
        return self.check_facts(path, document, facts)

    def read(self, path: str | Path) -> tuple[Document, FactSet]:
        """The document and its facts; raises `InputError` when the file cannot be read or is no disclosure."""
        document = read_document(path)
        facts = extract_facts(document, self.vocabulary, self.extractors)
        ensure_disclosure(document, facts)
        return document, facts

    def check_facts(self, path: str | Path, document: Document, facts: FactSet) -> DocumentResult:
        """The rules' findings on a document already read (another checker with the same vocabulary may
        have read it: `checker.impact` reads a report once for two rule sets)."""
        result = evaluate(self.program, Context(facts, document))
        findings = sorted((self._adjust(f) for f in result.findings if self.config.is_selected(f.rule_id)),
                          key=_finding_order)
        not_evaluated = [n for n in result.not_evaluated if self.config.is_selected(n.rule_id)]
        passed = [r for r in result.passed if self.config.is_selected(r)]
        return DocumentResult(str(path), findings, not_evaluated, passed, len(facts), document=document)

    def _adjust(self, finding: Finding) -> Finding:
        severity = self.config.severity_for(finding.rule_id, finding.severity)
        return finding if severity == finding.severity else replace(finding, severity=severity)


def _finding_order(finding: Finding) -> tuple:
    loc = finding.location
    if loc is None:
        return (1, 0, 0, 0, finding.rule_id)
    return (0, loc.page or 0, loc.line or loc.paragraph or loc.table or 0, loc.row or loc.column or 0,
            finding.rule_id)


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
