"""Text → syntax tree, with syntax errors explained in the rule author's words.

One LALR parser is built from ``grammar.lark`` (package data) on first use and cached.
A transformer turns the parse tree into the frozen dataclasses of `dsl.ast`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from dsl import ast
from dsl.diagnostics import CompileError, Diagnostic, did_you_mean, make


@cache
def grammar_text() -> str:
    return resources.files("dsl").joinpath("grammar.lark").read_text(encoding="utf-8")


def get_parser(tables: Path | None = None) -> Lark:
    """The one LALR parser (contextual lexer, positions propagated), built on first use.

    ``tables`` is a folder the caller lets the parser keep its tables in (the checker passes its cache
    folder, see `dsl.compiler.CompileCache`): lark checks the grammar's and options' hash there, and
    rebuilds from the grammar if the file is bad. Without it nothing is written."""
    if not _PARSER:
        _PARSER.append(Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                            maybe_placeholders=True, cache=_tables_file(tables)))
    return _PARSER[0]


_PARSER: list[Lark] = []


def _tables_file(folder: Path | None) -> str | bool:
    if folder is None:
        return False
    import lark

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return str(folder / f"grammar-lark{lark.__version__}.cache")


_KEYWORD_TYPE = re.compile(r"^[A-Z]+_(EN|ZH2?)$")
_OPS = {"=": "==", "≠": "!=", "≤": "<=", "≥": ">=", "−": "-", "×": "*", "÷": "/"}
_ESCAPES = re.compile(r"\\(.)")


class _LiteralError(Exception):
    def __init__(self, token: Token, message: str) -> None:
        super().__init__(message)
        self.token = token


def _unquote(token: str) -> str:
    return _ESCAPES.sub(lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), token[1:-1])


_YEAR = re.compile(r"(?:19|20)\d\d")


def _years(tok: Token) -> tuple[int | None, int | None]:
    """``2021..`` / ``2021年起`` → (2021, None); ``2019..2020`` / ``2019年至2020年`` → (2019, 2020); ``..2020`` /
    ``至2020年`` → (None, 2020); ``2021`` / ``2021年`` → (2021, 2021). A range ending before it starts is an error."""
    text = str(tok)
    found = [int(y) for y in _YEAR.findall(text)]
    if ".." in text:
        head, _, tail = text.partition("..")
        first = int(_YEAR.search(head).group()) if _YEAR.search(head) else None
        last = int(_YEAR.search(tail).group()) if _YEAR.search(tail) else None
    elif text.startswith("至"):
        first, last = None, found[0]
    elif text.endswith("起"):
        first, last = found[0], None
    else:
        first, last = found[0], found[-1]
    if first is not None and last is not None and first > last:
        raise _LiteralError(tok, f"{text} ends before it starts: write the first year first, e.g. {last}..{first}")
    return first, last


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


@v_args(meta=True)
class _Builder(Transformer):
    """Parse tree → `dsl.ast` nodes; keyword tokens are dropped, positions and source kept."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__()
        self.text = text
        self.path = path

    def _pos(self, meta) -> dict:
        if getattr(meta, "empty", True):
            return {}
        return {"line": meta.line, "column": meta.column, "src": self.text[meta.start_pos:meta.end_pos]}

    @staticmethod
    def _tokpos(tok: Token) -> dict:
        return {"line": tok.line or 0, "column": tok.column or 0, "src": str(tok)}

    @staticmethod
    def _strip(children: list) -> list:
        return [c for c in children if not (isinstance(c, Token) and _KEYWORD_TYPE.match(c.type))]

    # ---- statements
    def start(self, meta, children):
        items = self._strip(children)
        return ast.Module(
            path=self.path, text=self.text,
            imports=tuple(i for i in items if isinstance(i, ast.Import)),
            lets=tuple(i for i in items if isinstance(i, ast.Let)),
            rules=tuple(i for i in items if isinstance(i, ast.Rule)),
            header=tuple(i for i in items if isinstance(i, ast.Clause)), line=1, column=1)

    def pack_applies(self, meta, children):
        return self.applies(meta, children)

    def pack_region(self, meta, children):
        return self.region(meta, children)

    def applies(self, meta, children):
        (tok,) = self._strip(children)
        return self._clause("applies", meta, _years(tok))

    def region(self, meta, children):
        return self._clause("region", meta, tuple(str(t) for t in self._strip(children)))

    def import_stmt(self, meta, children):
        (path,) = self._strip(children)
        return ast.Import(_unquote(path), **self._pos(meta))

    def let_stmt(self, meta, children):
        name, expr = self._strip(children)
        return ast.Let(str(name), expr, **self._pos(meta))

    def rule(self, meta, children):
        rid, title, *clauses = self._strip(children)
        return ast.Rule(str(rid), _unquote(title), tuple(clauses), **self._pos(meta))

    def _clause(self, keyword, meta, value):
        return ast.Clause(keyword, value, **self._pos(meta))

    def severity(self, meta, children):
        (word,) = self._strip(children)
        return self._clause("severity", meta, str(word))

    def cite(self, meta, children):
        (text,) = self._strip(children)
        return self._clause("cite", meta, _unquote(text))

    def when(self, meta, children):
        (expr,) = self._strip(children)
        return self._clause("when", meta, expr)

    def foreach(self, meta, children):
        var, source = self._strip(children)
        return self._clause("for", meta, (str(var), source))

    def assertion(self, meta, children):
        (expr,) = self._strip(children)
        return self._clause("assert", meta, expr)

    def message(self, meta, children):
        (text,) = self._strip(children)
        return self._clause("message", meta, _unquote(text))

    def source(self, meta, children):
        (name,) = self._strip(children)
        return ast.Source(name=name, **self._pos(meta))

    def string_list(self, meta, children):
        return ast.Source(strings=tuple(_unquote(s) for s in children if s is not None), **self._pos(meta))

    # ---- expressions
    def or_op(self, meta, children):
        left, right = self._strip(children)
        return ast.Logical("or", left, right, **self._pos(meta))

    def and_op(self, meta, children):
        left, right = self._strip(children)
        return ast.Logical("and", left, right, **self._pos(meta))

    def not_op(self, meta, children):
        (operand,) = self._strip(children)
        return ast.Not(operand, **self._pos(meta))

    def compare(self, meta, children):
        left, op, right, *tol = self._strip(children)
        return ast.Compare(_OPS.get(str(op), str(op)), left, right, tol[0] if tol else None, **self._pos(meta))

    def tolerance(self, meta, children):
        (tok,) = self._strip(children)
        text = str(tok)
        if text.endswith("%"):
            return ast.Tolerance(Decimal(text[:-1]) / 100, True, **self._pos(meta))
        return ast.Tolerance(Decimal(text), False, **self._pos(meta))

    def binop(self, meta, children):
        left, op, right = children
        return ast.Binary(_OPS.get(str(op), str(op)), left, right, **self._pos(meta))

    def neg(self, meta, children):
        _, operand = children
        return ast.Unary("-", operand, **self._pos(meta))

    def number(self, meta, children):
        (tok,) = children
        return ast.Number(Decimal(str(tok)), _decimals(str(tok)), **self._tokpos(tok))

    def percent(self, meta, children):
        (tok,) = children
        digits = str(tok)[:-1]
        return ast.Percent(Decimal(digits) / 100, _decimals(digits) + 2, **self._tokpos(tok))

    def date(self, meta, children):
        (tok,) = children
        y, m, d = (int(x) for x in re.findall(r"\d+", str(tok)))
        try:
            value = date(y, m, d)
        except ValueError:
            raise _LiteralError(tok, f"{tok} is not a calendar date") from None
        return ast.DateLit(value, **self._tokpos(tok))

    def string(self, meta, children):
        (tok,) = children
        return ast.String(_unquote(tok), **self._tokpos(tok))

    def true(self, meta, children):
        return ast.Bool(True, **self._pos(meta))

    def false(self, meta, children):
        return ast.Bool(False, **self._pos(meta))

    def name(self, meta, children):
        parts = []
        for tok in children:
            text = str(tok)
            parts.append(text[1:-1] if tok.type in ("QNAME",) else _unquote(text) if tok.type == "STRING" else text)
        return ast.Name(tuple(parts), **self._pos(meta))

    def call(self, meta, children):
        func, arguments = children
        pos = self._pos(meta)
        if arguments is None:
            return ast.Call(str(func), (), **pos)
        form, *rest = arguments
        if form == "comp":
            return ast.Call(str(func), (rest[0],), comprehension=rest[1], **pos)
        if form == "where":
            return ast.Call(str(func), (rest[0],), where=rest[1], **pos)
        return ast.Call(str(func), tuple(rest), **pos)

    def args(self, meta, children):
        return ("args", *children)

    def comprehension_args(self, meta, children):
        return ("comp", *children)

    def implicit_args(self, meta, children):
        expr, where = self._strip(children)
        return ("where", expr, where)

    def comprehension(self, meta, children):
        var, source, *where = self._strip(children)
        return ast.Comprehension(str(var), source, where[0] if where else None, **self._pos(meta))


