"""Sections from Chinese heading numbering, independent of titles; sentences with exact offsets."""

from checker.model import Paragraph
from checker.pipeline import document_from_text
from checker.structure import cn_to_int, match_heading, split_sentences

DOC = """第一部分 单位基本情况
一、职能
本局负责全县教育事务。
第二部分 决算说明
一、收入情况
（一）财政拨款
1.基本支出
(1)人员经费
人员经费100.00万元。
二、支出情况
1.一般公共服务支出(类)5.00万元，占10.00%。
"""


def test_heading_levels_follow_numbering_style():
    doc = document_from_text(DOC)
    outline = [(s.level, s.number, s.title) for s in doc.sections()]
    assert outline == [(1, "一", "单位基本情况"), (2, "一", "职能"), (1, "二", "决算说明"), (2, "一", "收入情况"),
                       (3, "一", "财政拨款"), (4, "1", "基本支出"), (5, "1", "人员经费"), (2, "二", "支出情况")]
    deepest = doc.sections()[6]
    assert [s.title for s in deepest.path()] == ["决算说明", "收入情况", "财政拨款", "基本支出", "人员经费"]


def test_numbered_sentences_with_figures_are_not_headings():
    assert match_heading("1.一般公共服务支出(类)5,166.70万元,占70.15%。") is None
    assert match_heading("（十二）完成党委、政府交办的其他任务。") is None
    assert match_heading("十、其他重要事项的情况说明").level == 2


def test_cn_numerals():
    assert [cn_to_int(x) for x in ("一", "十", "十二", "二十", "二十三", "12")] == [1, 10, 12, 20, 23, 12]


def test_sentences_keep_columns():
    from checker.model import Location
    p = Paragraph("收入10.00万元。支出9.00万元！余额", Location(line=3, column=1))
    sentences = split_sentences(p)
    assert [s.text for s in sentences] == ["收入10.00万元。", "支出9.00万元！", "余额"]
    assert sentences[1].location.column == 11 and sentences[1].location.line == 3


def test_table_of_contents_is_not_a_second_outline():
    text = ("某局2024年度部门决算\n目  录\n第一部分 部门概况\n第二部分 决算情况说明……3\n\n"
            "第一部分 部门概况\n一、职能\n第二部分 决算情况说明\n一、收入\n")
    doc = document_from_text(text)
    assert [(s.level, s.title) for s in doc.sections()] == [(1, "部门概况"), (2, "职能"), (1, "决算情况说明"),
                                                            (2, "收入")]


TOC_THEN_BODY = ("某县教育局2024年度部门决算\n目  录\n第一部分 部门概况\n第二部分 某县教育局2024年度部门决算表……5\n"
                 "第三部分 决算情况说明……9\n\n"
                 "第一部分 部门概况\n一、职能\n本局负责全县教育事务。\n{tables}\n收入支出决算总表见附表。\n"
                 "第三部分 决算情况说明\n一、收入\n")


def test_heading_the_body_prints_without_its_number_is_taken_from_the_table_of_contents():
    # the official template titles the tables' part "某局2024年度部门决算表" above them, without 第二部分
    doc = document_from_text(TOC_THEN_BODY.format(tables="某县教育局2024年度部门决算表"))
    assert [(s.level, s.number, s.title) for s in doc.sections()] == [
        (1, "一", "部门概况"), (2, "一", "职能"), (1, "二", "某县教育局2024年度部门决算表"), (1, "三", "决算情况说明"),
        (2, "一", "收入")]
    assert doc.sections()[2].blocks[0].text == "收入支出决算总表见附表。"


def test_a_slightly_reworded_title_is_taken_where_its_number_comes_next():
    doc = document_from_text(TOC_THEN_BODY.format(tables="某教育局2024年度部门决算表"))  # 县 left out
    assert [s.number for s in doc.sections() if s.level == 1] == ["一", "二", "三"]


def test_a_listed_title_is_not_a_heading_out_of_its_place():
    # the same words on the cover, before 第一部分, are not the second part; nor is an unrelated short line
    text = TOC_THEN_BODY.format(tables="附表如下")
    doc = document_from_text("某县教育局2024年度部门决算表\n" + text)
    assert [s.number for s in doc.sections() if s.level == 1] == ["一", "三"]
