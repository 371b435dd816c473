"""Juesuan's benchmark: one command, a table on standard output and in benchmarks/results.md.

    python benchmarks/run.py [--quick]

Measures, on the machine it runs on:

* warm check: one `Checker` built, `check_path` repeated on the example (the shared seed when present,
  and the bundled demo), per-document time (best and median of N) — reading through the text report,
  with the fix suggestions the text format turns on by default, and the cycle collector tuned as the
  command tunes it (`checker.collector`); and the first check of the example in a process that has
  checked only the demo (a document none of whose texts the per-text memories have seen);
* per stage, for the example: read (file → blocks), structure (blocks → sections), facts, evaluate (the
  rules, no suggestions), suggestions (what they add), report (the text format);
* the profile of a warm check of the example: the top entries by own time (cProfile), also written to
  the results;
* cold `juesuan check`: a fresh `python -m checker.cli check` process, best of N — with the compiled
  rule program in the cache (the usual case after the first run) and with the cache off
  (``JUESUAN_NO_CACHE=1``); interpreters run with byte-code caching on, as an installed package has
  (``PYTHONPYCACHEPREFIX`` in a temporary folder, because this environment sets PYTHONDONTWRITEBYTECODE);
* size growth: synthetic disclosures 1×, 2×, 5×, 10× the example (its text repeated, every statement
  made again in each copy and consistent with the others, so the findings grow with the text), warm
  per-document time and time per 1× unit. (Copies with varied figures, as earlier runs used, made the
  10× document fifty times as wrong as the example — 1,239 findings against 25 — which measured the fix
  suggestion search on a broken document rather than growth with size.)
* a batch: 1,000 generated disclosures (the demo with a third of its figures varied) checked by `juesuan
  check FOLDER` with the default number of worker processes; wall time and documents per second; and
  1,000 copies of the example with one figure in fifty varied (a few slips each), with ``-j 2``;
* rule-count growth: generated rule files of 100, 300 and 1,000 simple rules over fact names the demo
  really has — compile time (no cache) and per-document evaluation time;
* the finance bureau's 25-page PDF end to end (when ../shared/corpus is present);
* peak memory: max RSS of this process (the warm and size runs) and of any child process.

The targets (2 CPUs, issue #13): warm example ≤ 20 ms median, demo ≤ 8 ms; 10× size ≤ 11× the 1× time; cold
check of the example ≤ 250 ms; 1,000 example-size documents with ``-j 2`` ≤ 15 s; peak memory ≤ 200 MB; time
linear in document size and rule count. ``--quick`` uses fewer repetitions and 200 documents per batch.
"""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
SEED = ROOT.parent / "shared" / "seeds" / "000_38207ba7611ec7da.txt"
PDF = ROOT.parent / "shared" / "corpus" / "shanghai-putuo-finance-bureau-2024.pdf"
RESULTS = ROOT / "benchmarks" / "results.md"
TARGETS = {"warm": 0.020, "demo": 0.008, "growth": 11.0, "cold": 0.25, "batch": 15.0, "memory_mb": 200.0,
           "pdf": 0.6}
_FIGURE = re.compile(r"\d[\d,]*\.\d+")


def vary(text: str, rng: random.Random, share: float = 0.33) -> str:
    """The text with about ``share`` of its decimal figures changed in the last digit (same shape and width)."""
    def change(m: re.Match[str]) -> str:
        figure = m.group()
        return figure[:-1] + str(rng.randrange(10)) if rng.random() < share else figure
    return _FIGURE.sub(change, text)


def scaled(text: str, factor: int) -> str:
    """``factor`` copies of the disclosure one after another."""
    return "\n\n\n".join([text] * factor)


def timed(function, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        out.append(time.perf_counter() - start)
    return out


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPYCACHEPREFIX=str(Path(tempfile.gettempdir()) / "juesuan-bench-pycache"), **extra)
    return env


def cold(args: list[str], repeat: int, **env: str) -> float:
    """Best wall time of a fresh ``python -m checker.cli`` process (one unmeasured run first: byte code, cache)."""
    command = [sys.executable, "-m", "checker.cli", *args]
    subprocess.run(command, cwd=ROOT, env=child_env(**env), capture_output=True)
    return min(timed(lambda: subprocess.run(command, cwd=ROOT, env=child_env(**env), capture_output=True), repeat))