# ---- syntax errors in the author's words ----------------------------------------------

_TERMINAL_WORDS = {
    "NAME": "a name such as 三公经费.合计",
    "QNAME": "a `quoted name`",
    "RULE_ID": "a rule id such as SG-001",
    "STRING": 'a text in double quotes such as "…"',
    "DATE": "a date such as 2024年12月31日",
    "PERCENT": "a percentage such as 100%",
    "NUMBER": "a number such as 0.01",
    "YEARS": "the years in force, such as 2021.., 2019..2020, 2021年起 or 2019年至2020年",
    "COMP": "a comparison such as == != < <= > >=",
    "_ASSIGN": "=",
    "PLUS": "an operator + − × ÷", "MINUS": "an operator + − × ÷",
    "TIMES": "an operator + − × ÷", "DIVIDE": "an operator + − × ÷",
    "LPAR": "(", "RPAR": ")", "LSQB": "[", "RSQB": "]", "COMMA": ",", "DOT": ".",
    "$END": "the end of the file",
}
_VALUE_TERMINALS = {"NAME", "QNAME", "NUMBER", "PERCENT", "DATE", "STRING", "LPAR", "MINUS"}
_CLAUSE_KEYWORDS = {"SEVERITY", "CITE", "WHEN", "FOR", "ASSERT", "MESSAGE", "APPLIES", "REGION"}


