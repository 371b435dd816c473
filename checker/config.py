"""Configuration: ``[tool.juesuan]`` in pyproject.toml or a ``juesuan.toml``, merged under the command line.

Rule selection follows the linters' convention: ``select`` and ``ignore`` take rule ids or
prefixes (``SG``, ``SG-00``, ``SG-001``) and the longest matching prefix decides; severity
overrides map an id or prefix to error / warning / info / off.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from checker.errors import UsageError

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
CONFIG_FILES = ("juesuan.toml", "pyproject.toml")
KNOWN_KEYS = {"select", "ignore", "severity", "fail-on", "rules", "region", "format", "plugins", "disable-plugins",
              "vocabulary"}



#: The largest upload `juesuan serve` accepts by default, all files of one check together (MB).
DEFAULT_MAX_UPLOAD_MB = 50

@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    rules: list[Path] = field(default_factory=list)
    vocabulary: list[Path] = field(default_factory=list)
    region: str | None = None
    format: str | None = None
    plugins: list[str] = field(default_factory=list)
    disable_plugins: list[str] = field(default_factory=list)
    source: Path | None = None

    def is_selected(self, rule_id: str) -> bool:
        """Longest matching prefix among select (default: everything) and ignore wins; ignore wins ties."""
        best_select = max((len(p) for p in self.select if rule_id.startswith(p)), default=-1 if self.select else 0)
        best_ignore = max((len(p) for p in self.ignore if rule_id.startswith(p)), default=-1)
        if self.severity_for(rule_id, "error") == "off":
            return False
        return best_select >= 0 and best_select > best_ignore

    def severity_for(self, rule_id: str, default: str) -> str:
        """The overridden severity of a rule (longest matching prefix), or its own."""
        matches = [(len(p), s) for p, s in self.severity.items() if rule_id.startswith(p)]
        return max(matches)[1] if matches else default


def find_config(start: Path) -> Path | None:
    """The nearest juesuan.toml, or pyproject.toml with a [tool.juesuan] table, from ``start`` upwards."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "juesuan.toml" or "juesuan" in _read(candidate).get("tool", {}):
                return candidate
    return None


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read configuration: {exc}") from None


def config_for(explicit: str | None, start: Path | None = None) -> Config:
    """The configuration a command runs with: the file named by ``--config`` (which must exist), else the
    nearest one from ``start`` (the working folder) upwards, else the defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"{explicit}: no such configuration file")
        return load_config(path)
    return load_config(find_config(start or Path.cwd()))


def load_config(path: Path | None) -> Config:
    """Read a configuration file (``None`` gives the defaults); unknown keys and bad values are errors."""
    if path is None:
        return Config()
    data = _read(path)
    table = data.get("tool", {}).get("juesuan", {}) if path.name == "pyproject.toml" else data
    unknown = set(table) - KNOWN_KEYS
    if unknown:
        raise UsageError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(sorted(KNOWN_KEYS))}")
    base = path.parent
    config = Config(
        select=_list(table, "select", path), ignore=_list(table, "ignore", path),
        severity=dict(table.get("severity", {})), fail_on=table.get("fail-on", "error"),
        rules=[base / p for p in _list(table, "rules", path)],
        vocabulary=[base / p for p in _list(table, "vocabulary", path)],
        region=table.get("region"), format=table.get("format"),
        plugins=_list(table, "plugins", path), disable_plugins=_list(table, "disable-plugins", path), source=path)
    validate(config, str(path))
    return config


def _list(table: dict, key: str, path: Path) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{path}: {key} must be a string or a list of strings")
    return value


def validate(config: Config, where: str) -> None:
    if config.fail_on not in (*SEVERITIES, "never"):
        raise UsageError(f"{where}: fail-on must be one of error, warning, info, never (got {config.fail_on!r})")
    for prefix, severity in config.severity.items():
        if severity not in (*SEVERITIES, "off"):
            raise UsageError(f"{where}: severity of {prefix} must be error, warning, info or off (got {severity!r})")


STARTER = {
    "tool": {"juesuan": {
        "select": [],
        "ignore": [],
        "fail-on": "error",
        "severity": {},
        "rules": [],
        "format": "text",
    }},
}
