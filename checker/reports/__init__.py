"""Report formats. Each takes the per-document results of a run and returns the report as text.

Built-in formats register here under their names; plugins add theirs through the
``juesuan_report_formats`` hook, which fills the same table. The built-in text, JSON, SARIF and
TOML formats can also be written document by document (`stream_for`), which is how a batch of any
size is reported without holding every result.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from checker.reports.model import DocumentResult, ReportStream, RunInfo

Renderer = Callable[[list[DocumentResult], RunInfo], str]

FORMATS: dict[str, Renderer] = {}


def register_format(name: str, renderer: Renderer) -> None:
    FORMATS[name] = renderer


#: The built-in formats and the modules that render them.
BUILTIN_MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "toml": "toml_report", "html": "html"}


def builtin_renderer(name: str) -> Renderer:
    """The built-in format's renderer, importing its module on first use: a run renders one format, and
    the HTML page's assets need not be loaded to print text."""
    module = f"checker.reports.{BUILTIN_MODULES[name]}"

    def render(results: list[DocumentResult], info: RunInfo) -> str:
        return import_module(module).render(results, info)

    render.__qualname__ = render.__name__ = f"render_{BUILTIN_MODULES[name]}"
    render.__module__ = module
    render.streams_from = module  # type: ignore[attr-defined]
    return render


def stream_for(name: str, info: RunInfo) -> ReportStream | None:
    """The format's document-by-document writer, when it has one: the built-in text, JSON, SARIF and TOML
    formats do; HTML (pages and an index built from every result) and plugins' formats do not."""
    module = getattr(FORMATS.get(name), "streams_from", None)
    if module is None:
        return None
    stream = getattr(import_module(module), "stream", None)
    return stream(info) if stream is not None else None


for _name in BUILTIN_MODULES:
    register_format(_name, builtin_renderer(_name))
