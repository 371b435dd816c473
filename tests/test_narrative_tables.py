"""Tables inside the narrative whose rows name records (the 类 structure as a table instead of sentences):
their figures become the same facts the sentences would give, at their cells, and the rules check them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from checker.config import Config
from checker.pipeline import default_vocabulary, document_from_text, extract_facts
from checker.run import Checker

# Tables in text files are tab-led cell lines, a blank line ending each row (as Word saves them).
STRUCTURE = """五、一般公共预算财政拨款支出决算情况说明
（二）一般公共预算财政拨款支出决算结构情况
2024年度一般公共预算财政拨款支出1,000.00万元，按功能分类科目列示如下。
\t一般公共预算财政拨款支出结构（单位：万元）

\t功能分类科目
\t决算数
\t占比

\t一般公共服务支出（类）
\t{first}
\t60.00%

\t教育支出（类）
\t400.00
\t40.00%

\t合计
\t1,000.00
\t100.00%
"""


def facts_of(text: str):
    return extract_facts(document_from_text(text), default_vocabulary())


def test_rows_naming_records_give_the_facts_sentences_would():
    facts = facts_of(STRUCTURE.format(first="600.00"))
    amount = facts.first("一般公共预算.类.决算数", (("类", "一般公共服务支出"),))
    share = facts.first("一般公共预算.类.占比", (("类", "教育支出"),))
    assert amount.value.value == Decimal("600.00") and amount.value.unit == "万元"  # the unit from the caption
    assert share.value.value == Decimal("40.00") and share.value.unit == "%"
    # placed at their cells: the table's row and column in the text file
    assert (amount.location.line, amount.location.column) == (11, 2)
    assert amount.source == "一般公共服务支出（类） | 600.00 | 60.00%"
    # the total row names no record and adds nothing
    assert not [f for f in facts.all("一般公共预算.类.决算数") if "合计" in str(f.dims)]


def test_a_unit_in_the_column_heading_and_a_table_of_other_things():
    without_caption = STRUCTURE.replace("\t一般公共预算财政拨款支出结构（单位：万元）\n\n", "")
    text = without_caption.replace("\t决算数", "\t2024年决算数（万元）")  # a year in a heading is no figure
    facts = facts_of(text.format(first="600.00") + "\n\t办公费\n\t10.00\n")
    assert facts.first("一般公共预算.类.决算数", (("类", "一般公共服务支出"),)).value.unit == "万元"
    assert facts.first("一般公共预算.类.占比", (("类", "教育支出"),)).value.value == Decimal("40.00")
    assert not [f for f in facts if (f.location.line or 0) >= 21]  # 办公费 names no record


def test_a_share_in_the_table_that_does_not_match_its_amount_is_found_at_its_cell(tmp_path: Path):
    path = tmp_path / "structure.txt"
    path.write_text(STRUCTURE.format(first="550.00"), encoding="utf-8")  # 550 of 1,000 is 55%, not 60%
    result = Checker.from_config(Config(select=["PCT"])).check_path(path)
    wrong = [f for f in result.findings if f.rule_id == "PCT-006"]
    assert len(wrong) == 1 and "60.00%" in wrong[0].message
    assert wrong[0].location.line == 12
