"""PDF disclosures: paragraphs in visual reading order and ruled tables as real tables.

Text and glyph positions come from PDFium's text layer (pypdfium2), which is fast enough
to read a 25-page report in a fraction of a second. Ruling lines come from the page's
path objects (stroked lines and the thin filled rectangles Word draws as borders), and
`checker.readers.lattice` turns them into cells. Only pages that carry ruling lines pay
for table detection.

What the reader does with the glyphs:

* Each table's cells are laid on a grid of all its column and row boundaries, as the
  .docx reader does: a merged cell's text sits at its first grid position and the rest of
  the span is empty cells, so every row of a table has one cell per grid column. Rows
  with no text at all are dropped. Tables side by side on a page (收入 | 支出 drawn as two
  grids) are one table.
* The table's title (a short line ending in 表) and its 单位 line, printed just above it,
  become its first one-cell rows, the caption `checker.tables.logical_tables` reads.
* A table that starts a page with no title, right after a table that ended the previous
  page, continues that table; header rows the continuation repeats are dropped.
* Text outside tables is grouped into lines by baseline, ordered top to bottom and left
  to right, and lines are joined into paragraphs: a line continues the paragraph unless
  it starts with heading numbering (第一部分 一、 （一） 1. (1)), is indented, is separated
  by more than the usual line gap, or the previous line stops short of the right margin.
  A line ending in 。！？： ends the paragraph unless it fills the line to the margin and the
  next line is not indented (a sentence ending exactly at a line break, as in “…支出决算为
  10.00万元。/决算数与预算数基本持平。”). Centred title lines wrapped over two lines are
  joined. Lines are joined without a space (Chinese, and numbers split at the line end),
  except between two Latin letters.
* Page numbers and running headers or footers (the same text in the top or bottom margin
  of many pages) are dropped.

Scanned PDFs (images, no text layer), password-protected and corrupt files are refused
with an InputError.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from checker.errors import InputError
from checker.model import Block, Cell, Location, Paragraph, Row, Table
from checker.readers.lattice import MIN_LENGTH, TOLERANCE, Segment, find_tables
from checker.structure import NUMBERED_START

#: Fraction of the page height counted as top/bottom margin for headers and footers.
MARGIN_ZONE = 0.09

_TERMINAL = "。！？：!?:"
_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|of|共)\s*\d{1,4}\s*页?)?[-—–－\s]*$"
    r"|^[-—–－\s]*(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[-—–－\s]*$", re.IGNORECASE)
_UNIT_LINE = re.compile(r"^\s*(?:金额)?单位\s*[:：]")
_CONTINUED = re.compile(r"^[\s(（]*续表?\s*[\d一二三四五六七八九十]*[)）\s]*$")
_LATIN = re.compile(r"[A-Za-z]")
_ASCII_WORD = re.compile(r"[A-Za-z0-9%.,]")


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float


@dataclass(slots=True)
class _Line:
    chars: list[_Char]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int


@dataclass
class _Grid:
    """One detected table on one page: boundaries, cells as grid spans, and the text each cell collects."""

    page: int
    xs: list[float]
    ys: list[float]
    spans: list[tuple[int, int, int, int]]  # (row0, col0, row1, col1), end exclusive
    owner: list[list[int | None]]
    chars: list[list[_Char]] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


@dataclass
class _PageTable:
    """A table ready to be emitted: caption lines plus grid rows (texts and bboxes)."""

    page: int
    bbox: tuple[float, float, float, float]
    caption: list[_Line]
    rows: list[tuple[int, list[str], list[tuple[float, float, float, float]]]]  # (page, texts, boxes)
    has_title: bool
    continued: bool = False


def read_pdf(path: Path, data: bytes) -> list[Block]:
    """Blocks of a PDF given as bytes; ``path`` is only used in error messages."""
    import pypdfium2 as pdfium

    name = str(path)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise InputError(name, "is password-protected; save an unprotected copy of the PDF") from error
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise InputError(name, "uses an unsupported PDF security handler (encrypted)") from error
        raise InputError(name, "is not a valid PDF file (corrupt or truncated)") from error
    try:
        return _Reader(name, document).read()
    finally:
        document.close()


class _Reader:
    def __init__(self, name: str, document) -> None:
        self.name = name
        self.document = document

    def read(self) -> list[Block]:
        from pypdfium2 import PdfiumError

        pages: list[tuple[list[_Line], list[_PageTable], float, float]] = []
        glyphs = images = unmapped = 0
        try:
            for number in range(1, len(self.document) + 1):
                page = self.document[number - 1]
                try:
                    chars, page_unmapped = _page_chars(page)
                    glyphs += sum(1 for c in chars if not c.text.isspace())
                    unmapped += page_unmapped
                    if not chars:
                        images += _count_images(page)
                    grids = _find_grids(page, number) if chars else []
                    free = _assign_to_cells(chars, grids)
                    lines = _group_lines(free, number, split_gaps=True)
                    tables = [_grid_table(grid) for grid in grids]
                    width, height = page.get_size()
                    pages.append((lines, tables, width, height))
                finally:
                    page.close()
        except PdfiumError as error:
            raise InputError(self.name, f"is not a valid PDF file ({error})") from error
        if glyphs == 0:
            if images:
                raise InputError(self.name, "has no text layer (a scanned image?); run OCR first")
            return []
        if unmapped > glyphs // 2:
            raise InputError(self.name, "has a text layer that cannot be decoded (fonts without Unicode "
                                        "mappings); run OCR first")
        _drop_headers_and_footers(pages)
        return _Assembler(pages).blocks()


# --- characters -------------------------------------------------------------------------------------------


def _display_transform(page):
    """A function mapping PDF user-space points to display coordinates (top-left origin, y down)."""
    left, bottom, right, top = page.get_cropbox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return lambda x, y: (y - bottom, x - left)
    if rotation == 180:
        return lambda x, y: (right - x, y - bottom)
    if rotation == 270:
        return lambda x, y: (top - y, right - x)
    return lambda x, y: (x - left, top - y)


def _page_chars(page) -> tuple[list[_Char], int]:
    """The page's glyphs in display coordinates, and how many had no Unicode mapping.

    This loop runs for every glyph of the document, so PDFium's functions are bound to locals, an
    upright page's display transform is applied inline, and an upright glyph with an advance box
    takes its box from that and its baseline (one call fewer than the outline box).
    """
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        count = raw.FPDFText_CountChars(tp)
        crop_left, _bottom, _right, crop_top = page.get_cropbox()
        upright = page.get_rotation() % 360 == 0
        transform = _display_transform(page)
        left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
        origin = (ctypes.byref(ox), ctypes.byref(oy))
        loose = raw.FS_RECTF()
        char_matrix = raw.FS_MATRIX()
        get_unicode, is_generated = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated
        map_error, get_box, get_loose = raw.FPDFText_HasUnicodeMapError, raw.FPDFText_GetCharBox, \
            raw.FPDFText_GetLooseCharBox
        get_matrix, get_size, get_origin = raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize, \
            raw.FPDFText_GetCharOrigin
        out: list[_Char] = []
        append = out.append
        unmapped = 0
        pending_high = 0
        for i in range(count):
            code = get_unicode(tp, i)
            if (code < 32 and code != 9) or (code == 32 and is_generated(tp, i)):
                continue  # PDFium's generated characters are spaces and line breaks
            if 0xD800 <= code < 0xE000:
                if code < 0xDC00:
                    pending_high = code
                    continue
                if pending_high:
                    code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
            pending_high = 0
            if code == 0xFFFE or code == 0xFFFF:
                continue
            if map_error(tp, i):
                unmapped += 1
            text = " " if code == 9 or code == 0xA0 or code == 0x3000 else chr(code)
            # the nominal size times the text matrix scale (WPS writes 300-point fonts scaled by 0.05)
            get_matrix(tp, i, char_matrix)
            size = get_size(tp, i) * abs(char_matrix.a * char_matrix.d - char_matrix.b * char_matrix.c) ** 0.5
            if upright and size > 1.5 and get_loose(tp, i, loose) and 0 < loose.right - loose.left < 3 * size:
                # the advance box (gaps between glyphs measured from it ignore narrow punctuation glyphs),
                # and the line box from the baseline: glyph outlines would make each line's height vary
                get_origin(tp, i, *origin)
                base = crop_top - oy.value
                x0, x1, y0, y1 = loose.left - crop_left, loose.right - crop_left, base - 0.8 * size, base + 0.2 * size
            else:
                get_box(tp, i, *refs)
                (ax, ay), (bx, by) = transform(left.value, bottom.value), transform(right.value, top.value)
                x0, x1, y0, y1 = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
                if size <= 1.5:
                    size = max(y1 - y0, 1.0)
                if upright:
                    get_origin(tp, i, *origin)
                    base = crop_top - oy.value
                    y0, y1 = min(y0, base - 0.8 * size), max(y1, base + 0.2 * size)
                else:
                    middle = (y0 + y1) / 2
                    y0, y1 = min(y0, middle - 0.5 * size), max(y1, middle + 0.5 * size)
                    base = y1 - 0.2 * size
            if text == " " and x1 - x0 < 0.01:
                continue
            append(_Char(text, x0, x1, y0, y1, base, size))
        return out, unmapped
    finally:
        textpage.close()


def _count_images(page) -> int:
    import pypdfium2.raw as raw

    return sum(1 for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=4))


# --- ruling lines and tables ------------------------------------------------------------------------------


def _page_edges(page) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical ruling segments of visible path objects, in display coordinates."""
    import pypdfium2.raw as raw

    transform = _display_transform(page)
    horizontal: list[Segment] = []
    vertical: list[Segment] = []
    matrix = raw.FS_MATRIX()
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    modes = (ctypes.byref(fill_mode), ctypes.byref(stroke))
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    rgba = (ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
    px, py = ctypes.c_float(), ctypes.c_float()
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    bounds = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    pen = ctypes.c_float()
    pen_ref = ctypes.byref(pen)
    stroke_color, fill_color = raw.FPDFPageObj_GetStrokeColor, raw.FPDFPageObj_GetFillColor

    def visible(obj) -> bool:
        raw.FPDFPath_GetDrawMode(obj, *modes)
        for enabled, getter in ((stroke.value, stroke_color), (fill_mode.value, fill_color)):
            if enabled and getter(obj, *rgba) and a.value > 0 and min(r.value, g.value, b.value) < 235:
                return True
        return False

    def add(p: tuple[float, float], q: tuple[float, float]) -> None:
        add_display(transform(*p), transform(*q))

    def add_display(p: tuple[float, float], q: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = p, q
        if abs(y0 - y1) <= 1.0 and abs(x1 - x0) >= MIN_LENGTH:
            horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) <= 1.0 and abs(y1 - y0) >= MIN_LENGTH:
            vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    def walk(objects, parent: tuple[float, ...], depth: int) -> None:
        for obj in objects:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                if visible(obj) and not thin_line(obj, parent):
                    segments(obj, parent)
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 4:
                walk((raw.FPDFFormObj_GetObject(obj, k) for k in range(raw.FPDFFormObj_CountObjects(obj))),
                     _compose(object_matrix(obj), parent), depth + 1)

    def object_matrix(obj) -> tuple[float, ...]:
        raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
        return matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f

    def thin_line(obj, parent: tuple[float, ...]) -> bool:
        """A rule drawn as one straight segment is the edge along its bounding box: three calls instead of
        ten, on pages drawing thousands of them. The box is widened by the pen, so it counts as a horizontal
        (vertical) rule when it is no thicker than the pen plus the tolerance `add` allows."""
        if raw.FPDFPath_CountSegments(obj) != 2:
            return False
        raw.FPDFPageObj_GetBounds(obj, *bounds)
        ma, mb, mc, md, me, mf = parent
        x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        dx0, dy0 = transform(ma * x0 + mc * y0 + me, mb * x0 + md * y0 + mf)
        dx1, dy1 = transform(ma * x1 + mc * y1 + me, mb * x1 + md * y1 + mf)
        raw.FPDFPageObj_GetStrokeWidth(obj, pen_ref)
        thickness = 1.0 + (pen.value if stroke.value else 0.0)
        if abs(dy1 - dy0) <= thickness < abs(dx1 - dx0):
            middle = (dy0 + dy1) / 2
            add_display((dx0, middle), (dx1, middle))
            return True
        if abs(dx1 - dx0) <= thickness < abs(dy1 - dy0):
            middle = (dx0 + dx1) / 2
            add_display((middle, dy0), (middle, dy1))
            return True
        return False

    def segments(obj, parent: tuple[float, ...]) -> None:
        m = _compose(object_matrix(obj), parent)
        start = current = None
        for k in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, k)
            raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(px), ctypes.byref(py))
            point = (m[0] * px.value + m[2] * py.value + m[4], m[1] * px.value + m[3] * py.value + m[5])
            kind_of = raw.FPDFPathSegment_GetType(segment)
            if kind_of == raw.FPDF_SEGMENT_MOVETO:
                start = point
            elif kind_of == raw.FPDF_SEGMENT_LINETO and current is not None:
                add(current, point)
            current = point
            if raw.FPDFPathSegment_GetClose(segment) and start is not None and current is not None:
                add(current, start)
                current = start

    handle = page.raw
    walk((raw.FPDFPage_GetObject(handle, k) for k in range(raw.FPDFPage_CountObjects(handle))),
         (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
    return horizontal, vertical


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _find_grids(page, number: int) -> list[_Grid]:
    horizontal, vertical = _page_edges(page)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    groups = _merge_side_by_side(find_tables(horizontal, vertical))
    grids = [_make_grid(group, number) for group in groups]
    return [grid for grid in grids if len(grid.xs) >= 3 and len(grid.ys) >= 3]


def _merge_side_by_side(groups: list[list[tuple]]) -> list[list[tuple]]:
    """Join cell groups whose vertical extents mostly overlap: one table drawn as two grids side by side."""
    merged: list[list[tuple]] = []
    for group in sorted(groups, key=lambda g: min(c[1] for c in g)):
        top, bottom = min(c[1] for c in group), max(c[3] for c in group)
        for other in merged:
            o_top, o_bottom = min(c[1] for c in other), max(c[3] for c in other)
            overlap = min(bottom, o_bottom) - max(top, o_top)
            if overlap > 0.5 * min(bottom - top, o_bottom - o_top):
                other.extend(group)
                break
        else:
            merged.append(list(group))
    return merged


def _cluster(values: list[float], tolerance: float) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= tolerance:
            continue
        out.append(value)
    return out


def _nearest(bounds: list[float], value: float) -> int:
    i = bisect_right(bounds, value)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - value < value - bounds[i - 1] else i - 1


def _make_grid(cells: list[tuple], number: int) -> _Grid:
    xs = _cluster([v for c in cells for v in (c[0], c[2])], TOLERANCE)
    ys = _cluster([v for c in cells for v in (c[1], c[3])], TOLERANCE)
    owner: list[list[int | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    spans: list[tuple[int, int, int, int]] = []
    for x0, top, x1, bottom in sorted(cells, key=lambda c: (c[1], c[0])):
        r0, r1, c0, c1 = _nearest(ys, top), _nearest(ys, bottom), _nearest(xs, x0), _nearest(xs, x1)
        if r1 <= r0 or c1 <= c0:
            continue
        index = len(spans)
        spans.append((r0, c0, r1, c1))
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] is None:
                    owner[r][c] = index
    return _Grid(number, xs, ys, spans, owner, [[] for _ in spans])


def _assign_to_cells(chars: list[_Char], grids: list[_Grid]) -> list[_Char]:
    """Put each glyph whose centre lies in a table cell into that cell; return the others."""
    if not grids:
        return chars
    free: list[_Char] = []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        for grid in grids:
            x0, top, x1, bottom = grid.bbox
            if not (x0 <= cx <= x1 and top <= cy <= bottom):
                continue
            r = min(bisect_right(grid.ys, cy) - 1, len(grid.ys) - 2)
            c = min(bisect_right(grid.xs, cx) - 1, len(grid.xs) - 2)
            index = grid.owner[max(r, 0)][max(c, 0)]
            if index is not None:
                grid.chars[index].append(ch)
                break
        else:
            free.append(ch)
    return free


def _grid_table(grid: _Grid) -> _PageTable:
    starts = {(r0, c0): i for i, (r0, c0, _r1, _c1) in enumerate(grid.spans)}
    # grid columns no cell covers: the gap between two grids drawn side by side
    columns = [c for c in range(len(grid.xs) - 1) if any(row[c] is not None for row in grid.owner)]
    rows: list[tuple[int, list[str], list[tuple[float, float, float, float]]]] = []
    for r in range(len(grid.ys) - 1):
        texts: list[str] = []
        boxes: list[tuple[float, float, float, float]] = []
        for c in columns:
            index = starts.get((r, c))
            if index is None:
                texts.append("")
                boxes.append(_box(grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1]))
                continue
            r0, c0, r1, c1 = grid.spans[index]
            texts.append(_cell_text(grid.chars[index]))
            boxes.append(_box(grid.xs[c0], grid.ys[r0], grid.xs[c1], grid.ys[r1]))
        if any(texts):
            rows.append((grid.page, texts, boxes))
    return _PageTable(grid.page, _box(*grid.bbox), [], rows, has_title=False)


def _box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
    return round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)


def _cell_text(chars: list[_Char]) -> str:
    text = ""
    for line in _group_lines(chars, 0, split_gaps=False, cjk_gaps=False):
        text = _join(text, line.text)
    return text


# --- lines and paragraphs ---------------------------------------------------------------------------------


def _group_lines(chars: list[_Char], page: int, split_gaps: bool, cjk_gaps: bool = True) -> list[_Line]:
    """Glyphs grouped into lines by baseline, each line in left-to-right order, lines top to bottom.

    With ``split_gaps`` a line is cut where a gap wider than three characters separates two runs
    (a right-aligned 单位 line beside a title, a page number beside a running header).
    """
    if not chars:
        return []
    rows: list[list[_Char]] = []
    current: list[_Char] = []
    base = size = 0.0
    for ch in sorted(chars, key=lambda c: (c.base, c.x0)):
        if current and abs(ch.base - base) <= 0.4 * min(ch.size, size):
            current.append(ch)
            continue
        if current:
            rows.append(current)
        current, base, size = [ch], ch.base, ch.size
    rows.append(current)
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        runs: list[list[_Char]] = [[]]
        for ch in row:
            last = runs[-1][-1] if runs[-1] else None
            if last is not None and ch.text == last.text and abs(ch.x0 - last.x0) < 0.3 * ch.size:
                continue  # text drawn twice for a bold effect
            if split_gaps and last is not None and ch.x0 - last.x1 > 3 * max(ch.size, last.size):
                runs.append([])
            runs[-1].append(ch)
        for run in runs:
            line = _make_line(run, page, cjk_gaps)
            if line is not None:
                lines.append(line)
    lines.sort(key=lambda ln: (round(ln.top / max(ln.size, 1) * 2), ln.x0))
    return lines


def _make_line(run: list[_Char], page: int, cjk_gaps: bool) -> _Line | None:
    parts: list[str] = []
    previous: _Char | None = None
    for ch in run:
        if previous is not None and ch.text != " " and previous.text != " ":
            gap = ch.x0 - previous.x1
            ascii_side = bool(_ASCII_WORD.match(ch.text) or _ASCII_WORD.match(previous.text))
            if gap > 0.6 * max(ch.size, previous.size) and (cjk_gaps or ascii_side):
                parts.append(" ")
        parts.append(ch.text)
        previous = ch
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    if not text:
        return None
    visible = [c for c in run if c.text != " "]
    return _Line(visible, text, min(c.x0 for c in visible), max(c.x1 for c in visible),
                 min(c.top for c in visible), max(c.bottom for c in visible),
                 Counter(round(c.size, 1) for c in visible).most_common(1)[0][0], page)


def _join(text: str, more: str) -> str:
    if not text:
        return more
    if _LATIN.match(text[-1]) and _LATIN.match(more[0]):
        return f"{text} {more}"
    return text + more


def _drop_headers_and_footers(pages: list[tuple[list[_Line], list[_PageTable], float, float]]) -> None:
    """Remove page numbers and running headers/footers (text repeated in the margin zone of many pages)."""
    def in_margin(line: _Line, height: float) -> bool:
        return line.bottom < height * MARGIN_ZONE or line.top > height * (1 - MARGIN_ZONE)

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.replace(" ", ""))

    counts: Counter[str] = Counter()
    for lines, _tables, _width, height in pages:
        counts.update({key(line) for line in lines if in_margin(line, height)})
    repeated = {k for k, n in counts.items() if n >= 3 and n >= 0.4 * len(pages)}
    for lines, _tables, _width, height in pages:
        lines[:] = [line for line in lines
                    if not (in_margin(line, height) and (_PAGE_NUMBER.match(line.text) or key(line) in repeated))]


