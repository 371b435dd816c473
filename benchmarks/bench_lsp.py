"""How fast the language server answers a 500-line rule file, as an editor sees it.

    python benchmarks/bench_lsp.py [--rounds N]

Starts ``juesuan lsp`` as an editor does (a process talking JSON-RPC over stdin/stdout), opens a generated
500-line rule file (the built-in packs' rules, renumbered) and times, from the moment a change is written to
the moment its ``publishDiagnostics`` arrives:

* open: the first diagnostics of the file (the rule set's packs are parsed and checked for the first time);
* a typo typed inside a line (a name misspelled: one rule parsed again, the file checked with the packs);
* the typo corrected (back to no diagnostics);
* a new line at the top (every item of the file moves down: positions shifted, nothing parsed again);
* a syntax error typed (a comparison left without its right-hand side);
* hover and completion requests on the same file (request to answer).

The target: a diagnostic within 100 ms for a 500-line file. The table goes to standard output and to
benchmarks/results-lsp.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKS = sorted((ROOT / "rules" / "national").glob("*.rules"))
TARGET = 0.100
RESULTS = ROOT / "benchmarks" / "results-lsp.md"


def rule_file(lines: int = 500) -> str:
    """About ``lines`` lines of real rules: the built-in packs' rules in order, ids renumbered (ED-…) so that
    they do not clash with the packs the server loads beside the file; cut at a rule's end."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in PACKS)
    text = re.sub(r"^(\s*(?:rule|规则)\s+)([A-Za-z]+)-", r"\1ED\2-", text, flags=re.M)
    out: list[str] = []
    for line in text.split("\n"):
        if len(out) >= lines and re.match(r"\s*(?:rule|规则|#:|let|定义)\b", line):
            break
        out.append(line)
    return "\n".join(out).rstrip() + "\n"


class Server:
    """``juesuan lsp`` in a child process, with a blocking reader of its messages."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "checker.cli", "lsp"], cwd=folder,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.ids = 0

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while True:
            header = self.process.stdout.readline()
            if not header:
                raise RuntimeError("the server ended")
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
            elif header == b"\r\n":
                return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params: dict) -> dict:
        self.ids += 1
        self.send({"id": self.ids, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.ids:
                return message

    def diagnostics_for(self, version: int) -> list:
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and \
                    message["params"].get("version") == version:
                return message["params"]["diagnostics"]

    def close(self) -> None:
        self.request("shutdown", {})
        self.send({"method": "exit"})
        self.process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    text = rule_file()
    folder = Path(tempfile.mkdtemp(prefix="juesuan-lsp-"))
    path = folder / "big.rules"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    server = Server(folder)
    server.request("initialize", {"capabilities": {}, "rootUri": folder.as_uri()})
    server.send({"method": "initialized", "params": {}})
    version = 1
    start = time.perf_counter()
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "juesuan", "version": version, "text": text}}})
    first = server.diagnostics_for(version)
    opened = time.perf_counter() - start
    assert first == [], first

    lines = text.split("\n")
    typo_line = next(i for i, line in enumerate(lines) if "三公经费.合计" in line and "assert" in line)
    column = lines[typo_line].index("三公经费.合计") + len("三公经费.合")
    edit_line = next(i for i in range(len(lines) // 2, len(lines)) if re.search(r"assert .* (==|>=|<=) \S+$",
                                                                                 lines[i]))
    times: dict[str, list[float]] = {"typo inside a line": [], "typo corrected": [], "new line at the top": [],
                                     "syntax error typed": []}
    top_lines = 0

    def change(changes: list[dict]) -> tuple[float, list]:
        nonlocal version
        version += 1
        began = time.perf_counter()
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": changes}})
        found = server.diagnostics_for(version)
        return time.perf_counter() - began, found

    def span(line: int, a: int, b: int, new: str) -> dict:
        return {"range": {"start": {"line": line, "character": a}, "end": {"line": line, "character": b}},
                "text": new}

    for _ in range(args.rounds):
        took, found = change([span(typo_line + top_lines, column, column + 1, "记")])
        assert len(found) == 1 and "unknown name" in found[0]["message"], found
        times["typo inside a line"].append(took)
        took, found = change([span(typo_line + top_lines, column, column + 1, "计")])
        assert found == [], found
        times["typo corrected"].append(took)
        took, found = change([span(0, 0, 0, "\n")])
        top_lines += 1
        assert found == [], found
        times["new line at the top"].append(took)
        line = edit_line + top_lines
        end = len(lines[edit_line])
        value = re.search(r"\S+$", lines[edit_line]).group(0)
        took, found = change([span(line, end - len(value), end, "")])
        assert len(found) == 1, found
        times["syntax error typed"].append(took)
        change([span(line, end - len(value), end - len(value), value)])

    hover_times, completion_times = [], []
    for _ in range(args.rounds):
        position = {"line": typo_line + top_lines, "character": column}
        began = time.perf_counter()
        assert server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})["result"]
        hover_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        found = server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {
            "line": typo_line + top_lines, "character": lines[typo_line].index("三公经费.合计") + len("三公经费.")}})
        assert found["result"]["items"]
        completion_times.append(time.perf_counter() - began)
    server.close()

    out = ["# Language server benchmark", "",
           f"`python benchmarks/bench_lsp.py` on {platform.machine()}, nproc {os.cpu_count()}, Python "
           f"{platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}: a {len(text.splitlines())}-line rule "
           f"file ({sum(1 for line in lines if re.match(r'(rule|规则) ', line))} rules) beside the built-in packs, "
           f"{args.rounds} rounds; times from the change written to its diagnostics received.", "",
           "| Measure | median | p95 | worst | target |", "|---|---|---|---|---|",
           f"| open (first diagnostics, packs parsed cold) | {opened * 1000:.0f} ms | | | |"]
    for label, values in [*times.items(), ("hover", hover_times), ("completion after `三公经费.`", completion_times)]:
        ordered = sorted(values)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        target = f"≤ {TARGET * 1000:.0f} ms" if label in times else ""
        out.append(f"| {label} | {statistics.median(values) * 1000:.0f} ms | {p95 * 1000:.0f} ms | "
                   f"{ordered[-1] * 1000:.0f} ms | {target} |")
    print("\n".join(out))
    RESULTS.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"written: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
