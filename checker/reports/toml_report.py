"""The TOML report: the JSON report's content written with tomli-w (nulls left out, as TOML has none)."""

from __future__ import annotations

import tomli_w

from checker.reports.json_report import report_dict
from checker.reports.model import DocumentResult, RunInfo


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def render(results: list[DocumentResult], info: RunInfo) -> str:
    return tomli_w.dumps(_drop_none(report_dict(results, info)))
