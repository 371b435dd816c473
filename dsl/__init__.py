"""Juesuan's rule language: parse, check and compile ``.rules`` files into a `Program`.

A rule file is data: the language has no way to run Python. Evaluation lives in
`checker.evaluate`, the dependency graph in `checker.graph`.
"""

from dsl import report_functions  # noqa: F401  (registers the report-convention built-ins)
from dsl.ast import Module
from dsl.compiler import CompiledRule, Derived, Loop, Program, compile_files, compile_modules, compile_text
from dsl.diagnostics import CompileError, Diagnostic
from dsl.functions import AGGREGATES, FUNCTIONS, FunctionSpec, Value, register_function
from dsl.schema import Schema

__all__ = [
    "AGGREGATES", "FUNCTIONS", "CompileError", "CompiledRule", "Derived", "Diagnostic", "FunctionSpec", "Loop",
    "Module", "Program", "Schema", "Value", "compile_files", "compile_modules", "compile_text", "parse_rules",
    "register_function",
]


def __getattr__(name: str):
    """``parse_rules`` loads lark on first use: a check whose rules come from the compiled-program cache
    never parses a rule file, and need not import the parser."""
    if name == "parse_rules":
        from dsl.parser import parse_rules

        return parse_rules
    raise AttributeError(f"module 'dsl' has no attribute {name!r}")
