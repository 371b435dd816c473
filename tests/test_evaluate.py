"""The interpreter on hand-built facts: every construct, not-evaluated cases, findings and traces."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.evaluate import Context, evaluate, evaluate_rule
from checker.facts.model import Fact, FactSet
from checker.model import Document, Location, Paragraph, Section
from checker.quantity import DateValue, Direction, Quantity, Target
from dsl import Schema, compile_text

SCHEMA = Schema(
    scalars={"基本支出": "money", "人员经费": "money", "公用经费": "money", "收入.财政拨款收入.占比": "percent",
             "收入.其他收入.占比": "percent", "收入.事业收入.占比": "percent", "财政拨款.年初预算数": "money",
             "财政拨款.决算数": "money", "财政拨款.预决算差异率": "percent", "公务用车.保有量": "count",
             "国有资产.车辆数": "count", "公务用车.保有量.原因": "text", "报告日期": "date", "截止日期": "date",
             "项目.目标": "target", "项目.实际": "number", "基本支出.原因": "text"},
    collections={"一般公共预算.项": {"决算数": "money", "增减额": "money", "增减率": "percent",
                                    "方向": "direction", "原因": "text", "类": "text", "项": "text"},
                 "名词解释": {"定义": "text", "术语": "text"}})


def q(text: str, unit: str = "万元") -> Quantity:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Quantity(Decimal(text), decimals, unit, text + unit)


def fact(name: str, value, line: int, dims=(), source: str = "") -> Fact:
    return Fact(name, value, Location(line=line, column=1), source or f"{name} {getattr(value, 'text', value)}", dims)


def item(line: int, cls: str, name: str, amount: str, change: str, rate: str, direction: tuple | None = None,
         reason: str | None = None) -> list[Fact]:
    dims = (("类", cls), ("项", name))
    out = [fact("一般公共预算.项.决算数", q(amount), line, dims), fact("一般公共预算.项.增减额", q(change), line, dims),
           fact("一般公共预算.项.增减率", q(rate, "%"), line, dims)]
    if direction:
        out.append(fact("一般公共预算.项.方向", Direction(*direction), line, dims))
    if reason:
        out.append(fact("一般公共预算.项.原因", reason, line, dims))
    return out


BASE = [fact("基本支出", q("553.48"), 1, source="基本支出553.48万元"), fact("人员经费", q("516.40"), 2),
        fact("公用经费", q("37.09"), 3)]
ITEMS = (item(10, "一般公共服务支出", "行政运行", "354.75", "-21.03", "-5.60", (-1, "减少"), "人员调动")
         + item(11, "一般公共服务支出", "一般行政管理事务", "160.50", "160.50", "100.00", (1, "增加"))
         + item(12, "卫生健康支出", "行政单位医疗", "22.75", "10.02", "78.00", (-1, "减少")))


def run(rules: str, facts: list[Fact], document: Document | None = None):
    program = compile_text(rules, "t.rules", SCHEMA)
    return evaluate(program, Context(FactSet(facts), document))


def test_parts_reconcile_within_rounding_and_finding_has_evidence():
    rules = ('rule JB-001 "基本支出等于人员经费加公用经费"\n  cite "模板 六"\n'
             "  assert 基本支出 == 人员经费 + 公用经费\n"
             '  message "基本支出 {left} 万元，人员经费与公用经费之和 {right} 万元，相差 {difference}"\n')
    assert run(rules, BASE).passed == ["JB-001"]
    off = [fact("基本支出", q("553.40"), 1, source="基本支出553.40万元"), *BASE[1:]]
    result = run(rules, off)
    (finding,) = result.findings
    assert finding.message == "基本支出 553.40 万元，人员经费与公用经费之和 553.49 万元，相差 -0.09"
    assert (finding.expected, finding.difference, finding.citation) == ("553.49", "-0.09", "模板 六")
    assert finding.values == (("基本支出", "553.40万元"), ("人员经费", "516.40万元"), ("公用经费", "37.09万元"))
    assert [e.location.line for e in finding.locations] == [1, 2, 3]
    assert finding.locations[0].source == "基本支出553.40万元"
    explained = finding.explain()
    assert "人员经费 + 公用经费 = 553.49" in explained and "  人员经费 = 516.40万元  @ 2:1" in explained


def test_percentages_must_sum_to_100():
    rules = ('rule SR-002 "收入占比合计100%"\n'
             "  assert 收入.财政拨款收入.占比 + 收入.事业收入.占比 + 收入.其他收入.占比 == 100%\n")
    def shares(a: str, b: str, c: str) -> list[Fact]:
        return [fact("收入.财政拨款收入.占比", q(a, "%"), 1), fact("收入.事业收入.占比", q(b, "%"), 2),
                fact("收入.其他收入.占比", q(c, "%"), 3)]

    assert run(rules, shares("97.93", "0.00", "2.07")).passed == ["SR-002"]
    (finding,) = run(rules, shares("33.32", "33.32", "33.33")).findings
    assert (finding.expected, finding.difference) == ("100.00%", "-0.03%")


def test_variance_rate_through_input_intervals():
    rules = ('rule CY-001 "预决算差异率"\n'
             "  assert 财政拨款.预决算差异率 == (财政拨款.决算数 - 财政拨款.年初预算数) / 财政拨款.年初预算数\n")
    facts = [fact("财政拨款.年初预算数", q("548.54"), 1), fact("财政拨款.决算数", q("16737.76"), 1),
             fact("财政拨款.预决算差异率", q("2951.33", "%"), 1)]
    assert run(rules, facts).passed == ["CY-001"]
    facts[2] = fact("财政拨款.预决算差异率", q("2951.00", "%"), 1)
    (finding,) = run(rules, facts).findings
    assert finding.expected == "2951.33%"


def test_division_by_zero_is_not_evaluated():
    rules = 'rule CY-001 "差异率"\n  assert 财政拨款.预决算差异率 == 财政拨款.决算数 / 财政拨款.年初预算数\n'
    facts = [fact("财政拨款.年初预算数", q("0.00"), 1), fact("财政拨款.决算数", q("5.00"), 1),
             fact("财政拨款.预决算差异率", q("0.00", "%"), 1)]
    result = run(rules, facts)
    (ne,) = result.not_evaluated
    assert ne.reason == "division by zero: 财政拨款.年初预算数 = 0.00" and not result.passed and not result.findings


def test_missing_fact_is_not_evaluated_never_passed():
    result = run('rule JB-001 "t"\n  assert 基本支出 == 人员经费 + 公用经费\n', BASE[:2])
    (ne,) = result.not_evaluated
    assert ne.missing == ("公用经费",) and ne.reason == "missing 公用经费"
    assert result.passed == [] and result.findings == []


def test_for_each_gives_one_finding_per_failing_record():
    rules = ('rule YS-001 "增减率"\n  for each 项 in 一般公共预算.项\n'
             "  assert 项.增减率 == growth_rate(项.增减额, 项.决算数 - 项.增减额)\n"
             '  message "{项.项}：增减率 {left}，应为 {right}"\n')
    result = run(rules, ITEMS)
    (finding,) = result.findings
    assert finding.message == "行政单位医疗：增减率 78.00%，应为 78.71%"
    assert finding.record == (("类", "卫生健康支出"), ("项", "行政单位医疗"))
    assert finding.locations[0].location.line == 12


def test_new_item_is_reported_as_growth_100_percent():
    rules = ('rule YS-001 "t"\n  for each 项 in 一般公共预算.项\n  when 项.项 == "一般行政管理事务"\n'
             "  assert 项.增减率 == growth_rate(项.增减额, 项.决算数 - 项.增减额)\n")
    assert run(rules, ITEMS).passed == ["YS-001"]


def test_direction_word_agrees_with_the_sign():
    rules = 'rule YS-002 "方向"\n  对每个 项 属于 一般公共预算.项\n  断言 项.方向 == sign(项.增减额)\n'
    (finding,) = run(rules, ITEMS).findings
    assert finding.record[1] == ("项", "行政单位医疗")
    assert finding.expected == "增加"


def test_for_each_over_no_records_is_not_evaluated():
    result = run('rule YS-001 "t"\n  for each 项 in 一般公共预算.项\n  assert 项.决算数 >= 0\n', BASE)
    (ne,) = result.not_evaluated
    assert ne.reason == "no records of 一般公共预算.项"


def test_sum_over_a_filtered_collection():
    implicit = ('rule YS-003 "类合计"\n'
                '  assert sum(一般公共预算.项.决算数 where 一般公共预算.项.类 == "一般公共服务支出") == 515.25\n')
    explicit = ('rule YS-003 "类合计"\n  assert sum(项.决算数 for each 项 in 一般公共预算.项 '
                'where 项.类 == "一般公共服务支出") == 515.25\n')
    assert run(implicit, ITEMS).passed == ["YS-003"]
    assert run(explicit, ITEMS).passed == ["YS-003"]
    (finding,) = run(implicit.replace("515.25", "515.00"), ITEMS).findings
    assert [e.location.line for e in finding.locations] == [10, 11]


def test_missing_field_inside_an_aggregation_is_reported():
    facts = [f for f in ITEMS if not (f.name.endswith("决算数") and f.location.line == 11)]
    result = run('rule YS-003 "t"\n  assert sum(一般公共预算.项.决算数) > 0\n', facts)
    (ne,) = result.not_evaluated
    assert ne.missing == ("一般公共预算.项.决算数[一般公共服务支出/一般行政管理事务]",)


def test_count_min_max_all_any():
    rules = ('rule A-1 "t"\n  assert count(一般公共预算.项) == 3 and max(一般公共预算.项.决算数) == 354.75 '
             "and min(一般公共预算.项.决算数) == 22.75 and any(项.增减额 < 0 for each 项 in 一般公共预算.项) "
             "and not all(项.增减额 < 0 for each 项 in 一般公共预算.项) "
             "and count(项 for each 项 in 一般公共预算.项 where 项.增减额 > 0) == 2\n")
    assert run(rules, ITEMS).passed == ["A-1"]


def test_when_guard_false_means_not_applicable():
    rules = ('rule CL-001 "车辆数差异需说明原因"\n  when 公务用车.保有量 != 国有资产.车辆数\n'
             "  assert reason(公务用车.保有量)\n")
    same = [fact("公务用车.保有量", q("3", "辆"), 1), fact("国有资产.车辆数", q("3", "辆"), 2)]
    result = run(rules, same)
    assert result.not_applicable == ["CL-001"] and not result.passed
    differ = [fact("公务用车.保有量", q("3", "辆"), 1), fact("国有资产.车辆数", q("4", "辆"), 2)]
    (finding,) = run(rules, differ).findings
    assert finding.rule_id == "CL-001"
    explained = [*differ, fact("公务用车.保有量.原因", "车辆报废", 3)]
    assert run(rules, explained).passed == ["CL-001"]


def test_reason_and_exists_per_record():
    rules = ('rule YS-004 "变动需说明原因"\n  for each 项 in 一般公共预算.项\n'
             "  when abs(项.增减额) > 0\n  assert reason(项) and exists(项.增减率)\n")
    result = run(rules, ITEMS)
    assert [f.record[1][1] for f in result.findings] == ["一般行政管理事务", "行政单位医疗"]


def test_glossary_terms_from_facts_and_from_the_document():
    rules = 'rule MC-001 "名词解释"\n  for each 术语 in ["基本支出", "项目支出"]\n  assert defined(术语)\n' \
            '  message "名词解释缺少 {术语}"\n'
    glossary = [fact("名词解释.定义", "指……", 1, (("术语", "基本支出"),))]
    (finding,) = run(rules, glossary).findings
    assert finding.message == "名词解释缺少 项目支出"
    doc = Document("d.txt", "text", [Paragraph("1.基本支出：指……", Location(line=5)),
                                     Paragraph("2.项目支出：指……", Location(line=6))],
                   Section("", None, None, 0, None))
    assert run(rules, [], doc).passed == ["MC-001"]
    assert run(rules, []).not_evaluated[0].missing == ("名词解释",)


def test_mentions_searches_the_document_and_sections():
    heading = Paragraph("第三部分 名词解释", Location(line=1))
    inner = Paragraph("本部门无政府性基金预算财政拨款收入", Location(line=2))
    root = Section("", None, None, 0, None)
    part = Section("第三部分 名词解释", "第三部分", "part", 1, heading, [inner], parent=root)
    root.children.append(part)
    doc = Document("d.txt", "text", [heading, inner], root)
    rules = ('rule ZF-001 "t"\n  assert mentions("无政府性基金") and mentions("无 政府性基金", "名词解释") '
             'and not mentions("无政府性基金", "第一部分")\n')
    assert run(rules, [], doc).passed == ["ZF-001"]
    assert run(rules, []).not_evaluated[0].missing == ("document",)


def test_consistent_checks_every_occurrence():
    rules = 'rule SZ-001 "同一数字处处一致"\n  assert consistent(基本支出)\n'
    twice = [fact("基本支出", q("553.48"), 1), fact("基本支出", q("553.48"), 40)]
    assert run(rules, twice).passed == ["SZ-001"]
    differ = [fact("基本支出", q("553.48"), 1), fact("基本支出", q("535.48"), 40)]
    (finding,) = run(rules, differ).findings
    assert [e.location.line for e in finding.locations] == [1, 40]


def test_dates_and_targets():
    rules = ('rule JX-001 "t"\n  assert 报告日期 <= 截止日期 and 报告日期 > 2024年1月1日\n'
             'rule JX-002 "t"\n  assert met(项目.实际, 项目.目标)\n')
    facts = [fact("报告日期", DateValue(2024, 12, 10, "2024年12月10日"), 1),
             fact("截止日期", DateValue(2024, 12, 20, "2024年12月20日"), 2),
             fact("项目.目标", Target(">=", q("30", "家"), ">=30家"), 3), fact("项目.实际", q("32", "家"), 3)]
    assert run(rules, facts).passed == ["JX-001", "JX-002"]
    facts[3] = fact("项目.实际", q("29", "家"), 3)
    assert [f.rule_id for f in run(rules, facts).findings] == ["JX-002"]


def test_explicit_tolerances():
    rules = 'rule T-1 "t"\n  assert 基本支出 == 550 within {tol}\n'
    assert run(rules.format(tol="3.5"), BASE).passed == ["T-1"]
    assert run(rules.format(tol="3"), BASE).findings
    assert run(rules.format(tol="1%"), BASE).passed == ["T-1"]
    pct_rule = 'rule T-2 "t"\n  assert 收入.财政拨款收入.占比 == 98% within 0.1\n'
    share = [fact("收入.财政拨款收入.占比", q("97.93", "%"), 1)]
    assert run(pct_rule, share).passed == ["T-2"]
    assert run(pct_rule.replace("0.1", "0.01"), share).findings


def test_derived_values_are_shared_and_traced():
    rules = ("let 基本合计 = 人员经费 + 公用经费\n"
             'rule JB-001 "t"\n  assert 基本支出 == 基本合计\nrule JB-002 "t"\n  assert 基本合计 > 500\n')
    program = compile_text(rules, "t.rules", SCHEMA)
    outcome = evaluate_rule(program, "JB-001", Context(FactSet(BASE)))
    assert outcome.passed
    assert "基本合计 = 553.49" in outcome.explanations[0].render()


def test_findings_are_in_rule_then_document_order():
    rules = ('rule B-1 "t"\n  for each 项 in 一般公共预算.项\n  assert 项.决算数 > 1000\n'
             'rule A-1 "t"\n  assert 基本支出 > 1000\n')
    result = run(rules, [*BASE, *ITEMS])
    assert [(f.rule_id, f.locations[0].location.line) for f in result.findings] == [
        ("B-1", 10), ("B-1", 11), ("B-1", 12), ("A-1", 1)]


@pytest.mark.parametrize("unit, expected", [("元", "0.06"), ("亿元", "50,000.00")])
def test_money_is_normalised_to_wanyuan(unit, expected):
    facts = [fact("基本支出", q("553.48", unit), 1), fact("人员经费", q("0.00"), 2), fact("公用经费", q("0.00"), 3)]
    result = run('rule A-1 "t"\n  assert 基本支出 == 人员经费 + 公用经费 + 50000\n', facts)
    (finding,) = result.findings
    assert finding.expected == "50,000.00"
    assert finding.difference is not None and (expected == "50,000.00" or finding.difference.startswith("-"))


# ---- filters inside loops: the records a filter may keep are found by index, with the same outcome

TREE = Schema(collections={"表.科目": {"决算数": "money", "级次": "text", "类": "text", "款": "text",
                                     "编码": "text", "科目名称": "text"}})
TREE_RULE = '''rule T-001 "类、款等于所属下级科目之和"
  for each t in 表.科目
  when t.级次 != "项"
  assert t.决算数 == sum(或零(s.决算数) for each s in 表.科目
                        where (t.级次 == "类" and s.级次 == "款" and s.类 == t.科目名称)
                           or (t.级次 == "款" and s.级次 == "项" and s.款 == t.科目名称 and s.类 == t.类))
'''


def tree_row(line: int, code: str, name: str, level: str, amount: str, cls: str = "", kuan: str = "") -> list[Fact]:
    dims = (("编码", code), ("科目名称", name))
    out = [fact("表.科目.决算数", q(amount), line, dims), fact("表.科目.级次", level, line, dims)]
    out += [fact("表.科目.类", cls, line, dims)] if cls else []
    out += [fact("表.科目.款", kuan, line, dims)] if kuan else []
    return out


TREE_ROWS = (tree_row(1, "201", "一般公共服务支出", "类", "30.00", "一般公共服务支出")
             + tree_row(2, "20101", "人大事务", "款", "10.00", "一般公共服务支出", "人大事务")
             + tree_row(3, "2010101", "行政运行", "项", "10.00", "一般公共服务支出", "人大事务")
             + tree_row(4, "20103", "政府办公厅", "款", "21.00", "一般公共服务支出", "政府办公厅")
             + tree_row(5, "2010301", "行政运行", "项", "20.00", "一般公共服务支出", "政府办公厅")
             + tree_row(6, "208", "社会保障和就业支出", "类", "5.00", "社会保障和就业支出")
             + tree_row(7, "20805", "行政事业单位养老支出", "款", "5.00", "社会保障和就业支出", "行政事业单位养老支出")
             + tree_row(8, "2080501", "行政单位离退休", "项", "5.00", "社会保障和就业支出", "行政事业单位养老支出"))


def tree_outcome(facts: list[Fact]):
    result = evaluate(compile_text(TREE_RULE, "t.rules", TREE), Context(FactSet(facts), None))
    return (sorted((dict(f.record)["编码"], f.values) for f in result.findings),
            sorted(dict(n.record)["编码"] for n in result.not_evaluated))


def test_tree_sums_with_indexed_filters_match_the_unindexed_evaluation(monkeypatch):
    findings, not_evaluated = tree_outcome(TREE_ROWS)
    # 201 = 10 + 21 ≠ 30; 20103 = 20 ≠ 21; 20101 and 208 reconcile
    assert [code for code, _ in findings] == ["201", "20103"] and not_evaluated == []
    from checker.evaluate import Interpreter

    monkeypatch.setattr(Interpreter, "_candidates", lambda self, expr, condition, records: None)
    assert tree_outcome(TREE_ROWS) == (findings, not_evaluated)


def test_a_record_missing_a_filtered_field_is_still_judged_by_the_filter(monkeypatch):
    # the 款 row 20805 has no 级次: the filter cannot be decided for it, so the 类 row 208 is not evaluated
    rows = [f for f in TREE_ROWS if not (f.name == "表.科目.级次" and dict(f.dims)["编码"] == "20805")]
    indexed = tree_outcome(rows)
    assert "208" in indexed[1]
    from checker.evaluate import Interpreter

    monkeypatch.setattr(Interpreter, "_candidates", lambda self, expr, condition, records: None)
    assert tree_outcome(rows) == indexed


# ---- what a fix suggestion evaluates with: one case at a time, its comparisons, facts with a figure changed

PROBE_RULES = ('rule JB-001 "基本支出等于人员经费加公用经费"\n  assert 基本支出 == 人员经费 + 公用经费\n'
               'rule YS-001 "增减率"\n  for each 项 in 一般公共预算.项\n'
               '  assert 项.增减率 == 项.增减额 / (项.决算数 - 项.增减额)\n')


def test_probe_gives_one_case_and_the_values_its_comparison_compared():
    from checker.evaluate import RuleRunner

    program = compile_text(PROBE_RULES, "t.rules", SCHEMA)
    facts = [fact("基本支出", q("553.48"), 1), fact("人员经费", q("516.40"), 2), fact("公用经费", q("47.09"), 3)]
    runner = RuleRunner(program, Context(FactSet(facts + ITEMS)))
    probe = runner.probe(program.rule("JB-001"), ())
    assert probe.applies and probe.holds is False
    (comparison,) = probe.comparisons
    assert comparison.left.data.value == Decimal("553.48") and comparison.right.data.value == Decimal("563.49")
    dims = (("类", "卫生健康支出"), ("项", "行政单位医疗"))
    assert runner.probe(program.rule("YS-001"), dims).holds is False
    assert runner.probe(program.rule("YS-001"), (("类", "一般公共服务支出"), ("项", "行政运行"))).holds is True


def test_cases_and_run_cases_evaluate_only_the_records_asked_for():
    from checker.evaluate import RuleRunner

    program = compile_text(PROBE_RULES, "t.rules", SCHEMA)
    runner = RuleRunner(program, Context(FactSet(BASE + ITEMS)))
    rule = program.rule("YS-001")
    cases = runner.cases(rule)
    assert cases == [(("类", "一般公共服务支出"), ("项", "行政运行")),
                     (("类", "一般公共服务支出"), ("项", "一般行政管理事务")),
                     (("类", "卫生健康支出"), ("项", "行政单位医疗"))]
    whole = runner.run(rule)
    only = runner.run_cases(rule, cases[2:])
    assert [f.record for f in only.findings] == [f.record for f in whole.findings if f.record == cases[2]]
    assert runner.cases(program.rule("JB-001")) == [()]
    assert RuleRunner(program, Context(FactSet(BASE))).cases(rule) is None


def test_replaced_facts_keep_their_places_and_leave_the_original_alone():
    original = FactSet(BASE + ITEMS)
    old = original.first("公用经费")
    new = Fact(old.name, q("47.09"), old.location, old.source)
    changed = original.replaced({id(old): new})
    assert changed.first("公用经费") is new and original.first("公用经费") is old
    assert [f.name for f in changed] == [f.name for f in original]
    assert changed.records("一般公共预算.项") == original.records("一般公共预算.项")
    program = compile_text(PROBE_RULES, "t.rules", SCHEMA)
    assert [f.rule_id for f in evaluate(program, Context(original)).findings].count("JB-001") == 0
    assert [f.rule_id for f in evaluate(program, Context(changed)).findings].count("JB-001") == 1
