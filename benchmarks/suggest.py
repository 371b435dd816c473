"""What fix suggestions cost: the search per group of findings, and per document.

    python benchmarks/suggest.py [--quick] [FILE...]

For the demo, the shared example (when present), the style corpus and copies of the example with
varied figures (run.py's ``vary``: about a third of the decimal figures changed in their last digit,
so most identities fail at once — the worst case), prints per document:

* the groups, the largest group's figures (k) and findings;
* what the search tried: each of the k figures alone (a value per failing comparison that reads it,
  solved from the comparison), then pairs — a first figure found alone, a second among the s figures
  every still-failing finding reads (at most k × s; s grows past k only when the first change broke an
  identity that passed, whose figures the second may mend) — for the largest group, and whether every
  group kept within those bounds; the changes tried in all, by the search and then to find the values
  that fit as well;
* the rule cases evaluated again by those trials, and the single cases probed while solving;
* the time to check without suggestions, and what the suggestions add (best of N, warm).

The table also goes to benchmarks/results.md under "Fix suggestions".
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JUESUAN_DISABLE_PLUGIN_AUTOLOAD", "1")

from benchmarks.run import DEMO, RESULTS, SEED, vary  # noqa: E402
from checker.config import Config  # noqa: E402
from checker.evaluate import Context, evaluate  # noqa: E402
from checker.pipeline import extract_facts, read_document  # noqa: E402
from checker.run import Checker  # noqa: E402
from checker.suggest import group_findings  # noqa: E402
from checker.suggest.figures import index_figures  # noqa: E402
from checker.suggest.search import GroupSearch  # noqa: E402
from checker.suggest.solve import is_numeric  # noqa: E402
from checker.suggest.trial import Trials, key_of  # noqa: E402

STYLES = ROOT / "tests" / "fixtures" / "styles"
MARKER = "## Fix suggestions"


def measure(checker: Checker, path: Path, repeat: int) -> dict:
    """One document: the groups and what searching each took, and the check's time with and without."""
    document = read_document(path)
    facts = extract_facts(document, checker.vocabulary)
    context = Context(facts, document)
    result = evaluate(checker.program, context)
    trials = Trials(checker.program, context, result)
    numeric = [f for f in result.findings if is_numeric(trials, key_of(f))]
    figures = index_figures(facts, document)
    groups = []
    suggestions = described = 0
    for group in group_findings(numeric):
        before = trials.tried
        search = GroupSearch(trials, group, figures)
        suggestions += len(search.run())
        described += search.described
        k = len(search.figures)
        groups.append((k, len(group), trials.tried - before - search.described, search.alone, search.pairs,
                       search.alone <= k and search.pairs <= k * search.seconds))
    plain, with_suggestions = [], []
    for _ in range(repeat):
        checker.suggestions = False
        start = time.perf_counter()
        checker.check_path(path)
        plain.append(time.perf_counter() - start)
        checker.suggestions = True
        start = time.perf_counter()
        checker.check_path(path)
        with_suggestions.append(time.perf_counter() - start)
    largest = max(groups, default=(0, 0, 0, 0, 0, True))
    return {"findings": len(result.findings), "groups": len(groups), "suggestions": suggestions,
            "k": largest[0], "group_findings": largest[1], "alone": largest[3], "pairs": largest[4],
            "tried": sum(g[2] for g in groups), "described": described,
            "evaluations": trials.evaluations, "probes": trials.probes,
            "check": min(plain), "added": min(with_suggestions) - min(plain), "within": all(g[5] for g in groups),
            "most_pairs": max((g[4] for g in groups), default=0)}


def documents(work: Path, quick: bool, extra: list[Path]) -> list[tuple[str, Path]]:
    out = [("demo", DEMO)]
    seed = next((p for p in extra if p.name == SEED.name), SEED)
    if seed.is_file():
        out.append(("shared example", seed))
    out += [(p.stem, p) for p in extra if p.name != SEED.name]
    out += [(p.stem, p) for p in sorted(STYLES.glob("*.txt"))]
    base = seed if seed.is_file() else DEMO
    rng = random.Random(14)
    for n in (1,) if quick else (1, 2, 3):
        varied = work / f"varied-{n}.txt"
        varied.write_text(vary(base.read_text(encoding="utf-8"), rng), encoding="utf-8")
        out.append((f"{base.stem[:12]} varied #{n}", varied))
    return out


def table(rows: list[tuple[str, dict]]) -> str:
    head = ("| document | findings | groups | suggestions | largest group: k figures, findings | its figures "
            "tried alone (≤ k), pairs tried (≤ k × s) | changes tried: search, fitting values | rule cases "
            "re-evaluated | cases probed | check | suggestions add |")
    lines = [head, "|" + "---|" * 11]
    for name, m in rows:
        lines.append(f"| {name} | {m['findings']} | {m['groups']} | {m['suggestions']} | {m['k']}, "
                     f"{m['group_findings']} | {m['alone']}, {m['pairs']} | {m['tried']}, {m['described']} | "
                     f"{m['evaluations']} | {m['probes']} | {m['check'] * 1000:.0f} ms | {m['added'] * 1000:.0f} ms |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    import tempfile

    quick = "--quick" in argv
    extra = [Path(a) for a in argv if not a.startswith("--")]
    checker = Checker.from_config(Config())
    with tempfile.TemporaryDirectory() as tmp:
        rows = [(name, measure(checker, path, 2 if quick else 5))
                for name, path in documents(Path(tmp), quick, extra)]
    text = table(rows)
    print(text)
    within = all(m["within"] for _, m in rows)
    most = max((m["most_pairs"] for _, m in rows), default="")
    print(f"every group's search within its bound (k figures alone, then k × s pairs): {'yes' if within else 'NO'}; "
          f"the most pairs any group tried: {most}")
    if RESULTS.is_file():
        body = RESULTS.read_text(encoding="utf-8")
        section = (f"{MARKER}\n\n`python benchmarks/suggest.py` (best of {2 if quick else 5}, warm):\n\n{text}\n")
        if MARKER in body:
            start = body.index(MARKER)
            end = body.find("\n## ", start + len(MARKER))
            body = body[:start] + section + (body[end + 1:] if end >= 0 else "")
        else:
            body = body.rstrip("\n") + "\n\n" + section
        RESULTS.write_text(body, encoding="utf-8")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
