"""Rule-change impact: what a changed rule pack would do to reports already published, before it is released.

Two checkers — the new rule set and the old — run over the same reports; each report is read and its facts
extracted once (both use the same vocabulary), then both programs evaluate it. A finding of the new run is
*the same finding* as one of the old when it is the same rule at the same place for the same record; it is
*changed* when its message or severity differs, *added* when the old run has no such finding, *removed* when
the new run has none. Per rule the counts are summed over the corpus ("TOT-006 would raise 14 new findings in
9 of 120 reports"); a rule is new, removed, changed (its text, or a derived value it reads, differs) or
unchanged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checker.errors import InputError
from checker.findings import Finding
from checker.reports.model import DocumentResult
from checker.run import Checker
from dsl.compiler import CompiledRule, Program

SCHEMA = "juesuan.impact/1"


@dataclass(frozen=True)
class Shown:
    """A finding as the impact report shows it: rule, severity, place, record and message."""

    rule_id: str
    severity: str
    where: str
    record: str
    message: str

    @classmethod
    def of(cls, finding: Finding) -> Shown:
        where = finding.location.describe() if finding.location is not None else ""
        record = "/".join(v for _, v in finding.record)
        return cls(finding.rule_id, finding.severity, where, record, finding.message)

    def render(self) -> str:
        place = f" {self.where}" if self.where else ""
        record = f" [{self.record}]" if self.record else ""
        return f"{self.rule_id} {self.severity}{place}{record}: {self.message}"

    def as_dict(self) -> dict:
        return {"rule": self.rule_id, "severity": self.severity, "where": self.where, "record": self.record,
                "message": self.message}


@dataclass(frozen=True)
class DocumentImpact:
    """What the new rules change in one report."""

    path: str
    added: tuple[Shown, ...] = ()
    removed: tuple[Shown, ...] = ()
    changed: tuple[tuple[Shown, Shown], ...] = ()
    findings_old: tuple[tuple[str, int], ...] = ()  # rule → findings
    findings_new: tuple[tuple[str, int], ...] = ()
    not_evaluated_old: frozenset[str] = frozenset()  # rules not evaluated (for some record)
    not_evaluated_new: frozenset[str] = frozenset()
    error: str | None = None

    @property
    def changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def as_dict(self) -> dict:
        out: dict = {"path": self.path}
        if self.error is not None:
            out["error"] = self.error
        out.update(added=[s.as_dict() for s in self.added], removed=[s.as_dict() for s in self.removed],
                   changed=[{"old": a.as_dict(), "new": b.as_dict()} for a, b in self.changed])
        return out


def _key(finding: Finding) -> tuple:
    location = tuple(finding.location.parts()) if finding.location is not None else ()
    return finding.rule_id, finding.record, location


def compare(old: DocumentResult, new: DocumentResult) -> DocumentImpact:
    """The findings the new result adds, removes and changes compared with the old (same path)."""
    if old.error is not None or new.error is not None:
        return DocumentImpact(old.path, error=old.error or new.error)
    before: dict[tuple, list[Finding]] = defaultdict(list)
    for finding in old.findings:
        before[_key(finding)].append(finding)
    added, changed = [], []
    for finding in new.findings:
        earlier = before.get(_key(finding))
        if not earlier:
            added.append(Shown.of(finding))
            continue
        previous = earlier.pop(0)
        if (previous.message, previous.severity) != (finding.message, finding.severity):
            changed.append((Shown.of(previous), Shown.of(finding)))
    removed = [Shown.of(f) for left in before.values() for f in left]
    return DocumentImpact(
        old.path, tuple(added), tuple(removed), tuple(changed),
        tuple(sorted(Counter(f.rule_id for f in old.findings).items())),
        tuple(sorted(Counter(f.rule_id for f in new.findings).items())),
        frozenset(n.rule_id for n in old.not_evaluated), frozenset(n.rule_id for n in new.not_evaluated))


@dataclass(frozen=True)
class Compare:
    """One report through both rule sets (pickled once into each worker process)."""

    old: Checker
    new: Checker

    def __call__(self, path: str) -> DocumentImpact:
        try:
            document, facts = self.old.read(path)
        except InputError as error:
            return DocumentImpact(path, error=str(error))
        return compare(self.old.check_facts(path, document, facts), self.new.check_facts(path, document, facts))


# ---- the rules ------------------------------------------------------------------------------------------

def fingerprint(rule: CompiledRule, program: Program) -> tuple[str, ...]:
    """What decides a rule's findings in its text: its source, and the sources of the derived values it reads
    (directly or through others), whitespace-normalised."""
    seen: dict[str, str] = {}
    todo = list(rule.derived)
    while todo:
        name = todo.pop()
        if name in seen or name not in program.derived:
            continue
        derived = program.derived[name]
        seen[name] = " ".join(derived.source.split())
        todo.extend(derived.derived)
    return (" ".join(rule.source.split()), rule.severity, *(f"{k}: {v}" for k, v in sorted(seen.items())))


def rule_statuses(old: Program, new: Program) -> dict[str, str]:
    """Each rule id of either program → ``new``, ``removed``, ``changed`` or ``unchanged``."""
    before = {r.id: r for r in old.rules}
    after = {r.id: r for r in new.rules}
    out = {}
    for rule_id in sorted(before.keys() | after.keys()):
        if rule_id not in before:
            out[rule_id] = "new"
        elif rule_id not in after:
            out[rule_id] = "removed"
        else:
            same = fingerprint(before[rule_id], old) == fingerprint(after[rule_id], new)
            out[rule_id] = "unchanged" if same else "changed"
    return out


@dataclass
class RuleImpact:
    """One rule over the whole corpus."""

    rule_id: str
    title: str
    status: str
    findings_old: int = 0
    findings_new: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    reports_added: int = 0  # reports where it raises new findings
    reports_removed: int = 0
    reports_changed: int = 0
    reports_affected: int = 0  # reports where any of its findings changes
    not_evaluated_old: int = 0  # reports where it is not evaluated (for some record)
    not_evaluated_new: int = 0

    @property
    def differs(self) -> bool:
        return self.status != "unchanged" or bool(self.added or self.removed or self.changed) or \
            self.not_evaluated_old != self.not_evaluated_new

    def sentence(self, reports: int) -> str:
        """``TOT-006 (changed) would raise 14 new findings in 9 of 120 reports; …``"""
        parts = []
        if self.added:
            parts.append(f"would raise {self.added} new finding{_s(self.added)} in {self.reports_added} of "
                         f"{reports} report{_s(reports)}")
        if self.removed:
            parts.append(f"would no longer raise {self.removed} finding{_s(self.removed)} in "
                         f"{self.reports_removed} of {reports} report{_s(reports)}")
        if self.changed:
            parts.append(f"would change the message or severity of {self.changed} finding{_s(self.changed)} in "
                         f"{self.reports_changed} of {reports} report{_s(reports)}")
        if not parts:
            parts.append(f"no finding changes in {reports} report{_s(reports)}")
        if self.not_evaluated_old != self.not_evaluated_new and self.status != "removed":
            parts.append(f"not evaluated in {self.not_evaluated_new} of {reports} (before: {self.not_evaluated_old})")
        status = {"new": "new rule", "removed": "removed rule"}.get(self.status, self.status)
        return f"{self.rule_id} ({status}) " + "; ".join(parts)

    def as_dict(self, reports: int) -> dict:
        return {"rule": self.rule_id, "title": self.title, "status": self.status,
                "findings": {"old": self.findings_old, "new": self.findings_new}, "added": self.added,
                "removed": self.removed, "changed": self.changed,
                "reports": {"added": self.reports_added, "removed": self.reports_removed,
                            "changed": self.reports_changed, "affected": self.reports_affected, "of": reports},
                "not_evaluated": {"old": self.not_evaluated_old, "new": self.not_evaluated_new},
                "sentence": self.sentence(reports)}


def _s(n: int) -> str:
    return "" if n == 1 else "s"


@dataclass
class ImpactReport:
    """The documents that change and every rule's totals, gathered as the documents come in."""

    rules: dict[str, RuleImpact]
    reports: int = 0
    documents: list[DocumentImpact] = field(default_factory=list)  # those that change or cannot be read

    @classmethod
    def start(cls, old: Program, new: Program) -> ImpactReport:
        titles = {r.id: r.title for r in (*old.rules, *new.rules)}
        statuses = rule_statuses(old, new)
        return cls({rule_id: RuleImpact(rule_id, titles[rule_id], status) for rule_id, status in statuses.items()})

    def add(self, document: DocumentImpact) -> None:
        self.reports += 1
        if document.error is not None or document.changes:
            self.documents.append(document)
        if document.error is not None:
            return
        for rule_id, n in document.findings_old:
            self.rules[rule_id].findings_old += n
        for rule_id, n in document.findings_new:
            self.rules[rule_id].findings_new += n
        for rule_id in document.not_evaluated_old:
            self.rules[rule_id].not_evaluated_old += 1
        for rule_id in document.not_evaluated_new:
            self.rules[rule_id].not_evaluated_new += 1
        added = Counter(s.rule_id for s in document.added)
        removed = Counter(s.rule_id for s in document.removed)
        changed = Counter(new.rule_id for _, new in document.changed)
        for rule_id in added.keys() | removed.keys() | changed.keys():
            impact = self.rules[rule_id]
            impact.added += added[rule_id]
            impact.removed += removed[rule_id]
            impact.changed += changed[rule_id]
            impact.reports_added += bool(added[rule_id])
            impact.reports_removed += bool(removed[rule_id])
            impact.reports_changed += bool(changed[rule_id])
            impact.reports_affected += 1

    def differing(self) -> list[RuleImpact]:
        """The rules with any difference, most findings added or removed first."""
        found = [r for r in self.rules.values() if r.differs]
        return sorted(found, key=lambda r: (-(r.added + r.removed + r.changed), r.rule_id))

    @property
    def unreadable(self) -> list[DocumentImpact]:
        return [d for d in self.documents if d.error is not None]

    @property
    def changed_findings(self) -> int:
        return sum(r.added + r.removed + r.changed for r in self.rules.values())

    def statuses(self) -> Counter:
        return Counter(r.status for r in self.rules.values())


