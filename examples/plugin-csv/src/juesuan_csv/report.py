"""The ``csv`` report format: one row per finding (UTF-8 with BOM so spreadsheet programs read the Chinese)."""

from __future__ import annotations

import csv
import io

from checker.reports.model import DocumentResult, RunInfo

COLUMNS = ("path", "line", "rule", "severity", "message", "expected", "difference")


def render_csv(results: list[DocumentResult], info: RunInfo) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for result in results:
        if result.error is not None:
            writer.writerow((result.path, "", "", "error", result.error, "", ""))
            continue
        for finding in result.findings:
            location = finding.location
            line = "" if location is None else (location.line or location.paragraph or "")
            writer.writerow((result.path, line, finding.rule_id, finding.severity, finding.message,
                             finding.expected or "", finding.difference or ""))
    return out.getvalue()
