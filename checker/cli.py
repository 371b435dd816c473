"""The `juesuan` command: subcommands, and the promise that bad input ends with one line and exit status 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from checker.collector import tune_collector
from checker.commands import check, explain, facts, fix, graph, impact, init, lsp, plugins, rules, serve, test
from checker.errors import JuesuanError
from checker.plugins import add_plugin_options, ensure_active, plugins_from_argv

SUBCOMMANDS = (check, fix, facts, rules, graph, explain, test, impact, init, plugins, lsp, serve)
#: Subcommands that take --plugin, --disable-plugin, --region and --strict-plugins.
WITH_PLUGINS = ("check", "fix", "facts", "rules", "graph", "explain", "test", "impact", "plugins", "lsp", "serve")


def build_parser() -> argparse.ArgumentParser:
    """The full parser; the plugins must be active first (``--format`` lists their report formats)."""
    ensure_active()
    parser = argparse.ArgumentParser(prog="juesuan", description="Check Chinese final-accounts disclosures "
                                     "(部门决算公开) against rules written as data.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(sub)
    for name in WITH_PLUGINS:
        add_plugin_options(sub.choices[name])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    tune_collector()
    try:
        plugins_from_argv(argv)
    except JuesuanError as error:
        print(f"juesuan: error: {error}", file=sys.stderr)
        return 2
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
