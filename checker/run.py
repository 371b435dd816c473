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
from checker.errors import InputError
from checker.evaluate import Context, Result, RuleRunner, evaluate
from checker.facts.model import Fact
from checker.findings import Finding
from checker.pipeline import ensure_disclosure, extract_facts, read_document
from checker.plugins import Plugins, ensure_active
from checker.reports.model import DocumentResult, RuleInfo
from checker.rulepacks import compile_rules, expand_rule_paths
from checker.vocabulary import Vocabulary, vocabulary_from_files
from dsl.compiler import Program

if TYPE_CHECKING:
    from checker.suggest import Suggestion

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
    #: Whether to look for the figure behind each group of findings (`checker.suggest`).
    suggestions: bool = False

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
            document = read_document(path)
            facts = extract_facts(document, self.vocabulary, self.extractors)
            ensure_disclosure(document, facts)
        except InputError as error:
            return DocumentResult(str(path), error=str(error))
        context = Context(facts, document)
        recorder = _recorder(self.program, context) if self.suggestions else None
        result = evaluate(self.program, context, recorder)
        findings = sorted((self._adjust(f) for f in result.findings if self.config.is_selected(f.rule_id)),
                          key=_finding_order)
        not_evaluated = [n for n in result.not_evaluated if self.config.is_selected(n.rule_id)]
        passed = [r for r in result.passed if self.config.is_selected(r)]
        suggestions = self._suggestions(context, result, findings, recorder) if self.suggestions else []
        return DocumentResult(str(path), findings, not_evaluated, passed, len(facts), document=document,
                              suggestions=suggestions)

    def _suggestions(self, context: Context, result: Result, findings: list[Finding], recorder: RuleRunner | None
                     ) -> list[Suggestion]:
        """The fix suggestions, each linked to the findings it explains, in the order of the first of them."""
        from checker.suggest import suggest  # loaded only when suggestions are asked for

        index = {(f.rule_id, f.record): i for i, f in enumerate(findings)}
        linked = []
        for found in suggest(self.program, context, result, self.config.is_selected, recorder):
            explains = sorted(found.explains, key=lambda k: index[k])
            linked.append(replace(found, explains=tuple(explains), findings=tuple(index[k] for k in explains)))
        return sorted(linked, key=lambda s: s.findings)

    def _adjust(self, finding: Finding) -> Finding:
        severity = self.config.severity_for(finding.rule_id, finding.severity)
        return finding if severity == finding.severity else replace(finding, severity=severity)


def _recorder(program: Program, context: Context) -> RuleRunner:
    """The runner for a check whose suggestions will want to know what each case looked up."""
    from checker.suggest import LookupRecorder

    return LookupRecorder(program, context)


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
