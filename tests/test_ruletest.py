"""Rule tests (`X.tests.toml` beside `X.rules`): verdicts, value parsing, coverage, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.ruletest import (
    RuleTestError,
    builtin_test_paths,
    check_rule_tests,
    examples_for,
    load_cases,
    run_rule_tests,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "rules"

RULES = '''\
定义 三公合计 = 三公经费.因公出国费 + 三公经费.公务用车购置及运行维护费 + 三公经费.公务接待费

#: The “三公” total equals the sum of its parts.
rule T-001 "“三公”经费合计等于分项之和"
  cite "部门决算公开模板 第二部分 九"
  assert 三公经费.合计 == 三公合计
  message "“三公”经费合计 {left} 万元，分项之和 {right} 万元"

rule T-002 "类合计为正"
  severity warning
  for each 类 in 一般公共预算.类
  assert 类.决算数 > 0
  message "{类.类} 合计 {left}"
'''

SANGONG = '''
九、财政拨款“三公”经费支出决算情况说明
2024年度财政拨款“三公”经费支出{total}万元。其中：因公出国（境）费23.68万元，公务用车购置及运行维护费10.00万元，公务接待费5.87万元。
'''

TESTS = f'''
[[case]]
name = "合计一致"
rules = ["T-001"]
expect = "pass"
document = """{SANGONG.format(total="39.55")}"""

[[case]]
name = "合计不一致"
rules = "T-001"
expect = "fail"
expect_count = 1
expect_message = "分项之和 39.55"
document = """{SANGONG.format(total="39.65")}"""

[[case]]
name = "缺少接待费"
rules = ["T-001"]
expect = "not-evaluated"
expect_message = "三公经费.公务接待费"
facts = [{{name = "三公经费.合计", value = "39.55万元"}}, {{name = "三公经费.因公出国费", value = "23.68万元"}},
         {{name = "三公经费.公务用车购置及运行维护费", value = "10.00万元"}}]

[[case]]
name = "类为正"
rules = ["T-002"]
expect = "pass"
facts = [{{name = "一般公共预算.类.决算数", value = "120.00万元", dims = {{"类" = "教育支出"}}}}]

[[case]]
name = "类为零"
rules = ["T-002"]
expect = "fail"
expect_count = 2
facts = [{{name = "一般公共预算.类.决算数", value = "-1.00万元", dims = {{"类" = "教育支出"}}}},
         {{name = "一般公共预算.类.决算数", value = "-2.00万元", dims = {{"类" = "卫生健康支出"}}}}]
'''


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    (tmp_path / "pack.rules").write_text(RULES, encoding="utf-8")
    (tmp_path / "pack.tests.toml").write_text(TESTS, encoding="utf-8")
    return tmp_path


def test_verdicts_of_document_and_fact_cases(pack: Path) -> None:
    results = run_rule_tests([pack])
    assert [(r.case.name, r.rule_id, r.got, r.ok) for r in results] == [
        ("合计一致", "T-001", "pass", True),
        ("合计不一致", "T-001", "fail", True),
        ("缺少接待费", "T-001", "not-evaluated", True),
        ("类为正", "T-002", "pass", True),
        ("类为零", "T-002", "fail", True),
    ]
    assert results[0].render() == "PASS pack.tests.toml:合计一致 T-001 (pass)"


def test_a_wrong_expectation_fails_with_the_findings_messages(pack: Path) -> None:
    tests = TESTS.replace('name = "合计不一致"\nrules = "T-001"\nexpect = "fail"',
                          'name = "合计不一致"\nrules = "T-001"\nexpect = "pass"')
    (pack / "pack.tests.toml").write_text(tests, encoding="utf-8")
    failed = [r for r in run_rule_tests([pack / "pack.tests.toml"]) if not r.ok]
    assert len(failed) == 1
    text = failed[0].render()
    assert text.startswith("FAIL pack.tests.toml:合计不一致 T-001 expected pass got fail")
    assert "| “三公”经费合计 39.65 万元，分项之和 39.55 万元" in text


def test_count_and_message_expectations_are_checked(pack: Path) -> None:
    tests = TESTS.replace("expect_count = 2", "expect_count = 1").replace('"分项之和 39.55"', '"不存在的文字"')
    (pack / "pack.tests.toml").write_text(tests, encoding="utf-8")
    failed = {r.case.name: r for r in run_rule_tests([pack]) if not r.ok}
    assert set(failed) == {"合计不一致", "类为零"}
    assert failed["类为零"].problems == ("expected 1 finding(s), got 2",)
    assert failed["类为零"].got == "fail"
    assert "no message contains '不存在的文字'" in failed["合计不一致"].render()


def test_not_applicable_when_the_guard_is_false(tmp_path: Path) -> None:
    (tmp_path / "g.rules").write_text(
        'rule G-001 "车辆数不一致应说明原因"\n  when 三公经费.公务用车保有量 != 国有资产.车辆\n'
        '  assert reason(三公经费.公务用车保有量)\n', encoding="utf-8")
    (tmp_path / "g.tests.toml").write_text(
        '[[case]]\nrules = ["G-001"]\nexpect = "not-applicable"\n'
        'facts = [{name = "三公经费.公务用车保有量", value = "3辆"}, {name = "国有资产.车辆", value = "3辆"}]\n'
        '[[case]]\nrules = ["G-001"]\nexpect = "fail"\n'
        'facts = [{name = "三公经费.公务用车保有量", value = "3辆"}, {name = "国有资产.车辆", value = "4辆"}]\n',
        encoding="utf-8")
    results = run_rule_tests([tmp_path / "g.rules"])
    assert [(r.case.name, r.got, r.ok) for r in results] == [("case 1", "not-applicable", True),
                                                           ("case 2", "fail", True)]


def test_coverage_reports_rules_without_a_passing_or_failing_case(pack: Path) -> None:
    (pack / "pack.rules").write_text(RULES + '\nrule T-003 "收入合计为正"\n  assert 收入.本年收入合计 > 0\n',
                                     encoding="utf-8")
    report = check_rule_tests([pack])
    assert [(g.rule_id, g.missing) for g in report.gaps] == [("T-003", ("pass", "fail"))]
    assert report.gaps[0].render() == (f"{pack / 'pack.rules'}:15: T-003 has no case expecting pass "
                                       "and no case expecting fail")
    assert report.summary() == "5 passed, 0 failed; 1 rule not fully covered"


def test_rules_of_imported_files_are_not_counted_against_the_importer(pack: Path) -> None:
    (pack / "more.rules").write_text('import "pack.rules"\n', encoding="utf-8")
    report = check_rule_tests([pack / "more.rules"])
    assert report.results == [] and report.gaps == []


def test_a_rule_file_without_tests_has_every_rule_uncovered(tmp_path: Path) -> None:
    (tmp_path / "lone.rules").write_text(RULES, encoding="utf-8")
    report = check_rule_tests([tmp_path])
    assert [g.rule_id for g in report.gaps] == ["T-001", "T-002"]


@pytest.mark.parametrize(("tests", "message"), [
    ('[[case]]\nrules = ["T-001"]\nexpect = "passes"\nfacts = []\n', "expect must be one of pass, fail"),
    ('[[case]]\nrules = ["T-001"]\nexpect = "pass"\n', "give exactly one of document"),
    ('[[case]]\nrules = []\nexpect = "pass"\nfacts = []\n', "rules must name the rule(s)"),
    ('[[case]]\nrules = ["T-001"]\nexpect = "pass"\nfacts = []\nexpected_count = 1\n',
     "unknown key 'expected_count'; did you mean `expect_count`"),
    ('[[case]]\nrules = ["T-01"]\nexpect = "pass"\nfacts = []\n', "unknown rule T-01; did you mean `T-001`"),
    ('[[case]]\nrules = ["T-001"]\nexpect = "pass"\nfacts = [{name = "三公经费.合计", value = "很多"}]\n',
     "'很多' is not a figure"),
    ('[[cases]]\nrules = ["T-001"]\n', "unknown top-level key(s) cases"),
    ('[[case]\n', "invalid TOML"),
])
def test_malformed_tests_files_are_errors(pack: Path, tests: str, message: str) -> None:
    (pack / "pack.tests.toml").write_text(tests, encoding="utf-8")
    with pytest.raises(RuleTestError) as info:
        run_rule_tests([pack])
    assert message in str(info.value)


def test_fact_values_follow_the_kind_of_their_name(tmp_path: Path) -> None:
    (tmp_path / "k.rules").write_text(
        'rule K-001 "指标达成"\n  for each 指标 in 绩效.指标\n  assert met(指标.实际值, 指标.目标值)\n'
        'rule K-002 "方向与增减额一致"\n  assert 三公经费.公务接待费.方向 == sign(三公经费.公务接待费.增减额)\n',
        encoding="utf-8")
    (tmp_path / "k.tests.toml").write_text('''
[[case]]
rules = ["K-001"]
expect = "pass"
facts = [{name = "绩效.指标.目标值", value = ">=30家", dims = {"项目" = "招商", "指标" = "引进企业数"}},
         {name = "绩效.指标.实际值", value = "32家", dims = {"项目" = "招商", "指标" = "引进企业数"}}]
[[case]]
rules = ["K-001"]
expect = "fail"
facts = [{name = "绩效.指标.目标值", value = "≤1辆", dims = {"项目" = "车辆", "指标" = "购置数"}},
         {name = "绩效.指标.实际值", value = "2辆", dims = {"项目" = "车辆", "指标" = "购置数"}}]
[[case]]
rules = ["K-002"]
expect = "fail"
facts = [{name = "三公经费.公务接待费.方向", value = "增加"},
         {name = "三公经费.公务接待费.增减额", value = "-1.20万元"}]
[[case]]
rules = ["K-002"]
expect = "pass"
facts = [{name = "三公经费.公务接待费.方向", value = "减少"},
         {name = "三公经费.公务接待费.增减额", value = "-1.20万元"}]
''', encoding="utf-8")
    report = check_rule_tests([tmp_path])
    assert [(r.rule_id, r.got) for r in report.results] == [("K-001", "pass"), ("K-001", "fail"),
                                                           ("K-002", "fail"), ("K-002", "pass")]
    assert all(r.ok for r in report.results) and report.gaps == []


def test_examples_for_a_rule(pack: Path) -> None:
    passes, fails = examples_for("T-001", pack / "pack.rules")
    assert [c.name for c in passes] == ["合计一致"]
    assert [c.name for c in fails] == ["合计不一致"]
    assert fails[0].example().startswith("九、财政拨款“三公”经费支出决算情况说明")
    assert load_cases(pack / "pack.tests.toml")[2].example().splitlines()[0] == "三公经费.合计 = 39.55万元"


def test_cli_exit_codes(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(pack)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("5 passed, 0 failed\n")

    (pack / "extra.rules").write_text('rule T-009 "x"\n  assert 收入.本年收入合计 > 0\n', encoding="utf-8")
    assert main(["test", str(pack)]) == 0  # coverage gaps are reported ...
    assert "T-009 has no case expecting pass and no case expecting fail" in capsys.readouterr().out
    assert main(["test", "--strict", str(pack)]) == 1  # ... and fail only with --strict
    capsys.readouterr()
    (pack / "extra.rules").unlink()

    (pack / "pack.tests.toml").write_text(TESTS.replace('expect = "not-evaluated"', 'expect = "pass"'),
                                          encoding="utf-8")
    assert main(["test", "-q", str(pack)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("FAIL pack.tests.toml:缺少接待费 T-001 expected pass got not-evaluated")
    assert "PASS" not in out
    assert out.endswith("4 passed, 1 failed\n")

    (pack / "pack.rules").write_text(RULES.replace("三公经费.合计 ==", "三公经费.总计 =="), encoding="utf-8")
    assert main(["test", str(pack)]) == 2
    assert "unknown name 三公经费.总计" in capsys.readouterr().err

    assert main(["test", str(pack / "nothing.tests.toml")]) == 2
    assert "no such tests file" in capsys.readouterr().err


def test_extra_vocabulary_files(pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vocab = tmp_path / "region.toml"
    vocab.write_text('[schema.scalars]\n"地方.专项资金" = "money"\n', encoding="utf-8")
    (pack / "local.rules").write_text('rule L-001 "专项资金为正"\n  assert 地方.专项资金 > 0\n', encoding="utf-8")
    (pack / "local.tests.toml").write_text(
        '[[case]]\nrules = ["L-001"]\nexpect = "pass"\nfacts = [{name = "地方.专项资金", value = "3.00万元"}]\n'
        '[[case]]\nrules = ["L-001"]\nexpect = "fail"\nfacts = [{name = "地方.专项资金", value = "-1.00万元"}]\n',
        encoding="utf-8")
    assert main(["test", str(pack / "local.rules")]) == 2
    assert "unknown name 地方.专项资金" in capsys.readouterr().err
    assert main(["test", "--strict", "--vocabulary", str(vocab), str(pack / "local.rules")]) == 0


def test_the_example_pack_is_fully_tested() -> None:
    report = check_rule_tests([EXAMPLES])
    assert report.results and not report.failed, "\n".join(r.render() for r in report.failed)
    assert report.gaps == []


def test_builtin_rule_packs_pass_their_tests() -> None:
    report = check_rule_tests(builtin_test_paths())
    assert not report.failed, "\n".join(r.render() for r in report.failed)
