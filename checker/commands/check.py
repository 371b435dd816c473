"""`juesuan check PATH...`: every finding of every rule, in the chosen report format, with a linter's exit status.

Exit status: 0 when no finding is at or above ``--fail-on`` (default: error), 1 otherwise,
2 when an input file, a rule file or the command line is wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from checker.config import SEVERITY_RANK, Config, find_config, load_config, validate
from checker.errors import UsageError
from checker.reports import FORMATS
from checker.reports.model import DocumentResult, RunInfo
from checker.run import Checker, expand_documents


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("check", help="check disclosures against the rule packs",
                              description="Check disclosures (.txt, .docx; files or folders) against the rules.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="disclosure files or folders")
    p.add_argument("--format", choices=sorted(FORMATS), help="report format (default: text)")
    p.add_argument("-o", "--output", help="write the report to this file instead of standard output")
    p.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="add a rule file or a folder of rule files (repeatable)")
    p.add_argument("--no-builtin", action="store_true", help="run only the rules given with --rules")
    p.add_argument("--select", help="comma-separated rule ids or prefixes to run (default: all)")
    p.add_argument("--ignore", help="comma-separated rule ids or prefixes to skip")
    p.add_argument("--severity", action="append", default=[], metavar="ID=LEVEL",
                   help="override a rule's (or prefix's) severity: error, warning, info or off (repeatable)")
    p.add_argument("--fail-on", choices=("error", "warning", "info", "never"),
                   help="lowest severity that makes the exit status 1 (default: error)")
    p.add_argument("--explain", action="store_true", help="show how each side of every finding was computed")
    p.add_argument("--show-not-evaluated", action="store_true",
                   help="list the rules that could not be evaluated for lack of data, and why")
    p.add_argument("--config", help="configuration file (default: nearest juesuan.toml or pyproject.toml)")
    p.set_defaults(run=run)


def settings(args: argparse.Namespace) -> Config:
    """The configuration file's settings with the command line's on top."""
    path = Path(args.config) if args.config else find_config(Path.cwd())
    if args.config and not path.is_file():
        raise UsageError(f"{args.config}: no such configuration file")
    config = load_config(path)
    if args.select:
        config.select = [s.strip() for s in args.select.split(",") if s.strip()]
    if args.ignore:
        config.ignore = [*config.ignore, *(s.strip() for s in args.ignore.split(",") if s.strip())]
    for item in args.severity:
        rule, sep, level = item.partition("=")
        if not sep:
            raise UsageError(f"--severity {item!r}: expected ID=LEVEL, e.g. SG-001=warning")
        config.severity[rule.strip()] = level.strip()
    if args.fail_on:
        config.fail_on = args.fail_on
    validate(config, "command line")
    return config


def exit_status(results: list[DocumentResult], fail_on: str) -> int:
    if any(r.error is not None for r in results):
        return 2
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    failing = any(SEVERITY_RANK.get(f.severity, 0) >= threshold for r in results for f in r.findings)
    return 1 if failing else 0


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    fmt = args.format or config.format or "text"
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}; available: {', '.join(sorted(FORMATS))}")
    checker = Checker.from_config(config, tuple(Path(p) for p in args.rules), builtin=not args.no_builtin)
    documents = expand_documents(args.paths)
    if not documents:
        raise UsageError(f"no disclosures found in {', '.join(args.paths)}")
    results = [checker.check_path(path) for path in documents]
    info = RunInfo(rules=checker.rule_infos, explain=args.explain, show_not_evaluated=args.show_not_evaluated)
    report = FORMATS[fmt](results, info)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    for result in results:
        if result.error is not None:
            print(f"juesuan: error: {result.error}", file=sys.stderr)
    return exit_status(results, config.fail_on)
