"""The PDF reader: paragraphs re-joined in reading order, ruled tables, captions, continuations, bad input.

Fixtures are drawn with reportlab at test time (CJK text in the built-in STSong-Light CID
font). When the shared corpus of real reports is present, it is read too.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from checker.errors import InputError
from checker.model import Location, Paragraph, Table
from checker.readers import read_blocks
from checker.structure import build_document
from checker.tables import logical_tables

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LEFT, RIGHT, SIZE = 72.0, 523.0, 12.0


class Page:
    """Drawing in top-down coordinates on a reportlab canvas page."""

    def __init__(self, c: canvas.Canvas, height: float) -> None:
        self.c, self.height = c, height

    def text(self, x: float, top: float, text: str, size: float = SIZE) -> None:
        self.c.setFont(FONT, size)
        self.c.drawString(x, self.height - top - size * 0.88, text)

    def justified(self, x0: float, top: float, text: str, x1: float = RIGHT) -> None:
        """One line spread to end exactly at x1, as justified body text is (character spacing)."""
        spare = (x1 - x0 - pdfmetrics.stringWidth(text, FONT, SIZE)) / max(len(text) - 1, 1)
        line = self.c.beginText(x0, self.height - top - SIZE * 0.88)
        line.setFont(FONT, SIZE)
        line.setCharSpace(spare)
        line.textOut(text)
        self.c.drawText(line)

    def grid(self, xs: list[float], ys: list[float], cells: list[tuple[int, int, int, int, str]]) -> None:
        """Cells (row0, col0, row1, col1, text), end exclusive, each outlined and its text drawn inside."""
        self.c.setLineWidth(0.75)
        for r0, c0, r1, c1, text in cells:
            x0, x1, top, bottom = xs[c0], xs[c1], ys[r0], ys[r1]
            self.c.rect(x0, self.height - bottom, x1 - x0, bottom - top)
            if text:
                self.text(x0 + 2, (top + bottom) / 2 - SIZE / 2, text, size=9)


def make_pdf(path: Path, *draws, size=A4) -> Path:
    c = canvas.Canvas(str(path), pagesize=size)
    for draw in draws:
        page_size = draw[1] if isinstance(draw, tuple) else size
        function = draw[0] if isinstance(draw, tuple) else draw
        c.setPageSize(page_size)
        function(Page(c, page_size[1]))
        c.showPage()
    c.save()
    return path


def paragraphs(blocks) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def tables(blocks) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


# --- narrative ----------------------------------------------------------------------------------------------


def narrative_page_one(p: Page) -> None:
    p.text(200, 60, "第一部分 上海市XX局概况", size=16)
    p.text(LEFT, 100, "一、收入支出决算总体情况说明")
    # drawn bottom line first: the file's order is not the reading order
    p.justified(LEFT, 148, "95.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.8")
    p.justified(LEFT + 2 * SIZE, 124, "上海市XX局（本级及所属单位合并）2024年度部门决算收入支出总计29")
    p.text(LEFT, 172, "7%。")
    p.text(LEFT, 196, "（一）一般公共预算财政拨款支出决算总体情况")
    p.justified(LEFT + 2 * SIZE, 220, "一般公共预算财政拨款支出2940.05万元，主要用于以下方面：")
    p.justified(LEFT, 244, "一般公共服务支出（类）2106.66万元，占71.73%；社会保障和就")
    p.text(LEFT, 268, "业支出（类）326.72万元，占11.11%。")
    p.text(LEFT + 2 * SIZE, 292, "年初预算为10.00万元，支出决算为10.00万元，决算数与预算数基")
    p.justified(LEFT, 316, "本持平。本部门制定了预算绩效管理实施办法，建立了预算绩效管理")
    p.justified(LEFT, 340, "工作机制，实行全过程绩效管理，编报绩效目标的2024年度项目4个，")
    p.text(290, 810, "- 1 -", size=9)


def narrative_page_two(p: Page) -> None:
    p.justified(LEFT, 72, "涉及预算金额598.42万元；绩效自评的2024年度项目4个，平均得分")
    p.text(LEFT, 96, "99.43分。")
    p.text(LEFT, 120, "1.因公出国（境）费支出0.00万元。")
    p.text(290, 810, "- 2 -", size=9)


def test_paragraphs_are_rejoined_in_reading_order(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "narrative.pdf", narrative_page_one, narrative_page_two)
    result = read_blocks(path)
    assert result.format == "pdf"
    texts = paragraphs(result.blocks)
    assert texts == [
        "第一部分 上海市XX局概况",
        "一、收入支出决算总体情况说明",
        "上海市XX局（本级及所属单位合并）2024年度部门决算收入支出总计2995.39万元。与2023年度相比，收入支出总计减少"
        "56.95万元，下降1.87%。",
        "（一）一般公共预算财政拨款支出决算总体情况",
        "一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，"
        "占71.73%；社会保障和就业支出（类）326.72万元，占11.11%。",
        "年初预算为10.00万元，支出决算为10.00万元，决算数与预算数基本持平。本部门制定了预算绩效管理实施办法，"
        "建立了预算绩效管理工作机制，实行全过程绩效管理，编报绩效目标的2024年度项目4个，涉及预算金额598.42万元；"
        "绩效自评的2024年度项目4个，平均得分99.43分。",
        "1.因公出国（境）费支出0.00万元。",
    ]  # page numbers "- 1 -" and "- 2 -" are dropped


def test_headings_give_sections(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "narrative.pdf", narrative_page_one, narrative_page_two)
    result = read_blocks(path)
    document = build_document(str(path), result.format, result.blocks)
    assert [(s.level, s.title) for s in document.sections()] == [
        (1, "上海市XX局概况"), (2, "收入支出决算总体情况说明"), (3, "一般公共预算财政拨款支出决算总体情况"),
    ]


def test_paragraph_locations_carry_page_and_bbox(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "narrative.pdf", narrative_page_one, narrative_page_two)
    blocks = read_blocks(path).blocks
    heading = blocks[1]
    assert isinstance(heading, Paragraph) and heading.location.page == 1
    x0, top, x1, bottom = heading.location.bbox
    assert abs(x0 - LEFT) < 1 and 95 < top < 102 and 100 < bottom < 116 and x1 > x0
    assert heading.location.describe() == "page 1"
    assert heading.location.as_dict()["bbox"] == list(heading.location.bbox)
    last = blocks[-1]
    assert last.location.page == 2


# --- tables -------------------------------------------------------------------------------------------------

INCOME_XS = [40.0, 90.0, 250.0, 330.0, 410.0]
HEADER = [
    (0, 0, 1, 2, "项目"), (0, 2, 2, 3, "本年收入合计"), (0, 3, 2, 4, "财政拨款收入"),
    (1, 0, 2, 1, "科目编码"), (1, 1, 2, 2, "科目名称"),
]
DATA = [("201", "一般公共服务支出", "2,112.86", "2,106.66"), ("20106", "财政事务", "2,112.86", "2,106.66"),
        ("2010601", "行政运行", "1,511.90", "1,511.89"), ("208", "社会保障和就业支出", "326.72", "326.72")]


def data_cells(rows, first_row: int) -> list[tuple[int, int, int, int, str]]:
    return [(first_row + r, c, first_row + r + 1, c + 1, text)
            for r, row in enumerate(rows) for c, text in enumerate(row)]


def income_table_page(p: Page) -> None:
    p.text(220, 60, "收入决算表", size=16)
    p.text(360, 90, "单位：万元", size=9)
    ys = [110.0 + 20 * i for i in range(4 + len(DATA))]
    total = [(2, 0, 3, 2, "合计"), (2, 2, 3, 3, "2,946.25"), (2, 3, 3, 4, "2,940.05")]
    p.grid(INCOME_XS, ys, [*HEADER, *total, *data_cells(DATA, 3)])
    p.text(LEFT, ys[-1] + 10, "注：本表反映部门本年度取得的各项收入情况。", size=9)


def test_ruled_table_with_multi_row_header(tmp_path: Path) -> None:
    blocks = read_blocks(make_pdf(tmp_path / "income.pdf", income_table_page)).blocks
    (table,) = tables(blocks)
    assert [row.texts for row in table.rows] == [
        ["收入决算表"], ["单位：万元"],
        ["项目", "", "本年收入合计", "财政拨款收入"],
        ["科目编码", "科目名称", "", ""],
        ["合计", "", "2,946.25", "2,940.05"],
        *[list(row) for row in DATA],
    ]
    (logical,) = logical_tables(blocks)
    assert logical.title == "收入决算表"
    assert [c.text for c in logical.caption] == ["收入决算表", "单位：万元"]
    cell = table.rows[4].cells[2]
    assert cell.location.describe() == "page 1 table 1 row 5 cell 3"
    assert cell.location.bbox == (250.0, 150.0, 330.0, 170.0)
    assert paragraphs(blocks) == ["注：本表反映部门本年度取得的各项收入情况。"]


class LinePage(Page):
    """Borders drawn as separate lines, one per cell side (Excel and WPS exports)."""

    def grid(self, xs: list[float], ys: list[float], cells: list[tuple[int, int, int, int, str]]) -> None:
        self.c.setLineWidth(0.5)
        for r0, c0, r1, c1, text in cells:
            x0, x1, top, bottom = xs[c0], xs[c1], self.height - ys[r0], self.height - ys[r1]
            for a, b in (((x0, top), (x1, top)), ((x0, bottom), (x1, bottom)), ((x0, top), (x0, bottom)),
                         ((x1, top), (x1, bottom))):
                self.c.line(*a, *b)
            if text:
                self.text(xs[c0] + 2, (ys[r0] + ys[r1]) / 2 - SIZE / 2, text, size=9)


class FilledBorderPage(Page):
    """Borders drawn as thin filled rectangles, as Word prints table borders."""

    def grid(self, xs: list[float], ys: list[float], cells: list[tuple[int, int, int, int, str]]) -> None:
        width = 0.5
        for r0, c0, r1, c1, text in cells:
            x0, x1, top, bottom = xs[c0], xs[c1], self.height - ys[r0], self.height - ys[r1]
            self.c.rect(x0, top - width / 2, x1 - x0, width, stroke=0, fill=1)
            self.c.rect(x0, bottom - width / 2, x1 - x0, width, stroke=0, fill=1)
            self.c.rect(x0 - width / 2, bottom, width, top - bottom, stroke=0, fill=1)
            self.c.rect(x1 - width / 2, bottom, width, top - bottom, stroke=0, fill=1)
            if text:
                self.text(xs[c0] + 2, (ys[r0] + ys[r1]) / 2 - SIZE / 2, text, size=9)


@pytest.mark.parametrize("style", [LinePage, FilledBorderPage])
def test_table_borders_drawn_as_lines_or_filled_bars_read_the_same(tmp_path: Path, style: type[Page]) -> None:
    def draw(p: Page) -> None:
        income_table_page(style(p.c, p.height))

    (outlined,) = tables(read_blocks(make_pdf(tmp_path / "outlined.pdf", income_table_page)).blocks)
    (table,) = tables(read_blocks(make_pdf(tmp_path / "other.pdf", draw)).blocks)
    assert [row.texts for row in table.rows] == [row.texts for row in outlined.rows]
    cell = table.rows[4].cells[2]
    assert all(abs(a - b) <= 1.0 for a, b in zip(cell.location.bbox, (250.0, 150.0, 330.0, 170.0), strict=True))


LONG_HEADER = [(0, 0, 1, 1, "科目编码"), (0, 1, 1, 2, "科目名称"), (0, 2, 1, 3, "合计"), (0, 3, 1, 4, "基本支出")]
EXTRA = [(str(300 + i), f"科目{i}", f"{i}.00", f"{i}.00") for i in range(1, 13)]


def long_table_first_page(p: Page) -> None:
    p.text(200, 60, "一般公共预算财政拨款支出决算表", size=16)
    p.text(360, 90, "单位：万元", size=9)
    ys = [110.0 + 20 * i for i in range(2 + len(EXTRA))]
    p.grid(INCOME_XS, ys, [*LONG_HEADER, *data_cells(EXTRA, 1)])
    p.text(290, 810, "1", size=9)


def long_table_second_page(p: Page) -> None:
    ys = [60.0 + 20 * i for i in range(2 + len(DATA))]
    p.grid(INCOME_XS, ys, [*LONG_HEADER, *data_cells(DATA, 1)])  # the header repeated
    p.text(LEFT, ys[-1] + 30, "二、收入决算情况说明")
    p.text(290, 810, "2", size=9)


def test_table_continued_over_two_pages_is_one_table(tmp_path: Path) -> None:
    blocks = read_blocks(make_pdf(tmp_path / "long.pdf", long_table_first_page, long_table_second_page)).blocks
    (table,) = tables(blocks)
    texts = [row.texts for row in table.rows]
    assert texts[:3] == [["一般公共预算财政拨款支出决算表"], ["单位：万元"],
                         ["科目编码", "科目名称", "合计", "基本支出"]]
    assert texts[3:] == [list(row) for row in EXTRA + DATA]
    assert table.rows[3].location.page == 1 and table.rows[-1].location.page == 2
    assert table.rows[-1].cells[0].location.describe() == f"page 2 table 1 row {len(texts)} cell 1"
    assert paragraphs(blocks) == ["二、收入决算情况说明"]


INCOME_ITEMS = [("一、一般公共预算财政拨款收入", "2,940.05"), ("二、其他收入", "6.20"), ("", ""),
                ("本年收入合计", "2,946.25")]
SPENDING_ITEMS = [("一、一般公共服务支出", "2,106.66"), ("二、社会保障和就业支出", "326.71"),
                  ("三、住房保障支出", "445.69"), ("本年支出合计", "2,940.05")]


def two_column_page(p: Page) -> None:
    p.text(330, 50, "收入支出决算总表", size=16)
    p.text(700, 80, "单位：万元", size=9)
    ys = [100.0 + 20 * i for i in range(3 + len(INCOME_ITEMS))]
    income = [(0, 0, 1, 2, "收入"), (1, 0, 2, 1, "项目"), (1, 1, 2, 2, "决算数"), *data_cells(INCOME_ITEMS, 2)]
    spending = [(0, 0, 1, 2, "支出"), (1, 0, 2, 1, "项目"), (1, 1, 2, 2, "决算数"), *data_cells(SPENDING_ITEMS, 2)]
    p.grid([40.0, 230.0, 300.0], ys, income)  # two grids side by side, a gap between them
    p.grid([420.0, 640.0, 720.0], ys, spending)


def test_two_column_income_spending_table_is_one_table(tmp_path: Path) -> None:
    blocks = read_blocks(make_pdf(tmp_path / "two.pdf", (two_column_page, landscape(A4)))).blocks
    (table,) = tables(blocks)
    assert [row.texts for row in table.rows] == [
        ["收入支出决算总表"], ["单位：万元"],
        ["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"],
        *[[a, b, c, d] for (a, b), (c, d) in zip(INCOME_ITEMS, SPENDING_ITEMS, strict=True)],
    ]
    assert not paragraphs(blocks)


# --- bad input ----------------------------------------------------------------------------------------------


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (200, 100), "white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    def scanned(p: Page) -> None:
        p.c.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 50, 500, width=400, height=200)

    path = make_pdf(tmp_path / "scan.pdf", scanned)
    with pytest.raises(InputError, match=r"has no text layer \(a scanned image\?\); run OCR first$"):
        read_blocks(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf", income_table_page).read_bytes()
    path = tmp_path / "broken.pdf"
    path.write_bytes(good[:200])
    with pytest.raises(InputError, match="is not a valid PDF file"):
        read_blocks(path)


def test_password_protected_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.setFont(FONT, 12)
    c.drawString(72, 700, "一、主要职能")
    c.showPage()
    c.save()
    with pytest.raises(InputError, match="password-protected"):
        read_blocks(path)


def test_location_describe_for_pdf() -> None:
    assert Location(page=3, bbox=(1.0, 2.0, 3.0, 4.0)).describe() == "page 3"
    cell = Location(page=3, table=2, row=4, cell=5, bbox=(1.0, 2.0, 3.0, 4.0))
    assert cell.describe() == "page 3 table 2 row 4 cell 5"
    assert Location(page=3, bbox=(1.0, 2.0, 3.0, 4.0)).as_dict() == {"page": 3, "bbox": [1.0, 2.0, 3.0, 4.0]}


# --- the real corpus ----------------------------------------------------------------------------------------

STANDARD_TABLES = ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
                   "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
                   "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
                   "国有资本经营预算财政拨款收入支出决算表")
corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not available")
REPORTS = {
    "shanghai-putuo-finance-bureau-2024.pdf": {"收入支出决算总表": 30, "收入决算表": 20, "支出决算表": 20,
                                               "财政拨款收入支出决算总表": 30, "一般公共预算财政拨款支出决算表": 20,
                                               "一般公共预算财政拨款基本支出决算表": 40},
    "shanghai-putuo-planning-resources-2024.pdf": {"收入支出决算总表": 28, "收入决算表": 25, "支出决算表": 25,
                                                   "财政拨款收入支出决算总表": 30,
                                                   "一般公共预算财政拨款基本支出决算表": 38},
}


@corpus
@pytest.mark.parametrize("name", ["shanghai-putuo-finance-bureau-2024.pdf",
                                  "shanghai-putuo-planning-resources-2024.pdf",
                                  "shanghai-final-accounts-template-2024.pdf"])
def test_corpus_pdfs_are_read(name: str) -> None:
    result = read_blocks(CORPUS / name)
    assert result.format == "pdf"
    titles = [t.title for t in logical_tables(result.blocks)]
    assert set(STANDARD_TABLES) <= set(titles)
    document = build_document(name, result.format, result.blocks)
    parts = [s.title for s in document.sections() if s.level == 1]
    assert any("名词解释" in title for title in parts)
    assert any(s.title.startswith("收入支出决算总体情况说明") for s in document.sections() if s.level == 2)


@corpus
@pytest.mark.parametrize(("name", "minimum_rows"), list(REPORTS.items()))
def test_corpus_standard_tables_have_plausible_sizes(name: str, minimum_rows: dict[str, int]) -> None:
    by_title = {t.title: t for t in logical_tables(read_blocks(CORPUS / name).blocks)}
    for title in STANDARD_TABLES:
        table = by_title[title]
        assert table.caption[-1].text.replace(" ", "") == "单位：万元"
        assert len(table.rows) >= minimum_rows.get(title, 3), title
    totals = by_title["收入支出决算总表"]
    assert {len(row.cells) for row in totals.rows} == {4}
    assert totals.rows[0].texts == ["收入", "", "支出", ""]


@corpus
def test_finance_bureau_narrative_and_tables() -> None:
    blocks = read_blocks(CORPUS / "shanghai-putuo-finance-bureau-2024.pdf").blocks
    texts = paragraphs(blocks)
    assert ("本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%；"
            in texts)
    assert any(t.startswith("上海市普陀区财政局2024年度收入支出总计2995.39万元。") and t.endswith("减少支付。")
               for t in texts)
    assert ("2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。主要用于：局财政业务指导与宣传等基本支出。"
            "年初预算为10.00万元，支出决算为10.00万元。决算数与预算数基本持平。") in texts
    by_title = {t.title: t for t in logical_tables(blocks)}
    totals = by_title["收入支出决算总表"]
    assert totals.rows[-1].texts == ["总计", "2,995.39", "总计", "2,995.39"]  # continued on page 7
    assert totals.rows[-1].cells[1].location.page == 7
    basic = by_title["一般公共预算财政拨款基本支出决算表"]
    assert basic.rows[-1].texts == ["人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65"]
