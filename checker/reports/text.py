"""The terminal report: ``path:line:col: RULE severity: message``, the sentence with the figure marked,
the figures involved, the expected value and the difference, then a summary line. Under the last
finding of a group a fix suggestion explains, a ``help:`` line names the likely mistyped figure."""

from __future__ import annotations

from collections.abc import Sequence
from unicodedata import east_asian_width

from checker.findings import Evidence, Finding
from checker.reports.model import DocumentResult, DocumentSummary, RunInfo, render_stream

CONTEXT = 28  # characters of the sentence shown on each side of the marked figure


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def snippet(evidence: Evidence) -> list[str]:
    """The sentence around the figure and a caret line under it (empty when the figure is not quoted)."""
    source = evidence.source.replace("\n", " ")
    at = source.find(evidence.display) if evidence.display else -1
    if not source or at < 0:
        return []
    start = max(0, at - CONTEXT)
    end = min(len(source), at + len(evidence.display) + CONTEXT)
    prefix = ("…" if start > 0 else "") + source[start:at]
    shown = prefix + source[at:end] + ("…" if end < len(source) else "")
    return [f"    | {shown}", f"    | {' ' * _width(prefix)}{'^' * _width(evidence.display)}"]


def finding_lines(path: str, finding: Finding, explain: bool) -> list[str]:
    """A finding's lines. In a bundle the finding is reported in the file of its first figure, and a figure
    in another file of the bundle names that file (``tables.xlsx 公开01表!B13``)."""
    where = finding.location.describe() if finding.location is not None else "1:1"
    file = (finding.location.file if finding.location is not None else None) or path
    lines = [f"{file}:{where}: {finding.rule_id} {finding.severity}: {finding.message}"]
    here = [e for e in finding.locations if e.location.document is None]
    if here:
        lines.extend(snippet(here[0]))
    figures = [f"{e.name} = {e.display} ({_place(e, file)})" for e in finding.locations]
    if figures:
        lines.append("    = figures: " + "; ".join(figures))
    if finding.expected is not None:
        diff = f", difference {finding.difference}" if finding.difference is not None else ""
        lines.append(f"    = expected: {finding.expected}{diff}")
    if finding.citation:
        lines.append(f"    = cite: {finding.citation}")
    if finding.baseline == "changed":
        was = "; ".join(f"{name} = {value}" for name, value in finding.was) or "no figures"
        lines.append(f"    = changed since the baseline, which had: {was}")
    if explain and finding.trace:
        lines.append("    = explanation:")
        lines.extend("      " + line for t in finding.trace for line in t.render().split("\n"))
    return lines


def _place(evidence: Evidence, file: str) -> str:
    loc = evidence.location
    return f"{loc.file} {loc.describe()}" if loc.file and loc.file != file else loc.describe()


def summary(results: Sequence[DocumentResult | DocumentSummary], baseline: bool = False) -> str:
    totals = {"error": 0, "warning": 0, "info": 0, "not_evaluated": 0}
    for result in results:
        for key, value in result.counts().items():
            totals[key] = totals.get(key, 0) + value
    failed = sum(1 for r in results if r.error is not None)
    docs = f"{len(results)} document{'s' if len(results) != 1 else ''}"
    parts = [f"{totals['error']} error(s)", f"{totals['warning']} warning(s)", f"{totals['info']} info"]
    text = f"Checked {docs}: {', '.join(parts)}; {totals['not_evaluated']} rule(s) not evaluated"
    if baseline:
        kept = [r if isinstance(r, DocumentSummary) else r.summary() for r in results]
        hidden, fixed = sum(r.hidden for r in kept), sum(r.fixed for r in kept)
        text += f"; {hidden} finding(s) hidden by the baseline, {fixed} fixed"
    return text + (f"; {failed} document(s) could not be read" if failed else "")


def document_lines(result: DocumentResult, info: RunInfo) -> list[str]:
    if result.error is not None:
        return []  # reported on standard error as one line; counted in the summary
    out: list[str] = []
    helps: dict[int, list[str]] = {}  # under the last finding of its group, each suggestion's help line
    for suggestion in result.suggestions:
        if suggestion.findings:
            helps.setdefault(max(suggestion.findings), []).append(f"    = help: {suggestion.message()}")
    for number, finding in enumerate(result.findings):
        out.extend(finding_lines(result.path, finding, info.explain))
        out.extend(helps.get(number, ()))
        out.append("")
    if info.show_not_evaluated:
        for item in result.not_evaluated:
            record = " [" + ", ".join(f"{k}={v}" for k, v in item.record) + "]" if item.record else ""
            out.append(f"{result.path}: {item.rule_id} not evaluated{record}: {item.reason}")
    if info.show_not_evaluated and result.not_in_force:
        year = f" for {result.year}" if result.year is not None else ""
        out.append(f"{result.path}: {len(result.not_in_force)} rule(s) not in force{year}, not run: "
                   + ", ".join(result.not_in_force))
    if info.show_fixed and result.baseline is not None:
        out.extend(f"{result.path}: fixed since the baseline: {entry.describe()}" for entry in result.baseline.fixed)
    return out


class TextStream:
    """The terminal report written document by document; the summary line closes it."""

    def __init__(self, info: RunInfo) -> None:
        self.info = info
        self.summaries: list[DocumentSummary] = []

    def header(self) -> str:
        return ""

    def document(self, result: DocumentResult) -> str:
        self.summaries.append(result.summary())
        return "".join(line + "\n" for line in document_lines(result, self.info))

    def footer(self) -> str:
        return summary(self.summaries, self.info.baseline) + "\n"


def stream(info: RunInfo) -> TextStream:
    return TextStream(info)


def render(results: list[DocumentResult], info: RunInfo) -> str:
    return render_stream(stream(info), results)
