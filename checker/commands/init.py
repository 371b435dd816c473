"""`juesuan init`: write a starter configuration (juesuan.toml, or a [tool.juesuan] table in pyproject.toml)."""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import tomli_w

from checker.config import STARTER
from checker.errors import UsageError

HEADER = """\
# Juesuan configuration; the command line (`juesuan check --help`) overrides these settings.
# select / ignore: rule ids or prefixes (SG, SG-00, SG-001); the longest matching prefix decides.
# [severity] SG-001 = "warning": a rule's (or prefix's) severity: error, warning, info or off.
# fail-on: lowest severity that makes `juesuan check` exit with status 1 (error, warning, info, never).
# rules: extra rule files or folders, relative to this file. format: text, json, sarif, …
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("init", help="write a starter configuration",
                              description="Write a starter juesuan.toml, or append a [tool.juesuan] table to an "
                                          "existing pyproject.toml. Never overwrites existing settings.")
    p.add_argument("--path", help="file to write (default: juesuan.toml, or pyproject.toml with --pyproject)")
    p.add_argument("--pyproject", action="store_true", help="append [tool.juesuan] to an existing pyproject.toml")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    table = STARTER["tool"]["juesuan"]
    if args.pyproject:
        path = Path(args.path or "pyproject.toml")
        _append_to_pyproject(path, table)
    else:
        path = Path(args.path or "juesuan.toml")
        if path.exists():
            raise UsageError(f"{path} already exists; not overwriting it (remove it or choose --path)")
        try:
            path.write_text(HEADER + "\n" + tomli_w.dumps(table), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    print(f"wrote starter configuration to {path}", file=sys.stderr)
    return 0


def _append_to_pyproject(path: Path, table: dict) -> None:
    if not path.is_file():
        raise UsageError(f"{path}: no such file; --pyproject adds to an existing pyproject.toml "
                         "(without --pyproject, init writes a juesuan.toml)")
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML, not touching it: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None
    tool = data.get("tool", {})
    if isinstance(tool, dict) and "juesuan" in tool:
        raise UsageError(f"{path} already has a [tool.juesuan] table; not overwriting it")
    addition = tomli_w.dumps({"tool": {"juesuan": table}})
    combined = text + ("" if not text or text.endswith("\n") else "\n") + "\n" + addition
    try:
        tomllib.loads(combined)
    except tomllib.TOMLDecodeError as exc:  # e.g. an inline `tool = {…}` table cannot be extended
        raise UsageError(f"{path}: cannot add a [tool.juesuan] table to this file ({exc}); add it by hand") from None
    try:
        path.write_text(combined, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
