"""Rule packs: the built-in ``.rules`` files shipped under ``rules/``, plus any the user adds.

Built-in packs are package data (found from an installed wheel as well as from a checkout);
``--rules PATH`` and the configuration's ``rules`` add files or whole folders.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from checker.errors import JuesuanError, UsageError
from checker.vocabulary import Vocabulary
from dsl import CompileError, compile_files
from dsl.compiler import Program

RULE_SUFFIX = ".rules"
BUILTIN_PACKS = ("national",)


class RuleFileError(JuesuanError):
    """A rule file that does not compile: carries the rendered diagnostics."""

    def __init__(self, error: CompileError) -> None:
        self.diagnostics = error.diagnostics
        super().__init__("\n".join(d.render() for d in error.diagnostics))


@lru_cache(maxsize=1)
def rules_root() -> Path:
    return Path(str(resources.files("rules")))


def builtin_rule_files(packs: Sequence[str] = BUILTIN_PACKS) -> list[Path]:
    """The ``.rules`` files of the named built-in packs, in name order."""
    files: list[Path] = []
    for pack in packs:
        folder = rules_root() / pack
        if not folder.is_dir():
            raise UsageError(f"unknown rule pack {pack!r} (looked in {folder})")
        files.extend(sorted(folder.glob(f"*{RULE_SUFFIX}")))
    return files


def expand_rule_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Rule files named directly, and every ``.rules`` file under named folders (sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(path.rglob(f"*{RULE_SUFFIX}")))
        elif path.is_file():
            out.append(path)
        else:
            raise UsageError(f"{path}: no such rule file or folder")
    return out


def compile_rules(files: Sequence[Path], vocabulary: Vocabulary, functions=None) -> Program:
    """Compile rule files against the vocabulary's schema, with the user's program cache (`checker.cache`); a
    bad file raises RuleFileError.

    ``functions`` is the run's function table, handed down by whoever assembles the run (`checker.run`,
    `checker.ruletest`: the active plugins' table); by default the built-in functions (`checker.functions`).
    """
    from checker.cache import program_cache
    from checker.functions import FUNCTIONS

    if functions is None:
        functions = FUNCTIONS

    try:
        return compile_files([str(f) for f in files], vocabulary.schema(), functions, cache=program_cache())
    except CompileError as error:
        raise RuleFileError(error) from None
