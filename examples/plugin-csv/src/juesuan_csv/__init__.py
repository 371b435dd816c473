"""An example Juesuan plugin, packaged on its own and found through the entry-point group ``juesuan``.

It contributes one of each kind a plugin usually brings:

* a rule-language function ``比例(a, b)`` (alias ``ratio``): a ÷ b as a percentage, computed on the
  rounding intervals of both figures like every other calculation of the language;
* a rule pack (``rules/example.rules``, ids ``EXCSV-…``) that uses it, with its tests file;
* a report format ``csv``: one row per finding for a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checker.findings import Trace
from checker.functions import FunctionSpec, NotComparable, Value, display
from checker.hookspecs import hookimpl
from dsl import ast
from juesuan_csv.report import render_csv

__version__ = "0.1.0"

RULES = Path(__file__).parent / "rules"


def ratio(env: Any, args: Sequence[Value], node: ast.Expr) -> Value:
    """比例(a, b) = a ÷ b, as a percentage; not comparable when b may be 0."""
    a, b = args
    if b.interval.contains_zero():
        raise NotComparable(f"{b.trace.label} may be 0: no ratio")
    result = a.interval / b.interval
    return Value("percent", result, Trace(node.src, display("percent", result, 2), children=(a.trace, b.trace)), 2)


RATIO = FunctionSpec("比例", ("numeric", "numeric"), "percent", ratio, "a ÷ b as a percentage")


@hookimpl
def juesuan_functions() -> list:
    return [(RATIO, ["ratio"])]


@hookimpl
def juesuan_rule_packs(config) -> list[Path]:
    return [RULES]


@hookimpl
def juesuan_report_formats() -> dict:
    return {"csv": render_csv}
