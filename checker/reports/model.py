"""What a run produced for each document, in the form every report format reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from checker.findings import Finding, NotEvaluated
from checker.model import Document
from checker.suggest.model import Suggestion


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


@dataclass(frozen=True)
class BaselineOutcome:
    """What a baseline did to one document's findings (`checker.baseline.match`): the findings still shown
    (each marked new or changed), how many it hid, and its entries no finding matches any more (fixed)."""

    shown: tuple[Finding, ...] = ()
    hidden: int = 0
    fixed: tuple[Any, ...] = ()  # `checker.baseline.Entry`s

    @property
    def changed(self) -> int:
        return sum(1 for f in self.shown if f.baseline == "changed")


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
    #: The likely mistyped figures behind groups of findings (``juesuan check --fix-suggestions``).
    suggestions: list[Suggestion] = field(default_factory=list)

    def suggestions_by_finding(self) -> dict[int, list[int]]:
        """For each finding explained by a suggestion, the suggestions' indexes."""
        out: dict[int, list[int]] = {}
        for i, suggestion in enumerate(self.suggestions):
            for finding in suggestion.findings:
                out.setdefault(finding, []).append(i)
        return out
    #: Set when the run compares with a baseline (``--baseline``).
    baseline: BaselineOutcome | None = None
    #: The fiscal year the report was checked for (``--year`` or its own), and the selected rules not in force
    #: for that year (or the run's region), which were not run.
    year: int | None = None
    not_in_force: list[str] = field(default_factory=list)
    #: A bundle's member files (`juesuan check --bundle`), the first being ``path``; empty for one file.
    files: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + 1
        out["not_evaluated"] = len(self.not_evaluated)
        return out

    def summary(self) -> DocumentSummary:
        baseline = self.baseline
        return DocumentSummary(self.path, tuple(self.counts().items()), self.error,
                               baseline.hidden if baseline else 0, len(baseline.fixed) if baseline else 0, self.files)


@dataclass(frozen=True)
class DocumentSummary:
    """What a batch keeps of a document once its part of the report is written: enough for the summary
    table, the error lines and the exit status, whatever the size of the batch."""

    path: str
    tally: tuple[tuple[str, int], ...]
    error: str | None = None
    hidden: int = 0  # findings the baseline hid
    fixed: int = 0  # baseline entries no finding matches any more
    files: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        return dict(self.tally)


@dataclass(frozen=True)
class RunInfo:
    """Settings that shape a report: the rules that ran and whether to print explanation traces."""

    rules: tuple[RuleInfo, ...] = ()
    explain: bool = False
    show_not_evaluated: bool = False
    #: A baseline is in use (``--baseline``): reports say what it hid; ``show_fixed`` lists what it no longer finds.
    baseline: bool = False
    show_fixed: bool = False
    version: str = "0.1.0"
    #: Whether fix suggestions were looked for (the machine formats then list them, even none).
    suggestions: bool = False


class ReportStream(Protocol):
    """A report format written document by document, so a batch of any size never holds every result:
    the text is ``header()``, then ``document(r)`` for each result in order, then ``footer()``."""

    def header(self) -> str: ...

    def document(self, result: DocumentResult) -> str: ...

    def footer(self) -> str: ...


def render_stream(stream: ReportStream, results: Iterable[DocumentResult]) -> str:
    """The whole report from a stream (what a format's ``render`` returns)."""
    return stream.header() + "".join(stream.document(r) for r in results) + stream.footer()
