"""Time the demo's attached tables (examples/demo/tables.xlsx, nine sheets) and the same workbook as .xls.

Reading: warm, best of N reads in this process (read_blocks: openpyxl or xlrd, then the sheets laid out
as blocks), and the tab-cell text of the same tables for comparison. Checking: ``juesuan check`` of the
workbook alone and of the demo bundle (disclosure.txt + tables.xlsx, ``--bundle``), wall time of a
fresh process, best of N after one unmeasured run (compiled rules cached, as run.py does).
Usage: python benchmarks/bench_excel.py [N]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"


def best(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import child_env

    from checker.readers import read_blocks, read_text
    from tests import workbooks

    with tempfile.TemporaryDirectory() as folder:
        xls = workbooks.write_xls(Path(folder) / "tables.xls")
        text = workbooks.tables_text().encode("utf-8")
        read_blocks(DEMO / "tables.xlsx")  # imports
        read_blocks(xls)
        print(f"read tables.xlsx (warm, best of {runs}): {best(runs, lambda: read_blocks(DEMO / 'tables.xlsx')):.4f} s")
        print(f"read tables.xls  (warm, best of {runs}): {best(runs, lambda: read_blocks(xls)):.4f} s")
        print(f"read the same tables as text (warm): {best(runs, lambda: read_text(Path('t.txt'), text)):.4f} s")
    env = child_env()
    for label, args in (("check tables.xlsx", [str(DEMO / "tables.xlsx")]),
                        ("check disclosure.txt", [str(DEMO / "disclosure.txt")]),
                        ("check --bundle disclosure.txt tables.xlsx",
                         [str(DEMO / "disclosure.txt"), str(DEMO / "tables.xlsx"), "--bundle"])):
        command = [sys.executable, "-m", "checker.cli", "check", *args]
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
        elapsed = best(runs, lambda c=command: subprocess.run(c, cwd=ROOT, env=env, capture_output=True))
        print(f"{label} (fresh process, best of {runs}): {elapsed:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
