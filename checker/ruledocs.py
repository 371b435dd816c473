"""What the `rules`, `graph` and `explain` commands show about rules: the loaded rule set, doc comments, lookups.

A rule's documentation is the block of ``#:`` lines directly above its header (no blank line
in between). To the parser they are ordinary comments; they are read from the file text at
the rule's position, so the grammar stays unchanged::

    #: What it checks: the “三公” total equals the sum of its parts.
    #: Why: the template states the total and each part separately.
    rule SG-001 "“三公”经费合计等于分项之和"
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from checker.config import config_for
from checker.errors import UsageError
from checker.run import Checker
from dsl.compiler import CompiledRule, Program
from dsl.diagnostics import did_you_mean

DOC_MARKER = "#:"


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """``--rules``, ``--no-builtin`` and ``--config``: the same rule set `juesuan check` would run."""
    parser.add_argument("--rules", action="append", default=[], metavar="PATH",
                        help="add a rule file or a folder of rule files (repeatable)")
    parser.add_argument("--no-builtin", action="store_true", help="only the rules given with --rules")
    parser.add_argument("--config", help="configuration file (default: nearest juesuan.toml or pyproject.toml)")


def load_checker(args: argparse.Namespace) -> Checker:
    """Vocabulary and rules from the configuration, the built-in packs and ``--rules``."""
    config = config_for(args.config)
    return Checker.from_config(config, tuple(Path(p) for p in args.rules), builtin=not args.no_builtin)


def find_rule(program: Program, rule_id: str) -> CompiledRule:
    """The rule with this id, or a `UsageError` with a "did you mean" suggestion."""
    for rule in program.rules:
        if rule.id == rule_id:
            return rule
    ids = [r.id for r in program.rules]
    if not ids:
        raise UsageError(f"unknown rule {rule_id}; no rules are loaded")
    hint = did_you_mean(rule_id, ids) or did_you_mean(rule_id.upper(), ids)
    raise UsageError(f"unknown rule {rule_id}; " + (hint or "`juesuan rules` lists the rules"))


@lru_cache(maxsize=64)
def _lines(path: str) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8-sig").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def doc_comment(rule: CompiledRule) -> str:
    """The ``#:`` lines directly above the rule's header, without the marker (one space stripped)."""
    return doc_block(_lines(rule.file), rule.line)


def doc_block(lines: Sequence[str], header_line: int) -> str:
    """The ``#:`` block directly above line ``header_line`` (1-based) of ``lines``, without the markers."""
    block: list[str] = []
    index = header_line - 2  # the line above the header, 0-based
    while 0 <= index < len(lines) and lines[index].lstrip().startswith(DOC_MARKER):
        text = lines[index].lstrip()[len(DOC_MARKER):]
        block.append(text[1:] if text.startswith(" ") else text)
        index -= 1
    return "\n".join(reversed(block))
