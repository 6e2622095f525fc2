"""Width-aware LaTeX tables: what keeps large constructions readable and inside the page.

A :class:`Grid` is a table with named rows and (grouped) named columns. :func:`render` estimates
every column's width, splits the columns into as many tables as the width budget needs (a group
of columns is never split; row labels repeat in each part), splits long tables into parts of at
most ``max_rows`` rows (so a page break can fall between them, in one- and two-column documents
alike, without ``longtable``), and wraps each part in ``\\ssmtable``, which centres it and shrinks
it (``\\ssmfit``) only if the estimate was wrong and it would still be wider than the line.
Nothing is ever cut off. The first part may not be separated from the paragraph before it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Cell", "Column", "Group", "Row", "Grid", "render", "wrapped_lines", "COLSEP_EM"]

COLSEP_EM = 1.35  # 2 × \tabcolsep (6pt) at the 9pt table font
_LINE_EM = 1.0  # estimated height of one table line, in lines


@dataclass(frozen=True)
class Cell:
    """LaTeX for one cell and its estimated width in ems of the table font.

    ``words``, when given, are the widths of the cell's unbreakable pieces, grouped by word
    (e.g. one signed term of a sum, split only at the break points of its name): the height of
    the cell in a wrapping column is then simulated with :func:`wrapped_lines` instead of
    guessed from the width, which for long names is far too optimistic.
    """

    tex: str
    width: float = 0.0
    words: tuple[tuple[float, ...], ...] = ()

    def lines(self, para: float) -> int:
        """Estimated number of lines in a wrapping column ``para`` ems wide."""
        if self.words:
            return wrapped_lines(self.words, para)
        return max(1, math.ceil(self.width / para))


@dataclass(frozen=True)
class Column:
    """A column: its header cell and an optional fixed paragraph width (ems) for long text."""

    head: Cell
    para: float | None = None
    align: str = "c"

    def spec(self) -> str:
        if self.para is not None:
            return rf">{{\raggedright\arraybackslash}}p{{{self.para:.1f}em}}"
        return self.align


@dataclass(frozen=True)
class Group:
    """Columns kept together in one part, optionally under a spanning header."""

    columns: tuple[Column, ...]
    head: Cell | None = None


@dataclass(frozen=True)
class Row:
    """A labelled row; ``section`` rows span the table and introduce the rows after them."""

    label: Cell
    cells: tuple[Cell, ...] = ()
    section: bool = False


@dataclass(frozen=True)
class Grid:
    corner: Cell
    groups: tuple[Group, ...]
    rows: tuple[Row, ...]
    label_align: str = "l"
    header: bool = True  # False: a key–value list without a header row

    @property
    def ncols(self) -> int:
        return sum(len(g.columns) for g in self.groups)


_SPACE_EM = 0.35  # an interword space


def wrapped_lines(words: Sequence[Sequence[float]], para: float) -> int:
    """Lines a ragged-right paragraph of ``words`` takes in a column ``para`` ems wide.

    Each word is the widths of its pieces; a word that does not fit on the current line starts
    a new one, and only a word wider than the whole line is broken between its pieces (TeX does
    the same, because a break inside a name costs a penalty). A piece wider than the line
    overflows it and counts as one line.

    >>> wrapped_lines([(3.0,), (3.0,), (3.0,)], 7.0)
    2
    >>> wrapped_lines([(1.0,), (4.0, 4.0, 4.0)], 9.0)
    3
    """
    lines, used = 1, 0.0
    for word in words:
        width = sum(word)
        gap = _SPACE_EM if used else 0.0
        if used + gap + width <= para:
            used += gap + width
            continue
        if used:
            lines, used = lines + 1, 0.0
        if width <= para:
            used = width
            continue
        for piece in word:
            if used and used + piece > para:
                lines, used = lines + 1, 0.0
            used += piece
    return lines


def _col_widths(grid: Grid) -> list[float]:
    widths = [c.para if c.para is not None else c.head.width
              for g in grid.groups for c in g.columns]
    for row in grid.rows:
        if row.section:
            continue
        for j, cell in enumerate(row.cells):
            if _grid_col(grid, j).para is None:
                widths[j] = max(widths[j], cell.width)
    return [w + COLSEP_EM for w in widths]


def _grid_col(grid: Grid, j: int) -> Column:
    for g in grid.groups:
        if j < len(g.columns):
            return g.columns[j]
        j -= len(g.columns)
    raise IndexError(j)


def _group_widths(grid: Grid, widths: list[float]) -> list[float]:
    out, start = [], 0
    for g in grid.groups:
        n = len(g.columns)
        w = sum(widths[start:start + n])
        if g.head is not None:
            w = max(w, g.head.width + COLSEP_EM)
        out.append(w)
        start += n
    return out


def _greedy(gw: Sequence[float], limit: float) -> list[list[int]]:
    parts: list[list[int]] = [[]]
    used = 0.0
    for gi, w in enumerate(gw):
        if parts[-1] and used + w > limit:
            parts.append([])
            used = 0.0
        parts[-1].append(gi)
        used += w
    return parts


def _group_parts(grid: Grid, widths: list[float], budget: float) -> list[list[int]]:
    """Split the groups into as few parts as fit ``budget``, then balance the parts' widths
    (smallest maximum width with that many parts), so no part is a lone leftover column."""
    gw = _group_widths(grid, widths)
    parts = _greedy(gw, budget)
    k = len(parts)
    if k == 1:
        return parts
    lo, hi = max(gw), max(budget, max(gw))
    for _ in range(40):
        mid = (lo + hi) / 2
        if len(_greedy(gw, mid)) <= k:
            hi = mid
        else:
            lo = mid
    return _greedy(gw, hi)


def _label_spec(grid: Grid, budget: float, columns: float) -> tuple[str, float]:
    """The row-label column: ``l`` when the labels fit, else a wrapping ``p`` column whose width
    leaves room for the other columns (at least 35% of the budget)."""
    label = max([grid.corner.width] + [r.label.width for r in grid.rows if not r.section])
    cap = max(8.0, 0.35 * budget, budget - columns - COLSEP_EM)
    if label > cap:
        return rf">{{\raggedright\arraybackslash}}p{{{cap:.1f}em}}", cap + COLSEP_EM
    return grid.label_align, label + COLSEP_EM


def _row_height(grid: Grid, row: Row, label_para: float | None) -> float:
    h = 1.0
    if label_para and not row.section:
        h = max(h, row.label.lines(label_para))
    for j, cell in enumerate(row.cells):
        para = _grid_col(grid, j).para
        if para:
            h = max(h, cell.lines(para))
        if "frac" in cell.tex:
            h = max(h, 1.4)
    return h


def _row_chunks(grid: Grid, max_rows: float, label_para: float | None) -> list[list[Row]]:
    chunks: list[list[Row]] = [[]]
    used = 0.0
    for row in grid.rows:
        h = _row_height(grid, row, label_para)
        full = used + h > max_rows or (row.section and used + 4 > max_rows)
        if chunks[-1] and full and not _only_sections(chunks[-1]):
            chunks.append([])
            used = 0.0
        chunks[-1].append(row)
        used += h
    return chunks


def _only_sections(rows: Sequence[Row]) -> bool:
    return all(r.section for r in rows)


def render(grid: Grid, *, width: float, max_rows: float = 34) -> str:
    """The grid as one or more ``tabular`` parts, each wrapped in ``\\ssmfit``.

    Parameters
    ----------
    width : float
        Width budget in ems of the table font (about 48 for an A4 page with 2 cm margins).
    max_rows : float
        Estimated lines per part; a tall table becomes several parts, so pages can break.
    """
    if not grid.groups:
        raise ValueError("a grid needs at least one column")
    widths = _col_widths(grid)
    label_spec, label_w = _label_spec(grid, width, sum(widths))
    label_para = label_w - COLSEP_EM if label_spec.startswith(">") else None
    starts = _group_starts(grid)
    out: list[str] = []
    chunks = _row_chunks(grid, max_rows, label_para)
    for part in _group_parts(grid, widths, width - label_w):
        cols = [j for gi in part
                for j in range(starts[gi], starts[gi] + len(grid.groups[gi].columns))]
        out.extend(_tabular(grid, part, cols, rows, label_spec) for rows in chunks)
    return "\\par\\nopagebreak\n" + "\n".join(out)


def _group_starts(grid: Grid) -> list[int]:
    starts, j = [], 0
    for g in grid.groups:
        starts.append(j)
        j += len(g.columns)
    return starts


def _tabular(grid: Grid, part: list[int], cols: list[int], rows: list[Row],
             label_spec: str) -> str:
    specs = "".join(_grid_col(grid, j).spec() for j in cols)
    lines = [r"\ssmtable{%"]
    if any("frac" in row.cells[j].tex for row in rows if not row.section for j in cols):
        lines.append(r"\renewcommand{\arraystretch}{1.4}%")  # room for fractions
    lines += [rf"\begin{{tabular}}{{@{{}}{label_spec}{specs}@{{}}}}", r"\toprule"]
    if grid.header:
        lines += _group_header(grid, part)
        heads = " & ".join(_grid_col(grid, j).head.tex for j in cols)
        lines += [rf"{grid.corner.tex} & {heads} \\", r"\midrule"]
    n = len(cols) + 1
    for k, row in enumerate(rows):
        if row.section:
            if k:
                lines.append(r"\midrule")
            lines.append(rf"\multicolumn{{{n}}}{{@{{}}l}}{{{row.label.tex}}} \\")
            continue
        cells = " & ".join(row.cells[j].tex for j in cols)
        lines.append(rf"{row.label.tex} & {cells} \\")
    lines += [r"\bottomrule", r"\end{tabular}}"]
    return "\n".join(lines)


def _group_header(grid: Grid, part: list[int]) -> list[str]:
    if all(grid.groups[gi].head is None for gi in part):
        return []
    heads, rules, col = [""], [], 2
    for gi in part:
        g = grid.groups[gi]
        n = len(g.columns)
        if g.head is None:
            heads.append(" & ".join([""] * n) if n > 1 else "")
        else:
            heads.append(rf"\multicolumn{{{n}}}{{c}}{{{g.head.tex}}}")
            rules.append(rf"\cmidrule(lr){{{col}-{col + n - 1}}}")
        col += n
    return [" & ".join(heads) + r" \\", " ".join(rules)]
