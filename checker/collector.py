"""How often Python's cycle collector runs while documents are checked.

Checking a document makes tens of thousands of small objects (figures, facts, values), nearly all freed by
reference counting; the collector's default (a pass every 700 allocations net) spends its time walking
them, and, as its older generations hold more, each pass costs more: a ten-times-longer document took
12.7 times as long. Collecting every 20,000 allocations keeps the cost in proportion to the document
(10.3 times) and memory bounded (the cycles a document leaves, its sections' parent links, are still
collected). The command and each batch worker set this; the library leaves the process's setting alone.
"""

from __future__ import annotations

import gc

#: Allocations between passes of the youngest generation, and passes between those of the older two.
THRESHOLDS = (20_000, 20, 20)


def tune_collector() -> None:
    """Collect cycles less often (see the module's docstring)."""
    gc.set_threshold(*THRESHOLDS)
