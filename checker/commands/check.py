"""`juesuan check PATH...`: every finding of every rule, in the chosen report format, with a linter's exit status.

Exit status: 0 when no finding is at or above ``--fail-on`` (default: error), 1 otherwise,
2 when an input file, a rule file or the command line is wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from checker import baseline
from checker.batch import finish_result, results_with_progress, summary_table, summary_text
from checker.config import SEVERITY_RANK, Config, config_for, validate
from checker.errors import UsageError
from checker.reports import FORMATS, stream_for
from checker.reports.model import DocumentResult, DocumentSummary, RunInfo
from checker.run import Checker, expand_bundle, expand_documents


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("check", help="check disclosures against the rule packs",
                              description="Check disclosures (.txt, .docx, .pdf, .xlsx, .xls; files or folders) "
                                          "against the rules.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="disclosure files or folders")
    p.add_argument("--bundle", action="store_true",
                   help="check the files (and the files in the folders) named as one disclosure: a report and "
                        "its attachments, such as the narrative in Word and the tables in Excel")
    p.add_argument("--format", choices=sorted(FORMATS), help="report format (default: text)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write the report to this file instead of standard output; with --format html and "
                        "several documents, a folder (or an index .html path) for one page per document")
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="check files in N parallel processes (default: one per CPU)")
    p.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="add a rule file or a folder of rule files (repeatable)")
    p.add_argument("--no-builtin", action="store_true", help="run only the rules given with --rules")
    p.add_argument("--select", help="comma-separated rule ids or prefixes to run (default: all)")
    p.add_argument("--ignore", help="comma-separated rule ids or prefixes to skip")
    p.add_argument("--severity", action="append", default=[], metavar="ID=LEVEL",
                   help="override a rule's (or prefix's) severity: error, warning, info or off (repeatable)")
    p.add_argument("--fail-on", choices=("error", "warning", "info", "never"),
                   help="lowest severity that makes the exit status 1 (default: error)")
    p.add_argument("--explain", action="store_true", help="show how each side of every finding was computed")
    p.add_argument("--show-not-evaluated", action="store_true",
                   help="list the rules that could not be evaluated for lack of data, and why")
    p.add_argument("--fix-suggestions", action=argparse.BooleanOptionalAction, default=None,
                   help="name the figure that is probably mistyped behind each group of findings, and the value "
                        "it should have (default: on for text and html, off for the machine formats)")
    p.add_argument("--config", help="configuration file (default: nearest juesuan.toml or pyproject.toml)")
    p.add_argument("--baseline", metavar="FILE",
                   help="hide the findings recorded in this baseline file; new and changed findings are still "
                        "reported")
    p.add_argument("--write-baseline", metavar="FILE",
                   help="record every finding of this run in a baseline file (by rule, record, figure names and "
                        "values, not by line) and exit 0")
    p.add_argument("--previous", metavar="LAST",
                   help="last year's report of the same unit (any readable format): the cross-year rules (YOY) "
                        "compare every 上年 figure of this report with it")
    p.add_argument("--previous-dir", metavar="DIR",
                   help="in a batch: a folder of last year's reports, each found by the document's file name "
                        "(with the year in it one less, or the same name)")
    p.add_argument("--year", type=fiscal_year, metavar="YYYY",
                   help="check by the rules in force for this fiscal year (default: the year each report names)")
    p.add_argument("--show-fixed", action="store_true",
                   help="with --baseline: list the baseline's findings that no longer occur")
    p.set_defaults(run=run)


def settings(args: argparse.Namespace) -> Config:
    """The configuration file's settings with the command line's on top."""
    config = config_for(args.config)
    if args.select:
        config.select = [s.strip() for s in args.select.split(",") if s.strip()]
    if args.ignore:
        config.ignore = [*config.ignore, *(s.strip() for s in args.ignore.split(",") if s.strip())]
    for item in args.severity:
        rule, sep, level = item.partition("=")
        if not sep:
            raise UsageError(f"--severity {item!r}: expected ID=LEVEL, e.g. SG-001=warning")
        config.severity[rule.strip()] = level.strip()
    if args.fail_on:
        config.fail_on = args.fail_on
    validate(config, "command line")
    return config


def exit_status(results: Sequence[DocumentResult | DocumentSummary], fail_on: str) -> int:
    if any(r.error is not None for r in results):
        return 2
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    failing = any(n and SEVERITY_RANK.get(severity, 0) >= threshold for r in results
                  for severity, n in r.counts().items() if severity != "not_evaluated")
    return 1 if failing else 0


# Formats that never show the document itself: workers need not send it back.
NO_DOCUMENT_FORMATS = frozenset({"text", "json", "sarif", "toml"})
MACHINE_FORMATS = frozenset({"json", "sarif", "toml"})
# Formats that show fix suggestions unless told not to (the machine formats only when asked).
SUGGESTING_FORMATS = frozenset({"text", "html"})


def print_summary(results: Sequence[DocumentSummary]) -> None:
    """The per-document summary table on standard output: a rich table on a terminal, plain text otherwise."""
    if sys.stdout.isatty():
        from rich.console import Console

        Console().print(summary_table(results))
    else:
        sys.stdout.write(summary_text(results))


@contextmanager
def report_output(path: str | None) -> Iterator[TextIO]:
    """Where the report goes: standard output, or a file that appears whole when the run ends (written
    beside it under a temporary name, so an interrupted run leaves no half report). A file that cannot
    be written is a usage error before any document is checked."""
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{path}: is a folder; name a file for the report (a folder is for --format html)")
    partial = target.with_name(f".{target.name}.partial")
    try:
        out = partial.open("w", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report: {error.strerror}") from None
    try:
        with out:
            yield out
        try:
            os.replace(partial, target)
        except OSError as error:
            raise UsageError(f"{path}: cannot write the report: {error.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)


def write_report(fmt: str, info: RunInfo, results: Iterable[DocumentResult], out: TextIO) -> list[DocumentSummary]:
    """Write the report; a format that can be written document by document is, so a batch holds one
    document's result at a time. The summaries are what is kept of each document."""
    stream = stream_for(fmt, info)
    if stream is None:
        collected = list(results)
        out.write(FORMATS[fmt](collected, info))
        return [r.summary() for r in collected]
    summaries = []
    out.write(stream.header())
    for result in results:
        out.write(stream.document(result))
        summaries.append(result.summary())
    out.write(stream.footer())
    return summaries


