"""What comparing years costs: a warm check alone, with last year's report, and through a baseline.

    python benchmarks/bench_years.py [N]

One `Checker` is built, then each measure repeats N times (default 20) and prints the best and the median:

* the 2023 report of the fixture pair (tests/fixtures/years) checked alone — the cross-year rules do not run;
* the same with ``--previous`` (last year's report read and extracted too, the YOY rules run);
* the shared example (when ../shared is present) or the demo checked, then matched against a baseline holding
  every one of its findings (``--baseline``: hiding them all);
* the same document checked for 2020 (``--year 2020``: only the rules in force for 2020 run).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker import baseline  # noqa: E402
from checker.config import Config  # noqa: E402
from checker.plugins import ensure_active  # noqa: E402
from checker.run import Checker  # noqa: E402

THIS = ROOT / "tests" / "fixtures" / "years" / "town_government_2023.txt"
LAST = ROOT / "tests" / "fixtures" / "styles" / "town_government_2022.txt"
SEED = ROOT.parent / "shared" / "seeds" / "000_38207ba7611ec7da.txt"
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"


def timed(label: str, run, n: int) -> None:
    run()  # warm up
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    print(f"{label:<58} best {min(times) * 1000:7.1f} ms   median {statistics.median(times) * 1000:7.1f} ms")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    ensure_active()
    checker = Checker.from_config(Config())
    paired = Checker.from_config(Config())
    paired.previous = LAST
    for_2020 = Checker.from_config(Config())
    for_2020.year = 2020
    example = SEED if SEED.exists() else DEMO
    entries = [baseline.entry_for(f) for f in checker.check_path(example).findings]

    timed(f"{THIS.name} alone", lambda: checker.check_path(THIS), n)
    timed(f"{THIS.name} --previous {LAST.name}", lambda: paired.check_path(THIS), n)
    timed(f"{example.name}", lambda: checker.check_path(example), n)
    timed(f"{example.name} + baseline of its {len(entries)} findings",
          lambda: baseline.apply(checker.check_path(example), entries), n)
    timed(f"{example.name} --year 2020", lambda: for_2020.check_path(example), n)


if __name__ == "__main__":
    main()
