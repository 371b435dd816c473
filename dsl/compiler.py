"""The semantic pass: parsed modules → a checked `Program`.

It follows imports, resolves every dotted name against the `Schema` (facts, collections and
their fields), the derived values (``let``) and the loop variables in scope, infers the kind
of every expression (money, percent, count …) and rejects what cannot be meant: unknown
names and functions (with a "did you mean"), money compared with a percentage, wrong argument
counts, duplicate rule ids, derived values defined in terms of themselves, missing imports.
All problems of all files are collected before `CompileError` is raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from dsl import ast
from dsl.diagnostics import CompileError, Diagnostic, did_you_mean, make
from dsl.schema import Schema
from dsl.signatures import AGGREGATES, NUMERIC, SIGNATURES, Signature, accepts, arith_kind, compatible

SEVERITIES = {"error": "error", "warning": "warning", "info": "info", "错误": "error", "警告": "warning",
              "提示": "info"}
SPECIAL_PLACEHOLDERS = {"left": "left", "right": "right", "difference": "difference", "expected": "expected",
                        "左边": "left", "右边": "right", "差额": "difference", "应为": "expected"}
UNIT_WORDS = {"money": "money (万元)", "percent": "a percentage (%)", "count": "a count (人/辆/个…)",
              "number": "a number", "date": "a date", "text": "text", "direction": "a direction (增加/减少/持平)",
              "target": "a performance target", "bool": "a true/false condition", "record": "a record",
              "collection": "a collection of records"}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_MAX_SINGLE = ("severity", "cite", "when", "for", "assert", "message", "applies", "region")
#: What a ``ref`` parameter (exists, reason, 或零 …) accepts: the name of a figure or record.
_REFERENCES = (ast.FactRef, ast.FieldRef, ast.RecordRef, ast.PreviousRef)


@dataclass(frozen=True)
class Loop:
    var: str
    source: ast.Source
    collection: str | None


@dataclass(frozen=True)
class CompiledRule:
    id: str
    title: str
    severity: str
    citation: str | None
    message: str | None
    assertion: ast.Expr
    guard: ast.Expr | None
    loop: Loop | None
    placeholders: tuple[tuple[str, ast.Expr], ...]
    file: str
    line: int
    column: int
    source: str
    facts: tuple[str, ...]
    derived: tuple[str, ...]
    #: The fiscal years the rule is in force (first, last; None = open), from its ``applies`` clause or its
    #: file's; None: every year.
    years: tuple[int | None, int | None] | None = None
    #: The regions it is for (its ``region`` clause or its file's), as written; empty: everywhere.
    regions: tuple[str, ...] = ()

    def in_force(self, year: int | None, region: Collection[str] = ()) -> bool:
        """Whether the rule applies to a report of ``year`` (None: not known, so every year's rules run) checked
        for ``region`` (every name the run's region goes by, e.g. xinjiang, 新疆; empty: no region)."""
        if self.years is not None and year is not None:
            first, last = self.years
            if (first is not None and year < first) or (last is not None and year > last):
                return False
        names = {name.casefold() for name in region}
        return not self.regions or any(r.casefold() in names for r in self.regions)

    @property
    def applies_text(self) -> str:
        """The years in force as the rule language writes them (``2021..``), or "" for every year."""
        if self.years is None:
            return ""
        first, last = self.years
        if first == last:
            return str(first)
        return f"{first or ''}..{last or ''}"

    @property
    def reads_previous(self) -> bool:
        """Whether the rule itself names a figure of last year's report (``上年报告.…``)."""
        return any(name.startswith(ast.PREVIOUS + ".") for name in self.facts)


@dataclass(frozen=True)
class Derived:
    name: str
    expr: ast.Expr
    kind: str
    file: str
    line: int
    column: int
    source: str
    facts: tuple[str, ...]
    derived: tuple[str, ...]


@dataclass
class Program:
    """Checked rules and derived values from one or more files, in file and source order.

    ``functions`` is the table the calls were checked against (`dsl.signatures.SIGNATURES` by default); the
    checker compiles with its `checker.functions.FunctionSpec`s, which carry the implementations."""

    rules: list[CompiledRule]
    derived: dict[str, Derived]
    files: list[str]
    schema: Schema
    functions: Mapping[str, Signature] = field(default_factory=lambda: SIGNATURES)

    def rule(self, rule_id: str) -> CompiledRule:
        return next(r for r in self.rules if r.id == rule_id)

    def cross_year(self, rule: CompiledRule) -> bool:
        """Whether the rule reads last year's report, itself or through a derived value: such a rule runs only
        when the check is given last year's report."""
        if rule.reads_previous:
            return True
        seen: set[str] = set()
        todo = list(rule.derived)
        while todo:
            name = todo.pop()
            if name in seen or name not in self.derived:
                continue
            seen.add(name)
            if any(fact.startswith(ast.PREVIOUS + ".") for fact in self.derived[name].facts):
                return True
            todo.extend(self.derived[name].derived)
        return False


@dataclass
class _Scope:
    """Loop variables in scope and an implicit record.

    A variable maps to its collection, None for a list of texts, "" when its source was invalid.
    """

    vars: dict[str, str | None] = field(default_factory=dict)
    implicit: dict[str, str] = field(default_factory=dict)

    def bind(self, var: str, collection: str | None) -> _Scope:
        return _Scope({**self.vars, var: collection}, dict(self.implicit))

    def bind_implicit(self, collection: str, var: str) -> _Scope:
        return _Scope({**self.vars, var: collection}, {**self.implicit, collection: var})


class _Checker:
    """Resolves names and infers kinds; records diagnostics instead of stopping at the first."""

    def __init__(self, schema: Schema, functions: Mapping[str, Signature], lets: Mapping[str, ast.Let]) -> None:
        self.schema = schema
        self.functions = functions
        self.lets = lets
        self.let_kinds: dict[str, str] = {}
        self.diagnostics: list[Diagnostic] = []
        self.text = ""
        self.file = ""
        self._implicit_counter = 0

    # ---- diagnostics
    def error(self, node: ast.Node, message: str, *, expected: str | None = None,
              suggestion: str | None = None, code: str = "error") -> str:
        self.diagnostics.append(make(self.text, self.file, node.line or 1, node.column or 1, message,
                                     expected=expected, suggestion=suggestion, code=code))
        return "error"

    # ---- names
    def resolve_name(self, node: ast.Name, scope: _Scope) -> tuple[ast.Expr, str]:
        parts, pos = node.parts, {"line": node.line, "column": node.column, "src": node.src}
        head = parts[0]
        if head in ast.PREVIOUS_HEADS and head not in scope.vars:
            return self.resolve_previous(node, scope)
        if head in scope.vars:
            coll = scope.vars[head]
            if coll == "":  # the loop's source was already reported as wrong
                return node, "error"
            if len(parts) == 1:
                return ast.RecordRef(head, coll, **pos), ("text" if coll is None else "record")
            if coll is None:
                return node, self.error(node, f"{head} is a text from a list and has no field {parts[1]}",
                                        expected=f"just {head}", code="unknown-name")
            fname = ".".join(parts[1:])
            fields = self.schema.collections.get(coll, {})
            if fname in fields:
                return ast.FieldRef(head, coll, fname, fields[fname], **pos), fields[fname]
            return node, self.error(node, f"{coll} has no field {fname}", expected=f"a field of {coll}",
                                    suggestion=did_you_mean(fname, fields), code="unknown-name")
        dotted = node.dotted
        if dotted in self.lets:
            return ast.DerivedRef(dotted, self.let_kinds.get(dotted, "error"), **pos), self.let_kinds.get(
                dotted, "error")
        if dotted in self.schema.scalars:
            kind = self.schema.scalars[dotted]
            return ast.FactRef(dotted, kind, **pos), kind
        if dotted in self.schema.collections:
            return ast.CollectionRef(dotted, **pos), "collection"
        if len(parts) > 1:
            prefix, fname = ".".join(parts[:-1]), parts[-1]
            fields = self.schema.collections.get(prefix)
            if fields is not None and fname in fields:
                if prefix in scope.implicit:
                    return ast.FieldRef(scope.implicit[prefix], prefix, fname, fields[fname], **pos), fields[fname]
                return node, self.error(
                    node, f"{dotted} is a field of every record of {prefix}, not one figure",
                    expected="a single figure",
                    suggestion=f"loop over the records (for each 项 in {prefix}) or aggregate (sum({dotted}))",
                    code="record-field")
            if fields is not None:
                return node, self.error(node, f"{prefix} has no field {fname}", expected=f"a field of {prefix}",
                                        suggestion=did_you_mean(fname, fields), code="unknown-name")
        candidates = [*self.schema.all_names(), *self.lets, *scope.vars]
        return node, self.error(node, f"unknown name {dotted}", expected="a fact, collection or derived value name",
                                suggestion=did_you_mean(dotted, candidates), code="unknown-name")

    def resolve_previous(self, node: ast.Name, scope: _Scope) -> tuple[ast.Expr, str]:
        """``上年报告.<name>``: the same figure in last year's report — a fact, or a loop record's field."""
        parts, pos = node.parts, {"line": node.line, "column": node.column, "src": node.src}
        what = "a figure or a loop record's field, e.g. 上年报告.收入.收入总计 or 上年报告.项.决算数"
        if len(parts) == 1:
            return node, self.error(node, f"{parts[0]} names last year's report; say which of its figures",
                                    expected=what, code="unknown-name")
        if parts[1] in ast.PREVIOUS_HEADS:
            return node, self.error(node, "last year's report has no previous report of its own to read",
                                    expected=what, code="unknown-name")
        rest = ast.Name(parts[1:], line=node.line, column=node.column, src=node.src)
        inner, kind = self.resolve_name(rest, scope)
        if isinstance(inner, ast.FactRef | ast.FieldRef):
            return ast.PreviousRef(inner, kind, **pos), kind
        if kind == "error":
            return node, kind
        if isinstance(inner, ast.DerivedRef):
            return node, self.error(node, f"{rest.dotted} is a derived value, computed from this report",
                                    expected=what, suggestion="write the definition's figures with 上年报告 names",
                                    code="kind")
        return node, self.error(node, f"{node.src} is not one figure of last year's report", expected=what,
                                code="kind")

    # ---- expressions
    def resolve(self, expr: ast.Expr, scope: _Scope) -> tuple[ast.Expr, str]:
        match expr:
            case ast.Number():
                return expr, "number"
            case ast.Percent():
                return expr, "percent"
            case ast.String():
                return expr, "text"
            case ast.DateLit():
                return expr, "date"
            case ast.Bool():
                return expr, "bool"
            case ast.Name():
                return self.resolve_name(expr, scope)
            case ast.Unary(operand=operand):
                inner, kind = self.resolve(operand, scope)
                kind = self.need_numeric(operand, kind, "a minus sign")
                return ast.Unary("-", inner, line=expr.line, column=expr.column, src=expr.src), kind
            case ast.Binary():
                return self.binary(expr, scope)
            case ast.Compare():
                return self.compare(expr, scope)
            case ast.Logical(op=op, left=left, right=right):
                lres, lk = self.resolve(left, scope)
                rres, rk = self.resolve(right, scope)
                self.need_bool(left, lk, op)
                self.need_bool(right, rk, op)
                return ast.Logical(op, lres, rres, line=expr.line, column=expr.column, src=expr.src), "bool"
            case ast.Not(operand=operand):
                inner, kind = self.resolve(operand, scope)
                self.need_bool(operand, kind, "not")
                return ast.Not(inner, line=expr.line, column=expr.column, src=expr.src), "bool"
            case ast.Call():
                return self.call(expr, scope)
        return expr, self.error(expr, "this expression cannot be used here")

    def need_numeric(self, node: ast.Node, kind: str, what: str) -> str:
        if kind in NUMERIC or kind == "error":
            return kind
        return self.error(node, f"{what} needs a number, but {node.src} is {UNIT_WORDS.get(kind, kind)}",
                          expected="a figure", code="kind")

    def need_bool(self, node: ast.Node, kind: str, what: str) -> None:
        if kind not in ("bool", "error"):
            self.error(node, f"{what} needs a condition, but {node.src} is {UNIT_WORDS.get(kind, kind)}",
                       expected="a comparison such as a == b, or a test such as exists(…)", code="kind")

    def binary(self, expr: ast.Binary, scope: _Scope) -> tuple[ast.Expr, str]:
        left, lk = self.resolve(expr.left, scope)
        right, rk = self.resolve(expr.right, scope)
        node = ast.Binary(expr.op, left, right, line=expr.line, column=expr.column, src=expr.src)
        lk = self.need_numeric(expr.left, lk, f"{expr.op}")
        rk = self.need_numeric(expr.right, rk, f"{expr.op}")
        if "error" in (lk, rk):
            return node, "error"
        if expr.op in "+-" and not compatible(lk, rk):
            return node, self.unit_error(expr, lk, rk, "add or subtract")
        return node, arith_kind(expr.op, lk, rk)

    def unit_error(self, node: ast.Node, lk: str, rk: str, verb: str) -> str:
        return self.error(node, f"cannot {verb} {UNIT_WORDS.get(lk, lk)} and {UNIT_WORDS.get(rk, rk)}",
                          expected="both sides in the same unit",
                          suggestion="a share or rate is a ratio of two amounts: divide, e.g. part / total",
                          code="unit")

    def compare(self, expr: ast.Compare, scope: _Scope) -> tuple[ast.Expr, str]:
        left, lk = self.resolve(expr.left, scope)
        right, rk = self.resolve(expr.right, scope)
        node = ast.Compare(expr.op, left, right, expr.tolerance, line=expr.line, column=expr.column, src=expr.src)
        if "error" in (lk, rk):
            return node, "bool"
        if lk in ("record", "collection") or rk in ("record", "collection"):
            self.error(expr, "records and collections cannot be compared; compare their fields",
                       expected="a figure such as 项.决算数", code="kind")
        elif not compatible(lk, rk):
            self.unit_error(expr, lk, rk, "compare")
        elif lk in ("text", "bool", "direction", "target") and expr.op not in ("==", "!="):
            self.error(expr, f"{UNIT_WORDS[lk]} can only be compared with == or !=", code="kind")
        if expr.tolerance is not None and lk not in NUMERIC:
            self.error(expr.tolerance, "a tolerance (within) only applies to figures", code="kind")
        return node, "bool"

    # ---- calls and aggregations
    def call(self, expr: ast.Call, scope: _Scope) -> tuple[ast.Expr, str]:
        if expr.func in AGGREGATES:
            return self.aggregate(expr, scope)
        spec = self.functions.get(expr.func)
        if spec is None:
            names = [*self.functions, *AGGREGATES]
            return expr, self.error(expr, f"unknown function {expr.func}", expected="a built-in function such as "
                                    "sum, exists, mentions, reason, defined, consistent",
                                    suggestion=did_you_mean(expr.func, names), code="unknown-function")
        if expr.comprehension is not None or expr.where is not None:
            return expr, self.error(expr, f"{expr.func} is not an aggregation; only sum, count, min, max, all and "
                                    "any take `for each` or `where`", code="arity")
        n = len(expr.args)
        if not spec.min_args <= n <= spec.max_args:
            want = str(spec.min_args) if spec.min_args == spec.max_args else f"{spec.min_args} to {spec.max_args}"
            return expr, self.error(expr, f"{expr.func} takes {want} argument{'s' if spec.max_args != 1 else ''}, "
                                    f"but {n} {'were' if n != 1 else 'was'} given",
                                    expected=f"{expr.func}({', '.join(p.rstrip('?') for p in spec.params)})",
                                    code="arity")
        args, kinds = [], []
        for param, arg in zip(spec.params, expr.args, strict=False):
            res, kind = self.resolve(arg, scope)
            args.append(res)
            kinds.append(kind)
            if param == "ref":
                if not isinstance(res, _REFERENCES) and kind != "error":
                    self.error(arg, f"{expr.func} needs the name of a figure, not {arg.src}",
                               expected="a fact name such as 三公经费.合计 or 项.决算数", code="kind")
                elif isinstance(res, ast.RecordRef) and res.collection is None:
                    self.error(arg, f"{arg.src} is a text, not a record", code="kind")
            elif not accepts(param, kind):
                self.error(arg, f"{expr.func} expects {UNIT_WORDS.get(param.rstrip('?'), param)} here, but "
                           f"{arg.src} is {UNIT_WORDS.get(kind, kind)}", code="kind")
        node = ast.FuncCall(spec.name, tuple(args), line=expr.line, column=expr.column, src=expr.src)
        return node, spec.result_kind(kinds)

    def aggregate(self, expr: ast.Call, scope: _Scope) -> tuple[ast.Expr, str]:
        func = AGGREGATES[expr.func]
        pos = {"line": expr.line, "column": expr.column, "src": expr.src}
        comp = expr.comprehension
        if comp is not None:
            source, collection = self.resolve_source(comp.source, scope)
            inner_scope = scope.bind(comp.var, collection)
            body_expr, where_expr, var = expr.args[0], comp.where, comp.var
        elif len(expr.args) == 1 and isinstance(expr.args[0], ast.Name) and expr.where is None and \
                expr.args[0].dotted in self.schema.collections and func == "count":
            name = expr.args[0]
            source = ast.Source(name=name, line=name.line, column=name.column, src=name.src)
            return ast.Aggregate("count", "_", source, name.dotted, None, None, **pos), "count"
        elif len(expr.args) == 1:
            collection = self.implicit_collection(expr, scope)
            if collection is None:
                return expr, "error"
            self._implicit_counter += 1
            var = f"_{collection}#{self._implicit_counter}"
            source = ast.Source(name=ast.Name(tuple(collection.split("."))), line=expr.line, column=expr.column)
            inner_scope = scope.bind_implicit(collection, var)
            body_expr, where_expr = expr.args[0], expr.where
        else:
            return expr, self.error(expr, f"{expr.func} takes one collection, written {expr.func}(项.决算数 for each "
                                    f"项 in 集合) or {expr.func}(集合.字段 where 条件)", code="arity")
        body, kind = self.resolve(body_expr, inner_scope)
        where = None
        if where_expr is not None:
            where, wkind = self.resolve(where_expr, inner_scope)
            self.need_bool(where_expr, wkind, "where")
        if func in ("sum", "min", "max"):
            kind = self.need_numeric(body_expr, kind, expr.func)
        elif func in ("all", "any"):
            self.need_bool(body_expr, kind, expr.func)
            kind = "bool"
        else:
            kind = "count"
        return ast.Aggregate(func, var, source, collection, body, where, **pos), kind

    def implicit_collection(self, expr: ast.Call, scope: _Scope) -> str | None:
        """The one collection whose fields ``sum(集合.字段 where …)`` ranges over."""
        found: list[str] = []
        for sub in (expr.args[0], expr.where):
            if sub is None:
                continue
            for node in ast.walk(sub):
                if isinstance(node, ast.Name) and len(node.parts) > 1 and node.parts[0] not in scope.vars:
                    prefix = ".".join(node.parts[:-1])
                    if prefix in self.schema.collections and prefix not in found:
                        found.append(prefix)
        if len(found) == 1:
            return found[0]
        if not found:
            self.error(expr, f"{expr.func} needs a field of a collection to add up",
                       expected=f"{expr.func}(集合.字段) or {expr.func}(项.字段 for each 项 in 集合)", code="arity")
        else:
            self.error(expr, f"{expr.func} refers to several collections ({', '.join(found)})",
                       expected=f"one collection; write {expr.func}(项.字段 for each 项 in 集合 where …)", code="arity")
        return None

    def resolve_source(self, source: ast.Source, scope: _Scope) -> tuple[ast.Source, str | None]:
        if source.strings is not None:
            return source, None
        assert source.name is not None
        res, kind = self.resolve_name(source.name, scope)
        if isinstance(res, ast.CollectionRef):
            return source, res.name
        if kind != "error":
            self.error(source, f"{source.src} is not a collection of records", expected="a collection such as "
                       "一般公共预算.项, or a list of texts [\"…\", \"…\"]",
                       suggestion=did_you_mean(source.name.dotted, self.schema.collections), code="kind")
        return source, ""


def dependencies(expr: ast.Expr) -> tuple[set[str], set[str]]:
    """The fact names (collection fields as ``集合.字段``) and derived values an expression reads."""
    facts: set[str] = set()
    derived: set[str] = set()
    for node in ast.walk(expr):
        match node:
            case ast.FactRef(name=name):
                facts.add(name)
            case ast.FieldRef():
                facts.add(node.fact_name)
            case ast.PreviousRef():
                facts.add(node.name)
            case ast.DerivedRef(name=name):
                derived.add(name)
            case ast.Aggregate(collection=str() as coll, expr=None):
                facts.add(coll)
            case ast.FuncCall(func="reason", args=(arg,)):
                base = arg.collection if isinstance(arg, ast.FieldRef | ast.RecordRef) else getattr(arg, "name", "")
                if base:
                    facts.add(f"{base}.原因")
            case ast.FuncCall(func="defined"):
                facts.add("名词解释.定义")
    return facts, derived


# ---- loading files ---------------------------------------------------------------------

class CompileCache(Protocol):
    """What compilation may keep between runs, given by the caller (the checker's is
    `checker.cache.ProgramCache`); the language itself never decides where or whether to cache."""

    #: A folder the parser may keep its LALR tables in.
    folder: Path

    def program(self, files: Sequence[Path], schema: Schema, functions: Mapping[str, Signature],
                compile_program: Callable[[], Program]) -> Program:
        """The program compiled from ``files``: a stored one when it is current, else ``compile_program()``."""
        ...


#: Text of a rule file that is open in an editor (None: read the file itself).
Reader = Callable[[str], str | None]
#: A parser: rule text and its path → a module, raising `CompileError` (an editor's incremental parser must
#: build what `dsl.parse_rules` builds).
Parser = Callable[[str, str], ast.Module]


class Loader:
    """Rule files and everything they import, in load order (imported files first), with the problems met.

    ``read`` lends the text of files open in an editor, ``parse`` replaces the parser; both default to the
    file on disk and `dsl.parse_rules`. The messages are the same whichever is used."""

    def __init__(self, tables: Path | None = None, *, read: Reader | None = None,
                 parse: Parser | None = None) -> None:
        self.tables = tables
        self.read = read
        self.parse = parse
        self.modules: list[ast.Module] = []
        self.seen: set[Path] = set()
        self.diagnostics: list[Diagnostic] = []

    def _parse(self, text: str, path: str) -> ast.Module:
        if self.parse is not None:
            return self.parse(text, path)
        from dsl.parser import parse_rules  # lark is loaded only when a rule file is parsed

        return parse_rules(text, path, self.tables)

    def load_text(self, text: str, path: str) -> None:
        self.seen.add(Path(path).resolve())
        try:
            module = self._parse(text, path)
        except CompileError as err:
            self.diagnostics.extend(err.diagnostics)
            return
        self.follow(module)  # imported files first: their rules and definitions come before ours
        self.modules.append(module)

    def load_file(self, path: str) -> None:
        resolved = Path(path).resolve()
        if resolved in self.seen:
            return
        lent = self.read(path) if self.read is not None else None
        if lent is not None:
            self.load_text(lent, path)
            return
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.seen.add(resolved)
            line = error.object.count(b"\n", 0, error.start) + 1
            column = error.start - (error.object.rfind(b"\n", 0, error.start) + 1) + 1
            message = f"the rule file is not UTF-8 text (byte 0x{error.object[error.start]:02x}); save it as UTF-8"
            self.diagnostics.append(Diagnostic(path, line, column, message, code="encoding"))
            return
        except OSError as error:
            self.seen.add(resolved)
            self.diagnostics.append(Diagnostic(path, 1, 1, f"cannot read the rule file: {error.strerror or error}",
                                               code="import"))
            return
        self.load_text(text, path)

    def follow(self, module: ast.Module) -> None:
        base = Path(module.path).parent
        for imp in module.imports:
            target = base / imp.path
            if imp.path.endswith(".rules") and target.is_file():
                self.load_file(str(target))
                continue
            nearby = sorted(p.name for p in base.glob("*.rules") if p.name != Path(module.path).name) \
                if base.is_dir() else []
            why = "rule files end in .rules" if not imp.path.endswith(".rules") else "no such file"
            self.diagnostics.append(make(
                module.text, module.path, imp.line, imp.column, f'cannot import "{imp.path}": {why}',
                expected=f"a .rules file relative to {base.as_posix() if str(base) != '.' else 'this file'}",
                suggestion=did_you_mean(Path(imp.path).name, nearby), code="import"))


def check_loaded(loader: Loader, schema: Schema, functions: Mapping[str, Signature] | None = None) -> Program:
    """Check what ``loader`` loaded; raise `CompileError` with the loading and checking problems together."""
    return _check_program(loader.modules, schema, SIGNATURES if functions is None else functions,
                          list(loader.diagnostics))


def _check_program(modules: list[ast.Module], schema: Schema, functions: Mapping[str, Signature],
                   diagnostics: list[Diagnostic]) -> Program:
    lets: dict[str, ast.Let] = {}
    let_module: dict[str, ast.Module] = {}
    for module in modules:
        for let in module.lets:
            if let.name in lets:
                first = let_module[let.name]
                diagnostics.append(make(module.text, module.path, let.line, let.column,
                                        f"{let.name} is already defined at {first.path}:{lets[let.name].line}",
                                        suggestion="give the derived value another name", code="duplicate"))
                continue
            if let.name in schema.scalars or let.name in schema.collections:
                diagnostics.append(make(module.text, module.path, let.line, let.column,
                                        f"{let.name} is already the name of a fact", code="duplicate",
                                        suggestion=f"call the derived value something else, e.g. {let.name}_计算"))
                continue
            lets[let.name] = let
            let_module[let.name] = module
    checker = _Checker(schema, functions, lets)

    # Derived values: dependency graph, cycles, then checking in dependency order.
    import networkx as nx  # only when compiling: a program loaded from the cache never needs it

    graph = nx.DiGraph()
    for name, let in lets.items():
        graph.add_node(name)
        for node in ast.walk(let.expr):
            if isinstance(node, ast.Name) and node.dotted in lets:
                graph.add_edge(node.dotted, name)
    cyclic: set[str] = set()
    for cycle in sorted(nx.simple_cycles(graph), key=lambda c: sorted(c)):
        start = min(cycle, key=lambda n: (let_module[n].path, lets[n].line))
        i = cycle.index(start)
        ordered = cycle[i:] + cycle[:i]
        chain = " → ".join([start, *reversed(ordered[1:]), start])
        module, let = let_module[start], lets[start]
        diagnostics.append(make(module.text, module.path, let.line, let.column,
                                f"derived value {start} is defined in terms of itself: {chain}",
                                expected="a definition that uses facts and other derived values only",
                                suggestion="break the cycle by writing one of them from facts", code="cycle"))
        cyclic.update(cycle)
    derived: dict[str, Derived] = {}
    acyclic = graph.subgraph(n for n in graph if n not in cyclic)
    order = list(nx.lexicographical_topological_sort(acyclic)) + sorted(cyclic)
    for name in order:
        let, module = lets[name], let_module[name]
        checker.text, checker.file = module.text, module.path
        if name in cyclic:
            checker.let_kinds[name] = "error"
            continue
        expr, kind = checker.resolve(let.expr, _Scope())
        checker.let_kinds[name] = kind
        facts, deps = dependencies(expr)
        derived[name] = Derived(name, expr, kind, module.path, let.line, let.column, let.src,
                                tuple(sorted(facts)), tuple(sorted(deps)))
    derived = {name: derived[name] for name in lets if name in derived}

    rules: list[CompiledRule] = []
    first_seen: dict[str, tuple[str, int]] = {}
    for module in modules:
        checker.text, checker.file = module.text, module.path
        seen_header: set[str] = set()
        for clause in module.header:
            if clause.keyword in seen_header:
                checker.error(clause, f"the file has more than one {clause.keyword} line", code="clause",
                              suggestion="list the regions on one line: region a, b" if clause.keyword == "region"
                              else "give one range of years, e.g. applies 2019..2022")
            seen_header.add(clause.keyword)
        for rule in module.rules:
            if rule.id in first_seen:
                where = f"{first_seen[rule.id][0]}:{first_seen[rule.id][1]}"
                checker.error(rule, f"duplicate rule id {rule.id} (first defined at {where})",
                              expected="a rule id used only once across all rule files",
                              suggestion="rename one of the rules, e.g. with the next free number", code="duplicate")
                _check_rule(checker, rule, module)  # still report problems inside the duplicate
                continue
            first_seen[rule.id] = (module.path, rule.line)
            compiled = _check_rule(checker, rule, module)
            if compiled is not None:
                rules.append(compiled)
    diagnostics.extend(checker.diagnostics)
    if diagnostics:
        raise CompileError(diagnostics)
    return Program(rules, derived, [m.path for m in modules], schema, functions)


def _check_rule(checker: _Checker, rule: ast.Rule, module: ast.Module) -> CompiledRule | None:
    counts: dict[str, int] = {}
    for clause in rule.clauses:
        counts[clause.keyword] = counts.get(clause.keyword, 0) + 1
        if counts[clause.keyword] == 2 and clause.keyword in _MAX_SINGLE:
            checker.error(clause, f"rule {rule.id} has more than one {clause.keyword} clause",
                          suggestion="combine conditions with and (且)" if clause.keyword in ("assert", "when")
                          else None, code="clause")
    assertion_clause = rule.clause("assert")
    if assertion_clause is None:
        checker.error(rule, f"rule {rule.id} has no assert clause", expected="assert <condition> (断言 …)",
                      code="clause")
        return None
    severity_clause = rule.clause("severity")
    severity = "error"
    if severity_clause is not None:
        word = str(severity_clause.value)
        if word not in SEVERITIES:
            checker.error(severity_clause, f"unknown severity {word}", expected="error, warning or info "
                          "(错误, 警告, 提示)", suggestion=did_you_mean(word, SEVERITIES), code="severity")
        severity = SEVERITIES.get(word, "error")
    scope, loop = _Scope(), None
    for_clause = rule.clause("for")
    if for_clause is not None:
        var, source = for_clause.value  # type: ignore[misc]
        source, collection = checker.resolve_source(source, scope)
        loop = Loop(var, source, collection)
        scope = scope.bind(var, collection)
    guard = None
    when_clause = rule.clause("when")
    if when_clause is not None:
        guard, kind = checker.resolve(when_clause.value, scope)  # type: ignore[arg-type]
        checker.need_bool(when_clause.value, kind, "when")  # type: ignore[arg-type]
    assertion, kind = checker.resolve(assertion_clause.value, scope)  # type: ignore[arg-type]
    checker.need_bool(assertion_clause.value, kind, "assert")  # type: ignore[arg-type]
    message_clause = rule.clause("message")
    message = str(message_clause.value) if message_clause is not None else None
    placeholders = _placeholders(checker, message_clause, scope) if message_clause is not None else ()
    cite = rule.clause("cite")
    applies = rule.clause("applies") or module.clause("applies")
    region = rule.clause("region") or module.clause("region")
    facts, derived = set(), set()
    for expr in (guard, assertion, *(e for _, e in placeholders)):
        if expr is not None:
            f, d = dependencies(expr)
            facts |= f
            derived |= d
    if loop is not None and loop.collection is not None:
        facts.add(loop.collection)
    return CompiledRule(rule.id, rule.title, severity, str(cite.value) if cite else None, message, assertion, guard,
                        loop, placeholders, module.path, rule.line, rule.column, rule.src, tuple(sorted(facts)),
                        tuple(sorted(derived)), applies.value if applies else None,  # type: ignore[arg-type]
                        tuple(region.value) if region else ())  # type: ignore[arg-type]


def _placeholders(checker: _Checker, clause: ast.Clause, scope: _Scope) -> tuple[tuple[str, ast.Expr], ...]:
    out: list[tuple[str, ast.Expr]] = []
    text = str(clause.value)
    offset = clause.src.find('"') + 1
    for m in _PLACEHOLDER.finditer(text):
        key = m.group(1).strip()
        if key in SPECIAL_PLACEHOLDERS:
            continue
        # Position the placeholder itself so a typo's caret lands on it (exact when escapes are absent).
        head = clause.src[:offset + m.start(1)]
        line = clause.line + head.count("\n")
        column = (len(head) - head.rfind("\n")) if "\n" in head else clause.column + len(head)
        name = ast.Name(tuple(key.split(".")), line=line, column=column, src=key)
        expr, kind = checker.resolve_name(name, scope)
        if kind != "error":
            out.append((key, expr))
    return tuple(out)


def compile_modules(modules: Iterable[ast.Module], schema: Schema,
                    functions: Mapping[str, Signature] | None = None) -> Program:
    """Check already-parsed modules (imports are not followed)."""
    return _check_program(list(modules), schema, SIGNATURES if functions is None else functions, [])


def compile_files(paths: Iterable[str | Path], schema: Schema,
                  functions: Mapping[str, Signature] | None = None, cache: CompileCache | None = None) -> Program:
    """Parse and check rule files and everything they import; raise `CompileError` on any problem.

    ``cache`` (none by default) may hand back a program it compiled before, and lends the parser a folder
    for its tables."""
    paths = list(paths)
    functions = SIGNATURES if functions is None else functions
    if cache is None:
        return _compile_files(paths, schema, functions, None)
    return cache.program([Path(p) for p in paths], schema, functions,
                         lambda: _compile_files(paths, schema, functions, cache.folder))


def _compile_files(paths: list[str | Path], schema: Schema, functions: Mapping[str, Signature],
                   tables: Path | None) -> Program:
    loader = Loader(tables)
    for path in paths:
        p = Path(path)
        if not p.is_file():
            loader.diagnostics.append(Diagnostic(str(path), 1, 1, "no such rule file", code="import"))
            continue
        loader.load_file(str(path))
    return _check_program(loader.modules, schema, functions, loader.diagnostics)


def compile_text(text: str, path: str, schema: Schema,
                 functions: Mapping[str, Signature] | None = None) -> Program:
    """Compile rule text as if it were the file ``path`` (imports are relative to it)."""
    loader = Loader()
    loader.load_text(text, path)
    return _check_program(loader.modules, schema, SIGNATURES if functions is None else functions, loader.diagnostics)
