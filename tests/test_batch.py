"""Batch mode: a folder checked in parallel gives the results of checking the files one by one, in sorted
order; the summary table; HTML pages with an index; exit statuses with unreadable files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker import batch
from checker.cli import main
from checker.config import Config
from checker.run import Checker, expand_documents

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
DOCS = ROOT / "tests" / "fixtures" / "docs"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.from_config(Config())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Sub-units in nested folders, not in sorted order of creation, and one unreadable file."""
    root = tmp_path / "units"
    (root / "z_county").mkdir(parents=True)
    (root / "a_city").mkdir()
    shutil.copy(DOCS / "hospital_2024.txt", root / "z_county" / "hospital.txt")
    shutil.copy(DOCS / "county_education_2023.txt", root / "a_city" / "education.txt")
    shutil.copy(DEMO, root / "demo.txt")
    (root / "notes.md").write_text("not a disclosure suffix", encoding="utf-8")
    return root


def add_unreadable(folder: Path) -> Path:
    bad = folder / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02\x03 binary")
    return bad


def test_parallel_results_equal_one_by_one(checker, folder):
    add_unreadable(folder)
    paths = expand_documents([str(folder)])
    assert [p.relative_to(folder).as_posix() for p in paths] == [
        "a_city/education.txt", "broken.txt", "demo.txt", "z_county/hospital.txt"]
    one_by_one = [checker.check_path(p) for p in paths]
    parallel = batch.check_all(checker, paths, jobs=2)
    assert [r.path for r in parallel] == [str(p) for p in paths]
    assert parallel == one_by_one  # findings, not-evaluated, passed, errors and the documents read
    assert parallel[1].error is not None and parallel[0].findings
    assert all(r.document is not None for r in parallel if r.error is None)


def test_documents_left_out_when_not_needed(checker, folder):
    paths = expand_documents([str(folder)])
    done = []
    results = batch.check_all(checker, paths, jobs=2, keep_documents=False, on_done=done.append)
    assert all(r.document is None for r in results)
    assert sorted(r.path for r in done) == sorted(r.path for r in results)
    sequential = batch.check_all(checker, paths, jobs=1, keep_documents=False)
    assert sequential == results


def test_json_batch_equals_single_runs(folder, capsys):
    assert main(["check", str(folder), "--format", "json", "-j", "2"]) == 1
    together = json.loads(capsys.readouterr().out)["documents"]
    singles = []
    for path in expand_documents([str(folder)]):
        main(["check", str(path), "--format", "json", "-j", "1"])
        singles.extend(json.loads(capsys.readouterr().out)["documents"])
    assert together == singles


def test_text_batch_has_summary_table(folder, capsys):
    bad = add_unreadable(folder)
    assert main(["check", str(folder), "--jobs", "2"]) == 2
    captured = capsys.readouterr()
    out = captured.out
    head = out.index("\ndocument ") + 1
    assert out.index("Checked 4 documents") < head
    table = out[head:]
    assert "errors" in table and "warnings" in table and "not evaluated" in table
    bad_line = next(line for line in table.splitlines() if line.startswith(str(bad)))
    assert bad_line.split()[1] == "unreadable:"
    assert "total (4)" in table
    assert f"juesuan: error: {bad}" in captured.err
    assert "━" not in captured.err  # no progress bar when standard error is not a terminal
    demo_line = next(line for line in table.splitlines() if line.startswith(str(folder / "demo.txt")))
    assert demo_line.split()[1:] == [str(v) for v in _counts(folder / "demo.txt")]


def _counts(path: Path) -> list[int]:
    result = Checker.from_config(Config()).check_path(path)
    c = result.counts()
    return [c["error"], c["warning"], c["info"], c["not_evaluated"]]


def test_text_batch_to_file_keeps_stdout_for_the_table(folder, tmp_path, capsys):
    out = tmp_path / "report.txt"
    assert main(["check", str(folder), "-o", str(out), "-j", "2"]) == 1
    written = out.read_text(encoding="utf-8")
    assert "Checked 3 documents" in written and "total (3)" in written
    assert capsys.readouterr().out.startswith("document")


def test_machine_formats_on_stdout_have_nothing_else(folder, capsys):
    for fmt in ("json", "sarif", "toml"):
        main(["check", str(folder), "--format", fmt])
        out = capsys.readouterr().out
        assert "total (" not in out
        if fmt != "toml":
            json.loads(out)


def test_html_batch_writes_pages_and_index(folder, tmp_path, capsys):
    add_unreadable(folder)
    site = tmp_path / "site"
    assert main(["check", str(folder), "--format", "html", "-o", str(site), "-j", "2"]) == 2
    captured = capsys.readouterr()
    names = sorted(p.name for p in site.iterdir())
    assert names == ["a_city__education.txt.html", "demo.txt.html", "index.html", "z_county__hospital.txt.html"]
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in names:
        if name != "index.html":
            assert f'href="{name}"' in index
    assert "broken.txt" in index and "无法读取" in index
    assert "total (4)" in captured.out and "index.html" in captured.err
    page = (site / "demo.txt.html").read_text(encoding="utf-8")
    assert "<mark " in page and 'href="index.html"' in page