def document_lines(document: DocumentImpact) -> list[str]:
    """A changed report: ``+`` added, ``-`` removed, ``~`` changed findings (old message, then → new)."""
    if document.error is not None:
        return [f"{document.path}: unreadable: {document.error}"]
    out = [document.path]
    out.extend(f"  + {s.render()}" for s in document.added)
    out.extend(f"  - {s.render()}" for s in document.removed)
    for old, new in document.changed:
        out.append(f"  ~ {old.render()}")
        out.append(f"      → {new.severity}: {new.message}")
    return out


SUMMARY_COLUMNS = ("rule", "status", "findings old→new", "added", "removed", "changed", "reports affected",
                   "not evaluated old→new")


def summary_rows(report: ImpactReport) -> list[list[str]]:
    rows = [[r.rule_id, r.status, f"{r.findings_old}→{r.findings_new}", str(r.added), str(r.removed),
             str(r.changed), f"{r.reports_affected}/{report.reports}", f"{r.not_evaluated_old}→{r.not_evaluated_new}"]
            for r in report.differing()]
    rules = report.rules.values()
    affected = sum(1 for d in report.documents if d.error is None and d.changes)
    rows.append([f"total ({len(report.rules)} rules)", f"{len(rows)} differ",
                 f"{sum(r.findings_old for r in rules)}→{sum(r.findings_new for r in rules)}",
                 str(sum(r.added for r in rules)), str(sum(r.removed for r in rules)),
                 str(sum(r.changed for r in rules)), f"{affected}/{report.reports}", ""])
    return rows


