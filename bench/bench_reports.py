"""Reports benchmark: dashboard and data-quality figures over 100k cases.

Creates a 100k-case synthetic store once under ``bench/out/reports-100k`` and reuses it.
Figures, all in one run on that encrypted store:

- baseline: read every case's latest revision row (decrypt + fetch, no JSON, no maths);
- baseline + ``json.loads`` of every context (the cost of looking at the answers at all);
- SQL ``json_extract`` aggregation of the dashboard dimensions inside SQLCipher;
- first ever: dashboard + data quality with no saved summaries (one pass over the JSON,
  then the snapshot is saved in the encrypted store);
- new session: the same with the in-memory cache empty, starting from the saved snapshot;
- warm: the same again (only new or changed revisions are read: the usual case in the app);

and the ratios to the baseline. Target: dashboard + data quality < 1 s (warm), cold
reported beside it.

Run: .venv/bin/python bench/bench_reports.py [--cases 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import report  # noqa: E402
from _reports_data import answers  # noqa: E402
from sqlalchemy import text  # noqa: E402

from tipintake.forms import load_form  # noqa: E402
from tipintake.store.session import Session, Store  # noqa: E402

USER, PASS = "bench", "benchmark passphrase"


def open_store(n: int) -> Session:
    """The benchmark store with ``n`` cases (created on first use)."""
    folder = Path(__file__).parent / "out" / f"reports-{n // 1000}k"
    store = Store(folder)
    if store.exists():
        return store.unlock(USER, PASS)
    print(f"creating {n} synthetic cases in {folder} (once) ...", flush=True)
    session, _ = store.init("Benchmark shelter", USER, PASS)
    form = load_form("tip_intake")
    rng = random.Random(7)
    ident = form.identity_fields()

    def records():
        for _ in range(n):
            a = answers(form, rng)
            yield {"form_id": form.id, "form_version": str(form.version), "kind": form.id,
                   "identity": {k: v for k, v in a.items() if k in ident},
                   "context": {k: v for k, v in a.items() if k not in ident}}

    start = time.perf_counter()
    session.cases.import_many(records())
    print(f"created in {time.perf_counter() - start:.0f} s", flush=True)
    return session


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one call: on a shared, loaded machine
    CPU time is the steadier measure of the work done."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _save_one_and_refresh(session: Session, figures) -> None:
    """A new revision of one case (as after an interview), then the figures again."""
    case_id = session.cases.list(limit=1)[0].id
    session.cases.save(form_id="tip_intake", form_version="1.0.0", kind="tip_intake", identity={},
                       context={"registration_date": "2024-01-01", "gender": "Feminine"}, case_id=case_id)
    figures()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    session = open_store(args.cases)
    from tipintake.reports import ReportFilter, dashboard, quality
    from tipintake.reports.summary import clear_cache, summaries

    def read_rows() -> None:
        with session.engine.connect() as conn:
            for _row in conn.execute(text("SELECT case_id, number, context FROM revisions")):
                pass

    def read_and_parse() -> None:
        with session.engine.connect() as conn:
            for row in conn.execute(text("SELECT context FROM revisions")):
                json.loads(row[0])

    def sql_json_extract() -> None:
        with session.engine.connect() as conn:
            for path in ("$.gender", "$.citizenship", "$.country_of_exploitation",
                         "substr(json_extract(context, '$.registration_date'), 1, 7)"):
                expr = path if path.startswith("substr") else f"json_extract(context, '{path}')"
                conn.execute(text(f"SELECT {expr}, count(*) FROM revisions GROUP BY 1")).all()
            for path in ("$.exploitation_types", "$.means_of_control"):
                conn.execute(text(f"SELECT j.value, count(*) FROM revisions, json_each(revisions.context, "
                                  f"'{path}') j GROUP BY 1")).all()

    def figures() -> None:
        flt = ReportFilter()
        dashboard(session, flt)
        quality(session, flt)

    try:
        base = min(timed(read_rows) for _ in range(3))
        parse = min(timed(read_and_parse) for _ in range(2))
        sql = timed(sql_json_extract)
        with session.engine.begin() as conn:  # as on the very first report of a store
            conn.execute(text("DELETE FROM report_cache"))
        clear_cache()
        first = timed(figures)  # summarises every case and saves the summaries
        clear_cache()
        cold = timed(figures)  # a new session: starts from the saved summaries
        warm = min(timed(figures) for _ in range(3))
        with session.engine.begin() as conn:
            conn.execute(text("DELETE FROM report_cache"))
        clear_cache()
        only_summaries = timed(lambda: summaries(session, ReportFilter()))
        one_new = timed(lambda: _save_one_and_refresh(session, figures))
        n = session.cases.count()
    finally:
        session.lock()
    load = os.getloadavg()[0]
    print(f"\n{n} cases, encrypted store (SQLCipher); load average {load:.1f} on {os.cpu_count()} CPUs")
    print(f"{'':<58} {'wall':>10}        {'CPU':>8}     ratio (wall, CPU) to the baseline")

    def line(name: str, t: tuple[float, float], target: bool = False) -> None:
        ratio = f"x{t[0] / base[0]:.1f}, x{t[1] / base[1]:.1f}"
        verdict = ("  < 1000 ms " + ("OK" if t[0] < 1.0 else "MISSED")) if target else ""
        report(name, t[0] * 1000, "ms", f"{t[1] * 1000:8.0f} ms  {ratio}{verdict}")

    line("baseline: read all revision rows (no JSON)", base)
    line("read + json.loads of every context", parse)
    line("SQL json_extract: 4 dimensions + 2 multi-selects", sql)
    line("summaries only (read + parse + summarise, cold)", only_summaries)
    line("dashboard + data quality, first ever (summarise + save all)", first)
    line("dashboard + data quality, new session (saved summaries)", cold, True)
    line("dashboard + data quality, warm cache", warm, True)
    line("one case saved, then dashboard + data quality", one_new, True)
    return 0 if max(warm[0], cold[0]) < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
