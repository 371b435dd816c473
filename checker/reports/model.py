"""What a run produced for each document, in the form every report format reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

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
    #: A bundle's member files (`juesuan check --bundle`), the first being ``path``; empty for one file.
    files: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + 1
        out["not_evaluated"] = len(self.not_evaluated)
        return out

    def summary(self) -> DocumentSummary:
        return DocumentSummary(self.path, tuple(self.counts().items()), self.error, self.files)


@dataclass(frozen=True)
class DocumentSummary:
    """What a batch keeps of a document once its part of the report is written: enough for the summary
    table, the error lines and the exit status, whatever the size of the batch."""

    path: str
    tally: tuple[tuple[str, int], ...]
    error: str | None = None
    files: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        return dict(self.tally)


@dataclass(frozen=True)
class RunInfo:
    """Settings that shape a report: the rules that ran and whether to print explanation traces."""

    rules: tuple[RuleInfo, ...] = ()
    explain: bool = False
    show_not_evaluated: bool = False
    version: str = "0.1.0"


class ReportStream(Protocol):
    """A report format written document by document, so a batch of any size never holds every result:
    the text is ``header()``, then ``document(r)`` for each result in order, then ``footer()``."""

    def header(self) -> str: ...

    def document(self, result: DocumentResult) -> str: ...

    def footer(self) -> str: ...


def render_stream(stream: ReportStream, results: Iterable[DocumentResult]) -> str:
    """The whole report from a stream (what a format's ``render`` returns)."""
    return stream.header() + "".join(stream.document(r) for r in results) + stream.footer()
