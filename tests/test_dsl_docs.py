"""The worked examples in docs/rule-language.md compile and behave as the text says."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from checker.evaluate import Context, evaluate
from checker.facts.model import Fact, FactSet
from checker.model import Location
from checker.quantity import Quantity
from dsl import Schema, compile_text

DOC = Path(__file__).resolve().parent.parent / "docs" / "rule-language.md"

SCHEMA = Schema(
    scalars={
        **{f"三公经费.{k}": "money" for k in ("合计", "因公出国费", "公务用车购置及运行维护费", "公务接待费")},
        **{f"收入.{k}.占比": "percent" for k in ("财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                                                "附属单位上缴收入", "其他收入")},
        "财政拨款.预决算差异率": "percent", "财政拨款.决算数": "money", "财政拨款.年初预算数": "money",
        "一般公共预算.合计": "money", "公务用车.保有量": "count", "国有资产.车辆数": "count",
        "公务用车.保有量.原因": "text"},
    collections={
        "一般公共预算.类": {"决算数": "money", "占比": "percent", "类": "text"},
        "一般公共预算.项": {"决算数": "money", "增减额": "money", "增减率": "percent", "方向": "direction",
                           "类": "text", "项": "text"},
        "名词解释": {"定义": "text", "术语": "text"},
        "变动": {"本年": "money", "上年": "money", "增减额": "money", "指标": "text"}})


def worked_examples() -> str:
    blocks = re.findall(r"```rules\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return "\n".join(b for b in blocks if re.search(r"^(rule|规则) ", b, flags=re.M))


def test_worked_examples_compile():
    program = compile_text(worked_examples(), "docs.rules", SCHEMA)
    assert [r.id for r in program.rules] == ["YOY-001", "SG-001", "YS-010", "SR-002", "ZC-003", "CY-001", "YS-001",
                                             "CL-001", "MC-001"]


def test_previous_year_example_behaves_as_documented():
    """上年报告.项.本年: last year's figure of the same 指标, a 变动 record there as every figure of it is."""
    program = compile_text(worked_examples(), "docs.rules", SCHEMA)
    key = (("指标", "机关运行经费.支出"),)

    def money(name: str, text: str, dims=key) -> Fact:
        return Fact(name, Quantity(Decimal(text), 2, "万元", text + "万元"), Location(line=1, column=1), "", dims)

    this = FactSet([money("变动.本年", "114.32"), money("变动.增减额", "1.76")])
    right = FactSet([money("变动.本年", "112.56")])
    wrong = FactSet([money("变动.本年", "112.65")])
    assert "YOY-001" in evaluate(program, Context(this, previous=right)).passed
    (finding,) = [f for f in evaluate(program, Context(this, previous=wrong)).findings if f.rule_id == "YOY-001"]
    assert finding.message == "机关运行经费.支出：上年数为 112.56，上年报告为 112.65"
    assert "YOY-001" not in evaluate(program, Context(this)).passed


def test_variance_example_behaves_as_documented():
    program = compile_text(worked_examples(), "docs.rules", SCHEMA)

    def facts(rate: str) -> FactSet:
        loc = Location(line=1, column=1)
        return FactSet([Fact("财政拨款.年初预算数", Quantity(Decimal("548.54"), 2, "万元", "548.54万元"), loc),
                        Fact("财政拨款.决算数", Quantity(Decimal("16737.76"), 2, "万元", "16,737.76万元"), loc),
                        Fact("财政拨款.预决算差异率", Quantity(Decimal(rate), 2, "%", rate + "%"), loc)])

    assert "CY-001" in evaluate(program, Context(facts("2951.33"))).passed
    (finding,) = [f for f in evaluate(program, Context(facts("2951.00"))).findings if f.rule_id == "CY-001"]
    assert finding.message == "预决算差异率 2951.00%，按决算数和预算数计算应为 2951.33%"
