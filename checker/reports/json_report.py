"""The JSON report, schema ``juesuan.report/1`` (see schemas/juesuan.report.schema.json)."""

from __future__ import annotations

import json
from textwrap import indent

from checker.findings import Evidence, Finding, NotEvaluated
from checker.reports.model import DocumentResult, RunInfo, render_stream

SCHEMA_ID = "juesuan.report/1"


def location_dict(evidence: Evidence) -> dict:
    loc = evidence.location
    out: dict = {key: getattr(loc, key) for key in ("line", "column", "end_line", "end_column")
                 if getattr(loc, key) is not None}
    for key in ("paragraph", "table", "row", "cell", "page", "sheet", "address", "file"):
        if getattr(loc, key) is not None:
            out[key] = getattr(loc, key)
    out["text"] = evidence.display
    out["name"] = evidence.name
    if evidence.source:
        out["context"] = evidence.source
    return out


def finding_dict(finding: Finding, explain: bool) -> dict:
    out = {
        "rule": finding.rule_id, "severity": finding.severity, "title": finding.title,
        "message": finding.message, "citation": finding.citation,
        "locations": [location_dict(e) for e in finding.locations],
        "values": dict(finding.values), "expected": finding.expected, "difference": finding.difference,
    }
    if finding.record:
        out["record"] = dict(finding.record)
    if explain:
        out["trace"] = [t.as_dict() for t in finding.trace]
    return out


def not_evaluated_dict(item: NotEvaluated) -> dict:
    out = {"rule": item.rule_id, "reason": item.reason, "missing": list(item.missing)}
    if item.record:
        out["record"] = dict(item.record)
    return out


def document_dict(result: DocumentResult, info: RunInfo) -> dict:
    doc: dict = {"path": result.path}
    if result.files:
        doc["files"] = list(result.files)
    if result.error is not None:
        doc["error"] = result.error
    doc["findings"] = [finding_dict(f, info.explain) for f in result.findings]
    doc["not_evaluated"] = [not_evaluated_dict(n) for n in result.not_evaluated]
    doc["passed"] = list(result.passed)
    doc["summary"] = result.counts()
    return doc


def array_item(value: object, first: bool, depth: int) -> str:
    """One item of a JSON array written piece by piece, as ``json.dumps(..., indent=2)`` places it at
    ``depth`` (the array's own depth is ``depth - 1``): its separator, then the item indented."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return ("\n" if first else ",\n") + indent(text, "  " * depth)


class JsonStream:
    """The report written document by document: the same text as dumping ``{"schema": …, "documents":
    [document_dict(r) for each result]}`` whole with ``indent=2``."""

    def __init__(self, info: RunInfo) -> None:
        self.info = info
        self.written = 0

    def header(self) -> str:
        return f'{{\n  "schema": {json.dumps(SCHEMA_ID)},\n  "documents": ['

    def document(self, result: DocumentResult) -> str:
        self.written += 1
        return array_item(document_dict(result, self.info), self.written == 1, depth=2)

    def footer(self) -> str:
        return ("\n  ]" if self.written else "]") + "\n}\n"


def stream(info: RunInfo) -> JsonStream:
    return JsonStream(info)


def render(results: list[DocumentResult], info: RunInfo) -> str:
    return render_stream(stream(info), results)
