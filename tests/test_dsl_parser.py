"""Parser: every construct, both keyword languages, names vs keywords, positions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dsl import CompileError, ast, parse_rules
from dsl.parser import get_parser


def only_assert(text: str) -> ast.Expr:
    module = parse_rules(f'rule T-1 "t"\n  assert {text}\n', "t.rules")
    clause = module.rules[0].clause("assert")
    assert clause is not None
    return clause.value  # type: ignore[return-value]


def test_parser_is_built_once():
    assert get_parser() is get_parser()


def test_rule_header_and_clauses():
    module = parse_rules(
        '# 注释\nrule SG-001 "“三公”经费合计等于分项之和"\n  severity error\n  cite "模板 九"\n'
        "  assert 三公经费.合计 == 三公经费.因公出国费 + 三公经费.公务接待费\n"
        '  message "合计 {left} 万元，分项之和 {right} 万元"\n', "a.rules")
    (rule,) = module.rules
    assert (rule.id, rule.title, rule.line, rule.column) == ("SG-001", "“三公”经费合计等于分项之和", 2, 1)
    assert [c.keyword for c in rule.clauses] == ["severity", "cite", "assert", "message"]
    expr = rule.clause("assert").value
    assert isinstance(expr, ast.Compare) and expr.op == "=="
    assert expr.left == ast.Name(("三公经费", "合计"))
    assert (expr.left.line, expr.left.column) == (5, 10)
    assert expr.right.src == "三公经费.因公出国费 + 三公经费.公务接待费"


def test_chinese_keywords_are_aliases():
    en = parse_rules('import "x.rules"\nlet 甲 = 1\nrule A-1 "t" severity warning when 甲 > 0 and not 甲 < 0 '
                     'for each 项 in 一般公共预算.项 assert 甲 == 1 or 甲 != 2 within 0.01 message "m"', "a")
    zh = parse_rules('导入 "x.rules"\n定义 甲 = 1\n规则 A-1 "t" 级别 warning 当 甲 > 0 且 非 甲 < 0 '
                     '对每个 项 属于 一般公共预算.项 断言 甲 == 1 或 甲 != 2 允差 0.01 消息 "m"', "a")
    assert en.imports == zh.imports and en.lets == zh.lets
    assert en.rules[0].clauses == zh.rules[0].clauses


def test_keywords_inside_names_stay_names():
    expr = only_assert("非税收入 > 0 and 名词解释.定义 == \"x\" and 规则数.合计 > 0")
    names = [n.dotted for n in ast.walk(expr) if isinstance(n, ast.Name)]
    assert names == ["非税收入", "名词解释.定义", "规则数.合计"]


def test_not_with_space_is_a_keyword():
    expr = only_assert("非 exists(收入)")
    assert isinstance(expr, ast.Not)


def test_names_with_chinese_punctuation_and_quotes():
    expr = only_assert('“三公”经费.合计 == 其他.`odd name (x)` + 其他重要事项."机关运行经费" + 支出（类）.合计')
    names = [n.parts for n in ast.walk(expr) if isinstance(n, ast.Name)]
    assert names == [("“三公”经费", "合计"), ("其他", "odd name (x)"), ("其他重要事项", "机关运行经费"),
                     ("支出（类）", "合计")]


def test_arithmetic_precedence_and_unicode_operators():
    expr = only_assert("a == b + c × d − e ÷ f")
    assert isinstance(expr, ast.Compare)
    right = expr.right
    assert isinstance(right, ast.Binary) and right.op == "-"
    assert isinstance(right.left, ast.Binary) and right.left.op == "+"
    assert right.left.right.op == "*" and right.right.op == "/"


def test_comparison_spellings_are_normalised():
    for spelling, op in [("=", "=="), ("≠", "!="), ("≤", "<="), ("≥", ">="), ("<", "<"), (">=", ">=")]:
        assert only_assert(f"a {spelling} b").op == op


def test_literals():
    expr = only_assert("a == 100% and b > 2024年12月10日 and c == -0.50 and d == true and e == \"文\"")
    lits = [n for n in ast.walk(expr) if isinstance(n, ast.Percent | ast.DateLit | ast.Number | ast.Bool | ast.String)]
    assert lits[0] == ast.Percent(Decimal(1), 2)
    assert lits[1] == ast.DateLit(date(2024, 12, 10))
    assert lits[2] == ast.Number(Decimal("0.50"), 2)
    assert lits[3] == ast.Bool(True) and lits[4] == ast.String("文")


def test_tolerance_absolute_and_relative():
    assert only_assert("a == b within 0.01").tolerance == ast.Tolerance(Decimal("0.01"), False)
    assert only_assert("a == b 允差 1%").tolerance == ast.Tolerance(Decimal("0.01"), True)


def test_aggregation_forms():
    explicit = only_assert('sum(项.决算数 for each 项 in 一般公共预算.项 where 项.类 == "x") == 1')
    call = explicit.left
    assert isinstance(call, ast.Call) and call.comprehension is not None
    assert call.comprehension.var == "项" and call.comprehension.where is not None
    implicit = only_assert('求和(一般公共预算.项.决算数 其中 一般公共预算.项.类 == "x") == 1').left
    assert implicit.func == "求和" and implicit.where is not None
    plain = only_assert("count(一般公共预算.项) > 0").left
    assert plain.args == (ast.Name(("一般公共预算", "项")),)


def test_for_each_over_a_list_of_terms():
    module = parse_rules('rule G-1 "t" for each 术语 in ["基本支出", "项目支出"] assert defined(术语)', "g")
    var, source = module.rules[0].clause("for").value
    assert var == "术语" and source.strings == ("基本支出", "项目支出")


def test_bom_and_crlf_are_accepted():
    module = parse_rules('\ufeffrule A-1 "t"\r\n  assert a == 1\r\n', "a")
    assert module.rules[0].id == "A-1"


@pytest.mark.parametrize("text, fragment", [
    ('rule "t" assert a == 1', "a rule starts with an id such as SG-001"),
    ('rule A-1 "t" assert a ==', "the comparison has no right-hand side"),
    ('rule A-1 "t" assert (a == b', "an opening parenthesis is not closed"),
    ("let x a", "a definition is written `let name = expression`"),
    ('rule A-1 "t" assert a == "b', "this text is not closed"),
    ('rule A-1 "t" assert a == 2024年2月30日', "is not a calendar date"),
])
def test_syntax_errors_in_authors_terms(text, fragment):
    with pytest.raises(CompileError) as err:
        parse_rules(text, "bad.rules")
    rendered = err.value.render()
    assert fragment in rendered
    assert "__ANON" not in rendered and "RULE_ID" not in rendered and "_EN" not in rendered
    # the same words for the same mistake in a later rule of the file (the parser's stack is deeper there)
    with pytest.raises(CompileError) as later:
        parse_rules('let y = 1\nrule Z-1 "z" assert y == 1\n' + text, "bad.rules")
    assert fragment in later.value.render()


def test_misspelled_keyword_gets_a_suggestion():
    with pytest.raises(CompileError) as err:
        parse_rules('rule A-1 "t"\n  assert a == 1\n  mesage "x"\n', "bad.rules")
    (diag,) = err.value.diagnostics
    assert (diag.line, diag.column) == (3, 3)
    assert diag.suggestion == "did you mean `message`?"


def test_full_width_operator_gets_a_hint():
    with pytest.raises(CompileError) as err:
        parse_rules('rule A-1 "t" assert a ＝ b', "bad.rules")
    assert err.value.diagnostics[0].suggestion == "use = instead of ＝"
