"""Juesuan's rule language: parse, check and compile ``.rules`` files into a `Program`.

A rule file is data: the language has no way to run Python. The language stands alone — it imports
nothing of the checker: it knows the functions a rule may call by their signatures (`dsl.signatures`),
and is given a cache, if any, by its caller. Evaluation and the function library live in
`checker.evaluate` and `checker.functions`, the dependency graph in `checker.graph`.
"""

from dsl.ast import Module
from dsl.compiler import (
    CompileCache,
    CompiledRule,
    Derived,
    Loader,
    Loop,
    Program,
    check_loaded,
    compile_files,
    compile_modules,
    compile_text,
)
from dsl.diagnostics import CompileError, Diagnostic
from dsl.schema import Schema
from dsl.signatures import AGGREGATES, SIGNATURES, Signature

__all__ = [
    "AGGREGATES", "SIGNATURES", "CompileCache", "CompileError", "CompiledRule", "Derived", "Diagnostic", "Loader",
    "Loop", "Module", "Program", "Schema", "Signature", "check_loaded", "compile_files", "compile_modules",
    "compile_text", "parse_rules",
]


def __getattr__(name: str):
    """``parse_rules`` loads lark on first use: a check whose rules come from the compiled-program cache
    never parses a rule file, and need not import the parser."""
    if name == "parse_rules":
        from dsl.parser import parse_rules

        return parse_rules
    raise AttributeError(f"module 'dsl' has no attribute {name!r}")
