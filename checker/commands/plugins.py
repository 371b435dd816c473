"""`juesuan plugins`: the loaded plugins (name, source, version) and what each contributes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from checker.config import config_for
from checker.plugins import Contributions, ensure_active

KINDS = ("rules", "functions", "vocabulary", "extractors", "readers", "formats", "regions")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("plugins", help="list the loaded plugins and what they contribute",
                              description="List the plugins (built-in, entry points in the group `juesuan`, the "
                                          "configuration's `plugins`, --plugin, the local juesuan_plugin.py) with "
                                          "their source and version, and what each contributes under the current "
                                          "configuration: rule files, functions, vocabulary, fact extractors, "
                                          "readers, report formats, regions. Disabled and failed plugins are listed "
                                          "too.")
    p.add_argument("--config", help="configuration file (default: nearest juesuan.toml or pyproject.toml)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checker.ruletest import shown_path

    config = config_for(args.config)
    plugins = ensure_active()
    plugins.configure(config)
    contributions = plugins.contributions(config)
    rows = []
    for record in plugins.records:
        given = contributions.get(record.name, Contributions())
        row = {"name": record.name, "source": record.source, "origin": record.origin, "version": record.version,
               "status": record.status}
        if record.error:
            row["error"] = record.error
        for kind in KINDS:
            row[kind] = [shown_path(v) if isinstance(v, Path) else v for v in getattr(given, kind)]
        rows.append(row)
    if args.format == "json":
        json.dump({"region": config.region, "plugins": rows}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = []
    for row in rows:
        version = f" {row['version']}" if row["version"] else ""
        status = "" if row["status"] == "loaded" else f"  [{row['status']}]"
        out.append(f"{row['name']}{version}  ({row['source']}: {row['origin']}){status}")
        if row.get("error"):
            out.append(f"    error: {row['error']}")
        for kind in KINDS:
            if row[kind]:
                out.append(f"    {kind + ':':<12}{', '.join(str(v) for v in row[kind])}")
    loaded = sum(1 for r in rows if r["status"] == "loaded")
    out.append(f"{loaded} plugin{'s' if loaded != 1 else ''} loaded" + (f"; region {config.region}"
                                                                        if config.region else ""))
    sys.stdout.write("\n".join(out) + "\n")
    return 0
