"""A language-server client for the tests: the server runs in a thread of the test process, and the two talk
the real protocol (JSON-RPC with Content-Length framing) through a pair of pipes, so every request goes
through pygls' message handling and lsprotocol's (un)structuring exactly as an editor's would."""

from __future__ import annotations

import itertools
import json
import os
import queue
import threading
from pathlib import Path
from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter

from checker.lsp.server import create_server


class LspClient:
    """Start with ``with LspClient(root) as client:``; ``request`` waits for the answer, notifications from
    the server (published diagnostics) are kept per document."""

    def __init__(self, root: Path, timeout: float = 30.0) -> None:
        self.root = root
        self.timeout = timeout
        self.converter = get_converter()
        self._ids = itertools.count(1)
        self._answers: dict[int, queue.Queue] = {}
        self._diagnostics: dict[str, queue.Queue] = {}
        #: the texts of the window/showMessage notifications received
        self.messages: list[str] = []
        self._lock = threading.Lock()
        to_server_r, to_server_w = os.pipe()
        from_server_r, from_server_w = os.pipe()
        self._to_server = os.fdopen(to_server_w, "wb")
        self._from_server = os.fdopen(from_server_r, "rb")
        self.server = create_server()
        self._server_thread = threading.Thread(
            target=self.server.start_io, args=(os.fdopen(to_server_r, "rb"), os.fdopen(from_server_w, "wb")),
            daemon=True)
        self._reader = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> LspClient:
        self._server_thread.start()
        self._reader.start()
        self.initialize_result = self.request(types.INITIALIZE, types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=self.root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(self.root.as_uri(), "root")]), types.InitializeResult)
        self.notify(types.INITIALIZED, types.InitializedParams())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.request(types.SHUTDOWN, None)
            self.notify(types.EXIT, None)
        finally:
            self._to_server.close()
            self._server_thread.join(self.timeout)
            self._reader.join(self.timeout)

    # ---- the wire
    def _send(self, message: dict) -> None:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        with self._lock:
            self._to_server.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self._to_server.flush()

    def _read(self) -> None:
        while True:
            length = 0
            while True:
                header = self._from_server.readline()
                if not header:
                    return
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
                elif header in (b"\r\n", b"\n"):
                    break
            message = json.loads(self._from_server.read(length))
            if "id" in message and "method" not in message:
                self._answers.setdefault(message["id"], queue.Queue()).put(message)
            elif message.get("method") == types.WINDOW_SHOW_MESSAGE:
                self.messages.append(message["params"]["message"])
            elif message.get("method") == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
                params = message["params"]
                self._queue(params["uri"]).put(params)

    def _queue(self, uri: str) -> queue.Queue:
        with self._lock:
            return self._diagnostics.setdefault(uri, queue.Queue())

    def request(self, method: str, params: Any, result_type: Any = None) -> Any:
        number = next(self._ids)
        self._answers.setdefault(number, queue.Queue())
        self._send({"jsonrpc": "2.0", "id": number, "method": method,
                    "params": self.converter.unstructure(params) if params is not None else None})
        answer = self._answers[number].get(timeout=self.timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        result = answer.get("result")
        if result is None or result_type is None:
            return result
        return self.converter.structure(result, result_type)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method,
                    "params": self.converter.unstructure(params) if params is not None else None})

    # ---- documents
    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.resolve().as_uri()
        self.versions = getattr(self, "versions", {})
        self.versions[uri] = 1
        self.notify(types.TEXT_DOCUMENT_DID_OPEN, types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri, "juesuan-rules", 1, path.read_text(encoding="utf-8") if text is None else text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        """Replace the whole text (a full-document change)."""
        self.versions[uri] += 1
        self.notify(types.TEXT_DOCUMENT_DID_CHANGE, types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(self.versions[uri], uri),
            [types.TextDocumentContentChangeWholeDocument(text)]))

    def edit(self, uri: str, line: int, start: int, end: int, text: str) -> None:
        """An incremental change: replace characters ``start``–``end`` (UTF-16) of ``line`` with ``text``."""
        self.versions[uri] += 1
        self.notify(types.TEXT_DOCUMENT_DID_CHANGE, types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(self.versions[uri], uri),
            [types.TextDocumentContentChangePartial(
                types.Range(types.Position(line, start), types.Position(line, end)), text)]))

    def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics published for the document's latest version (waits for them)."""
        wanted = self.versions.get(uri)
        while True:
            params = self._queue(uri).get(timeout=self.timeout)
            if wanted is None or params.get("version") in (None, wanted):
                return self.converter.structure(params["diagnostics"], list[types.Diagnostic])

    # ---- requests
    def completion(self, uri: str, line: int, character: int) -> list[types.CompletionItem]:
        result = self.request(types.TEXT_DOCUMENT_COMPLETION, types.CompletionParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)), types.CompletionList)
        return result.items if result is not None else []

    def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        return self.request(types.TEXT_DOCUMENT_HOVER, types.HoverParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)), types.Hover)

    def definition(self, uri: str, line: int, character: int) -> types.Location | None:
        result = self.request(types.TEXT_DOCUMENT_DEFINITION, types.DefinitionParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)))
        if isinstance(result, list):
            result = result[0] if result else None
        return self.converter.structure(result, types.Location) if result else None

    def symbols(self, uri: str) -> list[types.DocumentSymbol]:
        return self.request(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, types.DocumentSymbolParams(
            types.TextDocumentIdentifier(uri)), list[types.DocumentSymbol])
