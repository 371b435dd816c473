"""`juesuan test --coverage`: which rules and which branches of assert and when the cases exercised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.ruletest import builtin_test_paths, check_rule_tests

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "rules"

RULES = '''\
rule G-001 "接待费增加时应说明原因"
  when 三公经费.公务接待费.增减额 > 0 and not exists(三公经费.公务接待费.原因)
  assert 三公经费.公务接待费.增减额 <= 1
  message "增加 {left} 万元"

rule G-002 "合计为正"
  assert 三公经费.合计 > 0

rule G-003 "无用例"
  assert 三公经费.合计 >= 0
'''

TESTS = '''
[[case]]
name = "增加较少"
rules = ["G-001"]
expect = "pass"
facts = [{name = "三公经费.公务接待费.增减额", value = "0.50万元"}]

[[case]]
name = "减少"
rules = ["G-001"]
expect = "not-applicable"
facts = [{name = "三公经费.公务接待费.增减额", value = "-0.50万元"}]

[[case]]
name = "合计为正"
rules = ["G-002"]
expect = "pass"
facts = [{name = "三公经费.合计", value = "3.00万元"}]

[[case]]
name = "没有合计"
rules = ["G-002"]
expect = "not-evaluated"
facts = [{name = "三公经费.公务接待费", value = "3.00万元"}]
'''


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    (tmp_path / "pack.rules").write_text(RULES, encoding="utf-8")
    (tmp_path / "pack.tests.toml").write_text(TESTS, encoding="utf-8")
    return tmp_path


def test_branches_taken_by_the_cases(pack: Path) -> None:
    report = check_rule_tests([pack], coverage=True)
    assert not report.failed
    g1, g2, g3 = report.coverage.rules
    # G-001: the guard was true once (增加较少) and false once (减少: its first condition false, so the
    # second never ran); the assertion held, never failed; the condition under `not` was only ever false.
    assert [(b.kind, sorted(b.seen)) for b in g1.branches] == [
        ("assert", [True]), ("when", [False, True]), ("condition", [False, True]), ("condition", [False])]
    assert g1.cases == 2 and g1.exercised and (g1.covered, g1.total) == (6, 8)
    assert g1.gaps() == ["assert: never failed", "condition exists(三公经费.公务接待费.原因) (2:35): never true"]
    # G-002: one case decided it (held), one left it not evaluated
    assert g2.cases == 2 and g2.exercised and g2.gaps() == ["assert: never failed"]
    # G-003: no case names it
    assert g3.cases == 0 and not g3.exercised and g3.gaps() == ["no case names it"]
    assert round(report.coverage.percent(), 1) == round(100 * (6 + 1 + 0) / (8 + 2 + 2), 1)


def test_coverage_does_not_change_the_verdicts() -> None:
    plain = check_rule_tests([EXAMPLES])
    covered = check_rule_tests([EXAMPLES], coverage=True)
    assert [(r.case.name, r.rule_id, r.got) for r in plain.results] == [
        (r.case.name, r.rule_id, r.got) for r in covered.results]
    assert plain.coverage is None
    assert covered.coverage.percent() == 100.0  # the example pack's cases take every branch


def test_every_builtin_rule_is_decided_by_some_case() -> None:
    report = check_rule_tests(builtin_test_paths(), coverage=True)
    undecided = [r.id for r in report.coverage.rules if not r.exercised]
    assert not undecided, undecided
    assert 0 < report.coverage.percent() < 100


def test_cli_text_threshold_and_json(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--coverage", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "coverage report (rules exercised; branches of assert, when and its conditions):" in out
    assert "pack.rules: 2/3 rules exercised, branches 7/12 (58.3%)" in out
    assert "G-003:9: no case names it" in out and "G-002:6: assert: never failed" in out
    assert main(["test", "--threshold", "60", str(pack)]) == 1
    assert "coverage 58.3% is below the threshold 60%" in capsys.readouterr().out
    assert main(["test", "--threshold", "58", str(pack)]) == 0
    capsys.readouterr()
    assert main(["test", "--coverage", "--format", "json", str(pack)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "juesuan.test/1" and data["summary"]["failed"] == 0
    (entry,) = data["coverage"]["files"].values()
    assert entry["covered_lines"] == [[1, 4], [6, 7]] and entry["not_covered_lines"] == [[9, 10]]
    assert entry["rules"][0]["branches"][0] == {"kind": "assert", "line": 1, "column": 1,
                                                "source": "三公经费.公务接待费.增减额 <= 1", "held": True,
                                                "failed": False}
    assert data["coverage"]["coverage"] == 58.33
    assert main(["test", "--threshold", "120", str(pack)]) == 2
    assert "--threshold 120" in capsys.readouterr().err