def fiscal_year(text: str) -> int:
    """``--year 2020``: a fiscal year the templates could be for."""
    if not (text.isdigit() and 1990 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"{text!r} is not a fiscal year such as 2023")
    return int(text)


def previous_options(args: argparse.Namespace, documents: Sequence[Path]) -> tuple[Path | None, Path | None]:
    """``--previous`` (one document's last-year report) or ``--previous-dir`` (a batch's folder of them)."""
    if args.previous and args.previous_dir:
        raise UsageError("give --previous LAST (one document) or --previous-dir DIR (a batch), not both")
    if args.previous:
        if len(documents) > 1:
            raise UsageError(f"--previous compares one document with last year's report, but {len(documents)} "
                             "documents are checked; give a folder of last year's reports with --previous-dir")
        if not Path(args.previous).is_file():
            raise UsageError(f"{args.previous}: no such file (--previous)")
        return Path(args.previous), None
    if args.previous_dir:
        if not Path(args.previous_dir).is_dir():
            raise UsageError(f"{args.previous_dir}: no such folder (--previous-dir)")
        return None, Path(args.previous_dir)
    return None, None


def _baseline_target(path: str) -> Path:
    """The file --write-baseline will write, refused before anything is checked when it cannot be."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{path}: is a folder; name a file for the baseline")
    if not target.parent.is_dir():
        raise UsageError(f"{path}: cannot write the baseline: no folder {target.parent}")
    return target


def with_baseline(results: Iterable[DocumentResult], known: tuple[baseline.Baseline, Path] | None,
                  written: list[tuple[str, list[baseline.Entry]]] | None) -> Iterator[DocumentResult]:
    """Each result as it comes: its findings recorded (in ``written``, for --write-baseline), then the known
    baseline's findings hidden."""
    for result in results:
        if written is not None and result.error is None:
            written.append((result.path, [baseline.entry_for(f) for f in result.findings]))
        if known is not None:
            result = baseline.apply(result, known[0].entries(result.path, known[1]))
        yield result