def test_html_batch_to_an_index_path(folder, tmp_path):
    target = tmp_path / "out" / "report.html"
    assert main(["check", str(folder), "--format", "html", "-o", str(target)]) == 1
    assert target.exists() and (tmp_path / "out" / "demo.txt.html").exists()
    assert "demo.txt.html" in target.read_text(encoding="utf-8")


def test_html_single_document_is_one_file(tmp_path):
    target = tmp_path / "report.html"
    assert main(["check", str(DEMO), "--format", "html", "-o", str(target)]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_clean_exit_when_nothing_reaches_fail_on(folder):
    assert main(["check", str(folder), "--fail-on", "never", "-j", "2"]) == 0


def test_bad_jobs_is_a_usage_error(folder, capsys):
    assert main(["check", str(folder), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_summary_text_aligns_chinese_paths(checker, tmp_path):
    path = tmp_path / "市场监督管理局.txt"
    shutil.copy(DEMO, path)
    results = [checker.check_path(path), checker.check_path(DEMO)]
    lines = batch.summary_text(results).splitlines()
    widths = {batch.text_width(line) for line in lines if line and not line.startswith("-")}
    assert len(widths) == 1, lines


def test_summary_table_for_a_terminal(checker, tmp_path):
    from rich.console import Console

    bad = tmp_path / "[red]odd[b].txt"
    bad.write_bytes(b"\x00\x00")
    console = Console(width=250, record=True, color_system=None)
    console.print(batch.summary_table([checker.check_path(DEMO), checker.check_path(bad)]))
    text = console.export_text()
    assert "[red]odd[b].txt" in text and "unreadable" in text and "total (2)" in text


# ---- reports written document by document

@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "toml"])
def test_streamed_report_holds_one_result_at_a_time_and_equals_the_whole_render(checker, folder, fmt):
    import gc
    import io
    import weakref

    from checker.commands.check import write_report
    from checker.reports import FORMATS
    from checker.reports.model import RunInfo

    add_unreadable(folder)
    paths = expand_documents([str(folder)])
    info = RunInfo(rules=checker.rule_infos)
    alive: list[weakref.ref] = []

    def results():
        for result in batch.iter_results(checker, paths, jobs=1, keep_documents=False):
            gc.collect()
            # the writer still holds the previous result while asking for this one; none before it
            assert all(ref() is None for ref in alive[:-1]), "an earlier document's result is still held"
            alive.append(weakref.ref(result))
            yield result

    out = io.StringIO()
    summaries = write_report(fmt, info, results(), out)
    assert [s.path for s in summaries] == [str(p) for p in paths]
    assert sum(s.error is not None for s in summaries) == 1
    whole = FORMATS[fmt](batch.check_all(checker, paths, jobs=1, keep_documents=False), info)
    assert out.getvalue() == whole


def test_built_in_formats_but_html_stream(monkeypatch):
    from checker.reports import FORMATS, stream_for
    from checker.reports.model import RunInfo

    assert {name for name in ("text", "json", "sarif", "toml", "html") if stream_for(name, RunInfo())} == {
        "text", "json", "sarif", "toml"}
    monkeypatch.setitem(FORMATS, "json", lambda results, info: "a plugin's own JSON\n")
    assert stream_for("json", RunInfo()) is None


@pytest.mark.parametrize("window", [1, batch.WINDOW])
def test_parallel_results_arrive_in_path_order(checker, folder, monkeypatch, window):
    monkeypatch.setattr(batch, "WINDOW", window)  # 1: no more files in hand than workers
    paths = expand_documents([str(folder)]) * 2
    finished: list[str] = []
    given = [r.path for r in batch.iter_results(checker, paths, jobs=2, keep_documents=False,
                                                on_done=lambda r: finished.append(r.path))]
    assert given == [str(p) for p in paths] and sorted(finished) == sorted(given)


@pytest.mark.parametrize("count", [0, 1, 4])
def test_streamed_json_and_toml_are_what_their_writers_give_for_the_whole_report(checker, folder, count):
    import tomllib

    import tomli_w

    from checker.reports import json_report, sarif, toml_report
    from checker.reports.model import RunInfo

    add_unreadable(folder)
    results = batch.check_all(checker, expand_documents([str(folder)])[:count], jobs=1)
    info = RunInfo(rules=checker.rule_infos)
    whole = {"schema": json_report.SCHEMA_ID, "documents": [json_report.document_dict(r, info) for r in results]}
    assert json_report.render(results, info) == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    as_toml = toml_report._drop_none(whole)
    assert toml_report.render(results, info) == tomli_w.dumps(as_toml)
    assert tomllib.loads(toml_report.render(results, info)) == as_toml
    log = json.loads(sarif.render(results, info))
    assert len(log["runs"][0]["results"]) == sum(len(r.findings) for r in results)
    assert [a["location"]["uri"] for a in log["runs"][0]["artifacts"]] == [sarif._uri(r.path) for r in results]
    assert ("invocations" in log["runs"][0]) == any(r.error for r in results)