def _keyword_word(base: str) -> str | None:
    """``'RULE'`` → ``the keyword rule (规则)`` built from the grammar's spellings."""
    spellings = [str(t.pattern.value) for t in get_parser().terminals
                 if _KEYWORD_TYPE.match(t.name) and t.name.rsplit("_", 1)[0] == base]
    if not spellings:
        return None
    english = [s for s in spellings if s.isascii()]
    chinese = [s for s in spellings if not s.isascii()]
    words = " ".join(english) if base != "FOR" else "for each"
    return f"the keyword {words}" + (f" ({' / '.join(chinese)})" if chinese else "")


def describe_expected(expected: set[str]) -> str:
    """The set of acceptable terminals as one short readable phrase (never raw token names)."""
    expected = {e for e in expected if e not in ("EACH_EN",)}
    bases = {e.rsplit("_", 1)[0] for e in expected if _KEYWORD_TYPE.match(e)}
    words: list[str] = []
    if "NAME" in expected and "NUMBER" in expected:
        words.append("a value (a name, number, percentage, date, text or function call)")
        expected -= _VALUE_TERMINALS
        bases -= {"TRUE", "FALSE", "NOT"}
    if len(bases & _CLAUSE_KEYWORDS) >= 3:
        words.append("a rule clause (severity, cite, when, for each, assert, message, applies, region)")
        bases -= _CLAUSE_KEYWORDS
    operators = {"COMP", "PLUS", "MINUS", "TIMES", "DIVIDE"}
    if expected & operators and bases & {"AND", "OR"}:
        words.append("an operator (+ − × ÷, a comparison, and/且, or/或)")
        expected -= operators | {"DOT", "LPAR"}
        bases -= {"AND", "OR", "WITHIN"}
    if {"RULE", "LET", "IMPORT"} <= bases:
        words.append("another rule, let or import")
        bases -= {"RULE", "LET", "IMPORT"}
    words.extend(w for w in (_keyword_word(b) for b in sorted(bases)) if w)
    for e in sorted(x for x in expected if not _KEYWORD_TYPE.match(x)):
        word = _TERMINAL_WORDS.get(e)
        if word and word not in words:
            words.append(word)
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _describe_token(tok: Token) -> str:
    if tok.type == "$END":
        return "the end of the file"
    if _KEYWORD_TYPE.match(tok.type):
        return f'the keyword "{tok}"'
    kind = {"NAME": "name", "QNAME": "name", "STRING": "text", "NUMBER": "number", "PERCENT": "percentage",
            "DATE": "date", "RULE_ID": "word"}.get(tok.type, "symbol")
    return f'{kind} "{tok}"'


