"""`juesuan graph [RULE-ID]`: the dependency graph facts → derived values → rules, as text, dot or mermaid."""

from __future__ import annotations

import argparse
import sys

from checker.graph import FORMATS, build_graph, dependencies_of, render
from checker.ruledocs import add_rule_options, find_rule, load_checker


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("graph", help="show what the rules depend on",
                              description="Print the dependency graph of the rules (facts → derived values → "
                                          "rules); with RULE-ID only what that rule reads, directly or through "
                                          "derived values.")
    p.add_argument("rule", nargs="?", metavar="RULE-ID", help="only this rule and what it depends on")
    add_rule_options(p)
    p.add_argument("--format", choices=FORMATS, default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    program = load_checker(args).program
    graph = build_graph(program)
    if args.rule:
        node = f"rule:{find_rule(program, args.rule).id}"
        graph = graph.subgraph([node, *dependencies_of(graph, node)]).copy()
    sys.stdout.write(render(graph, args.format))
    return 0
