"""Ruled tables from line segments (checker.readers.lattice): cells, merged cells, outlines, tolerances."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.readers.lattice import find_tables


def grid(xs: list[float], ys: list[float]) -> tuple[list, list]:
    """Full ruling of a regular grid: every horizontal and vertical line across the whole table."""
    horizontal = [(y, xs[0], xs[-1]) for y in ys]
    vertical = [(x, ys[0], ys[-1]) for x in xs]
    return horizontal, vertical


def test_regular_grid_gives_one_cell_per_square():
    horizontal, vertical = grid([0, 50, 100, 150], [0, 20, 40])
    [cells] = find_tables(horizontal, vertical)
    assert sorted(cells) == sorted((x0, y0, x1, y1) for x0, x1 in ((0, 50), (50, 100), (100, 150))
                                   for y0, y1 in ((0, 20), (20, 40)))


def test_a_missing_line_merges_the_squares_it_would_divide():
    # the middle vertical line stops at the first row's bottom: the second row is one merged cell
    horizontal = [(0, 0, 100), (20, 0, 100), (40, 0, 100)]
    vertical = [(0, 0, 40), (50, 0, 20), (100, 0, 40)]
    [cells] = find_tables(horizontal, vertical)
    assert sorted(cells) == [(0, 0, 50, 20), (0, 20, 100, 40), (50, 0, 100, 20)]


def test_header_cell_spanning_two_rows_and_two_columns():
    # a 3×3 grid whose top-left 2×2 block has no inner lines
    horizontal = [(0, 0, 90), (10, 60, 90), (20, 0, 90), (30, 0, 90)]
    vertical = [(0, 0, 30), (30, 20, 30), (60, 0, 30), (90, 0, 30)]
    [cells] = find_tables(horizontal, vertical)
    assert (0, 0, 60, 20) in cells
    assert len(cells) == 1 + 2 + 3


def test_squares_outside_an_irregular_outline_are_not_cells():
    # an L-shaped table: the second row has only its first column
    horizontal = [(0, 0, 100), (20, 0, 100), (40, 0, 50)]
    vertical = [(0, 0, 40), (50, 0, 40), (100, 0, 20)]
    [cells] = find_tables(horizontal, vertical)
    assert sorted(cells) == [(0, 0, 50, 20), (0, 20, 50, 40), (50, 0, 100, 20)]


def test_nearby_positions_snap_and_broken_lines_join():
    # Word draws each cell's border separately: pieces with small gaps and positions off by a point
    horizontal = [(0.0, 0, 49), (0.8, 50, 100), (20.0, 0, 48.5), (19.4, 50.5, 100), (40.2, 0, 100)]
    vertical = [(0.0, 0, 40), (50.6, 0, 19), (49.8, 21, 40), (100.0, 0, 40)]
    [cells] = find_tables(horizontal, vertical)
    assert len(cells) == 4
    assert all(abs(x1 - x0 - 50) < 1.5 and abs(y1 - y0 - 20) < 1.5 for x0, y0, x1, y1 in cells)


def test_gaps_wider_than_the_tolerance_are_kept():
    # the middle vertical line has a 10-point hole beside the second row: those two squares merge
    horizontal, vertical = grid([0, 50, 100], [0, 20, 40])
    vertical = [v for v in vertical if v[0] != 50] + [(50, 0, 20), (50, 30, 40)]
    [cells] = find_tables(horizontal, vertical)
    assert (0, 20, 100, 40) in cells and len(cells) == 3


def test_separate_tables_are_separate_groups():
    first = grid([0, 50, 100], [0, 20, 40])
    second = grid([0, 50, 100], [200, 220])
    tables = find_tables(first[0] + second[0], first[1] + second[1])
    assert sorted(len(cells) for cells in tables) == [2, 4]


def test_lines_that_do_not_enclose_anything_are_no_table():
    # a three-line table (rules above and below, no verticals) and a lone underline
    assert find_tables([(0, 0, 100), (20, 0, 100), (60, 0, 100)], []) == []
    assert find_tables([(0, 0, 100), (20, 0, 100)], [(0, 0, 20)]) == []


def test_short_marks_are_not_ruling_lines():
    horizontal, vertical = grid([0, 50, 100], [0, 20, 40])
    cells_without = find_tables(horizontal, vertical)
    cells_with = find_tables([*horizontal, (10, 20, 21.5)], [*vertical, (75, 5, 6)])
    assert cells_with == cells_without


@st.composite
def merged_tables(draw) -> tuple[list, list, set]:
    """A ruled table with random merged blocks, drawn square side by square side as Word does, and the
    cells a reader sees in it."""
    xs = sorted(draw(st.sets(st.integers(0, 60), min_size=2, max_size=7)))
    ys = sorted(draw(st.sets(st.integers(0, 60), min_size=2, max_size=7)))
    xs, ys = [x * 10.0 for x in xs], [y * 8.0 for y in ys]
    owner = {}
    for _ in range(draw(st.integers(0, 4))):
        r0 = draw(st.integers(0, len(ys) - 2))
        c0 = draw(st.integers(0, len(xs) - 2))
        r1 = draw(st.integers(r0 + 1, len(ys) - 1))
        c1 = draw(st.integers(c0 + 1, len(xs) - 1))
        block = {(r, c) for r in range(r0, r1) for c in range(c0, c1)}
        if not block & owner.keys():
            owner.update({square: (r0, c0, r1, c1) for square in block})
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            owner.setdefault((r, c), (r, c, r + 1, c + 1))
    horizontal, vertical = [], []
    for r in range(len(ys)):
        for c in range(len(xs) - 1):
            above, below = owner.get((r - 1, c)), owner.get((r, c))
            if above != below:
                horizontal.append((ys[r], xs[c], xs[c + 1]))
    for c in range(len(xs)):
        for r in range(len(ys) - 1):
            if owner.get((r, c - 1)) != owner.get((r, c)):
                vertical.append((xs[c], ys[r], ys[r + 1]))
    expected = {(xs[c0], ys[r0], xs[c1], ys[r1]) for r0, c0, r1, c1 in owner.values()}
    return horizontal, vertical, expected


@settings(max_examples=200, deadline=None)
@given(merged_tables())
def test_any_table_of_merged_cells_is_read_back_cell_for_cell(table):
    horizontal, vertical, expected = table
    tables = find_tables(horizontal, vertical)
    if len(expected) == 1:  # a single box: no inner line, still one table of one cell
        assert tables == [[next(iter(expected))]]
        return
    assert len(tables) == 1
    assert set(tables[0]) == expected
