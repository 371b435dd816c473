"""The demo's nine standard tables (its 附表), as tab-cell text, as an .xlsx workbook and as an .xls workbook.

The demo disclosure (examples/demo/disclosure.txt) says its tables are attached (第四部分 部门决算报表
（见附表）). These are those tables, written from the demo's figures, with three errors planted in the
tables themselves (see examples/demo/ERRORS.md, "The attached tables"):

* 收入支出决算总表 八、其他收入 48.12 (the narrative and every other table say 48.21);
* 基本支出决算表 30201 办公费 66.00, a number stored as text (its 类 302 adds up with 60.00);
* 一般公共预算财政拨款支出决算表 2101101 行政单位医疗 基本支出 136.87 (合计 136.78).

Each table is its rows as printed (a merged header cell's text in its first cell, the cells it covers
empty) and its merged ranges, so one description gives all three forms: ``tables_text`` (the text
convention), ``write_xlsx`` (openpyxl: one sheet per table, or every table on one sheet) and
``write_xls`` (xlwt). In the workbooks amounts are number cells with a ``#,##0.00`` format, except
the amounts listed in ``AS_TEXT``, which are stored as text, as exports often do.

    python tests/workbooks.py examples/demo/tables.xlsx      # the demo's attachment
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

UNIT_NAME = "编制单位：云泽市市场监督管理局"
UNIT = "单位：万元"
AMOUNT = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}$")
CODE = re.compile(r"\d{3}(?:\d{2}){0,2}$")
#: Amounts written as text cells, not number cells: (table number, row, column), 0-based within the table.
AS_TEXT = {(6, 3, 5)}


@dataclass
class SheetTable:
    number: str
    title: str
    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    note: str | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)


def _pad(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


SUBJECT_HEADER = 2  # header rows of a 科目 table


def _subject_table(number: str, title: str, columns: list[str], rows: list[list[str]]) -> SheetTable:
    header = [["项目", "", *columns], ["科目编码", "科目名称", *[""] * len(columns)]]
    merges = [(0, 0, 0, 1), *((0, c, 1, c) for c in range(2, 2 + len(columns)))]
    return SheetTable(number, title, _pad([*header, *rows]), merges)


#: The 项 of the 一般公共预算 spending: code, name, 合计, 基本支出, 项目支出.
GENERAL_ITEMS = [
    ["201", "一般公共服务支出", "3,998.04", "2,390.58", "1,607.46"],
    ["20138", "市场监督管理事务", "3,998.04", "2,390.58", "1,607.46"],
    ["2013801", "行政运行", "2,386.45", "2,386.45", ""],
    ["2013802", "一般行政管理事务", "312.88", "4.13", "308.75"],
    ["2013805", "市场监管执法", "456.78", "", "456.78"],
    ["2013810", "质量基础", "95.11", "", "95.11"],
    ["2013816", "食品安全监管", "618.30", "", "618.30"],
    ["2013899", "其他市场监督管理事务", "128.50", "", "128.50"],
    ["208", "社会保障和就业支出", "632.05", "632.05", ""],
    ["20805", "行政事业单位养老支出", "632.05", "632.05", ""],
    ["2080501", "行政单位离退休", "210.33", "210.33", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "301.22", "301.22", ""],
    ["2080506", "机关事业单位职业年金缴费支出", "120.49", "120.49", ""],
    ["210", "卫生健康支出", "176.88", "176.88", ""],
    ["21011", "行政事业单位医疗", "176.88", "176.88", ""],
    ["2101101", "行政单位医疗", "136.78", "136.78", ""],
    ["2101103", "公务员医疗补助", "40.10", "40.10", ""],
    ["221", "住房保障支出", "205.67", "205.67", ""],
    ["22102", "住房改革支出", "205.67", "205.67", ""],
    ["2210201", "住房公积金", "205.67", "205.67", ""],
]


TOTALS = SheetTable("一", "收入支出决算总表", _pad([
    ["收入", "", "支出", ""],
    ["项目", "决算数", "项目", "决算数"],
    ["一、一般公共预算财政拨款收入", "4,969.39", "一、一般公共服务支出", "4,046.26"],
    ["二、政府性基金预算财政拨款收入", "0.00", "二、社会保障和就业支出", "632.05"],
    ["三、国有资本经营预算财政拨款收入", "0.00", "三、卫生健康支出", "176.88"],
    ["四、上级补助收入", "0.00", "四、住房保障支出", "205.67"],
    ["五、事业收入", "0.00", "", ""],
    ["六、经营收入", "0.00", "", ""],
    ["七、附属单位上缴收入", "0.00", "", ""],
    ["八、其他收入", "48.12", "", ""],  # planted: 48.21
    ["本年收入合计", "5,017.60", "本年支出合计", "5,060.84"],
    ["使用非财政拨款结余", "0.00", "结余分配", "0.00"],
    ["年初结转和结余", "85.40", "年末结转和结余", "42.16"],
    ["总计", "5,103.00", "总计", "5,103.00"],
]), [(0, 0, 0, 1), (0, 2, 0, 3)])

INCOME = _subject_table("二", "收入决算表", ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                                          "附属单位上缴收入", "其他收入"], [
    ["合计", "", "5,017.60", "4,969.39", "0.00", "0.00", "0.00", "0.00", "48.21"],
    ["201", "一般公共服务支出", "4,003.01", "3,954.80", "", "", "", "", "48.21"],
    ["20138", "市场监督管理事务", "4,003.01", "3,954.80", "", "", "", "", "48.21"],
    ["2013801", "行政运行", "2,386.45", "2,386.45"],
    ["2013802", "一般行政管理事务", "312.88", "312.88"],
    ["2013805", "市场监管执法", "456.78", "456.78"],
    ["2013810", "质量基础", "95.11", "95.11"],
    ["2013816", "食品安全监管", "666.51", "618.30", "", "", "", "", "48.21"],
    ["2013899", "其他市场监督管理事务", "85.26", "85.26"],  # 43.24 of its 128.50 spent from last year's funds
    *([code, name, total, total] for code, name, total, _, _ in GENERAL_ITEMS if code[:3] != "201"),
])

def _spending_rows() -> list[list[str]]:
    """The 支出决算表: all funds, so 其他收入 48.21 is spent on 食品安全监管 projects besides the 一般公共预算."""
    extra = {"201": ("4,046.26", "2,390.58", "1,655.68"), "20138": ("4,046.26", "2,390.58", "1,655.68"),
             "2013816": ("666.52", "", "666.52")}
    rows = [["合计", "", "5,060.84", "3,405.17", "1,655.68", "", "", ""]]
    for code, name, total, basic, project in GENERAL_ITEMS:
        total, basic, project = extra.get(code, (total, basic, project))
        rows.append([code, name, total, basic, project, "", "", ""])
    return rows


SPENDING = _subject_table("三", "支出决算表", ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                                            "对附属单位补助支出"], _spending_rows())

FISCAL = SheetTable("四", "财政拨款收入支出决算总表", _pad([
    ["收入", "", "支出", "", "", "", ""],
    ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
    ["一、一般公共预算财政拨款", "4,969.39", "一、一般公共服务支出", "3,998.04", "3,998.04", "", ""],
    ["二、政府性基金预算财政拨款", "0.00", "二、社会保障和就业支出", "632.05", "632.05", "", ""],
    ["三、国有资本经营预算财政拨款", "0.00", "三、卫生健康支出", "176.88", "176.88", "", ""],
    ["", "", "四、住房保障支出", "205.67", "205.67", "", ""],
    ["本年收入合计", "4,969.39", "本年支出合计", "5,012.63", "5,012.63", "0.00", "0.00"],
    ["年初财政拨款结转和结余", "85.40", "年末财政拨款结转和结余", "42.16", "42.16", "0.00", "0.00"],
    ["一般公共预算财政拨款", "85.40", "", "", "", "", ""],
    ["政府性基金预算财政拨款", "0.00", "", "", "", "", ""],
    ["国有资本经营预算财政拨款", "0.00", "", "", "", "", ""],
    ["总计", "5,054.79", "总计", "5,054.79", "5,054.79", "0.00", "0.00"],
]), [(0, 0, 0, 1), (0, 2, 0, 6)])


def _general_rows() -> list[list[str]]:
    rows = [["合计", "", "5,012.63", "3,405.17", "1,607.46"]]
    for row in GENERAL_ITEMS:  # planted: 基本支出 136.87 under a 合计 of 136.78
        rows.append(["2101101", "行政单位医疗", "136.78", "136.87", ""] if row[0] == "2101101" else list(row))
    return rows


GENERAL = _subject_table("五", "一般公共预算财政拨款支出决算表", ["合计", "基本支出", "项目支出"], _general_rows())

BASIC = SheetTable("六", "一般公共预算财政拨款基本支出决算表", _pad([
    ["人员经费", "", "", "公用经费", "", ""],
    ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"],
    ["301", "工资福利支出", "2,780.20", "302", "商品和服务支出", "372.44"],
    ["30101", "基本工资", "820.00", "30201", "办公费", "66.00"],  # planted: 60.00, stored as text
    ["30102", "津贴补贴", "610.50", "30205", "水费", "8.00"],
    ["30103", "奖金", "120.30", "30206", "电费", "30.00"],
    ["30107", "绩效工资", "540.00", "30207", "邮电费", "12.00"],
    ["30108", "机关事业单位基本养老保险缴费", "301.22", "30211", "差旅费", "40.00"],
    ["30109", "职业年金缴费", "120.49", "30213", "维修（护）费", "25.00"],
    ["30110", "职工基本医疗保险缴费", "136.78", "30215", "会议费", "8.00"],
    ["30113", "住房公积金", "130.91", "30216", "培训费", "10.00"],
    ["303", "对个人和家庭的补助", "238.53", "30217", "公务接待费", "1.00"],
    ["30302", "退休费", "210.33", "30228", "工会经费", "40.00"],
    ["30305", "生活补助", "28.20", "30229", "福利费", "30.00"],
    ["", "", "", "30231", "公务用车运行维护费", "24.37"],
    ["", "", "", "30239", "其他交通费用", "84.07"],
    ["", "", "", "310", "资本性支出", "14.00"],
    ["", "", "", "31002", "办公设备购置", "14.00"],
    ["人员经费合计", "", "3,018.73", "公用经费合计", "", "386.44"],
]), [(0, 0, 0, 2), (0, 3, 0, 5)])


def _fund_table(number: str, title: str, note: str) -> SheetTable:
    rows = [["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
            ["科目编码", "科目名称", "", "", "合计", "基本支出", "项目支出", ""],
            ["合计", "", "", "", "", "", "", ""]]
    merges = [(0, 0, 0, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 0, 6), (0, 7, 1, 7)]
    return SheetTable(number, title, rows, merges, note)


FUND = _fund_table("七", "政府性基金预算财政拨款收入支出决算表",
                   "注：本部门2024年度无政府性基金预算财政拨款收入、支出及结转和结余，本表无数据。")
CAPITAL = _fund_table("八", "国有资本经营预算财政拨款收入支出决算表",
                      "注：本部门2024年度无国有资本经营预算财政拨款收入、支出及结转和结余，本表无数据。")

SANGONG = SheetTable("九", "财政拨款“三公”经费支出决算表", [
    ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费", "", "", "", "", "", "公务接待费", ""],
    ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行费", "", "", ""],
    ["预算数", "决算数"] * 6,
    ["46.00", "43.87", "0.00", "0.00", "44.50", "42.87", "18.50", "18.50", "26.00", "24.37", "1.50", "1.00"],
], [(0, 0, 1, 1), (0, 2, 1, 3), (0, 4, 0, 9), (0, 10, 1, 11), (1, 4, 1, 5), (1, 6, 1, 7), (1, 8, 1, 9)])

TABLES = [TOTALS, INCOME, SPENDING, FISCAL, GENERAL, BASIC, FUND, CAPITAL, SANGONG]


def tables_text() -> str:
    """The nine tables in the tab-cell text convention: heading, 编制单位 and 单位 as paragraphs, then the table."""
    out: list[str] = []
    for table in TABLES:
        body = "\n\n".join("\n".join("\t" + cell for cell in row) for row in table.rows)
        out.append(f"{table.heading}\n{UNIT_NAME}\n{UNIT}\n{body}\n\n\n")
        if table.note:
            out.append(table.note + "\n")
    return "".join(out)


def _value(text: str, as_text: bool, codes_as_numbers: bool):
    """What a cell holds: a number (amounts; codes when asked) or the text itself."""
    if not as_text and AMOUNT.match(text):
        return float(Decimal(text.replace(",", "")))
    if codes_as_numbers and CODE.match(text):
        return int(text)
    return text


def _placed(table: SheetTable, index: int, top: int, codes_as_numbers: bool, unit_in_title: bool = False):
    """(row, column, value, is amount) of every filled cell of the block: heading, 编制单位/单位 row, table,
    note — 0-based rows from ``top``. ``unit_in_title`` puts 单位：万元 at the end of the title row instead."""
    yield top, 0, table.heading, False
    yield top + 1, 0, UNIT_NAME, False
    yield top + (0 if unit_in_title else 1), table.width - 1, UNIT, False
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if text:
                value = _value(text, (index, r, c) in AS_TEXT, codes_as_numbers)
                yield top + 2 + r, c, value, isinstance(value, float)
    if table.note:
        yield top + 2 + len(table.rows), 0, table.note, False


def _height(table: SheetTable) -> int:
    return 2 + len(table.rows) + (1 if table.note else 0)


def _layout(one_sheet: bool):
    """(sheet name, [(table, index, top row)]) for each sheet: one table a sheet named 公开NN表, or all on one
    sheet with a blank row between tables."""
    if not one_sheet:
        return [(f"公开{i:02d}表", [(t, i, 0)]) for i, t in enumerate(TABLES, start=1)]
    placed, top = [], 0
    for i, table in enumerate(TABLES, start=1):
        placed.append((table, i, top))
        top += _height(table) + 1
    return [("部门决算报表", placed)]


def write_xlsx(path: Path, one_sheet: bool = False, codes_as_numbers: bool = False) -> Path:
    """The nine tables as an .xlsx workbook (openpyxl), with a hidden scratch sheet the reader must skip; on one
    sheet, each table's 单位 is at the end of its title row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, blocks in _layout(one_sheet):
        sheet = workbook.create_sheet(name)
        for table, index, top in blocks:
            for r, c, value, amount in _placed(table, index, top, codes_as_numbers, unit_in_title=one_sheet):
                cell = sheet.cell(row=r + 1, column=c + 1, value=value)
                if amount:
                    cell.number_format = "#,##0.00"
            sheet.merge_cells(start_row=top + 1, start_column=1, end_row=top + 1,
                              end_column=table.width - (1 if one_sheet else 0))
            sheet.cell(row=top + 1, column=1).alignment = Alignment(horizontal="center")
            for r1, c1, r2, c2 in table.merges:
                sheet.merge_cells(start_row=top + 3 + r1, start_column=c1 + 1, end_row=top + 3 + r2,
                                  end_column=c2 + 1)
    scratch = workbook.create_sheet("底稿")
    scratch["A1"], scratch["B1"] = "收入支出决算总表", 999.99
    scratch.sheet_state = "hidden"
    workbook.save(path)
    return path


def write_xls(path: Path, one_sheet: bool = False) -> Path:
    """The nine tables as a legacy .xls workbook (xlwt), codes as numbers, merged cells as in the .xlsx."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    amount = xlwt.easyxf(num_format_str="#,##0.00")
    for name, blocks in _layout(one_sheet):
        sheet = workbook.add_sheet(name)
        for table, index, top in blocks:
            values = {(r, c): (v, a) for r, c, v, a in _placed(table, index, top, codes_as_numbers=True)}
            merges = [(top, 0, top, table.width - 1),
                      *((top + 2 + r1, c1, top + 2 + r2, c2) for r1, c1, r2, c2 in table.merges)]
            covered = set()
            for r1, c1, r2, c2 in merges:
                value, is_amount = values.get((r1, c1), ("", False))
                sheet.write_merge(r1, r2, c1, c2, value, amount if is_amount else xlwt.Style.default_style)
                covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
            for (r, c), (value, is_amount) in values.items():
                if (r, c) not in covered:
                    sheet.write(r, c, value, amount if is_amount else xlwt.Style.default_style)
    workbook.save(str(path))
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "tables.xlsx")
    (write_xls if target.suffix.lower() == ".xls" else write_xlsx)(target)
    print(target)
