"""The language server (pygls, over standard input and output): diagnostics as the author types, completion,
hover, go-to-definition and the outline of ``.rules`` files.

The handlers are thin: each converts the client's positions to string positions, asks `checker.lsp.analysis`
and the feature modules, and converts back (UTF-16 by default, whatever the client negotiated). A file is
analysed when it is opened and on every change; the analysis is kept for the requests that follow.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from checker.cache import cache_dir
from checker.errors import JuesuanError
from checker.lsp.analysis import Analysis, RuleSet, analyze
from checker.lsp.chunks import IncrementalParser
from checker.lsp.completion import Where, complete
from checker.lsp.cursor import NAME, RULE_ID
from checker.lsp.hover import hover
from checker.lsp.navigation import Place, definition, symbols
from dsl.diagnostics import Diagnostic

NAME_OF_SERVER = "juesuan"
_TOKEN = re.compile(rf"{NAME.pattern}|{RULE_ID.pattern}|\"(?:[^\"\\\n]|\\.)*\"?|\S")
_SYMBOL_KINDS = {"rule": types.SymbolKind.Function, "let": types.SymbolKind.Variable,
                 "import": types.SymbolKind.File}


class RulesServer(LanguageServer):
    """The server's state: the workspace's rule set, the incremental parser and each open file's analysis."""

    def __init__(self) -> None:
        super().__init__(NAME_OF_SERVER, _version())
        self.root: Path | None = None
        self.config_file: str | None = None
        self._rules: RuleSet | None = None
        self.parser = IncrementalParser(tables=cache_dir())
        self.analyses: dict[str, Analysis] = {}
        self._frozen = False

    @property
    def rules(self) -> RuleSet:
        """The workspace's rule set, loaded on first use; a wrong configuration is shown to the author and
        the defaults are used instead."""
        if self._rules is None:
            try:
                self._rules = RuleSet.load(self.root, self.config_file)
            except JuesuanError as error:
                self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"juesuan: {error}"))
                self._rules = RuleSet.load(Path("/"))
        return self._rules

    def analysis(self, uri: str) -> Analysis:
        """The analysis of the open document ``uri`` at its current text."""
        document = self.workspace.get_text_document(uri)
        kept = self.analyses.get(uri)
        if kept is not None and kept.text == document.source.removeprefix("\ufeff"):
            return kept
        path = to_fs_path(uri) or uri
        found = analyze(self.rules, path, document.source, self.parser, self._buffer)
        self.analyses[uri] = found
        if not self._frozen:
            # The rule set and the packs' parsed items live as long as the server: keep them out of the
            # collector's way, so that a collection while typing does not walk them all.
            gc.freeze()
            self._frozen = True
        return found

    def _buffer(self, path: str) -> str | None:
        uri = from_fs_path(str(Path(path).resolve()))
        if uri is None or uri not in self.workspace.text_documents:
            return None
        return self.workspace.get_text_document(uri).source

    def publish(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        found = self.analysis(uri)
        lines = document.lines
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=[self.diagnostic(d, lines) for d in found.diagnostics]))

    def diagnostic(self, d: Diagnostic, lines) -> types.Diagnostic:
        line = max(d.line - 1, 0)
        start = max(d.column - 1, 0)
        source = lines[line].rstrip("\r\n") if line < len(lines) else ""
        token = _TOKEN.match(source, start) if start < len(source) else None
        end = token.end() if token else start
        text = d.message + "".join(f"\n{label}: {value}" for label, value in
                                   (("expected", d.expected), ("help", d.suggestion)) if value)
        severity = types.DiagnosticSeverity.Warning if d.severity == "warning" else types.DiagnosticSeverity.Error
        return types.Diagnostic(range=self.to_client(lines, line, start, end), message=text, severity=severity,
                                code=d.code, source=NAME_OF_SERVER)

    def to_client(self, lines, line: int, start: int, end: int) -> types.Range:
        codec = self.workspace.position_codec
        return types.Range(codec.position_to_client_units(lines, types.Position(line, start)),
                           codec.position_to_client_units(lines, types.Position(line, end)))

    def from_client(self, uri: str, position: types.Position) -> tuple[int, int]:
        document = self.workspace.get_text_document(uri)
        found = self.workspace.position_codec.position_from_client_units(
            document.lines, types.Position(position.line, position.character))
        return found.line, found.character

    def location(self, place: Place) -> types.Location:
        uri = from_fs_path(str(Path(place.file).resolve())) or place.file
        if uri in self.workspace.text_documents:
            lines = self.workspace.get_text_document(uri).lines
        else:
            try:
                lines = Path(place.file).read_text(encoding="utf-8-sig").splitlines(keepends=True)
            except (OSError, UnicodeDecodeError):
                lines = []
        return types.Location(uri, self.to_client(lines, place.line, place.start, place.end))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("juesuan")
    except PackageNotFoundError:
        return "0"


def create_server() -> RulesServer:
    """A new server with every feature registered (the tests start one per test, in process)."""
    server = RulesServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: RulesServer, params: types.InitializeParams) -> None:
        folders = params.workspace_folders or []
        root = folders[0].uri if folders else params.root_uri
        if root:
            ls.root = Path(to_fs_path(root) or root)
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("config"), str):
            ls.config_file = options["config"]

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: RulesServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: RulesServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: RulesServer, params: types.DidSaveTextDocumentParams) -> None:
        # a saved file may be imported by, or clash with, the other open files: check them again
        for uri in list(ls.analyses):
            if uri in ls.workspace.text_documents:
                ls.analyses.pop(uri, None)
                ls.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: RulesServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.analyses.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(params.text_document.uri, []))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[".", "{", '"']))
    def completion(ls: RulesServer, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        line, character = ls.from_client(uri, params.position)
        items = complete(ls.rules, ls.analysis(uri), Where(line, character))
        lines = ls.workspace.get_text_document(uri).lines
        for item in items:
            edit = item.text_edit
            if isinstance(edit, types.TextEdit):
                edit.range = ls.to_client(lines, line, edit.range.start.character, edit.range.end.character)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: RulesServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        line, character = ls.from_client(uri, params.position)
        found = hover(ls.rules, ls.analysis(uri), line, character)
        if found is None:
            return None
        lines = ls.workspace.get_text_document(uri).lines
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, found.markdown),
                           ls.to_client(lines, found.span.line, found.span.start, found.span.end))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: RulesServer, params: types.DefinitionParams) -> types.Location | None:
        uri = params.text_document.uri
        line, character = ls.from_client(uri, params.position)
        place = definition(ls.rules, ls.analysis(uri), line, character)
        return ls.location(place) if place is not None else None

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(ls: RulesServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        uri = params.text_document.uri
        lines = ls.workspace.get_text_document(uri).lines
        out = []
        for symbol in symbols(ls.analysis(uri)):
            start, end = symbol.start, symbol.end
            whole = types.Range(ls.to_client(lines, start[0], start[1], start[1]).start,
                                ls.to_client(lines, end[0], end[1], end[1]).end)
            out.append(types.DocumentSymbol(name=symbol.name, kind=_SYMBOL_KINDS[symbol.kind], range=whole,
                                            selection_range=ls.to_client(lines, *symbol.selection),
                                            detail=symbol.detail))
        return out

    return server


def serve() -> None:
    """Run the server over standard input and output until the client ends it."""
    create_server().start_io()