# Parser states → a headline in the author's terms (lark matches the failing state to these).
_EXAMPLES: dict[str, list[str]] = {
    "a rule starts with an id such as SG-001 and a title in quotes": ['rule "title"', "rule A-1 assert"],
    "the comparison has no right-hand side": ['rule A-1 "t" assert a ==', 'rule A-1 "t" assert a == )'],
    "`for each` needs a variable, `in` (属于) and a collection": [
        'rule A-1 "t" for each x assert', 'rule A-1 "t" for each assert'],
    "a definition is written `let name = expression`": ["let x a", "let = a"],
    "a rule needs at least one clause (severity, cite, when, for each, assert, message, applies, region)": [
        'rule A-1 "t"'],
    "an opening parenthesis is not closed": ['rule A-1 "t" assert (a == b rule', 'rule A-1 "t" assert f(a rule'],
}


def _variants(examples: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each example also after an earlier clause and under ``when``: LALR states differ there."""
    out: dict[str, list[str]] = {}
    for label, snippets in examples.items():
        more = list(snippets)
        for snippet in snippets:
            if ' "t" assert ' in snippet:
                more.append(snippet.replace(' "t" assert ', ' "t" severity error assert '))
                more.append(snippet.replace(' "t" assert ', ' "t" when '))
                more.append(snippet.replace(' "t" assert ', ' "t" severity error when '))
        out[label] = more
    return out


_EXAMPLES = _variants(_EXAMPLES)
_FULLWIDTH_HINTS = {"＝": "=", "，": ",", "＋": "+", "－": "-", "＜": "<", "＞": ">", "％": "%", "＊": "*",
                    "：": "nothing (clauses need no colon)", "；": "nothing (no semicolons are needed)"}


def _headline(err: UnexpectedInput, text: str) -> str | None:
    """The headline of the example that fails in the same parser state as ``err`` (lark's `match_examples`,
    but comparing the state itself, not the depth of the stack under it: an error in the fifth rule of a file
    gets the same words as one in the first)."""
    state = getattr(err, "state", None)
    if state is None:
        return None
    candidate: tuple[str | None, bool] = (None, False)
    for label, example in _example_errors():
        if example.state.position != state.position:
            continue
        if isinstance(err, UnexpectedToken) and isinstance(example, UnexpectedToken) and \
                example.accepts != err.accepts:
            continue
        if isinstance(err, UnexpectedToken | UnexpectedEOF) and isinstance(example, UnexpectedToken | UnexpectedEOF):
            if example.token == err.token:
                return label
            if example.token.type == err.token.type and not candidate[1]:
                candidate = (label, True)
        if candidate[0] is None:
            candidate = (label, False)
    return candidate[0]


@cache
def _example_errors() -> tuple[tuple[str, UnexpectedInput], ...]:
    """Each example of `_EXAMPLES` with the error it raises, parsed once."""
    found = []
    for label, snippets in _EXAMPLES.items():
        for snippet in snippets:
            try:
                get_parser().parse(snippet)
            except UnexpectedInput as example:
                if getattr(example, "state", None) is not None:
                    found.append((label, example))
    return tuple(found)


def syntax_diagnostic(err: UnexpectedInput, text: str, path: str) -> Diagnostic:
    """One diagnostic for a lark syntax error."""
    line, column = err.line if err.line > 0 else 1, err.column if err.column > 0 else 1
    if isinstance(err, UnexpectedCharacters):
        char = text[err.pos_in_stream] if err.pos_in_stream < len(text) else ""
        if char == '"':
            return make(text, path, line, column, "this text is not closed: a quoted text ends with \" on the "
                        "same line", expected='a closing "')
        hint = _FULLWIDTH_HINTS.get(char)
        suggestion = f"use {hint} instead of {char}" if hint else None
        return make(text, path, line, column, f"unexpected character {char!r}",
                    expected=describe_expected(set(err.allowed or ())), suggestion=suggestion)
    if isinstance(err, UnexpectedToken):
        headline = _headline(err, text)
        found = _describe_token(err.token)
        if headline:
            message = f"{headline}: found {found}"
        elif err.token.type == "$END":
            message = "the file ends too early"
        else:
            message = f"unexpected {found}"
        expected = describe_expected(set(err.accepts or err.expected))
        suggestion = None
        if err.token.type in ("NAME", "RULE_ID"):
            acceptable = _keyword_spellings(set(err.accepts or err.expected))
            suggestion = _keyword_glued(str(err.token)) or did_you_mean(str(err.token), acceptable)
        return make(text, path, line, column, message, expected=expected, suggestion=suggestion)
    if isinstance(err, UnexpectedEOF):
        return make(text, path, line, column, "the file ends in the middle of a rule",
                    expected=describe_expected(set(err.expected)))
    return make(text, path, line, column, str(err))


def _keyword_spellings(only: set[str] | None = None) -> list[str]:
    return [str(t.pattern.value) for t in get_parser().terminals
            if _KEYWORD_TYPE.match(t.name) and (only is None or t.name in only)]


def _keyword_glued(word: str) -> str | None:
    """``且收入`` probably meant ``且 收入``: Chinese keywords need a space after them."""
    for kw in sorted(_keyword_spellings(), key=len, reverse=True):
        if not kw.isascii() and word.startswith(kw) and len(word) > len(kw):
            return f"put a space after the keyword {kw}: `{kw} {word[len(kw):]}`"
    return None


def parse_rules(text: str, path: str = "<rules>", tables: Path | None = None) -> ast.Module:
    """Parse one rule file; raise `CompileError` with a positioned diagnostic on a syntax error.
    ``tables``: a folder the parser may keep its tables in (see `get_parser`)."""
    text = text.removeprefix("\ufeff")
    try:
        tree = get_parser(tables).parse(text)
    except UnexpectedInput as err:
        raise CompileError([syntax_diagnostic(err, text, path)]) from None
    try:
        return _Builder(text, path).transform(tree)
    except VisitError as err:
        inner = err.orig_exc
        if isinstance(inner, _LiteralError):
            tok = inner.token
            raise CompileError([make(text, path, tok.line or 1, tok.column or 1, str(inner))]) from None
        raise
