"""`juesuan facts FILE`: every figure of a disclosure as a named fact with value, unit, decimals and place."""

from __future__ import annotations

import argparse
import json
import sys

import tomli_w

from checker.facts.serialize import fact_line, fact_to_dict
from checker.facts.views import VIEW_NAMES
from checker.pipeline import load


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("facts", help="list the facts extracted from a disclosure",
                              description="List every fact extracted from a disclosure, with its place.")
    p.add_argument("file", help="a disclosure (.txt in any common Chinese encoding, or .docx)")
    p.add_argument("--format", choices=("text", "json", "toml"), default="text")
    p.add_argument("--name", help="only facts whose name starts with this prefix")
    p.add_argument("--views", action="store_true",
                   help=f"also list the view records ({', '.join(VIEW_NAMES)}) that regroup the facts for rules")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    _, facts = load(args.file)
    selected = [f for f in facts if (not args.name or f.name.startswith(args.name))
                and (args.views or f.name.split(".", 1)[0] not in VIEW_NAMES)]
    if args.format == "json":
        json.dump({"path": args.file, "facts": [fact_to_dict(f) for f in selected]}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "toml":
        sys.stdout.write(tomli_w.dumps({"path": args.file, "facts": [fact_to_dict(f) for f in selected]}))
    else:
        for fact in selected:
            sys.stdout.write(fact_line(args.file, fact) + "\n")
        sys.stdout.write(f"{len(selected)} facts\n")
    return 0