def render_summary(report: ImpactReport) -> str:
    """The summary table as aligned plain text (CJK characters count two)."""
    from checker.batch import pad_text, text_width

    rows = summary_rows(report)
    table = [list(SUMMARY_COLUMNS), *rows]
    widths = [max(text_width(row[i]) for row in table) for i in range(len(SUMMARY_COLUMNS))]

    def line(cells: list[str]) -> str:
        return "  ".join(pad_text(c, widths[i], right=i >= 2) for i, c in enumerate(cells)).rstrip()

    ruler = "  ".join("-" * w for w in widths)
    return "\n".join([line(table[0]), ruler, *(line(r) for r in rows[:-1]), ruler, line(rows[-1])]) + "\n"


def render_rules(report: ImpactReport) -> str:
    lines = [f"  {r.sentence(report.reports)}" for r in report.differing()]
    return "\n".join(lines) + "\n" if lines else "  no rule changes any finding\n"


def as_dict(report: ImpactReport, new: Iterable[Path], old: Iterable[Path]) -> dict:
    """The JSON report (schemas/juesuan.impact.schema.json)."""
    statuses = report.statuses()
    return {
        "schema": SCHEMA,
        "new": [str(p) for p in new], "old": [str(p) for p in old],
        "reports": report.reports,
        "documents": [d.as_dict() for d in report.documents],
        "rules": [r.as_dict(report.reports) for r in report.differing()],
        "summary": {"rules": {k: statuses.get(k, 0) for k in ("new", "removed", "changed", "unchanged")},
                    "findings_added": sum(r.added for r in report.rules.values()),
                    "findings_removed": sum(r.removed for r in report.rules.values()),
                    "findings_changed": sum(r.changed for r in report.rules.values()),
                    "reports_affected": sum(1 for d in report.documents if d.error is None and d.changes),
                    "reports_unreadable": len(report.unreadable)},
    }
