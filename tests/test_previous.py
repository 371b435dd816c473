"""Last year's report (``juesuan check THIS --previous LAST``, ``--previous-dir``; ``上年报告.…`` in rules): the
fixture pair of one unit's 2022 and 2023 reports, the names the language gives last year's figures, and the run's
handling of a missing, wrong-year or unreadable previous report."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import Config
from checker.evaluate import Context, evaluate_rule
from checker.facts.model import Fact, FactSet
from checker.model import Location
from checker.previous import as_previous, candidates
from checker.quantity import parse_quantity
from checker.run import Checker
from checker.vocabulary import load_vocabulary
from dsl import CompileError, compile_text

ROOT = Path(__file__).resolve().parent.parent
YEARS = ROOT / "tests" / "fixtures" / "years"
THIS = YEARS / "town_government_2023.txt"
LAST = ROOT / "tests" / "fixtures" / "styles" / "town_government_2022.txt"
KEY = tomllib.loads((YEARS / "town_government_2023.key.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.from_config(Config())


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _yoy(findings) -> list[tuple[int, str]]:
    return sorted((f.location.line, f.rule_id) for f in findings if f.rule_id.startswith("YOY"))


def test_the_written_fixture_is_what_its_script_writes() -> None:
    sys.path.insert(0, str(YEARS))
    try:
        from write_town_2023 import build
    finally:
        sys.path.remove(str(YEARS))
    assert THIS.read_text(encoding="utf-8") == build()


def test_the_2023_report_alone_is_clean_and_runs_no_cross_year_rule(checker: Checker) -> None:
    result = checker.check_path(THIS)
    assert [f for f in result.findings if f.severity in ("error", "warning")] == []
    assert not any(n.rule_id.startswith("YOY") for n in result.not_evaluated)
    assert not any(r.startswith("YOY") for r in result.passed)


def test_every_restated_figure_is_found_on_its_line_and_nothing_else(checker: Checker) -> None:
    paired = Checker(checker.config, checker.vocabulary, checker.program, checker.rule_infos, checker.extractors,
                     previous=LAST)
    result = paired.check_path(THIS)
    planted = sorted((p["line"], p["rule"]) for p in KEY["planted"])
    assert _yoy(result.findings) == planted
    lines = THIS.read_text(encoding="utf-8").split("\n")
    assert all(p["anchor"] in lines[p["line"] - 1] for p in KEY["planted"])
    # The other findings are those of the report alone: comparing with last year adds only the restatements.
    alone = checker.check_path(THIS)
    assert [f for f in result.findings if not f.rule_id.startswith("YOY")] == alone.findings
    # Every other 上年 figure was compared and agreed.
    assert {"YOY-020", "YOY-021"} <= set(result.passed)
    first = next(f for f in result.findings if f.rule_id == "YOY-001")
    previous = [e for e in first.locations if e.location.document is not None]
    assert [(e.name, e.display, e.location.document, e.location.line) for e in previous] == [
        ("上年报告.一般公共预算.项.决算数[一般公共服务支出/政府办公厅（室）及相关机构事务/行政运行]", "583.62万元",
         str(LAST), 52)]
    assert first.location is not None and first.location.document is None and first.location.line == 46


def test_the_cli_reports_the_pair_in_any_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(THIS), "--previous", str(LAST), "--select", "YOY"]) == 1
    out = capsys.readouterr().out
    assert "YOY-002 error: 机关运行经费.支出：本报告所列上年数 112.56，上年报告为 112.65" in out
    assert f"上年报告.机关运行经费.支出 = 112.65万元 ({LAST}:91:18)" in out
    assert main(["check", str(THIS), "--previous", str(LAST), "--select", "YOY", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)["documents"][0]
    where = [loc for f in doc["findings"] for loc in f["locations"] if "document" in loc]
    assert where and all(loc["document"] == str(LAST) for loc in where)
    assert main(["check", str(THIS), "--previous", str(LAST), "--select", "YOY", "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == THIS.as_uri() for r in results)
    related = [loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r["relatedLocations"]]
    assert LAST.as_uri() in related


def test_a_batch_finds_each_previous_report_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "2023").mkdir()
    (tmp_path / "2022").mkdir()
    (tmp_path / "2023" / "town_government_2023.txt").write_bytes(THIS.read_bytes())
    (tmp_path / "2023" / "other_2023.txt").write_bytes(THIS.read_bytes())
    (tmp_path / "2022" / "town_government_2022.txt").write_bytes(LAST.read_bytes())
    status = main(["check", "2023", "--previous-dir", "2022", "--select", "YOY", "--format", "json", "-j", "1"])
    documents = {Path(d["path"]).name: d for d in json.loads(capsys.readouterr().out)["documents"]}
    assert status == 1
    assert sorted(f["rule"] for f in documents["town_government_2023.txt"]["findings"]) == [
        "YOY-001", "YOY-002", "YOY-011"]
    other = documents["other_2023.txt"]
    assert other["findings"] == []
    reasons = {n["rule"]: n["reason"] for n in other["not_evaluated"]}
    assert sorted(reasons) == ["YOY-001", "YOY-002", "YOY-011", "YOY-020", "YOY-021"]  # once per rule
    assert all("no previous report of other_2023.txt in 2022" in r for r in reasons.values())


def test_candidates_replace_the_year_and_try_every_format() -> None:
    found = [p.name for p in candidates(Path("x/局_2023.txt"), 2023, Path("d"))]
    assert found[:3] == ["局_2022.txt", "局_2022.docx", "局_2022.pdf"] and "局_2023.txt" in found


def test_a_previous_report_of_another_year_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(THIS), "--previous", str(THIS)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"juesuan: error: {THIS}: is the 2023 report") and "the 2022 one" in err


@pytest.mark.parametrize(("args", "problem"), [
    (["--previous", "missing.txt"], "missing.txt: no such file (--previous)"),
    (["--previous-dir", "nowhere"], "nowhere: no such folder (--previous-dir)"),
    (["--previous", str(LAST), "--previous-dir", "."], "not both"),
])
def test_bad_previous_options_are_one_line_and_status_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                                         problem: str) -> None:
    assert main(["check", str(THIS), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert problem in err and "\n" not in err


def test_previous_needs_a_single_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(THIS), str(LAST), "--previous", str(LAST)]) == 2
    assert "--previous-dir" in capsys.readouterr().err


def test_an_unreadable_previous_report_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "last.txt").write_bytes(b"\x00\x01\x02" * 50)
    assert main(["check", str(THIS), "--previous", "last.txt"]) == 2
    assert "last.txt" in capsys.readouterr().err


# ---- the language -------------------------------------------------------------------------------------------

def _facts(*items: tuple[str, str, tuple]) -> FactSet:
    return FactSet([Fact(name, parse_quantity(value), Location(line=n, column=1), "", dims)
                    for n, (name, value, dims) in enumerate(items, 1)])


@pytest.fixture(scope="module")
def schema():
    return load_vocabulary().schema()


def test_previous_names_read_last_years_report(schema) -> None:
    text = ('rule T-1 "t"\n  assert 收入.收入总计 - 收入.收入总计.增减额 == 上年报告.收入.收入总计\n'
            'rule T-2 "t"\n  for each 项 in 一般公共预算.项\n  when exists(上年报告.项.决算数)\n'
            '  assert 项.决算数 - 项.增减额 == 上年报告.项.决算数\n'
            'rule T-3 "t"\n  assert 或零(上年报告.三公经费.公务接待费) == 0\n')
    program = compile_text(text, "t.rules", schema)
    assert [program.cross_year(r) for r in program.rules] == [True, True, True]
    assert "上年报告.收入.收入总计" in program.rule("T-1").facts and "收入.收入总计" in program.rule("T-1").facts
    item = (("类", "教育支出"), ("款", "普通教育"), ("项", "小学教育"))
    other = (("类", "教育支出"), ("款", "普通教育"), ("项", "初中教育"))
    this = _facts(("收入.收入总计", "110.00万元", ()), ("收入.收入总计.增减额", "10.00万元", ()),
                  ("一般公共预算.项.决算数", "50.00万元", item), ("一般公共预算.项.增减额", "5.00万元", item),
                  ("一般公共预算.项.决算数", "30.00万元", other), ("一般公共预算.项.增减额", "1.00万元", other))
    vocabulary = load_vocabulary()
    last = as_previous(_facts(("收入.收入总计", "101.00万元", ()), ("一般公共预算.项.决算数", "45.00万元", item)),
                       vocabulary, "last.txt")
    context = Context(this, previous=last)
    total = evaluate_rule(program, "T-1", context)
    assert [f.message for f in total.findings] and "上年报告.收入.收入总计" in total.findings[0].values[-1][0]
    items = evaluate_rule(program, "T-2", context)
    assert items.passed and items.applicable == 1  # 初中教育 is not in last year's report: its guard is false
    assert evaluate_rule(program, "T-3", context).passed  # not stated last year: 0
    without = evaluate_rule(program, "T-1", Context(this))
    assert [n.reason for n in without.not_evaluated] == [
        "no previous report: check with --previous LAST (or --previous-dir in a batch)"]
    assert [n.record for n in evaluate_rule(program, "T-2", Context(this)).not_evaluated] == [()]


@pytest.mark.parametrize(("expr", "problem"), [
    ("上年报告 == 1", "上年报告 names last year's report; say which of its figures"),
    ("上年报告.上年报告.收入.收入总计 == 1", "has no previous report of its own"),
    ("上年报告.一般公共预算.项 == 1", "is not one figure of last year's report"),
    ("上年报告.收入.收入总记 == 1", "unknown name 收入.收入总记"),
])
def test_wrong_previous_names_are_diagnosed(schema, expr: str, problem: str) -> None:
    with pytest.raises(CompileError) as error:
        compile_text(f'rule T-1 "t"\n  assert {expr}\n', "t.rules", schema)
    assert problem in error.value.render()


def test_a_derived_value_is_this_years(schema) -> None:
    with pytest.raises(CompileError) as error:
        compile_text('let 合计 = 收入.收入总计\nrule T-1 "t"\n  assert 上年报告.合计 == 1\n', "t.rules", schema)
    assert "合计 is a derived value, computed from this report" in error.value.render()
