"""Time reading the finance bureau's 25-page PDF report end to end (read_blocks), cold and warm.

Cold: a fresh interpreter, so importing pypdfium2 and pdfplumber is included (best of N
subprocess runs). Warm: repeated reads in this process (best of N). Skips when the shared
corpus is absent. Usage: python benchmarks/bench_pdf.py [N]
"""

from __future__ import annotations

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
    from checker.readers import read_blocks

    cold = min(float(subprocess.run([sys.executable, "-c", COLD.format(path=str(REPORT))], cwd=ROOT, check=True,
                                    capture_output=True, text=True).stdout) for _ in range(runs))
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        blocks = read_blocks(REPORT).blocks
        warm.append(time.perf_counter() - start)
    print(f"{REPORT.name}: {len(blocks)} blocks; cold best of {runs}: {cold:.3f} s (imports included); "
          f"warm best of {runs}: {min(warm):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
