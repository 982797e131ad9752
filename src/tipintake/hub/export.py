"""Publication: the CTDC-format CSV with k-anonymity, and aggregate tables with small cells suppressed.

k-anonymity follows CTDC's first-generation practice: over *all* released variables
taken together (missing counts as a value), a row whose combination of values is
shared by fewer than k stored cases is suppressed whole. Each stored case carries a
key of its released row, so the counting is one window count in the database and the
export streams rows with a server-side cursor: memory stays bounded whatever the
number of cases. Aggregate tables count cases by one to three released variables and
suppress cells under k; the total is the sum of the published cells only, so a
suppressed cell cannot be recovered by subtraction.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, func, select

from tipintake.errors import UserError
from tipintake.hub.db import Tables
from tipintake.hub.vocabulary import Vocabulary

STREAM_ROWS = 5000


class Published(Protocol):
    """What publication needs: a Hub or a keyless Storage."""

    engine: Engine
    tables: Tables
    vocabulary: Vocabulary


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote and what it held back."""

    rows_written: int
    rows_suppressed: int
    k: int

    @property
    def rows_total(self) -> int:
        return self.rows_written + self.rows_suppressed


def export_ctdc(hub: Published, out: Path, k: int | None = None) -> ExportReport:
    """Write the k-anonymised CTDC CSV to ``out`` (written to a temporary name, then renamed)."""
    k = k or hub.vocabulary.k
    r = hub.tables.records
    released = hub.vocabulary.released
    columns = [hub.tables.released_column(name) for name in released]
    # One scan with a window count, not a join or ``IN (subquery)`` with a GROUP BY:
    # on a freshly filled PostgreSQL table (no statistics yet) the planner turns those
    # into a nested loop re-aggregating per row (minutes for 20k rows); this plan is a
    # single sort whatever the statistics say, on SQLite and PostgreSQL alike.
    counted = select(
        *columns, r.c.row_key, r.c.case_id,
        func.count().over(partition_by=r.c.row_key).label("shared_by"),
    ).subquery()
    query = (
        select(*[counted.c[c.name] for c in columns])
        .where(counted.c.shared_by >= k)
        .order_by(counted.c.row_key, counted.c.case_id)
    )
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    written = 0
    try:
        with hub.engine.connect() as conn, open(tmp, "w", newline="", encoding="utf-8") as handle:
            total = conn.execute(select(func.count()).select_from(r)).scalar_one()
            writer = csv.writer(handle)
            writer.writerow(released)
            result = conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(query)
            for partition in result.partitions():
                writer.writerows(["" if v is None else v for v in row] for row in partition)
                written += len(partition)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportReport(rows_written=written, rows_suppressed=total - written, k=k)


def aggregate(hub: Published, by: list[str], k: int | None = None) -> dict[str, Any]:
    """Counts of cases by 1-3 released variables, cells under k suppressed."""
    k = k or hub.vocabulary.k
    if not 1 <= len(by) <= 3 or len(set(by)) != len(by):
        raise UserError("Give one to three different variables to count by.")
    unknown = [name for name in by if name not in hub.vocabulary.released]
    if unknown:
        raise UserError(f"'{unknown[0]}' is not a released variable.")
    columns = [hub.tables.released_column(name) for name in by]
    query = select(*columns, func.count()).group_by(*columns).order_by(*columns)
    cells, suppressed = [], 0
    with hub.engine.connect() as conn:
        for *values, count in conn.execute(query):
            if count < k:
                suppressed += 1
                continue
            cells.append({"values": dict(zip(by, values, strict=True)), "count": count})
    return {
        "by": by,
        "k": k,
        "cells": cells,
        "suppressed_cells": suppressed,
        "total_published": sum(c["count"] for c in cells),
    }
