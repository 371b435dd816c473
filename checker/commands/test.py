"""`juesuan test [PATH...]`: run the example cases kept beside rule files (``X.tests.toml`` next to ``X.rules``).

Without PATH the built-in packs' tests run. ``--coverage`` adds which rules and which branches of their
assertions and ``when`` conditions the cases exercised. Exit status: 0 when every case passes, 1 when a case
fails (or, with ``--strict``, when a rule lacks a case expecting pass or one expecting fail; with
``--threshold``, when the branch coverage is below it), 2 when a rule file or tests file is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys

from checker.errors import UsageError
from checker.plugins import active_functions, active_vocabulary_files


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("test", help="run the rules' example cases (X.tests.toml beside X.rules)",
                              description="Run the example cases of rule files: each case is a small disclosure "
                                          "(or a list of facts) and the verdict a rule must reach on it.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="rule files, tests files or folders (default: the built-in rule packs)")
    p.add_argument("--vocabulary", action="append", default=[], metavar="FILE",
                   help="an extra vocabulary file, after the built-in ones (repeatable)")
    p.add_argument("--strict", action="store_true",
                   help="fail when a rule lacks a case expecting pass or a case expecting fail")
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures, coverage gaps and the summary")
    p.add_argument("--coverage", action="store_true",
                   help="report which rules and which branches of assert and when the cases exercised")
    p.add_argument("--threshold", type=float, metavar="PERCENT",
                   help="with --coverage: fail (exit status 1) when branch coverage is below PERCENT")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: the results, coverage gaps and coverage as one JSON document")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checker.ruletest import builtin_test_paths, check_rule_tests, shown_path

    if args.threshold is not None and not 0 <= args.threshold <= 100:
        raise UsageError(f"--threshold {args.threshold:g}: expected a percentage from 0 to 100")
    coverage = args.coverage or args.threshold is not None
    paths = args.paths or builtin_test_paths()
    report = check_rule_tests(paths, [*active_vocabulary_files(), *args.vocabulary], active_functions(),
                              coverage=coverage)
    below = report.coverage is not None and args.threshold is not None and report.coverage.percent() < args.threshold
    if args.format == "json":
        json.dump(_json(report, shown_path), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        out = sys.stdout
        for result in report.results:
            if not result.ok or not args.quiet:
                out.write(result.render() + "\n")
        if report.gaps:
            out.write("coverage:\n")
            for gap in report.gaps:
                out.write(f"  {gap.render()}\n")
        if report.coverage is not None:
            out.write(report.coverage.render(shown_path) + "\n")
        out.write(report.summary() + "\n")
        if below:
            out.write(f"coverage {report.coverage.percent():.1f}% is below the threshold {args.threshold:g}%\n")
    if report.failed or (args.strict and report.gaps) or below:
        return 1
    return 0


def _json(report, shown) -> dict:
    """The run as data: every (case, rule) result, the rules lacking a passing or failing case, the coverage."""
    results = [{"file": shown(r.case.file), "case": r.case.name, "rule": r.rule_id, "expected": r.expected,
                "got": r.got, "ok": r.ok, "problems": list(r.problems), "messages": list(r.messages)}
               for r in report.results]
    gaps = [{"rule": g.rule_id, "file": shown(g.file), "line": g.line, "missing": list(g.missing)}
            for g in report.gaps]
    return {"schema": "juesuan.test/1", "results": results, "gaps": gaps,
            "coverage": report.coverage.to_json(shown) if report.coverage is not None else None,
            "summary": {"passed": len(report.results) - len(report.failed), "failed": len(report.failed),
                        "not_fully_covered": len(report.gaps)}}
