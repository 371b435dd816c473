"""Baselines (`checker.baseline`, ``juesuan check --write-baseline / --baseline / --show-fixed``): a finding is
remembered by rule, record, figure names and values, so editing the document above it does not bring it back,
while a changed figure or a new error does."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from checker import baseline
from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
STATS = ROOT / "tests" / "fixtures" / "styles" / "city_stats_2022.txt"
SCHEMA = json.loads((ROOT / "schemas" / "juesuan.report.schema.json").read_text(encoding="utf-8"))

# The demo's 基本支出 sentence: 人员经费 + 公用经费 misses the total by 10.00 (TOT-014).
STAFF = "人员经费3,018.73万元"


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _copy(source: Path, tmp_path: Path, name: str = "report.txt") -> Path:
    target = tmp_path / name
    target.write_bytes(source.read_bytes())
    return target


def _edit(path: Path, *, insert_after: int = 0, lines: tuple[str, ...] = (), replace: tuple[str, str] | None = None
          ) -> None:
    text = path.read_text(encoding="utf-8")
    if replace is not None:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    rows = text.split("\n")
    rows[insert_after:insert_after] = list(lines)
    path.write_text("\n".join(rows), encoding="utf-8")


def _json(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, dict]:
    status = main(["check", *args, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, SCHEMA)
    return status, report["documents"][0]


def test_a_baseline_hides_exactly_its_findings_after_lines_are_inserted_above(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _copy(DEMO, tmp_path)
    assert main(["check", str(report), "--write-baseline", "b.json"]) == 0
    err = capsys.readouterr().err
    recorded = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert recorded["schema"] == "juesuan.baseline/1" and list(recorded["documents"]) == ["report.txt"]
    count = len(recorded["documents"]["report.txt"])
    assert count > 10 and f"wrote {count} findings of 1 document" in err
    assert all("line" not in json.dumps(entry) for entry in recorded["documents"]["report.txt"])

    _edit(report, insert_after=3, lines=("本部门补充说明如下。", "（此段为插入的两行，后面各行的行号都变了。）"))
    status, doc = _json(capsys, [str(report), "--baseline", "b.json"])
    assert status == 0 and doc["findings"] == []
    assert doc["baseline"] == {"hidden": count, "changed": 0, "fixed": []}


def test_a_changed_figure_and_a_new_error_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _copy(DEMO, tmp_path)
    main(["check", str(report), "--write-baseline", "b.json"])
    capsys.readouterr()
    # Still wrong, by another amount; and a new error: the 三公 total no longer matches its parts.
    _edit(report, insert_after=1, lines=("新增一行。",), replace=(STAFF, "人员经费3,020.73万元"))
    status, doc = _json(capsys, [str(report), "--baseline", "b.json"])
    assert status == 1
    changed = [f for f in doc["findings"] if f["baseline"] == "changed"]
    assert [f["rule"] for f in changed] == ["TOT-014"]
    assert {"name": "基本支出.人员经费", "value": "3,018.73万元"} in changed[0]["was"]
    assert changed[0]["values"]["基本支出.人员经费"] == "3,020.73万元"
    assert all(f["baseline"] in ("new", "changed") for f in doc["findings"])
    assert doc["baseline"]["changed"] == 1 and doc["baseline"]["fixed"] == []


def test_a_corrected_error_is_listed_as_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _copy(DEMO, tmp_path)
    main(["check", str(report), "--write-baseline", "b.json"])
    capsys.readouterr()
    _edit(report, replace=(STAFF, "人员经费3,028.73万元"))  # 3,028.73 + 386.44 = 3,415.17: now right
    status = main(["check", str(report), "--baseline", "b.json", "--show-fixed"])
    out = capsys.readouterr().out
    assert status == 0
    assert "report.txt: fixed since the baseline: TOT-014" in out
    assert "1 fixed" in out.splitlines()[-1] and "hidden by the baseline" in out
    without = main(["check", str(report), "--baseline", "b.json"])
    assert without == 0 and "fixed since the baseline" not in capsys.readouterr().out


def test_a_new_error_of_a_kind_already_accepted_is_new(tmp_path: Path) -> None:
    """Two findings of one identity with different values: the accepted one stays hidden, the other is new."""
    from checker.findings import Evidence, Finding
    from checker.model import Location

    def finding(value: str, line: int) -> Finding:
        return Finding("TXT-001", "warning", "t", f"重复：{value}",
                       locations=(Evidence(f"文字.重复词.内容[{line}:5]", value, Location(line=line, column=5)),),
                       record=(("位置", f"{line}:5"),))

    entries = [baseline.entry_for(finding("本年本年", 10))]
    outcome = baseline.match([finding("本年本年", 14), finding("落实落实", 30)], entries)
    assert outcome.hidden == 1 and [f.message for f in outcome.shown] == ["重复：落实落实"]
    assert outcome.shown[0].baseline == "new"  # the one entry of its identity went to the finding it matches
    changed = baseline.match([finding("落实落实", 30)], entries)
    assert [f.baseline for f in changed.shown] == ["changed"] and changed.shown[0].was == entries[0].figures
    again = baseline.match([finding("本年本年", 14), finding("本年本年", 40)], entries)
    assert again.hidden == 1 and [f.baseline for f in again.shown] == ["new"]


def test_a_positional_record_survives_an_edit_above(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A word typed twice is a record keyed by its place; the baseline leaves the place out."""
    report = _copy(STATS, tmp_path)
    main(["check", str(report), "--write-baseline", "b.json", "--select", "TXT"])
    capsys.readouterr()
    recorded = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["documents"]["report.txt"]
    assert any(entry["rule"] == "TXT-001" and "落实落实" in entry["message"] for entry in recorded)
    _edit(report, insert_after=5, lines=("插入的一行。",))
    status, doc = _json(capsys, [str(report), "--baseline", "b.json", "--select", "TXT"])
    assert status == 0 and doc["findings"] == [] and doc["baseline"]["hidden"] == len(recorded)


