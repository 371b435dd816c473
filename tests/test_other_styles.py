"""Facts extracted from the three fixture disclosures written in other styles than the shared example.

* ``county_education_2023.txt``: a county education bureau, GB18030 with CRLF line ends, 第X部分 parts,
  a 目录, and tab-cell self-assessment tables (整体 and 项目) after the glossary.
* ``hospital_2024.txt``: a county hospital (公益二类事业单位), UTF-8 with BOM, no parts, numbering
  一、/（一）/1./(1), one figure in 元, one project self-assessment table.
* ``street_office_2024.docx``: a street office (行政单位) built by ``street_office_2024.py``: Word
  headings and three Word tables with merged cells.

Every expectation below was read off the document by hand (see ``fixtures/docs/EXPECTED.md`` for the
figures and where they sit): name, record keys, the value as printed with the sign applied for
decreases, the unit, and the line (text) or paragraph (docx) of the figure. Only behaviour that is
right is asserted here; figures the extraction still misses or misnames are listed in the report that
accompanied this file and will become assertions once extraction handles them.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from checker.model import Paragraph, Table
from checker.pipeline import load
from checker.quantity import DateValue, Direction, Quantity, Target

DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"
COUNTY_PATH = DOCS / "county_education_2023.txt"
HOSPITAL_PATH = DOCS / "hospital_2024.txt"


def _build_street_office(path):
    spec = importlib.util.spec_from_file_location("street_office_2024", DOCS / "street_office_2024.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(path)


@pytest.fixture(scope="module")
def county():
    return load(COUNTY_PATH)


@pytest.fixture(scope="module")
def hospital():
    return load(HOSPITAL_PATH)


@pytest.fixture(scope="module")
def street_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "street_office_2024.docx"
    _build_street_office(path)
    return path


@pytest.fixture(scope="module")
def street(street_path):
    return load(street_path)


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _at(fact, where) -> bool:
    """``where`` is a text line (int), a docx paragraph ``("P", n)`` or a docx cell ``("T", t, r, c)``."""
    loc = fact.location
    if isinstance(where, int):
        return loc.line == where
    if where[0] == "P":
        return loc.paragraph == where[1] and loc.table is None
    return (loc.table, loc.row, loc.cell) == tuple(where[1:])


def check_quantity(facts, name, dims, value, unit, where):
    found = [f for f in facts.all(name) if f.dims == dims and _at(f, where)]
    assert found, f"{name} {dims} not found at {where}"
    quantities = [f.value for f in found]
    assert all(isinstance(q, Quantity) for q in quantities), quantities
    match = [q for q in quantities if q.value == Decimal(value)]
    assert match, f"{name} {dims} at {where}: expected {value}, got {[str(q.value) for q in quantities]}"
    assert match[0].unit == unit
    assert match[0].decimals == _decimals(value)


def _values(facts, name, dims=()):
    return [f.value for f in facts.all(name) if f.dims == dims]


def _ids(table):
    return [f"{e[0]}{dict(e[1]) or ''}@{e[4]}" for e in table]


# ---------------------------------------------------------------------------------------------------
# county_education_2023.txt
# ---------------------------------------------------------------------------------------------------

EDU = "教育支出"
SOC = "社会保障和就业支出"
HEA = "卫生健康支出"
HOU = "住房保障支出"
WHOLE = "青禾县教育局"
MEALS = "2023年农村义务教育学生营养改善计划"


def _item(lei, kuan, xiang):
    return (("类", lei), ("款", kuan), ("项", xiang))


def _fund(project, source):
    return (("项目", project), ("来源", source))


def _ind(project, indicator):
    return (("项目", project), ("指标", indicator))


COUNTY = [
    # 人员 (decreases carry their sign)
    ("人员.实有人数", (), "3387", "人", 21),
    ("人员.实有人数.增减额", (), "46", "人", 21),
    ("人员.在职人员", (), "2136", "人", 21),
    ("人员.在职人员.增减额", (), "-17", "人", 21),
    ("人员.离休人员", (), "3", "人", 21),
    ("人员.离休人员.增减额", (), "-1", "人", 21),
    ("人员.退休人员", (), "1248", "人", 21),
    ("人员.退休人员.增减额", (), "64", "人", 21),
    # 收入支出总体
    ("收入.收入总计", (), "43423.80", "万元", 26),
    ("收入.本年收入合计", (), "43089.67", "万元", 26),
    ("收入.使用非财政拨款结余", (), "0.00", "万元", 26),
    ("收入.年初结转和结余", (), "334.13", "万元", 26),
    ("支出.支出总计", (), "43423.80", "万元", 26),
    ("支出.本年支出合计", (), "42797.17", "万元", 26),
    ("支出.结余分配", (), "0.00", "万元", 26),
    ("支出.年末结转和结余", (), "626.63", "万元", 26),
    ("收入.收入总计.增减额", (), "1915.44", "万元", 27),
    ("收入.收入总计.增减率", (), "4.61", "%", 27),
    # 收入
    ("收入.财政拨款收入", (), "41221.60", "万元", 29),
    ("收入.财政拨款收入.占比", (), "95.66", "%", 29),
    ("收入.上级补助收入", (), "318.00", "万元", 29),
    ("收入.上级补助收入.占比", (), "0.74", "%", 29),
    ("收入.事业收入", (), "1486.25", "万元", 29),
    ("收入.事业收入.占比", (), "3.45", "%", 29),
    ("收入.经营收入", (), "0.00", "万元", 29),
    ("收入.经营收入.占比", (), "0.00", "%", 29),
    ("收入.附属单位上缴收入", (), "0.00", "万元", 29),
    ("收入.附属单位上缴收入.占比", (), "0.00", "%", 29),
    ("收入.其他收入", (), "63.82", "万元", 29),
    ("收入.其他收入.占比", (), "0.15", "%", 29),
    # 支出
    ("支出.本年支出合计", (), "42797.17", "万元", 32),
    ("支出.基本支出", (), "32044.51", "万元", 32),
    ("支出.基本支出.占比", (), "74.88", "%", 32),
    ("支出.项目支出", (), "10752.66", "万元", 32),
    ("支出.项目支出.占比", (), "25.12", "%", 32),
    ("支出.上缴上级支出", (), "0.00", "万元", 32),
    ("支出.经营支出.占比", (), "0.00", "%", 32),
    ("支出.对附属单位补助支出", (), "0.00", "万元", 32),
    # 财政拨款
    ("财政拨款.收入总计", (), "41324.23", "万元", 34),
    ("财政拨款.年初结转和结余", (), "102.63", "万元", 34),
    ("财政拨款.本年收入", (), "41221.60", "万元", 34),
    ("财政拨款.一般公共预算收入", (), "38886.60", "万元", 34),
    ("财政拨款.政府性基金收入", (), "2335.00", "万元", 34),
    ("财政拨款.国有资本经营收入", (), "0.00", "万元", 34),
    ("财政拨款.支出总计", (), "41324.23", "万元", 34),
    ("财政拨款.本年支出", (), "40887.81", "万元", 34),
    ("财政拨款.年末结转和结余", (), "436.42", "万元", 34),
    ("财政拨款.收入总计.增减额", (), "3196.33", "万元", 35),
    ("财政拨款.收入总计.增减率", (), "8.38", "%", 35),
    # 一般公共预算: total, 类 and 类/款/项 records
    ("一般公共预算.支出", (), "38902.81", "万元", 38),
    ("一般公共预算.支出.占比", (), "90.90", "%", 38),
    ("一般公共预算.支出.增减额", (), "1000.64", "万元", 38),
    ("一般公共预算.支出.增减率", (), "2.64", "%", 38),
    ("一般公共预算.支出.预算数", (), "36850.00", "万元", 38),
    ("一般公共预算.支出.决算数", (), "38902.81", "万元", 38),
    ("一般公共预算.支出.完成率", (), "105.57", "%", 38),
    ("一般公共预算.支出", (), "38902.81", "万元", 40),
    ("一般公共预算.类.决算数", (("类", EDU),), "30714.70", "万元", 41),
    ("一般公共预算.类.占比", (("类", EDU),), "78.95", "%", 41),
    ("一般公共预算.类.决算数", (("类", SOC),), "4506.49", "万元", 42),
    ("一般公共预算.类.占比", (("类", SOC),), "11.58", "%", 42),
    ("一般公共预算.类.决算数", (("类", HEA),), "1490.80", "万元", 43),
    ("一般公共预算.类.占比", (("类", HEA),), "3.83", "%", 43),
    ("一般公共预算.类.决算数", (("类", HOU),), "2190.81", "万元", 44),
    ("一般公共预算.类.占比", (("类", HOU),), "5.63", "%", 44),
    ("一般公共预算.项.决算数", _item(EDU, "教育管理事务", "行政运行"), "412.66", "万元", 46),
    ("一般公共预算.项.增减额", _item(EDU, "教育管理事务", "行政运行"), "-25.36", "万元", 46),
    ("一般公共预算.项.增减率", _item(EDU, "教育管理事务", "行政运行"), "-5.79", "%", 46),
    ("一般公共预算.项.决算数", _item(EDU, "教育管理事务", "一般行政管理事务"), "81.24", "万元", 47),
    ("一般公共预算.项.增减额", _item(EDU, "教育管理事务", "一般行政管理事务"), "81.24", "万元", 47),
    ("一般公共预算.项.增减率", _item(EDU, "教育管理事务", "一般行政管理事务"), "100.00", "%", 47),
    ("一般公共预算.项.决算数", _item(EDU, "普通教育", "学前教育"), "2153.89", "万元", 48),
    ("一般公共预算.项.决算数", _item(EDU, "普通教育", "小学教育"), "11847.26", "万元", 49),
    ("一般公共预算.项.增减额", _item(EDU, "普通教育", "小学教育"), "-253.39", "万元", 49),
    ("一般公共预算.项.增减率", _item(EDU, "普通教育", "小学教育"), "-2.09", "%", 49),
    ("一般公共预算.项.决算数", _item(EDU, "进修及培训", "教师进修"), "135.76", "万元", 54),
    ("一般公共预算.项.决算数", _item(EDU, "教育费附加安排的支出", "其他教育费附加安排的支出"), "648.00", "万元", 55),
    ("一般公共预算.项.增减额", _item(EDU, "教育费附加安排的支出", "其他教育费附加安排的支出"), "-72.00", "万元",
     55),
    ("一般公共预算.项.增减率", _item(EDU, "其他教育支出", "其他教育支出"), "12.75", "%", 56),
    ("一般公共预算.项.决算数", _item(SOC, "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"), "2741.84",
     "万元", 58),
    ("一般公共预算.项.增减率", _item(SOC, "行政事业单位养老支出", "机关事业单位职业年金缴费支出"), "1.91", "%", 59),
    ("一般公共预算.项.增减额", _item(SOC, "抚恤", "死亡抚恤"), "-17.36", "万元", 60),
    ("一般公共预算.项.决算数", _item(HEA, "行政事业单位医疗", "行政单位医疗"), "18.64", "万元", 61),
    ("一般公共预算.项.增减率", _item(HEA, "行政事业单位医疗", "公务员医疗补助"), "-4.64", "%", 63),
    ("一般公共预算.项.决算数", _item(HOU, "住房改革支出", "住房公积金"), "2190.81", "万元", 64),
    ("一般公共预算.项.增减率", _item(HOU, "住房改革支出", "住房公积金"), "2.58", "%", 64),
    # 基本支出
    ("基本支出.合计", (), "31532.51", "万元", 66),
    ("基本支出.人员经费", (), "29641.88", "万元", 67),
    ("基本支出.公用经费", (), "1890.63", "万元", 68),
    # 政府性基金 (the change and budget comparison are about 本年支出 1,985.00)
    ("政府性基金.收入总计", (), "2335.00", "万元", 70),
    ("政府性基金.年初结转和结余", (), "0.00", "万元", 70),
    ("政府性基金.本年收入", (), "2335.00", "万元", 70),
    ("政府性基金.支出总计", (), "2335.00", "万元", 70),
    ("政府性基金.本年支出", (), "1985.00", "万元", 70),
    ("政府性基金.年末结转和结余", (), "350.00", "万元", 70),
    ("政府性基金.本年支出.增减额", (), "705.00", "万元", 71),
    ("政府性基金.本年支出.增减率", (), "55.08", "%", 71),
    ("政府性基金.本年支出.预算数", (), "100.00", "万元", 71),
    ("政府性基金.本年支出.决算数", (), "1985.00", "万元", 71),
    ("政府性基金.本年支出.差异率", (), "1885.00", "%", 71),
    ("政府性基金.项.决算数", _item("其他支出", "彩票公益金安排的支出", "用于教育事业的彩票公益金支出"), "120.00",
     "万元", 72),
    ("政府性基金.项.增减率", _item("其他支出", "彩票公益金安排的支出", "用于教育事业的彩票公益金支出"), "50.00",
     "%", 72),
    ("政府性基金.项.决算数", _item("城乡社区支出", "国有土地使用权出让收入安排的支出",
                              "其他国有土地使用权出让收入安排的支出"), "1865.00", "万元", 73),
    ("政府性基金.项.增减额", _item("城乡社区支出", "国有土地使用权出让收入安排的支出",
                              "其他国有土地使用权出让收入安排的支出"), "665.00", "万元", 73),
    # 三公经费: parts, shares, changes, budget
    ("三公经费.合计", (), "50.63", "万元", 78),
    ("三公经费.合计.增减额", (), "21.67", "万元", 78),
    ("三公经费.合计.增减率", (), "74.81", "%", 78),
    ("三公经费.因公出国费", (), "0.00", "万元", 78),
    ("三公经费.因公出国费.占比", (), "0.00", "%", 78),
    ("三公经费.公务用车购置及运行维护费", (), "44.16", "万元", 78),
    ("三公经费.公务用车购置及运行维护费.占比", (), "87.22", "%", 78),
    ("三公经费.公务用车购置及运行维护费.增减额", (), "23.11", "万元", 78),
    ("三公经费.公务用车购置及运行维护费.增减率", (), "109.81", "%", 78),
    ("三公经费.公务接待费", (), "6.47", "万元", 78),
    ("三公经费.公务接待费.占比", (), "12.78", "%", 78),
    ("三公经费.公务接待费.增减额", (), "-1.44", "万元", 78),
    ("三公经费.公务接待费.增减率", (), "-18.24", "%", 78),
    ("三公经费.出国团组数", (), "0", "个", 80),
    ("三公经费.出国人次", (), "0", "人次", 80),
    ("三公经费.公务用车购置费", (), "25.80", "万元", 81),
    ("三公经费.公务用车购置数", (), "1", "辆", 81),
    ("三公经费.公务用车运行维护费", (), "18.36", "万元", 81),
    ("三公经费.公务用车运行维护费.增减额", (), "-2.69", "万元", 81),
    ("三公经费.公务用车运行维护费.增减率", (), "-12.76", "%", 81),
    ("三公经费.公务用车保有量", (), "9", "辆", 81),
    ("三公经费.公务接待批次", (), "58", "批次", 82),
    ("三公经费.公务接待人次", (), "412", "人次", 82),
    ("三公经费.合计.预算数", (), "53.50", "万元", 84),
    ("三公经费.合计.决算数", (), "50.63", "万元", 84),
    ("三公经费.合计.差异率", (), "-5.36", "%", 84),
    ("三公经费.因公出国费.预算数", (), "0.00", "万元", 84),
    ("三公经费.公务用车购置费.预算数", (), "26.00", "万元", 84),
    ("三公经费.公务用车购置费.决算数", (), "25.80", "万元", 84),
    ("三公经费.公务用车购置费.差异率", (), "-0.77", "%", 84),
    # 机关运行经费 / 政府采购 / 国有资产
    ("机关运行经费.支出", (), "68.42", "万元", 87),
    ("机关运行经费.支出.增减额", (), "-4.68", "万元", 87),
    ("机关运行经费.支出.增减率", (), "-6.41", "%", 87),
    ("政府采购.总额", (), "2394.44", "万元", 89),
    ("政府采购.货物", (), "1236.46", "万元", 89),
    ("政府采购.工程", (), "842.31", "万元", 89),
    ("政府采购.服务", (), "315.67", "万元", 89),
    ("政府采购.中小企业合同金额", (), "2071.91", "万元", 89),
    ("政府采购.中小企业合同金额.占比", (), "86.53", "%", 89),
    ("政府采购.小微企业合同金额", (), "1503.22", "万元", 89),
    ("政府采购.小微企业合同金额.占比", (), "62.78", "%", 89),
    ("国有资产.房屋", (), "186420.50", "平方米", 91),
    ("国有资产.房屋.价值", (), "52317.84", "万元", 91),
    ("国有资产.车辆", (), "11", "辆", 91),
    ("国有资产.车辆.价值", (), "238.65", "万元", 91),
    ("国有资产.车辆用途.数量", (("用途", "机要通信用车"),), "1", "辆", 91),
    ("国有资产.车辆用途.数量", (("用途", "应急保障用车"),), "2", "辆", 91),
    ("国有资产.车辆用途.数量", (("用途", "特种专业技术用车"),), "2", "辆", 91),
    ("国有资产.车辆用途.数量", (("用途", "其他用车"),), "6", "辆", 91),
    ("国有资产.车辆用途.数量", (("用途", "主要负责人用车"),), "0", "辆", 91),
    ("国有资产.大型设备", (), "2", "台（套）", 91),
    ("绩效.整体自评表数", (), "1", "个", 94),
    # 部门整体支出绩效自评表 (lines 121–270)
    ("绩效.资金.年初预算数", _fund(WHOLE, "年度资金总额"), "38600.00", "万元", 139),
    ("绩效.资金.全年预算数", _fund(WHOLE, "年度资金总额"), "43423.80", "万元", 140),
    ("绩效.资金.全年执行数", _fund(WHOLE, "年度资金总额"), "42797.17", "万元", 141),
    ("绩效.资金.分值", _fund(WHOLE, "年度资金总额"), "10", "", 142),
    ("绩效.资金.执行率", _fund(WHOLE, "年度资金总额"), "98.56", "%", 143),
    ("绩效.资金.得分", _fund(WHOLE, "年度资金总额"), "9.86", "", 144),
    ("绩效.资金.年初预算数", _fund(WHOLE, "当年财政拨款"), "36950.00", "万元", 148),
    ("绩效.资金.全年预算数", _fund(WHOLE, "当年财政拨款"), "41324.23", "万元", 149),
    ("绩效.资金.全年执行数", _fund(WHOLE, "当年财政拨款"), "40887.81", "万元", 150),
    ("绩效.资金.年初预算数", _fund(WHOLE, "其他资金"), "1650.00", "万元", 157),
    ("绩效.资金.全年预算数", _fund(WHOLE, "其他资金"), "2099.57", "万元", 158),
    ("绩效.资金.全年执行数", _fund(WHOLE, "其他资金"), "1909.36", "万元", 159),
    ("绩效.指标.权重", _ind(WHOLE, "学前三年毛入园率"), "15", "", 185),
    ("绩效.指标.完成率", _ind(WHOLE, "学前三年毛入园率"), "100", "%", 188),
    ("绩效.指标.得分", _ind(WHOLE, "学前三年毛入园率"), "15", "", 189),
    ("绩效.指标.权重", _ind(WHOLE, "资助家庭经济困难学生人次"), "10", "", 195),
    ("绩效.指标.权重", _ind(WHOLE, "“三公”经费控制在预算以内"), "10", "", 225),
    ("绩效.指标.权重", _ind(WHOLE, "教育教学质量稳步提升"), "5", "", 245),
    ("绩效.指标.权重", _ind(WHOLE, "家长满意度"), "10", "", 255),
    ("绩效.指标.完成率", _ind(WHOLE, "家长满意度"), "97.00", "%", 258),
    ("绩效.指标.得分", _ind(WHOLE, "家长满意度"), "9.70", "", 259),
    ("绩效.自评表.权重合计", (("项目", WHOLE),), "100", "", 265),
    ("绩效.自评表.总分", (("项目", WHOLE),), "99.56", "", 269),
    # 项目支出绩效自评表 (lines 274–437)
    ("绩效.资金.年初预算数", _fund(MEALS, "年度资金总额"), "580.00", "万元", 297),
    ("绩效.资金.全年预算数", _fund(MEALS, "年度资金总额"), "612.48", "万元", 298),
    ("绩效.资金.全年执行数", _fund(MEALS, "年度资金总额"), "598.36", "万元", 299),
    ("绩效.资金.分值", _fund(MEALS, "年度资金总额"), "10", "", 300),
    ("绩效.资金.执行率", _fund(MEALS, "年度资金总额"), "97.69", "%", 301),
    ("绩效.资金.得分", _fund(MEALS, "年度资金总额"), "9.77", "", 302),
    ("绩效.资金.全年预算数", _fund(MEALS, "当年财政拨款"), "612.48", "万元", 307),
    ("绩效.资金.全年执行数", _fund(MEALS, "当年财政拨款"), "598.36", "万元", 308),
    ("绩效.资金.全年预算数", _fund(MEALS, "其他资金"), "0.00", "万元", 316),
    ("绩效.资金.全年执行数", _fund(MEALS, "其他资金"), "0.00", "万元", 317),
    ("绩效.指标.权重", _ind(MEALS, "受益学生人数"), "15", "", 344),
    ("绩效.指标.得分", _ind(MEALS, "受益学生人数"), "15", "", 348),
    ("绩效.指标.权重", _ind(MEALS, "供餐学校数量"), "10", "", 355),
    ("绩效.指标.得分", _ind(MEALS, "食品安全事故发生次数"), "10", "", 370),
    ("绩效.指标.权重", _ind(MEALS, "学生营养健康状况"), "15", "", 399),
    ("绩效.指标.权重", _ind(MEALS, "学生家长满意度"), "10", "", 421),
    ("绩效.指标.完成率", _ind(MEALS, "学生家长满意度"), "98.33", "%", 424),
    ("绩效.指标.得分", _ind(MEALS, "学生家长满意度"), "9.83", "", 425),
    ("绩效.自评表.权重合计", (("项目", MEALS),), "100", "", 432),
    ("绩效.自评表.总分", (("项目", MEALS),), "99.60", "", 436),
]


@pytest.mark.parametrize(("name", "dims", "value", "unit", "line"), COUNTY, ids=_ids(COUNTY))
def test_county_fact(county, name, dims, value, unit, line):
    check_quantity(county[1], name, dims, value, unit, line)


def test_county_encoding_and_lines(county):
    document, _ = county
    assert document.encoding == "gb18030"
    assert document.format == "text"
    # CRLF counts as one line end: the real part headings sit on lines 9, 24, 100 and 116.
    parts = {s.title: s.heading.location.line for s in document.sections() if s.level == 1}
    assert parts == {"部门概况": 9, "2023年度部门决算情况说明": 24, "名词解释": 100, "附件": 116}


def test_county_figure_location_is_exact(county):
    _, facts = county
    lines = COUNTY_PATH.read_bytes().decode("gb18030").split("\r\n")
    loc = facts.first("三公经费.公务接待费").location
    assert lines[loc.line - 1][loc.column - 1:loc.end_column - 1] == "6.47万元"


def test_county_directions(county):
    _, facts = county
    flat = _values(facts, "一般公共预算.项.方向", _item(EDU, "进修及培训", "教师进修"))
    assert flat and all(isinstance(d, Direction) and d.sign == 0 for d in flat)
    down = _values(facts, "一般公共预算.项.方向", _item(EDU, "普通教育", "小学教育"))
    assert down and all(isinstance(d, Direction) and d.sign == -1 for d in down)
    abroad = [f.value for f in facts.all("三公经费.因公出国费.方向")]
    assert abroad and all(d.sign == 0 for d in abroad)


def test_county_empty_state_capital_statement(county):
    fact = county[1].first("国有资本经营.空表说明")
    assert fact is not None and fact.location.line == 75 and "空表" in fact.value


def test_county_glossary(county):
    facts = county[1].all("名词解释.定义")
    terms = {f.dims_dict()["术语"]: f for f in facts}
    assert len(terms) == 13
    assert {"财政拨款收入", "上级补助收入", "事业收入", "基本支出", "三公经费", "机关运行经费", "政府采购"} \
        <= set(terms)
    assert terms["财政拨款收入"].location.line == 101
    assert terms["机关运行经费"].location.line == 112
    assert terms["机关运行经费"].value.startswith("指为保障行政单位")


def test_county_performance_tables(county):
    facts = county[1]
    kinds = {f.dims_dict()["项目"]: (f.value, f.location.line) for f in facts.all("绩效.自评表.类型")}
    assert kinds == {WHOLE: ("整体", 121), MEALS: ("项目", 274)}


def test_county_performance_targets(county):
    facts = county[1]
    target = facts.first("绩效.指标.目标值", _ind(WHOLE, "学前三年毛入园率"))
    assert target.location.line == 186
    assert isinstance(target.value, Target) and target.value.comparator == ">="
    assert target.value.value.value == Decimal("92") and target.value.value.unit == "%"

    target = facts.first("绩效.指标.目标值", _ind(WHOLE, "“三公”经费控制在预算以内")).value
    assert target.comparator == "<=" and target.value.value == Decimal("53.50") and target.value.unit == "万元"
    actual = facts.first("绩效.指标.实际值", _ind(WHOLE, "“三公”经费控制在预算以内"))
    assert actual.location.line == 227 and actual.value.value.value == Decimal("50.63")

    deadline = facts.first("绩效.指标.目标值", _ind(MEALS, "补助资金拨付完成时间"))
    assert deadline.location.line == 378 and deadline.value.comparator == "<="
    assert isinstance(deadline.value.value, DateValue)
    assert (deadline.value.value.year, deadline.value.value.month, deadline.value.value.day) == (2023, 12, 25)
    done = facts.first("绩效.指标.实际值", _ind(MEALS, "补助资金拨付完成时间")).value.value
    assert (done.year, done.month, done.day) == (2023, 12, 20)

    cost = facts.first("绩效.指标.目标值", _ind(MEALS, "每生每天膳食补助标准"))
    assert cost.location.line == 389 and cost.value.comparator == "<="
    assert cost.value.value.value == Decimal("5") and cost.value.value.unit == "元"

    satisfaction = facts.first("绩效.指标.实际值", _ind(MEALS, "学生家长满意度"))
    assert satisfaction.location.line == 423
    assert satisfaction.value.value.value == Decimal("88.50") and satisfaction.value.value.decimals == 2


def test_county_fact_count(county):
    assert len(COUNTY) >= 25
    assert len(county[1]) > 400


# ---------------------------------------------------------------------------------------------------
# hospital_2024.txt
# ---------------------------------------------------------------------------------------------------

PROJECT = "2024年县级急诊急救能力提升项目"

HOSPITAL = [
    # 人员
    ("人员.实有人数", (), "1300", "人", 13),
    ("人员.实有人数.增减额", (), "53", "人", 13),
    ("人员.在职人员", (), "1086", "人", 13),
    ("人员.在职人员.增减额", (), "42", "人", 13),
    ("人员.离休人员", (), "0", "人", 13),
    ("人员.退休人员", (), "214", "人", 13),
    ("人员.退休人员.增减额", (), "11", "人", 13),
    # 收入支出总体: 收入总计 ≠ 本年收入合计 here (结余 used, 结余分配 non-zero)
    ("收入.收入总计", (), "50694.43", "万元", 15),
    ("支出.支出总计", (), "50694.43", "万元", 15),
    ("收入.本年收入合计", (), "47381.24", "万元", 15),
    ("收入.使用非财政拨款结余", (), "850.00", "万元", 15),
    ("收入.年初结转和结余", (), "2463.18", "万元", 15),
    ("支出.本年支出合计", (), "47744.82", "万元", 15),
    ("支出.结余分配", (), "1135.49", "万元", 15),
    ("支出.年末结转和结余", (), "1814.12", "万元", 15),
    ("收入.收入总计.增减额", (), "2388.25", "万元", 16),
    ("收入.收入总计.增减率", (), "4.94", "%", 16),
    ("收入.本年收入合计.增减率", (), "5.40", "%", 18),
    # 收入 (one per numbered line)
    ("收入.财政拨款收入", (), "4043.71", "万元", 19),
    ("收入.财政拨款收入.占比", (), "8.53", "%", 19),
    ("收入.上级补助收入", (), "120.00", "万元", 20),
    ("收入.上级补助收入.占比", (), "0.25", "%", 20),
    ("收入.事业收入", (), "42318.77", "万元", 21),
    ("收入.事业收入.占比", (), "89.32", "%", 21),
    ("收入.经营收入", (), "386.15", "万元", 22),
    ("收入.经营收入.占比", (), "0.81", "%", 22),
    ("收入.附属单位上缴收入", (), "0.00", "万元", 23),
    ("收入.附属单位上缴收入.占比", (), "0.00", "%", 23),
    ("收入.其他收入", (), "512.60", "万元", 24),
    ("收入.其他收入.占比", (), "1.08", "%", 24),
    # 支出 (所占比重为)
    ("支出.本年支出合计", (), "47744.82", "万元", 27),
    ("支出.本年支出合计.增减率", (), "-1.13", "%", 27),
    ("支出.基本支出", (), "44185.59", "万元", 27),
    ("支出.基本支出.占比", (), "92.55", "%", 27),
    ("支出.项目支出", (), "2946.53", "万元", 27),
    ("支出.项目支出.占比", (), "6.17", "%", 27),
    ("支出.上缴上级支出", (), "0.00", "万元", 27),
    ("支出.上缴上级支出.占比", (), "0.00", "%", 27),
    ("支出.经营支出", (), "352.70", "万元", 27),
    ("支出.经营支出.占比", (), "0.74", "%", 27),
    ("支出.对附属单位补助支出", (), "260.00", "万元", 27),
    ("支出.对附属单位补助支出.占比", (), "0.54", "%", 27),
    # 财政拨款 (the change and the budget comparison are about 财政拨款支出 3,957.73)
    ("财政拨款.收入总计", (), "4169.11", "万元", 30),
    ("财政拨款.年初结转和结余", (), "125.40", "万元", 30),
    ("财政拨款.本年收入", (), "4043.71", "万元", 30),
    ("财政拨款.支出总计", (), "4169.11", "万元", 30),
    ("财政拨款.本年支出", (), "3957.73", "万元", 30),
    ("财政拨款.年末结转和结余", (), "211.38", "万元", 30),
    ("财政拨款.本年支出.增减额", (), "443.83", "万元", 31),
    ("财政拨款.本年支出.增减率", (), "12.63", "%", 31),
    ("财政拨款.本年支出.预算数", (), "3420.00", "万元", 31),
    ("财政拨款.本年支出.决算数", (), "3957.73", "万元", 31),
    ("财政拨款.本年支出.差异率", (), "15.72", "%", 31),
    # 一般公共预算: 类 in one sentence, then 1./(1) lines where (1) omits the 类
    ("一般公共预算.支出", (), "3957.73", "万元", 34),
    ("一般公共预算.支出.占比", (), "8.29", "%", 34),
    ("一般公共预算.支出.增减率", (), "12.63", "%", 34),
    ("一般公共预算.类.决算数", (("类", HEA),), "2681.86", "万元", 36),
    ("一般公共预算.类.占比", (("类", HEA),), "67.76", "%", 36),
    ("一般公共预算.类.决算数", (("类", SOC),), "854.34", "万元", 36),
    ("一般公共预算.类.占比", (("类", SOC),), "21.59", "%", 36),
    ("一般公共预算.类.决算数", (("类", HOU),), "421.53", "万元", 36),
    ("一般公共预算.类.占比", (("类", HOU),), "10.65", "%", 36),
    ("一般公共预算.类.决算数", (("类", HEA),), "2681.86", "万元", 38),
    ("一般公共预算.类.增减额", (("类", HEA),), "400.07", "万元", 38),
    ("一般公共预算.类.增减率", (("类", HEA),), "17.53", "%", 38),
    ("一般公共预算.项.决算数", _item(HEA, "公立医院", "综合医院"), "1864.52", "万元", 39),
    ("一般公共预算.项.增减额", _item(HEA, "公立医院", "综合医院"), "343.48", "万元", 39),
    ("一般公共预算.项.增减率", _item(HEA, "公立医院", "综合医院"), "22.58", "%", 39),
    ("一般公共预算.项.决算数", _item(HEA, "公共卫生", "基本公共卫生服务"), "341.26", "万元", 40),
    ("一般公共预算.项.增减额", _item(HEA, "公共卫生", "基本公共卫生服务"), "-17.15", "万元", 40),
    ("一般公共预算.项.增减率", _item(HEA, "公共卫生", "基本公共卫生服务"), "-4.79", "%", 40),
    ("一般公共预算.项.决算数", _item(HEA, "公共卫生", "重大公共卫生服务"), "128.65", "万元", 41),
    ("一般公共预算.项.决算数", _item(HEA, "行政事业单位医疗", "事业单位医疗"), "287.43", "万元", 43),
    ("一般公共预算.项.增减率", _item(HEA, "行政事业单位医疗", "事业单位医疗"), "5.02", "%", 43),
    ("一般公共预算.类.增减额", (("类", SOC),), "32.51", "万元", 44),
    ("一般公共预算.类.增减率", (("类", SOC),), "3.96", "%", 44),
    ("一般公共预算.项.决算数", _item(SOC, "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"), "610.24",
     "万元", 45),
    ("一般公共预算.项.增减额", _item(SOC, "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"), "23.22",
     "万元", 45),
    ("一般公共预算.项.决算数", _item(SOC, "行政事业单位养老支出", "机关事业单位职业年金缴费支出"), "244.10", "万元",
     46),
    ("一般公共预算.类.增减率", (("类", HOU),), "2.74", "%", 47),
    ("一般公共预算.项.决算数", _item(HOU, "住房改革支出", "住房公积金"), "421.53", "万元", 48),
    ("一般公共预算.项.增减额", _item(HOU, "住房改革支出", "住房公积金"), "11.24", "万元", 48),
    # 三公经费 (before 基本支出 in this document)
    ("三公经费.合计", (), "6.50", "万元", 51),
    ("三公经费.合计.预算数", (), "8.00", "万元", 51),
    ("三公经费.合计.完成率", (), "81.28", "%", 51),
    ("三公经费.合计.增减率", (), "-4.58", "%", 51),
    ("三公经费.因公出国费", (), "0.00", "万元", 51),
    ("三公经费.公务用车购置及运行维护费", (), "4.64", "万元", 51),
    ("三公经费.公务用车购置及运行维护费.占比", (), "71.33", "%", 51),
    ("三公经费.公务接待费", (), "1.86", "万元", 51),
    ("三公经费.公务接待费.占比", (), "28.67", "%", 51),
    ("三公经费.出国团组数", (), "0", "个", 53),
    ("三公经费.出国人次", (), "0", "人次", 53),
    ("三公经费.公务用车购置费", (), "0.00", "万元", 54),
    ("三公经费.公务用车购置数", (), "0", "辆", 54),
    ("三公经费.公务用车运行维护费", (), "46380.00", "元", 54),
    ("三公经费.公务用车运行维护费.增减额", (), "-6535.40", "元", 54),
    ("三公经费.公务用车运行维护费.增减率", (), "-12.35", "%", 54),
    ("三公经费.公务用车保有量", (), "2", "辆", 54),
    ("三公经费.公务接待费", (), "1.86", "万元", 55),
    ("三公经费.公务接待费.增减率", (), "22.40", "%", 55),
    ("三公经费.公务接待批次", (), "9", "批次", 55),
    ("三公经费.公务接待人次", (), "86", "人次", 55),
    ("三公经费.公务用车运行维护费.预算数", (), "6.00", "万元", 57),
    ("三公经费.公务用车运行维护费.决算数", (), "4.64", "万元", 57),
    ("三公经费.公务用车运行维护费.差异率", (), "-22.70", "%", 57),
    ("三公经费.公务接待费.预算数", (), "2.00", "万元", 57),
    ("三公经费.公务接待费.决算数", (), "1.86", "万元", 57),
    ("三公经费.公务接待费.差异率", (), "-6.79", "%", 57),
    # 基本支出 / 政府采购 / 国有资产
    ("基本支出.合计", (), "1820.76", "万元", 59),
    ("基本支出.人员经费", (), "1768.42", "万元", 59),
    ("基本支出.公用经费", (), "52.34", "万元", 59),
    ("政府采购.总额", (), "4768.31", "万元", 68),
    ("政府采购.货物", (), "3268.42", "万元", 68),
    ("政府采购.工程", (), "587.23", "万元", 68),
    ("政府采购.服务", (), "912.67", "万元", 68),
    ("政府采购.中小企业合同金额", (), "3402.12", "万元", 68),
    ("政府采购.中小企业合同金额.占比", (), "71.35", "%", 68),
    ("国有资产.房屋", (), "68540.00", "平方米", 70),
    ("国有资产.房屋.价值", (), "31286.55", "万元", 70),
    ("国有资产.车辆", (), "9", "辆", 70),
    ("国有资产.车辆.价值", (), "412.38", "万元", 70),
    ("国有资产.车辆用途.数量", (("用途", "特种专业技术用车"),), "7", "辆", 70),
    ("国有资产.车辆用途.数量", (("用途", "其他用车"),), "2", "辆", 70),
    ("国有资产.大型设备", (), "14", "台（套）", 70),
    ("国有资产.车辆", (), "9", "辆", 71),
    # 绩效: narrative and the project table (lines 74–248)
    ("绩效.评价项目.预算数", (), "360.00", "万元", 73),
    ("绩效.评价项目.决算数", (), "342.60", "万元", 73),
    ("绩效.资金.年初预算数", _fund(PROJECT, "年度资金总额"), "300.00", "万元", 97),
    ("绩效.资金.全年预算数", _fund(PROJECT, "年度资金总额"), "360.00", "万元", 98),
    ("绩效.资金.全年执行数", _fund(PROJECT, "年度资金总额"), "342.60", "万元", 99),
    ("绩效.资金.分值", _fund(PROJECT, "年度资金总额"), "10", "", 100),
    ("绩效.资金.执行率", _fund(PROJECT, "年度资金总额"), "95.17", "%", 101),
    ("绩效.资金.得分", _fund(PROJECT, "年度资金总额"), "9.52", "", 102),
    ("绩效.资金.年初预算数", _fund(PROJECT, "当年财政拨款"), "300.00", "万元", 106),
    ("绩效.资金.全年预算数", _fund(PROJECT, "当年财政拨款"), "300.00", "万元", 107),
    ("绩效.资金.全年执行数", _fund(PROJECT, "当年财政拨款"), "300.00", "万元", 108),
    ("绩效.资金.年初预算数", _fund(PROJECT, "其他资金"), "0.00", "万元", 115),
    ("绩效.资金.全年预算数", _fund(PROJECT, "其他资金"), "60.00", "万元", 116),
    ("绩效.资金.全年执行数", _fund(PROJECT, "其他资金"), "42.60", "万元", 117),
    ("绩效.指标.权重", _ind(PROJECT, "购置急救设备数量"), "15", "", 145),
    ("绩效.指标.得分", _ind(PROJECT, "购置急救设备数量"), "15", "", 149),
    ("绩效.指标.权重", _ind(PROJECT, "培训急诊医护人员"), "10", "", 157),
    ("绩效.指标.得分", _ind(PROJECT, "设备验收合格率"), "10", "", 173),
    ("绩效.指标.权重", _ind(PROJECT, "急危重症患者抢救成功率"), "15", "", 205),
    ("绩效.指标.权重", _ind(PROJECT, "院前急救平均响应时间"), "10", "", 217),
    ("绩效.指标.完成率", _ind(PROJECT, "院前急救平均响应时间"), "93.75", "%", 220),
    ("绩效.指标.得分", _ind(PROJECT, "院前急救平均响应时间"), "9.38", "", 221),
    ("绩效.指标.得分", _ind(PROJECT, "患者满意度"), "10", "", 233),
    ("绩效.自评表.权重合计", (("项目", PROJECT),), "100", "", 241),
    ("绩效.自评表.总分", (("项目", PROJECT),), "98.90", "", 245),
]


@pytest.mark.parametrize(("name", "dims", "value", "unit", "line"), HOSPITAL, ids=_ids(HOSPITAL))
def test_hospital_fact(hospital, name, dims, value, unit, line):
    check_quantity(hospital[1], name, dims, value, unit, line)


def test_hospital_encoding_and_bom(hospital):
    document, _ = hospital
    assert document.encoding == "utf-8-sig"
    first = document.paragraphs()[0]
    assert first.text == "松岭县人民医院2024年度单位决算公开说明"
    assert first.location.line == 1


def test_hospital_figure_location_is_exact(hospital):
    _, facts = hospital
    lines = HOSPITAL_PATH.read_text(encoding="utf-8-sig").split("\n")
    loc = facts.first("三公经费.公务用车运行维护费").location
    assert loc.line == 54
    assert lines[loc.line - 1][loc.column - 1:loc.end_column - 1] == "46,380.00元"


def test_hospital_directions(hospital):
    _, facts = hospital
    retired = [f.value for f in facts.all("人员.离休人员.方向")]
    assert retired and all(isinstance(d, Direction) and d.sign == 0 for d in retired)
    major = _values(facts, "一般公共预算.项.方向", _item(HEA, "公共卫生", "重大公共卫生服务"))
    assert major and all(d.sign == 0 for d in major)
    spending = [f.value for f in facts.all("支出.本年支出合计.方向")]
    assert spending and all(d.sign == -1 for d in spending)


def test_hospital_empty_fund_statements(hospital):
    facts = hospital[1]
    fund = facts.first("政府性基金.空表说明")
    assert fund is not None and fund.location.line == 61 and "空表" in fund.value
    capital = facts.first("国有资本经营.空表说明")
    assert capital is not None and capital.location.line == 63 and "空表" in capital.value


def test_hospital_glossary(hospital):
    facts = hospital[1].all("名词解释.定义")
    terms = {f.dims_dict()["术语"]: f for f in facts}
    assert len(terms) == 15
    assert {"使用非财政拨款结余", "结余分配", "经营支出", "对附属单位补助支出", "三公经费", "机关运行经费"} \
        <= set(terms)
    assert terms["结余分配"].location.line == 259
    assert terms["机关运行经费"].location.line == 266


def test_hospital_performance_table(hospital):
    facts = hospital[1]
    kinds = [(f.value, f.dims_dict()["项目"], f.location.line) for f in facts.all("绩效.自评表.类型")]
    assert kinds == [("项目", PROJECT, 74)]

    response = facts.first("绩效.指标.目标值", _ind(PROJECT, "院前急救平均响应时间"))
    assert response.location.line == 218
    assert isinstance(response.value, Target) and response.value.comparator == "<="
    assert response.value.text == "<=15分钟" and response.value.value.value == Decimal("15")
    actual = facts.first("绩效.指标.实际值", _ind(PROJECT, "院前急救平均响应时间"))
    assert actual.location.line == 219
    assert actual.value.text == "16分钟" and actual.value.value.value == Decimal("16")

    devices = facts.first("绩效.指标.目标值", _ind(PROJECT, "购置急救设备数量")).value
    assert devices.comparator == ">=" and devices.value.value == Decimal("8") and devices.value.unit == "台（套）"

    deadline = facts.first("绩效.指标.目标值", _ind(PROJECT, "设备安装调试完成时间"))
    assert deadline.location.line == 182 and deadline.value.comparator == "<="
    assert (deadline.value.value.year, deadline.value.value.month, deadline.value.value.day) == (2024, 11, 30)
    done = facts.first("绩效.指标.实际值", _ind(PROJECT, "设备安装调试完成时间")).value.value
    assert (done.year, done.month, done.day) == (2024, 11, 26)

    cost = facts.first("绩效.指标.目标值", _ind(PROJECT, "急救设备购置成本"))
    assert cost.location.line == 194 and cost.value.comparator == "<="
    assert cost.value.value.value == Decimal("300") and cost.value.value.unit == "万元"
    spent = facts.first("绩效.指标.实际值", _ind(PROJECT, "急救设备购置成本")).value.value
    assert spent.value == Decimal("300.00") and spent.decimals == 2

    reason = facts.first("绩效.指标.偏差原因", _ind(PROJECT, "院前急救平均响应时间"))
    assert reason.location.line == 224 and "急救站点" in reason.value


def test_hospital_fact_count(hospital):
    assert len(HOSPITAL) >= 25
    assert len(hospital[1]) > 300


# ---------------------------------------------------------------------------------------------------
# street_office_2024.docx
# ---------------------------------------------------------------------------------------------------

PUB = "一般公共服务支出"
CITY = "城乡社区支出"


def P(n):
    return ("P", n)


STREET = [
    # 人员
    ("人员.实有人数", (), "103", "人", P(12)),
    ("人员.在职人员", (), "68", "人", P(12)),
    ("人员.在职人员.增减额", (), "2", "人", P(12)),
    ("人员.离休人员", (), "0", "人", P(12)),
    ("人员.退休人员", (), "35", "人", P(12)),
    ("人员.退休人员.增减额", (), "3", "人", P(12)),
    ("人员.实有人数.增减额", (), "5", "人", P(12)),
    # 收入支出总体
    ("收入.收入总计", (), "2552.35", "万元", P(15)),
    ("收入.本年收入合计", (), "2516.15", "万元", P(15)),
    ("收入.使用非财政拨款结余", (), "0.00", "万元", P(15)),
    ("收入.年初结转和结余", (), "36.20", "万元", P(15)),
    ("支出.支出总计", (), "2552.35", "万元", P(15)),
    ("支出.本年支出合计", (), "2533.90", "万元", P(15)),
    ("支出.结余分配", (), "0.00", "万元", P(15)),
    ("支出.年末结转和结余", (), "18.45", "万元", P(15)),
    ("收入.收入总计.增减额", (), "142.12", "万元", P(16)),
    ("收入.收入总计.增减率", (), "5.90", "%", P(16)),
    # 收入 / 支出
    ("收入.本年收入合计", (), "2516.15", "万元", P(18)),
    ("收入.财政拨款收入", (), "2507.79", "万元", P(18)),
    ("收入.财政拨款收入.占比", (), "99.67", "%", P(18)),
    ("收入.其他收入", (), "8.36", "万元", P(18)),
    ("收入.其他收入.占比", (), "0.33", "%", P(18)),
    ("收入.附属单位上缴收入", (), "0.00", "万元", P(18)),
    ("支出.本年支出合计", (), "2533.90", "万元", P(20)),
    ("支出.基本支出", (), "1658.88", "万元", P(20)),
    ("支出.基本支出.占比", (), "65.47", "%", P(20)),
    ("支出.项目支出", (), "875.02", "万元", P(20)),
    ("支出.项目支出.占比", (), "34.53", "%", P(20)),
    # 财政拨款
    ("财政拨款.收入总计", (), "2543.99", "万元", P(22)),
    ("财政拨款.年初结转和结余", (), "36.20", "万元", P(22)),
    ("财政拨款.本年收入", (), "2507.79", "万元", P(22)),
    ("财政拨款.支出总计", (), "2543.99", "万元", P(22)),
    ("财政拨款.本年支出", (), "2525.54", "万元", P(22)),
    ("财政拨款.年末结转和结余", (), "18.45", "万元", P(22)),
    # 一般公共预算 (the 类 figures are only in table 1)
    ("一般公共预算.支出", (), "2525.54", "万元", P(25)),
    ("一般公共预算.支出.占比", (), "99.67", "%", P(25)),
    ("一般公共预算.支出.增减额", (), "24.91", "万元", P(25)),
    ("一般公共预算.支出.增减率", (), "1.00", "%", P(25)),
    ("一般公共预算.支出.预算数", (), "2480.00", "万元", P(25)),
    ("一般公共预算.支出.决算数", (), "2525.54", "万元", P(25)),
    ("一般公共预算.支出.差异率", (), "1.84", "%", P(25)),
    ("一般公共预算.项.决算数", _item(SOC, "民政管理事务", "基层政权建设和社区治理"), "368.00", "万元", P(31)),
    ("一般公共预算.项.增减额", _item(SOC, "民政管理事务", "基层政权建设和社区治理"), "56.00", "万元", P(31)),
    ("一般公共预算.项.增减率", _item(SOC, "民政管理事务", "基层政权建设和社区治理"), "17.95", "%", P(31)),
    ("一般公共预算.项.决算数", _item(SOC, "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"), "120.44",
     "万元", P(32)),
    ("一般公共预算.项.增减率", _item(SOC, "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"), "2.37",
     "%", P(32)),
    ("一般公共预算.项.决算数", _item(SOC, "行政事业单位养老支出", "机关事业单位职业年金缴费支出"), "48.18", "万元",
     P(33)),
    ("一般公共预算.项.增减额", _item(SOC, "行政事业单位养老支出", "机关事业单位职业年金缴费支出"), "1.12", "万元",
     P(33)),
    ("一般公共预算.项.决算数", _item(HEA, "行政事业单位医疗", "行政单位医疗"), "54.23", "万元", P(34)),
    ("一般公共预算.项.增减率", _item(HEA, "行政事业单位医疗", "行政单位医疗"), "2.32", "%", P(34)),
    ("一般公共预算.项.决算数", _item(CITY, "城乡社区管理事务", "城管执法"), "296.54", "万元", P(35)),
    ("一般公共预算.项.决算数", _item(CITY, "城乡社区环境卫生", "城乡社区环境卫生"), "587.61", "万元", P(36)),
    ("一般公共预算.项.增减额", _item(CITY, "城乡社区环境卫生", "城乡社区环境卫生"), "-36.58", "万元", P(36)),
    ("一般公共预算.项.增减率", _item(CITY, "城乡社区环境卫生", "城乡社区环境卫生"), "-5.86", "%", P(36)),
    ("一般公共预算.项.决算数", _item(HOU, "住房改革支出", "住房公积金"), "93.62", "万元", P(37)),
    ("一般公共预算.项.增减额", _item(HOU, "住房改革支出", "住房公积金"), "2.37", "万元", P(37)),
    ("一般公共预算.项.增减率", _item(HOU, "住房改革支出", "住房公积金"), "2.59", "%", P(37)),
    # 基本支出
    ("基本支出.合计", (), "1658.88", "万元", P(39)),
    ("基本支出.人员经费", (), "1482.36", "万元", P(39)),
    ("基本支出.公用经费", (), "176.52", "万元", P(39)),
    # 三公经费
    ("三公经费.合计", (), "3.97", "万元", P(45)),
    ("三公经费.合计.增减额", (), "-0.63", "万元", P(45)),
    ("三公经费.合计.增减率", (), "-13.73", "%", P(45)),
    ("三公经费.因公出国费", (), "0.00", "万元", P(45)),
    ("三公经费.因公出国费.占比", (), "0.00", "%", P(45)),
    ("三公经费.公务用车购置及运行维护费", (), "3.12", "万元", P(45)),
    ("三公经费.公务用车购置及运行维护费.占比", (), "78.66", "%", P(45)),
    ("三公经费.公务接待费", (), "0.85", "万元", P(45)),
    ("三公经费.公务接待费.占比", (), "21.34", "%", P(45)),
    ("三公经费.出国人次", (), "0", "人次", P(46)),
    ("三公经费.公务用车购置费", (), "0.00", "万元", P(47)),
    ("三公经费.公务用车购置数", (), "0", "辆", P(47)),
    ("三公经费.公务用车运行维护费", (), "3.12", "万元", P(47)),
    ("三公经费.公务用车运行维护费.增减额", (), "-0.46", "万元", P(47)),
    ("三公经费.公务用车运行维护费.增减率", (), "-12.80", "%", P(47)),
    ("三公经费.公务用车保有量", (), "1", "辆", P(47)),
    ("三公经费.公务接待费", (), "0.85", "万元", P(48)),
    ("三公经费.公务接待费.增减额", (), "-0.17", "万元", P(48)),
    ("三公经费.公务接待费.增减率", (), "-17.03", "%", P(48)),
    ("三公经费.公务接待批次", (), "6", "批次", P(48)),
    ("三公经费.公务接待人次", (), "48", "人次", P(48)),
    ("三公经费.合计.预算数", (), "4.60", "万元", P(49)),
    ("三公经费.合计.决算数", (), "3.97", "万元", P(49)),
    ("三公经费.合计.完成率", (), "86.33", "%", P(49)),
    # 机关运行经费 / 政府采购 / 国有资产
    ("机关运行经费.支出", (), "176.52", "万元", P(52)),
    ("机关运行经费.支出.增减额", (), "-5.72", "万元", P(52)),
    ("机关运行经费.支出.增减率", (), "-3.14", "%", P(52)),
    ("政府采购.总额", (), "587.82", "万元", P(54)),
    ("政府采购.货物", (), "48.60", "万元", P(54)),
    ("政府采购.工程", (), "126.35", "万元", P(54)),
    ("政府采购.服务", (), "412.87", "万元", P(54)),
    ("政府采购.中小企业合同金额", (), "587.82", "万元", P(54)),
    ("政府采购.中小企业合同金额.占比", (), "100.00", "%", P(54)),
    ("国有资产.房屋", (), "6240.00", "平方米", P(56)),
    ("国有资产.房屋.价值", (), "1865.30", "万元", P(56)),
    ("国有资产.车辆", (), "1", "辆", P(56)),
    ("国有资产.车辆.价值", (), "18.60", "万元", P(56)),
    ("国有资产.车辆用途.数量", (("用途", "应急保障用车"),), "1", "辆", P(56)),
    ("国有资产.大型设备", (), "0", "台（套）", P(56)),
    # 绩效 (narrative)
    ("绩效.评价项目.预算数", (), "210.00", "万元", P(58)),
    ("绩效.评价项目.决算数", (), "203.70", "万元", P(58)),
    ("绩效.评价项目.完成率", (), "97.00", "%", P(58)),
    # the 类 structure given as a table (T1): its rows read as the sentences would, at their cells
    ("一般公共预算.类.决算数", (("类", PUB),), "956.92", "万元", ("T", 1, 3, 2)),
    ("一般公共预算.类.占比", (("类", PUB),), "37.89", "%", ("T", 1, 3, 3)),
    ("一般公共预算.类.决算数", (("类", CITY),), "884.15", "万元", ("T", 1, 6, 2)),
    ("一般公共预算.类.占比", (("类", CITY),), "35.01", "%", ("T", 1, 6, 3)),
]


@pytest.mark.parametrize(("name", "dims", "value", "unit", "where"), STREET, ids=_ids(STREET))
def test_street_fact(street, name, dims, value, unit, where):
    check_quantity(street[1], name, dims, value, unit, where)


def test_street_format(street):
    document, _ = street
    assert document.format == "docx"
    assert document.encoding is None


def test_street_headings_became_sections(street, street_path):
    document, _ = street
    word = docx.Document(str(street_path))
    headings = {i: int(p.style.name.split()[-1]) for i, p in enumerate(word.paragraphs, 1)
                if p.style.name.startswith("Heading ")}
    sections = {s.heading.location.paragraph: s for s in document.sections()}
    # every Word heading (Heading 1–3) is a section at its level, and nothing else is
    assert {i: s.level for i, s in sections.items()} == headings
    assert 1 not in sections  # the Title paragraph is not a section
    assert 5 not in sections and 29 not in sections  # body paragraphs numbered （一）/1. stay body text
    parts = [s.title for s in document.sections() if s.level == 1]
    assert parts == ["单位概况", "2024年度部门决算情况说明", "名词解释", "附件"]
    three_public = sections[44]
    assert three_public.title == "财政拨款“三公”经费支出决算情况说明" and three_public.number == "九"
    assert [s.title for s in three_public.parent.children][:2] == ["收入支出决算总体情况说明", "收入决算情况说明"]
    assert [s.title for s in sections[50].children] == ["机关运行经费支出情况", "政府采购支出情况", "国有资产占用情况",
                                                        "预算绩效管理情况"]
    # the paragraphs under a heading belong to its section
    structure = sections[28]
    assert structure.title == "具体情况" and structure.level == 3
    paragraphs = [b.location.paragraph for b in structure.blocks if isinstance(b, Paragraph)]
    assert paragraphs == list(range(29, 38))


def test_street_tables_read_in_place(street):
    document, _ = street
    blocks = document.blocks
    tables = document.tables()
    assert [t.location.table for t in tables] == [1, 2, 3]
    # T1 after P27, T2 after P49, T3 after P58
    for table, before in zip(tables, (27, 49, 58), strict=True):
        previous = blocks[blocks.index(table) - 1]
        assert isinstance(previous, Paragraph) and previous.location.paragraph == before

    def cell(t, r, c):
        found = tables[t - 1].rows[r - 1].cells[c - 1]
        assert (found.location.table, found.location.row, found.location.cell) == (t, r, c)
        return found.text

    # merged cells: the two-row header of the 三公 table and the values under it stay in their grid columns
    assert cell(2, 2, 4) == "公务用车购置及运行维护费"
    assert [cell(2, 3, c) for c in (4, 5, 6)] == ["小计", "公务用车购置费", "公务用车运行维护费"]
    assert [cell(2, 5, c) for c in range(1, 8)] == ["决算数", "3.97", "0.00", "3.12", "0.00", "3.12", "0.85"]
    assert cell(1, 8, 2) == "2,525.54" and cell(1, 8, 3) == "100.00%"
    assert cell(3, 3, 2) == "2024年老旧小区环境综合整治项目"
    assert [cell(3, 6, c) for c in range(2, 9)] == ["年度资金总额", "180.00", "210.00", "203.70", "10", "97.00%",
                                                    "9.70"]
    assert [cell(3, 16, c) for c in (3, 4, 5, 6)] == ["工程造价控制", "10", "<=210万元", "203.70万元"]
    assert isinstance(tables[0], Table)


def test_street_figure_location_is_exact(street, street_path):
    _, facts = street
    word = docx.Document(str(street_path))
    loc = facts.first("三公经费.公务用车保有量").location
    assert loc.paragraph == 47
    text = word.paragraphs[loc.paragraph - 1].text
    assert text[loc.column - 1:loc.end_column - 1] == "1辆"


def test_street_directions(street):
    _, facts = street
    flat = _values(facts, "一般公共预算.项.方向", _item(CITY, "城乡社区管理事务", "城管执法"))
    assert flat and all(isinstance(d, Direction) and d.sign == 0 for d in flat)
    down = [f.value for f in facts.all("三公经费.合计.方向")]
    assert down and all(d.sign == -1 for d in down)


def test_street_empty_fund_statements(street):
    facts = street[1]
    fund = facts.first("政府性基金.空表说明")
    assert fund is not None and fund.location.paragraph == 41 and "空表" in fund.value
    capital = facts.first("国有资本经营.空表说明")
    assert capital is not None and capital.location.paragraph == 43 and "空表" in capital.value


def test_street_glossary(street):
    facts = street[1].all("名词解释.定义")
    terms = {f.dims_dict()["术语"]: f.location.paragraph for f in facts}
    assert terms == {"财政拨款收入": 62, "其他收入": 63, "年初结转和结余": 64, "年末结转和结余": 65, "基本支出": 66,
                     "项目支出": 67, "三公经费": 68, "机关运行经费": 69}


def test_street_fact_count(street):
    assert len(STREET) >= 25
    assert len(street[1]) > 150
