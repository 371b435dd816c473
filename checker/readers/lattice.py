"""Ruled tables from ruling lines: horizontal and vertical segments → cell rectangles, grouped by table.

A PDF table is drawn as line segments; this module finds its cells the way a reader sees them.
Segments are snapped (positions within the tolerance become one line, at their mean) and
joined (pieces of one line with gaps within the tolerance become one segment). Lines that
touch or cross form one table. Each table's line positions cut it into a grid of squares;
two neighbouring squares belong to one cell unless a line separates them all along their
common side, so a merged cell is the union of the squares no line divides. A cell is kept
when it is a rectangle closed on every side (squares outside an irregular table's outline
are not cells).

Why not a library: the reader is on the path `juesuan check report.pdf` must run in well
under a second, and this is a few dozen lines over segments the reader already holds.
Everything here is pure: numbers in, rectangles out (display coordinates, y down).
"""

from __future__ import annotations

from collections import defaultdict

#: Tolerance (points) for snapping, joining and for lines to meet.
TOLERANCE = 3.0
#: Segments shorter than this (points) are not ruling lines.
MIN_LENGTH = 3.0

#: A segment: its position across (y of a horizontal line, x of a vertical one), then its extent along.
Segment = tuple[float, float, float]
#: A cell: x0, top, x1, bottom.
Rect = tuple[float, float, float, float]


def find_tables(horizontal: list[Segment], vertical: list[Segment]) -> list[list[Rect]]:
    """The cells of each ruled table, tables in no particular order."""
    rows = _merge(horizontal)
    columns = _merge(vertical)
    tables: list[list[Rect]] = []
    for h_lines, v_lines in _connected(rows, columns):
        cells = _cells(h_lines, v_lines)
        if cells:
            tables.append(cells)
    return tables


def _merge(segments: list[Segment]) -> list[Segment]:
    """Snap segments onto shared positions and join the pieces of each line."""
    clusters: list[list[Segment]] = []
    for segment in sorted(segments):
        if clusters and segment[0] - clusters[-1][-1][0] <= TOLERANCE:
            clusters[-1].append(segment)
        else:
            clusters.append([segment])
    merged: list[Segment] = []
    for cluster in clusters:
        position = sum(s[0] for s in cluster) / len(cluster)
        start = end = None
        for _p, a, b in sorted(cluster, key=lambda s: s[1]):
            if start is not None and a <= end + TOLERANCE:
                end = max(end, b)
                continue
            if start is not None and end - start >= MIN_LENGTH:
                merged.append((position, start, end))
            start, end = a, b
        if start is not None and end - start >= MIN_LENGTH:
            merged.append((position, start, end))
    return merged


def _meet(h: Segment, v: Segment) -> bool:
    return h[1] - TOLERANCE <= v[0] <= h[2] + TOLERANCE and v[1] - TOLERANCE <= h[0] <= v[2] + TOLERANCE


def _connected(rows: list[Segment], columns: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of horizontal and vertical lines that meet, directly or through others."""
    parent = list(range(len(rows) + len(columns)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(rows):
        for j, v in enumerate(columns):
            if _meet(h, v):
                parent[find(i)] = find(len(rows) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = defaultdict(lambda: ([], []))
    for i, h in enumerate(rows):
        groups[find(i)][0].append(h)
    for j, v in enumerate(columns):
        groups[find(len(rows) + j)][1].append(v)
    return [group for group in groups.values() if len(group[0]) >= 2 and len(group[1]) >= 2]


def _covers(lines: dict[float, list[tuple[float, float]]], position: float, a: float, b: float) -> bool:
    """Whether a line at ``position`` runs from ``a`` to ``b`` (within the tolerance)."""
    return any(start - TOLERANCE <= a and b <= end + TOLERANCE for start, end in lines.get(position, ()))


def _cells(h_lines: list[Segment], v_lines: list[Segment]) -> list[Rect]:
    ys = sorted({h[0] for h in h_lines})
    xs = sorted({v[0] for v in v_lines})
    across: dict[float, list[tuple[float, float]]] = defaultdict(list)
    down: dict[float, list[tuple[float, float]]] = defaultdict(list)
    for y, a, b in h_lines:
        across[y].append((a, b))
    for x, a, b in v_lines:
        down[x].append((a, b))

    def line_below(r: int, c: int) -> bool:  # between square (r, c) and (r + 1, c)
        return _covers(across, ys[r + 1], xs[c], xs[c + 1])

    def line_right(r: int, c: int) -> bool:  # between square (r, c) and (r, c + 1)
        return _covers(down, xs[c + 1], ys[r], ys[r + 1])

    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    seen = [[False] * n_cols for _ in range(n_rows)]
    cells: list[Rect] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if seen[r][c]:
                continue
            region = _flood(r, c, n_rows, n_cols, seen, line_below, line_right)
            rect = _closed_rectangle(region, ys, xs, across, down)
            if rect is not None:
                cells.append(rect)
    return cells


def _flood(r: int, c: int, n_rows: int, n_cols: int, seen: list[list[bool]], line_below, line_right
           ) -> list[tuple[int, int]]:
    """The squares reachable from (r, c) without crossing a line."""
    region: list[tuple[int, int]] = []
    stack = [(r, c)]
    seen[r][c] = True
    while stack:
        r, c = stack.pop()
        region.append((r, c))
        neighbours = []
        if r + 1 < n_rows and not line_below(r, c):
            neighbours.append((r + 1, c))
        if r > 0 and not line_below(r - 1, c):
            neighbours.append((r - 1, c))
        if c + 1 < n_cols and not line_right(r, c):
            neighbours.append((r, c + 1))
        if c > 0 and not line_right(r, c - 1):
            neighbours.append((r, c - 1))
        for nr, nc in neighbours:
            if not seen[nr][nc]:
                seen[nr][nc] = True
                stack.append((nr, nc))
    return region


def _closed_rectangle(region: list[tuple[int, int]], ys: list[float], xs: list[float],
                      across: dict[float, list[tuple[float, float]]],
                      down: dict[float, list[tuple[float, float]]]) -> Rect | None:
    """The region's rectangle when it is one and lines close it on all four sides (inner sides are closed,
    or the region would have spread; the table's outline must be checked)."""
    r0, r1 = min(r for r, _ in region), max(r for r, _ in region) + 1
    c0, c1 = min(c for _, c in region), max(c for _, c in region) + 1
    if len(region) != (r1 - r0) * (c1 - c0):
        return None
    x0, x1, top, bottom = xs[c0], xs[c1], ys[r0], ys[r1]
    if not (_covers(across, top, x0, x1) and _covers(across, bottom, x0, x1)
            and _covers(down, x0, top, bottom) and _covers(down, x1, top, bottom)):
        return None
    return x0, top, x1, bottom
