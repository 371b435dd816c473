"""Baselines: findings accepted once (explained to the regulator) stay hidden; new and changed ones do not.

A finding is remembered by what it is about, never by where it stands: its rule id, the record it is
about (类/款/项, table row, indicator …), the names of the figures it quotes and their values. Line
numbers change with every edit above a figure; none of these do. A position that is itself a record's
key (a word typed twice, keyed by where it stands) is left out, so such findings survive edits too —
two identical slips then count as two of the same finding.

Matching a document's findings with its baseline entries, per identity (rule, record, figure names):
the same values → *hidden*; the same identity with other values → *changed* (reported, with the values
the baseline had); no entry → *new*; an entry no finding matches any more → *fixed*.

The file (``schema: juesuan.baseline/1``) is JSON, keyed by each document's path relative to the
baseline file's folder, so a baseline kept beside the reports works from any working folder.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from checker.errors import UsageError
from checker.facts.model import Dims
from checker.findings import Finding
from checker.reports.model import BaselineOutcome, DocumentResult

SCHEMA_ID = "juesuan.baseline/1"

#: A record key or figure name part that is a place in the document (12:5, page 3 12:5, table 2 row 3 cell 4,
#: paragraph 7 col 3): positional, so left out of the fingerprint.
_PLACE = r"(?:page \d+ )?(?:\d+:\d+|(?:table|row|cell|paragraph|col) \d+(?: (?:row|cell|col) \d+)*)"
_PLACE_VALUE = re.compile(rf"^{_PLACE}$")
_PLACE_IN_NAME = re.compile(rf"\[([^\[\]]*?){_PLACE}([^\[\]]*?)\]")
PLACE_MARK = "@"


def _unplaced_value(value: str) -> str:
    return PLACE_MARK if _PLACE_VALUE.match(value) else value


def _unplaced_name(name: str) -> str:
    return _PLACE_IN_NAME.sub(lambda m: f"[{m.group(1)}{PLACE_MARK}{m.group(2)}]", name)


@dataclass(frozen=True)
class Entry:
    """One remembered finding: what it is about and the values it quoted (as the baseline file stores it)."""

    rule: str
    record: Dims = ()
    figures: tuple[tuple[str, str], ...] = ()  # (figure name, value as printed)
    severity: str = ""
    message: str = ""

    @property
    def identity(self) -> tuple:
        """Rule, record and figure names, positions left out: what stays the same when a value changes."""
        return (self.rule, tuple((k, _unplaced_value(v)) for k, v in self.record),
                tuple(_unplaced_name(name) for name, _ in self.figures))

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for _, value in self.figures)

    def as_dict(self) -> dict:
        out: dict = {"rule": self.rule}
        if self.record:
            out["record"] = dict(self.record)
        out["figures"] = [{"name": name, "value": value} for name, value in self.figures]
        out["severity"] = self.severity
        out["message"] = self.message
        return out

    def describe(self) -> str:
        """One line for a fixed entry: the rule, its record and the figures it quoted."""
        record = " [" + ", ".join(f"{k}={v}" for k, v in self.record) + "]" if self.record else ""
        figures = "; ".join(f"{n} = {v}" for n, v in self.figures)
        return f"{self.rule}{record}: {self.message}" + (f" ({figures})" if figures else "")


def entry_for(finding: Finding) -> Entry:
    """A finding as the baseline remembers it."""
    return Entry(finding.rule_id, finding.record, tuple((e.name, e.display) for e in finding.locations),
                 finding.severity, finding.message)


def match(findings: Sequence[Finding], entries: Sequence[Entry]) -> BaselineOutcome:
    """Which findings the baseline hides, which changed, which are new, and which entries are fixed.

    Within one identity, findings whose values equal an entry's are paired first (hidden); the rest pair
    with the remaining entries in document order (changed); what is left over is new or fixed."""
    pending: dict[tuple, list[Entry]] = {}
    for entry in entries:
        pending.setdefault(entry.identity, []).append(entry)
    mine = [entry_for(f) for f in findings]
    hidden: set[int] = set()
    for i, entry in enumerate(mine):
        candidates = pending.get(entry.identity, [])
        same = next((j for j, e in enumerate(candidates) if e.values == entry.values), None)
        if same is not None:
            candidates.pop(same)
            hidden.add(i)
    shown: list[Finding] = []
    for i, finding in enumerate(findings):
        if i in hidden:
            continue
        candidates = pending.get(mine[i].identity, [])
        if candidates:
            shown.append(replace(finding, baseline="changed", was=candidates.pop(0).figures))
        else:
            shown.append(replace(finding, baseline="new"))
    fixed = tuple(e for group in pending.values() for e in group)
    return BaselineOutcome(tuple(shown), len(hidden), fixed)


def apply(result: DocumentResult, entries: Sequence[Entry]) -> DocumentResult:
    """The document's result with the baseline's findings hidden (an unreadable document is left alone)."""
    if result.error is not None:
        return result
    outcome = match(result.findings, entries)
    shown = list(outcome.shown)
    result.suggestions = _renumbered(result.suggestions, result.findings, shown)
    result.findings = shown
    result.baseline = outcome
    return result


def _renumbered(suggestions: list, before: list[Finding], after: list[Finding]) -> list:
    """The fix suggestions with their findings' indexes into the findings still shown; a suggestion whose
    findings are all hidden goes with them."""
    position = {id(f): i for i, f in enumerate(after)}
    out = []
    for suggestion in suggestions:
        kept = tuple(position[id(before[n])] for n in suggestion.findings if id(before[n]) in position)
        if kept:
            out.append(replace(suggestion, findings=kept))
    return out


# ---- the file -------------------------------------------------------------------------------------------

def document_key(path: str | Path, baseline_file: Path) -> str:
    """A document's key in the baseline: its path relative to the baseline file's folder, with / separators."""
    base = baseline_file.resolve().parent
    try:
        return Path(os.path.relpath(Path(path).resolve(), base)).as_posix()
    except ValueError:  # another drive (Windows): the absolute path
        return Path(path).resolve().as_posix()


@dataclass
class Baseline:
    """The entries of every document, by document key."""

    documents: dict[str, list[Entry]] = field(default_factory=dict)

    def entries(self, path: str | Path, baseline_file: Path) -> list[Entry]:
        return self.documents.get(document_key(path, baseline_file), [])

    def as_dict(self) -> dict:
        return {"schema": SCHEMA_ID,
                "documents": {key: [e.as_dict() for e in entries] for key, entries in sorted(self.documents.items())}}


def recorded(documents: Iterable[tuple[str, Sequence[Entry]]], baseline_file: Path) -> Baseline:
    """A baseline of the given (document path, entries) pairs; documents without findings are left out."""
    out = Baseline()
    for path, entries in documents:
        if entries:
            out.documents.setdefault(document_key(path, baseline_file), []).extend(entries)
    return out


def load(path: Path) -> Baseline:
    """Read a baseline file; anything unreadable or malformed is a `UsageError` naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such baseline file (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the baseline: {getattr(error, 'strerror', None) or error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: not a baseline file: invalid JSON at line {error.lineno}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
        raise UsageError(f"{path}: not a baseline file (expected \"schema\": \"{SCHEMA_ID}\")")
    documents = data.get("documents")
    if not isinstance(documents, dict):
        raise UsageError(f"{path}: documents must be an object of document paths")
    out = Baseline()
    for key, entries in documents.items():
        if not isinstance(entries, list):
            raise UsageError(f"{path}: {key}: expected a list of findings")
        out.documents[key] = [_entry(path, key, n, raw) for n, raw in enumerate(entries, 1)]
    return out


def _entry(path: Path, key: str, n: int, raw: object) -> Entry:
    where = f"{path}: {key}: finding {n}"
    if not isinstance(raw, dict) or not isinstance(raw.get("rule"), str):
        raise UsageError(f"{where}: needs a rule id")
    record = raw.get("record", {})
    figures = raw.get("figures", [])
    if not isinstance(record, dict) or not all(isinstance(v, str) for v in record.values()):
        raise UsageError(f"{where}: record must be an object of texts")
    if not isinstance(figures, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) and isinstance(f.get("value"), str)
            for f in figures):
        raise UsageError(f"{where}: figures must be a list of {{name, value}}")
    return Entry(raw["rule"], tuple(record.items()), tuple((f["name"], f["value"]) for f in figures),
                 str(raw.get("severity", "")), str(raw.get("message", "")))


def write(baseline: Baseline, path: Path) -> None:
    """Write the file whole (beside it under a temporary name first: an interrupted run leaves the old one)."""
    partial = path.with_name(f".{path.name}.partial")
    text = json.dumps(baseline.as_dict(), ensure_ascii=False, indent=2) + "\n"
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UsageError(f"{path}: cannot write the baseline: {error.strerror or error}") from None
