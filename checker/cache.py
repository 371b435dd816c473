"""A per-user cache of compiled rule programs and parsed vocabulary files, so that a run does not
re-parse unchanged rule packs or TOML.

Entries live in ``$JUESUAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/juesuan``, else ``~/.cache/juesuan``;
``JUESUAN_NO_CACHE=1`` turns the cache off. An entry's name is a hash of everything the compiled
program depends on: the rule files' paths and contents, the vocabulary's schema, the function table,
the rule language's own source files and the Python version. An entry also records the files the
program imported, with their hashes, and is used only if they are unchanged. Anything wrong with the
cache (missing folder, no permission, a corrupt or foreign entry) means compiling as if there were none.
A vocabulary file's entry is named by a hash of its text and holds what ``tomllib`` made of it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import tomllib
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from dsl.compiler import Program

#: Changes whenever the entry layout changes.
FORMAT = b"juesuan-program-cache/1"
TOML_FORMAT = b"juesuan-toml-cache/1"
DISABLE_VARIABLE = "JUESUAN_NO_CACHE"
DIR_VARIABLE = "JUESUAN_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off or no home can be found."""
    if os.environ.get(DISABLE_VARIABLE, "") not in ("", "0"):
        return None
    if os.environ.get(DIR_VARIABLE):
        return Path(os.environ[DIR_VARIABLE])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "juesuan"
    try:
        return Path.home() / ".cache" / "juesuan"
    except (RuntimeError, KeyError):
        return None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def _language_digest() -> str:
    """The rule language's implementation (parser, grammar, checker, AST): a changed compiler is a new cache."""
    folder = Path(__file__).resolve().parent.parent / "dsl"
    h = hashlib.sha256(FORMAT + sys.version.encode())
    for path in sorted(folder.glob("*.py")) + sorted(folder.glob("*.lark")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _functions_digest(functions: Mapping[str, Any]) -> str:
    parts = []
    for name in sorted(functions):
        spec = functions[name]
        result = spec.result if isinstance(spec.result, str) else getattr(spec.result, "__qualname__", "?")
        impl = getattr(spec, "impl", None)  # a bare signature (dsl.signatures) has none
        parts.append(f"{name}|{spec.name}|{','.join(spec.params)}|{result}|"
                     f"{getattr(impl, '__module__', '?')}.{getattr(impl, '__qualname__', '?')}")
    return _digest("\n".join(parts).encode())


@dataclass(frozen=True)
class ProgramCache:
    """The compiled-program cache in ``folder``, handed to `dsl.compile_files` (a `dsl.compiler.CompileCache`);
    the parser keeps its LALR tables in the same folder."""

    folder: Path

    def program(self, files: Sequence[Path], schema: Any, functions: Mapping[str, Any],
                compile_program: Callable[[], Program]) -> Program:
        """The program compiled from ``files``: from the cache when it is there and current, else compiled and
        stored."""
        try:
            h = hashlib.sha256(_language_digest().encode())
            h.update(repr(schema).encode())
            h.update(_functions_digest(functions).encode())
            for path in files:
                h.update(str(Path(path).resolve()).encode() + b"\0" + Path(path).read_bytes() + b"\0")
            entry = self.folder / f"program-{h.hexdigest()}.pickle"
        except (OSError, AttributeError, TypeError):
            return compile_program()
        program = _load(entry)
        if program is not None:
            return replace(program, functions=functions)
        program = compile_program()
        _store(entry, program)
        return program


def program_cache() -> ProgramCache | None:
    """The cache to compile rule packs with: the user's cache folder, or None when caching is off."""
    folder = cache_dir()
    return None if folder is None else ProgramCache(folder)


def _load(entry: Path) -> Program | None:
    try:
        with entry.open("rb") as handle:
            if handle.read(len(FORMAT)) != FORMAT:
                return None
            imported, program = pickle.load(handle)
        for path, digest in imported:
            if _digest(Path(path).read_bytes()) != digest:
                return None
    except FileNotFoundError:
        return None
    except Exception:  # a corrupt, truncated or foreign entry: compile instead
        return None
    return program if isinstance(program, Program) else None


def _store(entry: Path, program: Program) -> None:
    try:
        imported = [(path, _digest(Path(path).read_bytes())) for path in program.files]
        _write(entry, FORMAT + pickle.dumps((imported, replace(program, functions={})),
                                            protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # a read-only home or full disk: the run goes on uncached
        return


def cached_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, from the cache when this exact text was parsed before (tomllib is pure
    Python: the built-in vocabulary takes it longer to parse than to check a short report). Syntax errors
    are raised as by tomllib and never cached."""
    folder = cache_dir()
    if folder is None:
        return tomllib.loads(text)
    entry = folder / f"toml-{_digest(TOML_FORMAT + sys.version.encode() + text.encode())}.pickle"
    try:
        with entry.open("rb") as handle:
            if handle.read(len(TOML_FORMAT)) == TOML_FORMAT:
                data = pickle.load(handle)
                if isinstance(data, dict):
                    return data
    except Exception:  # missing, corrupt or foreign: parse instead
        pass
    data = tomllib.loads(text)
    with suppress(Exception):  # a read-only home or full disk: the run goes on uncached
        _write(entry, TOML_FORMAT + pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data


def _write(entry: Path, data: bytes) -> None:
    """Write an entry atomically: concurrent runs see the whole entry or none."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".entry-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, entry)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
