"""`juesuan rules`: every loaded rule with its id, effective severity and title (json adds citation and place)."""

from __future__ import annotations

import argparse
import json
import sys

from checker.commands.check import fiscal_year
from checker.ruledocs import add_rule_options, load_checker


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("rules", help="list the rules", description="List the rules `juesuan check` would "
                              "load (built-in packs, configuration, --rules), sorted by id. Severity is the one "
                              "in effect after the configuration's overrides; deselected rules show as off.")
    add_rule_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--year", type=fiscal_year, metavar="YYYY",
                   help="mark the rules not in force for this fiscal year (their applies clause) as n/a")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    checker = load_checker(args)
    config = checker.config
    rows = []
    for rule in sorted(checker.program.rules, key=lambda r: r.id):
        severity = config.severity_for(rule.id, rule.severity) if config.is_selected(rule.id) else "off"
        rows.append({"id": rule.id, "severity": severity, "default_severity": rule.severity, "title": rule.title,
                     "citation": rule.citation, "file": rule.file, "line": rule.line,
                     "applies": rule.applies_text or None, "regions": list(rule.regions),
                     "in_force": checker.in_force(rule, args.year)})
    if args.format == "json":
        json.dump({"rules": rows, **({"year": args.year} if args.year is not None else {})}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max((len(r["id"]) for r in rows), default=0)
    for row in rows:
        line = f"{row['id']:<{width}}  {row['severity'] if row['in_force'] else 'n/a':<7}  {row['title']}"
        if not row["in_force"]:
            where = [f"applies {row['applies']}"] if row["applies"] else []
            where += [f"region {', '.join(row['regions'])}"] if row["regions"] else []
            line += f"  (not in force: {'; '.join(where)})"
        sys.stdout.write(line + "\n")
    total = f"{len(rows)} rule{'s' if len(rows) != 1 else ''}"
    out = sum(1 for r in rows if not r["in_force"])
    if out or args.year is not None:
        total += f", {len(rows) - out} in force" + (f" for {args.year}" if args.year is not None else "")
    sys.stdout.write(total + "\n")
    return 0
