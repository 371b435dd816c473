"""Time the finance bureau's 25-page PDF report: reading it (read_blocks) and `juesuan check` end to end.

Read, cold: a fresh interpreter, so importing pypdfium2 is included (best of N
subprocess runs); warm: repeated reads in this process (best of N). Check: `python -m checker.cli
check REPORT` with every built-in rule pack, wall time of a fresh process (best and median of N,
after one unmeasured run; byte code cached as for an installed package, see run.py), and a warm
breakdown by stage (read, extract, compile the rule packs, evaluate). Skips when the shared corpus
is absent. Usage: python benchmarks/bench_pdf.py [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT.parent / "shared" / "corpus" / "shanghai-putuo-finance-bureau-2024.pdf"
COLD = """
import time
start = time.perf_counter()
from checker.readers import read_blocks
read_blocks({path!r})
print(time.perf_counter() - start)
"""


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if not REPORT.is_file():
        print(f"skipped: {REPORT} not found")
        return 0
    sys.path.insert(0, str(ROOT))
    from run import child_env

    from checker.readers import read_blocks

    env = child_env()
    command = [sys.executable, "-c", COLD.format(path=str(REPORT))]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    cold = min(float(subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout)
               for _ in range(runs))
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        blocks = read_blocks(REPORT).blocks
        warm.append(time.perf_counter() - start)
    print(f"{REPORT.name}: {len(blocks)} blocks; cold best of {runs}: {cold:.3f} s (imports included); "
          f"warm best of {runs}: {min(warm):.3f} s")
    check = []
    command = [sys.executable, "-m", "checker.cli", "check", str(REPORT)]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
        check.append(time.perf_counter() - start)
    stages = check_stages(runs)
    print(f"juesuan check end to end (fresh process, all built-in packs): best of {runs}: {min(check):.3f} s, "
          f"median {statistics.median(check):.3f} s (target ≤ 0.6 s); "
          "warm stages: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in stages.items()))
    return 0


def check_stages(runs: int) -> dict[str, float]:
    """Best-of-N seconds of each stage of a check, in this (warm) process."""
    from checker.config import Config
    from checker.evaluate import Context, evaluate
    from checker.pipeline import extract_facts, read_document
    from checker.rulepacks import builtin_rule_files, compile_rules
    from checker.vocabulary import load_vocabulary

    best: dict[str, float] = {}

    def timed(name, function, *args):
        start = time.perf_counter()
        result = function(*args)
        best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
        return result

    for _ in range(runs):
        vocabulary = load_vocabulary(tuple(Config().vocabulary))
        document = timed("read", read_document, REPORT)
        facts = timed("extract", extract_facts, document, vocabulary)
        program = timed("compile", compile_rules, builtin_rule_files(), vocabulary)
        timed("evaluate", evaluate, program, Context(facts, document))
    return best


if __name__ == "__main__":
    sys.exit(main())
