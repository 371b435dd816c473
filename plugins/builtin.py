"""The built-in plugin: the national rule packs, the built-in vocabulary, functions, readers and report formats.

It is registered like any other plugin (``juesuan plugins`` lists it as ``builtin``), so the rest of
the program only ever asks the plugin manager; ``--disable-plugin builtin`` leaves a bare host
(text reading only, no rules, no functions, no report formats) for plugins that bring everything themselves.
"""

from __future__ import annotations

from pathlib import Path

from checker.hookspecs import hookimpl
from checker.rulepacks import BUILTIN_PACKS, rules_root
from checker.vocabulary import builtin_vocabulary_files


@hookimpl
def juesuan_rule_packs(config) -> list[Path]:
    return [rules_root() / pack for pack in BUILTIN_PACKS]


@hookimpl
def juesuan_vocabulary(config) -> list[Path]:
    return list(builtin_vocabulary_files())


@hookimpl
def juesuan_functions() -> list:
    from checker.functions import builtin_functions

    return builtin_functions()


@hookimpl
def juesuan_readers() -> list:
    from checker.readers import BUILTIN_READERS

    return list(BUILTIN_READERS)


@hookimpl
def juesuan_report_formats() -> dict:
    from checker.reports import BUILTIN_MODULES, builtin_renderer

    return {name: builtin_renderer(name) for name in BUILTIN_MODULES}