def stages(checker, path: Path, repeat: int) -> list[tuple[str, float]]:
    """Median time of each stage of a warm check of ``path``, in seconds."""
    from checker.pipeline import ensure_disclosure, extract_facts
    from checker.readers import read_blocks
    from checker.reports.model import RunInfo
    from checker.reports.text import render
    from checker.structure import build_document

    out: dict[str, list[float]] = {}
    for _ in range(repeat):
        marks = [time.perf_counter()]
        blocks = read_blocks(path)
        marks.append(time.perf_counter())
        document = build_document(str(path), blocks.format, blocks.blocks, blocks.encoding)
        marks.append(time.perf_counter())
        found = extract_facts(document, checker.vocabulary, checker.extractors)
        ensure_disclosure(document, found)
        marks.append(time.perf_counter())
        checker.suggestions = False
        checker.check_facts(str(path), document, found)
        marks.append(time.perf_counter())
        checker.suggestions = True
        result = checker.check_facts(str(path), document, found)
        marks.append(time.perf_counter())
        render([result], RunInfo(checker.rule_infos, suggestions=True))
        marks.append(time.perf_counter())
        read, build, facts, plain, suggested, report = (b - a for a, b in pairwise(marks))
        for name, value in (("read", read), ("structure", build), ("facts", facts), ("evaluate", plain),
                            ("suggestions", suggested - plain), ("report (text)", report)):
            out.setdefault(name, []).append(value)
    return [(name, statistics.median(values)) for name, values in out.items()]


