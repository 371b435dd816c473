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
    """The cells of each ruled table, tables in the order of their topmost line."""
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
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # ruled[r][c]: a line along the top of square (r, c) (r == n_rows: the bottom of the last row);
    # walled[r][c]: a line along its left side (c == n_cols: the right side of the last column)
    ruled = [[_covers(across, ys[r], xs[c], xs[c + 1]) for c in range(n_cols)] for r in range(n_rows + 1)]
    walled = [[_covers(down, xs[c], ys[r], ys[r + 1]) for c in range(n_cols + 1)] for r in range(n_rows)]
    seen = [[False] * n_cols for _ in range(n_rows)]
    cells: list[Rect] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if seen[r][c]:
                continue
            r0, c0, r1, c1, size = _flood(r, c, ruled, walled, seen)
            closed = (size == (r1 - r0) * (c1 - c0)
                      and all(ruled[r0][k] and ruled[r1][k] for k in range(c0, c1))
                      and all(walled[k][c0] and walled[k][c1] for k in range(r0, r1)))
            if closed:  # a rectangle, and lines close it where it meets the table's outline
                cells.append((xs[c0], ys[r0], xs[c1], ys[r1]))
    return cells


def _flood(r: int, c: int, ruled: list[list[bool]], walled: list[list[bool]], seen: list[list[bool]]
           ) -> tuple[int, int, int, int, int]:
    """The squares reachable from (r, c) without crossing a line: their bounding rows and columns (end
    exclusive) and how many there are."""
    n_rows, n_cols = len(walled), len(ruled[0])
    r0, c0, r1, c1, size = r, c, r + 1, c + 1, 0
    stack = [(r, c)]
    seen[r][c] = True
    while stack:
        r, c = stack.pop()
        size += 1
        r0, c0, r1, c1 = min(r0, r), min(c0, c), max(r1, r + 1), max(c1, c + 1)
        for nr, nc, open_side in ((r + 1, c, r + 1 < n_rows and not ruled[r + 1][c]),
                                  (r - 1, c, r > 0 and not ruled[r][c]),
                                  (r, c + 1, c + 1 < n_cols and not walled[r][c + 1]),
                                  (r, c - 1, c > 0 and not walled[r][c])):
            if open_side and not seen[nr][nc]:
                seen[nr][nc] = True
                stack.append((nr, nc))
    return r0, c0, r1, c1, size
