"""The false-alarm figure: `juesuan check` on the style corpus, scored against its answer keys.

    python benchmarks/styles.py [-v]      # in the environment the project is installed in (rich, the checker)

Prints, per fixture and in total, planted errors found / planted and the error or warning findings on
correct lines (false alarms); ``-v`` lists every missed error and every false alarm. Then the fix
suggestions: planted single-figure typos named with their value (as the single best candidate, among
equally likely ones, or within the values said to fit), missed, and planted errors that are no typo yet
got a suggestion. Exit status 1 when a planted error is missed, a false alarm is raised, a typo is not
named or a non-typo gets a suggestion. The corpus and its keys: tests/fixtures/styles/.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JUESUAN_DISABLE_PLUGIN_AUTOLOAD", "1")

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from tests.fixtures.styles.score import score_all, score_suggestions_all  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    scores = score_all()
    table = Table(title="Style corpus: planted errors found and false alarms")
    for column in ("fixture", "year", "style", "found / planted", "false alarms"):
        table.add_column(column, justify="right" if column in ("found / planted", "false alarms") else "left")
    for s in scores:
        table.add_row(s.key.name, str(s.key.year), s.key.style[:40], f"{len(s.found)} / {len(s.key.planted)}",
                      str(len(s.false_alarms)))
    found = sum(len(s.found) for s in scores)
    planted = sum(len(s.key.planted) for s in scores)
    alarms = sum(len(s.false_alarms) for s in scores)
    table.add_row("total", "", f"{len(scores)} fixtures", f"{found} / {planted}", str(alarms), style="bold")
    console = Console()
    console.print(table)
    if verbose:
        for s in scores:
            for p in s.missed:
                console.print(f"[red]missed[/] {s.key.name}:{p.line} {p.family} — {p.what}")
            for f in s.false_alarms:
                console.print(f"[yellow]false alarm[/] {s.key.name}:{f.line} {f.rule} {f.severity}: {f.message}")
    suggested = score_suggestions_all()
    fixes = Table(title="Fix suggestions: planted single-figure typos named with their value")
    for column in ("fixture", "typos", "named", "among equals", "within the range", "missed", "non-typos suggested"):
        fixes.add_column(column, justify="left" if column == "fixture" else "right")
    totals = [0] * 6
    for s in suggested:
        typos = sum(1 for p in s.key.planted if isinstance(p.fix, str))
        counts = [typos, len(s.named), len(s.among), len(s.in_range), len(s.missed), len(s.wrongly)]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        fixes.add_row(s.key.name, *map(str, counts))
    fixes.add_row("total", *map(str, totals), style="bold")
    console.print(fixes)
    if verbose:
        for s in suggested:
            for p in s.missed:
                console.print(f"[red]not named[/] {s.key.name}:{p.line} {p.anchor} → {p.fix}")
            for p in s.wrongly:
                console.print(f"[yellow]suggested for no typo[/] {s.key.name}:{p.line} — {p.what}")
    return 0 if found == planted and alarms == 0 and totals[4] == 0 and totals[5] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
