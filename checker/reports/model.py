"""What a run produced for each document, in the form every report format reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.findings import Finding, NotEvaluated
from checker.model import Document


@dataclass(frozen=True)
class RuleInfo:
    """What a report needs to know about a rule (SARIF's rule table, the HTML side list)."""

    id: str
    title: str
    severity: str
    citation: str | None = None
    source: str = ""
    file: str = ""
    line: int = 0


@dataclass
class DocumentResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    not_evaluated: list[NotEvaluated] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    fact_count: int = 0
    error: str | None = None
    # The document as read, for reports that show it (HTML); JSON, TOML and SARIF leave it out.
    document: Document | None = field(default=None, repr=False)

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + 1
        out["not_evaluated"] = len(self.not_evaluated)
        return out


@dataclass(frozen=True)
class RunInfo:
    """Settings that shape a report: the rules that ran and whether to print explanation traces."""

    rules: tuple[RuleInfo, ...] = ()
    explain: bool = False
    show_not_evaluated: bool = False
    version: str = "0.1.0"
