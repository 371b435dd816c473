"""`juesuan lsp`: the language server for ``.rules`` files, over standard input and output (see
docs/rule-language.md, "Editing rules")."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("lsp", help="run the language server for .rules files (stdio)",
                              description="Run the rule language's language server over standard input and "
                                          "output: diagnostics as you type, completion, hover, go to definition "
                                          "and the outline of .rules files. Started by an editor, not by hand.")
    p.add_argument("--stdio", action="store_true", help="talk over standard input and output (the default; "
                   "accepted because editors pass it)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checker.lsp.server import serve

    serve()
    return 0
