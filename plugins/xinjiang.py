"""Region plugin: the conventions of Xinjiang (新疆) disclosures, as in 昌吉回族自治州 reports.

Active only with ``--region xinjiang`` (aliases: 新疆, changji, 昌吉, 昌吉州) or ``region = "xinjiang"`` in
the configuration. Then it contributes the rule pack ``rules/regions/xinjiang/`` (XJ-001…) and the
vocabulary ``rules/regions/xinjiang/xinjiang.toml``, and adjusts the configuration: the national
PERF-014 (得分 = 权重 × 完成率, capped at 100%) is switched off because XJ-003 replaces it with the
region's scoring, which deducts for over-completion as well (see the rule's documentation). A
severity the user set for PERF-014 is left alone.
"""

from __future__ import annotations

from pathlib import Path

from checker.hookspecs import hookimpl
from checker.rulepacks import rules_root

NAMES = ("xinjiang", "新疆", "changji", "昌吉", "昌吉州")
#: Severity defaults the region sets (rule id → severity) unless the configuration or command line set them.
SEVERITY = {"PERF-014": "off"}


def folder() -> Path:
    return rules_root() / "regions" / "xinjiang"


def _active(config) -> bool:
    return config is not None and config.region == NAMES[0]


@hookimpl
def juesuan_regions() -> list[str]:
    return list(NAMES)


@hookimpl
def juesuan_configure(config) -> None:
    if _active(config):
        for rule, severity in SEVERITY.items():
            config.severity.setdefault(rule, severity)


@hookimpl
def juesuan_rule_packs(config) -> list[Path]:
    return [folder()] if _active(config) else []


@hookimpl
def juesuan_vocabulary(config) -> list[Path]:
    return [folder() / "xinjiang.toml"] if _active(config) else []
