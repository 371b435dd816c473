"""Checking many disclosures: parallel worker processes, a progress bar, and a per-document summary table.

Each worker receives the parent's `Checker` once (it pickles: compiled rules and vocabulary are
plain data) and checks whole files, so a batch gives exactly the results of checking the files
one by one; results come back in the order the paths were given, whichever worker finishes first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar
from unicodedata import east_asian_width

from checker.reports.model import DocumentResult
from checker.run import Checker

COLUMNS = (("error", "errors"), ("warning", "warnings"), ("info", "info"), ("not_evaluated", "not evaluated"))

#: Files in hand per worker process (running, or done and waiting for an earlier file to be handed on).
WINDOW = 8
T = TypeVar("T")

_work: Callable[[str], Any] | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def _start_worker(work: Callable[[str], Any]) -> None:
    global _work
    from checker.collector import tune_collector
    from checker.plugins import ensure_active

    tune_collector()  # as the command does (a spawned worker starts with Python's defaults)
    ensure_active()  # a worker started afresh (spawned, not forked) has no plugins yet: it reads with the defaults'
    _work = work


def _run_one(path: str) -> Any:
    assert _work is not None, "worker started without its work"
    return _work(path)


@dataclass(frozen=True)
class _Check:
    """Check one path and drop what the chosen report will not show (pickled once into each worker)."""

    checker: Checker
    keep_documents: bool

    def __call__(self, path: str) -> DocumentResult:
        return finish_result(self.checker.check_path(path), self.keep_documents)


def finish_result(result: DocumentResult, keep_documents: bool) -> DocumentResult:
    """Drop what the chosen report will not show (the document, the explanation traces)."""
    if not keep_documents:
        result.document = None
        result.findings = [replace(f, trace=()) if f.trace else f for f in result.findings]
    return result


def iter_results(checker: Checker, paths: list[Path], jobs: int | None = None, keep_documents: bool = True,
                 on_done: Callable[[DocumentResult], None] | None = None) -> Iterator[DocumentResult]:
    """Each path's result, in the order of ``paths``, as soon as it and those before it are done;
    ``jobs`` worker processes (default: one per CPU). Nothing keeps a result once it is handed on, so a
    report written document by document holds one document's result at a time, not the batch's.

    ``keep_documents=False`` drops the read document from each result (only the HTML report shows
    it), which spares sending it back from the workers. ``on_done`` is called as each file finishes.
    Closing the iterator early cancels the files not yet started.
    """
    return ordered_map(_Check(checker, keep_documents), paths, jobs, on_done)


def ordered_map(work: Callable[[str], T], paths: list[Path], jobs: int | None = None,
                on_done: Callable[[T], None] | None = None) -> Iterator[T]:
    """``work(path)`` for each path, in the order of ``paths``, in ``jobs`` worker processes (default: one per
    CPU; ``work`` is pickled once into each); see `iter_results`."""
    jobs = default_jobs() if jobs is None else jobs
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        for path in paths:
            result = work(str(path))
            if on_done:
                on_done(result)
            yield result
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # a single file never pays for it

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(work,))
    try:
        queue = iter(enumerate(paths))
        running: dict = {}  # future → path index
        finished: dict[int, T] = {}  # done, waiting for an earlier path
        following = 0
        while True:
            # At most WINDOW files per worker in hand (running, or done and waiting): a slow file early in
            # the list holds back the results after it, never more than that many.
            for i, path in islice(queue, max(0, WINDOW * jobs - len(running) - len(finished))):
                running[pool.submit(_run_one, str(path))] = i
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                finished[running.pop(future)] = result = future.result()
                if on_done:
                    on_done(result)
            while following in finished:
                yield finished.pop(following)
                following += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def check_all(checker: Checker, paths: list[Path], jobs: int | None = None, keep_documents: bool = True,
              on_done: Callable[[DocumentResult], None] | None = None) -> list[DocumentResult]:
    """Every path's result, in the order of ``paths`` (see `iter_results`)."""
    return list(iter_results(checker, paths, jobs, keep_documents, on_done))


def results_with_progress(checker: Checker, paths: list[Path], jobs: int | None, keep_documents: bool,
                          show: bool) -> Iterator[DocumentResult]:
    """`iter_results` with a rich progress bar on standard error when ``show`` is set."""
    return with_progress(_Check(checker, keep_documents), paths, jobs, show, "检查 checking",
                         lambda result: Path(result.path).name)


def with_progress(work: Callable[[str], T], paths: list[Path], jobs: int | None, show: bool, label: str,
                  name: Callable[[T], str]) -> Iterator[T]:
    """`ordered_map` with a rich progress bar on standard error when ``show`` is set (``name`` of the last
    result done shown beside it)."""
    if not show:
        yield from ordered_map(work, paths, jobs)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}", style="dim"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("", total=len(paths))

        def done(result: T) -> None:
            progress.update(task, advance=1, description=name(result))

        yield from ordered_map(work, paths, jobs, on_done=done)


def text_width(text: str) -> int:
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def pad_text(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - text_width(text))
    return space + text if right else text + space


def summary_rows(results: list[DocumentResult]) -> list[list[str]]:
    """One row per document: path, then its counts, or its read error in place of them."""
    rows = []
    for result in results:
        if result.error is not None:
            rows.append([result.path, f"unreadable: {result.error}"])
        else:
            counts = result.counts()
            rows.append([result.path, *(str(counts.get(key, 0)) for key, _ in COLUMNS)])
    return rows


def _totals(results: list[DocumentResult]) -> list[str]:
    readable = [r.counts() for r in results if r.error is None]
    return [f"total ({len(results)})", *(str(sum(c.get(key, 0) for c in readable)) for key, _ in COLUMNS)]


def summary_text(results: list[DocumentResult]) -> str:
    """The summary table as plain text, columns aligned (CJK characters count two)."""
    header = ["document", *(label for _, label in COLUMNS)]
    rows = summary_rows(results)
    body = [r for r in rows if len(r) == len(header)] + [_totals(results)]
    widths = [max(text_width(r[i]) for r in [header, *body]) for i in range(len(header))]
    widths[0] = max([widths[0], *(text_width(r[0]) for r in rows)])

    def line(cells: list[str]) -> str:
        if len(cells) != len(header):
            return f"{pad_text(cells[0], widths[0])}  {cells[1]}"
        return "  ".join(pad_text(c, widths[i], right=i > 0) for i, c in enumerate(cells)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [line(header), rule, *(line(r) for r in rows), rule, line(_totals(results))]
    return "\n".join(out) + "\n"


def summary_table(results: list[DocumentResult]):
    """The summary as a rich Table, for a terminal."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Summary", title_justify="left", show_footer=True)
    total = _totals(results)
    table.add_column("document", footer=total[0], overflow="fold")
    styles = {"error": "red", "warning": "yellow", "info": "cyan", "not_evaluated": "dim"}
    for (key, label), foot in zip(COLUMNS, total[1:], strict=True):
        table.add_column(label, justify="right", footer=foot, style=styles[key])
    for row in summary_rows(results):
        if len(row) == 2:  # unreadable: the error under the path, no counts
            table.add_row(Text.assemble(row[0], "\n", (row[1], "bold red")))
        else:
            table.add_row(Text(row[0]), *row[1:])
    return table
