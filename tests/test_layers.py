"""The project's layering: no import cycles, the language imports without the checker, and the import-linter
contracts of pyproject.toml (``[tool.importlinter]``) hold."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("checker", "dsl", "plugins", "rules")


def project_modules() -> dict[str, Path]:
    """Every module of the installable packages, by dotted name (a package by its own name)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_graph() -> nx.DiGraph:
    """Module → the project modules it imports, at the top or inside a function (a call-time import is still
    an arrow); ``from package import name`` points at ``package.name`` when that is a module."""
    modules = project_modules()

    def owner(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = nx.DiGraph()
    for module, path in modules.items():
        graph.add_node(module)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*parent, *([base] if base else [])])
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                           for alias in node.names]
            else:
                continue
            for target in targets:
                found = owner(target)
                if found is not None and found != module:
                    graph.add_edge(module, found, line=node.lineno)
    return graph


def test_the_graph_sees_the_imports():
    graph = import_graph()
    assert graph.has_edge("checker.evaluate", "checker.functions")  # top-level
    assert graph.has_edge("checker.pipeline", "checker.readers")  # inside a function
    assert graph.has_edge("checker.functions", "checker.functions.report")  # from package import module


def test_no_import_cycles():
    graph = import_graph()
    cycles = sorted(" → ".join([*cycle, cycle[0]]) for cycle in nx.simple_cycles(graph))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_language_imports_without_the_checker():
    """In a fresh interpreter where `checker` (and the plugins) cannot be imported, every module of `dsl`
    imports, and a rule file parses, compiles against the built-in signatures and reports its errors."""
    script = textwrap.dedent("""
        import importlib, pkgutil, sys

        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("checker", "plugins"):
                    raise ImportError(f"{name} is not importable here")
                return None

        sys.meta_path.insert(0, Refuse())
        import dsl
        for info in pkgutil.walk_packages(dsl.__path__, "dsl."):
            importlib.import_module(info.name)
        from dsl import CompileError, Schema, compile_text, parse_rules

        schema = Schema(scalars={"收入.合计": "money", "收入.财政拨款收入": "money"})
        text = 'rule T-1 "t"\\n  assert exists(收入.合计) and 收入.合计 >= 或零(收入.财政拨款收入)\\n'
        program = compile_text(text, "t.rules", schema)
        assert [r.id for r in program.rules] == ["T-1"] and parse_rules(text).rules[0].id == "T-1"
        try:
            compile_text('rule T-2 "t"\\n  assert 收入.合计 == 100%\\n', "t.rules", schema)
        except CompileError as error:
            assert "cannot compare money" in error.render()
        else:
            raise AssertionError("a unit error compiled")
        assert not any(m.split(".")[0] in ("checker", "plugins") for m in sys.modules)
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_import_layers_contract():
    """import-linter's contracts in pyproject.toml: the layers, highest first, and dsl importing no checker."""
    script = ("import sys\nfrom importlinter.cli import lint_imports\n"
              "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
