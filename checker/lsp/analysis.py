"""A rule file as the editor sees it: compiled with the rule set `juesuan check --rules FILE` would load, from
the editor's unsaved text, giving this file's diagnostics and what its names refer to.

`RuleSet` is the workspace: its configuration's vocabulary, function table and rule files (the plugins'
packs, then the configuration's ``rules``). `analyze` loads them with the edited file in its place (last,
when it is not one of them), reading any file open in the editor from its buffer, and keeps only the
diagnostics of the edited file — the same positioned messages ``juesuan check --rules FILE`` prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from checker.config import Config, config_for
from checker.lsp.chunks import IncrementalParser
from checker.lsp.names import NameIndex, build_index, children
from checker.plugins import ensure_active
from checker.rulepacks import expand_rule_paths
from checker.vocabulary import vocabulary_from_files
from dsl import ast
from dsl.compiler import Loader, Program, check_loaded
from dsl.diagnostics import CompileError, Diagnostic
from dsl.schema import Schema
from dsl.signatures import Signature


@dataclass
class RuleSet:
    """What a rule file is checked alongside: the names it may use, the functions it may call, the other
    rule files of the run, and where every name comes from."""

    schema: Schema
    functions: Mapping[str, Signature]
    files: list[Path]
    names: NameIndex
    config: Config = field(default_factory=Config)
    #: parent path → segment → what it is, for completing names one segment at a time
    tree: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, start: Path | None = None, config_file: str | None = None) -> RuleSet:
        """The rule set of the configuration found from ``start`` (the workspace folder) upwards, or of
        ``config_file``; raises `checker.errors.JuesuanError` when the configuration is wrong."""
        config = config_for(config_file, start)
        plugins = ensure_active()
        plugins.configure(config)
        vocabulary_files = (*plugins.vocabulary_files(config), *config.vocabulary)
        schema = vocabulary_from_files(vocabulary_files).schema()
        files = [*plugins.rule_files(config, builtin=True), *expand_rule_paths(config.rules)]
        names = build_index(vocabulary_files, schema)
        return cls(schema, plugins.functions(), files, names, config, children(schema, ()))


@dataclass
class Analysis:
    """One version of an edited rule file: its diagnostics, its module (None when it does not parse) and
    every module loaded with it, for looking up derived values and rule ids. ``program`` is what compiled
    (None when something did not): the derived values with their kinds, the other files' rules as stubs."""

    path: str
    text: str
    diagnostics: list[Diagnostic]
    module: ast.Module | None
    modules: list[ast.Module]
    program: Program | None
    #: the items of the pieces that parse on their own (the document's outline even with a syntax error)
    salvaged: tuple[ast.Import | ast.Let | ast.Rule, ...] = ()

    def lets(self) -> dict[str, tuple[str, ast.Let]]:
        """Every derived value of the run → (its file, its definition), the first definition of a name."""
        out: dict[str, tuple[str, ast.Let]] = {}
        for module in self.modules:
            for let in module.lets:
                out.setdefault(let.name, (module.path, let))
        if self.module is None:
            for item in self.salvaged:
                if isinstance(item, ast.Let):
                    out.setdefault(item.name, (self.path, item))
        return out

    def rules(self) -> dict[str, tuple[str, ast.Rule]]:
        """Every rule id of the run → (its file, its header), the first definition of an id."""
        out: dict[str, tuple[str, ast.Rule]] = {}
        for module in self.modules:
            for rule in module.rules:
                out.setdefault(rule.id, (module.path, rule))
        if self.module is None:
            for item in self.salvaged:
                if isinstance(item, ast.Rule):
                    out.setdefault(item.id, (self.path, item))
        return out

    def items(self) -> tuple[ast.Import | ast.Let | ast.Rule, ...]:
        """This file's items in document order (the salvaged ones when it does not parse)."""
        if self.module is None:
            return self.salvaged
        found = (*self.module.imports, *self.module.lets, *self.module.rules)
        return tuple(sorted(found, key=lambda item: (item.line, item.column)))


def same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def analyze(rules: RuleSet, path: str, text: str, parser: IncrementalParser,
            buffers: Callable[[str], str | None] = lambda _: None) -> Analysis:
    """Compile ``text`` as the file ``path`` with the rule set; ``buffers`` gives the text of other files open
    in the editor (None: read the file)."""
    target = Path(path).resolve()
    text = text.removeprefix("\ufeff")

    def read(name: str) -> str | None:
        return text if Path(name).resolve() == target else buffers(name)

    loader = Loader(read=read, parse=parser)
    placed = False
    for file in rules.files:
        if file.resolve() == target:
            placed = True
        if file.is_file() or file.resolve() == target:
            loader.load_file(str(file) if file.resolve() != target else path)
    if not placed and target not in loader.seen:
        loader.load_text(text, path)
    module = next((m for m in loader.modules if Path(m.path).resolve() == target), None)
    modules = loader.modules
    # Only this file's rules can have problems shown here; the other files' rules take part only through
    # their ids (a duplicate is this file's problem) and their derived values: they are checked as stubs.
    loader.modules = [m if Path(m.path).resolve() == target else _stub(m) for m in modules]
    program: Program | None = None
    try:
        program = check_loaded(loader, rules.schema, rules.functions)
        diagnostics: list[Diagnostic] = []
    except CompileError as error:
        diagnostics = [d for d in error.diagnostics if Path(d.file).resolve() == target]
    loader.modules = modules
    salvaged = parser.salvage(text, path) if module is None else ()
    return Analysis(path, text, diagnostics, module, modules, program, salvaged)


_ASSERT_TRUE = (ast.Clause("assert", ast.Bool(True)),)


def _stub(module: ast.Module) -> ast.Module:
    """The module with each rule's clauses replaced by ``assert true``: same ids, titles and places (the
    duplicate-id messages name them), same derived values, nothing else to check."""
    rules = tuple(ast.Rule(r.id, r.title, _ASSERT_TRUE, line=r.line, column=r.column, src=r.src) for r in module.rules)
    return ast.Module(path=module.path, text=module.text, imports=module.imports, lets=module.lets, rules=rules,
                      line=module.line, column=module.column)
