"""Regression: every real inconsistency of the shared example disclosure, verified by hand, and nothing else.

Each entry was checked against the document (line numbers are the file's):

- 25   “本年本年” typed twice.
- 72   the three “三公” shares 59.87% + 36.64% + 3.46% = 99.97%; three 2-decimal shares cannot make 100%.
- 148  overall self-assessment text: 外贸进出口总额 “同比增长20.9%”, the indicator table and the narrative say 20.7%.
- 171/175  社会消费品零售总额 growth target ≥8%, actual 0.8%: scored 0.2 of 20 (proportional scoring gives 2),
       and the missed target has no deviation analysis.
- 243  租赁公务用车: outcome text “安全行程公里数15000公里”, the table's actual is =10000公里.
- 267  租赁新能源车: target ≥1辆, actual “=1%”: units differ.
- 770/771  展会证件办理数量: target >100个, actual =100个 (not met) yet full score, no deviation analysis.
- 1248 项目前期费: goal text “至少完成2套”, the indicator target is =1套.
- 1455 尾款支付完成时间: outcome text 2024年8月30日, the table's actual 2024年8月15日.
- 1569 纠纷发生率: target =0%, actual “达到预期指标” (no figure).
- 1776/1777 电商人才交流培训经费: cost ceiling ≤32.28万元 met with 31.5万元, so 100%, not 98%; 9.5 ≠ 10 × 98%.
- 1967/1968 培训完成时间: deadline 2024年10月30日前, done 2024年12月10 — missed, yet 100% and full score.
- 2293 活动参与人员满意度: ≥90%, actual 100% → 111%, stated 105%.
- 2424/2425 组织参展企业数: ≥30家, actual 35家 → 116.67% rounds to 117%, stated 116%; 4.2 ≠ 5 × 100%.
- 2783/2792 机关运行补助经费: 当年财政拨款 执行数 34.03 exceeds the total 34.02 and its own budget 34.02.
- 2881/2882 目标完成率: ≥90%, actual 100% → 111%, stated 105%; 4.75 ≠ 5.
- 2907 “[bookmark: _GoBack]” left in an indicator name.
- 23/24/29 name 使用非财政拨款结余, 结余分配, 上缴上级支出 only as 0.00万元 categories, which asks no glossary
  entry of them (GLO-002 stays silent).

Everything else reconciles within rounding (e.g. 516.40 + 37.09 vs 553.48; 三公 23.68 + 14.49 + 1.37 vs 39.55;
the 类 shares summing to 100.00%; 一般公共服务支出 5,166.70 vs its 项 summing to 5,166.71) and must stay silent.
"""

from __future__ import annotations

import json

import pytest

from checker.cli import main

EXPECTED = {
    ("TXT-001", 25), ("PCT-004", 72),
    ("PERF-017", 148), ("PERF-016", 171), ("PERF-015", 175), ("PERF-017", 243), ("PERF-013", 267),
    ("PERF-016", 770), ("PERF-012", 771), ("PERF-018", 1248), ("PERF-017", 1455), ("PERF-013", 1569),
    ("PERF-011", 1776), ("PERF-014", 1777), ("PERF-011", 1967), ("PERF-016", 1967), ("PERF-012", 1968),
    ("PERF-011", 2293), ("PERF-011", 2424), ("PERF-014", 2425), ("PERF-005", 2783), ("PERF-002", 2792),
    ("PERF-011", 2881), ("PERF-014", 2882), ("TXT-002", 2907),
}


@pytest.fixture(scope="module")
def report(seed_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "report.json"
    status = main(["check", str(seed_path), "--format", "json", "-o", str(out)])
    return status, json.loads(out.read_text(encoding="utf-8"))


def test_exit_status_reports_errors(report):
    status, _ = report
    assert status == 1


def test_every_real_inconsistency_and_nothing_else(report):
    _, data = report
    found = {(f["rule"], f["locations"][0]["line"]) for f in data["documents"][0]["findings"]}
    assert found == EXPECTED
    assert len(EXPECTED) > 12


def test_findings_quote_figures_and_expected_values(report):
    _, data = report
    findings = {(f["rule"], f["locations"][0]["line"]): f for f in data["documents"][0]["findings"]}
    shares = findings[("PCT-004", 72)]
    assert [loc["text"] for loc in shares["locations"]] == ["59.87%", "36.64%", "3.46%"]
    assert shares["expected"] == "100.00%" and shares["difference"] == "-0.03%"
    over = findings[("PERF-002", 2792)]
    assert "34.03" in over["message"] and "34.02" in over["message"]
    rate = findings[("PERF-011", 2293)]
    assert "111.11%" in rate["message"]


def test_nothing_is_left_unevaluated_for_lack_of_extraction(report):
    _, data = report
    national = [n for n in data["documents"][0]["not_evaluated"] if not n["rule"].startswith("TAB")]
    assert national == []
