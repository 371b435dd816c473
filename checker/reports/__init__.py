"""Report formats. Each takes the per-document results of a run and returns the report as text.

Built-in formats register here under their names; plugins add theirs through the
``juesuan_report_formats`` hook, which fills the same table.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.reports.model import DocumentResult, RunInfo

Renderer = Callable[[list[DocumentResult], RunInfo], str]

FORMATS: dict[str, Renderer] = {}


def register_format(name: str, renderer: Renderer) -> None:
    FORMATS[name] = renderer


def _register_builtins() -> None:
    from checker.reports import html, json_report, sarif, text, toml_report

    register_format("text", text.render)
    register_format("json", json_report.render)
    register_format("sarif", sarif.render)
    register_format("toml", toml_report.render)
    register_format("html", html.render)


_register_builtins()
