"""`juesuan impact --rules NEW --against OLD CORPUS...`: what a changed rule pack would do to a folder of reports.

Both rule sets run over the reports; per report the findings added, removed and changed, per rule the totals
("TOT-006 would raise 14 new findings in 9 of 120 reports"), then a summary table. Exit status: 0, or 1 with
``--fail-on-change`` when any finding changes; 2 when a rule file, a report or the command line is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from checker.batch import with_progress
from checker.commands.check import report_output
from checker.config import config_for
from checker.errors import UsageError
from checker.run import Checker, expand_documents


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("impact", help="what a changed rule pack would do to reports already published",
                              description="Run a new rule set and an old one over the same reports and show, per "
                                          "report and per rule, the findings the change adds, removes and changes, "
                                          "then a summary table.")
    p.add_argument("paths", nargs="+", metavar="CORPUS", help="reports (files or folders) to run both rule sets on")
    p.add_argument("--rules", action="append", required=True, metavar="PATH",
                   help="the new rule set: a rule file or folder (repeatable)")
    p.add_argument("--against", action="append", required=True, metavar="PATH",
                   help="the old rule set it is compared with: a rule file or folder (repeatable)")
    p.add_argument("--with-builtin", action="store_true",
                   help="add the built-in packs (and the plugins') to both rule sets, for a pack that extends them")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to this file")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="parallel processes (default: one per CPU)")
    p.add_argument("--fail-on-change", action="store_true", help="exit status 1 when any finding changes")
    p.add_argument("--config", help="configuration file (default: nearest juesuan.toml or pyproject.toml); its "
                   "vocabulary, plugins, region, select, ignore and severity apply to both sides, its rules to neither")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checker import impact

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: expected a number of processes, 1 or more")
    config = config_for(args.config)
    new_paths, old_paths = [Path(p) for p in args.rules], [Path(p) for p in args.against]
    new = Checker.from_config(replace(config, rules=[]), tuple(new_paths), builtin=args.with_builtin)
    old = Checker.from_config(replace(config, rules=[]), tuple(old_paths), builtin=args.with_builtin)
    documents = expand_documents(args.paths)
    if not documents:
        raise UsageError(f"no reports found in {', '.join(args.paths)}")
    report = impact.ImpactReport.start(old.program, new.program)
    show = len(documents) > 1 and sys.stderr.isatty()
    results = with_progress(impact.Compare(old, new), documents, args.jobs, show, "比较 comparing",
                            lambda d: Path(d.path).name)
    with report_output(args.output) as out:
        if args.format == "json":
            for document in results:
                report.add(document)
            json.dump(impact.as_dict(report, new_paths, old_paths), out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            statuses = _statuses(old, new, report)
            out.write(f"impact of {_names(new_paths)} against {_names(old_paths)} on {len(documents)} "
                      f"report{'s' if len(documents) != 1 else ''}\n{statuses}\n\nper report:\n")
            for document in results:
                report.add(document)
                if document.error is not None or document.changes:
                    out.write("\n".join(impact.document_lines(document)) + "\n")
            unchanged = report.reports - len(report.documents)
            out.write(f"({unchanged} of {report.reports} report{'s' if report.reports != 1 else ''} unchanged)\n")
            out.write("\nper rule:\n" + impact.render_rules(report) + "\nsummary:\n" + impact.render_summary(report))
    for document in report.unreadable:
        print(f"juesuan: error: {document.error}", file=sys.stderr)
    if report.unreadable:
        return 2
    return 1 if args.fail_on_change and report.changed_findings else 0


def _names(paths: list[Path]) -> str:
    return ", ".join(str(p) for p in paths)


def _statuses(old: Checker, new: Checker, report) -> str:
    counts = report.statuses()
    return (f"rules: {len(new.program.rules)} in the new set, {len(old.program.rules)} in the old "
            f"({counts.get('new', 0)} new, {counts.get('removed', 0)} removed, {counts.get('changed', 0)} changed, "
            f"{counts.get('unchanged', 0)} unchanged)")
