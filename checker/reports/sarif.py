"""SARIF 2.1.0: one run, the rules that ran as the driver's rules, one result per finding.

Text inputs get regions (line/column); Word, PDF and spreadsheet inputs, whose places are
paragraphs, tables, pages and cells, get a logical location naming that place (``收入决算表!C7``
for a cell, with the sheet and address in the location's properties). In a bundle each location's
artifact is the member file the figure is in, and every member is an artifact of the run.

A fix suggestion is a result of its own (rule ``SUGGEST``, level note) at the likely mistyped figure,
with the findings it explains as related locations; it and each finding it explains carry SARIF
``fixes``: the replacement text at the figure's region, one fix per equally likely candidate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from checker.findings import Evidence, Finding
from checker.reports.json_report import array_item
from checker.reports.model import DocumentResult, RunInfo, render_stream
from checker.suggest.model import Candidate, Suggestion

SUGGEST_RULE = {"id": "SUGGEST", "name": "likely-mistyped-figure",
                "shortDescription": {"text": "可能录入错误的数字及其应有的值"},
                "fullDescription": {"text": "The figure whose change would make every finding of a group hold "
                                            "while every identity that holds now still holds, and its value."},
                "defaultConfiguration": {"level": "note"}}

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def _location(path: str, evidence: Evidence) -> dict:
    loc = evidence.location
    physical: dict = {"artifactLocation": {"uri": _uri(loc.document or loc.file or path)}}
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


def _fix(path: str, candidate: Candidate) -> dict | None:
    """A candidate as a SARIF fix: each figure's region replaced by its new text (None for a figure that
    has no line and columns — Word and PDF input — or whose value is not singled out among several)."""
    replacements = []
    for change in candidate.changes:
        loc = change.location
        if loc.line is None or loc.column is None or loc.end_column is None or not change.settled:
            return None
        replacements.append({"deletedRegion": {"startLine": loc.line, "startColumn": loc.column,
                                               "endLine": loc.end_line or loc.line, "endColumn": loc.end_column},
                             "insertedContent": {"text": change.replacement}})
    description = "; ".join(f"{c.figure} {c.display} → {c.replacement}" for c in candidate.changes)
    return {"description": {"text": description},
            "artifactChanges": [{"artifactLocation": {"uri": _uri(path)}, "replacements": replacements}]}


def _fixes(path: str, suggestion: Suggestion) -> list[dict]:
    return [fix for candidate in suggestion.candidates if (fix := _fix(path, candidate)) is not None]


def _suggestion_result(path: str, suggestion: Suggestion, findings: list[Finding], rule_index: dict[str, int]
                       ) -> dict:
    changes = [c for candidate in suggestion.candidates for c in candidate.changes]
    places = [_location(path, Evidence(c.fact, c.display, c.location)) for c in changes]
    related = [dict(place, id=i) for i, place in enumerate(places[1:], 1)]
    for number in suggestion.findings:
        finding = findings[number]
        if finding.locations:
            place = _location(path, finding.locations[0])
            place["message"] = {"text": f"{finding.rule_id}: {finding.message}"}
            related.append(dict(place, id=len(related) + 1))
    result: dict = {
        "ruleId": SUGGEST_RULE["id"], "level": "note", "message": {"text": suggestion.message()},
        "locations": places[:1],
        "properties": {"explains": suggestion.rules, "ambiguous": suggestion.ambiguous,
                       "applicable": suggestion.applicable},
    }
    if SUGGEST_RULE["id"] in rule_index:
        result["ruleIndex"] = rule_index[SUGGEST_RULE["id"]]
    if related:
        result["relatedLocations"] = related
    fixes = _fixes(path, suggestion)
    if fixes:
        result["fixes"] = fixes
    return result


#: SARIF's names for what a baseline comparison found (§3.27.24).
BASELINE_STATES = {"new": "new", "changed": "updated"}


def _result(path: str, finding: Finding, rule_index: dict[str, int], fixes: list[dict] | None = None) -> dict:
    # The result's place is its first figure in this document; the others (also last year's report's) are related.
    ordered = sorted(finding.locations, key=lambda e: e.location.document is not None)
    result: dict = {
        "ruleId": finding.rule_id,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [_location(path, e) for e in ordered[:1] if e.location.document is None] or [
            {"physicalLocation": {"artifactLocation": {"uri": _uri(
                (finding.location.file if finding.location is not None else None) or path)}}}],
        "properties": {"values": dict(finding.values), "expected": finding.expected,
                       "difference": finding.difference, "citation": finding.citation},
    }
    if finding.rule_id in rule_index:
        result["ruleIndex"] = rule_index[finding.rule_id]
    related = ordered[1:] if ordered and ordered[0].location.document is None else ordered
    if related:
        result["relatedLocations"] = [dict(_location(path, e), id=i) for i, e in enumerate(related, 1)]
    if finding.record:
        result["properties"]["record"] = dict(finding.record)
    if fixes:
        result["fixes"] = fixes
    if finding.baseline is not None:
        result["baselineState"] = BASELINE_STATES[finding.baseline]
    return result


def _absent(path: str, entry: Any, rule_index: dict[str, int]) -> dict:
    """A baseline finding that no longer occurs (``--show-fixed``)."""
    result: dict = {"ruleId": entry.rule, "level": LEVELS.get(entry.severity, "warning"),
                    "message": {"text": entry.message or entry.rule}, "baselineState": "absent",
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(path)}}}],
                    "properties": {"values": dict(entry.figures)}}
    if entry.rule in rule_index:
        result["ruleIndex"] = rule_index[entry.rule]
    if entry.record:
        result["properties"]["record"] = dict(entry.record)
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
        if info.suggestions:
            self.rules.append(SUGGEST_RULE)
        self.index = {r["id"]: i for i, r in enumerate(self.rules)}
        self.version = info.version
        self.show_fixed = info.show_fixed
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
        fixes: dict[int, list[dict]] = {}
        for suggestion in result.suggestions:
            for number in suggestion.findings:
                fixes.setdefault(number, []).extend(_fixes(result.path, suggestion))
        items = [_result(result.path, f, self.index, fixes.get(n)) for n, f in enumerate(result.findings)]
        items += [_suggestion_result(result.path, s, result.findings, self.index) for s in result.suggestions]
        parts = []
        if self.show_fixed and result.baseline is not None:
            items.extend(_absent(result.path, entry, self.index) for entry in result.baseline.fixed)
        for item in items:
            self.written += 1
            parts.append(array_item(item, self.written == 1, depth=4))
        return "".join(parts)

    def footer(self) -> str:
        after = self._skeleton()[1]
        return after if self.written else after[len("\n" + " " * 6):]


def stream(info: RunInfo) -> SarifStream:
    return SarifStream(info)


def render(results: list[DocumentResult], info: RunInfo) -> str:
    return render_stream(stream(info), results)
