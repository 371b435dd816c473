"""The JSON report, schema ``juesuan.report/1`` (see schemas/juesuan.report.schema.json)."""

from __future__ import annotations

import json

from checker.findings import Evidence, Finding, NotEvaluated
from checker.model import Location
from checker.reports.model import DocumentResult, RunInfo, render_stream
from checker.suggest.model import Change, Suggestion

SCHEMA_ID = "juesuan.report/1"


def location_dict(evidence: Evidence) -> dict:
    out = place_dict(evidence.location, evidence.display, evidence.name)
    if evidence.source:
        out["context"] = evidence.source
    return out


def place_dict(loc: Location, text: str, name: str) -> dict:
    """A figure's place as the report gives it: line and columns (or paragraph, table cell, page), the
    figure as printed and its fact name."""
    out: dict = {key: getattr(loc, key) for key in ("line", "column", "end_line", "end_column")
                 if getattr(loc, key) is not None}
    for key in ("paragraph", "table", "row", "cell", "page", "sheet", "address", "file"):
        if getattr(loc, key) is not None:
            out[key] = getattr(loc, key)
    if loc.document is not None:  # a figure of last year's report
        out["document"] = loc.document
    out["text"] = text
    out["name"] = name
    return out


def change_dict(change: Change) -> dict:
    return {"figure": change.figure, "location": place_dict(change.location, change.display, change.fact),
            "value": change.value, "replacement": change.replacement,
            "fits": {"low": change.low, "high": change.high}, "settled": change.settled, "also": list(change.also)}


def suggestion_dict(suggestion: Suggestion) -> dict:
    """A fix suggestion: the (first) figure, its place and value, every change of the likely candidate,
    the equally likely and the less likely alternatives, and the findings it explains."""
    best = suggestion.candidates[0]
    first = change_dict(best.changes[0])
    return {
        "message": suggestion.message(), "ambiguous": suggestion.ambiguous,
        "figure": first["figure"], "location": first["location"], "value": first["value"],
        "changes": [change_dict(c) for c in best.changes],
        "alternatives": [[change_dict(c) for c in other.changes] for other in suggestion.candidates[1:]],
        "more": suggestion.more,
        "less_likely": [[change_dict(c) for c in other.changes] for other in suggestion.less_likely],
        "explains": [{"rule": rule, **({"record": dict(record)} if record else {}), "finding": index}
                     for (rule, record), index in zip(suggestion.explains, suggestion.findings, strict=True)],
    }


def finding_dict(finding: Finding, explain: bool, suggestion: int | None = None) -> dict:
    out = {
        "rule": finding.rule_id, "severity": finding.severity, "title": finding.title,
        "message": finding.message, "citation": finding.citation,
        "locations": [location_dict(e) for e in finding.locations],
        "values": dict(finding.values), "expected": finding.expected, "difference": finding.difference,
    }
    if finding.record:
        out["record"] = dict(finding.record)
    if suggestion is not None:
        out["suggestion"] = suggestion
    if finding.baseline is not None:
        out["baseline"] = finding.baseline
        if finding.baseline == "changed":
            out["was"] = [{"name": name, "value": value} for name, value in finding.was]
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
    explained = result.suggestions_by_finding()
    doc["findings"] = [finding_dict(f, info.explain, explained.get(i, [None])[0])
                       for i, f in enumerate(result.findings)]
    if info.suggestions or result.suggestions:
        doc["suggestions"] = [suggestion_dict(s) for s in result.suggestions]
    doc["not_evaluated"] = [not_evaluated_dict(n) for n in result.not_evaluated]
    doc["passed"] = list(result.passed)
    doc["summary"] = result.counts()
    if result.not_in_force:
        doc["not_in_force"] = {"year": result.year, "rules": list(result.not_in_force)}
    if result.baseline is not None:
        doc["baseline"] = {"hidden": result.baseline.hidden, "changed": result.baseline.changed,
                           "fixed": [entry.as_dict() for entry in result.baseline.fixed]}
    return doc


def array_item(value: object, first: bool, depth: int) -> str:
    """One item of a JSON array written piece by piece, as ``json.dumps(..., indent=2)`` places it at
    ``depth`` (the array's own depth is ``depth - 1``): its separator, then the item indented."""
    pad = "  " * depth  # every line of indented JSON has text: each is padded (as textwrap.indent would)
    text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
    return ("\n" if first else ",\n") + pad + text


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
