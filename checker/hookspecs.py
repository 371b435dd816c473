"""The hook specification: what a Juesuan plugin may contribute, and when the host asks for it.

A plugin is a module (or any object) with functions named after these hooks and marked with
``hookimpl``::

    from checker.hookspecs import hookimpl

    @hookimpl
    def juesuan_rule_packs(config):
        return [Path(__file__).parent / "rules"]

A plugin implements only the hooks it needs, and may accept fewer arguments than the
specification lists (pluggy passes only the ones it names). None of the hooks is
``firstresult``: the host calls every plugin's implementation, in registration order —
built-ins first, then entry points, the configuration's ``plugins``, ``--plugin`` and last the
project-local ``juesuan_plugin.py`` — and merges what they return, so a later plugin may
replace an earlier one's reader or report format by using the same name.

A hook implementation that raises is reported as a one-line warning naming the plugin and the
hook; the run continues without that plugin (see ``docs/plugins.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from checker.config import Config

PROJECT = "juesuan"

hookspec = pluggy.HookspecMarker(PROJECT)
#: The marker plugin authors put on their hook implementations (also exported as ``checker.hookimpl``).
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def juesuan_configure(config: Config) -> None:
    """Adjust the run's configuration before any rule or vocabulary is loaded.

    Arguments: ``config`` — the `checker.config.Config` after the configuration file and the
    command line were applied; modify it in place (``config.severity``, ``config.ignore``,
    ``config.select``, ``config.rules``…). Return value ignored.

    Called once per run, by `juesuan check`, `rules`, `graph` and `explain`, before the rule
    packs are collected. Command-line settings are already in ``config``: a plugin that wants
    the user to win (e.g. a region's severity defaults) should only set keys the user left
    unset. Not firstresult: every plugin's implementation runs, in registration order.
    """


@hookspec
def juesuan_regions() -> Sequence[str]:
    """Name the regions this plugin implements, canonical name first, then aliases.

    Arguments: none. Returns a list of names such as ``["xinjiang", "新疆", "changji", "昌吉"]``.

    Called when ``--region`` or the configuration's ``region`` is set, to check that some
    plugin knows the name (an unknown region is a usage error listing the known ones), and by
    `juesuan plugins`. ``config.region`` holds the canonical name by the time the other hooks
    run, so a region plugin compares with its first name only. Not firstresult.
    """


@hookspec
def juesuan_rule_packs(config: Config) -> Sequence[Path | str]:
    """Contribute rule packs: paths of ``.rules`` files or of folders searched for them.

    Arguments: ``config`` — the run's configuration (after `juesuan_configure`), e.g. to
    contribute a region's pack only when ``config.region`` names it. Returns paths.

    Called once per run when the rule set is built (`check`, `rules`, `graph`, `explain`);
    the files are compiled together with the configuration's ``rules`` and ``--rules``, so
    rule ids must be unique across all packs. ``--no-builtin`` skips the built-in plugin's
    packs, not the other plugins'. Not firstresult.
    """


@hookspec
def juesuan_vocabulary(config: Config) -> Sequence[Path | str]:
    """Contribute vocabulary files (TOML, the format of ``rules/vocabulary/``).

    Arguments: ``config`` — the run's configuration. Returns paths of TOML files.

    Called once per run, before the rule packs are compiled (the vocabulary defines the
    names rules may use). Files are merged in order: the built-in plugin's first, then each
    plugin's, then the configuration's ``vocabulary``. Not firstresult.
    """


@hookspec
def juesuan_functions() -> Sequence[Any]:
    """Contribute rule-language functions.

    Arguments: none. Returns a list whose items are a `checker.functions.FunctionSpec`, or a
    pair ``(FunctionSpec, aliases)`` where ``aliases`` is a list of other names (e.g. the
    Chinese name of the function).

    Called once when the plugins are activated; every plugin's functions make up the run's
    function table that the rule compiler and the evaluator use (the built-in plugin contributes
    the language's built-ins), so a disabled plugin's functions are gone. A name may not be an
    aggregation (sum, count…). Not firstresult.
    """


@hookspec
def juesuan_fact_extractors(config: Config) -> Sequence[Callable[..., Any]]:
    """Contribute fact extractors run after the built-in extraction of every document.

    Arguments: ``config`` — the run's configuration. Returns callables
    ``extractor(document, vocabulary) -> list[Fact]`` (`checker.model.Document`,
    `checker.vocabulary.Vocabulary`, `checker.facts.model.Fact`). Their facts join the
    built-in ones before the views are built; name them with the vocabulary's names (or add a
    vocabulary file whose ``[schema]`` declares them) so rules can use them.

    Called once when the plugins are activated; the extractors then run for every document
    (`check`, `facts`, rule tests). Not firstresult.
    """


@hookspec
def juesuan_readers() -> Sequence[Any]:
    """Contribute document readers.

    Arguments: none. Returns a list of `checker.readers.ReaderSpec` or triples
    ``(name, sniff, read)``: ``sniff(head: bytes, path: Path) -> bool`` looks at the first
    8 KiB; ``read(path, data: bytes)`` returns a `checker.readers.ReadResult` or a list of
    blocks and raises `checker.errors.InputError` on bad input.

    Called once when the plugins are activated. A later reader is tried before earlier ones;
    re-using a name (``"pdf"``) replaces that reader. Files no reader claims are read as
    text. Not firstresult.
    """


@hookspec
def juesuan_report_formats() -> dict[str, Callable[..., str]]:
    """Contribute report formats for ``juesuan check --format NAME``.

    Arguments: none. Returns a mapping from format name to a renderer
    ``render(results: list[DocumentResult], info: RunInfo) -> str`` (`checker.reports.model`).

    Called once when the plugins are activated, before the command line is parsed (so
    ``--format`` offers the name). A later plugin's name replaces an earlier one's. Not
    firstresult.
    """
