"""The JSON reports (with explanations, fix suggestions and the rules not evaluated) and the facts of every
project fixture, as recorded in ``tests/golden/reports``: a change meant to make the checker faster must
leave both byte for byte as they were (`tests/test_golden_reports.py`).

    python tests/golden_reports.py          # rewrite the recorded reports after a deliberate change

Run from anywhere; documents are named by their path from the project root, so the reports do not
depend on where the project lies.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "reports"
CHECK_OPTIONS = ("--format", "json", "--explain", "--fix-suggestions", "--show-not-evaluated", "--jobs", "1")


def documents() -> list[str]:
    """Every disclosure the project holds, by path from the root: the demo, the fixtures of every style."""
    fixtures = ROOT / "tests" / "fixtures"
    found = [ROOT / "examples" / "demo" / "disclosure.txt",
             *sorted(fixtures.glob("docs/*.txt")), *sorted(fixtures.glob("styles/*.txt")),
             *sorted(fixtures.glob("years/*.txt"))]
    return [p.relative_to(ROOT).as_posix() for p in found]


def golden_name(document: str) -> str:
    return document.replace("/", "__").removesuffix(".txt")


@contextlib.contextmanager
def at_root() -> Iterator[None]:
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def _run(args: list[str]) -> str:
    from checker.cli import main

    out = io.StringIO()
    with at_root(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(args)
    if status not in (0, 1):
        raise RuntimeError(f"juesuan {' '.join(args)} exited {status}")
    return out.getvalue()


def report(document: str) -> str:
    """The JSON report of one document, with every optional part turned on."""
    return _run(["check", document, *CHECK_OPTIONS])


def facts_digest(document: str) -> str:
    """The SHA-256 of the document's facts and views as `juesuan facts --views --format json` lists them
    (the list itself is ~1 MB per document: its digest is kept, and `juesuan facts` shows a difference)."""
    return hashlib.sha256(_run(["facts", document, "--views", "--format", "json"]).encode()).hexdigest()


def record(document: str) -> tuple[str, str]:
    return report(document), facts_digest(document) + "\n"


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.iterdir():
        old.unlink()
    for document in documents():
        text, digest = record(document)
        (GOLDEN / f"{golden_name(document)}.json").write_text(text, encoding="utf-8")
        (GOLDEN / f"{golden_name(document)}.facts.sha256").write_text(digest, encoding="utf-8")
        print(f"recorded {document}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ["JUESUAN_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # as the tests run: installed plugins add rules
    sys.exit(main())
