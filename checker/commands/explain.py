"""`juesuan explain RULE-ID`: a rule's documentation, citation, severity, source, dependencies and examples."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from checker.graph import build_graph, dependencies_of
from checker.ruledocs import add_rule_options, doc_comment, find_rule, load_checker

if TYPE_CHECKING:
    from checker.ruletest import Case


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("explain", help="document one rule",
                              description="Show a rule's documentation (its #: comment block), citation, "
                                          "severity, source text, what it depends on, and the documents of its "
                                          "passing and failing test cases.")
    p.add_argument("rule", metavar="RULE-ID")
    add_rule_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checker.ruletest import examples_for, shown_path, tests_file_for

    checker = load_checker(args)
    rule = find_rule(checker.program, args.rule)
    severity = checker.config.severity_for(rule.id, rule.severity)
    out: list[str] = [f"{rule.id}  {rule.title}", ""]
    doc = doc_comment(rule)
    if doc:
        out += [doc, ""]
    out.append(f"severity: {severity}" + (f" (default {rule.severity})" if severity != rule.severity else ""))
    out.append(f"citation: {rule.citation or '—'}")
    if rule.years is not None or rule.regions:
        where = ([f"{rule.applies_text} (fiscal years)"] if rule.years is not None else []) + (
            [f"region {', '.join(rule.regions)}"] if rule.regions else [])
        out.append(f"applies:  {'; '.join(where)}")
    out.append(f"source:   {shown_path(rule.file)}:{rule.line}")
    out += ["", textwrap.indent(rule.source, "    "), ""]
    graph = build_graph(checker.program)
    deps = dependencies_of(graph, f"rule:{rule.id}")
    facts = [d.partition(":")[2] for d in deps if d.startswith("fact:")]
    derived = [d.partition(":")[2] for d in deps if d.startswith("derived:")]
    out.append("depends on:")
    out.append(f"  facts:   {', '.join(facts) or '—'}")
    out.append(f"  derived: {', '.join(derived) or '—'}")
    passes, fails = examples_for(rule.id, rule.file)
    tests_file = tests_file_for(Path(rule.file))
    out.append("")
    if passes or fails:
        out.append(f"examples (from {shown_path(tests_file)}):")
        out += _examples("passes", passes) + _examples("fails", fails)
    else:
        out.append(f"examples: none (add cases to {shown_path(tests_file)})")
    sys.stdout.write("\n".join(out).rstrip("\n") + "\n")
    return 0


def _examples(label: str, cases: list[Case]) -> list[str]:
    lines = []
    for case in cases:
        lines.append(f"  {label}: {case.name}")
        lines.append(textwrap.indent(case.example(), "      "))
    return lines