def save_baseline(written: list[tuple[str, list[baseline.Entry]]], target: Path) -> None:
    baseline.write(baseline.recorded(written, target), target)
    count = sum(len(e) for _, e in written)
    documents = len(written)
    print(f"juesuan: wrote {count} finding{'s' if count != 1 else ''} of {documents} "
          f"document{'s' if documents != 1 else ''} to the baseline {target}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    fmt = args.format or config.format or "text"
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}; available: {', '.join(sorted(FORMATS))}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: expected a number of processes, 1 or more")
    if args.show_fixed and not args.baseline:
        raise UsageError("--show-fixed needs --baseline FILE")
    known = None
    if args.baseline:
        known = (baseline.load(Path(args.baseline)), Path(args.baseline))  # refused before anything is checked
    write_to = _baseline_target(args.write_baseline) if args.write_baseline else None
    checker = Checker.from_config(config, tuple(Path(p) for p in args.rules), builtin=not args.no_builtin)
    checker.suggestions = args.fix_suggestions if args.fix_suggestions is not None else fmt in SUGGESTING_FORMATS
    documents = expand_bundle(args.paths) if args.bundle else expand_documents(args.paths)
    if not documents:
        raise UsageError(f"no disclosures found in {', '.join(args.paths)}")
    checker.previous, checker.previous_dir = previous_options(args, documents)
    checker.year = args.year
    # The document and the explanation traces are kept only for the reports that show them: a batch of a
    # thousand documents would otherwise hold every sentence of every one.
    keep = fmt not in NO_DOCUMENT_FORMATS or args.explain
    if args.bundle:
        results: Iterable[DocumentResult] = iter([finish_result(checker.check_bundle(documents), keep)])
        documents = documents[:1]
    else:
        results = results_with_progress(checker, documents, args.jobs, keep_documents=keep,
                                        show=len(documents) > 1 and sys.stderr.isatty()
                                        and not (not args.output and fmt in MACHINE_FORMATS))
    batch = len(documents) > 1
    written: list[tuple[str, list[baseline.Entry]]] | None = [] if write_to is not None else None
    if known is not None or written is not None:
        results = with_baseline(results, known, written)
    info = RunInfo(rules=checker.rule_infos, explain=args.explain, show_not_evaluated=args.show_not_evaluated,
                   suggestions=checker.suggestions, baseline=known is not None, show_fixed=args.show_fixed)
    if fmt == "html" and args.output and (batch or Path(args.output).is_dir()):
        from checker.reports import html

        index, summaries = html.write_site(results, info, Path(args.output), [str(p) for p in documents])
        print_summary(summaries)
        print(f"HTML report: {index}", file=sys.stderr)
    else:
        with report_output(args.output) as out:
            summaries = write_report(fmt, info, results, out)
            if fmt == "text" and batch and args.output:
                out.write("\n" + summary_text(summaries))
        if batch and (args.output or fmt == "text"):
            if not args.output:
                sys.stdout.write("\n")
            print_summary(summaries)
    for summary in summaries:
        if summary.error is not None:
            print(f"juesuan: error: {summary.error}", file=sys.stderr)
    if write_to is not None and written is not None:
        save_baseline(written, write_to)
        # Every finding is in the baseline now: only a file that could not be read still fails the run.
        return exit_status(summaries, "never")
    return exit_status(summaries, config.fail_on)
