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
from checker.facts.model import Fact
from checker.findings import Finding
from checker.model import Document
from checker.pipeline import ensure_disclosure, extract_facts, read_bundle, read_document
from checker.plugins import Plugins, ensure_active
from checker.reports.model import DocumentResult, RuleInfo
from checker.rulepacks import compile_rules, expand_rule_paths
from checker.vocabulary import Vocabulary, vocabulary_from_files
from dsl.compiler import Program

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
        result = evaluate(self.program, Context(facts, document))
        order = {name: i for i, name in enumerate(files)}
        findings = sorted((self._adjust(f) for f in result.findings if self.config.is_selected(f.rule_id)),
                          key=lambda f: _finding_order(f, order))
        not_evaluated = [n for n in result.not_evaluated if self.config.is_selected(n.rule_id)]
        passed = [r for r in result.passed if self.config.is_selected(r)]
        return DocumentResult(path, findings, not_evaluated, passed, len(facts), document=document, files=files)

    def _adjust(self, finding: Finding) -> Finding:
        severity = self.config.severity_for(finding.rule_id, finding.severity)
        return finding if severity == finding.severity else replace(finding, severity=severity)


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
