"""The plugin manager: finds plugins, isolates the ones that fail, and fills the host's tables from the hooks.

Plugins come from, in this order (the order hooks are called in):

1. the built-in plugins ``plugins.builtin`` (national rule packs, vocabulary, readers, report formats)
   and ``plugins.xinjiang`` (a region, active only with ``--region xinjiang``);
2. setuptools entry points in the group ``juesuan``;
3. the configuration's ``plugins`` and ``--plugin`` (a module path, or the path of a ``.py`` file);
4. the project-local file ``juesuan_plugin.py`` beside the configuration file (or in the current
   folder when there is none), like tox's ``toxfile.py``.

``--disable-plugin NAME`` / ``disable-plugins`` skip a plugin by name. A plugin that fails to import
or whose hook raises is named in one warning line on standard error and dropped; the run goes on
(with ``strict``, the failure is an error instead).

This is the one place that assembles a run: the layers below never ask for plugins, they are handed
what the plugins contribute. `activate` makes a loaded set the process's plugins: readers, report
formats and fact extractors go into the tables `checker.readers`, `checker.reports` and
`checker.pipeline` read; functions into the table `active_functions` returns (which the run, see
`checker.run`, passes to the rule compiler). `ensure_active` loads the default set (built-ins and
entry points) the first time a command or a run needs it without a command line.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

import pluggy

from checker import hookspecs
from checker.errors import JuesuanError, UsageError

ENTRY_POINT_GROUP = "juesuan"
#: Set (to anything but the empty string) to skip the entry points, like pytest's PYTEST_DISABLE_PLUGIN_AUTOLOAD:
#: the project's own test suite sets it so that installed third-party plugins do not change its results.
AUTOLOAD_VARIABLE = "JUESUAN_DISABLE_PLUGIN_AUTOLOAD"
LOCAL_PLUGIN_FILE = "juesuan_plugin.py"
BUILTIN_MODULES = (("builtin", "plugins.builtin"), ("xinjiang", "plugins.xinjiang"))

SOURCES = ("builtin", "entry point", "config", "--plugin", "local file")


class PluginError(JuesuanError):
    """A plugin failed and ``--strict-plugins`` asked for that to stop the run."""


@dataclass
class PluginRecord:
    """One plugin as `juesuan plugins` shows it."""

    name: str
    source: str
    origin: str
    version: str | None = None
    plugin: Any = None
    status: str = "loaded"  # loaded | disabled | failed
    error: str | None = None


@dataclass
class Contributions:
    """What one plugin's hooks returned."""

    rules: list[Path] = field(default_factory=list)
    vocabulary: list[Path] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    extractors: list[str] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)


