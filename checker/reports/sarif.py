"""SARIF 2.1.0: one run, the rules that ran as the driver's rules, one result per finding.

Text inputs get regions (line/column); Word, PDF and spreadsheet inputs, whose places are
paragraphs, tables, pages and cells, get a logical location naming that place (``收入决算表!C7``
for a cell, with the sheet and address in the location's properties). In a bundle each location's
artifact is the member file the figure is in, and every member is an artifact of the run.
"""

from __future__ import annotations

import json
from pathlib import Path

from checker.findings import Evidence, Finding
from checker.reports.json_report import array_item
from checker.reports.model import DocumentResult, RunInfo, render_stream

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def _location(path: str, evidence: Evidence) -> dict:
    loc = evidence.location
    physical: dict = {"artifactLocation": {"uri": _uri(loc.file or path)}}
    if loc.line is not None:
        region: dict = {"startLine": loc.line}
        if loc.column is not None:
            region["startColumn"] = loc.column
        if loc.end_line is not None:
            region["endLine"] = loc.end_line
        if loc.end_column is not None and loc.end_column > (loc.column or 0):
            region["endColumn"] = loc.end_column
        if evidence.display:
            region["snippet"] = {"text": evidence.display}
        physical["region"] = region
    out: dict = {"physicalLocation": physical}
    if loc.line is None:
        out["logicalLocations"] = [{"name": loc.describe(), "kind": "element"}]
    if loc.sheet is not None:  # a spreadsheet cell: SARIF regions count lines, so the cell is a logical place
        out["properties"] = {"sheet": loc.sheet, **({"address": loc.address} if loc.address else {})}
    out["message"] = {"text": f"{evidence.name} = {evidence.display}"}
    return out


def _result(path: str, finding: Finding, rule_index: dict[str, int]) -> dict:
    result: dict = {
        "ruleId": finding.rule_id,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [_location(path, e) for e in finding.locations[:1]] or [
            {"physicalLocation": {"artifactLocation": {"uri": _uri(
                (finding.location.file if finding.location is not None else None) or path)}}}],
        "properties": {"values": dict(finding.values), "expected": finding.expected,
                       "difference": finding.difference, "citation": finding.citation},
    }
    if finding.rule_id in rule_index:
        result["ruleIndex"] = rule_index[finding.rule_id]
    if len(finding.locations) > 1:
        result["relatedLocations"] = [dict(_location(path, e), id=i) for i, e in enumerate(finding.locations[1:], 1)]
    if finding.record:
        result["properties"]["record"] = dict(finding.record)
    return result


class SarifStream:
    """The SARIF log written document by document: the run's results array is streamed; the artifacts
    and the unreadable files' notifications (small) follow it and are written at the end."""

    _MARK = "\u0000results\u0000"  # stands for the results in the skeleton; no path or title holds NUL

    def __init__(self, info: RunInfo) -> None:
        self.rules = [{
            "id": r.id, "name": r.id, "shortDescription": {"text": r.title},
            "defaultConfiguration": {"level": LEVELS.get(r.severity, "warning")},
            **({"help": {"text": f"依据: {r.citation}"}, "properties": {"citation": r.citation}} if r.citation else {}),
        } for r in info.rules]
        self.index = {r.id: i for i, r in enumerate(info.rules)}
        self.version = info.version
        self.artifacts: list[dict] = []
        self.notifications: list[dict] = []
        self.written = 0

    def _skeleton(self) -> tuple[str, str]:
        """The log's text before and after the results."""
        run: dict = {"tool": {"driver": {"name": "juesuan", "version": self.version, "rules": self.rules}},
                     "results": [self._MARK], "artifacts": self.artifacts}
        if self.notifications:
            run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": self.notifications}]
        text = json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2)
        before, after = text.split("\n" + " " * 8 + json.dumps(self._MARK), 1)
        return before, after + "\n"

    def header(self) -> str:
        return self._skeleton()[0]

    def document(self, result: DocumentResult) -> str:
        self.artifacts.extend({"location": {"uri": _uri(p)}} for p in (result.files or (result.path,)))
        if result.error is not None:
            self.notifications.append({"level": "error", "message": {"text": result.error}})
        parts = []
        for finding in result.findings:
            self.written += 1
            parts.append(array_item(_result(result.path, finding, self.index), self.written == 1, depth=4))
        return "".join(parts)

    def footer(self) -> str:
        after = self._skeleton()[1]
        return after if self.written else after[len("\n" + " " * 6):]


def stream(info: RunInfo) -> SarifStream:
    return SarifStream(info)


def render(results: list[DocumentResult], info: RunInfo) -> str:
    return render_stream(stream(info), results)
