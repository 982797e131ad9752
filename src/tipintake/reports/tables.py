"""Report tables as plain data, and small-number protection for those that leave the screen.

A ``Table`` is what the dashboard draws, the data-quality page lists and an export
writes: titled columns, one row per category (a stable code, a translated label, one
or more counts). ``suppress`` hides counts under a threshold (default 11, CTDC's k) in
every table that leaves the screen, plus a second cell where one hidden cell could be
recovered by subtracting the shown ones from the total.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tipintake.i18n import _

DEFAULT_THRESHOLD = 11


@dataclass(frozen=True)
class Row:
    """One category: its stable code, its label in the report's language, its counts."""

    code: str
    label: str
    values: tuple[int | None, ...]  # None: suppressed (a small number)


@dataclass(frozen=True)
class Table:
    """A titled table of counts."""

    key: str
    title: str
    columns: tuple[str, ...]  # the label column's heading first, then one per value
    rows: tuple[Row, ...]
    total: int | None  # cases counted; None when suppressed
    multi: bool = False  # True when one case may count in several rows (multiple choice)
    suppressed: bool = False  # True once small cells were hidden

    def column(self, index: int = 0) -> list[int | None]:
        """The values of one count column."""
        return [r.values[index] for r in self.rows]


def suppression_mark(threshold: int) -> str:
    """What a hidden cell shows, e.g. "<11"."""
    # TRANSLATORS: shown instead of a count too small to publish safely, e.g. "<11".
    return _("<{threshold}").format(threshold=threshold)


def suppress(table: Table, threshold: int = DEFAULT_THRESHOLD) -> Table:
    """A copy of ``table`` with every count from 1 to ``threshold - 1`` hidden.

    When a column's rows add up to the total (single choice) and exactly one cell was
    hidden, the smallest other non-zero cell is hidden too, so subtraction cannot
    reveal it. A total under the threshold is hidden with everything in the table.
    """
    if threshold <= 1:
        return replace(table, suppressed=True)

    def small(v: int | None) -> bool:
        return v is not None and 0 < v < threshold

    if table.total is not None and small(table.total):
        rows = tuple(replace(r, values=tuple(None if v else v for v in r.values)) for r in table.rows)
        return replace(table, rows=rows, total=None, suppressed=True)
    grid = [list(r.values) for r in table.rows]
    width = len(table.columns) - 1
    for col in range(width):
        hidden = [i for i, row in enumerate(grid) if small(row[col])]
        for i in hidden:
            grid[i][col] = None
        if len(hidden) == 1 and not table.multi:
            others = [(row[col], i) for i, row in enumerate(grid) if row[col]]
            if others:
                grid[min(others)[1]][col] = None
    rows = tuple(replace(r, values=tuple(g)) for r, g in zip(table.rows, grid, strict=True))
    return replace(table, rows=rows, suppressed=True)


def cells(table: Table, threshold: int = DEFAULT_THRESHOLD) -> list[list[str | int]]:
    """Heading row and body rows, hidden counts shown as "<threshold"."""
    mark = suppression_mark(threshold)
    out: list[list[str | int]] = [list(table.columns)]
    for r in table.rows:
        out.append([r.label, *(mark if v is None else v for v in r.values)])
    return out