def profile_rows(checker, path: Path, top: int = 15) -> list[str]:
    """The top entries by own time of warm checks of ``path`` (five under cProfile), as table rows."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        checker.check_path(path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    entries = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_, calls, own, cumulative, _) in entries:
        where = f"{Path(file).relative_to(ROOT)}:{line}" if file.startswith(str(ROOT)) else Path(file).name
        rows.append(f"| {name} | {where} | {calls / 5:.0f} | {own / 5 * 1000:.1f} | {cumulative / 5 * 1000:.1f} |")
    return rows


def batch(folder: Path, output: Path, jobs: str | None = None) -> float:
    """Wall time of ``juesuan check FOLDER --format json`` in a fresh process (``-j jobs`` when given)."""
    command = [sys.executable, "-m", "checker.cli", "check", str(folder), "--format", "json", "-o", str(output),
               *(["-j", jobs] if jobs else [])]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=child_env(), capture_output=True)
    return time.perf_counter() - start


_FIRST_CHECK = """
import sys, time
from pathlib import Path
from checker.collector import tune_collector
from checker.config import Config
from checker.run import Checker
tune_collector()
checker = Checker.from_config(Config())
checker.suggestions = True
checker.check_path(Path(sys.argv[1]))
start = time.perf_counter()
checker.check_path(Path(sys.argv[2]))
print(time.perf_counter() - start)
"""


def first_checks(warm_up: Path, path: Path, repeat: int) -> list[float]:
    """The time of checking ``path`` in a process that has checked only ``warm_up`` before (rules compiled,
    every module imported, but none of the document's texts seen: what the per-text memories of extraction
    and rule functions do not help with), one fresh process per measure."""
    command = [sys.executable, "-c", _FIRST_CHECK, str(warm_up), str(path)]
    return [float(subprocess.run(command, cwd=ROOT, env=child_env(), capture_output=True, text=True,
                                 check=True).stdout) for _ in range(repeat)]


def rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def rule_file(count: int, names: list[str]) -> str:
    templates = ("assert {a} >= 0", "assert {a} <= {a} + {b}", "when {a} > 0\n  assert {a} * 2 > {a}",
                 "assert 或零({a}) + 或零({b}) >= 或零({a})")
    out = []
    for i in range(count):
        a, b = names[i % len(names)], names[(i * 7 + 3) % len(names)]
        body = templates[i % len(templates)].format(a=a, b=b)
        out.append(f'rule BEN-{i:04d} "生成的规则 {i}"\n  severity info\n  {body}\n'
                   f'  message "{a}: {{left}} vs {{right}}"\n')
    return "\n".join(out)


def main() -> int:
    quick = "--quick" in sys.argv
    repeat = 3 if quick else 10
    batch_size = 200 if quick else 1000
    from checker.collector import tune_collector
    from checker.config import Config
    from checker.pipeline import default_vocabulary, load
    from checker.run import Checker

    tune_collector()  # as `juesuan check` runs

    rows: list[tuple[str, str, str]] = []  # (measure, value, target / note)
    example = SEED if SEED.is_file() else DEMO
    work = Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    try:
        # ---- warm
        start = time.perf_counter()
        checker = Checker.from_config(Config())
        build = time.perf_counter() - start
        rows.append(("Checker.from_config (rule program from the cache)", f"{build * 1000:.0f} ms", ""))
        checker.suggestions = True  # as `juesuan check` in the text format
        for path in dict.fromkeys([example, DEMO]):
            checker.check_path(path)
            times = timed(lambda p=path: checker.check_path(p), repeat * 3)
            size = path.stat().st_size // 1024
            target = TARGETS["warm" if path == example else "demo"]
            rows.append((f"warm check, {path.name} ({size} KB)",
                         f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms",
                         f"target ≤ {target * 1000:.0f} ms median"))
        if example != DEMO:
            times = first_checks(DEMO, example, repeat)
            rows.append((f"first check of {example.name} in a warm process (after the demo)",
                         f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms",
                         "a document never seen: no text of it remembered"))
        for name, seconds in stages(checker, example, repeat * 3):
            rows.append((f"  stage: {name}", f"{seconds * 1000:.1f} ms", "median, the example"))
        checker.suggestions = True
        profile = profile_rows(checker, example)

        # ---- size growth
        text = example.read_text(encoding="utf-8")
        base = None
        for factor in (1, 2, 5, 10):
            path = work / f"size-{factor}x.txt"
            path.write_text(scaled(text, factor), encoding="utf-8")
            checker.check_path(path)
            best = min(timed(lambda p=path: checker.check_path(p), max(2, repeat // (2 if factor > 2 else 1))))
            base = base or best
            target = f"; target ≤ {TARGETS['growth']:.0f}×" if factor == 10 else ""
            rows.append((f"size {factor:>2}× ({path.stat().st_size // 1024} KB)", f"{best * 1000:.0f} ms",
                         f"{best / factor * 1000:.0f} ms per 1×; {best / base:.1f}× the 1× time{target}"))
        rows.append(("peak RSS of the benchmark process so far", f"{rss_mb(resource.RUSAGE_SELF):.0f} MB",
                     f"target ≤ {TARGETS['memory_mb']:.0f} MB"))

        # ---- cold
        cached = cold(["check", str(example)], repeat)
        rows.append(("cold `juesuan check` example, program cached", f"{cached * 1000:.0f} ms",
                     f"target ≤ {TARGETS['cold'] * 1000:.0f} ms"))
        uncached = cold(["check", str(example)], max(2, repeat // 2), JUESUAN_NO_CACHE="1")
        rows.append(("cold `juesuan check` example, cache off", f"{uncached * 1000:.0f} ms", "compiles the rule packs"))
        if PDF.is_file():
            pdf = cold(["check", str(PDF)], max(2, repeat // 2))
            rows.append((f"cold `juesuan check` {PDF.name} (25 pages)", f"{pdf * 1000:.0f} ms",
                         f"target ≤ {TARGETS['pdf'] * 1000:.0f} ms"))

        # ---- batches
        rng = random.Random(1)
        # the demo with a third of its figures varied (as every earlier run measured); copies of the example
        # with one figure in fifty varied, as drafts with a few slips each
        for label, source, jobs, share in (("demo", DEMO, None, 0.33), ("example-size", example, "2", 0.02)):
            folder = work / f"batch-{label}"
            folder.mkdir()
            source_text = source.read_text(encoding="utf-8")
            for i in range(batch_size):
                (folder / f"disclosure-{i:04d}.txt").write_text(vary(source_text, rng, share), encoding="utf-8")
            wall = batch(folder, work / f"batch-{label}.json", jobs)
            target = (f"target ≤ {TARGETS['batch'] * batch_size / 1000:.0f} s" if label == "example-size"
                      else "")
            rows.append((f"batch of {batch_size} {label} documents, -j {jobs or os.cpu_count()}",
                         f"{wall:.1f} s, {batch_size / wall:.0f} docs/s, {wall / batch_size * 1000:.0f} ms/doc",
                         target))

        # ---- rule count
        _, facts = load(DEMO)
        schema = default_vocabulary().schema()
        names = sorted({f.name for f in facts if schema.scalars.get(f.name) == "money"})
        per_rule = None
        for count in (100, 300, 1000):
            rules = work / f"bench-{count}.rules"
            rules.write_text(rule_file(count, names), encoding="utf-8")
            os.environ["JUESUAN_NO_CACHE"] = "1"
            try:
                start = time.perf_counter()
                generated = Checker.from_config(Config(), (rules,), builtin=False)
                compile_time = time.perf_counter() - start
            finally:
                del os.environ["JUESUAN_NO_CACHE"]
            generated.check_path(DEMO)
            best = min(timed(lambda c=generated: c.check_path(DEMO), max(2, repeat // 2)))
            per_rule = per_rule or best / count
            rows.append((f"{count} generated rules (no built-in packs)",
                         f"compile {compile_time * 1000:.0f} ms, check {best * 1000:.0f} ms",
                         f"{best / count * 1e6:.0f} µs per rule (incl. extraction)"))
        rows.append(("peak RSS, this process / any child process",
                     f"{rss_mb(resource.RUSAGE_SELF):.0f} MB / {rss_mb(resource.RUSAGE_CHILDREN):.0f} MB",
                     f"target ≤ {TARGETS['memory_mb']:.0f} MB"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    machine = (f"{platform.machine()}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
               f"{platform.system()} {platform.release()}")
    width = max(len(r[0]) for r in rows)
    print(f"machine: {machine}")
    for measure, value, note in rows:
        print(f"{measure:<{width}}  {value:<44} {note}")
    lines = ["# Benchmark results", "", f"`python benchmarks/run.py{' --quick' if quick else ''}` on {machine}, "
             f"{time.strftime('%Y-%m-%d %H:%M')}.", "", "| Measure | Value | Target / note |", "|---|---|---|",
             *(f"| {m} | {v} | {n} |" for m, v, n in rows), "",
             f"## Profile: warm check of {example.name}, top entries by own time (per check, under cProfile)", "",
             "The profiles before and after the speed work of issue #13: [profiles.md](profiles.md).", "",
             "| Function | Where | Calls | Own ms | Cumulative ms |", "|---|---|---|---|---|", *profile, ""]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"written: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