class _Assembler:
    """Orders each page's lines and tables, and builds paragraphs and tables across pages."""

    def __init__(self, pages: list[tuple[list[_Line], list[_PageTable], float, float]]) -> None:
        self.pages = pages
        self.margins = self._margins()

    def _margins(self) -> dict[tuple[int, int], tuple[float, float, float]]:
        """Per page size: the usual start and end of long lines (text margins) and the usual gap between lines."""
        starts: dict[tuple[int, int], Counter[int]] = {}
        ends: dict[tuple[int, int], list[float]] = {}
        gaps: dict[tuple[int, int], list[float]] = {}
        for lines, _tables, width, height in self.pages:
            size_key = (round(width), round(height))
            previous: _Line | None = None
            for line in lines:
                if len(line.text) >= 8:
                    starts.setdefault(size_key, Counter())[round(line.x0)] += 1
                    ends.setdefault(size_key, []).append(line.x1)
                    if previous is not None and line.top > previous.bottom:
                        gaps.setdefault(size_key, []).append(line.top - previous.bottom)
                    previous = line
                else:
                    previous = None
        out: dict[tuple[int, int], tuple[float, float, float]] = {}
        for size_key, counter in starts.items():
            left = float(counter.most_common(1)[0][0])
            values = sorted(ends[size_key])
            spacing = sorted(gaps.get(size_key, [0.0]))
            out[size_key] = (left, values[int(0.9 * (len(values) - 1))], spacing[len(spacing) // 2])
        return out

    def blocks(self) -> list[Block]:
        items: list[tuple[str, object]] = []  # ("line", _Line) | ("table", _PageTable) | ("page", None)
        for lines, tables, width, height in self.pages:
            items.append(("page", (round(width), round(height))))
            ordered: list[tuple[float, float, str, object]] = [(ln.top, ln.x0, "line", ln) for ln in lines]
            ordered += [(t.bbox[1], t.bbox[0], "table", t) for t in tables]
            ordered.sort(key=lambda item: (item[0], item[1]))
            for _top, _x0, kind, item in ordered:
                if kind == "table":
                    assert isinstance(item, _PageTable)
                    self._take_caption(items, item)
                items.append((kind, item))
        return self._emit(items)

    @staticmethod
    def _take_caption(items: list[tuple[str, object]], table: _PageTable) -> None:
        """Move the title and 单位 lines printed just above the table (same page) into its caption."""
        taken: list[_Line] = []
        while items and items[-1][0] == "line" and len(taken) < 3:
            line = items[-1][1]
            assert isinstance(line, _Line)
            if line.page != table.page or table.bbox[1] - line.bottom > 120:
                break
            text = line.text
            if _UNIT_LINE.match(text):
                taken.append(line)
            elif _CONTINUED.match(text):
                table.continued = True
            elif not table.has_title and _is_title(text):
                table.has_title = True
                taken.append(line)
            else:
                break
            items.pop()
            if table.has_title:
                break
        taken.sort(key=lambda ln: (ln.top, ln.x0))
        if taken and _UNIT_LINE.match(taken[0].text) and len(taken) > 1:
            taken.append(taken.pop(0))
        table.caption = taken

    def _emit(self, items: list[tuple[str, object]]) -> list[Block]:
        pending: list[Paragraph | _PageTable] = []
        paragraph: list[_Line] = []
        page_key = (0, 0)

        def flush() -> None:
            if paragraph:
                pending.append(self._paragraph(paragraph))
                paragraph.clear()

        for kind, item in items:
            if kind == "page":
                assert isinstance(item, tuple)
                page_key = item
            elif isinstance(item, _PageTable):
                flush()
                previous = pending[-1] if pending else None
                if isinstance(previous, _PageTable) and _continues(previous, item):
                    _append_rows(previous, item)
                else:
                    pending.append(item)
            else:
                assert isinstance(item, _Line)
                left, right, spacing = self.margins.get(page_key, (item.x0, item.x1, item.size))
                if not (paragraph and self._continues(paragraph, item, left, right, spacing)):
                    flush()
                paragraph.append(item)
        flush()
        out: list[Block] = []
        index = 0
        for block in pending:
            if isinstance(block, _PageTable):
                index += 1
                out.append(_table_block(block, index))
            else:
                out.append(block)
        return out

    @staticmethod
    def _continues(paragraph: list[_Line], line: _Line, left: float, right: float, spacing: float) -> bool:
        """Whether ``line`` continues the paragraph (see the module docstring for the rules)."""
        previous = paragraph[-1]
        size = max(line.size, previous.size)
        if NUMBERED_START.match(line.text):
            return False
        same_page = previous.page == line.page
        if same_page and (line.top - previous.bottom > spacing + 0.6 * size or line.top < previous.top + 0.5 * size):
            return False  # a paragraph gap, or side by side rather than below
        terminal = previous.text[-1] in _TERMINAL
        centre = (left + right) / 2
        if (same_page and not terminal and line.x1 - line.x0 < 0.6 * (right - left)
                and abs((line.x0 + line.x1) / 2 - centre) < 1.5 * size
                and abs((previous.x0 + previous.x1) / 2 - centre) < 1.5 * size
                and line.x0 > left + 1.5 * size and previous.x0 > left - 0.5 * size):
            return True  # a centred title wrapped onto a short second line
        if line.x0 > left + 0.8 * size:
            return False  # indented: a new paragraph
        # A line that reaches the right margin wraps on; one ending in 。！？： must reach it fully,
        # others may stop a few characters short (line-breaking rules push punctuation over).
        return previous.x1 >= right - (1.5 if terminal else 3.5) * size

    @staticmethod
    def _paragraph(lines: list[_Line]) -> Paragraph:
        text = ""
        for line in lines:
            text = _join(text, line.text)
        first = [ln for ln in lines if ln.page == lines[0].page]
        bbox = _box(min(ln.x0 for ln in first), min(ln.top for ln in first),
                    max(ln.x1 for ln in first), max(ln.bottom for ln in first))
        return Paragraph(text, Location(page=lines[0].page, bbox=bbox))


def _is_title(text: str) -> bool:
    compact = text.replace(" ", "")
    return compact.endswith("表") and len(compact) <= 40 and "。" not in compact


def _continues(previous: _PageTable, table: _PageTable) -> bool:
    """A titleless table at the top of the page after the one that ended the previous page continues it."""
    if table.has_title or not previous.rows:
        return False
    return table.continued or table.page == previous.rows[-1][0] + 1


def _append_rows(previous: _PageTable, table: _PageTable) -> None:
    rows = table.rows
    header = [texts for _page, texts, _boxes in previous.rows[:6]]
    skip = 0
    while skip < len(rows) and skip < len(header) and rows[skip][1] == header[skip]:
        skip += 1
    previous.rows.extend(rows[skip:])


def _table_block(table: _PageTable, index: int) -> Table:
    rows: list[Row] = []
    for line in table.caption:
        number = len(rows) + 1
        box = _box(line.x0, line.top, line.x1, line.bottom)
        location = Location(page=line.page, table=index, row=number, cell=1, bbox=box)
        rows.append(Row((Cell(line.text, location),), Location(page=line.page, table=index, row=number, bbox=box)))
    for page, texts, boxes in table.rows:
        number = len(rows) + 1
        cells = tuple(Cell(text, Location(page=page, table=index, row=number, cell=c + 1, bbox=boxes[c]))
                      for c, text in enumerate(texts))
        row_box = _box(boxes[0][0], min(b[1] for b in boxes), boxes[-1][2], max(b[3] for b in boxes))
        rows.append(Row(cells, Location(page=page, table=index, row=number, bbox=row_box)))
    return Table(tuple(rows), Location(page=table.page, table=index, bbox=table.bbox), index)


__all__ = ["read_pdf"]
