"""The `juesuan` command: subcommands, and the promise that bad input ends with one line and exit status 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from checker.commands import check, explain, facts, graph, init, rules, test
from checker.errors import JuesuanError

SUBCOMMANDS = (check, facts, rules, graph, explain, test, init)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="juesuan", description="Check Chinese final-accounts disclosures "
                                     "(部门决算公开) against rules written as data.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except JuesuanError as error:
        print(f"juesuan: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
