"""The TOML report: the JSON report's content written with tomli-w (nulls left out, as TOML has none)."""

from __future__ import annotations

import tomli_w

from checker.reports.json_report import SCHEMA_ID, document_dict
from checker.reports.model import DocumentResult, RunInfo, render_stream


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


class TomlStream:
    """The report written document by document, each as one ``[[documents]]`` table. tomli-w writes a
    document inline only when it fits in 100 columns, and none does: its summary table alone takes 66 and
    the keys every document has take 50 more. So the text is what tomli-w writes for the whole report."""

    def __init__(self, info: RunInfo) -> None:
        self.info = info
        self.written = 0

    def header(self) -> str:
        return tomli_w.dumps({"schema": SCHEMA_ID})

    def document(self, result: DocumentResult) -> str:
        self.written += 1
        return "\n" + tomli_w.dumps({"documents": [_drop_none(document_dict(result, self.info))]})

    def footer(self) -> str:
        return "" if self.written else "documents = []\n"


def stream(info: RunInfo) -> TomlStream:
    return TomlStream(info)


def render(results: list[DocumentResult], info: RunInfo) -> str:
    return render_stream(stream(info), results)
