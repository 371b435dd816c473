"""`juesuan fix FILE`: the fix suggestions for one disclosure, and with ``--apply`` a corrected copy.

Without ``--apply`` it lists what it would change. With it, a .txt disclosure is written again with the
likely mistyped figures replaced — beside the original (``NAME.fixed.txt``), at ``-o PATH``, or over the
original with ``--in-place`` — then checked again. Only suggestions with a single best candidate, whose
values are singled out, are applied; the others are listed as left for a person to decide.

Exit status: 0 when done (whether or not anything changed), 2 when the file, the rules or the command
line is wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from checker.commands.check import settings
from checker.errors import InputError, UsageError
from checker.run import Checker
from checker.suggest.apply import Applied, applicable, apply_to_text
from checker.suggest.model import Change, Suggestion


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("fix", help="name the likely mistyped figures; --apply writes a corrected copy",
                              description="List the fix suggestions for a disclosure; with --apply, write a copy of a "
                                          ".txt disclosure with the likely mistyped figures corrected.")
    p.add_argument("file", metavar="FILE", help="a disclosure (.txt to apply fixes; .docx and .pdf are listed only)")
    p.add_argument("--apply", action="store_true", help="write the corrected copy (default: only list the changes)")
    where_to = p.add_mutually_exclusive_group()
    where_to.add_argument("-o", "--output", metavar="PATH", help="where to write the corrected copy "
                          "(default: NAME.fixed.txt beside the file)")
    where_to.add_argument("--in-place", action="store_true", help="overwrite the file itself")
    p.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="add a rule file or a folder of rule files (repeatable)")
    p.add_argument("--no-builtin", action="store_true", help="run only the rules given with --rules")
    p.add_argument("--select", help="comma-separated rule ids or prefixes to run (default: all)")
    p.add_argument("--ignore", help="comma-separated rule ids or prefixes to skip")
    p.add_argument("--config", help="configuration file (default: nearest juesuan.toml or pyproject.toml)")
    p.set_defaults(run=run, severity=[], fail_on=None)


def target(path: Path, output: str | None, in_place: bool) -> Path:
    """Where the corrected copy goes."""
    if in_place:
        return path
    if output:
        return Path(output)
    return path.with_name(f"{path.stem}.fixed{path.suffix or '.txt'}")


def run(args: argparse.Namespace) -> int:
    checker = Checker.from_config(settings(args), tuple(Path(p) for p in args.rules), builtin=not args.no_builtin)
    checker.suggestions = True
    path = Path(args.file)
    result = checker.check_path(path)
    if result.error is not None:
        raise InputError(str(path), result.error.removeprefix(f"{path}: "))
    out = sys.stdout
    if not args.apply:
        changes, skipped = applicable(result.suggestions)
        for change, suggestion in changes:
            out.write(_line(str(path), change, suggestion, "would change") + "\n")
        _left(str(path), skipped)
        out.write(f"{len(changes)} figure(s) to change, {len(skipped)} suggestion(s) left to decide; "
                  f"run with --apply to write a corrected copy\n")
        return 0
    if result.document is None or result.document.format != "text":
        raise UsageError(f"{path}: --apply writes text disclosures only; this is a {result.document.format} file"
                         if result.document is not None else f"{path}: cannot be fixed")
    data, done, skipped = apply_to_text(path.read_bytes(), str(path), result.suggestions)
    made = [a for a in done if a.made]
    for applied in done:
        out.write(_applied_line(str(path), applied) + "\n")
    _left(str(path), skipped)
    destination = target(path, args.output, args.in_place)
    if made or destination != path:
        _write(destination, data)
    after = checker.check_path(destination) if made or destination != path else result
    out.write(f"wrote {destination}: {len(made)} figure(s) changed; findings {len(result.findings)} → "
              f"{len(after.findings)}\n" if made or destination != path else "nothing to change\n")
    return 0


def _line(path: str, change: Change, suggestion: Suggestion, verb: str) -> str:
    return (f"{path}:{change.location.describe()}: {verb} {change.display} → {change.replacement}  {change.figure} "
            f"(explains {', '.join(suggestion.rules)})")


def _applied_line(path: str, applied: Applied) -> str:
    if applied.made:
        return _line(path, applied.change, applied.suggestion, "changed")
    return f"{path}:{applied.change.location.describe()}: not changed ({applied.reason}): {applied.change.figure}"


def _left(path: str, skipped: list[Suggestion]) -> None:
    for suggestion in skipped:
        first = suggestion.candidates[0].changes[0]
        why = "equally likely candidates" if suggestion.ambiguous else "several values fit"
        sys.stdout.write(f"{path}:{first.location.describe()}: left as it is ({why}): {suggestion.message()}\n")


def _write(destination: Path, data: bytes) -> None:
    """The file written whole or not at all (beside it under a temporary name first)."""
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, destination)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UsageError(f"{destination}: cannot write the corrected copy: {error.strerror}") from None
