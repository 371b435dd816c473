"""`juesuan test [PATH...]`: run the example cases kept beside rule files (``X.tests.toml`` next to ``X.rules``).

Without PATH the built-in packs' tests run. Exit status: 0 when every case passes, 1 when a case
fails (or, with ``--strict``, when a rule lacks a case expecting pass or one expecting fail),
2 when a rule file or tests file is wrong.
"""

from __future__ import annotations

import argparse
import sys

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
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checker.ruletest import builtin_test_paths, check_rule_tests

    paths = args.paths or builtin_test_paths()
    report = check_rule_tests(paths, [*active_vocabulary_files(), *args.vocabulary], active_functions())
    out = sys.stdout
    for result in report.results:
        if not result.ok or not args.quiet:
            out.write(result.render() + "\n")
    if report.gaps:
        out.write("coverage:\n")
        for gap in report.gaps:
            out.write(f"  {gap.render()}\n")
    out.write(report.summary() + "\n")
    if report.failed or (args.strict and report.gaps):
        return 1
    return 0
