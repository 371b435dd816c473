"""The JSON report, schema ``juesuan.report/1`` (see schemas/juesuan.report.schema.json)."""

from __future__ import annotations

import json

from checker.findings import Evidence, Finding, NotEvaluated
from checker.reports.model import DocumentResult, RunInfo

SCHEMA_ID = "juesuan.report/1"


def location_dict(evidence: Evidence) -> dict:
    loc = evidence.location
    out: dict = {key: getattr(loc, key) for key in ("line", "column", "end_line", "end_column")
                 if getattr(loc, key) is not None}
    for key in ("paragraph", "table", "row", "cell", "page"):
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


def report_dict(results: list[DocumentResult], info: RunInfo) -> dict:
    documents = []
    for result in results:
        doc: dict = {"path": result.path}
        if result.error is not None:
            doc["error"] = result.error
        doc["findings"] = [finding_dict(f, info.explain) for f in result.findings]
        doc["not_evaluated"] = [not_evaluated_dict(n) for n in result.not_evaluated]
        doc["passed"] = list(result.passed)
        doc["summary"] = result.counts()
        documents.append(doc)
    return {"schema": SCHEMA_ID, "documents": documents}


def render(results: list[DocumentResult], info: RunInfo) -> str:
    return json.dumps(report_dict(results, info), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