def test_documents_are_keyed_relative_to_the_baseline_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reports").mkdir()
    report = _copy(DEMO, tmp_path / "reports")
    main(["check", str(report), "--write-baseline", str(tmp_path / "reports" / "b.json")])
    capsys.readouterr()
    monkeypatch.chdir(tmp_path / "reports")
    status, doc = _json(capsys, ["report.txt", "--baseline", "b.json"])
    assert status == 0 and doc["findings"] == []


def test_sarif_states_the_baseline_comparison(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _copy(DEMO, tmp_path)
    main(["check", str(report), "--write-baseline", "b.json"])
    capsys.readouterr()
    _edit(report, replace=(STAFF, "人员经费3,028.73万元"))
    main(["check", str(report), "--baseline", "b.json", "--show-fixed", "--format", "sarif"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"]) for r in results] == [("TOT-014", "absent")]


@pytest.mark.parametrize(("content", "problem"), [
    (None, "no such baseline file"),
    ("{", "invalid JSON"),
    ('{"schema": "other"}', 'expected "schema": "juesuan.baseline/1"'),
    ('{"schema": "juesuan.baseline/1", "documents": {"a.txt": [{"figures": []}]}}', "finding 1: needs a rule id"),
])
def test_a_bad_baseline_file_is_one_line_and_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     content: str | None, problem: str) -> None:
    if content is not None:
        (tmp_path / "b.json").write_text(content, encoding="utf-8")
    assert main(["check", str(DEMO), "--baseline", "b.json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("juesuan: error: b.json: ") and problem in err and "\n" not in err


def test_show_fixed_needs_a_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO), "--show-fixed"]) == 2
    assert "--show-fixed needs --baseline" in capsys.readouterr().err


def test_without_a_baseline_the_reports_are_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(DEMO), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)["documents"][0]
    assert "baseline" not in doc and all("baseline" not in f for f in doc["findings"])
    main(["check", str(DEMO)])
    assert "baseline" not in capsys.readouterr().out


def test_the_html_page_says_what_the_baseline_did(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _copy(DEMO, tmp_path)
    main(["check", str(report), "--write-baseline", "b.json"])
    capsys.readouterr()
    _edit(report, replace=(STAFF, "人员经费3,020.73万元"))
    main(["check", str(report), "--baseline", "b.json", "--show-fixed", "--format", "html", "-o", "r.html"])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "基线：已隐藏 20 条，有变化 1 条，已修正 0 条" in page
    assert "<dt>基线中为</dt>" in page and "基本支出.人员经费 = 3,018.73万元" in page