class Plugins:
    """A pluggy manager plus the record of where each plugin came from and whether it failed."""

    def __init__(self, strict: bool = False, warn: TextIO | None = None) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.records: list[PluginRecord] = []
        self.strict = strict
        self._warn = warn
        #: ``--region`` from the command line; it overrides the configuration's ``region``.
        self.region: str | None = None

    # ---- loading ---------------------------------------------------------------------------

    def register(self, plugin: Any, name: str, source: str, origin: str = "", version: str | None = None,
                 disabled: Iterable[str] = ()) -> PluginRecord:
        """Register an already imported plugin object (a module, a class instance…)."""
        record = PluginRecord(name, source, origin or getattr(plugin, "__name__", name), version, plugin)
        if name in set(disabled):
            record.status = "disabled"
            self.records.append(record)
            return record
        if self.pm.is_registered(plugin) or self.pm.has_plugin(name):
            return next(r for r in self.records if r.plugin is plugin or r.name == name)
        self.records.append(record)
        try:
            self.pm.register(plugin, name)
        except Exception as exc:  # pluggy validates hook names and signatures here
            self._fail(record, f"cannot be registered: {_describe(exc)}")
        return record

    def load_builtins(self, disabled: Iterable[str] = ()) -> None:
        for name, module in BUILTIN_MODULES:
            self.load(module, "builtin", name=name, disabled=disabled)

    def load_entry_points(self, disabled: Iterable[str] = ()) -> None:
        disabled = set(disabled)
        for entry in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            version = entry.dist.version if entry.dist is not None else None
            if entry.name in disabled:
                self.records.append(PluginRecord(entry.name, "entry point", entry.value, version, status="disabled"))
                continue
            try:
                plugin = entry.load()
            except Exception as exc:
                self._fail(PluginRecord(entry.name, "entry point", entry.value, version),
                           f"failed to import: {_describe(exc)}")
                continue
            self.register(plugin, entry.name, "entry point", entry.value, version, disabled)

    def load(self, spec: str, source: str, name: str | None = None, base: Path | None = None,
             disabled: Iterable[str] = ()) -> PluginRecord | None:
        """Import a plugin from a module path (``pkg.mod``, ``pkg.mod:object``) or a ``.py`` file and register it."""
        is_file = spec.endswith(".py") or "/" in spec or "\\" in spec
        path = (base / spec if base is not None and not Path(spec).is_absolute() else Path(spec)) if is_file else None
        name = name or (path.stem if path is not None else spec.partition(":")[0])
        if name in set(disabled):
            record = PluginRecord(name, source, str(path or spec), status="disabled")
            self.records.append(record)
            return record
        try:
            if path is not None:
                module = _import_file(path, name)
            else:  # ``pkg.mod`` or, as in entry points, ``pkg.mod:attribute``
                module_name, _, attribute = spec.partition(":")
                module = importlib.import_module(module_name)
                for part in filter(None, attribute.split(".")):
                    module = getattr(module, part)
        except Exception as exc:
            self._fail(PluginRecord(name, source, str(path or spec)), f"failed to import: {_describe(exc)}")
            return None
        return self.register(module, name, source, str(path or spec), _module_version(module), disabled)

    # ---- failures --------------------------------------------------------------------------

    def _fail(self, record: PluginRecord, message: str) -> None:
        record.status, record.error = "failed", message
        if record not in self.records:
            self.records.append(record)
        if record.plugin is not None and self.pm.is_registered(record.plugin):
            self.pm.unregister(record.plugin)
        line = f"plugin {record.name!r} ({record.source}: {record.origin}) {message}"
        if self.strict:
            raise PluginError(line)
        stream = self._warn or sys.stderr
        print(f"juesuan: warning: {line}; continuing without it", file=stream)

    @property
    def failed(self) -> list[PluginRecord]:
        return [r for r in self.records if r.status == "failed"]

    # ---- calling hooks ---------------------------------------------------------------------

    def call(self, hook: str, **kwargs: Any) -> list[tuple[PluginRecord, Any]]:
        """Every registered implementation of ``hook``, in registration order, each isolated.

        An implementation that raises drops its plugin (one warning line) and the others go on.
        """
        out = []
        failures = len(self.failed)
        by_name = {r.name: r for r in self.records if r.status == "loaded"}
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            record = by_name.get(impl.plugin_name)
            if record is None or record.status != "loaded":
                continue
            try:
                result = impl.function(*(kwargs[a] for a in impl.argnames))
            except Exception as exc:
                self._fail(record, f"raised in {hook}: {_describe(exc)}")
                continue
            if result is not None:
                out.append((record, result))
        if len(self.failed) > failures and _ACTIVE and _ACTIVE[0] is self and not _STATE["syncing"]:
            _sync(self)  # withdraw what the failed plugin contributed through earlier hooks
        return out

    def _checked(self, hook: str, convert: Callable[[Any], Any], **kwargs: Any) -> list[tuple[PluginRecord, Any]]:
        """Call ``hook`` and convert each plugin's result; a result of the wrong shape fails its plugin."""
        out = []
        for record, result in self.call(hook, **kwargs):
            try:
                out.append((record, convert(result)))
            except (TypeError, ValueError, OSError) as exc:
                self._fail(record, f"returned an unusable value from {hook}: {_describe(exc)}")
        return out

    # ---- contributions ---------------------------------------------------------------------

    def configure(self, config: Any) -> None:
        """Resolve ``config.region`` to its canonical name, then let every plugin adjust the configuration."""
        if self.region:
            config.region = self.region
        if config.region:
            config.region = self.resolve_region(config.region)
        self.call("juesuan_configure", config=config)

    def regions(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Every region name or alias → (the plugin's name, the region's names, canonical first)."""
        out: dict[str, tuple[str, tuple[str, ...]]] = {}
        for record, names in self._checked("juesuan_regions", _strings):
            for region in names:
                out.setdefault(region.casefold(), (record.name, tuple(names)))
        return out

    def resolve_region(self, region: str) -> str:
        known = self.regions()
        entry = known.get(region.casefold())
        if entry is None:
            shown = sorted({f"{names[0]} ({', '.join(names[1:])})" if names[1:] else names[0]
                            for _, names in known.values()})
            raise UsageError(f"unknown region {region!r}; " + (f"available: {'; '.join(shown)}" if shown
                                                               else "no loaded plugin provides a region"))
        return entry[1][0]

    def rule_files(self, config: Any, builtin: bool = True) -> list[Path]:
        """The ``.rules`` files the plugins contribute (``builtin=False`` skips the built-in plugin's)."""
        from checker.rulepacks import expand_rule_paths

        files: list[Path] = []
        for record, paths in self._checked("juesuan_rule_packs", _existing_paths, config=config):
            if builtin or record.name != "builtin":
                files.extend(expand_rule_paths(paths))
        return files

    def vocabulary_files(self, config: Any, builtin: bool = True) -> list[Path]:
        return [p for record, paths in self._checked("juesuan_vocabulary", _existing_paths, config=config)
                if builtin or record.name != "builtin" for p in paths]

    def functions(self) -> Mapping[str, Any]:
        """The run's function table: every plugin's functions, in registration order (the built-in plugin
        contributes the language's built-ins); a later plugin's name replaces an earlier one's."""
        from checker.functions import register_function

        table: dict[str, Any] = {}
        for _, specs in self._checked("juesuan_functions", _function_specs):
            for spec, aliases in specs:
                register_function(spec, aliases, registry=table)
        return table

    def extractors(self, config: Any) -> list[Callable[..., Any]]:
        return [fn for _, fns in self._checked("juesuan_fact_extractors", _callables, config=config) for fn in fns]

    def readers(self) -> list[Any]:
        return [spec for _, specs in self._checked("juesuan_readers", _reader_specs) for spec in specs]

    def formats(self) -> dict[str, Callable[..., str]]:
        out: dict[str, Callable[..., str]] = {}
        for _, table in self._checked("juesuan_report_formats", _format_table):
            out.update(table)
        return out

    def contributions(self, config: Any) -> dict[str, Contributions]:
        """Per plugin, what it contributes under ``config`` (for `juesuan plugins`)."""
        from checker.rulepacks import expand_rule_paths

        out = {r.name: Contributions() for r in self.records if r.status == "loaded"}
        for record, paths in self._checked("juesuan_rule_packs", _existing_paths, config=config):
            out[record.name].rules.extend(expand_rule_paths(paths))
        for record, paths in self._checked("juesuan_vocabulary", _existing_paths, config=config):
            out[record.name].vocabulary.extend(paths)
        for record, specs in self._checked("juesuan_functions", _function_specs):
            out[record.name].functions.extend(" / ".join((s.name, *a)) for s, a in specs)
        for record, fns in self._checked("juesuan_fact_extractors", _callables, config=config):
            out[record.name].extractors.extend(getattr(f, "__name__", repr(f)) for f in fns)
        for record, specs in self._checked("juesuan_readers", _reader_specs):
            out[record.name].readers.extend(s.name for s in specs)
        for record, table in self._checked("juesuan_report_formats", _format_table):
            out[record.name].formats.extend(table)
        for record, names in self._checked("juesuan_regions", _strings):
            out[record.name].regions.extend(names)
        return {name: c for name, c in out.items() if any(r.name == name and r.status == "loaded"
                                                           for r in self.records)}


# ---- converting what hooks return ------------------------------------------------------------

def _strings(value: Any) -> list[str]:
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of strings")
    return list(value)


def _existing_paths(value: Any) -> list[Path]:
    if isinstance(value, str | Path):
        raise TypeError("expected a list of paths, got a single path")
    paths = [Path(v) for v in value]
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
    return paths


def _function_specs(value: Any) -> list[tuple[Any, tuple[str, ...]]]:
    from checker.functions import FunctionSpec

    out = []
    for item in value:
        spec, aliases = (item, ()) if isinstance(item, FunctionSpec) else item
        if not isinstance(spec, FunctionSpec):
            raise TypeError(f"expected a FunctionSpec or (FunctionSpec, aliases), got {type(item).__name__}")
        out.append((spec, tuple(_strings(aliases))))
    return out


def _callables(value: Any) -> list[Callable[..., Any]]:
    fns = list(value)
    if not all(callable(f) for f in fns):
        raise TypeError("expected a list of callables")
    return fns


def _reader_specs(value: Any) -> list[Any]:
    from checker.readers import ReaderSpec

    out = []
    for item in value:
        spec = item if isinstance(item, ReaderSpec) else ReaderSpec(*item)
        if not (isinstance(spec.name, str) and callable(spec.sniff) and callable(spec.read)):
            raise TypeError("a reader is (name, sniff, read)")
        out.append(spec)
    return out


def _format_table(value: Any) -> dict[str, Callable[..., str]]:
    table = dict(value)
    if not all(isinstance(k, str) and callable(v) for k, v in table.items()):
        raise TypeError("expected a mapping of format names to renderers")
    return table


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _import_file(path: Path, name: str) -> ModuleType:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    module_name = f"juesuan_plugin_{name}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _module_version(module: ModuleType | Any) -> str | None:
    version = getattr(module, "__version__", None)
    if version is None and str(getattr(module, "__name__", "")).split(".")[0] in ("plugins", "checker"):
        version = _project_version()
    return str(version) if version is not None else None


@cache
def _project_version() -> str | None:
    """The installed project's version (asked for each built-in plugin module: the metadata is read once)."""
    try:
        return importlib.metadata.version("juesuan")
    except importlib.metadata.PackageNotFoundError:
        return None


# ---- loading a set and making it the process's ----------------------------------------------

def load_plugins(config: Any = None, modules: Sequence[str] = (), disabled: Sequence[str] = (),
                 strict: bool = False, local_dir: Path | None = None, entry_points: bool = True,
                 warn: TextIO | None = None) -> Plugins:
    """Built-ins, entry points, the configuration's and the command line's plugins, and the local file."""
    disabled = [*(getattr(config, "disable_plugins", None) or ()), *disabled]
    plugins = Plugins(strict=strict, warn=warn)
    plugins.load_builtins(disabled)
    if entry_points and not os.environ.get(AUTOLOAD_VARIABLE):
        plugins.load_entry_points(disabled)
    source_file = getattr(config, "source", None)
    base = source_file.parent if source_file is not None else None
    for spec in getattr(config, "plugins", None) or ():
        plugins.load(spec, "config", base=base, disabled=disabled)
    for spec in modules:
        plugins.load(spec, "--plugin", disabled=disabled)
    local = (local_dir or base or Path.cwd()) / LOCAL_PLUGIN_FILE
    if local.is_file():
        plugins.load(str(local), "local file", name="juesuan_plugin", disabled=disabled)
    return plugins


_ACTIVE: list[Plugins] = []
#: What the active plugins put into the lower layers' tables, to withdraw on the next activation ("readers":
#: None while `checker.readers` still holds the built-in readers it starts with).
_STATE: dict[str, Any] = {"readers": None, "formats": [], "functions": None, "config": None, "syncing": False}


def activate(plugins: Plugins, config: Any = None) -> Plugins:
    """Make ``plugins`` the process's plugins: their readers, formats, functions and extractors take effect.

    ``config`` (after `Plugins.configure`) decides the config-dependent contributions (fact
    extractors); without it the defaults apply.
    """
    _ACTIVE[:] = [plugins]
    _STATE["config"] = config
    _sync(plugins)
    return plugins


def _sync(plugins: Plugins) -> None:
    from checker import pipeline
    from checker.config import Config
    from checker.readers import BUILTIN_READERS, register_reader, unregister_reader
    from checker.reports import FORMATS, register_format

    _STATE["syncing"] = True
    try:
        while True:  # until no plugin fails while contributing
            failures = len(plugins.failed)
            readers, formats, functions = plugins.readers(), plugins.formats(), plugins.functions()
            extractors = plugins.extractors(_STATE["config"] or Config())
            if len(plugins.failed) == failures:
                break
    finally:
        _STATE["syncing"] = False
    for name in _STATE["readers"] if _STATE["readers"] is not None else [s.name for s in BUILTIN_READERS]:
        unregister_reader(name)
    for name in _STATE["formats"]:
        FORMATS.pop(name, None)
    for spec in readers:
        register_reader(spec.name, spec.sniff, spec.read)
    for name, renderer in formats.items():
        register_format(name, renderer)
    _STATE["readers"], _STATE["formats"] = [s.name for s in readers], list(formats)
    _STATE["functions"] = functions
    pipeline.PLUGIN_EXTRACTORS[:] = extractors


def active() -> Plugins | None:
    return _ACTIVE[0] if _ACTIVE else None


def ensure_active() -> Plugins:
    """The active plugins; the first call without a command line loads built-ins and entry points."""
    if not _ACTIVE:
        activate(load_plugins())
    return _ACTIVE[0]


def active_functions() -> Mapping[str, Any]:
    """The function table of the active plugins (the language's built-ins plus plugins')."""
    ensure_active()
    return _STATE["functions"]


# ---- the command line -----------------------------------------------------------------------

def add_plugin_options(parser: Any) -> None:
    """``--plugin``, ``--disable-plugin``, ``--region`` and ``--strict-plugins`` on a subcommand's parser."""
    group = parser.add_argument_group("plugins")
    group.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                       help="load a plugin: an importable module (pkg.mod or pkg.mod:object) or the path of a .py "
                            "file (repeatable)")
    group.add_argument("--disable-plugin", action="append", default=[], metavar="NAME",
                       help="do not load this plugin (a name `juesuan plugins` shows; repeatable)")
    group.add_argument("--region", metavar="NAME",
                       help="apply a region's conventions (rules, vocabulary, severities), e.g. xinjiang")
    group.add_argument("--strict-plugins", action="store_true",
                       help="stop with exit status 2 when a plugin fails, instead of warning and going on")


def plugins_from_argv(argv: Sequence[str], warn: TextIO | None = None) -> Plugins:
    """Load and activate the plugins a command line asks for, before the full command line is parsed.

    The full parser needs them first: ``--format`` offers the plugins' report formats. The
    configuration file (``--config``, or the nearest one) adds ``plugins``, ``disable-plugins`` and
    ``region``; the command line's options come on top.
    """
    import argparse

    from checker.config import find_config, load_config

    pre = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    pre.add_argument("--config")
    add_plugin_options(pre)
    known, _ = pre.parse_known_args(list(argv))
    try:
        path = Path(known.config) if known.config else find_config(Path.cwd())
        config = load_config(path if path is not None and path.is_file() else None)
    except UsageError:  # the command reads the configuration again and reports what is wrong with it
        config = load_config(None)
    plugins = load_plugins(config, known.plugin, known.disable_plugin, known.strict_plugins, warn=warn)
    plugins.region = known.region
    if known.region:
        config.region = known.region
    if config.region:
        config.region = plugins.resolve_region(config.region)
    return activate(plugins, config)


def active_vocabulary_files() -> list[Path]:
    """The vocabulary files the active plugins add to the built-in ones (for rule tests)."""
    from checker.config import Config

    plugins = ensure_active()
    return plugins.vocabulary_files(_STATE["config"] or Config(), builtin=False)
