"""A figure's meaning from its own clause: comparison bases, parts after 其中, comparisons with another figure.

The wording is the vocabulary's (`[[base]]`, `[parts]`, `[comparisons]` in rules/vocabulary/national.toml);
the last tests show that a new wording is a vocabulary line, not code.
"""

from __future__ import annotations

import pytest

from checker.errors import UsageError
from checker.pipeline import default_vocabulary, document_from_text, extract_facts
from checker.vocabulary import load_vocabulary, parse_vocabulary

ITEM = "（三）一般公共预算财政拨款支出决算具体情况\n1.一般公共服务支出（类）统计信息事务（款）行政运行（项）。{}\n"
ITEM_KEY = (("类", "一般公共服务支出"), ("款", "统计信息事务"), ("项", "行政运行"))


def named(text: str, vocabulary=None) -> dict[str, str]:
    """Every named fact of the text as name → the figure as printed (the last one for a repeated name)."""
    facts = extract_facts(document_from_text(text), vocabulary or default_vocabulary())
    return {f.name: getattr(f.value, "text", str(f.value)) for f in facts if not f.name.startswith(("章节", "未归类"))}


def item(text: str, vocabulary=None) -> dict[str, str]:
    facts = extract_facts(document_from_text("五、一般公共预算财政拨款支出决算情况说明\n" + ITEM.format(text)),
                          vocabulary or default_vocabulary())
    return {f.field: getattr(f.value, "text", f.value) for f in facts if f.dims == ITEM_KEY}


@pytest.mark.parametrize("budget_words", ["决算数比年初预算", "与年初预算相比", "比预算", "较预算", "决算数较全年预算"])
def test_a_change_against_the_budget_is_a_budget_difference(budget_words):
    got = item(f"年初预算为412.30万元，支出决算为398.75万元，{budget_words}减少13.55万元，主要原因是人员调出。")
    assert got == {"预算数": "412.30万元", "决算数": "398.75万元", "预算差额": "13.55万元", "差异原因": "人员调出"}


def test_the_budget_base_carries_to_the_next_clause_and_last_year_ends_it():
    got = item("年初预算为412.30万元，支出决算为398.75万元，完成年初预算的96.71%，决算数比年初预算减少13.55万元，"
               "下降3.29%；上年决算数为376.20万元，较上年增加22.55万元，增长5.99%。")
    assert got["预算差额"] == "13.55万元" and got["差异率"] == "3.29%"
    assert got["上年数"] == "376.20万元" and got["增减额"] == "22.55万元" and got["增减率"] == "5.99%"
    assert got["完成率"] == "96.71%"


def test_a_change_stated_without_bi_is_one_from_last_year():
    got = named("一、收入支出决算总体情况说明\n"
                "2021年度收入总计2,467.23万元，上年2,219.91万元，增加247.32万元，增长11.14%。")
    assert got["收入.收入总计.上年数"] == "2,219.91万元"
    assert got["收入.收入总计.增减额"] == "247.32万元"
    assert got["收入.收入总计.增减率"] == "11.14%"


def test_a_base_holds_only_within_its_sentence():
    got = named("四、财政拨款收入支出决算总体情况说明\n本年财政拨款支出1,020.00万元，比年初预算增加70.00万元。"
                "财政拨款收入总计1,020.00万元，增加20.00万元。")
    assert got["财政拨款.本年支出.预算差额"] == "70.00万元"
    assert got["财政拨款.收入总计.增减额"] == "20.00万元"


def test_level_with_the_budget_says_nothing_of_last_year():
    facts = extract_facts(document_from_text(
        "九、财政拨款“三公”经费支出决算情况说明\n公务接待费1.20万元，与年初预算相比持平。"), default_vocabulary())
    assert not facts.all("三公经费.公务接待费.方向")


def test_parts_after_qizhong_are_not_the_whole_again():
    facts = extract_facts(document_from_text(
        "二、机构设置及人员情况\n核定编制45名，其中：行政编制28名，事业编制17名；离退休人员23人，其中：离休人员1人，退休人员22人。"),
        default_vocabulary())
    assert [f.value.text for f in facts.all("人员.编制数")] == ["45名"]
    assert facts.first("人员.离退休人员").value.text == "23人"
    assert facts.first("人员.退休人员").value.text == "22人"


def test_a_figure_beyond_a_comparison_word_is_not_the_label_before_it():
    got = named("十、其他重要事项的情况说明\n（一）机关运行经费支出情况\n本部门机关运行经费支出85.23万元，"
                "机关运行经费小于本部门公用经费108.65万元。")
    assert got["机关运行经费.支出"] == "85.23万元"


def test_a_new_base_wording_is_a_vocabulary_line(tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text('[[base]]\nname = "预算"\nwords = ["对照预算"]\naspects = { "增减额" = "预算差额" }\n',
                     encoding="utf-8")
    text = "年初预算为412.30万元，支出决算为398.75万元，对照预算减少13.55万元。"
    assert "预算差额" not in item(text)
    assert item(text, load_vocabulary((extra,)))["预算差额"] == "13.55万元"


def test_a_malformed_base_names_the_file_and_entry():
    with pytest.raises(UsageError, match=r"extra.toml: base #1: aspects must be a table"):
        parse_vocabulary('[[base]]\nname = "预算"\nwords = ["比预算"]\naspects = ["增减额"]\n', "extra.toml")
